// Where a stop is in the run, as the debugger's clients show it: the custom event sent after every
// stop, the custom request that travels to a moment, and the one text form of a moment
// ("step 120,000 · 1.234 ms") that the status bar and the debug console share.

import type { Moment } from '../machine-types';

/** The custom event the adapter sends at every stop (before the DAP stopped event). */
export const MOMENT_EVENT = 'kproc/moment';

export interface MomentBody {
  step: number;
  /** Virtual time in nanoseconds. */
  time: number;
  /** The furthest moment the run has reached, when this stop is before it. */
  frontier?: Moment;
  /** The run went back in time to reach this stop. */
  travelled?: 'back';
}

/**
 * The custom request that travels to a moment: `target` in the text form of goto targets
 * ("zombie 5", "signal 4 SIGTERM forward", "step 120000", "time 1.5ms", "start"), a step number,
 * or a virtual time in nanoseconds (the first tick at or past it). It is answered with the Moment
 * reached, then the stop follows with reason 'goto'.
 */
export const GOTO_REQUEST = 'kproc/goto';

export type GotoArgs =
  | { target: string; step?: undefined; time?: undefined }
  | { step: number; target?: undefined; time?: undefined }
  | { time: number; target?: undefined; step?: undefined };

/** 1234567 as "1,234,567". */
export function groupDigits(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  return `${n < 0 ? '-' : ''}${s.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** Virtual nanoseconds in the largest unit that keeps a whole part: "850 ns", "12.500 µs", "1.234 ms", "2.000 s". */
export function formatVirtualTime(ns: number): string {
  if (ns < 1e3) return `${Math.round(ns)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(3)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}

/** "step 120,000 · 1.234 ms". */
export function formatMoment(m: Moment): string {
  return `step ${groupDigits(m.step)} · ${formatVirtualTime(m.time)}`;
}

/** Checks a custom event's body (it crosses a process boundary) and returns it typed, or undefined. */
export function parseMomentBody(body: unknown): MomentBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const isMoment = (v: unknown): v is Moment => typeof v === 'object' && v !== null
    && typeof (v as Moment).step === 'number' && typeof (v as Moment).time === 'number';
  if (typeof b.step !== 'number' || typeof b.time !== 'number') return undefined;
  const out: MomentBody = { step: b.step, time: b.time };
  if (isMoment(b.frontier)) out.frontier = { step: b.frontier.step, time: b.frontier.time };
  if (b.travelled === 'back') out.travelled = 'back';
  return out;
}
