// Going back in time: checkpoints of the whole machine (history.ts) and deterministic
// re-execution from them. A search replays segments of the past, newest first, with a dry run
// control that notes where it would have stopped; the machine then re-executes to exactly that
// moment (position.ts), so every task, field, view and output shows it as it was.
import type { task_struct } from '../kernel/task';
import { kaddr_next, set_kaddr_next } from '../kernel/task';
import { sortUnderWay } from '../vm/libc-qsort';
import { VmRegs, type Image, type Trap } from '../vm';
import type { Granularity, KEvent } from '../machine-types';
import type { BreakpointTables } from './breakpoints';
import { RunControl, type ControlHost, type Pending } from './control';
import type { Engine } from './engine';
import type { EngineEnd, StopChecks } from './engine-types';
import { History, type Checkpoint } from './history';
import { comparePositions, type Position } from './position';
import { Snapshotter, type Snapshot } from './snapshot';
import type { VmPort } from './vmport';

/** What the machine keeps beside the engine and the kernel (its own fields), saved with each checkpoint. */
export interface MachineFields {
  readonly [key: string]: unknown;
}

/** The machine as time travel needs it. */
export interface TravelHost {
  readonly engine: Engine;
  readonly port: VmPort;
  readonly image: Image;
  readonly file: string;
  readonly bps: BreakpointTables;
  readonly control: RunControl;
  readonly controlHost: ControlHost;
  saveFields(): MachineFields;
  restoreFields(f: MachineFields): void;
}

/** The index in k.events of the first event emitted after event number `seq`. */
function firstAfter(k: Engine['k'], seq: number): number {
  return Math.max(0, k.events.length - (k.event_seq - seq));
}

/** Where a search found its moment: the position and the stop a forward run would have made there. */
export interface Found {
  pos: Position;
  pending: Pending;
}

interface Saved {
  fields: MachineFields;
  kaddr: number;
}

/** Checks that stop at the first point at or after a position (every point is looked at). */
class TargetChecks implements StopChecks {
  readonly callsTo = null;
  constructor(private readonly engine: Engine, private readonly target: Position) {}
  private reached(): boolean { return comparePositions(this.engine.checkPosition(), this.target) >= 0; }
  user(): boolean { return this.reached(); }
  kernel(): boolean { return this.reached(); }
  changed(): boolean { return false; }
}

/** The checks of a run going forward behind the frontier, stopping too at a change from outside. */
class Guard implements StopChecks {
  readonly callsTo = null;
  hit = false;
  constructor(private readonly engine: Engine, private readonly inner: StopChecks | null, private readonly target: Position) {}
  private reached(): boolean {
    if (comparePositions(this.engine.checkPosition(), this.target) >= 0) this.hit = true;
    return this.hit;
  }
  user(t: task_struct, trap: Trap): boolean { return this.reached() || (this.inner !== null && this.inner.user(t, trap)); }
  kernel(t: task_struct, d: number): boolean { return this.reached() || (this.inner !== null && this.inner.kernel(t, d)); }
  changed(): boolean { return this.inner !== null && this.inner.changed(); }
}

/**
 * A dry run over a segment of the past: asks the run control at each point it wants, notes the
 * last point before `end` where it would have stopped, and ends the run at `end`. With `forkOf`,
 * it also notes the moment task `forkOf` was created and by whom.
 */
class Probe implements StopChecks {
  readonly callsTo: Uint8Array | null;
  last: Found | null = null;
  fork: { pos: Position; parent: number } | null = null;
  done = false;
  private scanned: number;

  constructor(private readonly engine: Engine, private readonly control: RunControl, private readonly end: Position, private readonly forkOf: number | null) {
    this.callsTo = control.callsTo;
    this.scanned = engine.k.event_seq;
  }

  private at(): Position | null {
    const pos = this.engine.checkPosition();
    if (comparePositions(pos, this.end) >= 0) { this.done = true; return null; }
    if (this.forkOf !== null && this.engine.k.event_seq > this.scanned) this.scanForks(pos);
    return pos;
  }

  private scanForks(pos: Position): void {
    const k = this.engine.k;
    const evs = k.events;
    for (let i = firstAfter(k, this.scanned); i < evs.length; i++) {
      const e = evs[i];
      if (e.kind === 'fork' && e.child === this.forkOf) this.fork = { pos, parent: e.parent };
    }
    this.scanned = k.event_seq;
  }

  private note(pos: Position): void {
    const p = this.control.found();
    if (p !== null) this.last = { pos, pending: p };
  }

