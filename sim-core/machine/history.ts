// The history that going back rests on: whole-machine checkpoints at moments chosen by what they
// cost, within a memory budget that thins old ones (an older moment then costs more
// re-execution, it never becomes unreachable), and the furthest moment the run has reached.
import { comparePositions, type Position } from './position';
import type { Snapshot } from './snapshot';

/** A checkpoint: the machine's state at a moment. */
export interface Checkpoint {
  readonly pos: Position;
  /** The virtual clock then (k.clock, nanoseconds). */
  readonly time: number;
  readonly state: Snapshot;
  /**
   * Taken right after something from outside changed the machine (typed input, a signal sent
   * from the views): re-execution cannot make that change, so the checkpoint is never thinned.
   */
  readonly pinned: boolean;
}

export const DEFAULT_HISTORY_BYTES = 256 * 1024 * 1024;
/**
 * Steps between two checkpoints at least, and per object a checkpoint copies: copying an object
 * costs several steps, and 250 steps per object keeps checkpoints to a few percent of the run.
 */
const MIN_INTERVAL = 20_000;
const STEPS_PER_OBJECT = 250;
/** At a stop, a checkpoint when this many steps have run since the last (a human is waiting anyway). */
const STOP_INTERVAL = 2_000;

export class History {
  /** In the order of their moments; the first is the boot. */
  private readonly list: Checkpoint[] = [];
  private total = 0;

  constructor(readonly budgetBytes: number) {}

  get bytes(): number { return this.total; }
  get count(): number { return this.list.length; }
  get first(): Checkpoint { return this.list[0]; }

  /** Steps the run may go before the next checkpoint is due. */
  dueIn(steps: number): number {
    const last = this.list[this.list.length - 1];
    return Math.max(1, last.pos[0] + this.interval(last) - steps);
  }

  /** A checkpoint is due at `steps` while running. */
  isDue(steps: number): boolean {
    const last = this.list[this.list.length - 1];
    return steps - last.pos[0] >= this.interval(last);
  }

  /** A checkpoint is due at a stop at `steps`. */
  dueAtStop(steps: number): boolean {
    const last = this.list[this.list.length - 1];
    return steps - last.pos[0] >= Math.min(STOP_INTERVAL, this.interval(last));
  }

  private interval(c: Checkpoint): number {
    return Math.max(MIN_INTERVAL, STEPS_PER_OBJECT * c.state.objects);
  }

  add(c: Checkpoint): void {
    // Moments only grow while recording; a checkpoint at the same moment replaces the older one.
    while (this.list.length > 1 && comparePositions(this.list[this.list.length - 1].pos, c.pos) >= 0 && !this.list[this.list.length - 1].pinned) {
      this.total -= (this.list.pop() as Checkpoint).state.bytes;
    }
    this.list.push(c);
    this.total += c.state.bytes;
    this.thin();
  }

  /** A checkpoint of the past (taken while re-executing), put in its place among the others. */
  insert(c: Checkpoint): void {
    const before = this.atOrBefore(c.pos);
    if (comparePositions(before.pos, c.pos) === 0) return;
    this.list.splice(this.list.indexOf(before) + 1, 0, c);
    this.total += c.state.bytes;
    this.thin();
  }

  /** The latest checkpoint at or before `pos`. */
  atOrBefore(pos: Position): Checkpoint {
    let lo = 0, hi = this.list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (comparePositions(this.list[mid].pos, pos) <= 0) lo = mid; else hi = mid - 1;
    }
    return this.list[lo];
  }

  /**
   * The latest checkpoint whose clock is before `time` (null: none, the time is at or before the
   * boot's). The clock never goes back, so it grows (or stays) along the list.
   */
  beforeTime(time: number): Checkpoint | null {
    if (this.list.length === 0 || this.list[0].time >= time) return null;
    let lo = 0, hi = this.list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.list[mid].time < time) lo = mid; else hi = mid - 1;
    }
    return this.list[lo];
  }

  /** The checkpoint before `c` (null for the first). */
  before(c: Checkpoint): Checkpoint | null {
    const i = this.list.indexOf(c);
    return i > 0 ? this.list[i - 1] : null;
  }

  /** The first pinned checkpoint after `pos` (a change from outside still ahead), if any. */
  pinnedAfter(pos: Position): Checkpoint | null {
    for (const c of this.list) if (c.pinned && comparePositions(c.pos, pos) > 0) return c;
    return null;
  }

  /** The past was changed at `pos`: what comes after it is another future, forgotten. */
  truncateAfter(pos: Position): void {
    while (this.list.length > 1 && comparePositions(this.list[this.list.length - 1].pos, pos) > 0) {
      this.total -= (this.list.pop() as Checkpoint).state.bytes;
    }
  }

  /**
   * Over budget: every other unpinned checkpoint of the older half goes (never the boot), which
   * keeps checkpoints dense near the present, where stepping back happens.
   */
  private thin(): void {
    while (this.total > this.budgetBytes && this.list.length > 2) {
      const half = Math.max(2, this.list.length >> 1);
      let dropped = false;
      for (let i = half - 1; i >= 1; i -= 2) {
        const c = this.list[i];
        if (c.pinned) continue;
        this.list.splice(i, 1);
        this.total -= c.state.bytes;
        dropped = true;
        if (this.total <= this.budgetBytes) return;
      }
      if (!dropped) {
        // Only pinned ones are old: thin the newer half too, the latest checkpoint excepted.
        const i = this.list.findIndex((c, j) => j > 0 && j < this.list.length - 1 && !c.pinned);
        if (i < 0) return;
        this.total -= this.list.splice(i, 1)[0].state.bytes;
      }
    }
  }
}
