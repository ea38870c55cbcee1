// kernel/sched/fair.c in miniature: one CFS run queue per CPU, ordered by vruntime (the kernel
// keeps an rbtree; a sorted array gives the same leftmost-first order for our sizes).

import * as C from './consts';
import { NS_ZERO, type task_struct } from './task';

/** sysctl_sched_latency (6 ms) and the minimum granularity (0.75 ms), in nanoseconds. */
export const SCHED_LATENCY_NS = 6_000_000;
export const SCHED_MIN_GRANULARITY_NS = C.SCHED_BASE_SLICE_NS;

export class RunQueue {
  /** Runnable tasks other than curr, leftmost (smallest vruntime) first: the timeline. */
  readonly timeline: task_struct[] = [];
  curr: task_struct | null = null;
  /** The idle task (swapper) this CPU runs when nothing is runnable. */
  idle: task_struct | null = null;
  min_vruntime = NS_ZERO;
  /** Set when curr must give up the CPU at the end of this step. */
  need_resched = false;
  /** Virtual ns the current task has run since it was picked. */
  slice_used = 0;

  constructor(readonly cpu: number) {}

  nr_running(): number {
    return this.timeline.length + (this.curr && this.curr.se.on_rq ? 1 : 0);
  }

  /** enqueue_entity: inserts in vruntime order; equal keys go right, as in the rbtree. */
  enqueue(p: task_struct, wakeup: boolean): void {
    if (wakeup) {
      // place_entity for a waking sleeper: no more than half a latency of credit.
      const floor = this.min_vruntime - SCHED_LATENCY_NS / 2;
      if (p.se.vruntime < floor) p.se.vruntime = floor;
    }
    p.se.on_rq = true;
    p.cpu = this.cpu;
    if (p === this.curr) return;
    const tl = this.timeline;
    let lo = 0;
    let hi = tl.length;
    const v = p.se.vruntime;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tl[mid].se.vruntime <= v) lo = mid + 1; else hi = mid;
    }
    // In place (splice would allocate the array of removed elements on every call).
    tl.push(p);
    for (let j = tl.length - 1; j > lo; j--) tl[j] = tl[j - 1];
    tl[lo] = p;
  }

  /** dequeue_entity: the task leaves the run queue (it sleeps, stops or dies). */
  dequeue(p: task_struct): void {
    p.se.on_rq = false;
    const i = this.timeline.indexOf(p);
    if (i === 0) this.timeline.shift();
    else if (i > 0) {
      const tl = this.timeline;
      for (let j = i + 1; j < tl.length; j++) tl[j - 1] = tl[j];
      tl.pop();
    }
  }

  /** update_curr: charges `delta` ns of runtime to curr, weighted by its nice level. */
  update_curr(delta: number): void {
    const p = this.curr;
    if (!p) return;
    p.se.sum_exec_runtime += delta;
    p.se.vruntime += p.se.load_weight === C.NICE_0_LOAD ? delta : (delta * C.NICE_0_LOAD) / p.se.load_weight;
    this.slice_used += delta;
    this.update_min_vruntime();
  }

  update_min_vruntime(): void {
    let v = this.curr && this.curr.se.on_rq ? this.curr.se.vruntime : Infinity;
    if (this.timeline.length > 0 && this.timeline[0].se.vruntime < v) v = this.timeline[0].se.vruntime;
    if (v !== Infinity && v > this.min_vruntime) this.min_vruntime = v;
  }

  /** The slice curr may run before a tick preempts it (sched_slice). */
  sched_slice(): number {
    const n = this.nr_running();
    const period = n > 8 ? n * SCHED_MIN_GRANULARITY_NS : SCHED_LATENCY_NS;
    return Math.max(SCHED_MIN_GRANULARITY_NS, period / Math.max(1, n));
  }

  /** check_preempt_tick: curr used its slice and a task further left is waiting. */
  should_preempt(): boolean {
    const p = this.curr;
    if (!p || this.timeline.length === 0) return false;
    if (!p.se.on_rq) return true;
    return this.slice_used >= this.sched_slice() && this.timeline[0].se.vruntime < p.se.vruntime;
  }

  /**
   * pick_next_task_fair + put_prev_task: curr goes back into the timeline if still runnable,
   * and the leftmost task becomes curr. Returns the new curr (null = idle).
   */
  pick_next(): task_struct | null {
    const prev = this.curr;
    if (prev) {
      prev.on_cpu = false;
      if (prev.se.on_rq) {
        this.curr = null;
        prev.se.on_rq = false;
        this.enqueue(prev, false);
      }
    }
    const next = this.timeline.shift() ?? null;
    this.curr = next;
    this.slice_used = 0;
    this.need_resched = false;
    if (next) next.on_cpu = true;
    this.update_min_vruntime();
    return next;
  }
}
