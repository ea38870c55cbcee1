// The timer tick as step tables: sched_tick -> task_tick_fair -> entity_tick -> update_curr ->
// update_deadline (EEVDF) or check_preempt_tick (CFS), and task_tick_rt for a real-time curr.
// Each step calls the RunQueue's own parts (rq.ts), the ones its inline tick calls, so the
// stepped tick and the inline one leave the same numbers.

import { kfunc, ret0 } from './frame';
import type { RunQueue } from './rq';
import type { task_struct } from './task';

interface StkL { rq: RunQueue; curr: task_struct | null; delta: number }

/** sched_tick's locals: the CPU's run queue and the real time since the last tick. */
export function schedTickLocals(rq: RunQueue, delta: number): StkL {
  return { rq, curr: rq.curr, delta };
}

interface TtfL { rq: RunQueue; curr: task_struct; delta: number }

/**
 * update_curr's locals: curr (cfs_rq->curr), delta_exec, and curr's vruntime before the step
 * that adds to it (vruntime_was) and now (vruntime), so a stop shows both.
 */
class UcL {
  readonly curr: task_struct | null;
  delta_exec = 0;
  vruntime_was = 0;
  resched = 0;
  constructor(readonly cfs_rq: RunQueue, readonly delta: number) {
    this.curr = cfs_rq.cfs_curr;
    if (this.curr) this.vruntime_was = this.curr.se.vruntime;
  }
  get vruntime(): number { return this.curr ? this.curr.se.vruntime : 0; }
  get deadline(): number { return this.curr ? this.curr.se.deadline : 0; }
  get weight(): number { return this.curr ? this.curr.se.load.weight : 0; }
}

interface UdL { cfs_rq: RunQueue; se: task_struct }

export const update_deadline = kfunc<UdL>('update_deadline', 'kernel/sched/fair.c', `
/*
 * XXX: strictly: vd_i += N*r_i/w_i such that: vd_i > ve_i
 * this is probably good enough.
 */
static bool update_deadline(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	if ((s64)(se->vruntime - se->deadline) < 0)          @before
		return false;

	/*
	 * For EEVDF the virtual time slope is determined by w_i (iow.
	 * nice) while the request time r_i is determined by
	 * sysctl_sched_base_slice.
	 */
	se->slice = sysctl_sched_base_slice;                 @slice

	/*
	 * EEVDF: vd_i = ve_i + r_i / w_i
	 */
	se->deadline = se->vruntime + calc_delta_fair(se->slice, se);

	/*
	 * The task has consumed its request, reschedule.
	 */
	return true;                                         @ret
}
`, {
  before: (k, t, f) => { if (!f.locals.cfs_rq.deadline_reached(f.locals.se)) k.ret(t, 0); },
  slice: (_k, _t, f) => { f.locals.cfs_rq.update_deadline(f.locals.se); },
  ret: (k, t) => k.ret(t, 1),
}, ['se']);

export const update_curr = kfunc<UcL>('update_curr', 'kernel/sched/fair.c', `
/*
 * Update the current task's runtime statistics. The simulator's clock
 * ticks every microsecond, and every tick charges curr here.
 */
static void update_curr(struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	struct rq *rq = rq_of(cfs_rq);
	s64 delta_exec;
	bool resched;

	if (unlikely(!curr))                                 @nocurr
		return;

	delta_exec = update_curr_se(rq, curr);               @exec
	if (unlikely(delta_exec <= 0))
		return;

	curr->vruntime += calc_delta_fair(delta_exec, curr); @vruntime
	resched = update_deadline(cfs_rq, curr);             @deadline
	update_min_vruntime(cfs_rq);                         @min

	if (cfs_rq->nr_running == 1)
		return;

	if (resched)                                         @resched
		resched_curr(rq);
}                                                        @ret
`, {
  nocurr: (k, t, f) => { if (f.locals.curr === null) k.ret(t, 0); },
  exec: (_k, _t, f) => {
    f.locals.delta_exec = f.locals.delta;
    f.locals.cfs_rq.update_curr_se(f.locals.curr as task_struct, f.locals.delta);
  },
  vruntime: (_k, _t, f) => { f.locals.cfs_rq.update_vruntime(f.locals.curr as task_struct, f.locals.delta_exec); },
  // update_deadline is EEVDF's (Linux 6.6 and later): CFS has no deadline to move.
  deadline: (k, t, f) => { if (f.locals.cfs_rq.eevdf) k.call(t, update_deadline, { cfs_rq: f.locals.cfs_rq, se: f.locals.curr as task_struct }, 'resched'); },
  min: (_k, _t, f) => f.locals.cfs_rq.update_min_vruntime(),
  resched: (_k, _t, f) => { if (f.locals.resched) f.locals.cfs_rq.resched_if_shared(); },
  ret: ret0,
}, ['curr', 'delta_exec', 'vruntime_was', 'vruntime', 'deadline', 'weight', 'resched']);

/** check_preempt_tick's locals: curr's ideal slice of the period and what it has run of it. */
class CptL {
  constructor(readonly cfs_rq: RunQueue, readonly curr: task_struct) {}
  get ideal_runtime(): number { return this.cfs_rq.sched_slice(); }
  get delta_exec(): number { return this.cfs_rq.slice_used; }
}

