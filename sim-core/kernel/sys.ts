// kernel/sys.c and kernel/sched/syscalls.c: prctl (subreaper, parent-death signal, comm),
// prlimit64 (RLIMIT_NPROC) and setpriority (nice values and CFS load weights).

import { NR_OPEN } from './file';
import * as C from './consts';
import { ret0, nop, kfunc } from './frame';
import { list_entries } from './list';
import type { task_struct } from './task';
import { set_load_weight } from './sched';
import { __set_task_comm } from './exec';
import type { Value } from '../vm/types';
import { rt_policy } from './rt';

// Process groups and sessions live in pgrp.ts; re-exported so kernel/sys.c shows them too.
export { __x64_sys_getpgid, __x64_sys_getpgrp, __x64_sys_getsid, __x64_sys_setpgid, __x64_sys_setsid } from './pgrp';

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

interface PrctlL { option: number; arg2: Value; error: number }

export const __x64_sys_prctl = kfunc<PrctlL>('__x64_sys_prctl', 'kernel/sys.c', `
SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long, arg3,
		unsigned long, arg4, unsigned long, arg5)
{
	struct task_struct *me = current;
	unsigned char comm[sizeof(me->comm)];
	long error;

	error = 0;
	switch (option) {                                   @switch
	case PR_SET_PDEATHSIG:
		/* Sent to us when the thread that created us exits. */
		if (!valid_signal(arg2)) {
			error = -EINVAL;
			break;
		}
		me->pdeath_signal = arg2;
		break;
	case PR_GET_PDEATHSIG:
		error = put_user(me->pdeath_signal, (int __user *)arg2);
		break;
	case PR_SET_NAME:
		comm[sizeof(me->comm) - 1] = 0;
		if (strncpy_from_user(comm, (char __user *)arg2,
				      sizeof(me->comm) - 1) < 0)
			return -EFAULT;
		set_task_comm(me, comm);
		break;
	case PR_GET_NAME:
		get_task_comm(comm, me);
		if (copy_to_user((char __user *)arg2, comm, sizeof(comm)))
			return -EFAULT;
		break;
	case PR_SET_CHILD_SUBREAPER:
		me->signal->is_child_subreaper = !!arg2;
		if (!arg2)
			break;

		/* Descendants look for a subreaper when they are orphaned. */
		walk_process_tree(me, propagate_has_child_subreaper, NULL); @subreaper
		break;
	case PR_GET_CHILD_SUBREAPER:
		error = put_user(me->signal->is_child_subreaper,
				 (int __user *)arg2);
		break;
	default:
		error = -EINVAL;
		break;
	}
	return error;                                       @ret
}
`, {
  switch: (k, t, f) => {
    const a2 = f.locals.arg2;
    switch (f.locals.option) {
      case C.PR_SET_PDEATHSIG: {
        const sig = num(a2);
        if (sig < 0 || sig > C._NSIG) f.locals.error = -C.EINVAL; else t.pdeath_signal = sig;
        break;
      }
      case C.PR_GET_PDEATHSIG:
        if (!k.user.putUser(t, num(a2), t.pdeath_signal)) f.locals.error = -C.EFAULT;
        break;
      case C.PR_SET_NAME:
        __set_task_comm(t, k.user.readString(t, a2));
        break;
      case C.PR_GET_NAME:
        if (!k.user.putUser(t, num(a2), t.comm)) f.locals.error = -C.EFAULT;
        break;
      case C.PR_SET_CHILD_SUBREAPER:
        t.signal.is_child_subreaper = num(a2) !== 0;
        if (num(a2) !== 0) { k.jump(f, 'subreaper'); return; }
        break;
      case C.PR_GET_CHILD_SUBREAPER:
        if (!k.user.putUser(t, num(a2), t.signal.is_child_subreaper ? 1 : 0)) f.locals.error = -C.EFAULT;
        break;
      default:
        f.locals.error = -C.EINVAL;
    }
    k.jump(f, 'ret');
  },
  subreaper: (_k, t) => propagate_has_child_subreaper(t),
  ret: (k, t, f) => k.ret(t, f.locals.error),
}, ['option', 'error']);

