// The switch path as step tables: __schedule -> pick_next_task -> pick_next_task_fair ->
// pick_eevdf (or CFS's __pick_first_entity) -> put_prev_entity / set_next_entity ->
// context_switch. Each step calls the RunQueue's own parts (rq.ts), the ones its inline pick
// calls, and context_switch's bookkeeping is the one function the inline switch calls too.

import { kfunc, nop, ret0 } from './frame';
import type { Kernel } from './kernel';
import type { RunQueue } from './rq';
import type { task_struct } from './task';
import { PeL, pick_eevdf } from './fair';

/**
 * The bookkeeping of a context switch (__schedule): prev's switch count (nivcsw when it is still
 * runnable, preempted or yielding; nvcsw when it went to sleep or died), the schedstats of both
 * (a runnable prev starts waiting, next stops), and the sched_switch tracepoint.
 */
export function switch_account(k: Kernel, cpu: number, prev: task_struct | null, next: task_struct | null): void {
  if (prev !== null) {
    if (prev.se.on_rq) { prev.nivcsw++; prev.sched_info.last_queued = k.clock; } else prev.nvcsw++;
  }
  if (next !== null) next.sched_info.run_delay += k.clock - next.sched_info.last_queued;
  if (k.trace_sched) k.trace_sched_switch(cpu, prev, next);
}

interface CsL { rq: RunQueue; prev: task_struct | null; next: task_struct | null }

export const context_switch = kfunc<CsL>('context_switch', 'kernel/sched/core.c', `
/*
 * context_switch - switch to the new MM and the new thread's register state.
 * (prev's switch count and the sched_switch tracepoint are __schedule's, just
 * before this call: they are counted at the first line here.)
 */
static __always_inline struct rq *
context_switch(struct rq *rq, struct task_struct *prev,
	       struct task_struct *next, struct rq_flags *rf)
{
	prepare_task_switch(rq, prev, next);                @prepare

	/*
	 * kernel -> kernel   lazy + transfer active
	 *   user -> kernel   lazy + mmgrab_lazy_tlb() active
	 *
	 * kernel ->   user   switch + mmdrop_lazy_tlb() active
	 *   user ->   user   switch
	 */
	if (!next->mm) {                                    @mm
		enter_lazy_tlb(prev->active_mm, next);
		next->active_mm = prev->active_mm;
	} else {
		switch_mm_irqs_off(prev->active_mm, next->mm, next);
	}

	/* Here we just switch the register state and the stack. */
	switch_to(prev, next, prev);                        @switch
	barrier();

	return finish_task_switch(prev);                    @ret
}
`, {
  prepare: (k, _t, f) => switch_account(k, f.locals.rq.cpu, f.locals.prev, f.locals.next),
  mm: nop,
  switch: nop,
  ret: ret0,
}, ['prev', 'next']);

/** pick_next_task_fair's locals: prev, cfs_rq->curr as the pick starts, and the pick. */
interface PntfL { cfs_rq: RunQueue; prev: task_struct | null; curr: task_struct | null; se: task_struct | null }

export const pick_next_task_fair = kfunc<PntfL>('pick_next_task_fair', 'kernel/sched/fair.c', `
/*
 * The fair class's pick: EEVDF's earliest eligible deadline (Linux 6.6 and
 * later) or CFS's leftmost vruntime (2.6.23 to 6.5). The pick becomes
 * cfs_rq->curr and leaves the tree; a runnable prev goes back into it.
 */
struct task_struct *
pick_next_task_fair(struct rq *rq, struct task_struct *prev, struct rq_flags *rf)
{
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *curr = cfs_rq->curr;
	struct sched_entity *se;
	struct task_struct *p;

	if (!sched_fair_runnable(rq))                       @runnable
		goto idle;

	if (sched_feat(EEVDF)) {                            @policy
		se = pick_eevdf(cfs_rq);                        @eevdf @picked
	} else {
		se = __pick_first_entity(cfs_rq);               @cfs
		if (!se || (curr && entity_before(curr, se)))
			se = curr;
	}
	p = task_of(se);

	put_prev_entity(cfs_rq, curr);                      @put
	set_next_entity(cfs_rq, se);                        @set

	return p;                                           @ret

idle:
	set_next_entity(cfs_rq, NULL);                      @idle
	return NULL;
}
`, {
  runnable: (k, _t, f) => { if (f.locals.cfs_rq.nr_running() === 0) k.jump(f, 'idle'); },
  policy: (k, _t, f) => { if (!f.locals.cfs_rq.eevdf) k.jump(f, 'cfs'); },
  eevdf: (k, t, f) => k.call(t, pick_eevdf, new PeL(f.locals.cfs_rq), 'se'),
  picked: (k, _t, f) => k.jump(f, 'put'),
  // CFS's pick_next_entity: the leftmost entity, or curr when it is further left.
  cfs: (_k, _t, f) => { f.locals.se = f.locals.cfs_rq.pick_first(); },
  put: (_k, _t, f) => f.locals.cfs_rq.put_prev_entity(f.locals.curr, f.locals.se),
  set: (_k, _t, f) => f.locals.cfs_rq.set_next_entity(f.locals.curr, f.locals.se),
  ret: (k, t, f) => k.ret(t, 0, f.locals.se),
  idle: (k, t, f) => {
    f.locals.cfs_rq.put_prev_entity(f.locals.curr, null);
    f.locals.cfs_rq.set_next_entity(f.locals.curr, null);
    k.ret(t, 0, null);
  },
}, ['prev', 'curr', 'se']);

