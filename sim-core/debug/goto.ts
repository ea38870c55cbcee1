// Moments of a run in words: the one parser of the text the debug console (`lx-goto ...`), the
// CLI (`kproc run --until`) and the views use to name where to travel, and the test of whether a
// kernel event is the moment an event target designates.

import { signame, SIGNAL_NAMES } from '../kernel/consts';
import { signalNumber } from '../lang/builtins';
import type { GotoEvent, GotoTarget, KEvent } from '../machine-types';
import { formatVirtualTime } from './moment';

/** An event target: the moment something happened to one task. */
export type GotoEventTarget = Extract<GotoTarget, { kind: 'event' }>;

export const GOTO_EVENTS: readonly GotoEvent[] = ['fork', 'exec', 'exit', 'zombie', 'reparent', 'reap', 'signal'];

/** PID_MAX_LIMIT on 64-bit: no pid is larger. */
const PID_MAX_LIMIT = 4194304;
/** glibc's SIGRTMIN and SIGRTMAX on x86-64 (the kernel's 32 and 33 are kept by the C library). */
const SIGRTMIN = 34;
const SIGRTMAX = 64;

/** The forms, for error messages. */
export const GOTO_FORMS = 'step N, time T (12.5ms, 1500us, 2000000ns, 3s), start, or EVENT PID [back|forward] with EVENT one of fork, exec, exit, zombie, reparent, reap, signal (signal PID [SIG])';

/** Time units a time target takes, as powers of ten of a nanosecond. */
const TIME_UNITS: Readonly<Record<string, number>> = { ns: 0, us: 3, 'µs': 3, ms: 6, s: 9 };

/**
 * A virtual time with its unit, `12.5ms`, `1500us` (or `µs`), `2000000ns`, `3s`, a space allowed
 * before the unit: whole nanoseconds (the clock counts no finer). The decimal is read exactly, not
 * through floating point. A string is the error, naming what was expected.
 */
export function parseVirtualTime(text: string): number | string {
  const m = /^(\d+)(?:\.(\d+))?\s*([a-zµ]+)?$/i.exec(text.trim());
  const unit = m?.[3]?.toLowerCase();
  if (!m) return `'${text}' is not a time: expected a number and a unit, such as 12.5ms, 1500us, 2000000ns or 3s`;
  if (unit === undefined) return `'${text}' needs a unit: ns, us (or µs), ms or s, as in ${m[0]}ms`;
  const exp = TIME_UNITS[unit];
  if (exp === undefined) return `unknown time unit '${m[3]}' in '${text}': expected ns, us (or µs), ms or s`;
  const frac = m[2] ?? '';
  if (/[1-9]/.test(frac.slice(exp))) return `'${text}' is not a whole number of nanoseconds (the virtual clock counts nanoseconds)`;
  const digits = (m[1] + frac.slice(0, exp).padEnd(exp, '0')).replace(/^0+(?=\d)/, '');
  const ns = Number(digits);
  if (!Number.isSafeInteger(ns)) return `'${text}' is too far: at most ${Number.MAX_SAFE_INTEGER} ns`;
  return ns;
}

/** Nanoseconds in the text parseVirtualTime reads back exactly: 850ns, 12.5us, 1.234567ms. */
export function formatTimeTarget(ns: number): string {
  const exp = ns >= 1e6 ? 6 : ns >= 1e3 ? 3 : 0;
  const unit = exp === 6 ? 'ms' : exp === 3 ? 'us' : 'ns';
  const s = String(ns);
  if (exp === 0) return `${s}${unit}`;
  const whole = s.slice(0, s.length - exp);
  const frac = s.slice(s.length - exp).replace(/0+$/, '');
  return `${whole}${frac === '' ? '' : `.${frac}`}${unit}`;
}

