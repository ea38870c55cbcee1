// Threads: clone3 (kernel/fork.c), which the C library's pthread_create calls with its thread
// flags, and futex (kernel/futex/), on which its pthread_join sleeps while the thread's tid word
// is not 0; the exiting thread's mm_release clears the word and wakes it (CLONE_CHILD_CLEARTID).

import * as C from './consts';
import { kfunc } from './frame';
import { cloneArgs, kernel_clone, type kernel_clone_args } from './fork';
import type { Value } from '../vm/types';
import type { task_struct } from './task';
import { futex_key } from './futex-key';

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

interface FxL {
  uaddr: number; op: number; val: number;
  /** The timeout's user address (struct __kernel_timespec), or 0; val3: the bitset. */
  utime: number; val3: number;
  /** The deadline in virtual time (ns), or 0 for none. */
  expire: number;
  ret: number;
  /** futex_key's answer, taken when the call starts. */
  key: string;
}

/** futex(uaddr, op, val, utime, uaddr2, val3): FUTEX_WAIT and FUTEX_WAIT_BITSET sleep, FUTEX_WAKE wakes. */
export function futexLocals(uaddr: number, op: number, val: number, utime = 0, val3 = 0): FxL {
  return { uaddr, op, val, utime, val3, expire: 0, ret: 0, key: '' };
}

const FUTEX_CMD_MASK = ~(128 | 256);
const FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;

export const __x64_sys_futex = kfunc<FxL>('__x64_sys_futex', 'kernel/futex/syscalls.c', `
SYSCALL_DEFINE6(futex, u32 __user *, uaddr, int, op, u32, val,
		const struct __kernel_timespec __user *, utime,
		u32 __user *, uaddr2, u32, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	ktime_t t, *tp = NULL;
	struct timespec64 ts;

	/* FUTEX_WAIT's timeout is relative, FUTEX_WAIT_BITSET's an absolute time. */
	if (utime && futex_cmd_has_timeout(cmd)) {          @timeout
		if (get_timespec64(&ts, utime))
			return -EFAULT;
		if (!timespec64_valid(&ts))
			return -EINVAL;
		t = timespec64_to_ktime(ts);
		if (cmd == FUTEX_WAIT)
			t = ktime_add_safe(ktime_get(), t);
		tp = &t;
	}

	/* FUTEX_WAIT: sleep while *uaddr == val. FUTEX_WAKE: wake val waiters. */
	return do_futex(uaddr, op, val, tp, uaddr2, (unsigned long)utime, val3); @call @ret
}
`, {
  timeout: (k, t, f) => {
    const L = f.locals;
    const cmd = L.op & FUTEX_CMD_MASK;
    if (L.utime === 0 || (cmd !== C.FUTEX_WAIT && cmd !== FUTEX_WAIT_BITSET)) return;
    const sec = k.user.getUser(t, L.utime), nsec = k.user.getUser(t, L.utime + 1);
    if (typeof sec !== 'number' || typeof nsec !== 'number') { k.ret(t, -C.EFAULT); return; }
    if (sec < 0 || nsec < 0 || nsec >= 1e9) { k.ret(t, -C.EINVAL); return; }
    const ns = sec * 1e9 + nsec;
    // A deadline already past still sleeps for no time at all: at least 1 ns on the clock.
    L.expire = Math.max(1, cmd === C.FUTEX_WAIT ? k.clock + ns : ns);
  },
  call: (k, t, f) => {
    const cmd = f.locals.op & FUTEX_CMD_MASK;
    const key = futex_key(t, f.locals.uaddr, f.locals.op);
    if (cmd === C.FUTEX_WAIT || cmd === FUTEX_WAIT_BITSET) { k.call(t, futex_wait, { ...f.locals, key }); return; }
    if (cmd === C.FUTEX_WAKE || cmd === FUTEX_WAKE_BITSET) { k.call(t, futex_wake, { uaddr: f.locals.uaddr, key, nr_wake: f.locals.val, woken: [], ret: 0 }); return; }
    k.ret(t, -C.ENOSYS);
  },
  ret: (k, t, f) => k.ret(t, f.ret),
}, ['uaddr', 'op', 'val']);