/** walk_process_tree with propagate_has_child_subreaper: every descendant learns of us. */
function propagate_has_child_subreaper(me: task_struct): void {
  const todo = list_entries(me.children);
  while (todo.length) {
    const p = todo.shift() as task_struct;
    if (p.signal.has_child_subreaper) continue;
    p.signal.has_child_subreaper = true;
    todo.push(...list_entries(p.children));
  }
}

const RLIMIT_NOFILE = 7;

/** struct rlimit in scenario memory: rlim_cur then rlim_max. */
export const RLIM_CUR = 0, RLIM_MAX = 1;

interface PrlL { resource: number; new_rlim: number; old_rlim: number; cur: number; max: number; error: number }

export function prlimitLocals(resource: number, newAddr: number, oldAddr: number): PrlL {
  return { resource, new_rlim: newAddr, old_rlim: oldAddr, cur: 0, max: 0, error: 0 };
}

/** Values at or beyond 2^62 (or negative) are RLIM_INFINITY. */
function rlim(v: Value | undefined): number {
  const n = num(v);
  return n < 0 || n >= 2 ** 62 ? C.RLIM_INFINITY : n;
}

export const __x64_sys_prlimit64 = kfunc<PrlL>('__x64_sys_prlimit64', 'kernel/sys.c', `
/* getrlimit() and setrlimit() of the C library, for the calling process (pid 0). */
SYSCALL_DEFINE4(prlimit64, pid_t, pid, unsigned int, resource,
		const struct rlimit64 __user *, new_rlim,
		struct rlimit64 __user *, old_rlim)
{
	struct rlimit64 old64, new64;
	struct rlimit old, new;
	int ret;

	if (new_rlim) {                                     @copy_in
		if (copy_from_user(&new64, new_rlim, sizeof(new64)))
			return -EFAULT;
		rlim64_to_rlim(&new64, &new);
	}

	ret = do_prlimit(current, resource, new_rlim ? &new : NULL,
			old_rlim ? &old : NULL);                    @do_prlimit

	if (!ret && old_rlim) {                             @copy_out
		rlim_to_rlim64(&old, &old64);
		if (copy_to_user(old_rlim, &old64, sizeof(old64)))
			ret = -EFAULT;
	}
	return ret;                                         @ret
}
`, {
  copy_in: (k, t, f) => {
    // new_rlim -1: the C library's setrlimit trap already carried rlim_cur and rlim_max.
    if (!f.locals.new_rlim || f.locals.new_rlim === -1) return;
    f.locals.cur = rlim(k.user.getUser(t, f.locals.new_rlim + RLIM_CUR));
    f.locals.max = rlim(k.user.getUser(t, f.locals.new_rlim + RLIM_MAX));
  },
  do_prlimit: (_k, t, f) => {
    const L = f.locals;
    if (L.resource < 0 || L.resource > 15) { L.error = -C.EINVAL; return; }
    const r = L.resource === C.RLIMIT_NPROC ? t.signal.rlim_nproc : L.resource === RLIMIT_NOFILE ? t.signal.rlim_nofile
      : { rlim_cur: C.RLIM_INFINITY, rlim_max: C.RLIM_INFINITY };
    // RLIMIT_NOFILE stops at fs.nr_open.
    if (L.new_rlim && L.resource === RLIMIT_NOFILE && (L.max === C.RLIM_INFINITY || L.max > NR_OPEN)) { L.error = -C.EPERM; return; }
    const old = { ...r };
    if (L.new_rlim) {
      const inf = (x: number) => (x === C.RLIM_INFINITY ? Infinity : x);
      if (inf(L.cur) > inf(L.max)) { L.error = -C.EINVAL; return; }
      // Raising the hard limit needs CAP_SYS_RESOURCE.
      if (inf(L.max) > inf(r.rlim_max) && t.cred.euid !== 0) { L.error = -C.EPERM; return; }
      r.rlim_cur = L.cur;
      r.rlim_max = L.max;
    }
    L.cur = old.rlim_cur;
    L.max = old.rlim_max;
  },
  copy_out: (k, t, f) => {
    const L = f.locals;
    if (L.error || !L.old_rlim) return;
    if (!k.user.putUser(t, L.old_rlim + RLIM_CUR, L.cur) || !k.user.putUser(t, L.old_rlim + RLIM_MAX, L.max)) L.error = -C.EFAULT;
  },
  ret: (k, t, f) => k.ret(t, f.locals.error),
}, ['resource', 'error']);

