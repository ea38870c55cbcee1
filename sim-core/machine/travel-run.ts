// Carrying out a travel intent: stepBack, reverseContinue and goto, each as a search of the past
// (travel.ts) and a re-execution to the moment found, or a run forward to a goto's moment; and
// the machine's run forward with the history kept (runKeepingHistory).
import type { Engine } from './engine';
import type { EngineEnd, StopChecks } from './engine-types';
import type { GotoTarget, Granularity, KEvent } from '../machine-types';
import type { Image } from '../vm';
import { BreakpointTables } from './breakpoints';
import { depthOf, inKernel, type Pending, type RunControl } from './control';
import { EventChecks, type TimeTravel } from './travel';
import type { Checkpoint } from './history';
import { describeGotoTarget, eventMatches } from '../debug/goto';
import { comparePositions, type Position } from './position';

export type TravelIntent =
  | { kind: 'stepBack'; pid: number; granularity?: Granularity }
  | { kind: 'reverse' }
  | { kind: 'goto'; target: GotoTarget };

/** What a travel needs of the machine. */
export interface TravelContext {
  /** The history; null when it is off (only goto forward works then). */
  tt: TimeTravel | null;
  engine: Engine;
  image: Image;
  file: string;
  granularity: Granularity;
  mainPid: number;
  lastPid: number | undefined;
  maxSteps: number;
  /** The run's end when the machine stands at it (final: nothing runs past it), else null. */
  finalEnd(): Pending | null;
  /** The machine's forward run (history kept) with these checks, up to step `limit`. */
  forward(checks: StopChecks | null, limit: number): EngineEnd;
  /** The stop an engine end makes (final ends end the machine). */
  ended(end: EngineEnd): Pending;
  /** The VM stops at nothing (a forward run whose checks look at kernel points only). */
  fastPort(): void;
}

function history(c: TravelContext): TimeTravel {
  if (c.tt === null) throw new Error('going back needs the run\'s history, which is off (history 0)');
  return c.tt;
}

/** Back to the boot (as the entry stop showed it, when the run had one). */
function toStart(c: TravelContext): number {
  const tt = history(c);
  tt.restore(tt.history.first);
  return c.mainPid;
}

export function carryOut(ti: TravelIntent, c: TravelContext): Pending {
  const now = c.engine.position();
  switch (ti.kind) {
    case 'stepBack': {
      const t = c.engine.k.pid_hash.get(ti.pid);
      if (!t) return { reason: 'step', pid: c.lastPid, message: `no task has pid ${ti.pid}` };
      const kernel = ti.granularity === 'kernel' || inKernel(t) || (ti.granularity === undefined && c.granularity === 'kernel');
      const found = history(c).findStep(now, ti.pid, kernel ? 'kernel' : 'statement', depthOf(t), new BreakpointTables(c.image, c.file));
      if (found === null) return { reason: 'entry', pid: toStart(c) };
      history(c).goTo(found.pos);
      return { reason: 'step', pid: found.pending.pid ?? ti.pid };
    }
    case 'reverse': {
      const found = history(c).findBreak(now);
      if (found === null) return { reason: 'entry', pid: toStart(c) };
      history(c).goTo(found.pos);
      return found.pending;
    }
    case 'goto': return goTo(ti.target, now, c);
  }
}

function goTo(target: GotoTarget, now: Position, c: TravelContext): Pending {
  const k = c.engine.k;
  if (target.kind === 'start') return { reason: 'goto', pid: toStart(c) };
  if (target.kind === 'time') return goTime(target.time, now, c);
  if (target.kind === 'step') {
    const n = Math.max(0, Math.min(Math.floor(target.step), c.maxSteps));
    if (n < k.steps) {
      history(c).goToStep(n);
      return { reason: 'goto', pid: c.lastPid };
    }
    const over = c.finalEnd();
    if (n > k.steps && over !== null) return over;
    let end: EngineEnd = { reason: 'slice' };
    while (k.steps < n && end.reason === 'slice') end = c.forward(null, n);
    if (k.steps >= n) return { reason: 'goto', pid: c.lastPid };
    return c.ended(end);
  }
  const match = (e: KEvent): boolean => eventMatches(target, e);
  if (target.direction === 'back') {
    const tt = history(c);
    const found = tt.findEvent(now, match);
    if (found === null) {
      tt.goTo(now);
      return { reason: 'goto', pid: c.lastPid, message: `no moment before step ${now[0]} ${describeGotoTarget(target)}` };
    }
    tt.goTo(found.pos);
    return { reason: 'goto', pid: target.pid, message: `${describeGotoTarget(target)}: step ${found.event.step}` };
  }
  c.fastPort();
  const ec = new EventChecks(c.engine, match, null);
  let end: EngineEnd = { reason: 'slice' };
  while (end.reason === 'slice') end = c.forward(ec, c.maxSteps);
  if (ec.found !== null) return { reason: 'goto', pid: target.pid, message: `${describeGotoTarget(target)}: step ${ec.found.step}` };
  if (end.reason === 'input') return c.ended(end);
  // The run ended first: back to where the goto started (when the history allows).
  if (c.tt === null) return c.ended(end);
  c.tt.goTo(now);
  return { reason: 'goto', pid: c.lastPid, message: `no moment after step ${now[0]} ${describeGotoTarget(target)}: the run ends first` };
}

