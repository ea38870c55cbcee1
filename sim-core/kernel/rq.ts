// kernel/sched/fair.c: one fair run queue (struct cfs_rq) per CPU, under either policy Linux has
// run: EEVDF (6.6 and later, the default) or CFS (2.6.23 to 6.5): placing, ticking, picking and
// preempting; its tree and sums are in cfs-timeline.ts. Vruntimes are whole nanoseconds, so the
// sums behind avg_vruntime are exact.

import * as C from './consts';
import type { task_struct } from './task';
import { rt_rq, rt_task, wakeup_preempt_rt } from './rt';
import { CfsTimeline } from './cfs-timeline';

export type FairPolicy = 'eevdf' | 'cfs';

/** TICK_NSEC at CONFIG_HZ=250: the floor of EEVDF's lag clamp. */
const TICK_NSEC = 4_000_000;

// enqueue_entity flags (kernel/sched/sched.h).
export const ENQUEUE_WAKEUP = 0x01;
export const ENQUEUE_RESTORE = 0x02;
export const ENQUEUE_INITIAL = 0x80;

/**
 * get_update_sysctl_factor under SCHED_TUNABLESCALING_LOG (the default): the scheduler's
 * tunables grow with 1 + ilog2(ncpus), CPUs counted up to 8.
 */
export function sysctlFactor(ncpus: number): number {
  return 1 + Math.floor(Math.log2(Math.min(Math.max(1, ncpus), 8)));
}

/** The fair class's tunables for a machine (update_sysctl). */
export interface SchedTunables {
  readonly policy: FairPolicy;
  /** sysctl_sched_base_slice: 0.75 ms * factor (EEVDF's request size; CFS's min_granularity). */
  readonly base_slice: number;
  /** sysctl_sched_latency (CFS): 6 ms * factor. */
  readonly latency: number;
  /** sysctl_sched_min_granularity (CFS): 0.75 ms * factor. */
  readonly min_granularity: number;
  /** sysctl_sched_wakeup_granularity (CFS): 1 ms * factor. */
  readonly wakeup_granularity: number;
}

export function schedTunables(policy: FairPolicy, ncpus: number): SchedTunables {
  const f = sysctlFactor(ncpus);
  return {
    policy, base_slice: C.SCHED_BASE_SLICE_NS * f, latency: 6_000_000 * f,
    min_granularity: 750_000 * f, wakeup_granularity: 1_000_000 * f,
  };
}

/** calc_delta_fair: `delta` ns of real time in the virtual time of an entity of weight `w`. */
export function calc_delta_fair(delta: number, w: number): number {
  return w === C.NICE_0_LOAD ? delta : Math.floor((delta * C.NICE_0_LOAD) / w);
}

export class RunQueue extends CfsTimeline {
  /** rq->curr: the task this CPU runs, of either class (null: idle). */
  curr: task_struct | null = null;
  /** The real-time class's queue (rq->rt), picked before the fair class. */
  readonly rt = new rt_rq();
  /** The idle task (swapper) this CPU runs when nothing is runnable. */
  idle: task_struct | null = null;
  /** Set when curr must give up the CPU at the end of this step. */
  need_resched = false;
  /**
   * TIF_NEED_RESCHED set by the tick or a wake-up: the task is preempted when it is next in
   * user mode (a voluntary-preemption kernel), which sets need_resched.
   */
  resched_pending = false;
  /** Real ns curr has run since it was picked (sum_exec_runtime - prev_sum_exec_runtime). */
  slice_used = 0;

  constructor(readonly cpu: number, readonly tunables: SchedTunables = schedTunables('eevdf', 1)) {
    super(tunables.policy);
  }

  /**
   * place_entity: where an entity joins the queue. EEVDF keeps the lag it left with, scaled so
   * that adding it does not move V (a new task has none, and its first deadline is half a
   * slice); CFS gives a new task START_DEBIT (one vslice right of min_vruntime) and a sleeper
   * at most half a latency of credit (GENTLE_FAIR_SLEEPERS).
   */
  place_entity(p: task_struct, flags: number, parent: task_struct | null = null): void {
    const se = p.se;
    if (this.eevdf) {
      const V = this.avg_vruntime_of();
      let lag = 0;
      se.slice = this.tunables.base_slice;
      let vslice = calc_delta_fair(se.slice, se.load.weight);
      if (this.nr_running() > 0) {
        lag = se.vlag;
        const load = this.load();
        if (load > 0) lag = Math.trunc((lag * (load + se.load.weight)) / load);
      }
      se.vruntime = V - lag;
      if (flags & ENQUEUE_INITIAL) vslice = Math.floor(vslice / 2);
      se.deadline = se.vruntime + vslice;
      return;
    }
    let v = this.min_vruntime;
    if (flags & ENQUEUE_INITIAL) {
      // task_fork_fair: the child starts from its parent's vruntime (on the parent's queue).
      se.vruntime = parent && parent.cpu === this.cpu && parent.se.on_rq ? parent.se.vruntime : this.min_vruntime;
      v += this.sched_vslice(p);
    } else {
      v -= this.tunables.latency / 2;
    }
    if (v > se.vruntime) se.vruntime = v;
  }

