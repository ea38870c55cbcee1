// kernel/fork.c: the syscall entries, kernel_clone and copy_process, in the order Linux 6.x runs
// them. The helpers copy_process calls (dup_task_struct, copy_files, copy_mm...) are in copy.ts.

import * as C from './consts';
import { retCallee, ret0, nop, kfunc, type KFunction, type StepHandler } from './frame';
import { list_add_tail } from './list';
import { NS_ZERO, type task_struct } from './task';
import type { Kernel } from './kernel';
import type { ForkVia } from '../machine-types';
import type { Value } from '../vm/types';
import {
  alloc_pid, copy_creds, copy_files, copy_fs, copy_mm, copy_sighand, copy_signal, copy_thread,
  dup_task_struct, undo_copy,
} from './copy';
import { sched_fork, wake_up_new_task } from './sched';

export interface kernel_clone_args {
  flags: number;
  exit_signal: number;
  via: ForkVia;
  /** pthread_create / kthread: the function the new thread starts in. */
  fn: string;
  fn_arg: Value;
  /** CLONE_PARENT_SETTID: where to store the new tid in the parent's memory. */
  parent_tid: number;
  /** kernel threads: the kthread trampoline frame is pushed on the child's stack. */
  kthread: boolean;
  /** kernel_thread(): the first kernel frame of the new thread (kthread() with its create info). */
  kframe: { fn: KFunction<object>; locals: object } | null;
  /** kernel_thread(): the new task's comm (args->name). */
  name: string;
  /** CLONE_CHILD_CLEARTID: the word cleared and woken when the thread exits (glibc's pd->tid). */
  child_tid: number;
  /** CLONE_SETTLS: the new thread's thread pointer (glibc's struct pthread). */
  tls: number;
}

export function cloneArgs(flags: number, exit_signal: number, via: ForkVia): kernel_clone_args {
  return { flags, exit_signal, via, fn: '', fn_arg: 0, parent_tid: 0, kthread: false, kframe: null, name: '', child_tid: 0, tls: 0 };
}

interface SysL { args: kernel_clone_args }

/** The steps fork, vfork and clone share: call kernel_clone with their args, return its value. */
const viaKernelClone: Record<string, StepHandler<SysL>> = {
  call: (k, t, f) => k.call(t, kernel_clone, kcLocals(f.locals.args)),
  ret: retCallee,
};

export const __x64_sys_fork = kfunc<SysL>('__x64_sys_fork', 'kernel/fork.c', `
SYSCALL_DEFINE0(fork)
{
	struct kernel_clone_args args = {
		.exit_signal = SIGCHLD,
	};

	return kernel_clone(&args);                         @call
}                                                       @ret
`, viaKernelClone, ['args']);

export const __x64_sys_vfork = kfunc<SysL>('__x64_sys_vfork', 'kernel/fork.c', `
SYSCALL_DEFINE0(vfork)
{
	/* The parent sleeps until the child calls execve or exits. */
	struct kernel_clone_args args = {
		.flags		= CLONE_VFORK | CLONE_VM,
		.exit_signal	= SIGCHLD,
	};

	return kernel_clone(&args);                         @call
}                                                       @ret
`, viaKernelClone, ['args']);

export const __x64_sys_clone = kfunc<SysL>('__x64_sys_clone', 'kernel/fork.c', `
SYSCALL_DEFINE5(clone, unsigned long, clone_flags, unsigned long, newsp,
		 int __user *, parent_tidptr, unsigned long, tls,
		 int __user *, child_tidptr)
{
	/* The low byte of clone_flags is the signal sent to the parent at exit. */
	struct kernel_clone_args args = {
		.flags		= (lower_32_bits(clone_flags) & ~CSIGNAL),
		.parent_tid	= parent_tidptr,
		.exit_signal	= (lower_32_bits(clone_flags) & CSIGNAL),
		.stack		= newsp,
		.tls		= tls,
	};

	return kernel_clone(&args);                         @call
}                                                       @ret
`, viaKernelClone, ['args']);

interface KcL {
  args: kernel_clone_args;
  clone_flags: number;
  p: task_struct | null;
  nr: number;
}
function kcLocals(args: kernel_clone_args): KcL {
  return { args, clone_flags: 0, p: null, nr: 0 };
}

