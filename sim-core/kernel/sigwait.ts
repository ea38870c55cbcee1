// kernel/signal.c: looking at and waiting for signals without a handler running first:
// rt_sigpending (blocked signals that are pending), rt_sigsuspend (sleep under a temporary mask),
// rt_sigtimedwait (take a signal of a set off the queue, with its siginfo, sleeping for it up to
// a timeout), and tkill (a signal for one thread, the older tgkill).

import * as C from './consts';
import { kfunc, ret0 } from './frame';
import type { kernel_siginfo } from './task';
import { do_send_specific, sigdelset } from './signal';
import { dequeue_signal } from './sigqueue';
import { siginfoCells } from './sigaction';
import type { Value } from '../vm/types';

/** sizeof(sigset_t) on x86-64: what the rt_sig* calls insist on. */
const SIGSET_SIZE = 8;
const TWO32 = 2 ** 32;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/**
 * A sigset_t cell of scenario memory (bit signo-1 of one value: a number, or a bigint once a
 * signal above 53 is in it) as the kernel's two words.
 */
export function sigsetFromUser(v: Value | undefined): number[] {
  if (typeof v === 'bigint') return [Number(BigInt.asUintN(32, v)) | 0, Number(BigInt.asUintN(32, v >> 32n)) | 0];
  const n = num(v);
  return [(n % TWO32) | 0, Math.floor(n / TWO32) | 0];
}

/** The kernel's two words as a sigset_t cell: a number while it fits in one, else a bigint. */
export function sigsetToUser(set: number[]): number | bigint {
  const v = (set[0] >>> 0) + (set[1] >>> 0) * TWO32;
  return Number.isSafeInteger(v) ? v : (BigInt(set[1] >>> 0) << 32n) | BigInt(set[0] >>> 0);
}

interface SpL { uset: number; size: number; set: number[] }

export function sigpendingLocals(uset: number, size: number): SpL {
  return { uset, size, set: [0, 0] };
}

export const __x64_sys_rt_sigpending = kfunc<SpL>('__x64_sys_rt_sigpending', 'kernel/signal.c', `
/* sigpending(): the signals waiting while blocked, this thread's and the group's. */
SYSCALL_DEFINE2(rt_sigpending, sigset_t __user *, uset, size_t, sigsetsize)
{
	sigset_t set;

	if (sigsetsize > sizeof(*uset))                     @check
		return -EINVAL;

	/* do_sigpending: pending ones, of which only the blocked. */
	sigorsets(&set, &current->pending.signal,
		  &current->signal->shared_pending.signal);     @pending
	sigandsets(&set, &current->blocked, &set);

	if (copy_to_user(uset, &set, sigsetsize))           @copy
		return -EFAULT;

	return 0;                                           @ret
}
`, {
  check: (k, t, f) => { if (f.locals.size > SIGSET_SIZE) k.ret(t, -C.EINVAL); },
  pending: (_k, t, f) => {
    const a = t.pending.signal, b = t.signal.shared_pending.signal;
    f.locals.set = [(a[0] | b[0]) & t.blocked[0], (a[1] | b[1]) & t.blocked[1]];
  },
  copy: (k, t, f) => { if (!k.user.putUser(t, f.locals.uset, sigsetToUser(f.locals.set))) k.ret(t, -C.EFAULT); },
  ret: ret0,
}, ['uset']);

interface SsL { unewset: number; size: number }

