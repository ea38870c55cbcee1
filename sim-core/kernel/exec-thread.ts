// fs/exec.c, the two steps of begin_new_exec that change who the task is: de_thread (the other
// threads die; a non-leader takes over the leader's pid) and exec_mmap (the old mm goes).

import * as C from './consts';
import { ret0, kfunc } from './frame';
import type { Kernel } from './kernel';
import { attach_pid } from './pidns';
import { list_replace_init } from './list';
import type { mm_struct, task_struct } from './task';
import { mm_release, mmdrop, mmput, zap_other_threads } from './exit';
import { release_task } from './release';
import { thread_group_empty } from './notify';

interface DtL { tsk: task_struct; leader: task_struct | null }

export const de_thread = kfunc<DtL>('de_thread', 'fs/exec.c', `
/*
 * This function makes sure the current process has its own signal table,
 * so that flush_signal_handlers can later reset the handlers without
 * disturbing other processes.  (Other processes might share the signal
 * table via the CLONE_SIGHAND option to clone().)
 */
static int de_thread(struct task_struct *tsk)
{
	struct signal_struct *sig = tsk->signal;

	if (thread_group_empty(tsk))                        @empty
		goto no_thread_group;

	/* Kill all other threads in the thread group. */
	if ((sig->flags & SIGNAL_GROUP_EXIT) || sig->group_exec_task) { @busy
		/* Another group action in progress: let the signal win. */
		return -EAGAIN;
	}

	sig->group_exec_task = tsk;
	sig->notify_count = zap_other_threads(tsk);         @zap
	if (!thread_group_leader(tsk))
		sig->notify_count--;

	while (sig->notify_count) {                         @wait_others
		__set_current_state(TASK_KILLABLE);
		schedule();                                     @schedule_others
		if (__fatal_signal_pending(tsk))                @killed_others
			goto killed;
	}

	/*
	 * At this point all other threads have exited, all we have to
	 * do is to wait for the thread group leader to become inactive,
	 * and to assume its PID:
	 */
	if (!thread_group_leader(tsk)) {                    @not_leader
		struct task_struct *leader = tsk->group_leader;

		for (;;) {
			sig->notify_count = -1;                     @wait_leader
			if (likely(leader->exit_state))
				break;
			__set_current_state(TASK_KILLABLE);
			schedule();                                 @schedule_leader
			if (__fatal_signal_pending(tsk))            @killed_leader
				goto killed;
		}

		/* The process is as old as its first leader. */
		tsk->start_time = leader->start_time;           @take_over

		/*
		 * An exec() starts a new thread group with the
		 * TGID of the previous thread group. Rehash the
		 * two threads with a switched PID, and release
		 * the former thread group leader:
		 */
		exchange_tids(tsk, leader);
		transfer_pid(leader, tsk, PIDTYPE_TGID);
		list_replace_rcu(&leader->tasks, &tsk->tasks);
		list_replace_init(&leader->sibling, &tsk->sibling);

		tsk->group_leader = tsk;
		leader->group_leader = tsk;

		tsk->exit_signal = SIGCHLD;
		leader->exit_signal = -1;

		BUG_ON(leader->exit_state != EXIT_ZOMBIE);
		leader->exit_state = EXIT_DEAD;

		release_task(leader);                           @release
	}

	sig->group_exec_task = NULL;                        @done
	sig->notify_count = 0;

no_thread_group:
	/* we have changed execution domain */
	tsk->exit_signal = SIGCHLD;                         @no_thread_group
	return 0;

killed:
	/* protects against exit_notify() and __exit_signal() */
	sig->group_exec_task = NULL;                        @killed
	sig->notify_count = 0;
	return -EAGAIN;
}
`, {
  empty: (k, t, f) => { if (thread_group_empty(t)) k.jump(f, 'no_thread_group'); },
  busy: (k, t) => {
    if (t.signal.flags & C.SIGNAL_GROUP_EXIT || t.signal.group_exec_task) k.ret(t, -C.EAGAIN);
  },
  zap: (k, t) => {
    const sig = t.signal;
    sig.group_exec_task = t;
    sig.notify_count = zap_other_threads(k, t);
    if (t.pid !== t.tgid) sig.notify_count--;
  },
  wait_others: (k, t, f) => {
    if (t.signal.notify_count <= 0) { k.jump(f, 'not_leader'); return; }
    t.__state = C.TASK_KILLABLE;
  },
  schedule_others: (k, t) => k.schedule(t),
  killed_others: (k, t, f) => k.jump(f, k.fatal_signal_pending(t) ? 'killed' : 'wait_others'),
  not_leader: (k, t, f) => {
    if (t.pid === t.tgid) { k.jump(f, 'done'); return; }
    f.locals.leader = t.group_leader;
  },
  wait_leader: (k, t, f) => {
    t.signal.notify_count = -1;
    if ((f.locals.leader as task_struct).exit_state) { k.jump(f, 'take_over'); return; }
    t.__state = C.TASK_KILLABLE;
  },
  schedule_leader: (k, t) => k.schedule(t),
  killed_leader: (k, t, f) => k.jump(f, k.fatal_signal_pending(t) ? 'killed' : 'wait_leader'),
  take_over: (k, t, f) => {
    t.__state = C.TASK_RUNNING;
    const leader = f.locals.leader as task_struct;
    t.start_time = leader.start_time;
    exchange_tids(k, t, leader);
    list_replace_init(leader.tasks, t.tasks);
    list_replace_init(leader.sibling, t.sibling);
    t.group_leader = t;
    leader.group_leader = t;
    t.exit_signal = C.SIGCHLD;
    leader.exit_signal = -1;
    leader.exit_state = C.EXIT_DEAD;
    leader.zombie_since = -1;
  },
  release: (k, t, f) => k.call(t, release_task, { p: f.locals.leader as task_struct, leader: null, zap_leader: false, by: t }),
  done: (_k, t) => {
    t.__state = C.TASK_RUNNING;
    t.signal.group_exec_task = null;
    t.signal.notify_count = 0;
  },
  no_thread_group: (k, t) => { t.exit_signal = C.SIGCHLD; k.ret(t, 0); },
  killed: (k, t) => {
    t.__state = C.TASK_RUNNING;
    t.signal.group_exec_task = null;
    t.signal.notify_count = 0;
    k.ret(t, -C.EAGAIN);
  },
}, ['tsk', 'leader']);

