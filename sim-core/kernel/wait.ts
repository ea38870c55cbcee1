// kernel/exit.c, the waiting side: wait4 -> kernel_wait4 -> do_wait -> __do_wait ->
// wait_consider_task; the reports themselves (wait_task_zombie, _stopped, _continued) are in
// wait-task.ts, waitid in waitid.ts.

import { find_task_by_pid_ns, task_active_pid_ns } from './pidns';
import * as C from './consts';
import { retCallee, kfunc } from './frame';
import { list_entries } from './list';
import { add_wait_queue, remove_wait_queue } from './waitqueue';
import { NS_ZERO, type task_struct } from './task';
import { wait_task_continued, wait_task_stopped, wait_task_zombie } from './wait-task';
import { thread_group_empty } from './notify';
import { pgrp_tasks, task_pgrp } from './pgrp';
import { empty_rusage, rusage_cells, type rusage } from './cputime';

export interface wait_opts {
  /** PIDTYPE_MAX (any child), PIDTYPE_PID (one pid) or PIDTYPE_PGID (a process group). */
  wo_type: number;
  /** The pid or process group waited for (0 with PIDTYPE_MAX). */
  wo_pid: number;
  wo_flags: number;
  wo_stat: number;
  /** waitid's report (kernel/exit.c struct waitid_info), filled by wait_task_*; null for wait4. */
  wo_info: waitid_info | null;
  /** The child's resource usage, filled by wait_task_* when the caller passed a struct rusage. */
  wo_rusage: rusage | null;
  notask_error: number;
}

/** What waitid copies into the caller's siginfo_t. */
export interface waitid_info {
  pid: number;
  uid: number;
  status: number;
  cause: number;
}

const INT_MIN = -0x80000000;

interface W4L { upid: number; stat_addr: number; options: number; ru: number; wo: wait_opts; ret: number }

/** wait4's arguments; `ru` is the caller's struct rusage (0: NULL), `r` where the kernel fills it. */
export function wait4Locals(upid: number, stat_addr: number, options: number, ru = 0, r: rusage | null = ru ? empty_rusage() : null): W4L {
  return { upid, stat_addr, options, ru, wo: { wo_type: C.PIDTYPE_MAX, wo_pid: 0, wo_flags: 0, wo_stat: 0, wo_info: null, wo_rusage: r, notask_error: 0 }, ret: 0 };
}

