// `kproc run --until EVENT` and `kproc run --at STEP`: run forward to one moment and stop there, so
// that --pstree, --json, --dmesg and --sched-stats show the machine as it stood then. A step is
// reached by handing the machine exactly the steps left. An event is found as the run goes (its
// stop can come a little after it); the state at the event is then rebuilt by booting the same
// scenario again and running it exactly to the event's step, with the same terminal input: the
// simulator is deterministic, so the same steps make the same machine.

import { describeGotoTarget, eventMatches, formatGotoTarget, GOTO_EVENTS, parseGotoTarget, type GotoEventTarget } from '../debug/goto';
import type { KEvent, Machine, Moment } from '../machine-types';
import { UsageError, type OptionSpec, type Parsed } from './args';

const EVENT_FORMS = 'zombie:PID, fork:PID, exec:PID, exit:PID, reap:PID, reparent:PID or signal:PID[:SIG]';

export const TRAVEL_OPTIONS: readonly OptionSpec[] = [
  { name: 'until', kind: 'string', value: 'EVENT', help: `run until EVENT first happens and stop right after it (${EVENT_FORMS}); --pstree, --json, --dmesg then show that moment` },
  { name: 'at', kind: 'integer', value: 'STEP', min: 0, max: Number.MAX_SAFE_INTEGER, help: 'run to machine step STEP and stop there, as --until does' },
];

/** The moment a run stops at. */
export type Travel = { kind: 'until'; target: GotoEventTarget } | { kind: 'at'; step: number };

/** An --until value, `zombie:5` or `zombie 5`, `signal:5:TERM`: an event moment, met going forward. */
export function parseUntil(text: string): GotoEventTarget {
  const words = text.replace(/:/g, ' ').trim().split(/\s+/);
  const head = words[0].toLowerCase();
  if (head === 'step' || head === 'start') throw new UsageError(`run: --until takes an event (${EVENT_FORMS}); to stop at a step use --at STEP`);
  if (!GOTO_EVENTS.some((e) => e === head)) throw new UsageError(`run: --until needs an event, ${EVENT_FORMS} (got '${text}')`);
  if (words.length > 1 && words[words.length - 1].toLowerCase() === 'back') throw new UsageError(`run: --until runs forward from the start: 'back' does not apply (got '${text}')`);
  const r = parseGotoTarget(words.join(' '));
  if ('error' in r) throw new UsageError(`run: --until '${text}': ${r.error}`);
  if (r.target.kind !== 'event') throw new UsageError(`run: --until needs an event, ${EVENT_FORMS} (got '${text}')`);
  return { ...r.target, direction: 'forward' };
}

/** --until or --at from the parsed command line (undefined: neither); throws UsageError. */
export function travelOf(p: Parsed): Travel | undefined {
  const until = p.strings.get('until');
  const at = p.integers.get('at');
  if (until !== undefined && at !== undefined) throw new UsageError('run: --until and --at each name the moment to stop at: give one of them');
  if (at !== undefined) return { kind: 'at', step: at };
  return until === undefined ? undefined : { kind: 'until', target: parseUntil(until) };
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

  constructor(readonly travel: Travel) {
    if (travel.kind === 'at') this.step = travel.step;
  }

  /** The moment in words: `step 120`, `pid 5 became a zombie`. */
  what(): string {
    return this.travel.kind === 'at' ? `step ${this.travel.step}` : describeGotoTarget(this.travel.target).replace(/^when /, '');
  }

  /** The steps the next run() may take (0: the moment is reached, do not run). */
  slice(m: Machine, slice: number): number {
    if (this.travel.kind === 'until') return this.met === undefined ? slice : 0;
    return Math.max(0, Math.min(slice, this.travel.step - m.moment().step));
  }

  /** The events of a stop that come no later than the moment (all of them until it is met). */
  take(events: KEvent[]): KEvent[] {
    const t = this.travel;
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
    return m.moment().step >= this.travel.step;
  }

  /**
   * The machine at the moment. For --at it is the one that ran; for --until a fresh one from
   * `boot` run exactly to the event's step (the run that met the event may have gone on a little).
   * `between` is called between slices (progress, letting output drain).
   */
  async arrive(m: Machine, boot: () => Machine, slice: number, between: (m: Machine) => Promise<void>): Promise<Machine> {
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

  /** Where the run stopped, said once it stopped (`at`: the machine's moment then). */
  outcome(at: Moment, arrived: boolean): string {
    const when = `step ${at.step} (t=${ms(at.time)} ms)`;
    if (arrived) return this.travel.kind === 'at' ? `stopped at ${when}` : `stopped at ${when}: ${this.what()}`;
    return `the run ended at ${when} before ${this.travel.kind === 'at' ? 'reaching ' : ''}${this.what()}`;
  }

  /** What --json adds: the moment asked for, whether it came, and where the state shown stands. */
  json(m: Machine, reached: boolean): { target: string; reached: boolean; moment: Moment } {
    return { target: this.travel.kind === 'at' ? `step ${this.travel.step}` : formatGotoTarget(this.travel.target), reached, moment: m.moment() };
  }
}