  user(t: task_struct, trap: Trap): boolean {
    const pos = this.at();
    if (pos === null) return true;
    if (this.control.user(t, trap)) this.note(pos);
    return false;
  }

  kernel(t: task_struct, depthBefore: number): boolean {
    const pos = this.at();
    if (pos === null) return true;
    if (this.control.kernel(t, depthBefore)) this.note(pos);
    return false;
  }

  changed(): boolean {
    const pos = this.at();
    if (pos === null) return true;
    if (this.control.changed()) this.note(pos);
    return false;
  }
}

/** Stops at the first point after an event `match` accepts (every kernel point is looked at). */
export class EventChecks implements StopChecks {
  readonly callsTo = null;
  found: KEvent | null = null;
  last: { pos: Position; event: KEvent } | null = null;
  private scanned: number;

  /** `end`: a search of the past (note the last match before it); null: stop at the first match. */
  constructor(private readonly engine: Engine, private readonly match: (e: KEvent) => boolean, private readonly end: Position | null) {
    this.scanned = engine.k.event_seq;
  }

  private look(): boolean {
    const k = this.engine.k;
    const pos = this.engine.checkPosition();
    if (this.end !== null && comparePositions(pos, this.end) >= 0) return true;
    if (k.event_seq === this.scanned) return false;
    const evs = k.events;
    let hit: KEvent | null = null;
    for (let i = firstAfter(k, this.scanned); i < evs.length; i++) if (this.match(evs[i])) hit = evs[i];
    this.scanned = k.event_seq;
    if (hit === null) return false;
    if (this.end !== null) { this.last = { pos, event: hit }; return false; }
    this.found = hit;
    return true;
  }

  user(): boolean { return this.look(); }
  kernel(): boolean { return this.look(); }
  changed(): boolean { return false; }
}

/** Steps back from a checkpoint beyond which a search keeps a checkpoint of the past it reached. */
const NEAR = 8192;

export class TimeTravel {
  readonly history: History;
  private readonly snap: Snapshotter;
  private readonly saved = new WeakMap<Snapshot, Saved>();
  /** The furthest moment reached, and how many events had been handed out then. */
  frontier: Position;
  frontierTime = 0;
  frontierSeq = 0;

  constructor(private readonly m: TravelHost, budgetBytes: number) {
    this.history = new History(budgetBytes);
    const e = m.engine;
    const k = e.k;
    const shared = (o: object): boolean => {
      if (o === m.port || o === m.bps || o === m.control || o === k.config || o === m.controlHost) return true;
      const r = o as { fnIndex?: unknown; functions?: unknown; handlers?: unknown; at?: unknown };
      // Images (compiled programs) and kernel functions (step tables) are code.
      return (r.fnIndex instanceof Map && Array.isArray(r.functions)) || (Array.isArray(r.handlers) && r.at instanceof Map);
    };
    // The events not yet handed out are not state: a restore comes after a stop handed them out.
    // The engine's clock limit belongs to the goto under way, not to the moment.
    this.snap = new Snapshotter([e, k, e.output], shared, new Map([[k, new Set(['events'])]]), new Map([[e, new Set(['clockLimit'])]]));
    this.frontier = e.position();
  }

  // ---- recording -----------------------------------------------------------------------------

  /** A checkpoint can be taken now: no sort under way (its state is a generator). */
  private canTake(): boolean {
    for (const t of this.m.engine.k.pid_hash.values()) {
      const r = t.thread.regs;
      if (r instanceof VmRegs && sortUnderWay(r)) return false;
    }
    return true;
  }

  checkpoint(pinned = false, past = false): boolean {
    if (!pinned && !this.canTake()) return false;
    const state = this.snap.take();
    this.saved.set(state, { fields: this.m.saveFields(), kaddr: kaddr_next() });
    const c = { pos: this.m.engine.position(), time: this.m.engine.k.clock, state, pinned };
    if (past) this.history.insert(c); else this.history.add(c);
    return true;
  }

  /** Steps the run may go before the next checkpoint is due. */
  dueIn(): number {
    return this.history.dueIn(this.m.engine.k.steps);
  }

  /** At a stop: a checkpoint when one is due. */
  atStop(): void {
    if (this.history.dueAtStop(this.m.engine.k.steps)) this.checkpoint();
  }

