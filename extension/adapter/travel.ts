// Going back in time, as the session offers it: the goto request's and the console's `lx-goto`
// targets read into the machine's GotoTarget, what a stop that went back says in the debug
// console, and the body of the moment event every stop sends.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { signalName } from '../../sim-core/debug/protocol';
import { formatMoment, type MomentBody } from '../../sim-core/debug/moment';
import type { GotoEvent, GotoTarget, Granularity, Moment, Stop } from '../../sim-core/machine-types';

/** `lx-goto TARGET` in the debug console travels (the rest of the line is the target's text). */
export const LX_GOTO = /^\s*lx-goto(?:\s+(.*))?$/s;

const EVENTS: ReadonlySet<string> = new Set<GotoEvent>(['fork', 'exec', 'exit', 'zombie', 'reparent', 'reap', 'signal']);

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

const USAGE = 'step N | start | fork PID | exec PID | exit PID | zombie PID | reparent PID | reap PID | signal PID [SIG], then optionally back or forward';

/** A signal named SIGTERM, TERM or 15 (x86-64 numbering), or undefined. */
function signalNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= 1 && n <= 64 ? n : undefined;
  }
  const want = text.toUpperCase().startsWith('SIG') ? text.toUpperCase() : `SIG${text.toUpperCase()}`;
  for (let n = 1; n <= 64; n++) if (signalName(n) === want) return n;
  return undefined;
}

/**
 * Reads the text form of a goto target (the one the console, the CLI and the views share):
 * `step N`, `start`, or an event about a pid, optionally followed by `back` or `forward`.
 */
export function parseGotoText(text: string): GotoTarget {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (!words.length) throw new GotoSyntaxError(`lx-goto needs a target: ${USAGE}`);
  const [what, ...rest] = words;
  const kind = what.toLowerCase();
  if (kind === 'start') {
    if (rest.length) throw new GotoSyntaxError(`'start' takes nothing after it (got '${rest.join(' ')}')`);
    return { kind: 'start' };
  }
  if (kind === 'step') {
    if (rest.length !== 1 || !/^\d[\d,_]*$/.test(rest[0])) throw new GotoSyntaxError(`'step' needs a step number, as in 'step 120000' (got '${rest.join(' ')}')`);
    return { kind: 'step', step: Number(rest[0].replace(/[,_]/g, '')) };
  }
  if (!EVENTS.has(kind)) throw new GotoSyntaxError(`unknown goto target '${what}': ${USAGE}`);
  let direction: 'back' | 'forward' = 'back';
  const last = rest[rest.length - 1]?.toLowerCase();
  if (last === 'back' || last === 'forward') {
    direction = last;
    rest.pop();
  }
  const [pidText, sigText, ...extra] = rest;
  if (pidText === undefined || !/^\d+$/.test(pidText) || Number(pidText) < 1) throw new GotoSyntaxError(`'${kind}' needs a pid, as in '${kind} 5' (got '${pidText ?? ''}')`);
  const target: GotoTarget = { kind: 'event', event: kind as GotoEvent, pid: Number(pidText), direction };
  if (sigText !== undefined) {
    if (kind !== 'signal') throw new GotoSyntaxError(`'${kind} ${pidText}' takes no more than back or forward (got '${sigText}')`);
    const sig = signalNumber(sigText);
    if (sig === undefined) throw new GotoSyntaxError(`'${sigText}' is not a signal (SIGTERM, TERM or 15)`);
    target.sig = sig;
  }
  if (extra.length) throw new GotoSyntaxError(`unexpected '${extra.join(' ')}' after the target: ${USAGE}`);
  return target;
}

/** The target of a kproc/goto request: `{target: text}` or `{step: n}`. */
export function gotoTargetOf(args: { target?: unknown; step?: unknown }): GotoTarget {
  if (typeof args.target === 'string') return parseGotoText(args.target);
  if (typeof args.step === 'number' && Number.isInteger(args.step) && args.step >= 0) return { kind: 'step', step: args.step };
  throw new GotoSyntaxError(`kproc/goto needs 'target' (text such as "zombie 5") or 'step' (a step number 0 or more)`);
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

/** The console's completion of `lx-goto` and of its target's first word (DAP columns, 1-based). */
export function gotoCompletions(text: string, column: number): DebugProtocol.CompletionItem[] {
  const before = text.slice(0, Math.max(0, column - 1));
  const command = /^(\s*)(lx-[a-z-]*)$/.exec(before);
  if (command && 'lx-goto'.startsWith(command[2]) && command[2] !== 'lx-goto') {
    return [{ label: 'lx-goto', type: 'keyword', detail: `travel to a moment: ${USAGE}`, start: command[1].length + 1, length: command[2].length }];
  }
  const target = /^\s*lx-goto\s+([a-z]*)$/.exec(before);
  if (!target) return [];
  const word = target[1];
  return ['step', 'start', ...EVENTS].filter((w) => w.startsWith(word) && w !== word)
    .map((w) => ({ label: w, type: 'keyword', start: before.length - word.length + 1, length: word.length }));
}