export const __x64_sys_rt_sigsuspend = kfunc<SsL>('__x64_sys_rt_sigsuspend', 'kernel/signal.c', `
/*
 * sigsuspend(mask): sleep with mask as the blocked set until a signal is
 * delivered; the old mask comes back once the handler's frame is set up.
 */
SYSCALL_DEFINE2(rt_sigsuspend, sigset_t __user *, unewset, size_t, sigsetsize)
{
	sigset_t newset;

	if (sigsetsize != sizeof(sigset_t))                 @check
		return -EINVAL;
	if (copy_from_user(&newset, unewset, sizeof(newset)))
		return -EFAULT;

	/* sigsuspend(&newset): */
	current->saved_sigmask = current->blocked;          @mask
	set_current_blocked(&newset);

	while (!signal_pending(current)) {                  @loop
		__set_current_state(TASK_INTERRUPTIBLE);        @state
		schedule();                                     @schedule
	}
	set_restore_sigmask();
	return -ERESTARTNOHAND;                             @ret
}
`, {
  check: (k, t, f) => {
    if (f.locals.size !== SIGSET_SIZE) { k.ret(t, -C.EINVAL); return; }
    if (k.user.getUser(t, f.locals.unewset) === undefined) k.ret(t, -C.EFAULT);
  },
  mask: (k, t, f) => {
    t.saved_sigmask = t.blocked.slice();
    t.restore_sigmask = true;
    const set = sigsetFromUser(k.user.getUser(t, f.locals.unewset));
    sigdelset(set, C.SIGKILL);
    sigdelset(set, C.SIGSTOP);
    t.blocked = set;
  },
  loop: (k, t, f) => { if (k.signal_pending(t)) k.jump(f, 'ret'); },
  state: (_k, t) => { t.__state = C.TASK_INTERRUPTIBLE; },
  schedule: (k, t, f) => { k.jump(f, 'loop'); k.schedule(t); },
  ret: (k, t) => k.ret(t, -C.ERESTARTNOHAND),
}, ['unewset']);

interface StwL {
  uthese: number; uinfo: number; uts: number; size: number;
  /** The signals waited for, and the timeout in ns (-1: none, sleep until one comes). */
  these: number[]; timeout: number; expire: number; info: kernel_siginfo | null; ret: number;
}

export function sigtimedwaitLocals(uthese: number, uinfo: number, uts: number, size: number): StwL {
  return { uthese, uinfo, uts, size, these: [0, 0], timeout: -1, expire: 0, info: null, ret: 0 };
}

