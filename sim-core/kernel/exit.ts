// kernel/exit.c, first half: exit and exit_group, do_group_exit, do_exit and the teardown of the
// task's resources (exit_signals, exit_mm, exit_sem, exit_files, exit_fs). exit_notify is in
// notify.ts, release_task in release.ts, the wait family in wait.ts.

import { put_files_struct } from './file';
import * as C from './consts';
import { ret0, nop, kfunc } from './frame';
import type { Kernel } from './kernel';
import { list_entries } from './list';
import { NS_ZERO, type task_struct } from './task';
import { exit_notify } from './notify';
import { do_task_dead } from './sched';
import { hrtimer_cancel } from './itimer';

interface CodeL { code: number }

export const __x64_sys_exit = kfunc<CodeL>('__x64_sys_exit', 'kernel/exit.c', `
/* Ends only the calling thread (pthread_exit, a thread's start routine returning). */
SYSCALL_DEFINE1(exit, int, error_code)
{
	do_exit((error_code&0xff)<<8);                      @exit
}
`, {
  exit: (k, t, f) => k.call(t, do_exit, doExitInit((f.locals.code & 0xff) << 8)),
}, ['code']);

export const __x64_sys_exit_group = kfunc<CodeL>('__x64_sys_exit_group', 'kernel/exit.c', `
/* exit() in the C library, and main() returning, end the whole thread group. */
SYSCALL_DEFINE1(exit_group, int, error_code)
{
	do_group_exit((error_code & 0xff) << 8);            @exit
	/* NOTREACHED */
	return 0;
}
`, {
  exit: (k, t, f) => k.call(t, do_group_exit, { exit_code: (f.locals.code & 0xff) << 8 }),
}, ['code']);

interface GeL { exit_code: number }

export const do_group_exit = kfunc<GeL>('do_group_exit', 'kernel/exit.c', `
/*
 * Take down every thread in the group: the first one to get here records the
 * exit code and sends SIGKILL to the others (zap_other_threads).
 */
void __noreturn
do_group_exit(int exit_code)
{
	struct signal_struct *sig = current->signal;

	if (sig->flags & SIGNAL_GROUP_EXIT)                 @check
		exit_code = sig->group_exit_code;
	else if (sig->group_exec_task)
		exit_code = 0;
	else {
		struct sighand_struct *const sighand = current->sighand;

		spin_lock_irq(&sighand->siglock);
		sig->group_exit_code = exit_code;               @zap
		sig->flags = SIGNAL_GROUP_EXIT;
		zap_other_threads(current);
		spin_unlock_irq(&sighand->siglock);
	}

	do_exit(exit_code);                                 @exit
	/* NOTREACHED */
}
`, {
  check: (k, t, f) => {
    const sig = t.signal;
    if (sig.flags & C.SIGNAL_GROUP_EXIT) { f.locals.exit_code = sig.group_exit_code; k.jump(f, 'exit'); }
    else if (sig.group_exec_task) { f.locals.exit_code = 0; k.jump(f, 'exit'); }
  },
  zap: (k, t, f) => {
    t.signal.group_exit_code = f.locals.exit_code;
    t.signal.flags = C.SIGNAL_GROUP_EXIT;
    zap_other_threads(k, t);
  },
  exit: (k, t, f) => k.call(t, do_exit, doExitInit(f.locals.exit_code)),
}, ['exit_code']);

/** Queues SIGKILL to every other thread of the group and wakes them (signal_wake_up). */
export function zap_other_threads(k: Kernel, p: task_struct): number {
  let count = 0;
  p.signal.group_stop_count = 0;
  for (const t of list_entries(p.signal.thread_head)) {
    if (t === p) continue;
    // Dead threads count too: de_thread waits for each one to be released.
    count++;
    if (t.exit_state) continue;
    t.pending.signal[0] |= 1 << (C.SIGKILL - 1);
    k.signal_wake_up(t, true);
  }
  return count;
}

interface DeL { code: number; group_dead: boolean }
function doExitInit(code: number): DeL {
  return { code, group_dead: false };
}