/** A signal by name or number as kill(1) takes it: SIGTERM, TERM, 15, SIGRTMIN+2; undefined if none. */
export function parseSignal(word: string): number | undefined {
  if (/^\d+$/.test(word)) {
    const n = Number(word);
    return n >= 1 && n <= SIGRTMAX ? n : undefined;
  }
  const up = word.toUpperCase();
  const name = up.startsWith('SIG') ? up : `SIG${up}`;
  const rt = /^SIGRT(MIN|MAX)(?:([+-])(\d+))?$/.exec(name);
  if (rt) {
    const base = rt[1] === 'MIN' ? SIGRTMIN : SIGRTMAX;
    const off = rt[3] === undefined ? 0 : Number(rt[3]);
    // SIGRTMIN+n counts up, SIGRTMAX-n down; the other way round leaves the range.
    if (rt[2] !== undefined && (rt[2] === '+') !== (rt[1] === 'MIN')) return undefined;
    const n = rt[1] === 'MIN' ? base + off : base - off;
    return n >= SIGRTMIN && n <= SIGRTMAX ? n : undefined;
  }
  const n = signalNumber(name);
  return n !== undefined && n >= 1 && n <= SIGRTMAX ? n : undefined;
}

function wholeNumber(word: string | undefined, min: number, max: number): number | undefined {
  if (word === undefined || !/^\d+$/.test(word)) return undefined;
  const n = Number(word);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

/**
 * Reads a moment in its text form: `step N`, `time T` (a virtual time with its unit, see
 * parseVirtualTime), `start`, or `EVENT PID` (`signal PID [SIG]`), an
 * event optionally followed by `back` or `forward` (default back). Keywords and signal names are
 * case-insensitive. Never throws: bad text gives an error naming what was expected.
 */
export function parseGotoTarget(text: string): { target: GotoTarget } | { error: string } {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { error: `expected a moment: ${GOTO_FORMS}` };
  const head = words[0].toLowerCase();
  const rest = words.slice(1);
  let direction: 'back' | 'forward' | undefined;
  const last = rest.length > 0 ? rest[rest.length - 1].toLowerCase() : undefined;
  if (last === 'back' || last === 'forward') { direction = last; rest.pop(); }
  const extra = (after: string, from: number): { error: string } | null =>
    rest.length > from ? { error: `unexpected '${rest[from]}' after '${after}'` } : null;
  if (head === 'start') {
    if (direction) return { error: "'start' takes no direction: the start of the run is always behind" };
    return extra('start', 0) ?? { target: { kind: 'start' } };
  }
  if (head === 'step') {
    if (direction) return { error: "'step N' takes no direction: it goes back or forward as step N lies" };
    const step = wholeNumber(rest[0], 0, Number.MAX_SAFE_INTEGER);
    if (step === undefined) return { error: `'step' needs a step number, a whole number from 0 (got ${rest[0] === undefined ? 'nothing' : `'${rest[0]}'`})` };
    return extra(`step ${rest[0]}`, 1) ?? { target: { kind: 'step', step } };
  }
  if (head === 'time') {
    if (direction) return { error: "'time T' takes no direction: it goes back or forward as time T lies" };
    if (rest.length === 0) return { error: "'time' needs a virtual time with its unit, such as 12.5ms, 1500us, 2000000ns or 3s (got nothing)" };
    // A space may part the number from its unit: `time 12.5 ms`.
    const joined = rest.length >= 2 && /^[a-zµ]+$/i.test(rest[1]) ? `${rest[0]}${rest[1]}` : rest[0];
    const ns = parseVirtualTime(joined);
    if (typeof ns === 'string') return { error: `'time': ${ns}` };
    return extra(`time ${joined}`, joined === rest[0] ? 1 : 2) ?? { target: { kind: 'time', time: ns } };
  }
  const event = GOTO_EVENTS.find((e) => e === head);
  if (event === undefined) return { error: `unknown moment '${words[0]}': expected ${GOTO_FORMS}` };
  const pid = wholeNumber(rest[0], 1, PID_MAX_LIMIT);
  if (pid === undefined) return { error: `'${event}' needs a pid from 1 to ${PID_MAX_LIMIT} (got ${rest[0] === undefined ? 'nothing' : `'${rest[0]}'`})` };
  const target: GotoEventTarget = { kind: 'event', event, pid, direction: direction ?? 'back' };
  if (event === 'signal' && rest.length > 1) {
    const sig = parseSignal(rest[1]);
    if (sig === undefined) return { error: `unknown signal '${rest[1]}': expected a name such as SIGTERM or TERM, or a number from 1 to ${SIGRTMAX}` };
    target.sig = sig;
    return extra(`signal ${pid} ${rest[1]}`, 2) ?? { target };
  }
  return extra(`${event} ${pid}`, 1) ?? { target };
}

/**
 * A debug console line that asks to travel, `lx-goto zombie 5`: its target, or the error of its
 * moment prefixed with `lx-goto: `; undefined when the line is another command or an expression.
 */
export function parseGotoCommand(line: string): { target: GotoTarget } | { error: string } | undefined {
  const m = /^\s*lx-goto(?:\s+([^]*))?$/.exec(line);
  if (!m) return undefined;
  const r = parseGotoTarget(m[1] ?? '');
  return 'error' in r ? { error: `lx-goto: ${r.error}` } : r;
}

/** The text form of a target (parseGotoTarget reads it back to the same target). */
export function formatGotoTarget(t: GotoTarget): string {
  if (t.kind === 'start') return 'start';
  if (t.kind === 'step') return `step ${t.step}`;
  if (t.kind === 'time') return `time ${formatTimeTarget(t.time)}`;
  const sig = t.sig === undefined ? '' : ` ${SIGNAL_NAMES[t.sig] || t.sig}`;
  return `${t.event} ${t.pid}${sig} ${t.direction}`;
}

/** The moment in words, for messages: "when pid 5 became a zombie", "step 120000". */
export function describeGotoTarget(t: GotoTarget): string {
  if (t.kind === 'start') return 'the start of the run';
  if (t.kind === 'step') return `step ${t.step}`;
  if (t.kind === 'time') return `the first tick at or after ${formatVirtualTime(t.time)}`;
  const p = `pid ${t.pid}`;
  switch (t.event) {
    case 'fork': return `when ${p} was forked`;
    case 'exec': return `when ${p} executed a new program`;
    case 'exit': return `when ${p} exited`;
    case 'zombie': return `when ${p} became a zombie`;
    case 'reparent': return `when ${p} was reparented`;
    case 'reap': return `when ${p} was reaped`;
    case 'signal': return `when ${p} was sent ${t.sig === undefined ? 'a signal' : signame(t.sig)}`;
  }
}

/**
 * Whether kernel event `ev` is the moment `t` designates: the fork that created the pid, its
 * exec (a thread that execs takes its leader's pid: its old tid counts too), its exit, its
 * becoming a zombie, its reparenting, its reaping, or a signal sent to it (of `sig` when the
 * target names one). A signal counts when it is generated (send_signal_locked, the 'signal'
 * event), not when it is delivered: an ignored, still blocked or never dequeued signal is found too.
 */
export function eventMatches(t: GotoTarget, ev: KEvent): boolean {
  if (t.kind !== 'event') return false;
  switch (t.event) {
    case 'fork': return ev.kind === 'fork' && ev.child === t.pid;
    case 'exec': return ev.kind === 'exec' && (ev.pid === t.pid || ev.oldPid === t.pid);
    case 'exit': return ev.kind === 'exit' && ev.pid === t.pid;
    case 'zombie': return ev.kind === 'zombie' && ev.pid === t.pid;
    case 'reparent': return ev.kind === 'reparent' && ev.pid === t.pid;
    case 'reap': return ev.kind === 'reap' && ev.pid === t.pid;
    case 'signal': return ev.kind === 'signal' && ev.to === t.pid && (t.sig === undefined || ev.sig === t.sig);
  }
}
