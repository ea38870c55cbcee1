// `kproc run --until EVENT`, `--until time:T` and `kproc run --at STEP`: run forward to one moment
// and stop there, so that --pstree, --json, --dmesg and --sched-stats show the machine as it stood
// then. A step is reached by handing the machine exactly the steps left. An event is found as the
// run goes (its stop can come a little after it); the state at the event is then rebuilt by
// booting the same scenario again and running it exactly to the event's step, with the same
// terminal input: the simulator is deterministic, so the same steps make the same machine. A time
// is passed as the run goes (the clock is read after each slice); the rebuilt machine then goes to
// exactly the first tick whose clock is at or past it, and the output held back from the slice
// that passed it is shown up to that tick.

import { describeGotoTarget, eventMatches, formatGotoTarget, GOTO_EVENTS, parseGotoTarget, type GotoEventTarget } from '../debug/goto';
import { formatVirtualTime } from '../debug/moment';
import type { GotoTarget, KEvent, Machine, Moment } from '../machine-types';
import { UsageError, type OptionSpec, type Parsed } from './args';

const EVENT_FORMS = 'zombie:PID, fork:PID, exec:PID, exit:PID, reap:PID, reparent:PID or signal:PID[:SIG]';
const UNTIL_FORMS = `${EVENT_FORMS}, or time:T for a virtual time with its unit (time:12.5ms, time:1500us, time:3s)`;

export const TRAVEL_OPTIONS: readonly OptionSpec[] = [
  { name: 'until', kind: 'string', value: 'EVENT', help: `run until EVENT first happens and stop right after it (${EVENT_FORMS}), or with time:T until the first tick whose virtual clock is at or past T (time:12.5ms, time:1500us, time:2000000ns, time:3s); --pstree, --json, --dmesg then show that moment` },
  { name: 'at', kind: 'integer', value: 'STEP', min: 0, max: Number.MAX_SAFE_INTEGER, help: 'run to machine step STEP and stop there, as --until does' },
];

/** The moment a run stops at: an event, a virtual time (ns), or a step. */
export type Travel = { kind: 'until'; target: GotoEventTarget } | { kind: 'time'; time: number } | { kind: 'at'; step: number };

/** An --until value, `zombie:5` or `zombie 5`, `signal:5:TERM`: an event moment, met going forward. */
export function parseUntil(text: string): GotoEventTarget {
  const words = text.replace(/:/g, ' ').trim().split(/\s+/);
  const head = words[0].toLowerCase();
  if (head === 'step' || head === 'start') throw new UsageError(`run: --until takes an event or a time (${UNTIL_FORMS}); to stop at a step use --at STEP`);
  if (head === 'time') throw new UsageError(`run: --until ${text} is a time, not an event`);
  if (!GOTO_EVENTS.some((e) => e === head)) throw new UsageError(`run: --until needs an event or a time, ${UNTIL_FORMS} (got '${text}')`);
  if (words.length > 1 && words[words.length - 1].toLowerCase() === 'back') throw new UsageError(`run: --until runs forward from the start: 'back' does not apply (got '${text}')`);
  const r = parseGotoTarget(words.join(' '));
  if ('error' in r) throw new UsageError(`run: --until '${text}': ${r.error}`);
  if (r.target.kind !== 'event') throw new UsageError(`run: --until needs an event, ${EVENT_FORMS} (got '${text}')`);
  return { ...r.target, direction: 'forward' };
}

/** An --until time, `time:12.5ms` or `time 12.5ms`: nanoseconds of the virtual clock. */
export function parseUntilTime(text: string): number {
  const r = parseGotoTarget(text.replace(/^\s*time\s*:/i, 'time '));
  if ('error' in r) throw new UsageError(`run: --until '${text}': ${r.error}`);
  if (r.target.kind !== 'time') throw new UsageError(`run: --until needs an event or a time, ${UNTIL_FORMS} (got '${text}')`);
  return r.target.time;
}

/** --until or --at from the parsed command line (undefined: neither); throws UsageError. */
export function travelOf(p: Parsed): Travel | undefined {
  const until = p.strings.get('until');
  const at = p.integers.get('at');
  if (until !== undefined && at !== undefined) throw new UsageError('run: --until and --at each name the moment to stop at: give one of them');
  if (at !== undefined) return { kind: 'at', step: at };
  if (until === undefined) return undefined;
  if (/^\s*time\b/i.test(until)) return { kind: 'time', time: parseUntilTime(until) };
  return { kind: 'until', target: parseUntil(until) };
}

/** Virtual nanoseconds as milliseconds, to the nanosecond and no further: 0.009, 100.005. */
function ms(ns: number): string {
  return (ns / 1e6).toFixed(6).replace(/\.?0+$/, '');
}

/** The travel of one run: where it stops, whether it got there, and the input to replay. */
export class Destination {
  /** The step to stop at: --at's, or --until's event's once the run has met it. */
  private step: number | undefined;
  /** The event --until waits for, once met. */
  private met: KEvent | undefined;
  /** What the terminal was given, in order, so a rebuilt machine reads the same. */
  private readonly inputs: Array<string | null> = [];
  /**
   * --until time: the events of the slice that passed the time, held back until the rebuilt
   * run says which of them came before the moment (null: not passed yet).
   */
  private held: KEvent[] | null = null;

