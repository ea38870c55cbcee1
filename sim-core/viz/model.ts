// The process timeline, built from the kernel event log in one linear pass: a lane per task with
// its state over virtual time, marks for fork/exec/exit/zombie/reap/reparent, signals sent and
// delivered (each naming the kernel function behind it), and per-CPU rows of which task ran when.
// The lanes are kept in model-lanes.ts, the marks read in model-events.ts, the CPU rows in
// model-cpus.ts, what changed since a hand-out in model-delta.ts; this file reads the scheduler's
// tracepoints and puts the model together, at once or as the log grows.
import type { KEvent } from '../machine-types';
import { CpuRows } from './model-cpus';
import { markOut } from './model-delta';
import { LifecycleMarks } from './model-events';
import { LaneBook, openSpan, prevState } from './model-lanes';
import type { SeriesSizes } from './model-delta';
import type { KnownTask, Lane, LaneState, Mark, TimelineModel, TimelineOptions } from './model-types';

export {
  TimelineSender, deltaSizes, deltaWeight, modelSizes, modelWeight, seriesWeight,
  type LaneEdit, type SeriesEdit, type SeriesSizes, type TimelineAnswer, type TimelineDelta,
} from './model-delta';
export type { CpuRun, KnownTask, Lane, LaneState, Mark, MarkKind, Span, TimelineModel, TimelineOptions } from './model-types';
export { knownTask } from './model-types';
export { exitText, markGotoTarget } from './labels';

/**
 * Builds the timeline from the kernel event log (times in virtual ns), in one pass over the
 * events plus one over the lanes: every lookup is a Map by pid, so 1,000,000 events and 10,000
 * tasks take a fraction of a second.
 *
 * With sched_switch/sched_wakeup events (BootOptions.traceSched), each lane shows running (the
 * task is a switch's next), runnable (woken, or preempted with prev_state R), sleeping (S or I),
 * disk-sleep (D), stopped (T, t) and zombie (Z, or the zombie event), and `cpus` tells which task
 * ran on each CPU (pid null: the CPU's idle task). Without them the log only tells when a task
 * came and went: a lane is 'alive' from its fork (or the start) until its exit, 'stopped' between
 * a group stop and SIGCONT (the stopped and continued events), 'zombie' from exit_notify until
 * release_task, and it ends at its reap.
 */
export function buildTimeline(events: readonly KEvent[], opts: TimelineOptions): TimelineModel {
  let sched = opts.sched;
  if (sched === undefined) {
    sched = false;
    for (let i = 0; i < events.length; i++) if (events[i].kind === 'sched_switch') { sched = true; break; }
  }
  // (+ 0: an event stamped before the clock was set says -0, which is the boot's 0.)
  const start = Math.min(opts.start ?? 0, events.length ? events[0].time : opts.now, opts.now) + 0;
  const last = events.length ? events[events.length - 1].time : start;
  const end = Math.max(opts.end ?? Math.max(last, opts.now), start);
  const b = new TimelineBuilder(start, sched, opts.tasks ?? []);
  let n = 0;
  while (n < events.length && events[n].time <= end) n++; // the log is in time order
  b.add(events, 0, n);
  return b.model(opts.now, opts.nowStep, end);
}

/**
 * The timeline as the log grows: events are folded in as they come (add), and the model of what
 * was folded so far is made at any moment without changing what is kept (model), so a debugger
 * that stops again and again pays for the new events only. Folding every event at once and making
 * the model is buildTimeline.
 */
export class TimelineBuilder {
  readonly book: LaneBook;
  readonly lifecycle: LifecycleMarks;
  readonly cpus = new CpuRows();
  /** The time of the last event folded (the start before any). */
  last: number;

  constructor(readonly start: number, readonly sched: boolean, tasks: readonly KnownTask[]) {
    this.book = new LaneBook(start, sched, tasks);
    this.lifecycle = new LifecycleMarks(this.book, sched);
    this.last = start;
    // A task on a CPU when the log starts holds that CPU's row from the start.
    if (sched) for (const k of this.book.boot) if (k.running === true && k.cpu !== undefined && k.cpu >= 0) this.cpus.seed(k.cpu, k.pid, start);
  }

  /** Folds events[from..to) in (in time order, none before the start). */
  add(events: readonly KEvent[], from = 0, to = events.length): void {
    const book = this.book, cpus = this.cpus, lifecycle = this.lifecycle;
    for (let i = from; i < to; i++) {
      const e = events[i];
      const t = e.time;
      switch (e.kind) {
        case 'sched_wakeup': {
          const l = book.schedLane(e.pid);
          if (l && l.state !== 'running' && l.state !== 'zombie') book.setState(l, t, 'runnable');
          break;
        }
        case 'sched_switch': {
          if (e.prev_pid > 0) {
            const p = book.schedLane(e.prev_pid);
            if (p) {
              const s = prevState(e.prev_state);
              if (p.comm.startsWith('pid ')) p.comm = e.prev_comm;
              if (s !== null) book.setState(p, t, s);
            }
          }
          if (e.next_pid > 0) {
            const n = book.schedLane(e.next_pid);
            if (n) {
              n.comm = e.next_comm;
              book.setState(n, t, 'running');
            }
          }
          cpus.switchTo(e.cpu, t, e.next_pid > 0 ? e.next_pid : 0);
          break;
        }
        default:
          lifecycle.see(e);
      }
      if (t > this.last) this.last = t;
    }
  }

  /** Where the model's axis ends when `now` is the current moment: the later of the last event and now. */
  axisEnd(now: number): number {
    return Math.max(this.last, now, this.start);
  }

  /** The model of the events folded so far, its axis ending at `end` (default: axisEnd). */
  model(now: number, nowStep: number, end = this.axisEnd(now)): TimelineModel {
    const rows = this.cpus.runsTo(end);
    const { lanes, index } = this.book.lanesTo(end);
    const marks: Mark[] = this.lifecycle.marks.map((m) => markOut(m, index));
    return { start: this.start, end, now, nowStep, lanes, marks, cpus: rows, sched: this.sched, cpuCount: this.cpus.count };
  }

  /** The sizes of model(·, ·, end), counted without making it (modelSizes of that model). */
  sizes(end: number): SeriesSizes {
    const lanes = this.book.lanes, c = this.cpus;
    const s: SeriesSizes = { lanes: lanes.length, spans: 0, marks: this.lifecycle.marks.length, runs: 0 };
    for (const l of lanes) s.spans += l.spans.length + (openSpan(l, end) ? 1 : 0);
    for (let cpu = 0; cpu < c.count; cpu++) s.runs += c.runs[cpu].length + (c.open(cpu, end) ? 1 : 0);
    return s;
  }
}

/** The lane's state at virtual time `t` (a span holds [from, to)); undefined before its birth or once it is gone. */
export function stateAt(lane: Lane, t: number): LaneState | undefined {
  const s = lane.spans;
  if (!s.length || t < s[0].from) return undefined;
  let lo = 0, hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s[mid].from <= t) lo = mid; else hi = mid - 1;
  }
  if (t < s[lo].to) return s[lo].state;
  // The last instant of a lane still there at the end shows its last state.
  return lo === s.length - 1 && lane.gone === undefined && t === s[lo].to ? s[lo].state : undefined;
}
