// kernel/sched/syscalls.c: choosing a task's scheduling policy and priority. sched_setscheduler
// and sched_setparam go through __sched_setscheduler (checks, then the task leaves its run queue,
// takes its new policy, prio and weight, and comes back in its class); the readers
// (sched_getscheduler, sched_getparam, the priority range, sched_rr_get_interval) answer at once.

import * as C from './consts';
import { nop, ret0, retCallee, kfunc } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { ENQUEUE_RESTORE } from './rq';
import { fair_policy, normal_prio, rt_policy, rt_prio, rt_task, valid_policy } from './rt';
import { set_load_weight, NSEC_PER_JIFFY } from './sched';
import { find_task_by_pid_ns, task_active_pid_ns } from './pidns';

/** find_process_by_pid: the caller for pid 0, else the task of that number in its namespace. */
export function find_process_by_pid(t: task_struct, pid: number): task_struct | null {
  if (pid === 0) return t;
  const p = find_task_by_pid_ns(pid, task_active_pid_ns(t));
  return p && !p.exit_state ? p : null;
}

/** check_same_owner: the caller's euid is the target's uid or euid. */
export function check_same_owner(t: task_struct, p: task_struct): boolean {
  return t.cred.euid === p.cred.euid || t.cred.euid === p.cred.uid;
}

/** capable(CAP_SYS_NICE): only root holds it in these machines. */
function capable_sys_nice(t: task_struct): boolean {
  return t.cred.euid === 0;
}

interface SsL { pid: number; policy: number; param: number; retval: number }

export function setschedulerLocals(pid: number, policy: number, param: number): SsL {
  return { pid, policy, param, retval: 0 };
}

export const __x64_sys_sched_setscheduler = kfunc<SsL>('__x64_sys_sched_setscheduler', 'kernel/sched/syscalls.c', `
/**
 * sys_sched_setscheduler - set/change the scheduler policy and RT priority
 * @pid: the pid in question.
 * @policy: new policy.
 * @param: structure containing the new RT priority.
 */
SYSCALL_DEFINE3(sched_setscheduler, pid_t, pid, int, policy, struct sched_param __user *, param)
{
	if (policy < 0)                                     @check
		return -EINVAL;

	return do_sched_setscheduler(pid, policy, param);   @call @ret
}
`, {
  check: (k, t, f) => { if (f.locals.policy < 0) k.ret(t, -C.EINVAL); },
  call: (k, t, f) => k.call(t, do_sched_setscheduler, dsLocals(f.locals.pid, f.locals.policy, f.locals.param)),
  ret: retCallee,
}, ['pid', 'policy', 'param']);

export const __x64_sys_sched_setparam = kfunc<SsL>('__x64_sys_sched_setparam', 'kernel/sched/syscalls.c', `
/**
 * sys_sched_setparam - set/change the RT priority of a thread
 * @pid: the pid in question.
 * @param: structure containing the new RT priority.
 */
SYSCALL_DEFINE2(sched_setparam, pid_t, pid, struct sched_param __user *, param)
{
	return do_sched_setscheduler(pid, SETPARAM_POLICY, param); @call @ret
}
`, {
  call: (k, t, f) => k.call(t, do_sched_setscheduler, dsLocals(f.locals.pid, C.SETPARAM_POLICY, f.locals.param)),
  ret: retCallee,
}, ['pid', 'param']);

interface DsL { pid: number; policy: number; param: number; lparam: number; p: task_struct | null }

function dsLocals(pid: number, policy: number, param: number): DsL {
  return { pid, policy, param, lparam: 0, p: null };
}

export const do_sched_setscheduler = kfunc<DsL>('do_sched_setscheduler', 'kernel/sched/syscalls.c', `
static int
do_sched_setscheduler(pid_t pid, int policy, struct sched_param __user *param)
{
	struct sched_param lparam;

	if (unlikely(!param || pid < 0))                    @check
		return -EINVAL;
	if (copy_from_user(&lparam, param, sizeof(struct sched_param))) @copy
		return -EFAULT;

	CLASS(find_get_task, p)(pid);                       @find
	if (!p)
		return -ESRCH;

	return sched_setscheduler(p, policy, &lparam);      @set @ret
}
`, {
  check: (k, t, f) => { if (!f.locals.param || f.locals.pid < 0) k.ret(t, -C.EINVAL); },
  copy: (k, t, f) => {
    const v = k.user.getUser(t, f.locals.param);
    if (typeof v !== 'number') { k.ret(t, -C.EFAULT); return; }
    f.locals.lparam = v;
  },
  find: (k, t, f) => {
    f.locals.p = find_process_by_pid(t, f.locals.pid);
    if (!f.locals.p) k.ret(t, -C.ESRCH);
  },
  // sched_setscheduler -> _sched_setscheduler: the attr keeps the task's nice value.
  set: (k, t, f) => {
    const p = f.locals.p as task_struct;
    k.call(t, __sched_setscheduler, schedAttrLocals(p, f.locals.policy, f.locals.lparam));
  },
  ret: retCallee,
}, ['pid', 'policy', 'lparam', 'p']);

