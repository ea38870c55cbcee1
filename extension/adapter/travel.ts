// Going back in time, as the session offers it: the goto request's target read into the machine's
// GotoTarget (with the one parser, sim-core/debug/goto.ts), the answer a travel request waits for,
// what a stop that went back says in the debug console, and the moment event every stop sends.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { parseGotoTarget } from '../../sim-core/debug/goto';
import { formatMoment, type MomentBody } from '../../sim-core/debug/moment';
import type { GotoTarget, Granularity, Moment, Stop } from '../../sim-core/machine-types';

/** A goto target's text that does not read as one, with what was expected. */
export class GotoSyntaxError extends Error {}

/** DAP's step granularity as the machine's: 'instruction' is a kernel step, else the machine picks. */
export function machineGranularity(granularity: string | undefined): Granularity | undefined {
  return granularity === 'instruction' ? 'kernel' : undefined;
}

/** A request answered when the run it started stops (kproc/goto, lx-goto), just before the stopped event. */
export class AnswerSlot {
  private waiting?: { response: DebugProtocol.Response; answer: (stop: Stop, moment: MomentBody) => void };

  wait(response: DebugProtocol.Response, answer: (stop: Stop, moment: MomentBody) => void): void {
    this.waiting = { response, answer };
  }

  settle(stop: Stop, moment: MomentBody): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.answer(stop, moment);
  }

  /** The run was abandoned (restart, end): the request fails saying so. */
  abandon(fail: (response: DebugProtocol.Response, message: string) => void, why: string): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) fail(w.response, `The travel did not arrive: ${why}.`);
  }
}

/**
 * The target of a kproc/goto request: `{target: text}`, `{step: n}`, or `{time: ns}` (virtual
 * nanoseconds: the first tick at or past it; a fraction goes up to the next whole nanosecond).
 */
export function gotoTargetOf(args: { target?: unknown; step?: unknown; time?: unknown }): GotoTarget {
  if (typeof args.target === 'string') {
    const r = parseGotoTarget(args.target);
    if ('error' in r) throw new GotoSyntaxError(r.error);
    return r.target;
  }
  if (typeof args.step === 'number' && Number.isInteger(args.step) && args.step >= 0) return { kind: 'step', step: args.step };
  if (typeof args.time === 'number' && Number.isFinite(args.time)) return { kind: 'time', time: Math.max(0, Math.ceil(args.time)) };
  throw new GotoSyntaxError(`kproc/goto needs 'target' (text such as "zombie 5" or "time 1.5ms"), 'step' (a step number 0 or more) or 'time' (virtual nanoseconds)`);
}

/** The custom event's body for a stop at `now`. */
export function momentBody(stop: Stop, now: Moment): MomentBody {
  const at = stop.moment ?? now;
  const body: MomentBody = { step: at.step, time: at.time };
  if (stop.frontier) body.frontier = { step: stop.frontier.step, time: stop.frontier.time };
  if (stop.travelled === 'back') body.travelled = 'back';
  return body;
}

/**
 * A goto that found no such moment: the machine says why in the stop's message and stays where it
 * was. (A goto that arrives may carry a message too, saying where: "pid 4 became a zombie at step 209".)
 */
export function gotoMissed(stop: Stop, before: Moment, after: MomentBody): boolean {
  if (stop.reason !== 'goto' || !stop.message || stop.travelled === 'back') return false;
  if (after.step !== before.step || after.time !== before.time) return false;
  return !/\bat step \d+$/.test(stop.message);
}

/** The debug console's line after a stop that went back in time. */
export function wentBackText(body: MomentBody): string {
  const reached = body.frontier ? ` (the run has been as far as ${formatMoment(body.frontier)})` : '';
  return `Went back to ${formatMoment(body)}: output printed after this moment is in the future${reached}.\n`;
}

/** What a travel request answers once its stop is known. */
export function reachedText(body: MomentBody): string {
  const past = body.frontier ? `, in the past (the run has been as far as ${formatMoment(body.frontier)})` : '';
  return `now at ${formatMoment(body)}${past}`;
}