/** Steps between the checkpoints a goto to a time keeps as it re-executes the past (about 50 ms of it). */
const PAST_INTERVAL = 32_768;

/**
 * To the first tick boundary whose virtual clock is at or past `time` (see GotoTarget). At or
 * before now's clock it lies behind: the latest checkpoint whose clock is before the time is
 * restored and the run re-executed from there (the boot when none is). Ahead, the run goes on
 * from now, or from a later such checkpoint when the history has one (a future already seen),
 * stopping at nothing on the way; the end of the run, when it comes first, is the stop.
 */
function goTime(time: number, now: Position, c: TravelContext): Pending {
  const e = c.engine;
  const back = time <= e.k.clock;
  const tt = back ? history(c) : c.tt;
  let from: Checkpoint | null = null;
  if (tt !== null) {
    const latest = tt.history.beforeTime(time);
    if (latest === null) return { reason: 'goto', pid: toStart(c) };
    if (back || comparePositions(latest.pos, now) > 0) { tt.restore(latest); from = latest; }
  }
  // Past the end of a run that has ended (a checkpoint may be its last moment): the end is
  // final, as for run().
  const over = c.finalEnd();
  if (over !== null) return over;
  c.fastPort();
  e.clockLimit = time;
  const k = e.k;
  let end: EngineEnd = { reason: 'slice' };
  try {
    while (end.reason === 'slice') {
      // Re-executing the past, a checkpoint every PAST_INTERVAL steps: the next time asked for
      // near here (another click on the timeline) starts from one of them.
      const mark = tt !== null && from !== null && tt.behind() ? k.steps + PAST_INTERVAL : Infinity;
      end = c.forward(null, Math.min(c.maxSteps, mark));
      if (tt !== null && k.steps >= mark && k.steps < c.maxSteps && (end.reason === 'slice' || end.reason === 'limit')) {
        tt.checkpoint(false, true);
        end = { reason: 'slice' };
      }
    }
  } finally {
    e.clockLimit = Infinity;
  }
  return end.reason === 'clock' ? { reason: 'goto', pid: c.lastPid } : c.ended(end);
}

/**
 * The engine loop with the history kept: checkpoints when due, and, behind the frontier, a
 * change from outside still ahead (typed input, a signal from the views) taken again at its
 * moment. `limit` is the run's step budget, or a goto's step.
 */
export function runKeepingHistory(tt: TimeTravel, e: Engine, control: RunControl, budget: number, checks: StopChecks | null, limit: number): EngineEnd {
  const k = e.k;
  if (tt.history.count === 0) tt.checkpoint(true);
  const start = k.steps;
  for (;;) {
    const ahead = tt.behind() ? tt.history.pinnedAfter(e.position()) : null;
    let lim = limit;
    if (ahead !== null) {
      if (k.steps >= ahead.pos[0] - 2) {
        const end = tt.crossTo(ahead, checks);
        if (end !== null) return end;
        if (checks === control) control.configureVm();
        continue;
      }
      lim = Math.min(limit, ahead.pos[0] - 2);
    }
    const slice = Math.max(1, Math.min(budget - (k.steps - start), tt.behind() ? Infinity : tt.dueIn()));
    const end = e.run(slice, lim, checks);
    if (end.reason === 'limit' && lim < limit && k.steps < limit) continue;
    if (end.reason !== 'slice') return end;
    const due = !tt.behind() && tt.history.isDue(k.steps);
    if (due) tt.checkpoint();
    if (k.steps - start >= budget || !due) return end;
  }
}