  /** enqueue_entity: place (a wake-up or a new task), then onto the queue. */
  enqueue_entity(p: task_struct, flags: number, parent: task_struct | null = null): void {
    if (rt_task(p)) {
      // enqueue_task_rt: an RT task has no placement; it joins the tail of its priority.
      this.rt.enqueue_task_rt(p);
      p.se.on_rq = true;
      p.cpu = this.cpu;
      return;
    }
    if (flags & (ENQUEUE_WAKEUP | ENQUEUE_INITIAL | ENQUEUE_RESTORE)) this.place_entity(p, flags, parent);
    p.se.on_rq = true;
    p.cpu = this.cpu;
    if (p !== this.cfs_curr) this.__enqueue_entity(p);
  }

  /** dequeue_entity: the task leaves the queue (it sleeps, stops or dies); EEVDF saves its lag. */
  dequeue(p: task_struct): void {
    if (!p.se.on_rq) return;
    if (p.rt.on_rq) { this.rt.dequeue_task_rt(p); p.se.on_rq = false; return; }
    if (this.eevdf) this.update_entity_lag(p);
    if (p !== this.cfs_curr) this.__dequeue_entity(p);
    p.se.on_rq = false;
  }

  /** update_entity_lag: vlag = V - vruntime, clamped to a slice or a tick either way. */
  update_entity_lag(p: task_struct): void {
    const se = p.se;
    const limit = calc_delta_fair(Math.max(2 * se.slice, TICK_NSEC), se.load.weight);
    const lag = this.avg_vruntime_of() - se.vruntime;
    se.vlag = Math.max(-limit, Math.min(limit, lag));
  }

  /**
   * update_curr: charges `delta` ns of runtime to curr, in virtual time by its weight; under
   * EEVDF a used-up request gets the next deadline and, with others waiting, a reschedule
   * (update_deadline). The steps of the update_curr frame call these same parts in this order.
   */
  update_curr(delta: number): void {
    const p = this.cfs_curr;
    if (!p) return;
    this.update_curr_se(p, delta);
    this.update_vruntime(p, delta);
    const resched = this.eevdf && this.update_deadline(p);
    this.update_min_vruntime();
    if (resched) this.resched_if_shared();
  }

  /** update_curr_se: the real time curr ran (sum_exec_runtime, and the slice it is using). */
  update_curr_se(p: task_struct, delta: number): void {
    p.se.sum_exec_runtime += delta;
    this.slice_used += delta;
  }

  /** `curr->vruntime += calc_delta_fair(delta_exec, curr)`. */
  update_vruntime(p: task_struct, delta: number): void {
    p.se.vruntime += calc_delta_fair(delta, p.se.load.weight);
  }

  /** update_deadline's test: curr's vruntime reached its deadline (its request is used up). */
  deadline_reached(p: task_struct): boolean {
    return p.se.vruntime >= p.se.deadline;
  }

  /** update_deadline (EEVDF): a used-up request gets a new slice and deadline; true then. */
  update_deadline(p: task_struct): boolean {
    if (!this.deadline_reached(p)) return false;
    const se = p.se;
    se.slice = this.tunables.base_slice;
    se.deadline = se.vruntime + calc_delta_fair(se.slice, se.load.weight);
    return true;
  }

  /** update_curr's `if (cfs_rq->nr_running == 1) return; if (resched) resched_curr(rq);`. */
  resched_if_shared(): void {
    if (this.nr_running() > 1) this.resched_pending = true;
  }

  /** entity_tick: update_curr, and CFS's check_preempt_tick when others wait. */
  entity_tick(delta: number): void {
    const c = this.curr;
    if (c !== null && c !== this.cfs_curr) {
      // task_tick_rt: an RR task at the end of its slice went behind its peers.
      if (this.rt.task_tick(c, delta)) this.resched_pending = true;
      return;
    }
    this.update_curr(delta);
    if (this.cfs_tick_check()) this.check_preempt_tick();
  }