interface SchL {
  p: task_struct; policy: number; sched_priority: number; sched_nice: number;
  oldprio: number; newprio: number; queued: boolean; running: boolean;
}

function schedAttrLocals(p: task_struct, policy: number, prio: number): SchL {
  return { p, policy, sched_priority: prio, sched_nice: p.static_prio - C.DEFAULT_PRIO, oldprio: p.prio, newprio: 0, queued: false, running: false };
}

/**
 * user_check_sched_setscheduler: what an unprivileged caller may not do. RLIMIT_RTPRIO and
 * RLIMIT_NICE are 0 (the default for a user session), so entering or raising a real-time
 * priority, leaving SCHED_IDLE, and touching another user's task need CAP_SYS_NICE.
 */
function user_check_sched_setscheduler(t: task_struct, L: SchL): number {
  const p = L.p;
  const rlim_rtprio = 0;
  let req_priv = false;
  if (rt_policy(L.policy)) {
    // Can't set/change the rt policy, and can't increase the priority.
    if (L.policy !== p.policy && !rlim_rtprio) req_priv = true;
    if (L.sched_priority > p.rt_priority && L.sched_priority > rlim_rtprio) req_priv = true;
  }
  if (p.policy === C.SCHED_IDLE && L.policy !== C.SCHED_IDLE) req_priv = true;
  if (!check_same_owner(t, p)) req_priv = true;
  return req_priv && !capable_sys_nice(t) ? -C.EPERM : 0;
}

export const __sched_setscheduler = kfunc<SchL>('__sched_setscheduler', 'kernel/sched/syscalls.c', `
int __sched_setscheduler(struct task_struct *p,
			 const struct sched_attr *attr,
			 bool user, bool pi)
{
	int oldpolicy = -1, policy = attr->sched_policy;
	int retval, oldprio, newprio, queued, running;
	const struct sched_class *prev_class, *next_class;
	int queue_flags = DEQUEUE_SAVE | DEQUEUE_MOVE | DEQUEUE_NOCLOCK;
	struct rq *rq;

	/* The pi code expects interrupts enabled */
	if (policy < 0) {                                   @policy
		policy = oldpolicy = p->policy;
	} else {
		if (!valid_policy(policy))
			return -EINVAL;
	}

	/*
	 * Valid priorities for SCHED_FIFO and SCHED_RR are
	 * 1..MAX_RT_PRIO-1, valid priority for SCHED_NORMAL,
	 * SCHED_BATCH and SCHED_IDLE is 0.
	 */
	if (attr->sched_priority > MAX_RT_PRIO-1)           @range
		return -EINVAL;
	if ((dl_policy(policy) && !__checkparam_dl(attr)) || (rt_policy(policy) != (attr->sched_priority != 0))) @param
		return -EINVAL;

	if (user) {
		retval = user_check_sched_setscheduler(p, attr, policy, reset_on_fork); @perm
		if (retval)
			return retval;
	}

	rq = task_rq_lock(p, &rf);
	oldprio = p->prio;
	newprio = __normal_prio(policy, attr->sched_priority, attr->sched_nice); @prio
	prev_class = p->sched_class;
	next_class = __setscheduler_class(policy, newprio);

	queued = task_on_rq_queued(p);                      @dequeue
	running = task_current_donor(rq, p);
	if (queued)
		dequeue_task(rq, p, queue_flags);
	if (running)
		put_prev_task(rq, p);

	__setscheduler_params(p, attr);                     @params
	p->sched_class = next_class;
	p->prio = newprio;

	if (queued) {                                       @enqueue
		/*
		 * We enqueue to tail when the priority of a task is
		 * increased (user space view).
		 */
		if (oldprio < p->prio)
			queue_flags |= ENQUEUE_HEAD;

		enqueue_task(rq, p, queue_flags);
	}
	if (running)
		set_next_task(rq, p);

	check_class_changed(rq, p, prev_class, oldprio);    @changed
	task_rq_unlock(rq, p, &rf);
	return 0;                                           @ret
}
`, {
  policy: (k, t, f) => {
    const L = f.locals;
    if (L.policy < 0) L.policy = L.p.policy;
    else if (!valid_policy(L.policy)) k.ret(t, -C.EINVAL);
  },
  range: (k, t, f) => { if (f.locals.sched_priority > C.MAX_RT_PRIO - 1 || f.locals.sched_priority < 0) k.ret(t, -C.EINVAL); },
  // SCHED_DEADLINE needs sched_setattr's runtime, deadline and period: through here it is EINVAL.
  param: (k, t, f) => {
    const L = f.locals;
    if (L.policy === C.SCHED_DEADLINE || rt_policy(L.policy) !== (L.sched_priority !== 0)) k.ret(t, -C.EINVAL);
  },
  perm: (k, t, f) => {
    const err = user_check_sched_setscheduler(t, f.locals);
    if (err) k.ret(t, err);
  },
  prio: (_k, _t, f) => {
    const L = f.locals;
    L.oldprio = L.p.prio;
    L.newprio = normal_prio(L.policy, L.sched_priority, C.DEFAULT_PRIO + L.sched_nice);
  },
  dequeue: (k, _t, f) => {
    const L = f.locals, p = L.p;
    L.queued = p.se.on_rq;
    L.running = k.rq[p.cpu].curr === p;
  },
  // Under the run-queue lock the change is one step: off the queue, the new parameters, back on.
  params: (k, _t, f) => {
    const L = f.locals, p = L.p, rq = k.rq[p.cpu];
    if (L.queued) rq.dequeue(p);
    // put_prev_task: a running fair task leaves cfs_rq->curr (it is not in the tree).
    if (L.running && rq.cfs_curr === p) rq.cfs_curr = null;
    // __setscheduler_params: the policy, the nice value of the fair policies, rt_priority,
    // normal_prio and the load weight (WEIGHT_IDLEPRIO for SCHED_IDLE).
    p.policy = L.policy;
    if (fair_policy(L.policy)) p.static_prio = C.DEFAULT_PRIO + L.sched_nice;
    p.rt_priority = L.sched_priority;
    p.normal_prio = normal_prio(p.policy, p.rt_priority, p.static_prio);
    set_load_weight(k, p);
    p.prio = L.newprio;
    if (L.queued) {
      rq.enqueue_entity(p, ENQUEUE_RESTORE);
      // ENQUEUE_HEAD: a task whose priority dropped (user-space view) goes first in its new list.
      if (rt_task(p) && L.oldprio < p.prio) rq.rt.requeue_task_rt(p, true);
    }
    // set_next_task_fair: back to cfs_rq->curr, out of the tree.
    if (L.running && L.queued && !rt_task(p)) {
      rq.__dequeue_entity(p);
      rq.cfs_curr = p;
      if (rq.eevdf) p.se.vlag = p.se.deadline;
    }
  },
  enqueue: nop,
  changed: (k, _t, f) => check_class_changed(k, f.locals),
  ret: ret0,
}, ['p', 'policy', 'oldprio', 'newprio', 'queued', 'running']);

