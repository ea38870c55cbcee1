// kernel/sys.c: process groups and sessions (setpgid, getpgid, getpgrp, setsid, getsid), kept as
// the pid numbers in signal->pids[PIDTYPE_PGID] and [PIDTYPE_SID]; sys.ts re-exports them.

import * as C from './consts';
import { kfunc, type StepHandler } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { send_signal } from './signal';

export const task_pgrp = (p: task_struct): number => p.signal.pids[C.PIDTYPE_PGID];
export const task_session = (p: task_struct): number => p.signal.pids[C.PIDTYPE_SID];

/** pid_task(find_vpid(nr), type): a process attached to pid nr as its group or session, if any. */
export function pid_task(k: Kernel, nr: number, type: number): task_struct | null {
  for (const p of k.for_each_process()) {
    if (p !== k.init_task && !p.exit_state && p.signal.pids[type] === nr) return p;
  }
  return null;
}

/** The processes of group nr (do_each_pid_task(pgrp, PIDTYPE_PGID, p)), init_task aside. */
export function pgrp_tasks(k: Kernel, nr: number): task_struct[] {
  return k.for_each_process().filter((p) => p !== k.init_task && p.signal.pids[C.PIDTYPE_PGID] === nr);
}

/**
 * will_become_orphaned_pgrp (kernel/exit.c): a group is orphaned when no member (but `ignored`)
 * has a parent in another group of the same session, the one link a job-control shell gives it.
 * Exited members and children of init do not count.
 */
export function will_become_orphaned_pgrp(k: Kernel, pgrp: number, ignored: task_struct | null): boolean {
  for (const p of pgrp_tasks(k, pgrp)) {
    const parent = p.real_parent;
    if (p === ignored || (p.exit_state && p.signal.nr_threads <= 1) || !parent || parent.pid === 1) continue;
    if (task_pgrp(parent) !== pgrp && task_session(parent) === task_session(p)) return false;
  }
  return true;
}

/** has_stopped_jobs: a member of the group is stopped (SIGNAL_STOP_STOPPED). */
function has_stopped_jobs(k: Kernel, pgrp: number): boolean {
  return pgrp_tasks(k, pgrp).some((p) => (p.signal.flags & C.SIGNAL_STOP_STOPPED) !== 0);
}

/**
 * kill_orphaned_pgrp (kernel/exit.c): when tsk's exit (parent null) or the reparenting of tsk,
 * a child of the exiting `parent`, leaves tsk's group orphaned with a stopped member, POSIX
 * wants the group told: SIGHUP, then SIGCONT, from the kernel (SEND_SIG_PRIV).
 */
export function kill_orphaned_pgrp(k: Kernel, tsk: task_struct, parent: task_struct | null): void {
  const pgrp = task_pgrp(tsk);
  let ignored: task_struct | null = tsk;
  let par = parent;
  // exit: our father is in another group and we were the only link outside; reparent: our
  // child is in another group than ours, and we were its only link outside.
  if (!par) par = tsk.real_parent;
  else ignored = null;
  if (!par) return;
  if (task_pgrp(par) !== pgrp && task_session(par) === task_session(tsk)
    && will_become_orphaned_pgrp(k, pgrp, ignored) && has_stopped_jobs(k, pgrp)) {
    for (const sig of [C.SIGHUP, C.SIGCONT]) {
      for (const p of pgrp_tasks(k, pgrp)) send_signal(k, sig, null, p, true);
    }
  }
}

/** is_current_pgrp_orphaned: terminal stop signals to an orphaned group are discarded. */
export function is_current_pgrp_orphaned(k: Kernel, t: task_struct): boolean {
  return will_become_orphaned_pgrp(k, task_pgrp(t), null);
}

interface SetpgidL { pid: number; pgid: number; p: task_struct | null; err: number }