  /** The stop's events the run had not handed out before; moves the frontier. */
  handOut(events: KEvent[]): KEvent[] {
    const k = this.m.engine.k;
    const fresh = k.event_seq - this.frontierSeq;
    const pos = this.m.engine.position();
    if (comparePositions(pos, this.frontier) > 0) { this.frontier = pos; this.frontierTime = k.clock; }
    if (fresh <= 0) return [];
    this.frontierSeq = k.event_seq;
    return fresh >= events.length ? events : events.slice(events.length - fresh);
  }

  behind(): boolean {
    return comparePositions(this.m.engine.position(), this.frontier) < 0;
  }

  /** Something from outside changes the machine now: a future already seen is forgotten. */
  changedFromOutside(): void {
    const pos = this.m.engine.position();
    if (this.behind()) {
      this.history.truncateAfter(pos);
      this.frontier = pos;
      this.frontierTime = this.m.engine.k.clock;
      this.frontierSeq = this.m.engine.k.event_seq;
    }
  }

  // ---- re-execution --------------------------------------------------------------------------

  restore(c: Checkpoint): void {
    this.snap.restore(c.state);
    const s = this.saved.get(c.state) as Saved;
    set_kaddr_next(s.kaddr);
    this.m.restoreFields(s.fields);
  }

  /** Runs the engine with `checks` until `until` says so or the run ends on its own. */
  private drive(limit: number, checks: StopChecks | null, until: () => boolean): EngineEnd {
    const e = this.m.engine;
    for (;;) {
      const end = e.run(Infinity, limit, checks);
      if (end.reason !== 'slice' || until()) return end;
    }
  }

  private portFast(): void {
    const p = this.m.port;
    p.stopAtStatements = false;
    p.stopLines = null;
    p.callTraps = false;
  }

  private portFull(): void {
    const p = this.m.port;
    p.stopAtStatements = true;
    p.stopLines = null;
    p.callTraps = false;
  }

  /**
   * Goes forward to the pinned checkpoint `c` (a change from outside) and takes it, unless
   * `inner` (the run's own checks) stops first: then that end is returned, else null.
   */
  crossTo(c: Checkpoint, inner: StopChecks | null): EngineEnd | null {
    const e = this.m.engine;
    const p = this.m.port;
    const was = { s: p.stopAtStatements, l: p.stopLines, c: p.callTraps };
    this.portFull();
    const g = new Guard(e, inner, c.pos);
    const limit = c.pos[1] === 2 ? c.pos[0] : c.pos[0] + 1;
    const at = (): boolean => g.hit || comparePositions(e.position(), c.pos) >= 0;
    const end = this.drive(limit, g, at);
    p.stopAtStatements = was.s; p.stopLines = was.l; p.callTraps = was.c;
    if (!at()) return end;
    this.restore(c);
    this.resyncWatches();
    return null;
  }

  /** From the current state, re-executes to exactly `target` (a moment ahead). */
  runTo(target: Position): void {
    const e = this.m.engine;
    const k = e.k;
    const fast = target[0] - 2;
    if (fast > k.steps) {
      this.portFast();
      this.drive(fast, null, () => k.steps >= fast);
    }
    if (comparePositions(e.position(), target) >= 0) return;
    this.portFull();
    const tc = new TargetChecks(e, target);
    const limit = target[1] === 2 ? target[0] : target[0] + 1;
    this.drive(limit, tc, () => comparePositions(e.position(), target) >= 0 || k.steps >= limit);
  }

  /** Re-executes from the latest checkpoint at or before `target` to it. */
  goTo(target: Position): void {
    this.restore(this.history.atOrBefore(target));
    this.runTo(target);
  }

  /** Re-executes to step `n` exactly (the first moment k.steps is n). */
  goToStep(n: number): void {
    const c = this.history.atOrBefore([n, -1, 0, 0]);
    this.restore(c);
    const k = this.m.engine.k;
    if (k.steps < n) {
      this.portFast();
      this.drive(n, null, () => k.steps >= n);
    }
  }

  // ---- searching the past ----------------------------------------------------------------------

  /** Replays from checkpoint `c` to `end` with a dry control; the last point it would have stopped at. */
  private probe(c: Checkpoint, end: Position, control: RunControl, forkOf: number | null): Probe | null {
    this.restore(c);
    return this.probeHere(end, control, forkOf);
  }