/**
 * check_class_changed: switched_to_rt / prio_changed_rt / switched_to_fair / prio_changed_fair.
 * A running task that dropped below what waits gives up the CPU; a queued one that now outranks
 * curr preempts it.
 */
function check_class_changed(k: Kernel, L: SchL): void {
  const p = L.p, rq = k.rq[p.cpu];
  if (!L.queued) return;
  if (L.running) {
    if (rt_task(p)) {
      if (p.prio > rq.rt.highest_prio()) rq.resched_pending = true;
    } else if (rt_prio(L.oldprio) || p.prio > L.oldprio) {
      rq.resched_pending = true;
    }
    return;
  }
  rq.wakeup_preempt(p);
}

// ---- the readers: answered without a kernel path of their own ----------------------------

/** sched_getscheduler(pid): the policy, -ESRCH or -EINVAL. */
export function sched_getscheduler(t: task_struct, pid: number): number {
  if (pid < 0) return -C.EINVAL;
  const p = find_process_by_pid(t, pid);
  return p ? p.policy : -C.ESRCH;
}

/** sched_getparam(pid, param): rt_priority into param->sched_priority (0 for the fair policies). */
export function sched_getparam(k: Kernel, t: task_struct, pid: number, param: number): number {
  if (!param || pid < 0) return -C.EINVAL;
  const p = find_process_by_pid(t, pid);
  if (!p) return -C.ESRCH;
  return k.user.putUser(t, param, rt_task(p) ? p.rt_priority : 0) ? 0 : -C.EFAULT;
}

/** sched_get_priority_max / _min: 99 and 1 for FIFO and RR, 0 for the others, -EINVAL else. */
export function sched_get_priority(policy: number, max: boolean): number {
  if (rt_policy(policy)) return max ? C.MAX_RT_PRIO - 1 : 1;
  if (policy === C.SCHED_DEADLINE || fair_policy(policy)) return 0;
  return -C.EINVAL;
}

/**
 * sched_rr_get_interval(pid, tp): RR_TIMESLICE for SCHED_RR, 0 for FIFO; for a fair task
 * get_rr_interval_fair's whole jiffies of its slice (EEVDF's request, CFS's sched_slice), 0 on
 * an idle queue.
 */
export function sched_rr_get_interval(k: Kernel, t: task_struct, pid: number, tp: number): number {
  if (pid < 0) return -C.EINVAL;
  const p = find_process_by_pid(t, pid);
  if (!p) return -C.ESRCH;
  let ns = 0;
  if (p.policy === C.SCHED_RR) ns = C.RR_TIMESLICE * NSEC_PER_JIFFY;
  else if (!rt_task(p) && k.rq[p.cpu].load() > 0) {
    const rq = k.rq[p.cpu];
    const slice = rq.eevdf ? p.se.slice : rq.sched_slice(p);
    ns = Math.floor(slice / NSEC_PER_JIFFY) * NSEC_PER_JIFFY;
  }
  const sec = Math.floor(ns / 1e9);
  return k.user.putUser(t, tp, sec) && k.user.putUser(t, tp + 1, ns - sec * 1e9) ? 0 : -C.EFAULT;
}
