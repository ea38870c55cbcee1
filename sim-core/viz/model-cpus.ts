// The timeline's CPU rows while the log is read: per CPU, which task has been on it since when
// (from sched_switch, or from the start for a task on a CPU when the log began), as runs.
import type { CpuRun } from './model-types';

export class CpuRows {
  /** Per CPU: since when (NaN: no switch seen yet) which task (0: its idle task) has been on it. */
  readonly from: number[] = [];
  readonly pid: number[] = [];
  /** Per CPU: its runs that ended, and the fewest it has had since `low` was last set. */
  readonly runs: CpuRun[][] = [];
  readonly low: number[] = [];
  count = 0;

  private grow(c: number): void {
    if (c + 1 <= this.count) return;
    for (let k = this.count; k <= c; k++) { this.from[k] = NaN; this.pid[k] = 0; this.runs[k] = []; this.low[k] = 0; }
    this.count = c + 1;
  }

  /** Task `pid` is on CPU `c` when the log starts, at `start`. */
  seed(c: number, pid: number, start: number): void {
    this.grow(c);
    this.from[c] = start;
    this.pid[c] = pid;
  }

  /** A sched_switch on CPU `c` at `t` puts `next` on it (0: the idle task). */
  switchTo(c: number, t: number, next: number): void {
    this.grow(c);
    if (Number.isNaN(this.from[c])) { this.from[c] = t; this.pid[c] = next; return; }
    if (this.pid[c] === next) return;
    const runs = this.runs[c];
    if (t > this.from[c]) runs.push({ cpu: c, from: this.from[c], to: t, pid: this.pid[c] || null });
    // A run that lasted no time at all leaves no row; the one before it goes on if it is the same task.
    const before = runs.length ? runs[runs.length - 1] : undefined;
    if (before && before.to === t && (before.pid ?? 0) === next) {
      runs.pop();
      if (runs.length < this.low[c]) this.low[c] = runs.length;
      this.from[c] = before.from;
    }
    else this.from[c] = t;
    this.pid[c] = next;
  }

  /** CPU `c`'s run going on, drawn to `end` (none before its first switch). */
  open(c: number, end: number): CpuRun | undefined {
    const from = this.from[c];
    return !Number.isNaN(from) && end > from ? { cpu: c, from, to: end, pid: this.pid[c] || null } : undefined;
  }

  /** Every CPU's runs up to `end`, CPU 0 first, each in time order (what is kept is left as it is). */
  runsTo(end: number): CpuRun[] {
    const cpus: CpuRun[] = [];
    for (let c = 0; c < this.count; c++) {
      for (const r of this.runs[c]) cpus.push(r);
      const open = this.open(c, end);
      if (open) cpus.push(open);
    }
    return cpus;
  }
}
