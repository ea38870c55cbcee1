// kernel/fork.c: copy_process, the body of every fork, vfork, clone and kernel thread creation,
// in Linux 6.x's order, with its bad_fork_cleanup_* ladder as real steps: a failure jumps to the
// label of the last resource copied and every release below it runs, one line at a time.

import { put_files_struct } from './file';
import * as C from './consts';
import { nop, kfunc } from './frame';
import type { Kernel } from './kernel';
import { list_add_tail } from './list';
import { NS_ZERO, type pid, type task_struct } from './task';
import type { kernel_clone_args } from './fork';
import { attach_pid, copy_namespaces, is_child_reaper, task_active_pid_ns } from './pidns';
import { alloc_pid, allocPidLocals, copy_creds, copy_files, copy_fs, copy_mm, copy_sighand, copy_signal, copy_thread, dup_task_struct } from './copy';
import { mmput } from './exit';
import { sched_fork } from './sched';

export interface CpL {
  args: kernel_clone_args;
  clone_flags: number;
  p: task_struct | null;
  retval: number;
  /** The pid number alloc_pid handed out (negative: its error). */
  pid: number;
  /** Which limit a failing fork hit, for its 'fork-failed' event. */
  limit: 'pid_max' | 'RLIMIT_NPROC' | 'flags' | 'memory' | 'pidns';
}
export function cpInit(args: kernel_clone_args): CpL {
  return { args, clone_flags: args.flags, p: null, retval: 0, pid: 0, limit: 'flags' };
}