export const kernel_clone = kfunc<KcL>('kernel_clone', 'kernel/fork.c', `
/*
 * The one path every process and thread creation takes in Linux 6.x (older
 * kernels, and most textbooks, call it do_fork; it was renamed in 5.10).
 */
pid_t kernel_clone(struct kernel_clone_args *args)
{
	u64 clone_flags = args->flags;                      @flags
	struct completion vfork;
	struct pid *pid;
	struct task_struct *p;
	pid_t nr;

	p = copy_process(NULL, 0, NUMA_NO_NODE, args);      @copy
	if (IS_ERR(p))                                      @check
		return PTR_ERR(p);

	trace_sched_process_fork(current, p);
	pid = get_task_pid(p, PIDTYPE_PID);
	nr = pid_vnr(pid);                                  @nr

	if (clone_flags & CLONE_PARENT_SETTID)
		put_user(nr, args->parent_tid);                 @settid

	if (clone_flags & CLONE_VFORK) {
		p->vfork_done = &vfork;                         @vfork_init
		init_completion(&vfork);
		get_task_struct(p);
	}

	wake_up_new_task(p);                                @wake

	/* forking complete and child started to run, tell ptracer */
	if (clone_flags & CLONE_VFORK) {
		wait_for_vfork_done(p, &vfork);                 @vfork_wait
	}

	put_pid(pid);
	return nr;                                          @ret
}
`, {
  flags: (_k, _t, f) => { f.locals.clone_flags = f.locals.args.flags; },
  copy: (k, t, f) => {
    k.call(t, copy_process, cpInit(f.locals.args), 'p');
  },
  check: (k, t, f) => {
    if (f.retp === null) k.ret(t, f.ret);
    else f.locals.p = f.retp as task_struct;
  },
  nr: (k, t, f) => {
    const p = f.locals.p as task_struct;
    f.locals.nr = p.pid;
    k.emit({ time: NS_ZERO, step: 0, kind: 'fork', parent: t.pid, child: p.pid, flags: f.locals.clone_flags | (f.locals.args.exit_signal & 0xff), via: f.locals.args.via });
  },
  settid: (k, t, f) => {
    if (f.locals.clone_flags & C.CLONE_PARENT_SETTID && f.locals.args.parent_tid) k.user.putUser(t, f.locals.args.parent_tid, f.locals.nr);
  },
  vfork_init: (_k, _t, f) => {
    if (f.locals.clone_flags & C.CLONE_VFORK) {
      const p = f.locals.p as task_struct;
      p.vfork_done = { done: 0, waiters: new Set() };
      p.usage++;
    }
  },
  wake: (k, t, f) => k.call(t, wake_up_new_task, { p: f.locals.p as task_struct }),
  vfork_wait: (k, t, f) => {
    if (f.locals.clone_flags & C.CLONE_VFORK) k.call(t, wait_for_vfork_done, { child: f.locals.p as task_struct });
  },
  ret: (k, t, f) => k.ret(t, f.locals.nr),
}, ['clone_flags', 'p', 'nr']);

interface VfL { child: task_struct }

export const wait_for_vfork_done = kfunc<VfL>('wait_for_vfork_done', 'kernel/fork.c', `
static int wait_for_vfork_done(struct task_struct *child,
				struct completion *vfork)
{
	/* The parent sleeps, killable, until the child releases its mm. */
	set_current_state(TASK_KILLABLE | TASK_FREEZABLE);  @sleep
	while (!completion_done(vfork))                     @check
		schedule();                                     @schedule
	task_lock(child);
	child->vfork_done = NULL;                           @done
	task_unlock(child);
	put_task_struct(child);
	return 0;                                           @ret
}
`, {
  sleep: (_k, t) => { t.__state = C.TASK_KILLABLE; },
  check: (k, t, f) => {
    const c = f.locals.child.vfork_done;
    if (!c || c.done > 0 || k.fatal_signal_pending(t)) { t.__state = C.TASK_RUNNING; k.jump(f, 'done'); return; }
    c.waiters.add(t);
  },
  schedule: (k, t, f) => { k.jump(f, 'sleep'); k.schedule(t); },
  done: (_k, t, f) => {
    t.__state = C.TASK_RUNNING;
    const c = f.locals.child.vfork_done;
    if (c) c.waiters.delete(t);
    f.locals.child.vfork_done = null;
    f.locals.child.usage--;
  },
  ret: ret0,
}, ['child']);

export interface CpL {
  args: kernel_clone_args;
  clone_flags: number;
  p: task_struct | null;
  retval: number;
  /** How far copying got, for the error path to undo exactly that much. */
  done: number;
  limit: 'pid_max' | 'RLIMIT_NPROC' | 'flags' | 'memory';
}
export function cpInit(args: kernel_clone_args): CpL {
  return { args, clone_flags: args.flags, p: null, retval: 0, done: 0, limit: 'flags' };
}