  /** entity_tick's test (CFS only): others wait, so check_preempt_tick looks at curr's share. */
  cfs_tick_check(): boolean {
    return !this.eevdf && this.nr_running() > 1;
  }

  /** sched_slice (CFS): curr's share of the period, by weight. */
  sched_slice(p: task_struct | null = this.cfs_curr): number {
    const t = this.tunables;
    const n = this.nr_running() + (p && !p.se.on_rq ? 1 : 0);
    const period = n > t.latency / t.min_granularity ? n * t.min_granularity : t.latency;
    const load = this.load() + (p && !p.se.on_rq ? p.se.load.weight : 0);
    const w = p ? p.se.load.weight : C.NICE_0_LOAD;
    return load > 0 ? Math.floor((period * w) / load) : period;
  }

  /** sched_vslice (CFS): that slice in virtual time. */
  sched_vslice(p: task_struct): number {
    return calc_delta_fair(this.sched_slice(p), p.se.load.weight);
  }

  /** check_preempt_tick (CFS): curr used its slice, or runs far right of the leftmost. */
  check_preempt_tick(): void {
    const p = this.cfs_curr;
    if (!p) return;
    const ideal = this.sched_slice();
    if (this.slice_used > ideal) { this.resched_pending = true; return; }
    if (this.slice_used < this.tunables.min_granularity || this.timeline.length === 0) return;
    if (p.se.vruntime - this.timeline[0].se.vruntime > ideal) this.resched_pending = true;
  }

  /** Whether curr should be preempted when next in user mode (TIF_NEED_RESCHED). */
  should_preempt(): boolean {
    const p = this.curr;
    if (!p || (this.timeline.length === 0 && this.rt.rt_nr_running <= (p.rt.on_rq ? 1 : 0))) return false;
    return !p.se.on_rq || this.resched_pending;
  }

  /** rq->nr_running: runnable tasks of both classes (what load balancing and fork placement weigh). */
  rq_nr_running(): number {
    return this.nr_running() + this.rt.rt_nr_running;
  }

  /**
   * pick_eevdf: the eligible entity (lag >= 0) with the earliest deadline, curr included; curr
   * keeps the CPU while it is eligible and still in the request it was picked with
   * (RUN_TO_PARITY). Null only when the queue is empty.
   */
  pick_eevdf(): task_struct | null {
    let curr = this.cfs_curr;
    if (curr && (!curr.se.on_rq || !this.entity_eligible(curr))) curr = null;
    if (curr && curr.se.vlag === curr.se.deadline) return curr;
    const tl = this.timeline;
    let best: task_struct | null = null;
    for (let i = 0; i < tl.length; i++) {
      if (this.entity_eligible(tl[i])) { best = tl[i]; break; }
    }
    if (!best || (curr && curr.se.deadline < best.se.deadline)) best = curr;
    return best ?? (tl.length > 0 ? tl[0] : null);
  }

  /** __pick_first_entity with curr (CFS's pick_next_entity): the smallest vruntime wins. */
  pick_first(): task_struct | null {
    const left = this.timeline.length > 0 ? this.timeline[0] : null;
    const curr = this.cfs_curr && this.cfs_curr.se.on_rq ? this.cfs_curr : null;
    if (!left || (curr && curr.se.vruntime < left.se.vruntime)) return curr;
    return left;
  }

  /**
   * __schedule's pick_next_task: the real-time class first (the head of its highest list), then
   * the fair class (pick_next_task_fair + put_prev_task + set_next_entity: the policy's pick
   * becomes cfs_rq->curr and a runnable fair prev goes back into the tree). Returns the new
   * curr (null = idle). The steps of the __schedule frames call these same parts in this order.
   */
  pick_next(): task_struct | null {
    this.pick_begin();
    const next = this.rt.rt_nr_running > 0 ? this.pick_next_rt() : this.pick_next_fair();
    this.pick_end(next);
    return next;
  }

  /** prev leaves the CPU's "running" mark (on_cpu) as __schedule starts. */
  pick_begin(): void {
    const prev = this.curr;
    if (prev) prev.on_cpu = false;
  }

  /** The pick becomes rq->curr: a new slice, no reschedule pending. */
  pick_end(next: task_struct | null): void {
    this.curr = next;
    this.slice_used = 0;
    this.need_resched = false;
    this.resched_pending = false;
    if (next) next.on_cpu = true;
  }

  /** pick_next_task_rt, with put_prev_task_fair: a fair task that ran goes back into the tree. */
  pick_next_rt(): task_struct | null {
    const next = this.rt.pick_next_task_rt();
    const fc = this.cfs_curr;
    if (fc) {
      this.cfs_curr = null;
      if (fc.se.on_rq) this.__enqueue_entity(fc);
      this.update_min_vruntime();
    }
    return next;
  }