export const __x64_sys_rt_sigtimedwait = kfunc<StwL>('__x64_sys_rt_sigtimedwait', 'kernel/signal.c', `
/* sigwaitinfo() and sigtimedwait(): a signal of the set, taken without a handler. */
SYSCALL_DEFINE4(rt_sigtimedwait, const sigset_t __user *, uthese,
		siginfo_t __user *, uinfo,
		const struct __kernel_timespec __user *, uts,
		size_t, sigsetsize)
{
	sigset_t these;
	struct timespec64 ts;
	kernel_siginfo_t info;
	int ret;

	if (sigsetsize != sizeof(sigset_t))                 @check
		return -EINVAL;
	if (copy_from_user(&these, uthese, sizeof(these)))
		return -EFAULT;
	if (uts) {
		if (get_timespec64(&ts, uts))
			return -EFAULT;
	}

	ret = do_sigtimedwait(&these, &info, uts ? &ts : NULL); @call

	if (ret > 0 && uinfo) {                             @copy
		if (copy_siginfo_to_user(uinfo, &info))
			ret = -EFAULT;
	}

	return ret;                                         @ret
}
`, {
  check: (k, t, f) => {
    const L = f.locals;
    if (L.size !== SIGSET_SIZE) { k.ret(t, -C.EINVAL); return; }
    const these = k.user.getUser(t, L.uthese);
    if (these === undefined) { k.ret(t, -C.EFAULT); return; }
    L.these = sigsetFromUser(these);
    if (L.uts) {
      const sec = k.user.getUser(t, L.uts), nsec = k.user.getUser(t, L.uts + 1);
      if (sec === undefined || nsec === undefined) { k.ret(t, -C.EFAULT); return; }
      L.timeout = num(sec) < 0 || num(nsec) < 0 || num(nsec) >= 1e9 ? -2 : num(sec) * 1e9 + num(nsec);
    }
  },
  call: (k, t, f) => k.call(t, do_sigtimedwait, f.locals),
  copy: (k, t, f) => {
    const L = f.locals;
    L.ret = f.ret;
    if (f.ret > 0 && L.uinfo && L.info) {
      const cells = siginfoCells(L.info);
      if (!cells.every((c, i) => k.user.putUser(t, L.uinfo + i, c))) L.ret = -C.EFAULT;
    }
  },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['uthese', 'uinfo', 'uts', 'ret']);

export const do_sigtimedwait = kfunc<StwL>('do_sigtimedwait', 'kernel/signal.c', `
static int do_sigtimedwait(const sigset_t *which, kernel_siginfo_t *info,
		    const struct timespec64 *ts)
{
	ktime_t *to = NULL, timeout = KTIME_MAX;
	struct task_struct *tsk = current;
	sigset_t mask = *which;
	enum pid_type type;
	int sig, ret = 0;

	if (ts) {                                           @valid
		if (!timespec64_valid(ts))
			return -EINVAL;
		timeout = timespec64_to_ktime(*ts);
		to = &timeout;
	}

	/*
	 * Invert the set of allowed signals to get those we want to block.
	 */
	sigdelsetmask(&mask, sigmask(SIGKILL) | sigmask(SIGSTOP));
	signotset(&mask);

	spin_lock_irq(&tsk->sighand->siglock);
	sig = dequeue_signal(&mask, info, &type);           @dequeue
	if (!sig && timeout) {
		/*
		 * None ready, temporarily unblock those we're interested
		 * while we are sleeping in so that we'll be awakened when
		 * they arrive. Unblocking is always fine, we can avoid
		 * set_current_blocked().
		 */
		tsk->real_blocked = tsk->blocked;               @unblock
		sigandsets(&tsk->blocked, &tsk->blocked, &mask);
		recalc_sigpending();
		spin_unlock_irq(&tsk->sighand->siglock);

		__set_current_state(TASK_INTERRUPTIBLE|TASK_FREEZABLE); @state
		ret = schedule_hrtimeout_range(to, tsk->timer_slack_ns,
					       HRTIMER_MODE_REL);   @sleep
		spin_lock_irq(&tsk->sighand->siglock);
		__set_task_blocked(tsk, &tsk->real_blocked);    @woken
		sigemptyset(&tsk->real_blocked);
		sig = dequeue_signal(&mask, info, &type);
	}
	spin_unlock_irq(&tsk->sighand->siglock);

	if (sig)                                            @ret
		return sig;
	return ret ? -EINTR : -EAGAIN;
}
`, {
  valid: (k, t, f) => { if (f.locals.timeout === -2) k.ret(t, -C.EINVAL); },
  dequeue: (k, t, f) => {
    const L = f.locals;
    L.info = dequeue_signal(k, t, waitMask(L.these));
    L.ret = 0;
    if (L.info || L.timeout === 0) k.jump(f, 'ret');
  },
  unblock: (_k, t, f) => {
    const mask = waitMask(f.locals.these);
    t.real_blocked = t.blocked;
    t.blocked = [t.blocked[0] & mask[0], t.blocked[1] & mask[1]];
  },
  state: (_k, t) => { t.__state = C.TASK_INTERRUPTIBLE; },
  sleep: (k, t, f) => {
    const L = f.locals;
    if (L.timeout < 0) { L.expire = Infinity; k.schedule(t); return; }
    L.expire = k.clock + L.timeout;
    k.sleepUntil(t, L.expire);
  },
  woken: (k, t, f) => {
    const L = f.locals;
    t.__state = C.TASK_RUNNING;
    t.timeout_at = -1;
    k.timers.delete(t);
    t.blocked = t.real_blocked;
    t.real_blocked = [0, 0];
    // schedule_hrtimeout: -EINTR when woken before the timeout, 0 once it expired.
    L.ret = k.clock < L.expire ? -C.EINTR : 0;
    L.info = dequeue_signal(k, t, waitMask(L.these));
  },
  ret: (k, t, f) => {
    const L = f.locals;
    k.ret(t, L.info ? L.info.si_signo : L.ret ? -C.EINTR : -C.EAGAIN);
  },
}, ['these', 'timeout']);

/** ~(these minus SIGKILL and SIGSTOP): dequeue_signal takes what is not in this mask. */
function waitMask(these: number[]): number[] {
  const set = these.slice();
  sigdelset(set, C.SIGKILL);
  sigdelset(set, C.SIGSTOP);
  return [~set[0], ~set[1]];
}

interface TkL { pid: number; sig: number }

export const __x64_sys_tkill = kfunc<TkL>('__x64_sys_tkill', 'kernel/signal.c', `
/* tkill(tid, sig): the older tgkill, for a thread of any group. */
SYSCALL_DEFINE2(tkill, pid_t, pid, int, sig)
{
	/* This is only valid for single tasks */
	if (pid <= 0)                                       @check
		return -EINVAL;

	return do_tkill(0, pid, sig);                       @send
}
`, {
  check: (k, t, f) => { if (f.locals.pid <= 0 || f.locals.sig < 0 || f.locals.sig > C._NSIG) k.ret(t, -C.EINVAL); },
  send: (k, t, f) => k.ret(t, do_send_specific(k, t, 0, f.locals.pid, f.locals.sig)),
}, ['pid', 'sig']);