export const check_preempt_tick = kfunc<CptL>('check_preempt_tick', 'kernel/sched/fair.c', `
/*
 * CFS (Linux 2.6.23 to 6.5): preempt the current task once it has run its
 * share of the period, or runs too far right of the leftmost entity.
 */
static void
check_preempt_tick(struct cfs_rq *cfs_rq, struct sched_entity *curr)
{
	unsigned long ideal_runtime, delta_exec;
	struct sched_entity *se;
	s64 delta;

	ideal_runtime = sched_slice(cfs_rq, curr);
	delta_exec = curr->sum_exec_runtime - curr->prev_sum_exec_runtime;
	if (delta_exec > ideal_runtime) {                    @check
		resched_curr(rq_of(cfs_rq));
		return;
	}

	if (delta_exec < sysctl_sched_min_granularity)
		return;

	se = __pick_first_entity(cfs_rq);
	delta = curr->vruntime - se->vruntime;

	if (delta < 0)
		return;

	if (delta > ideal_runtime)
		resched_curr(rq_of(cfs_rq));
}                                                        @ret
`, {
  check: (_k, _t, f) => f.locals.cfs_rq.check_preempt_tick(),
  ret: ret0,
}, ['curr', 'ideal_runtime', 'delta_exec']);

export const entity_tick = kfunc<TtfL>('entity_tick', 'kernel/sched/fair.c', `
static void
entity_tick(struct cfs_rq *cfs_rq, struct sched_entity *curr, int queued)
{
	/*
	 * Update run-time statistics of the 'current'.
	 */
	update_curr(cfs_rq);                                 @update

	/*
	 * Ensure that runnable average is periodically updated.
	 */
	update_load_avg(cfs_rq, curr, UPDATE_TG);
	update_cfs_group(curr);

	/* CFS only (6.5 and before): has curr had its share of the period? */
	if (!sched_feat(EEVDF) && cfs_rq->nr_running > 1)   @cfs
		check_preempt_tick(cfs_rq, curr);                @check
}                                                        @ret
`, {
  update: (k, t, f) => k.call(t, update_curr, new UcL(f.locals.rq, f.locals.delta)),
  cfs: (k, _t, f) => { if (!f.locals.rq.cfs_tick_check()) k.jump(f, 'ret'); },
  check: (k, t, f) => k.call(t, check_preempt_tick, new CptL(f.locals.rq, f.locals.curr)),
  ret: ret0,
}, ['curr']);

export const task_tick_fair = kfunc<TtfL>('task_tick_fair', 'kernel/sched/fair.c', `
/*
 * scheduler tick hitting a task of our scheduling class.
 */
static void task_tick_fair(struct rq *rq, struct task_struct *curr, int queued)
{
	struct cfs_rq *cfs_rq;
	struct sched_entity *se = &curr->se;

	for_each_sched_entity(se) {
		cfs_rq = cfs_rq_of(se);
		entity_tick(cfs_rq, se, queued);                 @entity
	}
}                                                        @ret
`, {
  entity: (k, t, f) => k.call(t, entity_tick, f.locals),
  ret: ret0,
}, ['curr']);

interface TtrL { rq: RunQueue; p: task_struct; delta: number }

export const task_tick_rt = kfunc<TtrL>('task_tick_rt', 'kernel/sched/rt.c', `
/*
 * The real-time class's tick. update_curr_rt charges the time; the slice
 * of an RR task counts jiffies, so the rest waits for a whole one.
 */
static void task_tick_rt(struct rq *rq, struct task_struct *p, int queued)
{
	struct sched_rt_entity *rt_se = &p->rt;

	update_curr_rt(rq);                                  @update
	if (!rq_jiffy_elapsed(rq))
		return;

	watchdog(rq, p);

	/*
	 * RR tasks need a special form of time slice management.
	 * FIFO tasks have no timeslices.
	 */
	if (p->policy != SCHED_RR)                           @rr
		return;

	if (--p->rt.time_slice)
		return;

	p->rt.time_slice = sched_rr_timeslice;

	/*
	 * Requeue to the end of queue if we (and all of our ancestors) are not
	 * the only element on the queue
	 */
	for_each_sched_rt_entity(rt_se) {
		if (rt_se->run_list.prev != rt_se->run_list.next) {
			requeue_task_rt(rq, p, 0);
			resched_curr(rq);
			return;
		}
	}
}                                                        @ret
`, {
  update: (k, t, f) => { if (!f.locals.rq.rt.update_curr_rt(f.locals.p, f.locals.delta)) k.ret(t, 0); },
  rr: (k, t, f) => {
    if (f.locals.rq.rt.task_tick_rt(f.locals.p)) f.locals.rq.resched_pending = true;
    k.ret(t, 0);
  },
  ret: ret0,
}, ['p']);

export const sched_tick = kfunc<StkL>('sched_tick', 'kernel/sched/core.c', `
/*
 * This function gets called by the timer code, with HZ frequency.
 * We call it with interrupts disabled. (Linux 6.10 renamed it from
 * scheduler_tick.) The simulator runs it after every microsecond step
 * of a CPU, above the frames of the task it interrupted.
 */
void sched_tick(void)
{
	int cpu = smp_processor_id();
	struct rq *rq = cpu_rq(cpu);
	struct task_struct *curr;
	struct rq_flags rf;

	rq_lock(rq, &rf);

	curr = rq->curr;                                     @curr
	update_rq_clock(rq);

	curr->sched_class->task_tick(rq, curr, 0);           @tick

	rq_unlock(rq, &rf);
}                                                        @ret
`, {
  curr: (_k, _t, f) => { f.locals.curr = f.locals.rq.curr; },
  tick: (k, t, f) => {
    const rq = f.locals.rq;
    const c = f.locals.curr;
    if (c === null) return;
    // The classes' hooks, as entity_tick's inline test tells them apart.
    if (c !== rq.cfs_curr) k.call(t, task_tick_rt, { rq, p: c, delta: f.locals.delta });
    else k.call(t, task_tick_fair, { rq, curr: c, delta: f.locals.delta });
  },
  ret: ret0,
}, ['curr']);