export const __x64_sys_wait4 = kfunc<W4L>('__x64_sys_wait4', 'kernel/exit.c', `
/* wait(), waitpid(), wait3() and wait4() of the C library all arrive here. */
SYSCALL_DEFINE4(wait4, pid_t, upid, int __user *, stat_addr,
		int, options, struct rusage __user *, ru)
{
	struct rusage r;
	long err = kernel_wait4(upid, stat_addr, options, ru ? &r : NULL); @call

	if (err > 0) {                                      @copy
		if (ru && copy_to_user(ru, &r, sizeof(struct rusage)))
			return -EFAULT;
	}
	return err;                                         @ret
}
`, {
  call: (k, t, f) => k.call(t, kernel_wait4, wait4Locals(f.locals.upid, f.locals.stat_addr, f.locals.options, f.locals.ru, f.locals.wo.wo_rusage)),
  copy: (k, t, f) => {
    f.locals.ret = f.ret;
    const r = f.locals.wo.wo_rusage;
    if (f.ret <= 0 || !r) return;
    const cells = rusage_cells(r);
    for (let i = 0; i < cells.length; i++) {
      if (!k.user.putUser(t, f.locals.ru + i, cells[i])) { k.ret(t, -C.EFAULT); return; }
    }
  },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['upid', 'stat_addr', 'options', 'ru']);

export const kernel_wait4 = kfunc<W4L>('kernel_wait4', 'kernel/exit.c', `
long kernel_wait4(pid_t upid, int __user *stat_addr, int options,
		  struct rusage *ru)
{
	struct wait_opts wo;
	struct pid *pid = NULL;
	enum pid_type type;
	long ret;

	if (options & ~(WNOHANG|WUNTRACED|WCONTINUED|
			__WNOTHREAD|__WCLONE|__WALL))           @check
		return -EINVAL;

	/* -INT_MIN is not defined */
	if (upid == INT_MIN)                                @int_min
		return -ESRCH;

	if (upid == -1)                                     @type
		type = PIDTYPE_MAX;
	else if (upid < 0) {
		type = PIDTYPE_PGID;
		pid = find_get_pid(-upid);
	} else if (upid == 0) {
		type = PIDTYPE_PGID;
		pid = get_task_pid(current, PIDTYPE_PGID);
	} else /* upid > 0 */ {
		type = PIDTYPE_PID;
		pid = find_get_pid(upid);
	}

	wo.wo_type	= type;
	wo.wo_pid	= pid;
	wo.wo_flags	= options | WEXITED;
	wo.wo_stat	= 0;
	ret = do_wait(&wo);                                 @wait
	put_pid(pid);
	if (ret > 0 && stat_addr && put_user(wo.wo_stat, stat_addr)) @put_user
		ret = -EFAULT;

	return ret;                                         @ret
}
`, {
  check: (k, t, f) => {
    const allowed = C.WNOHANG | C.WUNTRACED | C.WCONTINUED | C.__WNOTHREAD | C.__WCLONE | C.__WALL;
    if ((f.locals.options & ~allowed) !== 0) k.ret(t, -C.EINVAL);
  },
  int_min: (k, t, f) => { if (f.locals.upid === INT_MIN) k.ret(t, -C.ESRCH); },
  type: (_k, t, f) => {
    const upid = f.locals.upid, wo = f.locals.wo;
    wo.wo_type = upid === -1 ? C.PIDTYPE_MAX : upid > 0 ? C.PIDTYPE_PID : C.PIDTYPE_PGID;
    // find_get_pid: the number names a struct pid of the caller's namespace (its global number here).
    wo.wo_pid = upid === -1 ? 0 : upid > 0 ? find_vpid_nr(t, upid) : upid < 0 ? -upid : task_pgrp(t);
    f.locals.wo.wo_flags = f.locals.options | C.WEXITED;
  },
  wait: (k, t, f) => k.call(t, do_wait, { wo: f.locals.wo, retval: 0 }),
  put_user: (k, t, f) => {
    f.locals.ret = f.ret;
    if (f.ret > 0 && f.locals.stat_addr && !k.user.putUser(t, f.locals.stat_addr, f.locals.wo.wo_stat)) f.locals.ret = -C.EFAULT;
    if (f.ret === -C.ECHILD) k.emit({ time: NS_ZERO, step: 0, kind: 'echild', pid: t.pid });
  },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['upid', 'options', 'ret']);

interface DwL { wo: wait_opts; retval: number }

export const do_wait = kfunc<DwL>('do_wait', 'kernel/exit.c', `
static long do_wait(struct wait_opts *wo)
{
	int retval;

	/* Children that change state wake us through this queue (__wake_up_parent). */
	add_wait_queue(&current->signal->wait_chldexit, &wo->child_wait); @queue
	do {
		set_current_state(TASK_INTERRUPTIBLE);          @state
		retval = __do_wait(wo);                         @scan
		if (retval != -ERESTARTSYS)                     @check
			break;
		if (signal_pending(current))
			break;
		schedule();                                     @schedule
	} while (1);

	__set_current_state(TASK_RUNNING);                  @out
	remove_wait_queue(&current->signal->wait_chldexit, &wo->child_wait);
	return retval;
}
`, {
  queue: (_k, t) => { add_wait_queue(t.signal.wait_chldexit, t); },
  state: (_k, t) => { t.__state = C.TASK_INTERRUPTIBLE; },
  scan: (k, t, f) => k.call(t, __do_wait, { wo: f.locals.wo, threads: NO_TASKS, ti: -1, children: NO_TASKS, ci: 0 }),
  check: (k, t, f) => {
    f.locals.retval = f.ret;
    if (f.ret !== -C.ERESTARTSYS || k.signal_pending(t)) k.jump(f, 'out');
  },
  schedule: (k, t, f) => { k.jump(f, 'state'); k.schedule(t); },
  out: (k, t, f) => {
    t.__state = C.TASK_RUNNING;
    remove_wait_queue(t.signal.wait_chldexit, t);
    k.ret(t, f.locals.retval);
  },
}, ['wo', 'retval']);

/** The lists __do_wait walks are snapshots it never changes, so an empty one can be shared. */
interface DdwL { wo: wait_opts; threads: readonly task_struct[]; ti: number; children: readonly task_struct[]; ci: number }
const NO_TASKS: readonly task_struct[] = Object.freeze([]);

export const __do_wait = kfunc<DdwL>('__do_wait', 'kernel/exit.c', `
static long __do_wait(struct wait_opts *wo)
{
	struct task_struct *tsk;
	long retval;

	/* Stays -ECHILD unless some child could one day be waited for. */
	wo->notask_error = -ECHILD;                         @init
	if ((wo->wo_type < PIDTYPE_MAX) &&
	   (!wo->wo_pid || !pid_has_task(wo->wo_pid, wo->wo_type)))
		goto notask;

	read_lock(&tasklist_lock);
	tsk = current;
	do {
		/* do_wait_thread(): the children of every thread count. */
		list_for_each_entry(p, &tsk->children, sibling) { @child
			retval = wait_consider_task(wo, 0, p);      @consider
			if (retval)                                 @result
				return retval;
		}
		if (wo->wo_flags & __WNOTHREAD)                 @next_thread
			break;
	} while_each_thread(current, tsk);
	read_unlock(&tasklist_lock);

notask:
	retval = wo->notask_error;                          @notask
	if (!retval && !(wo->wo_flags & WNOHANG))
		return -ERESTARTSYS;
	return retval;
}
`, {
  init: (k, t, f) => {
    f.locals.wo.notask_error = -C.ECHILD;
    const wo = f.locals.wo;
    // pid_has_task: a pid with no task, or a process group with no member, has nothing to wait for.
    if (wo.wo_type === C.PIDTYPE_PID && !k.find_task_by_vpid(wo.wo_pid)) { k.jump(f, 'notask'); return; }
    if (wo.wo_type === C.PIDTYPE_PGID && pgrp_tasks(k, wo.wo_pid).length === 0) { k.jump(f, 'notask'); return; }
    // tsk = current: the loop starts with the caller's own children, then while_each_thread
    // visits every other thread of the group, the leader included (from current's place on).
    f.locals.threads = liveThreads(t);
    f.locals.ti = Math.max(0, f.locals.threads.indexOf(t));
    f.locals.children = list_entries(t.children);
    f.locals.ci = 0;
  },
  child: (k, _t, f) => { if (f.locals.ci >= f.locals.children.length) k.jump(f, 'next_thread'); },
  consider: (k, t, f) => k.call(t, wait_consider_task, { wo: f.locals.wo, p: f.locals.children[f.locals.ci++] }),
  result: (k, t, f) => { if (f.ret !== 0) k.ret(t, f.ret); else k.jump(f, 'child'); },
  // __WNOTHREAD breaks out to notask; while_each_thread goes on with the next thread, if any.
  next_thread: (k, t, f) => {
    const L = f.locals;
    if (L.wo.wo_flags & C.__WNOTHREAD) return;
    const n = L.threads.length;
    const start = L.threads.indexOf(t);
    if (start < 0) return;
    while (++L.ti % n !== start) {
      const th = L.threads[L.ti % n];
      L.children = list_entries(th.children);
      L.ci = 0;
      k.jump(f, 'child');
      return;
    }
  },
  notask: (k, t, f) => {
    const r = f.locals.wo.notask_error;
    k.ret(t, !r && !(f.locals.wo.wo_flags & C.WNOHANG) ? -C.ERESTARTSYS : r);
  },
}, ['wo']);

interface WctL { wo: wait_opts; p: task_struct }

export const wait_consider_task = kfunc<WctL>('wait_consider_task', 'kernel/exit.c', `
/*
 * Returns nonzero when this child settles the wait: its pid, or an error.
 * A zombie leader whose threads still run is not reaped yet
 * (delay_group_leader), but it keeps the wait from failing with ECHILD.
 */
static int wait_consider_task(struct wait_opts *wo, int ptrace,
				struct task_struct *p)
{
	int exit_state = READ_ONCE(p->exit_state);
	int ret;

	if (unlikely(exit_state == EXIT_DEAD))              @dead
		return 0;

	ret = eligible_child(wo, ptrace, p);                @eligible
	if (!ret)
		return ret;

	if (exit_state == EXIT_ZOMBIE) {                    @zombie
		/* we don't reap group leaders with subthreads */
		if (!delay_group_leader(p))
			return wait_task_zombie(wo, p);             @reap @reaped
		wo->notask_error = 0;
	} else {
		wo->notask_error = 0;                           @alive
	}

	ret = wait_task_stopped(wo, ptrace, p);             @stopped
	if (ret)                                            @stopped_ret
		return ret;

	return wait_task_continued(wo, p);                  @continued @continued_ret
}
`, {
  dead: (k, t, f) => { if (f.locals.p.exit_state === C.EXIT_DEAD) k.ret(t, 0); },
  eligible: (k, t, f) => { if (!eligible_child(f.locals.wo, f.locals.p)) k.ret(t, 0); },
  zombie: (k, _t, f) => {
    const p = f.locals.p;
    if (p.exit_state === C.EXIT_ZOMBIE) {
      if (!delay_group_leader(p)) return;
      f.locals.wo.notask_error = 0;
      k.jump(f, 'stopped');
    } else {
      k.jump(f, 'alive');
    }
  },
  reap: (k, t, f) => k.call(t, wait_task_zombie, { wo: f.locals.wo, p: f.locals.p, status: 0 }),
  reaped: retCallee,
  alive: (_k, _t, f) => { f.locals.wo.notask_error = 0; },
  stopped: (k, t, f) => k.call(t, wait_task_stopped, { wo: f.locals.wo, p: f.locals.p, exit_code: 0 }),
  stopped_ret: (k, t, f) => { if (f.ret) k.ret(t, f.ret); },
  continued: (k, t, f) => k.call(t, wait_task_continued, { wo: f.locals.wo, p: f.locals.p, exit_code: 0 }),
  continued_ret: retCallee,
}, ['p']);

/** find_get_pid(nr) in t's namespace, as the pid's global number (-1: no such pid there). */
export function find_vpid_nr(t: task_struct, nr: number): number {
  const p = find_task_by_pid_ns(nr, task_active_pid_ns(t));
  return p ? p.pid : -1;
}

function eligible_child(wo: wait_opts, p: task_struct): boolean {
  // eligible_pid: any child, the one pid, or a member of the process group.
  if (wo.wo_type === C.PIDTYPE_PID && p.pid !== wo.wo_pid) return false;
  if (wo.wo_type === C.PIDTYPE_PGID && task_pgrp(p) !== wo.wo_pid) return false;
  if (wo.wo_flags & C.__WALL) return true;
  if ((p.exit_signal !== C.SIGCHLD) !== ((wo.wo_flags & C.__WCLONE) !== 0)) return false;
  return true;
}

function delay_group_leader(p: task_struct): boolean {
  return p.pid === p.tgid && !thread_group_empty(p);
}

/** The threads of t's group whose children do_wait looks at: t itself and those not exiting. */
function liveThreads(t: task_struct): task_struct[] {
  const all = list_entries(t.signal.thread_head);
  let keep = 0;
  for (const x of all) if (!x.exit_state || x === t) all[keep++] = x;
  if (keep < all.length) all.length = keep;
  return all;
}