  constructor(readonly travel: Travel) {
    if (travel.kind === 'at') this.step = travel.step;
  }

  private target(): GotoTarget {
    const t = this.travel;
    return t.kind === 'at' ? { kind: 'step', step: t.step } : t.kind === 'time' ? { kind: 'time', time: t.time } : t.target;
  }

  /** The moment in words: `step 120`, `pid 5 became a zombie`, `the first tick at or after 1.500 ms`. */
  what(): string {
    return describeGotoTarget(this.target()).replace(/^when /, '');
  }

  /** The steps the next run() may take (0: the moment is reached, do not run). */
  slice(m: Machine, slice: number): number {
    if (this.travel.kind === 'until') return this.met === undefined ? slice : 0;
    if (this.travel.kind === 'time') return this.held === null ? slice : 0;
    return Math.max(0, Math.min(slice, this.travel.step - m.moment().step));
  }

  /**
   * The events of a stop, machine m's, that come no later than the moment (all of them until it
   * is met). A time: while m's clock is short of it, every tick so far was before the moment;
   * the events of the slice that passes it wait for late().
   */
  take(events: KEvent[], m: Machine): KEvent[] {
    const t = this.travel;
    if (t.kind === 'time') {
      if (this.held !== null || m.moment().time < t.time) return events;
      this.held = events;
      return [];
    }
    if (t.kind === 'until' && this.met === undefined) {
      const ev = events.find((e) => eventMatches(t.target, e));
      if (ev !== undefined) { this.met = ev; this.step = ev.step; }
    }
    const step = this.step;
    if (step === undefined || events.length === 0 || events[events.length - 1].step <= step) return events;
    return events.filter((e) => e.step <= step);
  }

  /** Records a line given to the terminal (null: end of input). */
  input(line: string | null): string | null {
    this.inputs.push(line);
    return line;
  }

  /** Whether machine m, as the run left it, stands at or has passed the moment. */
  reached(m: Machine): boolean {
    if (this.travel.kind === 'until') return this.met !== undefined;
    if (this.travel.kind === 'time') return this.held !== null;
    return m.moment().step >= this.travel.step;
  }

  /** --until time, once arrive() rebuilt the moment: the held events that came no later than it. */
  late(): KEvent[] {
    const step = this.step;
    return this.held === null || step === undefined ? [] : this.held.filter((e) => e.step <= step);
  }

  /**
   * The machine at the moment. For --at it is the one that ran; for --until a fresh one from
   * `boot` run exactly to the event's step (the run that met the event may have gone on a little).
   * `between` is called between slices (progress, letting output drain).
   */
  async arrive(m: Machine, boot: () => Machine, slice: number, between: (m: Machine) => Promise<void>): Promise<Machine> {
    if (this.travel.kind === 'time') return this.arriveAtTime(this.travel.time, boot, between);
    if (this.travel.kind === 'at' || this.step === undefined || this.met === undefined) return m;
    const step = this.step;
    const want = JSON.stringify(this.met);
    const again = boot();
    let seen = false;
    let next = 0;
    while (again.moment().step < step) {
      const stop = again.run(Math.min(slice, step - again.moment().step));
      if (!seen) seen = stop.events.some((e) => e.step === step && JSON.stringify(e) === want);
      if (stop.reason === 'input') { again.input(next < this.inputs.length ? this.inputs[next++] : null); continue; }
      if (stop.reason !== 'yield') break;
      await between(again);
    }
    if (again.moment().step !== step || !seen) {
      throw new Error(`running the scenario again to step ${step} did not reproduce the event (${formatGotoTarget(this.travel.target)}): it reached step ${again.moment().step}`);
    }
    return again;
  }

  /** A fresh machine gone to the first tick at or past `time`, given the same input on the way. */
  private async arriveAtTime(time: number, boot: () => Machine, between: (m: Machine) => Promise<void>): Promise<Machine> {
    const again = boot();
    let next = 0;
    for (;;) {
      again.goto({ kind: 'time', time });
      const stop = again.run();
      if (stop.reason !== 'input' || again.moment().time >= time) break;
      again.input(next < this.inputs.length ? this.inputs[next++] : null);
      await between(again);
    }
    const at = again.moment();
    if (at.time < time) throw new Error(`running the scenario again did not reach ${formatVirtualTime(time)}: it ended at step ${at.step}, ${formatVirtualTime(at.time)}`);
    this.step = at.step;
    return again;
  }

  /** Where the run stopped, said once it stopped (`at`: the machine's moment then). */
  outcome(at: Moment, arrived: boolean): string {
    const when = `step ${at.step} (t=${ms(at.time)} ms)`;
    if (arrived) return this.travel.kind === 'at' ? `stopped at ${when}` : `stopped at ${when}: ${this.what()}`;
    return `the run ended at ${when} before ${this.travel.kind === 'at' ? 'reaching ' : ''}${this.what()}`;
  }

  /** What --json adds: the moment asked for, whether it came, and where the state shown stands. */
  json(m: Machine, reached: boolean): { target: string; reached: boolean; moment: Moment } {
    return { target: formatGotoTarget(this.target()), reached, moment: m.moment() };
  }
}