export const do_exit = kfunc<DeL>('do_exit', 'kernel/exit.c', `
void __noreturn do_exit(long code)
{
	struct task_struct *tsk = current;
	int group_dead;

	/* The last thread to leave records its code as the group's. */
	synchronize_group_exit(tsk, code);                  @sync

	/* From here on signals are no longer delivered to this thread. */
	exit_signals(tsk);  /* sets PF_EXITING */           @signals

	group_dead = atomic_dec_and_test(&tsk->signal->live); @live
	if (group_dead) {                                   @init
		/*
		 * If the last thread of global init has exited, panic
		 * immediately to get a useable coredump.
		 */
		if (unlikely(is_global_init(tsk)))
			panic("Attempted to kill init! exitcode=0x%08x\\n",
				tsk->signal->group_exit_code ?: (int)code);
		/* alarm() and setitimer(ITIMER_REAL) die with the process. */
		hrtimer_cancel(&tsk->signal->real_timer);
	}
	tsk->exit_code = code;                              @code
	taskstats_exit(tsk, group_dead);

	exit_mm();                                          @mm

	trace_sched_process_exit(tsk);

	exit_sem(tsk);                                      @sem
	exit_shm(tsk);
	exit_files(tsk);                                    @files
	exit_fs(tsk);                                       @fs
	exit_task_namespaces(tsk);
	exit_task_work(tsk);
	exit_thread(tsk);

	cgroup_exit(tsk);
	exit_notify(tsk, group_dead);                       @notify
	proc_exit_connector(tsk);

	do_task_dead();                                     @dead
}
`, {
  sync: (_k, t, f) => synchronize_group_exit(t, f.locals.code),
  signals: (k, t) => k.call(t, exit_signals, { tsk: t }),
  live: (k, t, f) => {
    t.signal.live--;
    f.locals.group_dead = t.signal.live === 0;
  },
  init: (k, t, f) => {
    if (f.locals.group_dead) hrtimer_cancel(k, t.signal);
    if (f.locals.group_dead && t.tgid === 1) {
      const code = t.signal.group_exit_code || f.locals.code;
      k.panic(`Attempted to kill init! exitcode=0x${(code >>> 0).toString(16).padStart(8, '0')}`);
    }
  },
  code: (k, t, f) => {
    t.exit_code = f.locals.code;
    k.emit({ time: NS_ZERO, step: 0, kind: 'exit', pid: t.pid, code: f.locals.code, comm: t.comm });
    if (t.pid === k.main_pid) k.main_status = f.locals.code;
  },
  mm: (k, t) => k.call(t, exit_mm, { mm: null }),
  // No SysV semaphore undo entries to apply.
  sem: nop,
  files: (k, t) => k.call(t, exit_files, { tsk: t }),
  fs: (k, t) => k.call(t, exit_fs, { tsk: t }),
  notify: (k, t, f) => k.call(t, exit_notify, { tsk: t, group_dead: f.locals.group_dead, autoreap: false, dead: [], i: 0 }),
  dead: (k, t) => k.call(t, do_task_dead, {}),
}, ['code', 'group_dead']);

/**
 * synchronize_group_exit: one thread fewer has started to exit (quick_threads); when it is the
 * last and no group exit is under way, the group ends with this thread's code. This is why a
 * process whose leader left first (pthread_exit in main) reports its last thread's code.
 */
export function synchronize_group_exit(tsk: task_struct, code: number): void {
  const signal = tsk.signal;
  signal.quick_threads--;
  if (signal.quick_threads === 0 && !(signal.flags & C.SIGNAL_GROUP_EXIT)) {
    signal.flags = C.SIGNAL_GROUP_EXIT;
    signal.group_exit_code = code;
    signal.group_stop_count = 0;
  }
}

interface TskL { tsk: task_struct }

export const exit_signals = kfunc<TskL>('exit_signals', 'kernel/signal.c', `
void exit_signals(struct task_struct *tsk)
{
	int group_stop = 0;
	sigset_t unblocked;

	cgroup_threadgroup_change_begin(tsk);

	if (thread_group_empty(tsk) || (tsk->signal->flags & SIGNAL_GROUP_EXIT)) { @flag
		sched_mm_cid_exit_signals(tsk);
		tsk->flags |= PF_EXITING;
		cgroup_threadgroup_change_end(tsk);
		return;
	}

	spin_lock_irq(&tsk->sighand->siglock);
	/* From now this task is not visible for group-wide signals. */
	tsk->flags |= PF_EXITING;
	cgroup_threadgroup_change_end(tsk);

	if (!task_sigpending(tsk))
		goto out;
	/* Hand its pending signals to a thread that will stay alive. */
	unblocked = tsk->blocked;
	signotset(&unblocked);
	retarget_shared_pending(tsk, &unblocked);
out:
	spin_unlock_irq(&tsk->sighand->siglock);
}                                                       @ret
`, {
  // Both ways PF_EXITING is set; the model hands no pending signal on (retarget_shared_pending).
  flag: (_k, t) => { t.flags |= C.PF_EXITING; },
  ret: ret0,
}, ['tsk']);