  /**
   * As probe(), over the last `window` steps before `end` only (the state before them reached
   * at full speed); the windows grow until one finds something or covers the segment. Most steps
   * back land a few statements away, far nearer than the segment's checkpoint.
   */
  private probeWindows(c: Checkpoint, end: Position, make: () => RunControl, forkOf: number | null): Probe | null {
    for (let window = 4096; ; window *= 8) {
      const from = end[0] - window;
      if (from <= c.pos[0] + 2) return this.probe(c, end, make(), forkOf);
      this.restore(c);
      this.portFast();
      const k = this.m.engine.k;
      this.drive(from, null, () => k.steps >= from);
      // Kept: the next step back (and the re-execution to this one) starts here.
      if (from - c.pos[0] >= NEAR) this.checkpoint(false, true);
      const p = this.probeHere(end, make(), forkOf);
      if (p !== null && (p.last !== null || p.fork !== null)) return p;
    }
  }

  private probeHere(end: Position, control: RunControl, forkOf: number | null): Probe | null {
    const bps = this.m.bps;
    const lasts = bps.watches.map((w) => w.last);
    this.resyncWatches();
    control.dry = true;
    const checks = control.prepare();
    if (checks === null) return null;
    control.skipEvents();
    const probe = new Probe(this.m.engine, control, end, forkOf);
    this.drive(end[0] + 1, probe, () => probe.done);
    bps.watches.forEach((w, i) => { w.last = lasts[i]; });
    return probe;
  }

  /** Watches compare with the state as it is now (objects of a restored state are new copies). */
  resyncWatches(): void {
    const k = this.m.engine.k;
    for (const w of this.m.bps.watches) {
      const t = k.pid_hash.get(w.pid);
      w.last = t ? (t as unknown as Record<string, unknown>)[w.field] : undefined;
    }
  }

  private control(bps: BreakpointTables): RunControl {
    const m = this.m;
    return new RunControl(m.engine.k, m.port, bps, m.image, m.controlHost);
  }

  /**
   * The last moment before `now` where a continue would have stopped (breakpoints, function
   * breakpoints, data breakpoints, event filters), or null (none since the start).
   */
  findBreak(now: Position): Found | null {
    if (!this.m.bps.any()) return null;
    return this.searchBack(now, (c, end) => {
      const ctl = this.control(this.m.bps);
      ctl.intent = { kind: 'continue' };
      return this.probe(c, end, ctl, null)?.last ?? null;
    });
  }

  /**
   * The last moment before `now` where task `pid` stood at a step boundary at `depth` or above
   * (a step over would stop there). A task created after the segment began: the last statement
   * its parent ran before the fork.
   */
  findStep(now: Position, pid: number, granularity: Granularity, depth: number, empty: BreakpointTables): Found | null {
    let want = { pid, granularity, depth, action: 'over' as 'over' | 'in' };
    let end = now;
    let c: Checkpoint | null = this.history.atOrBefore(now);
    while (c !== null) {
      if (comparePositions(c.pos, end) < 0) {
        const w = want;
        const make = (): RunControl => {
          const ctl = this.control(empty);
          ctl.intent = { kind: 'step', pid: w.pid, action: w.action, granularity: w.granularity, depth: w.depth };
          return ctl;
        };
        const p = this.probeWindows(c, end, make, want.pid);
        if (p !== null && p.last !== null) return p.last;
        if (p !== null && p.fork !== null) {
          // The task did not exist before p.fork: look for its parent's line that forked it.
          want = { pid: p.fork.parent, granularity: 'statement', depth: Number.MAX_SAFE_INTEGER, action: 'over' };
          end = p.fork.pos;
          continue;
        }
      }
      end = c.pos;
      c = this.history.before(c);
    }
    return null;
  }

  /** The last moment before `now` right after an event `match` accepts. */
  findEvent(now: Position, match: (e: KEvent) => boolean): { pos: Position; event: KEvent } | null {
    return this.searchBack(now, (c, end) => {
      this.restore(c);
      this.portFast();
      const ec = new EventChecks(this.m.engine, match, end);
      const k = this.m.engine.k;
      this.drive(end[0] + 1, ec, () => comparePositions(this.m.engine.position(), end) >= 0 || k.steps > end[0]);
      return ec.last;
    });
  }

  /** Segment by segment from the newest: the first (latest) find. */
  private searchBack<T>(now: Position, look: (c: Checkpoint, end: Position) => T | null): T | null {
    let end = now;
    let c: Checkpoint | null = this.history.atOrBefore(now);
    while (c !== null) {
      if (comparePositions(c.pos, end) < 0) {
        const r = look(c, end);
        if (r !== null) return r;
      }
      end = c.pos;
      c = this.history.before(c);
    }
    return null;
  }
}