export const copy_process = kfunc<CpL>('copy_process', 'kernel/fork.c', `
/*
 * Builds the new task as a copy of current, sharing or duplicating each
 * resource as clone_flags say. The child is not runnable when this returns:
 * wake_up_new_task() puts it on a run queue.
 */
__latent_entropy struct task_struct *copy_process(
					struct pid *pid,
					int trace,
					int node,
					struct kernel_clone_args *args)
{
	int retval;
	struct task_struct *p;
	const u64 clone_flags = args->flags;

	/* Threads share signal handlers, and shared handlers need a shared mm. */
	if ((clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND))  @check_flags
		return ERR_PTR(-EINVAL);
	if ((clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM))
		return ERR_PTR(-EINVAL);
	/* A sibling (CLONE_PARENT) of init could never be reaped. */
	if ((clone_flags & CLONE_PARENT) &&
				current->signal->flags & SIGNAL_UNKILLABLE)
		return ERR_PTR(-EINVAL);

	retval = -ENOMEM;
	p = dup_task_struct(current, node);                 @dup
	p->flags &= ~PF_KTHREAD;
	if (args->kthread)
		p->flags |= PF_KTHREAD;
	if (args->kthread)
		set_kthread_struct(p);  /* p->vfork_done = &kthread->exited */

	retval = -EAGAIN;
	if (is_rlimit_overlimit(task_ucounts(p), UCOUNT_RLIMIT_NPROC,
				rlimit(RLIMIT_NPROC))) {                      @nproc
		if (p->real_cred->user != INIT_USER &&
		    !capable(CAP_SYS_RESOURCE) && !capable(CAP_SYS_ADMIN))
			goto bad_fork_cleanup_count;
	}
	current->flags &= ~PF_NPROC_EXCEEDED;

	retval = copy_creds(p, clone_flags);                @creds

	delayacct_tsk_init(p);
	p->flags &= ~(PF_SUPERPRIV | PF_WQ_WORKER | PF_IDLE | PF_NO_SETAFFINITY);
	p->flags |= PF_FORKNOEXEC;                          @pf_flags
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	p->vfork_done = NULL;
	p->utime = p->stime = p->gtime = 0;
	p->start_time = ktime_get_ns();

	/* Perform scheduler related setup. Assign this task to a CPU. */
	retval = sched_fork(clone_flags, p);                @sched

	retval = copy_semundo(clone_flags, p);              @semundo
	retval = copy_files(clone_flags, p, args->no_files); @files
	retval = copy_fs(clone_flags, p);                   @fs
	retval = copy_sighand(clone_flags, p);              @sighand
	retval = copy_signal(clone_flags, p);               @signal
	retval = copy_mm(clone_flags, p);                   @mm
	retval = copy_thread(p, args);                      @thread

	pid = alloc_pid(p->nsproxy->pid_ns_for_children, args->set_tid,
			args->set_tid_size);                            @alloc_pid
	if (IS_ERR(pid)) {                                  @pid_check
		retval = PTR_ERR(pid);
		goto bad_fork_cleanup_thread;
	}

	p->pid = pid_nr(pid);                               @ids
	if (clone_flags & CLONE_THREAD) {
		p->group_leader = current->group_leader;
		p->tgid = current->tgid;
	} else {
		p->group_leader = p;
		p->tgid = p->pid;
	}
	p->pdeath_signal = 0;
	p->clear_child_tid = (clone_flags & CLONE_CHILD_CLEARTID) ? args->child_tid : NULL;

	/* CLONE_PARENT re-uses the old parent */
	if (clone_flags & (CLONE_PARENT|CLONE_THREAD)) {    @parent
		p->real_parent = current->real_parent;
		if (clone_flags & CLONE_THREAD)
			p->exit_signal = -1;
		else
			p->exit_signal = current->group_leader->exit_signal;
	} else {
		p->real_parent = current;
		p->exit_signal = args->exit_signal;
	}
	p->parent = p->real_parent;

	if (thread_group_leader(p)) {                       @link
		init_task_pid(p, PIDTYPE_TGID, pid);
		init_task_pid(p, PIDTYPE_PGID, task_pgrp(current));
		init_task_pid(p, PIDTYPE_SID, task_session(current));
		p->signal->has_child_subreaper = p->real_parent->signal->has_child_subreaper ||
						 p->real_parent->signal->is_child_subreaper;
		list_add_tail(&p->sibling, &p->real_parent->children);
		list_add_tail_rcu(&p->tasks, &init_task.tasks);
		attach_pid(p, PIDTYPE_TGID);
		attach_pid(p, PIDTYPE_PGID);
		attach_pid(p, PIDTYPE_SID);
	} else {
		current->signal->nr_threads++;
		atomic_inc(&current->signal->live);
		refcount_inc(&current->signal->sigcnt);
		list_add_tail_rcu(&p->thread_node, &p->signal->thread_head);
	}
	attach_pid(p, PIDTYPE_PID);
	nr_threads++;
	total_forks++;
	return p;                                           @ret

bad_fork_cleanup_count:
	dec_rlimit_ucounts(task_ucounts(p), UCOUNT_RLIMIT_NPROC, 1);
	/* ... every copy made so far is undone in reverse order ... */
	delayed_free_task(p);
	return ERR_PTR(retval);                             @bad_fork
}
`, {
  check_flags: (k, t, f) => {
    const fl = f.locals.clone_flags;
    const bad = ((fl & C.CLONE_THREAD) && !(fl & C.CLONE_SIGHAND)) || ((fl & C.CLONE_SIGHAND) && !(fl & C.CLONE_VM))
      || ((fl & C.CLONE_PARENT) && (t.signal.flags & C.SIGNAL_UNKILLABLE));
    if (bad) {
      k.emit({ time: NS_ZERO, step: 0, kind: 'fork-failed', pid: t.pid, errno: 'EINVAL', limit: 'flags' });
      k.ret(t, -C.EINVAL, null);
    }
  },
  dup: (k, t, f) => k.call(t, dup_task_struct, { orig: t, tsk: null, kthread: f.locals.args.kthread }),
  nproc: (k, t, f) => {
    const p = f.retp as task_struct;
    f.locals.p = p;
    f.locals.done = 1;
    k.forking.push(p);
    const rl = t.signal.rlim_nproc.rlim_cur;
    if (p.real_cred.uid !== 0 && rl >= 0 && p.real_cred.user.processes >= rl) {
      f.locals.retval = -C.EAGAIN;
      f.locals.limit = 'RLIMIT_NPROC';
      k.jump(f, 'bad_fork');
      return;
    }
    t.flags &= ~C.PF_NPROC_EXCEEDED;
  },
  creds: (k, t, f) => { f.locals.done = 2; k.call(t, copy_creds, { p: f.locals.p as task_struct, clone_flags: f.locals.clone_flags }); },
  pf_flags: (k, t, f) => {
    const p = f.locals.p as task_struct;
    p.flags &= ~(C.PF_SUPERPRIV | C.PF_IDLE | C.PF_NO_SETAFFINITY);
    p.flags |= C.PF_FORKNOEXEC;
    p.vfork_done = null;
    if (f.locals.args.kthread) {
      p.flags |= C.PF_KTHREAD;
      set_kthread_struct(p, f.locals.args);
    } else {
      p.flags &= ~C.PF_KTHREAD;
    }
    p.utime = p.stime = 0;
    p.start_time = k.clock;
  },
  sched: (k, t, f) => k.call(t, sched_fork, { clone_flags: f.locals.clone_flags, p: f.locals.p as task_struct }),
  // SysV semaphore undo lists are shared with CLONE_SYSVSEM and otherwise empty.
  semundo: nop,
  files: (k, t, f) => { f.locals.done = 3; k.call(t, copy_files, { clone_flags: f.locals.clone_flags, tsk: f.locals.p as task_struct }); },
  fs: (k, t, f) => { f.locals.done = 4; k.call(t, copy_fs, { clone_flags: f.locals.clone_flags, tsk: f.locals.p as task_struct }); },
  sighand: (k, t, f) => { f.locals.done = 5; k.call(t, copy_sighand, { clone_flags: f.locals.clone_flags, tsk: f.locals.p as task_struct }); },
  signal: (k, t, f) => { f.locals.done = 6; k.call(t, copy_signal, { clone_flags: f.locals.clone_flags, tsk: f.locals.p as task_struct }); },
  mm: (k, t, f) => { f.locals.done = 7; k.call(t, copy_mm, { clone_flags: f.locals.clone_flags, tsk: f.locals.p as task_struct, oldmm: null, mm: null }); },
  thread: (k, t, f) => {
    // copy_mm's -ENOMEM (no memory for the copy): goto bad_fork_cleanup_signal.
    if (f.ret < 0) { f.locals.retval = f.ret; f.locals.limit = 'memory'; k.jump(f, 'bad_fork'); return; }
    f.locals.done = 8;
    k.call(t, copy_thread, { p: f.locals.p as task_struct, args: f.locals.args });
  },
  alloc_pid: (k, t) => k.call(t, alloc_pid, { nr: 0, tries: 0 }),
  pid_check: (k, t, f) => {
    if (f.ret < 0) {
      f.locals.retval = f.ret;
      f.locals.limit = 'pid_max';
      k.jump(f, 'bad_fork');
      return;
    }
    (f.locals.p as task_struct).pid = f.ret;
    f.locals.done = 9;
  },
  ids: (_k, t, f) => {
    const p = f.locals.p as task_struct;
    if (f.locals.clone_flags & C.CLONE_THREAD) {
      p.group_leader = t.group_leader;
      p.tgid = t.tgid;
    } else {
      p.group_leader = p;
      p.tgid = p.pid;
    }
    p.pdeath_signal = 0;
    const a = f.locals.args;
    // glibc passes &pd->tid: CLONE_PARENT_SETTID stores the tid there, and the exiting
    // thread's mm_release clears it.
    p.clear_child_tid = f.locals.clone_flags & C.CLONE_CHILD_CLEARTID ? a.child_tid : 0;
  },
  parent: (_k, t, f) => {
    const p = f.locals.p as task_struct;
    const fl = f.locals.clone_flags;
    if (fl & (C.CLONE_PARENT | C.CLONE_THREAD)) {
      p.real_parent = t.real_parent;
      p.exit_signal = fl & C.CLONE_THREAD ? -1 : t.group_leader.exit_signal;
    } else {
      p.real_parent = t;
      p.exit_signal = f.locals.args.exit_signal;
    }
    p.parent = p.real_parent;
  },
  link: (k, t, f) => {
    const p = f.locals.p as task_struct;
    // copy_process holds tasklist_lock from choosing the parent to linking the child, so an
    // exit_notify on another CPU cannot reparent current in between: read the parent again here.
    if (f.locals.clone_flags & (C.CLONE_PARENT | C.CLONE_THREAD)) p.real_parent = p.parent = t.real_parent;
    const rp = p.real_parent as task_struct;
    if (p.pid === p.tgid) {
      // A new process starts in its creator's process group and session.
      p.signal.pids[C.PIDTYPE_PGID] = t.signal.pids[C.PIDTYPE_PGID];
      p.signal.pids[C.PIDTYPE_SID] = t.signal.pids[C.PIDTYPE_SID];
      p.signal.has_child_subreaper = rp.signal.has_child_subreaper || rp.signal.is_child_subreaper;
      list_add_tail(p.sibling, rp.children);
      k.link_task(p);
      list_add_tail(p.thread_node, p.signal.thread_head);
    } else {
      t.signal.nr_threads++;
      t.signal.live++;
      t.signal.sigcnt++;
      list_add_tail(p.thread_node, p.signal.thread_head);
    }
    k.pid_hash.set(p.pid, p);
    forked(k, p);
    k.nr_threads++;
    k.total_forks++;
  },
  ret: (k, t, f) => k.ret(t, 0, f.locals.p),
  bad_fork: (k, t, f) => {
    const p = f.locals.p;
    if (p) { undo_copy(k, t, p, f.locals.done, f.locals.clone_flags); forked(k, p); }
    k.emit({ time: NS_ZERO, step: 0, kind: 'fork-failed', pid: t.pid, errno: f.locals.retval === -C.ENOMEM ? 'ENOMEM' : 'EAGAIN', limit: f.locals.limit });
    k.ret(t, f.locals.retval, null);
  },
}, ['clone_flags', 'p', 'retval']);

/** set_kthread_struct: the struct kthread, whose `exited` completion is p->vfork_done. */
function set_kthread_struct(p: task_struct, args: kernel_clone_args): void {
  const exited = { done: 0, waiters: new Set<task_struct>() };
  p.worker_private = { threadfn: '', data: 0, should_stop: false, exited, result: 0 };
  p.vfork_done = exited;
  if (args.name) p.comm = args.name.slice(0, C.TASK_COMM_LEN - 1);
}

/** p is no longer in copy_process's hands (hashed, or undone). */
function forked(k: Kernel, p: task_struct): void {
  const list = k.forking;
  const i = list.indexOf(p);
  if (i < 0) return;
  list[i] = list[list.length - 1];
  list.pop();
}