interface MmL { mm: task_struct['mm'] }

export const exit_mm = kfunc<MmL>('exit_mm', 'kernel/exit.c', `
/*
 * Let go of the address space. A vfork parent waiting on this child is
 * released here (mm_release -> complete_vfork_done), and a pthread_join
 * waiting on clear_child_tid is woken.
 */
static void exit_mm(void)
{
	struct mm_struct *mm = current->mm;

	exit_mm_release(current, mm);                       @release
	if (!mm)
		return;
	mmap_read_lock(mm);
	mmgrab_lazy_tlb(mm);                                @grab
	task_lock(current);
	current->mm = NULL;                                 @drop
	enter_lazy_tlb(mm, current);
	task_unlock(current);
	mmap_read_unlock(mm);
	mm_update_next_owner(mm);
	mmput(mm);                                          @mmput
}                                                       @ret
`, {
  release: (k, t, f) => {
    f.locals.mm = t.mm;
    mm_release(k, t);
    if (!t.mm) k.jump(f, 'ret');
  },
  grab: (_k, t) => { if (t.mm) t.mm.mm_count++; },
  drop: (_k, t, f) => {
    const mm = f.locals.mm;
    t.mm = null;
    if (!mm) return;
    if (t.thread.stack_segment >= 0 && mm.memory) mm.memory.freeStack(t.thread.stack_segment);
    t.thread.stack_segment = -1;
  },
  // The task's reference to the mm goes here: mm_users drops, the last user tears it down.
  mmput: (_k, _t, f) => { if (f.locals.mm) mmput(f.locals.mm); },
  ret: ret0,
}, ['mm']);

/** Drops a user of the address space; the last one tears it down and drops mm_count. */
export function mmput(mm: NonNullable<task_struct['mm']>): void {
  mm.mm_users--;
  if (mm.mm_users === 0) {
    mm_free_memory(mm);
    mmdrop(mm);
  }
}

/** The address space's cells go back to the machine: nobody uses this mm's memory any more. */
export function mm_free_memory(mm: NonNullable<task_struct['mm']>): void {
  mm.memory?.release();
  mm.memory = null;
}

export function mmdrop(mm: NonNullable<task_struct['mm']>): void {
  mm.mm_count--;
}

/**
 * mm_release: pd->tid is cleared and its futex woken (pthread_join) while others still use the
 * mm, then the vfork completion (a vfork parent, or kthread_stop waiting on kthread->exited).
 */
export function mm_release(k: Kernel, t: task_struct): void {
  const addr = t.clear_child_tid;
  if (addr) {
    if (t.mm && t.mm.mm_users > 1) {
      k.user.putUser(t, addr, 0);
      k.futex_wake(addr, t);
    }
    t.clear_child_tid = 0;
  }
  if (t.vfork_done) complete_vfork_done(k, t);
}

/** complete_vfork_done: the parent blocked in wait_for_vfork_done may run again. */
export function complete_vfork_done(k: Kernel, t: task_struct): void {
  const c = t.vfork_done;
  if (!c) return;
  t.vfork_done = null;
  c.done++;
  for (const w of [...c.waiters]) k.try_to_wake_up(w, C.TASK_NORMAL, t);
}

export const exit_files = kfunc<TskL>('exit_files', 'fs/file.c', `
void exit_files(struct task_struct *tsk)
{
	struct files_struct * files = tsk->files;

	if (files) {                                        @put
		task_lock(tsk);
		tsk->files = NULL;
		task_unlock(tsk);
		put_files_struct(files);
	}
}                                                       @ret
`, {
  put: (k, t) => {
    const files = t.files;
    if (!files) return;
    t.files = null;
    put_files_struct(k, files, t);
  },
  ret: ret0,
}, ['tsk']);

export const exit_fs = kfunc<TskL>('exit_fs', 'fs/fs_struct.c', `
void exit_fs(struct task_struct *tsk)
{
	struct fs_struct *fs = tsk->fs;

	if (fs) {                                           @put
		int kill;
		task_lock(tsk);
		spin_lock(&fs->lock);
		tsk->fs = NULL;
		kill = !--fs->users;
		spin_unlock(&fs->lock);
		task_unlock(tsk);
		if (kill)
			free_fs_struct(fs);
	}
}                                                       @ret
`, {
  put: (_k, t) => { if (t.fs) { t.fs.users--; t.fs = null; } },
  ret: ret0,
}, ['tsk']);