interface PntL { rq: RunQueue; prev: task_struct | null; p: task_struct | null }

export const pick_next_task = kfunc<PntL>('pick_next_task', 'kernel/sched/core.c', `
/*
 * Pick up the highest-prio task: the real-time class before the fair one.
 */
static inline struct task_struct *
pick_next_task(struct rq *rq, struct task_struct *prev, struct rq_flags *rf)
{
	const struct sched_class *class;
	struct task_struct *p;

	/*
	 * Optimization: we know that if all tasks are in the fair class we can
	 * call that function directly.
	 */
	if (likely(rq->nr_running == rq->cfs.h_nr_running)) { @fair
		p = pick_next_task_fair(rq, prev, rf);          @callfair @fairpicked
		return p;
	}

	put_prev_task_balance(rq, prev, rf);
	for_each_class(class) {
		p = class->pick_next_task(rq);                  @class
		if (p)
			return p;
	}

	BUG(); /* The idle class should always have a runnable task. */
}
`, {
  fair: (k, _t, f) => { if (f.locals.rq.rt.rt_nr_running > 0) k.jump(f, 'class'); },
  callfair: (k, t, f) => k.call(t, pick_next_task_fair, { cfs_rq: f.locals.rq, prev: f.locals.prev, curr: f.locals.rq.cfs_curr, se: null }, 'p'),
  fairpicked: (k, t, f) => k.ret(t, 0, f.locals.p),
  // pick_next_task_rt, after put_prev_task_fair put a fair prev back into its tree.
  class: (k, t, f) => { f.locals.p = f.locals.rq.pick_next_rt(); k.ret(t, 0, f.locals.p); },
}, ['prev', 'p']);

interface SchL { rq: RunQueue; prev: task_struct | null; next: task_struct | null }

/** __schedule's locals for the CPU of `rq`. */
export function scheduleLocals(rq: RunQueue): SchL {
  return { rq, prev: rq.curr, next: null };
}

export const __schedule = kfunc<SchL>('__schedule', 'kernel/sched/core.c', `
/*
 * __schedule() is the main scheduler function: schedule() calls it when a
 * task sleeps, and the return to user space or the end of an interrupt
 * when TIF_NEED_RESCHED is set (the tick or a wake-up asked for it).
 */
static void __sched notrace __schedule(int sched_mode)
{
	struct task_struct *prev, *next;
	struct rq_flags rf;
	struct rq *rq;
	int cpu;

	cpu = smp_processor_id();
	rq = cpu_rq(cpu);
	prev = rq->curr;                                    @prev

	rq_lock(rq, &rf);
	update_rq_clock(rq);

	next = pick_next_task(rq, prev, &rf);               @pick @picked
	clear_tsk_need_resched(prev);
	clear_preempt_need_resched();

	if (likely(prev != next)) {                         @differ
		rq->nr_switches++;
		++*switch_count;
		trace_sched_switch(preempt, prev, next, prev_state);

		/* Also unlocks the rq: */
		rq = context_switch(rq, prev, next, &rf);       @switch
	} else {
		rq_unlock_irq(rq, &rf);
	}
}                                                       @ret
`, {
  prev: (_k, _t, f) => { f.locals.prev = f.locals.rq.curr; f.locals.rq.pick_begin(); },
  pick: (k, t, f) => k.call(t, pick_next_task, { rq: f.locals.rq, prev: f.locals.prev, p: null }, 'next'),
  picked: (_k, _t, f) => f.locals.rq.pick_end(f.locals.next),
  differ: (k, _t, f) => { if (f.locals.prev === f.locals.next) k.jump(f, 'ret'); },
  switch: (k, t, f) => k.call(t, context_switch, { rq: f.locals.rq, prev: f.locals.prev, next: f.locals.next }),
  ret: ret0,
}, ['prev', 'next']);
