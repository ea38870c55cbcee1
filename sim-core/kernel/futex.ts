// Threads: pthread_create is clone3 with the C library's thread flags (kernel/fork.c), and
// pthread_join sleeps in futex_wait (kernel/futex/) on the thread's tid word until the exiting
// thread's mm_release clears it and wakes the futex (CLONE_CHILD_CLEARTID).

import * as C from './consts';
import { nop, kfunc } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { cloneArgs, kernel_clone, pd_tid_addr, type kernel_clone_args } from './fork';
import type { Value } from '../vm/types';

interface C3L { args: kernel_clone_args }

/** pthread_create(&thread, attr, start_routine, arg) as glibc issues it. */
export function pthreadCreateArgs(k: Kernel, threadPtr: number, fn: Value, arg: Value): kernel_clone_args | null {
  const name = k.functionName(fn);
  if (!name) return null;
  const a = cloneArgs(C.PTHREAD_CLONE_FLAGS, 0, 'pthread_create');
  a.fn = name;
  a.fn_arg = arg;
  a.parent_tid = threadPtr;
  return a;
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

	if (!clone3_args_valid(&kargs))
		return -EINVAL;

	return kernel_clone(&kargs);                        @call @ret
}
`, {
  // struct clone_args comes from the C library's stack.
  copy: nop,
  call: (k, t, f) => k.call(t, kernel_clone, { args: f.locals.args, clone_flags: 0, p: null, nr: 0 }),
  // pthread_create returns 0 or an error number, not -1 and errno.
  ret: (k, t, f) => k.ret(t, f.ret < 0 ? -f.ret : 0),
}, ['args']);

interface FxL { uaddr: number; op: number; val: number; ret: number; join: { tid: number; retval: number } | null }

/**
 * pthread_join(thread, &retval): glibc waits while pd->tid is non-zero. Returns a number when
 * it is answered at once (the thread already gone, or an error), else the futex call's locals.
 */
export function pthreadJoin(k: Kernel, t: task_struct, tid: number, retval: number): FxL | number {
  if (tid === t.pid) return C.EDEADLK;
  const mm = t.mm;
  const addr = pd_tid_addr(tid);
  const word = mm?.tid_words?.get(addr);
  if (word === undefined) return C.ESRCH;
  if (word === 0) return joined(k, t, tid, retval);
  return { uaddr: addr, op: C.FUTEX_WAIT, val: word, ret: 0, join: { tid, retval } };
}

/** The thread is gone: collect its result (glibc frees the descriptor). */
function joined(k: Kernel, t: task_struct, tid: number, retval: number): number {
  const mm = t.mm;
  if (!mm) return C.ESRCH;
  const v = mm.thread_results?.get(tid) ?? 0;
  if (retval) k.user.putUser(t, retval, v);
  mm.tid_words?.delete(pd_tid_addr(tid));
  mm.thread_results?.delete(tid);
  return 0;
}

export const __x64_sys_futex = kfunc<FxL>('__x64_sys_futex', 'kernel/futex/syscalls.c', `
SYSCALL_DEFINE6(futex, u32 __user *, uaddr, int, op, u32, val,
		const struct __kernel_timespec __user *, utime,
		u32 __user *, uaddr2, u32, val3)
{
	/* FUTEX_WAIT: sleep while *uaddr == val. */
	return do_futex(uaddr, op, val, tp, uaddr2, (unsigned long)utime, val3); @call @ret
}
`, {
  call: (k, t, f) => k.call(t, futex_wait, { ...f.locals }),
  ret: (k, t, f) => {
    const j = f.locals.join;
    if (!j) { k.ret(t, f.ret); return; }
    // pthread_join's loop in the C library: wait again until the word is 0.
    const word = t.mm ? t.mm.tid_words?.get(f.locals.uaddr) : 0;
    if (f.ret === -C.ERESTARTSYS) { k.ret(t, f.ret); return; }
    if (word !== undefined && word !== 0) { f.locals.val = word; k.jump(f, 'call'); return; }
    k.ret(t, joined(k, t, j.tid, j.retval));
  },
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
    const word = t.mm?.tid_words?.get(f.locals.uaddr);
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
