// kernel/time/itimer.c: alarm and setitimer/getitimer for ITIMER_REAL. The timer is the process's
// (signal->real_timer, an hrtimer on the virtual clock); when it expires, it_real_fn sends SIGALRM
// to the thread group. Armed timers are listed in Kernel.real_timers and fired by the machine's
// timer pass (run_real_timers), which also advances an idle machine's clock to the next expiry.

import * as C from './consts';
import { kfunc } from './frame';
import type { Kernel } from './kernel';
import type { signal_struct, task_struct } from './task';
import type { Value } from '../vm/types';

export const NSEC_PER_SEC = 1e9;
const NSEC_PER_USEC = 1e3;

/** hrtimer_start (HRTIMER_MODE_REL): the group's real timer fires `ns` from now. */
export function hrtimer_start(k: Kernel, sig: signal_struct, ns: number): void {
  sig.real_timer.active = true;
  sig.real_timer.expires = k.clock + ns;
  if (k.real_timers.indexOf(sig) < 0) k.real_timers.push(sig);
}

/** hrtimer_cancel: the timer will not fire (do_setitimer, and do_exit when the group dies). */
export function hrtimer_cancel(k: Kernel, sig: signal_struct): void {
  sig.real_timer.active = false;
  const i = k.real_timers.indexOf(sig);
  if (i >= 0) k.real_timers.splice(i, 1);
}

/** itimer_get_remtime: what is left (ns); an active timer past its expiry counts 1 us. */
function itimer_get_remtime(k: Kernel, sig: signal_struct): number {
  if (!sig.real_timer.active) return 0;
  const rem = sig.real_timer.expires - k.clock;
  return rem <= 0 ? NSEC_PER_USEC : rem;
}

/** it_real_fn: the timer expired; SIGALRM goes to the thread group (kill_pid_info). */
function it_real_fn(k: Kernel, sig: signal_struct): void {
  hrtimer_cancel(k, sig);
  const leader = k.find_task_by_vpid(sig.pids[C.PIDTYPE_TGID]);
  if (leader && leader.signal === sig) k.send_signal(C.SIGALRM, null, leader, true);
}

/** The earliest expiry of an armed real timer, or Infinity. */
export function next_real_timer(k: Kernel): number {
  let next = Infinity;
  for (const s of k.real_timers) if (s.real_timer.expires < next) next = s.real_timer.expires;
  return next;
}

/** The timer interrupt's pass over the real timers: each one due fires, earliest first. */
export function run_real_timers(k: Kernel): void {
  if (k.real_timers.length === 0) return;
  const due = k.real_timers.filter((s) => s.real_timer.expires <= k.clock);
  due.sort((a, b) => a.real_timer.expires - b.real_timer.expires);
  for (const s of due) it_real_fn(k, s);
}

/**
 * posixtimer_rearm_itimer, from dequeue_signal: a SIGALRM taken off the queue arms an interval
 * timer (setitimer with it_interval) for its next period.
 */
export function rearm_itimer(k: Kernel, t: task_struct): void {
  const sig = t.signal;
  if (!sig.real_timer.active && sig.it_real_incr > 0) hrtimer_start(k, sig, sig.it_real_incr);
}

/** An itimerspec as the kernel keeps it: value and interval in ns. */
interface itimerspec { value: number; interval: number }

interface AlarmL { seconds: number; old: number }

export const __x64_sys_alarm = kfunc<AlarmL>('__x64_sys_alarm', 'kernel/time/itimer.c', `
/*
 * alarm(seconds): SIGALRM after that many seconds, replacing any alarm set
 * before (0 cancels it). Returns the seconds the old alarm had left.
 */
SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	return alarm_setitimer(seconds);                    @call @ret
}
`, {
  call: (k, t, f) => k.call(t, alarm_setitimer, { seconds: f.locals.seconds, old: 0 }),
  ret: (k, t, f) => k.ret(t, f.ret),
}, ['seconds']);

export const alarm_setitimer = kfunc<AlarmL>('alarm_setitimer', 'kernel/time/itimer.c', `
static unsigned int alarm_setitimer(unsigned int seconds)
{
	struct itimerspec64 it_new, it_old;

	it_new.it_value.tv_sec = seconds;
	it_new.it_value.tv_nsec = 0;
	it_new.it_interval.tv_sec = it_new.it_interval.tv_nsec = 0;

	do_setitimer(ITIMER_REAL, &it_new, &it_old);        @set

	/*
	 * We can't return 0 if we have an alarm pending ...  And we'd
	 * better return too much than too little anyway
	 */
	if ((!it_old.it_value.tv_sec && it_old.it_value.tv_nsec) ||
	      it_old.it_value.tv_nsec >= (NSEC_PER_SEC / 2))
		it_old.it_value.tv_sec++;

	return it_old.it_value.tv_sec;                      @ret
}
`, {
  set: (k, t, f) => {
    const old = do_setitimer(k, t, C.ITIMER_REAL, { value: f.locals.seconds * NSEC_PER_SEC, interval: 0 });
    f.locals.old = old ? old.value : 0;
  },
  ret: (k, t, f) => {
    const old = f.locals.old;
    let sec = Math.floor(old / NSEC_PER_SEC);
    const nsec = old - sec * NSEC_PER_SEC;
    if ((!sec && nsec) || nsec >= NSEC_PER_SEC / 2) sec++;
    k.ret(t, sec);
  },
}, ['seconds']);

