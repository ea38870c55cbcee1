// kernel/fork.c: the syscall entries, kernel_clone and wait_for_vfork_done, in the order Linux 6.x
// runs them. copy_process is in copy-process.ts, the helpers it calls (dup_task_struct,
// copy_files, copy_mm...) in copy.ts.

import * as C from './consts';
import { retCallee, ret0, kfunc, type KFunction, type StepHandler } from './frame';
import { NS_ZERO, type task_struct } from './task';
import type { ForkVia } from '../machine-types';
import type { Value } from '../vm/types';
import { copy_process, cpInit } from './copy-process';
import { wake_up_new_task } from './sched';
import { task_pid_vnr } from './pidns';

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

	return kernel_clone(&args);                         @call @ret
}
`, viaKernelClone, ['args']);

export const __x64_sys_vfork = kfunc<SysL>('__x64_sys_vfork', 'kernel/fork.c', `
SYSCALL_DEFINE0(vfork)
{
	/* The parent sleeps until the child calls execve or exits. */
	struct kernel_clone_args args = {
		.flags		= CLONE_VFORK | CLONE_VM,
		.exit_signal	= SIGCHLD,
	};

	return kernel_clone(&args);                         @call @ret
}
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

	return kernel_clone(&args);                         @call @ret
}
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

	if (clone_flags & CLONE_PARENT_SETTID)              @settid
		put_user(nr, args->parent_tid);

	if (clone_flags & CLONE_VFORK) {                    @vfork_init
		p->vfork_done = &vfork;
		init_completion(&vfork);
		get_task_struct(p);
	}

	wake_up_new_task(p);                                @wake

	/* forking complete and child started to run, tell ptracer */
	if (clone_flags & CLONE_VFORK) {                    @vfork_test
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
    f.locals.nr = task_pid_vnr(p, t);
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
  vfork_test: (k, _t, f) => { if (!(f.locals.clone_flags & C.CLONE_VFORK)) k.jump(f, 'ret'); },
  vfork_wait: (k, t, f) => k.call(t, wait_for_vfork_done, { child: f.locals.p as task_struct }),
  ret: (k, t, f) => k.ret(t, f.locals.nr),
}, ['clone_flags', 'p', 'nr']);

interface VfL { child: task_struct }

export const wait_for_vfork_done = kfunc<VfL>('wait_for_vfork_done', 'kernel/fork.c', `
static int wait_for_vfork_done(struct task_struct *child,
				struct completion *vfork)
{
	/* The parent sleeps, killable, until the child releases its mm. */
	for (;;) {
		set_current_state(TASK_KILLABLE | TASK_FREEZABLE); @sleep
		if (completion_done(vfork) || fatal_signal_pending(current)) @check
			break;
		schedule();                                     @schedule
	}
	__set_current_state(TASK_RUNNING);
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

export { copy_process, cpInit, type CpL } from './copy-process';