export const __x64_sys_setpgid = kfunc<SetpgidL>('__x64_sys_setpgid', 'kernel/sys.c', `
/*
 * setpgid(pid, pgid): move a process into a process group of its own
 * session. A parent may move its child only until the child calls execve;
 * a session leader can never leave its group.
 */
SYSCALL_DEFINE2(setpgid, pid_t, pid, pid_t, pgid)
{
	struct task_struct *p;
	struct task_struct *group_leader = current->group_leader;
	struct pid *pgrp;
	int err;

	if (!pid)                                           @args
		pid = task_pid_vnr(group_leader);
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;

	write_lock_irq(&tasklist_lock);
	err = -ESRCH;
	p = find_task_by_vpid(pid);                         @find
	if (!p)
		goto out;

	err = -EINVAL;
	if (!thread_group_leader(p))
		goto out;

	if (same_thread_group(p->real_parent, group_leader)) { @child
		err = -EPERM;
		if (task_session(p) != task_session(group_leader))
			goto out;
		err = -EACCES;
		if (!(p->flags & PF_FORKNOEXEC))
			goto out;
	} else {
		err = -ESRCH;
		if (p != group_leader)
			goto out;
	}

	err = -EPERM;
	if (p->signal->leader)                              @leader
		goto out;

	pgrp = task_pid(p);
	if (pgid != pid) {                                  @other
		struct task_struct *g;

		pgrp = find_vpid(pgid);
		g = pid_task(pgrp, PIDTYPE_PGID);
		if (!g || task_session(g) != task_session(group_leader))
			goto out;
	}

	if (task_pgrp(p) != pgrp)                           @change
		change_pid(p, PIDTYPE_PGID, pgrp);

	err = 0;
out:
	write_unlock_irq(&tasklist_lock);
	return err;                                         @out
}
`, {
  args: (k, t, f) => {
    const L = f.locals;
    if (!L.pid) L.pid = t.group_leader.pid;
    if (!L.pgid) L.pgid = L.pid;
    if (L.pgid < 0) k.ret(t, -C.EINVAL);
  },
  find: (k, t, f) => {
    const L = f.locals;
    const p = k.find_task_by_vpid(L.pid);
    L.p = p;
    if (!p) L.err = -C.ESRCH;
    else if (p.pid !== p.tgid) L.err = -C.EINVAL;
    if (L.err) k.jump(f, 'out');
  },
  child: (k, t, f) => {
    const L = f.locals;
    const p = L.p as task_struct;
    const leader = t.group_leader;
    if (p.real_parent && p.real_parent.tgid === leader.tgid) {
      if (task_session(p) !== task_session(leader)) L.err = -C.EPERM;
      else if (!(p.flags & C.PF_FORKNOEXEC)) L.err = -C.EACCES;
    } else if (p !== leader) {
      L.err = -C.ESRCH;
    }
    if (L.err) k.jump(f, 'out');
  },
  leader: (k, _t, f) => {
    if ((f.locals.p as task_struct).signal.leader) { f.locals.err = -C.EPERM; k.jump(f, 'out'); }
  },
  other: (k, t, f) => {
    const L = f.locals;
    if (L.pgid === L.pid) return;
    const g = pid_task(k, L.pgid, C.PIDTYPE_PGID);
    if (!g || task_session(g) !== task_session(t.group_leader)) { L.err = -C.EPERM; k.jump(f, 'out'); }
  },
  change: (_k, _t, f) => { (f.locals.p as task_struct).signal.pids[C.PIDTYPE_PGID] = f.locals.pgid; },
  out: (k, t, f) => k.ret(t, f.locals.err),
}, ['pid', 'pgid', 'p', 'err']);

/** getpgid and getsid share the lookup: pid 0 is the caller, else find_task_by_vpid. */
interface GetL { pid: number; type: number; retval: number }

const getid = (k: Kernel, t: task_struct, f: { locals: GetL }): void => {
  const L = f.locals;
  const p = L.pid ? k.find_task_by_vpid(L.pid) : t;
  L.retval = p ? p.signal.pids[L.type] : -C.ESRCH;
};

