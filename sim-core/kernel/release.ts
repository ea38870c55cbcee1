// kernel/exit.c release_task and its helpers (__exit_signal, __unhash_process), detach_pid from
// kernel/pid.c, and put_task_struct: the last traces of a task disappear here.

import * as C from './consts';
import { ret0, kfunc } from './frame';
import type { Kernel } from './kernel';
import { free_pid } from './pidns';
import { list_del_init } from './list';
import { NS_ZERO, type task_struct } from './task';
import { do_notify_parent, thread_group_empty } from './notify';
import { schedStatOf } from './schedstat';

interface RtL { p: task_struct; leader: task_struct | null; zap_leader: boolean; by: task_struct | null }

export const release_task = kfunc<RtL>('release_task', 'kernel/exit.c', `
void release_task(struct task_struct *p)
{
	struct task_struct *leader;
	struct pid *thread_pid;
	int zap_leader;
repeat:
	/* The user no longer owns this task: RLIMIT_NPROC counts one fewer. */
	dec_rlimit_ucounts(task_ucounts(p), UCOUNT_RLIMIT_NPROC, 1); @ucounts

	write_lock_irq(&tasklist_lock);
	ptrace_release_task(p);
	thread_pid = get_pid(p->thread_pid);
	__exit_signal(p);                                   @exit_signal

	/*
	 * If we are the last non-leader member of the thread
	 * group, and the leader is zombie, then notify the
	 * group leader's parent process. (if it wants notification.)
	 */
	zap_leader = 0;
	leader = p->group_leader;                           @leader
	if (leader != p && thread_group_empty(leader)
			&& leader->exit_state == EXIT_ZOMBIE) {
		/* for pidfs_exit() and do_notify_parent() */
		if (leader->signal->flags & SIGNAL_GROUP_EXIT)
			leader->exit_code = leader->signal->group_exit_code;
		/*
		 * If we were the last child thread and the leader has
		 * exited already, and the leader's parent ignores SIGCHLD,
		 * then we are the one who should release the leader.
		 */
		zap_leader = do_notify_parent(leader, leader->exit_signal);
		if (zap_leader)
			leader->exit_state = EXIT_DEAD;
	}

	write_unlock_irq(&tasklist_lock);
	proc_flush_pid(thread_pid);
	put_pid(thread_pid);
	release_thread(p);
	put_task_struct_rcu_user(p);                        @put

	p = leader;
	if (unlikely(zap_leader))                           @repeat
		goto repeat;
}                                                       @ret
`, {
  ucounts: (k, _t, f) => {
    f.locals.p.real_cred.user.processes--;
    k.emit({ time: NS_ZERO, step: 0, kind: 'reap', pid: f.locals.p.pid, by: f.locals.by ? f.locals.by.pid : null, status: f.locals.p.exit_code });
    // The status wait4 hands the parent has the last word on how the scenario ended.
    if (f.locals.p.pid === k.main_pid) k.main_status = f.locals.p.exit_code;
  },
  exit_signal: (k, t, f) => k.call(t, __exit_signal, { tsk: f.locals.p, group_dead: false }),
  leader: (k, _t, f) => {
    const p = f.locals.p;
    const leader = p.group_leader;
    f.locals.leader = leader;
    f.locals.zap_leader = false;
    if (leader !== p && thread_group_empty(leader) && leader.exit_state === C.EXIT_ZOMBIE) {
      if (leader.signal.flags & C.SIGNAL_GROUP_EXIT) leader.exit_code = leader.signal.group_exit_code;
      f.locals.zap_leader = do_notify_parent(k, leader, leader.exit_signal);
      if (f.locals.zap_leader) { leader.exit_state = C.EXIT_DEAD; leader.zombie_since = -1; }
      else k.emit({ time: NS_ZERO, step: 0, kind: 'zombie', pid: leader.pid, parent: (leader.real_parent as task_struct).pid });
    }
  },
  put: (k, _t, f) => put_task_struct(k, f.locals.p),
  repeat: (k, _t, f) => {
    if (f.locals.zap_leader && f.locals.leader) {
      f.locals.p = f.locals.leader;
      f.locals.by = null;
      k.jump(f, 'ucounts');
    }
  },
  ret: ret0,
}, ['p', 'leader', 'zap_leader']);

