// kernel/sched/fair.c and core.c as step tables: sched_yield's do_sched_yield -> yield_task_fair,
// and a new task's wakeup_preempt (the class hook) -> check_preempt_wakeup_fair -> pick_eevdf, whose locals say
// which entities are eligible (vruntime at or left of V) and which deadline won.

import * as C from './consts';
import { ret0, kfunc } from './frame';
import type { RunQueue } from './rq';
import type { task_struct } from './task';

/** How pick_eevdf's frame describes the queue: each entity, its key, and whether it is eligible. */
export function describeEligibility(rq: RunQueue): string {
  const all = rq.cfs_curr && rq.cfs_curr.se.on_rq ? [rq.cfs_curr, ...rq.timeline] : rq.timeline;
  return all.map((p) => `pid ${p.pid}${p === rq.cfs_curr ? ' (curr)' : ''}: vruntime ${p.se.vruntime}, deadline ${p.se.deadline}, ${rq.entity_eligible(p) ? 'eligible' : 'not eligible'}`).join('; ');
}

interface YL { rq: RunQueue }

export const yield_task_fair = kfunc<YL>('yield_task_fair', 'kernel/sched/fair.c', `
/*
 * sched_yield() under EEVDF: curr's request is over, so its deadline moves
 * one slice on and the next pick goes to whoever is eligible and earliest.
 */
static void yield_task_fair(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	struct cfs_rq *cfs_rq = task_cfs_rq(curr);
	struct sched_entity *se = &curr->se;

	/*
	 * Are we the only task in the tree?
	 */
	if (unlikely(rq->nr_running == 1))                  @only
		return;

	clear_buddies(cfs_rq, se);

	update_rq_clock(rq);
	/*
	 * Update run-time statistics of the 'current'.
	 */
	update_curr(cfs_rq);
	/*
	 * Tell update_rq_clock() that we've just updated,
	 * so we don't do microscopic update in schedule()
	 * and double the fastpath cost.
	 */
	rq_clock_skip_update(rq);

	se->deadline += calc_delta_fair(se->slice, se);     @deadline
}                                                       @ret
`, {
  only: (k, t, f) => { if (f.locals.rq.nr_running() <= 1) k.ret(t, 0); },
  deadline: (_k, t, f) => f.locals.rq.yield_task_fair(t),
  ret: ret0,
}, ['rq']);

export const do_sched_yield = kfunc<YL>('do_sched_yield', 'kernel/sched/syscalls.c', `
static void do_sched_yield(void)
{
	struct rq_flags rf;
	struct rq *rq;

	rq = this_rq_lock_irq(&rf);

	schedstat_inc(rq->yld_count);
	current->sched_class->yield_task(rq);               @yield

	preempt_disable();
	rq_unlock_irq(rq, &rf);
	sched_preempt_enable_no_resched();

	schedule();                                         @schedule
}                                                       @ret
`, {
  // CFS (6.5 and before) marks curr the skip buddy instead; the model's yield has no frame there.
  yield: (k, t, f) => {
    // yield_task_rt: an RT task goes behind the others of its priority.
    if (t.rt.on_rq) { f.locals.rq.rt.yield_task_rt(t); return; }
    if (f.locals.rq.eevdf) k.call(t, yield_task_fair, { rq: f.locals.rq });
    else f.locals.rq.yield_task_fair(t);
  },
  schedule: (k, t) => k.schedule(t),
  ret: ret0,
});

/**
 * pick_eevdf's locals. V and the eligibility list are worked out when the debugger shows them
 * (the queue does not change while the frame runs), not on every fork.
 */
export class PeL {
  curr: task_struct | null;
  se: task_struct | null;
  best: task_struct | null = null;
  constructor(readonly cfs_rq: RunQueue) {
    this.curr = cfs_rq.cfs_curr;
    this.se = cfs_rq.timeline.length > 0 ? cfs_rq.timeline[0] : null;
  }
  /** avg_vruntime(cfs_rq): the queue's weighted average vruntime. */
  get V(): number { return this.cfs_rq.avg_vruntime_of(); }
  /** Each queued entity and whether it is eligible (vruntime <= V). */
  get eligible(): string { return describeEligibility(this.cfs_rq); }
}