/** The task being built (set by the step after dup_task_struct returns). */
function child(f: { locals: CpL }): task_struct {
  return f.locals.p as task_struct;
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
	/* A thread cannot live in another pid namespace than its group. */
	if (clone_flags & CLONE_THREAD) {
		if ((clone_flags & (CLONE_NEWUSER | CLONE_NEWPID)) ||
		    (task_active_pid_ns(current) != nsp->pid_ns_for_children))
			return ERR_PTR(-EINVAL);
	}

	retval = -ENOMEM;
	p = dup_task_struct(current, node);                 @dup
	if (!p)
		goto fork_out;
	p->flags &= ~PF_KTHREAD;
	if (args->kthread)
		p->flags |= PF_KTHREAD;
	p->clear_child_tid = (clone_flags & CLONE_CHILD_CLEARTID) ? args->child_tid : NULL;

	retval = copy_creds(p, clone_flags);                @creds
	if (retval < 0)
		goto bad_fork_free;

	/* The new creds' user already counts the child: over the limit means > */
	retval = -EAGAIN;
	if (is_rlimit_overlimit(task_ucounts(p), UCOUNT_RLIMIT_NPROC,
				rlimit(RLIMIT_NPROC))) {                      @nproc
		if (p->real_cred->user != INIT_USER &&
		    !capable(CAP_SYS_RESOURCE) && !capable(CAP_SYS_ADMIN))
			goto bad_fork_cleanup_count;
	}
	current->flags &= ~PF_NPROC_EXCEEDED;

	delayacct_tsk_init(p);
	p->flags &= ~(PF_SUPERPRIV | PF_WQ_WORKER | PF_IDLE | PF_NO_SETAFFINITY);
	p->flags |= PF_FORKNOEXEC;                          @pf_flags
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	p->vfork_done = NULL;
	p->utime = p->stime = p->gtime = 0;
	if (args->kthread)
		set_kthread_struct(p);  /* p->vfork_done = &kthread->exited */

	/* Perform scheduler related setup. Assign this task to a CPU. */
	retval = sched_fork(clone_flags, p);                @sched
	if (retval)
		goto bad_fork_cleanup_policy;

	/* The copies below cannot fail in this model; in Linux each can (-ENOMEM). */
	retval = copy_semundo(clone_flags, p);              @semundo
	if (retval)
		goto bad_fork_cleanup_security;
	retval = copy_files(clone_flags, p, args->no_files); @files
	if (retval)
		goto bad_fork_cleanup_semundo;
	retval = copy_fs(clone_flags, p);                   @fs
	if (retval)
		goto bad_fork_cleanup_files;
	retval = copy_sighand(clone_flags, p);              @sighand
	if (retval)
		goto bad_fork_cleanup_fs;
	retval = copy_signal(clone_flags, p);               @signal
	if (retval)
		goto bad_fork_cleanup_sighand;
	retval = copy_mm(clone_flags, p);                   @mm
	if (retval)                                         @mm_check
		goto bad_fork_cleanup_signal;
	retval = copy_namespaces(clone_flags, p);           @namespaces
	if (retval)                                         @ns_check
		goto bad_fork_cleanup_mm;
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
	p->start_time = ktime_get_ns();

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

		if (is_child_reaper(pid)) {
			ns_of_pid(pid)->child_reaper = p;
			p->signal->flags |= SIGNAL_UNKILLABLE;
		}
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

	/* Each label undoes one copy, then falls through to undo the earlier ones. */
bad_fork_cleanup_thread:
	exit_thread(p);                                     @cleanup_thread
bad_fork_cleanup_namespaces:
	exit_task_namespaces(p);                            @cleanup_namespaces
bad_fork_cleanup_mm:
	if (p->mm) {                                        @cleanup_mm
		mm_clear_owner(p->mm, p);
		mmput(p->mm);
	}
bad_fork_cleanup_signal:
	if (!(clone_flags & CLONE_THREAD))                  @cleanup_signal
		free_signal_struct(p->signal);
bad_fork_cleanup_sighand:
	__cleanup_sighand(p->sighand);                      @cleanup_sighand
bad_fork_cleanup_fs:
	exit_fs(p); /* blocking */                          @cleanup_fs
bad_fork_cleanup_files:
	exit_files(p); /* blocking */                       @cleanup_files
bad_fork_cleanup_semundo:
	exit_sem(p);
bad_fork_cleanup_security:
	security_task_free(p);
bad_fork_cleanup_policy:
	lockdep_free_task(p);
bad_fork_cleanup_count:
	dec_rlimit_ucounts(task_ucounts(p), UCOUNT_RLIMIT_NPROC, 1); @cleanup_count
	exit_creds(p);
bad_fork_free:
	WRITE_ONCE(p->__state, TASK_DEAD);                  @free
	put_task_stack(p);
	delayed_free_task(p);
fork_out:
	return ERR_PTR(retval);                             @fork_out
}
`, {
  check_flags: (k, t, f) => {
    const fl = f.locals.clone_flags;
    const bad = ((fl & C.CLONE_THREAD) && !(fl & C.CLONE_SIGHAND)) || ((fl & C.CLONE_SIGHAND) && !(fl & C.CLONE_VM))
      || ((fl & C.CLONE_PARENT) && (t.signal.flags & C.SIGNAL_UNKILLABLE))
      || ((fl & C.CLONE_THREAD) && ((fl & C.CLONE_NEWPID) || task_active_pid_ns(t) !== t.nsproxy.pid_ns_for_children));
    if (bad) {
      k.emit({ time: NS_ZERO, step: 0, kind: 'fork-failed', pid: t.pid, errno: 'EINVAL', limit: 'flags' });
      k.ret(t, -C.EINVAL, null);
    }
  },
  dup: (k, t, f) => {
    f.locals.retval = -C.ENOMEM;
    k.call(t, dup_task_struct, { orig: t, tsk: null, kthread: f.locals.args.kthread }, 'p');
  },
  // The lines between dup_task_struct and copy_creds run first (dup cannot fail here).
  creds: (k, t, f) => {
    const p = child(f);
    k.forking.push(p);
    if (f.locals.args.kthread) p.flags |= C.PF_KTHREAD;
    else p.flags &= ~C.PF_KTHREAD;
    p.clear_child_tid = f.locals.clone_flags & C.CLONE_CHILD_CLEARTID ? f.locals.args.child_tid : 0;
    k.call(t, copy_creds, { p, clone_flags: f.locals.clone_flags }, 'retval');
  },
  nproc: (k, t, f) => {
    f.locals.retval = -C.EAGAIN;
    const p = child(f);
    const rl = t.signal.rlim_nproc.rlim_cur;
    // copy_creds counted the child already: the user is over the limit past it.
    if (p.real_cred.uid !== 0 && rl >= 0 && p.real_cred.user.processes > rl) {
      f.locals.limit = 'RLIMIT_NPROC';
      k.jump(f, 'cleanup_count');
      return;
    }
    t.flags &= ~C.PF_NPROC_EXCEEDED;
  },
  pf_flags: (k, _t, f) => {
    const p = child(f);
    p.flags &= ~(C.PF_SUPERPRIV | C.PF_IDLE | C.PF_NO_SETAFFINITY);
    p.flags |= C.PF_FORKNOEXEC;
    p.vfork_done = null;
    p.utime = p.stime = 0;
    if (f.locals.args.kthread) set_kthread_struct(p, f.locals.args);
  },
  // retval takes the results of copy_creds, sched_fork (after the -EAGAIN above) and copy_mm
  // (which can fail); the copies between return 0 into a retval that already holds 0.
  sched: (k, t, f) => k.call(t, sched_fork, { clone_flags: f.locals.clone_flags, p: child(f) }, 'retval'),
  // SysV semaphore undo lists are shared with CLONE_SYSVSEM and otherwise empty.
  semundo: nop,
  files: (k, t, f) => k.call(t, copy_files, { clone_flags: f.locals.clone_flags, tsk: child(f) }),
  fs: (k, t, f) => k.call(t, copy_fs, { clone_flags: f.locals.clone_flags, tsk: child(f) }),
  sighand: (k, t, f) => k.call(t, copy_sighand, { clone_flags: f.locals.clone_flags, tsk: child(f) }),
  signal: (k, t, f) => k.call(t, copy_signal, { clone_flags: f.locals.clone_flags, tsk: child(f) }),
  mm: (k, t, f) => k.call(t, copy_mm, { clone_flags: f.locals.clone_flags, tsk: child(f), oldmm: null, mm: null }, 'retval'),
  // copy_mm's -ENOMEM (no memory for the copy).
  mm_check: (k, _t, f) => {
    if (f.locals.retval !== 0) { f.locals.limit = 'memory'; k.jump(f, 'cleanup_signal'); }
  },
  namespaces: (k, t, f) => k.call(t, copy_namespaces, { flags: f.locals.clone_flags, tsk: child(f) }, 'retval'),
  ns_check: (k, _t, f) => {
    if (f.locals.retval !== 0) { f.locals.limit = 'pidns'; k.jump(f, 'cleanup_mm'); }
  },
  thread: (k, t, f) => k.call(t, copy_thread, { p: child(f), args: f.locals.args }),
  alloc_pid: (k, t, f) => k.call(t, alloc_pid, allocPidLocals(child(f).nsproxy.pid_ns_for_children), 'pid'),
  pid_check: (k, _t, f) => {
    if (f.locals.pid < 0) {
      f.locals.retval = f.locals.pid;
      f.locals.limit = f.locals.pid === -C.ENOMEM ? 'pidns' : 'pid_max';
      k.jump(f, 'cleanup_thread');
    }
  },
  ids: (k, t, f) => {
    const p = child(f);
    p.pid = f.locals.pid;
    p.thread_pid = f.retp as pid;
    if (f.locals.clone_flags & C.CLONE_THREAD) {
      p.group_leader = t.group_leader;
      p.tgid = t.tgid;
    } else {
      p.group_leader = p;
      p.tgid = p.pid;
    }
    p.pdeath_signal = 0;
    p.start_time = k.clock;
  },
  parent: (_k, t, f) => {
    const p = child(f);
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
    const p = child(f);
    // copy_process holds tasklist_lock from choosing the parent to linking the child, so an
    // exit_notify on another CPU cannot reparent current in between: read the parent again here.
    if (f.locals.clone_flags & (C.CLONE_PARENT | C.CLONE_THREAD)) p.real_parent = p.parent = t.real_parent;
    const rp = p.real_parent as task_struct;
    if (p.pid === p.tgid) {
      // A new process starts in its creator's process group and session.
      p.signal.pids[C.PIDTYPE_PGID] = t.signal.pids[C.PIDTYPE_PGID];
      p.signal.pids[C.PIDTYPE_SID] = t.signal.pids[C.PIDTYPE_SID];
      if (is_child_reaper(p.thread_pid)) {
        task_active_pid_ns(p).child_reaper = p;
        p.signal.flags |= C.SIGNAL_UNKILLABLE;
      }
      p.signal.has_child_subreaper = rp.signal.has_child_subreaper || rp.signal.is_child_subreaper;
      list_add_tail(p.sibling, rp.children);
      k.link_task(p);
      list_add_tail(p.thread_node, p.signal.thread_head);
    } else {
      t.signal.nr_threads++;
      t.signal.live++;
      t.signal.quick_threads++;
      t.signal.sigcnt++;
      list_add_tail(p.thread_node, p.signal.thread_head);
    }
    attach_pid(p);
    forked(k, p);
    k.nr_threads++;
    k.total_forks++;
  },
  ret: (k, t, f) => k.ret(t, 0, f.locals.p),
  // The ladder: each step releases what one copy took (p->thread.regs, the mm's user, the
  // signal_struct's count, sighand's, fs's and files' users, the user's task count).
  cleanup_thread: (_k, _t, f) => { child(f).thread.regs = null; },
  // exit_task_namespaces: the nsproxy copy_namespaces gave the child is dropped.
  cleanup_namespaces: (_k, t, f) => { const p = child(f); p.nsproxy.count--; p.nsproxy = t.nsproxy; },
  cleanup_mm: (_k, _t, f) => { const p = child(f); if (p.mm) mmput(p.mm); },
  cleanup_signal: (_k, _t, f) => { if (!(f.locals.clone_flags & C.CLONE_THREAD)) child(f).signal.sigcnt--; },
  cleanup_sighand: (_k, _t, f) => { const p = child(f); if (p.sighand) p.sighand.count--; },
  cleanup_fs: (_k, _t, f) => { const p = child(f); if (p.fs) p.fs.users--; },
  cleanup_files: (k, t, f) => { const p = child(f); if (p.files) put_files_struct(k, p.files, t); },
  cleanup_count: (_k, _t, f) => { child(f).cred.user.processes--; },
  free: (k, _t, f) => {
    const p = child(f);
    p.usage = 0;
    forked(k, p);
  },
  fork_out: (k, t, f) => {
    k.emit({ time: NS_ZERO, step: 0, kind: 'fork-failed', pid: t.pid, errno: forkErrno(f.locals.retval), limit: f.locals.limit });
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

function forkErrno(retval: number): 'ENOMEM' | 'EAGAIN' | 'EINVAL' | 'EPERM' | 'ENOSPC' {
  switch (-retval) {
    case C.ENOMEM: return 'ENOMEM';
    case C.EINVAL: return 'EINVAL';
    case C.EPERM: return 'EPERM';
    case C.ENOSPC: return 'ENOSPC';
    default: return 'EAGAIN';
  }
}
