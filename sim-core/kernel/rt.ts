// kernel/sched/rt.c: the real-time class's run queue (struct rt_rq) of one CPU. SCHED_FIFO and
// SCHED_RR tasks wait on one list per priority (rt_prio_array: prio 0..99, 0 the highest) and
// the CPU runs the head of the highest non-empty list before any fair task. A running RT task
// stays at the head of its list: FIFO keeps the CPU until it blocks, yields or exits (or a
// higher priority wakes), RR goes to the tail of its list each RR_TIMESLICE of running.

import * as C from './consts';
import type { task_struct } from './task';

/** CONFIG_HZ=250: one scheduler tick, in nanoseconds. */
const TICK_NSEC = 4_000_000;

/** rt_prio(prio): the priority belongs to the real-time class (0..99). */
export function rt_prio(prio: number): boolean {
  return prio < C.MAX_RT_PRIO;
}

/** rt_task(p): p is scheduled by the real-time class. */
export function rt_task(p: task_struct): boolean {
  return p.prio < C.MAX_RT_PRIO;
}

export function rt_policy(policy: number): boolean {
  return policy === C.SCHED_FIFO || policy === C.SCHED_RR;
}

export function fair_policy(policy: number): boolean {
  return policy === C.SCHED_NORMAL || policy === C.SCHED_BATCH || policy === C.SCHED_IDLE;
}

export function valid_policy(policy: number): boolean {
  return fair_policy(policy) || rt_policy(policy) || policy === C.SCHED_DEADLINE;
}

/** __normal_prio: 99 - rt_priority for the RT policies, static_prio (from nice) otherwise. */
export function normal_prio(policy: number, rt_priority: number, static_prio: number): number {
  return rt_policy(policy) ? C.MAX_RT_PRIO - 1 - rt_priority : static_prio;
}

/** The policy's name as <sched.h> spells it (SCHED_OTHER for SCHED_NORMAL, as glibc does). */
export function policyName(policy: number): string {
  switch (policy) {
    case C.SCHED_NORMAL: return 'SCHED_OTHER';
    case C.SCHED_FIFO: return 'SCHED_FIFO';
    case C.SCHED_RR: return 'SCHED_RR';
    case C.SCHED_BATCH: return 'SCHED_BATCH';
    case C.SCHED_IDLE: return 'SCHED_IDLE';
    default: return `policy ${policy}`;
  }
}

export class rt_rq {
  /** active.queue[prio]: the runnable RT tasks of each priority, head first (curr included). */
  readonly queue: task_struct[][] = [];
  rt_nr_running = 0;
  /** Nanoseconds of RT running since the last tick the class saw (task_tick_rt runs once a jiffy). */
  private tick_ns = 0;

  constructor() {
    for (let i = 0; i < C.MAX_RT_PRIO; i++) this.queue.push([]);
  }

  /** rt_rq->highest_prio.curr: the best queued priority (MAX_RT_PRIO when empty). */
  highest_prio(): number {
    if (this.rt_nr_running === 0) return C.MAX_RT_PRIO;
    for (let i = 0; i < C.MAX_RT_PRIO; i++) if (this.queue[i].length > 0) return i;
    return C.MAX_RT_PRIO;
  }

  /** enqueue_task_rt: onto the tail of its priority's list (the head with ENQUEUE_HEAD). */
  enqueue_task_rt(p: task_struct, head = false): void {
    if (p.rt.on_rq) return;
    const q = this.queue[p.prio];
    if (head) q.unshift(p); else q.push(p);
    p.rt.on_rq = true;
    this.rt_nr_running++;
  }

  /** dequeue_task_rt: off its list (it sleeps, exits, or leaves the class). */
  dequeue_task_rt(p: task_struct): void {
    if (!p.rt.on_rq) return;
    const q = this.queue[p.prio];
    const i = q.indexOf(p);
    if (i >= 0) q.splice(i, 1);
    p.rt.on_rq = false;
    this.rt_nr_running--;
  }

  /** requeue_task_rt: to the tail (or head) of its own list; the others of that priority move up. */
  requeue_task_rt(p: task_struct, head = false): void {
    const q = this.queue[p.prio];
    const i = q.indexOf(p);
    if (i < 0) return;
    q.splice(i, 1);
    if (head) q.unshift(p); else q.push(p);
  }

  /** pick_next_rt_entity: the head of the highest priority's list. */
  pick_next_task_rt(): task_struct | null {
    const prio = this.highest_prio();
    return prio < C.MAX_RT_PRIO ? this.queue[prio][0] : null;
  }

  /**
   * update_curr_rt and, once per tick of running, task_tick_rt. Returns true when curr must
   * give up the CPU: an RR task whose time_slice ran out while others of its priority wait
   * (it went to the tail of its list). FIFO has no slice.
   */
  task_tick(p: task_struct, delta: number): boolean {
    if (!this.update_curr_rt(p, delta)) return false;
    return this.task_tick_rt(p);
  }

  /** update_curr_rt: charges `delta` ns to p; true when a jiffy of running has passed (a tick). */
  update_curr_rt(p: task_struct, delta: number): boolean {
    p.se.sum_exec_runtime += delta;
    this.tick_ns += delta;
    if (this.tick_ns < TICK_NSEC) return false;
    this.tick_ns -= TICK_NSEC;
    return true;
  }

  /** task_tick_rt: one jiffy off an RR task's slice; at zero, a new slice and the tail of its list. */
  task_tick_rt(p: task_struct): boolean {
    if (p.policy !== C.SCHED_RR || !p.rt.on_rq) return false;
    if (--p.rt.time_slice > 0) return false;
    p.rt.time_slice = C.RR_TIMESLICE;
    // Requeue to the end of the queue if we (and all of our ancestors) are not the only element.
    const q = this.queue[p.prio];
    if (q.length > 1) {
      this.requeue_task_rt(p, false);
      return true;
    }
    return false;
  }

  /** yield_task_rt: curr goes behind the others of its priority. */
  yield_task_rt(p: task_struct): void {
    this.requeue_task_rt(p, false);
  }

  /** The queued RT tasks in the order the class would run them (for the views). */
  inOrder(): task_struct[] {
    const out: task_struct[] = [];
    if (this.rt_nr_running === 0) return out;
    for (const q of this.queue) for (const p of q) out.push(p);
    return out;
  }
}

/** wakeup_preempt_rt: a woken RT task preempts curr when its priority is strictly higher. */
export function wakeup_preempt_rt(curr: task_struct, p: task_struct): boolean {
  return p.prio < curr.prio;
}