/**
 * do_setitimer's ITIMER_REAL case: report the old setting, cancel the timer, start it again
 * when the new value is not zero. Returns the old setting (null: EINVAL for another timer).
 */
export function do_setitimer(k: Kernel, t: task_struct, which: number, value: itimerspec): itimerspec | null {
  if (which !== C.ITIMER_REAL) return null;
  const sig = t.signal;
  const old = { value: itimer_get_remtime(k, sig), interval: sig.it_real_incr };
  hrtimer_cancel(k, sig);
  if (value.value !== 0) {
    sig.it_real_incr = value.interval;
    hrtimer_start(k, sig, value.value);
  } else {
    sig.it_real_incr = 0;
  }
  return old;
}

/** The number a scenario value holds (0 for none). */
function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/** struct itimerval in scenario memory: it_interval {tv_sec, tv_usec}, it_value {tv_sec, tv_usec}. */
const IT_INTERVAL = 0, IT_VALUE = 2;

interface SetitL { which: number; value: number; ovalue: number; old: itimerspec | null }

export function setitimerLocals(which: number, value: number, ovalue: number): SetitL {
  return { which, value, ovalue, old: null };
}

function getTimeval(k: Kernel, t: task_struct, addr: number): number | null {
  const sec = k.user.getUser(t, addr), usec = k.user.getUser(t, addr + 1);
  if (sec === undefined || usec === undefined) return null;
  const s = num(sec), us = num(usec);
  if (s < 0 || us < 0 || us >= 1e6) return -1;
  return s * NSEC_PER_SEC + us * NSEC_PER_USEC;
}

function putItimerval(k: Kernel, t: task_struct, addr: number, v: itimerspec): boolean {
  const cells = [Math.floor(v.interval / NSEC_PER_SEC), Math.floor((v.interval % NSEC_PER_SEC) / NSEC_PER_USEC),
    Math.floor(v.value / NSEC_PER_SEC), Math.floor((v.value % NSEC_PER_SEC) / NSEC_PER_USEC)];
  return cells.every((c, i) => k.user.putUser(t, addr + i, c));
}

export const __x64_sys_setitimer = kfunc<SetitL>('__x64_sys_setitimer', 'kernel/time/itimer.c', `
SYSCALL_DEFINE3(setitimer, int, which, struct __kernel_old_itimerval __user *, value,
		struct __kernel_old_itimerval __user *, ovalue)
{
	struct itimerspec64 set_buffer, get_buffer;
	int error;

	if (value) {                                        @copy
		error = get_itimerval(&set_buffer, value);
		if (error)
			return error;
	} else {
		memset(&set_buffer, 0, sizeof(set_buffer));
	}

	error = do_setitimer(which, &set_buffer, ovalue ? &get_buffer : NULL); @set
	if (error || !ovalue)
		return error;

	if (put_itimerval(ovalue, &get_buffer))             @put
		return -EFAULT;
	return 0;
}
`, {
  copy: (k, t, f) => {
    if (!f.locals.value) return;
    const iv = getTimeval(k, t, f.locals.value + IT_INTERVAL), v = getTimeval(k, t, f.locals.value + IT_VALUE);
    if (iv === null || v === null) { k.ret(t, -C.EFAULT); return; }
    if (iv < 0 || v < 0) k.ret(t, -C.EINVAL);
  },
  set: (k, t, f) => {
    const L = f.locals;
    const v = L.value ? { interval: getTimeval(k, t, L.value + IT_INTERVAL) ?? 0, value: getTimeval(k, t, L.value + IT_VALUE) ?? 0 } : { interval: 0, value: 0 };
    const old = do_setitimer(k, t, L.which, v);
    if (!old) { k.ret(t, -C.EINVAL); return; }
    if (!L.ovalue) { k.ret(t, 0); return; }
    L.old = old;
  },
  put: (k, t, f) => {
    const old = f.locals.old ?? { value: 0, interval: 0 };
    k.ret(t, putItimerval(k, t, f.locals.ovalue, old) ? 0 : -C.EFAULT);
  },
}, ['which', 'value', 'ovalue']);

interface GetitL { which: number; value: number }

export const __x64_sys_getitimer = kfunc<GetitL>('__x64_sys_getitimer', 'kernel/time/itimer.c', `
SYSCALL_DEFINE2(getitimer, int, which, struct __kernel_old_itimerval __user *, value)
{
	struct itimerspec64 get_buffer;
	int error = do_getitimer(which, &get_buffer);       @get

	if (!error && put_itimerval(value, &get_buffer))    @put
		error = -EFAULT;
	return error;
}
`, {
  get: (k, t, f) => { if (f.locals.which < C.ITIMER_REAL || f.locals.which > C.ITIMER_PROF) k.ret(t, -C.EINVAL); },
  // ITIMER_VIRTUAL and ITIMER_PROF (CPU-time timers) are not modelled: never set, they read 0.
  put: (k, t, f) => {
    const sig = t.signal;
    const real = f.locals.which === C.ITIMER_REAL;
    const cur = { value: real ? itimer_get_remtime(k, sig) : 0, interval: real ? sig.it_real_incr : 0 };
    k.ret(t, putItimerval(k, t, f.locals.value, cur) ? 0 : -C.EFAULT);
  },
}, ['which']);