/** getpgid and getsid: the same lookup of a pid number, then its group or session. */
const byNumber: Record<string, StepHandler<GetL>> = {
  lookup: getid,
  ret: (k, t, f) => k.ret(t, f.locals.retval),
};

export const __x64_sys_getpgid = kfunc<GetL>('__x64_sys_getpgid', 'kernel/sys.c', `
/* getpgid(pid), and getpgrp() as getpgid(0) (do_getpgid): a process group. */
SYSCALL_DEFINE1(getpgid, pid_t, pid)
{
	struct task_struct *p;
	struct pid *grp;
	int retval;

	rcu_read_lock();
	if (!pid)                                           @lookup
		grp = task_pgrp(current);
	else {
		retval = -ESRCH;
		p = find_task_by_vpid(pid);
		if (!p)
			goto out;
		grp = task_pgrp(p);
		if (!grp)
			goto out;
	}
	retval = pid_vnr(grp);
out:
	rcu_read_unlock();
	return retval;                                      @ret
}
`, byNumber, ['pid', 'retval']);

export const __x64_sys_getsid = kfunc<GetL>('__x64_sys_getsid', 'kernel/sys.c', `
SYSCALL_DEFINE1(getsid, pid_t, pid)
{
	struct task_struct *p;
	struct pid *sid;
	int retval;

	rcu_read_lock();
	if (!pid)                                           @lookup
		sid = task_session(current);
	else {
		retval = -ESRCH;
		p = find_task_by_vpid(pid);
		if (!p)
			goto out;
		sid = task_session(p);
		if (!sid)
			goto out;
	}
	retval = pid_vnr(sid);
out:
	rcu_read_unlock();
	return retval;                                      @ret
}
`, byNumber, ['pid', 'retval']);

interface SetsidL { session: number; err: number }

export const __x64_sys_setsid = kfunc<SetsidL>('__x64_sys_setsid', 'kernel/sys.c', `
/*
 * setsid(): the caller's process becomes the leader of a new session and of
 * a new process group, both numbered by its pid. A process group leader may
 * not do it: its group would be left in a session it no longer belongs to.
 */
SYSCALL_DEFINE0(setsid)	/* ksys_setsid() */
{
	struct task_struct *group_leader = current->group_leader;
	struct pid *sid = task_pid(group_leader);
	pid_t session = pid_vnr(sid);
	int err = -EPERM;

	write_lock_irq(&tasklist_lock);
	/* Fail if I am already a session leader */
	if (group_leader->signal->leader)                   @leader
		goto out;

	/* Fail if a process group id already exists that equals the
	 * proposed session id.
	 */
	if (pid_task(sid, PIDTYPE_PGID))                    @pgid
		goto out;

	group_leader->signal->leader = 1;
	set_special_pids(sid);                              @set
	proc_clear_tty(group_leader);

	err = session;
out:
	write_unlock_irq(&tasklist_lock);
	return err;                                         @out
}
`, {
  leader: (k, t, f) => {
    f.locals.session = t.group_leader.pid;
    f.locals.err = -C.EPERM;
    if (t.group_leader.signal.leader) k.jump(f, 'out');
  },
  pgid: (k, _t, f) => { if (pid_task(k, f.locals.session, C.PIDTYPE_PGID)) k.jump(f, 'out'); },
  set: (_k, t, f) => {
    const sig = t.group_leader.signal;
    sig.leader = true;
    sig.pids[C.PIDTYPE_SID] = sig.pids[C.PIDTYPE_PGID] = f.locals.session;
    f.locals.err = f.locals.session;
  },
  out: (k, t, f) => k.ret(t, f.locals.err),
}, ['session', 'err']);

export const __x64_sys_getpgrp = kfunc<GetL>('__x64_sys_getpgrp', 'kernel/sys.c', `
/* The caller's process group: do_getpgid(0). */
SYSCALL_DEFINE0(getpgrp)
{
	return pid_vnr(task_pgrp(current));                 @ret
}
`, {
  ret: (k, t) => k.ret(t, task_pgrp(t)),
}, []);