  /** pick_next_task_fair: EEVDF's or CFS's choice becomes cfs_rq->curr. */
  private pick_next_fair(): task_struct | null {
    const prev = this.cfs_curr;
    const next = this.eevdf ? this.pick_eevdf() : this.pick_first();
    this.put_prev_entity(prev, next);
    this.set_next_entity(prev, next);
    return next;
  }

  /** put_prev_entity: a runnable prev that is not picked again goes back into the tree. */
  put_prev_entity(prev: task_struct | null, next: task_struct | null): void {
    if (prev && prev !== next && prev.se.on_rq) { this.cfs_curr = null; this.__enqueue_entity(prev); }
  }

  /** set_next_entity: the pick leaves the tree and becomes cfs_rq->curr. */
  set_next_entity(prev: task_struct | null, next: task_struct | null): void {
    if (next && next !== prev) this.__dequeue_entity(next);
    // set_next_entity stashes the deadline of the pick in vlag (RUN_TO_PARITY's mark).
    if (next && this.eevdf) next.se.vlag = next.se.deadline;
    this.cfs_curr = next;
    this.update_min_vruntime();
  }

  /**
   * wakeup_preempt: a woken task of curr's class asks that class (check_preempt_wakeup_fair,
   * wakeup_preempt_rt); one of a higher class (RT over fair) preempts at once, a lower one never.
   */
  wakeup_preempt(p: task_struct): void {
    const c = this.curr;
    if (!c || c === p || !c.se.on_rq) return;
    const prt = rt_task(p), crt = rt_task(c);
    if (prt && crt) { if (wakeup_preempt_rt(c, p)) this.resched_pending = true; return; }
    if (prt !== crt) { if (prt) this.resched_pending = true; return; }
    this.check_preempt_wakeup_fair(p);
  }

  /**
   * check_preempt_wakeup_fair (wakeup_preempt): a woken task preempts curr when EEVDF would
   * pick it now, or (CFS) when curr runs more than a wakeup granularity right of it.
   */
  check_preempt_wakeup_fair(p: task_struct): void {
    const c = this.cfs_curr;
    if (!c || c === p || !c.se.on_rq) return;
    // An idle-policy curr yields to any other woken task; batch and idle wakers never preempt.
    if (c.policy === C.SCHED_IDLE && p.policy !== C.SCHED_IDLE) { this.resched_pending = true; return; }
    if (p.policy !== C.SCHED_NORMAL) return;
    if (this.eevdf) {
      if (this.pick_eevdf() === p) this.resched_pending = true;
      return;
    }
    const gran = calc_delta_fair(this.tunables.wakeup_granularity, p.se.load.weight);
    if (c.se.vruntime - p.se.vruntime > gran) this.resched_pending = true;
  }

  /**
   * yield_task_fair: EEVDF moves curr's deadline one request on; CFS (the skip buddy, here
   * without the buddy) puts curr behind the rightmost entity.
   */
  yield_task_fair(p: task_struct): void {
    if (this.eevdf) {
      if (this.nr_running() <= 1) return;
      p.se.deadline += calc_delta_fair(p.se.slice, p.se.load.weight);
      return;
    }
    const tl = this.timeline;
    if (tl.length > 0) p.se.vruntime = Math.max(p.se.vruntime, tl[tl.length - 1].se.vruntime + 1);
  }

  /**
   * reweight_entity for a nice change: the entity keeps its lag scaled by old/new weight (so
   * V does not move) and its deadline relative to its vruntime.
   */
  reweight_entity(p: task_struct, weight: number): void {
    const se = p.se;
    if (se.load.weight === weight) return;
    // An RT task is in no fair tree: its weight waits for the day it returns to the fair class.
    if (rt_task(p)) { se.load.weight = weight; return; }
    if (!se.on_rq) {
      if (this.eevdf) se.vlag = Math.trunc((se.vlag * se.load.weight) / weight);
      se.load.weight = weight;
      return;
    }
    const queued = p !== this.cfs_curr;
    const V = this.avg_vruntime_of();
    if (queued) this.__dequeue_entity(p);
    if (this.eevdf) {
      const rel = se.deadline - se.vruntime;
      const lag = Math.trunc(((V - se.vruntime) * se.load.weight) / weight);
      se.load.weight = weight;
      se.vruntime = V - lag;
      se.deadline = se.vruntime + rel;
    } else {
      se.load.weight = weight;
    }
    if (queued) this.__enqueue_entity(p);
    this.update_min_vruntime();
  }
}
