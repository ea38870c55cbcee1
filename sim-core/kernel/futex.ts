// Threads: clone3 (kernel/fork.c), which the C library's pthread_create calls with its thread
// flags, and futex (kernel/futex/), on which its pthread_join sleeps while the thread's tid word
// is not 0; the exiting thread's mm_release clears the word and wakes it (CLONE_CHILD_CLEARTID).

import * as C from './consts';
import { kfunc } from './frame';
import { cloneArgs, kernel_clone, type kernel_clone_args } from './fork';
import type { Value } from '../vm/types';

interface C3L { uargs: number; size: number; fn: Value; fn_arg: Value; args: kernel_clone_args | null }

/** clone3(uargs, size); fn and arg are what the C library's child side will call. */
export function clone3Locals(uargs: number, size: number, fn: Value, fn_arg: Value): C3L {
  return { uargs, size, fn, fn_arg, args: null };
}

/** Cells of struct clone_args: flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls. */
const CA_FLAGS = 0, CA_CHILD_TID = 2, CA_PARENT_TID = 3, CA_EXIT_SIGNAL = 4, CA_TLS = 7;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

export const __x64_sys_clone3 = kfunc<C3L>('__x64_sys_clone3', 'kernel/fork.c', `
/*
 * glibc's pthread_create: clone3 with CLONE_VM | CLONE_FS | CLONE_FILES |
 * CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
 * CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, a new stack, and no exit signal.
 */
SYSCALL_DEFINE2(clone3, struct clone_args __user *, uargs, size_t, size)
{
	int err;

	struct kernel_clone_args kargs;
	pid_t set_tid[MAX_PID_NS_LEVEL];

	kargs.set_tid = set_tid;

	err = copy_clone_args_from_user(&kargs, uargs, size); @copy
	if (err)
		return err;

	if (!clone3_args_valid(&kargs))                     @valid
		return -EINVAL;

	return kernel_clone(&kargs);                        @call @ret
}
`, {
  copy: (k, t, f) => {
    const L = f.locals;
    const cell = (i: number): Value | undefined => k.user.getUser(t, L.uargs + i);
    if (L.size < 64 || cell(CA_FLAGS) === undefined) { k.ret(t, -C.EFAULT); return; }
    const flags = num(cell(CA_FLAGS));
    const a = cloneArgs(flags, num(cell(CA_EXIT_SIGNAL)), 'clone3');
    a.parent_tid = num(cell(CA_PARENT_TID));
    a.child_tid = num(cell(CA_CHILD_TID));
    a.tls = num(cell(CA_TLS));
    L.args = a;
  },
  valid: (k, t, f) => {
    const a = f.locals.args as kernel_clone_args;
    // The C library's child side calls fn: without one there is nothing to run.
    const fn = k.functionName(f.locals.fn);
    if (!fn || (a.exit_signal & ~C.CSIGNAL) !== 0) { k.ret(t, -C.EINVAL); return; }
    a.fn = fn;
    a.fn_arg = f.locals.fn_arg;
  },
  call: (k, t, f) => k.call(t, kernel_clone, { args: f.locals.args as kernel_clone_args, clone_flags: 0, p: null, nr: 0 }),
  ret: (k, t, f) => k.ret(t, f.ret),
}, ['uargs', 'size', 'args']);

interface FxL { uaddr: number; op: number; val: number; ret: number }

/** futex(uaddr, op, val, ...): FUTEX_WAIT and FUTEX_WAIT_BITSET sleep, FUTEX_WAKE wakes. */
export function futexLocals(uaddr: number, op: number, val: number): FxL {
  return { uaddr, op, val, ret: 0 };
}

const FUTEX_CMD_MASK = ~(128 | 256);
const FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;

export const __x64_sys_futex = kfunc<FxL>('__x64_sys_futex', 'kernel/futex/syscalls.c', `
SYSCALL_DEFINE6(futex, u32 __user *, uaddr, int, op, u32, val,
		const struct __kernel_timespec __user *, utime,
		u32 __user *, uaddr2, u32, val3)
{
	/* FUTEX_WAIT: sleep while *uaddr == val. FUTEX_WAKE: wake val waiters. */
	return do_futex(uaddr, op, val, tp, uaddr2, (unsigned long)utime, val3); @call @ret
}
`, {
  call: (k, t, f) => {
    const cmd = f.locals.op & FUTEX_CMD_MASK;
    if (cmd === C.FUTEX_WAIT || cmd === FUTEX_WAIT_BITSET) { k.call(t, futex_wait, { ...f.locals }); return; }
    if (cmd === C.FUTEX_WAKE || cmd === FUTEX_WAKE_BITSET) { f.ret = k.futex_wake(f.locals.uaddr, t); return; }
    k.ret(t, -C.ENOSYS);
  },
  ret: (k, t, f) => k.ret(t, f.ret),
}, ['uaddr', 'op', 'val']);

export const futex_wait = kfunc<FxL>('futex_wait', 'kernel/futex/waitwake.c', `
int futex_wait(u32 __user *uaddr, unsigned int flags, u32 val,
	       ktime_t *abs_time, u32 bitset)
{
	struct futex_q q = futex_q_init;
	int ret;

	/*
	 * Queue first, then read *uaddr: a FUTEX_WAKE after the read finds
	 * us on the queue, so no wake-up is lost. -EWOULDBLOCK if it changed.
	 */
	ret = futex_wait_setup(uaddr, val, flags, &q, NULL, current); @setup
	if (ret)
		return ret;

	/* set_current_state(TASK_INTERRUPTIBLE); queue; schedule() */
	futex_wait_queue(hb, &q, to);                       @queue

	/* If we were woken (and unqueued), we succeeded, whatever. */
	if (!futex_unqueue(&q))                             @woken
		return 0;

	/* A signal: the call restarts after the handler (or fails EINTR). */
	return -ERESTARTSYS;                                @signal
}
`, {
  setup: (k, t, f) => {
    const word = k.user.getUser(t, f.locals.uaddr);
    if (word !== f.locals.val) { k.ret(t, -C.EAGAIN); return; }
    let ws = k.futex_waiters.get(f.locals.uaddr);
    if (!ws) { ws = new Set(); k.futex_waiters.set(f.locals.uaddr, ws); }
    ws.add(t);
    t.__state = C.TASK_INTERRUPTIBLE;
  },
  queue: (k, t) => k.schedule(t),
  woken: (k, t, f) => {
    t.__state = C.TASK_RUNNING;
    const ws = k.futex_waiters.get(f.locals.uaddr);
    if (!ws || !ws.has(t)) { k.ret(t, 0); return; }
    ws.delete(t);
    if (ws.size === 0) k.futex_waiters.delete(f.locals.uaddr);
  },
  signal: (k, t) => k.ret(t, -C.ERESTARTSYS),
}, ['uaddr', 'val']);

export type { FxL as FutexLocals };
