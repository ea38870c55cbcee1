// The adapter's record of the run for the Process Timeline: every kernel event the machine's stops
// hand out (output and log text left aside), and the tasks that existed at boot, from which the
// 'kproc/timeline' request builds the model up to the current moment.
import type { KEvent, Machine } from '../../sim-core/machine-types';
import { buildTimeline, knownTask, type KnownTask, type TimelineModel } from '../../sim-core/viz/model';

/**
 * Events kept at most (about 200 bytes each): a run past it draws up to the point where the
 * record stopped, and says so. The lifecycle benchmark's million children make ~9 million.
 */
export const TIMELINE_EVENT_LIMIT = 2_000_000;

export interface TimelineBody extends TimelineModel {
  /** Set when the record stopped at the limit: the moment of the last event kept. */
  truncated?: { step: number; time: number };
}

export class TimelineLog {
  private events: KEvent[] = [];
  private boot: KnownTask[] = [];
  private truncated?: { step: number; time: number };
  private sched = true;

  constructor(private readonly limit = TIMELINE_EVENT_LIMIT) {}

  /**
   * A fresh record for a machine just booted (launch or restart): the tasks there, each in the
   * state it is in, and whether the machine traces the scheduler (the adapter boots it so), which
   * a log with no event yet (the entry stop) cannot tell.
   */
  reset(m: Machine, sched = true): void {
    this.events = [];
    this.truncated = undefined;
    this.sched = sched;
    this.boot = m.tasks().map(knownTask);
  }

  record(events: readonly KEvent[]): void {
    if (this.truncated) return;
    for (const e of events) {
      if (e.kind === 'output' || e.kind === 'printk' || e.kind === 'log') continue;
      if (this.events.length >= this.limit) {
        const last = this.events[this.events.length - 1];
        this.truncated = { step: last?.step ?? e.step, time: last?.time ?? e.time };
        return;
      }
      this.events.push(e);
    }
  }

  get size(): number {
    return this.events.length;
  }

  /** The model of everything recorded, with the machine's current moment as `now`. */
  model(m: Machine): TimelineBody {
    const now = m.moment();
    const body: TimelineBody = buildTimeline(this.events, { now: now.time, nowStep: now.step, tasks: this.boot, sched: this.sched });
    if (this.truncated) body.truncated = this.truncated;
    return body;
  }
}
