// The adapter's record of the run for the Process Timeline: every kernel event the machine's stops
// hand out (output and log text left aside), and the tasks that existed at boot. The events are
// folded into the timeline as they are asked for (each stop pays for its new events only), and
// the 'kproc/timeline' request answers the model up to the current moment, whole or, for a
// client that holds the last one handed out, as what changed since.
import type { KEvent, Machine } from '../../sim-core/machine-types';
import { knownTask, TimelineBuilder, TimelineSender, type KnownTask, type TimelineAnswer as SenderAnswer, type TimelineModel } from '../../sim-core/viz/model';

/**
 * Events kept at most (about 200 bytes each): a run past it draws up to the point where the
 * record stopped, and says so. The lifecycle benchmark's million children make ~9 million.
 */
export const TIMELINE_EVENT_LIMIT = 2_000_000;

export interface TimelineBody extends TimelineModel {
  /** Set when the record stopped at the limit: the moment of the last event kept. */
  truncated?: { step: number; time: number };
}

/** The 'kproc/timeline' request's arguments: `deltas` asks for versioned answers, `since` the version the client holds. */
export interface TimelineArgs { deltas?: boolean; since?: number }

/** A versioned answer (TimelineSender.answer): the whole model, or the delta from version `base`. */
export type TimelineAnswer = SenderAnswer<TimelineBody>;

export class TimelineLog {
  private events: KEvent[] = [];
  /** Each kept event's number among all the stops handed out (output included), and how many they handed out. */
  private ordinals: number[] = [];
  private handed = 0;
  /** The number of the first event left out at the limit. */
  private cutAt = Infinity;
  private boot: KnownTask[] = [];
  private truncated?: { step: number; time: number };
  private sched = true;
  /** The events folded in so far (events[0..folded)), and the sender of that builder's models (a new builder, a new sender). */
  private builder?: TimelineBuilder;
  private folded = 0;
  private sender?: TimelineSender;

  constructor(private readonly limit = TIMELINE_EVENT_LIMIT) {}

  /**
   * A fresh record for a machine just booted (launch or restart): the tasks there, each in the
   * state it is in, and whether the machine traces the scheduler (the adapter boots it so), which
   * a log with no event yet (the entry stop) cannot tell.
   */
  reset(m: Machine, sched = true): void {
    this.events = [];
    this.ordinals = [];
    this.handed = 0;
    this.cutAt = Infinity;
    this.truncated = undefined;
    this.sched = sched;
    this.boot = m.tasks().map(knownTask);
    this.builder = undefined;
    this.sender = undefined;
    this.folded = 0;
  }

  record(events: readonly KEvent[]): void {
    for (const e of events) {
      const n = this.handed++;
      if (this.truncated || e.kind === 'output' || e.kind === 'printk' || e.kind === 'log') continue;
      if (this.events.length >= this.limit) {
        const last = this.events[this.events.length - 1];
        this.truncated = { step: last?.step ?? e.step, time: last?.time ?? e.time };
        this.cutAt = n;
        continue;
      }
      this.events.push(e);
      this.ordinals.push(n);
    }
  }

  /**
   * For a change from outside (typed input, a signal from the views), asked just before it: when
   * the machine stands before the furthest moment reached (it went back), the change forgets the
   * future it had seen, and so must the record. Returns what to call once the change is made: the
   * events after this moment go (the next stops hand out the new future), and the model is built
   * again from those kept.
   */
  beforeChange(m: Machine): () => void {
    const upTo = m.history().events;
    return () => { if (upTo !== undefined && upTo < this.handed) this.forget(upTo); };
  }

  /** Keeps the events the run handed out before its `upTo`-th. */
  private forget(upTo: number): void {
    let lo = 0, hi = this.ordinals.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ordinals[mid] < upTo) lo = mid + 1; else hi = mid;
    }
    this.events.length = this.ordinals.length = lo;
    this.handed = upTo;
    if (upTo <= this.cutAt) { this.truncated = undefined; this.cutAt = Infinity; }
    if (lo < this.folded) this.builder = undefined;
  }

  get size(): number {
    return this.events.length;
  }

  /**
   * The builder with every recorded event folded in, and its sender. Its axis starts at the boot's
   * clock 0, or earlier when the log or `now` does (then it is built again from the first event).
   */
  private built(now: number): { b: TimelineBuilder; sender: TimelineSender } {
    const start = Math.min(0, this.events.length ? this.events[0].time : now, now) + 0;
    let b = this.builder, sender = this.sender;
    if (!b || !sender || b.start !== start) {
      b = this.builder = new TimelineBuilder(start, this.sched, this.boot);
      sender = this.sender = new TimelineSender(b);
      this.folded = 0;
    }
    if (this.folded < this.events.length) {
      b.add(this.events, this.folded, this.events.length);
      this.folded = this.events.length;
    }
    return { b, sender };
  }

  private extra(): { truncated?: { step: number; time: number } } {
    return this.truncated ? { truncated: this.truncated } : {};
  }

  /** The model of everything recorded, with the machine's current moment as `now`. */
  model(m: Machine): TimelineBody {
    const now = m.moment();
    const body: TimelineBody = this.built(now.time).b.model(now.time, now.step);
    if (this.truncated) body.truncated = this.truncated;
    return body;
  }

  /**
   * A versioned answer: the delta from `since` when that is the last version handed out and the
   * delta weighs less than half the whole model (a step adds a little to a long run), else the
   * whole model; the sender decides. After a change of the past the builder is made anew, and so
   * is its sender, whose first answer is whole.
   */
  answer(m: Machine, since?: number): TimelineAnswer {
    const now = m.moment();
    return this.built(now.time).sender.answer(now.time, now.step, since, this.extra());
  }
}