/**
 * exchange_tids + transfer_pid(PIDTYPE_TGID): the exec'ing thread gets the leader's pid (which is
 * the tgid), the old leader gets the thread's pid, with which it is released.
 */
function exchange_tids(k: Kernel, tsk: task_struct, leader: task_struct): void {
  const mine = tsk.pid;
  tsk.pid = leader.pid;
  leader.pid = mine;
  const pid = tsk.thread_pid;
  tsk.thread_pid = leader.thread_pid;
  leader.thread_pid = pid;
  attach_pid(tsk);
  attach_pid(leader);
  void k;
}

interface EmL { mm: mm_struct; old_mm: mm_struct | null; active_mm: mm_struct | null }

export const exec_mmap = kfunc<EmL>('exec_mmap', 'fs/exec.c', `
/* The task switches to the new program's address space and lets go of the old one. */
static int exec_mmap(struct mm_struct *mm)
{
	struct task_struct *tsk;
	struct mm_struct *old_mm, *active_mm;

	/* Notify parent that we're no longer interested in the old VM */
	tsk = current;
	old_mm = current->mm;                               @old
	exec_mm_release(tsk, old_mm);                       @release

	task_lock(tsk);
	active_mm = tsk->active_mm;                         @switch
	tsk->active_mm = mm;
	tsk->mm = mm;
	activate_mm(active_mm, mm);
	task_unlock(tsk);
	if (old_mm) {                                       @put
		mm_update_next_owner(old_mm);
		mmput(old_mm);
		return 0;
	}
	mmdrop_lazy_tlb(active_mm);
	return 0;                                           @ret
}
`, {
  old: (_k, t, f) => { f.locals.old_mm = t.mm; },
  release: (k, t) => exec_mm_release(k, t),
  switch: (_k, t, f) => {
    f.locals.active_mm = t.active_mm;
    t.active_mm = f.locals.mm;
    t.mm = f.locals.mm;
    const old = f.locals.old_mm;
    if (old && t.thread.stack_segment >= 0 && old.memory && old.mm_users > 1) old.memory.freeStack(t.thread.stack_segment);
    t.thread.stack_segment = -1;
  },
  // The task's reference to its old mm goes here; a kernel thread had none, only a lazy one.
  put: (k, t, f) => {
    const old = f.locals.old_mm;
    if (old) { mmput(old); k.ret(t, 0); return; }
    const active = f.locals.active_mm;
    if (active && active !== f.locals.mm) mmdrop(active);
  },
  ret: ret0,
}, ['mm', 'old_mm']);

/**
 * mm_release at exec: pd->tid is cleared and pthread_join woken when others still use the mm,
 * and a vfork parent waiting for this child is released (complete_vfork_done).
 */
export function exec_mm_release(k: Kernel, t: task_struct): void {
  mm_release(k, t);
}