export const pick_eevdf = kfunc<PeL>('pick_eevdf', 'kernel/sched/fair.c', `
/*
 * Earliest Eligible Virtual Deadline First: of the entities that are owed
 * service (lag >= 0, vruntime at or left of V), the earliest deadline.
 */
static struct sched_entity *pick_eevdf(struct cfs_rq *cfs_rq)
{
	struct rb_node *node = cfs_rq->tasks_timeline.rb_root.rb_node;
	struct sched_entity *se = __pick_first_entity(cfs_rq);
	struct sched_entity *curr = cfs_rq->curr;
	struct sched_entity *best = NULL;

	/*
	 * We can safely skip eligibility check if there is only one entity
	 * in this cfs_rq, saving some cycles.
	 */
	if (cfs_rq->nr_running == 1)                        @one
		return curr && curr->on_rq ? curr : se;

	if (curr && (!curr->on_rq || !entity_eligible(cfs_rq, curr))) @curr
		curr = NULL;

	/*
	 * Once selected, run a task until it either becomes non-eligible or
	 * until it gets a new slice. See the HACK in set_next_entity().
	 */
	if (sched_feat(RUN_TO_PARITY) && curr && curr->vlag == curr->deadline) @parity
		return curr;

	/* Pick the leftmost entity if it's eligible */
	if (se && entity_eligible(cfs_rq, se)) {            @left
		best = se;
		goto found;
	}

	/* Heap search for the EEVD entity */
	while (node) {                                      @search
		struct rb_node *left = node->rb_left;

		/*
		 * Eligible entities in left subtree are always better
		 * choices, since they have earlier deadlines.
		 */
		if (left && vruntime_eligible(cfs_rq,
					__node_2_se(left)->min_vruntime)) {
			node = left;
			continue;
		}

		se = __node_2_se(node);

		/*
		 * The left subtree either is empty or has no eligible
		 * entity, so check the current node since it is the one
		 * with earliest deadline that might be eligible.
		 */
		if (entity_eligible(cfs_rq, se)) {
			best = se;
			break;
		}

		node = node->rb_right;
	}
found:
	if (!best || (curr && entity_before(curr, best)))   @found
		best = curr;

	return best;                                        @ret
}
`, {
  one: (k, t, f) => {
    const rq = f.locals.cfs_rq;
    if (rq.nr_running() !== 1) return;
    const c = f.locals.curr;
    k.ret(t, 0, c && c.se.on_rq ? c : f.locals.se);
  },
  curr: (_k, _t, f) => {
    const c = f.locals.curr;
    if (c && (!c.se.on_rq || !f.locals.cfs_rq.entity_eligible(c))) f.locals.curr = null;
  },
  parity: (k, t, f) => {
    const c = f.locals.curr;
    if (c && c.se.vlag === c.se.deadline) k.ret(t, 0, c);
  },
  left: (k, _t, f) => {
    const se = f.locals.se;
    if (se && f.locals.cfs_rq.entity_eligible(se)) { f.locals.best = se; k.jump(f, 'found'); }
  },
  search: (_k, _t, f) => {
    // The tree is in deadline order: the first eligible entity is the earliest eligible deadline.
    const tl = f.locals.cfs_rq.timeline;
    for (let i = 0; i < tl.length; i++) {
      if (f.locals.cfs_rq.entity_eligible(tl[i])) { f.locals.best = tl[i]; f.locals.se = tl[i]; break; }
    }
  },
  found: (_k, _t, f) => {
    const c = f.locals.curr;
    const b = f.locals.best;
    if (!b || (c && c.se.deadline < b.se.deadline)) f.locals.best = c;
  },
  ret: (k, t, f) => {
    const rq = f.locals.cfs_rq;
    // No eligible entity at all cannot happen with exact sums; the kernel then falls back to the leftmost.
    k.ret(t, 0, f.locals.best ?? (rq.timeline.length > 0 ? rq.timeline[0] : null));
  },
}, ['curr', 'se', 'best', 'V', 'eligible']);

interface CpL { rq: RunQueue; p: task_struct }

/** wakeup_preempt: the woken task's class is curr's (fair), so the fair class decides. */
export function wakeupPreemptLocals(rq: RunQueue, p: task_struct): CpL {
  return { rq, p };
}

export const check_preempt_wakeup_fair = kfunc<CpL>('check_preempt_wakeup_fair', 'kernel/sched/fair.c', `
/*
 * Preempt the current task with a newly woken task if needed: under EEVDF,
 * when the woken entity is the one pick_eevdf() would run now.
 */
static void check_preempt_wakeup_fair(struct rq *rq, struct task_struct *p, int wake_flags)
{
	struct task_struct *donor = rq->donor;
	struct sched_entity *se = &donor->se, *pse = &p->se;
	struct cfs_rq *cfs_rq = task_cfs_rq(donor);

	if (unlikely(se == pse))                            @same
		return;

	cfs_rq = cfs_rq_of(se);
	update_curr(cfs_rq);

	/* Idle tasks are by definition preempted by non-idle tasks. */
	if (task_has_idle_policy(donor) && !task_has_idle_policy(p)) @idle
		goto preempt;

	/*
	 * Batch and idle tasks do not preempt non-idle tasks (their preemption
	 * is driven by the tick):
	 */
	if (p->policy != SCHED_NORMAL)                      @batch
		return;

	/*
	 * XXX pick_eevdf(cfs_rq) != se ?
	 */
	if (pick_eevdf(cfs_rq) == pse)                      @pick @picked
		goto preempt;

	return;                                             @keep

preempt:
	resched_curr(rq);                                   @preempt
}                                                       @ret
`, {
  same: (k, t, f) => { if (f.locals.rq.cfs_curr === f.locals.p) k.ret(t, 0); },
  idle: (k, _t, f) => {
    const c = f.locals.rq.cfs_curr;
    if (c && c.policy === C.SCHED_IDLE && f.locals.p.policy !== C.SCHED_IDLE) k.jump(f, 'preempt');
  },
  batch: (k, t, f) => { if (f.locals.p.policy !== C.SCHED_NORMAL) k.ret(t, 0); },
  pick: (k, t, f) => k.call(t, pick_eevdf, new PeL(f.locals.rq)),
  picked: (k, _t, f) => { if (f.retp === f.locals.p) k.jump(f, 'preempt'); },
  keep: (k, t) => k.ret(t, 0),
  preempt: (_k, _t, f) => { f.locals.rq.resched_pending = true; },
  ret: ret0,
}, ['p']);