interface NiceL { which: number; who: number; niceval: number; nice: number; error: number }

/** setpriority(which, who, niceval) for the calling task (which PRIO_PROCESS, who 0). */
export function setpriorityLocals(which: number, who: number, niceval: number): NiceL {
  return { which, who, niceval, nice: 0, error: 0 };
}

/** getpriority(PRIO_PROCESS, 0): 20 - nice, so that it is never negative (the C library undoes it). */
export function getpriority(t: task_struct): number {
  return 20 - (t.static_prio - C.DEFAULT_PRIO);
}

export const __x64_sys_setpriority = kfunc<NiceL>('__x64_sys_setpriority', 'kernel/sys.c', `
/*
 * nice(inc) in the C library is getpriority, setpriority(PRIO_PROCESS, 0,
 * nice + inc), getpriority. Only a privileged task may lower the value.
 */
SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	struct task_struct *p;
	int error = -EINVAL;

	/* normalize: avoid signed division (rounding problems) */
	if (niceval < MIN_NICE)                             @clamp
		niceval = MIN_NICE;
	if (niceval > MAX_NICE)
		niceval = MAX_NICE;

	p = current;
	/* set_one_prio: lowering it needs CAP_SYS_NICE (can_nice). */
	error = set_one_prio(p, niceval, error);            @set
	return error;                                       @ret
}
`, {
  clamp: (_k, _t, f) => {
    f.locals.nice = Math.max(-20, Math.min(19, f.locals.niceval));
  },
  set: (k, t, f) => {
    const cur = t.static_prio - C.DEFAULT_PRIO;
    // can_nice(): lowering the nice value needs CAP_SYS_NICE (RLIMIT_NICE is 0).
    if (f.locals.nice < cur && t.cred.euid !== 0) { f.locals.error = -C.EACCES; return; }
    k.call(t, set_user_nice, { p: t, nice: f.locals.nice });
  },
  ret: (k, t, f) => k.ret(t, f.locals.error),
}, ['which', 'who', 'niceval']);

interface SunL { p: task_struct; nice: number }

export const set_user_nice = kfunc<SunL>('set_user_nice', 'kernel/sched/syscalls.c', `
void set_user_nice(struct task_struct *p, long nice)
{
	bool queued, running;
	struct rq *rq;
	int old_prio;

	rq = task_rq_lock(p, &rf);
	/*
	 * The RT priorities are set via sched_setscheduler(), but we still
	 * allow the 'normal' nice value to be set - but as expected
	 * it won't have any effect on scheduling until the task is
	 * SCHED_DEADLINE, SCHED_FIFO or SCHED_RR:
	 */
	if (task_has_dl_policy(p) || task_has_rt_policy(p)) { @rt
		p->static_prio = NICE_TO_PRIO(nice);
		goto out_unlock;
	}
	queued = task_on_rq_queued(p);                      @dequeue
	running = task_current_donor(rq, p);
	if (queued)
		dequeue_task(rq, p, DEQUEUE_SAVE | DEQUEUE_NOCLOCK);

	/* static_prio 100..139 is nice -20..19; the weight follows it. */
	p->static_prio = NICE_TO_PRIO(nice);                @prio
	set_load_weight(p, true);
	old_prio = p->prio;
	p->prio = effective_prio(p);

	if (queued)                                         @enqueue
		enqueue_task(rq, p, ENQUEUE_RESTORE | ENQUEUE_NOCLOCK);
out_unlock:
	task_rq_unlock(rq, p, &rf);
}                                                       @ret
`, {
  rt: (k, _t, f) => {
    const p = f.locals.p;
    if (!rt_policy(p.policy)) return;
    p.static_prio = C.DEFAULT_PRIO + f.locals.nice;
    k.jump(f, 'ret');
  },
  // The running task stays curr: only its weight changes.
  dequeue: nop,
  prio: (k, _t, f) => {
    const p = f.locals.p;
    p.static_prio = C.DEFAULT_PRIO + f.locals.nice;
    set_load_weight(k, p);
    p.normal_prio = p.static_prio;
    p.prio = p.static_prio;
  },
  // Already on its run queue with the new weight.
  enqueue: nop,
  ret: ret0,
}, ['p', 'nice']);