export const futex_wait = kfunc<FxL>('futex_wait', 'kernel/futex/waitwake.c', `
int futex_wait(u32 __user *uaddr, unsigned int flags, u32 val,
	       ktime_t *abs_time, u32 bitset)
{
	struct hrtimer_sleeper timeout, *to;
	struct futex_q q = futex_q_init;
	int ret;

	to = futex_setup_timer(abs_time, &timeout, flags, current->timer_slack_ns);

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

	/* The timer fired first: the deadline has passed. */
	if (to && !to->task)                                @timedout
		return -ETIMEDOUT;

	/* A signal: with no deadline the call restarts after the handler (or fails EINTR). */
	ret = -ERESTARTSYS;
	if (!abs_time)                                      @signal
		return ret;

	/* With one, a handler makes it EINTR; futex_wait_restart runs only if none does. */
	return set_restart_fn(restart, futex_wait_restart); @restart
}
`, {
  setup: (k, t, f) => {
    const word = k.user.getUser(t, f.locals.uaddr);
    if (word === undefined) { k.ret(t, -C.EFAULT); return; }
    // The kernel compares the 32-bit word.
    if (((typeof word === 'number' ? word : NaN) >>> 0) !== (f.locals.val >>> 0)) { k.ret(t, -C.EAGAIN); return; }
    let ws = k.futex_waiters.get(f.locals.key);
    if (!ws) { ws = new Map(); k.futex_waiters.set(f.locals.key, ws); }
    ws.set(t, f.locals.uaddr);
    t.__state = C.TASK_INTERRUPTIBLE;
  },
  queue: (k, t, f) => {
    if (f.locals.expire > 0 && k.clock >= f.locals.expire) { t.__state = C.TASK_RUNNING; return; }
    if (f.locals.expire > 0) k.sleepUntil(t, f.locals.expire);
    else k.schedule(t);
  },
  woken: (k, t, f) => {
    t.__state = C.TASK_RUNNING;
    t.timeout_at = -1;
    const ws = k.futex_waiters.get(f.locals.key);
    if (!ws || !ws.has(t)) { k.ret(t, 0); return; }
    ws.delete(t);
    if (ws.size === 0) k.futex_waiters.delete(f.locals.key);
  },
  timedout: (k, t, f) => { if (f.locals.expire > 0 && k.clock >= f.locals.expire) k.ret(t, -C.ETIMEDOUT); },
  signal: (k, t, f) => { if (f.locals.expire === 0) k.ret(t, -C.ERESTARTSYS); },
  restart: (k, t) => k.ret(t, -C.ERESTART_RESTARTBLOCK),
}, ['uaddr', 'val']);

interface FwL { uaddr: number; key: string; nr_wake: number; woken: task_struct[]; ret: number }

export const futex_wake = kfunc<FwL>('futex_wake', 'kernel/futex/waitwake.c', `
int futex_wake(u32 __user *uaddr, unsigned int flags, int nr_wake, u32 bitset)
{
	struct futex_q *this, *next;
	DEFINE_WAKE_Q(wake_q);
	int ret = 0;

	/* The sleepers on this word, in the order they queued: up to nr_wake leave the queue. */
	plist_for_each_entry_safe(this, next, &hb->chain, list) { @mark
		if (futex_match(&this->key, &key)) {
			this->wake(&wake_q, this);
			if (++ret >= nr_wake)
				break;
		}
	}

	/* try_to_wake_up() for each: back on a run queue. */
	wake_up_q(&wake_q);                                 @wake
	return ret;                                         @ret
}
`, {
  mark: (k, _t, f) => {
    const L = f.locals;
    const ws = k.futex_waiters.get(L.key);
    if (!ws) return;
    for (const w of ws.keys()) {
      if (L.woken.length >= Math.max(1, L.nr_wake)) break;
      L.woken.push(w);
    }
    for (const w of L.woken) ws.delete(w);
    if (ws.size === 0) k.futex_waiters.delete(L.key);
    L.ret = L.woken.length;
  },
  wake: (k, t, f) => { for (const w of f.locals.woken) k.try_to_wake_up(w, C.TASK_NORMAL, t); },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['uaddr', 'nr_wake', 'ret']);

export type { FxL as FutexLocals };