interface EsL { tsk: task_struct; group_dead: boolean }

export const __exit_signal = kfunc<EsL>('__exit_signal', 'kernel/exit.c', `
/*
 * This function expects the tasklist_lock write-locked.
 */
static void __exit_signal(struct task_struct *tsk)
{
	struct signal_struct *sig = tsk->signal;
	bool group_dead = thread_group_leader(tsk);         @group
	struct sighand_struct *sighand;

	sighand = rcu_dereference_check(tsk->sighand,
					lockdep_tasklist_lock_is_held());
	spin_lock(&sighand->siglock);
	if (!group_dead) {                                  @notify
		/* A de_thread() in progress waits for the other threads to go. */
		if (sig->notify_count > 0 && !--sig->notify_count)
			wake_up_process(sig->group_exec_task);
	}
	/* Fold this thread's times into the group's. */
	sig->utime += utime;                                @times
	sig->stime += stime;
	sig->sum_sched_runtime += tsk->se.sum_exec_runtime;
	sig->nr_threads--;
	__unhash_process(tsk, group_dead);                  @unhash

	flush_sigqueue(&tsk->pending);                      @sighand
	tsk->sighand = NULL;
	spin_unlock(&sighand->siglock);

	__cleanup_sighand(sighand);
	if (group_dead)
		flush_sigqueue(&sig->shared_pending);
}                                                       @ret
`, {
  group: (_k, _t, f) => { f.locals.group_dead = f.locals.tsk.pid === f.locals.tsk.tgid; },
  notify: (k, t, f) => {
    const sig = f.locals.tsk.signal;
    if (!f.locals.group_dead && sig.notify_count > 0) {
      sig.notify_count--;
      if (sig.notify_count === 0 && sig.group_exec_task) k.wake_up_process(sig.group_exec_task, t);
    }
  },
  times: (k, _t, f) => {
    const p = f.locals.tsk;
    p.signal.utime += p.utime;
    p.signal.stime += p.stime;
    p.signal.sum_sched_runtime += p.se.sum_exec_runtime;
    if (k.sched_stats !== null) k.sched_stats.push(schedStatOf(p));
    p.signal.nr_threads--;
  },
  unhash: (k, _t, f) => __unhash_process(k, f.locals.tsk, f.locals.group_dead),
  sighand: (_k, _t, f) => {
    const p = f.locals.tsk;
    p.pending.signal[0] = p.pending.signal[1] = 0;
    if (p.sighand) p.sighand.count--;
    p.sighand = null;
    if (f.locals.group_dead) p.signal.shared_pending.signal[0] = p.signal.shared_pending.signal[1] = 0;
  },
  ret: ret0,
}, ['tsk', 'group_dead']);

/** __unhash_process: off the pid hash, the task list, the parent's children and the thread list. */
export function __unhash_process(k: Kernel, p: task_struct, group_dead: boolean): void {
  k.nr_threads--;
  detach_pid(k, p);
  if (group_dead) {
    list_del_init(p.tasks);
    list_del_init(p.sibling);
  }
  list_del_init(p.thread_node);
}

/** detach_pid: the struct pid loses its task; the number is free again once nothing uses it. */
export function detach_pid(k: Kernel, p: task_struct): void {
  free_pid(k, p);
}

/** put_task_struct: the last reference frees the task_struct and drops its signal_struct. */
export function put_task_struct(k: Kernel, p: task_struct): void {
  p.usage--;
  if (p.usage > 0) return;
  p.signal.sigcnt--;
  p.cred.usage--;
  k.freed(p);
}
