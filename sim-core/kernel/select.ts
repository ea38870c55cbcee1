// poll and select (fs/select.c): each pass asks every descriptor's file what is ready
// (vfs_poll, poll-mask.ts); with nothing ready the caller joins the files' wait queues and sleeps
// in poll_schedule_timeout until a pipe or the terminal wakes it, the timeout expires, or a
// signal comes (-ERESTARTNOHAND: EINTR after a handler). select's timeout is written back with
// the time that was left, as glibc's select (over pselect6) hands it on.

import * as C from './consts';
import { kfunc } from './frame';
import type { Kernel } from './kernel';
import { fdget, nofile } from './file';
import type { Value } from '../vm/types';
import { norm } from '../vm/int64';
import {
  POLLERR, POLLEX_SET, POLLHUP, POLLIN_SET, POLLNVAL, POLLOUT_SET, poll_schedule, poll_woken, vfs_poll,
  type poll_entry, type PollWaitL,
} from './poll-mask';

/** Cells of a struct pollfd in user memory: fd, events, revents. */
const POLLFD_CELLS = 3;
/** Cells (unsigned longs) of an fd_set: FD_SETSIZE 1024 bits. */
export const FD_SET_WORDS = 16;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

/** One pass over the entries: the ready masks, filtered by what each asks for (do_pollfd). */
function scan_poll(k: Kernel, entries: poll_entry[]): number[] {
  return entries.map((e) => {
    if (e.fd < 0) return 0;
    if (!e.file) return POLLNVAL;
    return vfs_poll(k, e.file) & (e.events | POLLERR | POLLHUP);
  });
}

interface PollL extends PollWaitL {
  ufds: number;
  nfds: number;
  revents: number[];
  count: number;
}

/**
 * poll's locals; `end` is the absolute end time (ns) of a poll restarted after a stop
 * (do_restart_poll's restart_block), or undefined for a new call.
 */
export function pollLocals(ufds: number, nfds: number, timeout_msecs: number, end?: number): PollL {
  const expire = end !== undefined && end > 0 ? -2 - end : timeout_msecs < 0 ? -1 : timeout_msecs;
  return { ufds, nfds, entries: [], queues: [], expire, timed_out: false, revents: [], count: 0 };
}

export const __x64_sys_poll = kfunc<PollL>('__x64_sys_poll', 'fs/select.c', `
SYSCALL_DEFINE3(poll, struct pollfd __user *, ufds, unsigned int, nfds,
		int, timeout_msecs)
{
	struct timespec64 end_time, *to = NULL;
	int ret;

	if (timeout_msecs >= 0) {                           @timeout
		to = &end_time;
		poll_select_set_timeout(to, timeout_msecs / MSEC_PER_SEC,
			NSEC_PER_MSEC * (timeout_msecs % MSEC_PER_SEC));
	}

	ret = do_sys_poll(ufds, nfds, to);                  @call

	/* Interrupted with a timeout: a restart (no handler ran) waits only until end_time. */
	if (ret == -ERESTARTNOHAND) {                       @restart
		restart_block->fn = do_restart_poll;
		restart_block->poll.ufds = ufds;
		restart_block->poll.nfds = nfds;
		if (timeout_msecs >= 0) {
			restart_block->poll.tv_sec = end_time.tv_sec;
			restart_block->poll.tv_nsec = end_time.tv_nsec;
			restart_block->poll.has_timeout = 1;
		} else
			restart_block->poll.has_timeout = 0;
		ret = set_restart_fn(restart_block, do_restart_poll);
	}
	return ret;                                         @ret
}
`, {
  // A timeout of 0 stays 0 (never sleep); otherwise the absolute end time (a restart brings it).
  timeout: (k, _t, f) => {
    const L = f.locals;
    if (L.expire < -1) L.expire = -2 - L.expire;
    else if (L.expire > 0) L.expire = k.clock + L.expire * 1e6;
  },
  call: (k, t, f) => k.call(t, do_sys_poll, f.locals),
  // The restart enters poll again (as restart_syscall would do_restart_poll) with the end time kept.
  restart: (_k, t, f) => {
    const L = f.locals;
    if (f.ret === -C.ERESTARTNOHAND && L.expire > 0) t.syscall_nr = { name: 'poll', args: [L.ufds, L.nfds, 0, L.expire] };
  },
  ret: (k, t, f) => k.ret(t, f.ret),
}, ['ufds', 'nfds', 'expire']);

export const do_sys_poll = kfunc<PollL>('do_sys_poll', 'fs/select.c', `
static int do_sys_poll(struct pollfd __user *ufds, unsigned int nfds,
		struct timespec64 *end_time)
{
	struct poll_wqueues table;
	int err = -EFAULT, fdcount;

	if (nfds > rlimit(RLIMIT_NOFILE))                   @limit
		return -EINVAL;

	/* Copy the pollfd array in (copy_from_user, a chunk at a time). */
	if (copy_from_user(walk->entries, ufds + nfds-todo, sizeof(struct pollfd) * walk->len)) @copy
		goto out_fds;

	poll_initwait(&table);
	fdcount = do_poll(head, &table, end_time);          @poll @polled
	poll_freewait(&table);

	/* Each revents goes back, 0 included. */
	for (walk = head; walk; walk = walk->next)
		unsafe_put_user(fds[j].revents, &ufds->revents, Efault); @copyout

	err = fdcount;
out_fds:
	return err;                                         @ret
}
`, {
  limit: (k, t, f) => { if (f.locals.nfds > nofile(t)) k.ret(t, -C.EINVAL); },
  copy: (k, t, f) => {
    const L = f.locals;
    for (let i = 0; i < L.nfds; i++) {
      const at = L.ufds + i * POLLFD_CELLS;
      const fd = k.user.getUser(t, at), ev = k.user.getUser(t, at + 1);
      if (fd === undefined || ev === undefined || k.user.getUser(t, at + 2) === undefined) { L.count = -C.EFAULT; k.jump(f, 'ret'); return; }
      const n = num(fd) | 0;
      L.entries.push({ fd: n, file: n >= 0 ? fdget(t, n) : null, events: num(ev) & 0xffff });
    }
  },
  poll: (k, t, f) => k.call(t, do_poll, f.locals),
  polled: (_k, _t, f) => { f.locals.count = f.ret; },
  copyout: (k, t, f) => {
    const L = f.locals;
    for (let i = 0; i < L.nfds; i++) {
      if (!k.user.putUser(t, L.ufds + i * POLLFD_CELLS + 2, L.revents[i] ?? 0)) { L.count = -C.EFAULT; break; }
    }
  },
  ret: (k, t, f) => k.ret(t, f.locals.count),
}, ['nfds', 'count']);

export const do_poll = kfunc<PollL>('do_poll', 'fs/select.c', `
static int do_poll(struct poll_list *list, struct poll_wqueues *wait,
		   struct timespec64 *end_time)
{
	int timed_out = 0, count = 0;

	/* Optimise the no-wait case */
	if (end_time && !end_time->tv_sec && !end_time->tv_nsec) @zero
		timed_out = 1;

	for (;;) {
		/* Each pollfd: fd < 0 is skipped, a closed one is POLLNVAL. */
		for (walk = list; walk != NULL; walk = walk->next)
			if (do_pollfd(pfd, pt, &can_busy_loop, busy_flag)) @scan
				count++;
		if (!count) {                                   @signal
			count = wait->error;
			if (signal_pending(current))
				count = -ERESTARTNOHAND;
		}
		if (count || timed_out)                         @done
			break;

		/* Sleep on every file's queue until a wake-up or the end time. */
		if (!poll_schedule_timeout(wait, TASK_INTERRUPTIBLE, to, slack)) @sleep @woken
			timed_out = 1;
	}
	return count;                                       @ret
}
`, {
  zero: (_k, _t, f) => { if (f.locals.expire === 0) f.locals.timed_out = true; },
  scan: (k, _t, f) => {
    const L = f.locals;
    L.revents = scan_poll(k, L.entries);
    L.count = L.revents.filter((m) => m !== 0).length;
  },
  signal: (k, t, f) => { if (f.locals.count === 0 && k.signal_pending(t)) f.locals.count = -C.ERESTARTNOHAND; },
  done: (k, _t, f) => { if (f.locals.count !== 0 || f.locals.timed_out) k.jump(f, 'ret'); },
  sleep: (k, t, f) => poll_schedule(k, t, f.locals, scan_poll(k, f.locals.entries).some((m) => m !== 0)),
  woken: (k, t, f) => { poll_woken(k, t, f.locals); k.jump(f, 'scan'); },
  ret: (k, t, f) => k.ret(t, f.locals.count),
}, ['count', 'timed_out']);

interface SelL extends PollWaitL {
  n: number;
  inp: number;
  outp: number;
  exp: number;
  tvp: number;
  /** The three sets as read in (bits by descriptor), and the results. */
  sets: bigint[][];
  res: bigint[][];
  ret: number;
}

export function selectLocals(n: number, inp: number, outp: number, exp: number, tvp: number): SelL {
  return { n, inp, outp, exp, tvp, entries: [], queues: [], expire: -1, timed_out: false, sets: [], res: [], ret: 0 };
}

function bit(set: bigint[], fd: number): boolean {
  return ((set[fd >> 6] >> BigInt(fd & 63)) & 1n) === 1n;
}

/** One pass of do_select: the result sets and how many bits they hold. */
function scan_select(k: Kernel, L: SelL): number {
  const words = L.sets[0].length;
  L.res = [0, 1, 2].map(() => new Array<bigint>(words).fill(0n));
  let retval = 0;
  const wants = [POLLIN_SET, POLLOUT_SET, POLLEX_SET];
  for (const e of L.entries) {
    const mask = vfs_poll(k, e.file as NonNullable<poll_entry['file']>);
    for (let s = 0; s < 3; s++) {
      if (bit(L.sets[s], e.fd) && (mask & wants[s])) {
        L.res[s][e.fd >> 6] |= 1n << BigInt(e.fd & 63);
        retval++;
      }
    }
  }
  return retval;
}

export const __x64_sys_select = kfunc<SelL>('__x64_sys_select', 'fs/select.c', `
/* glibc's select is pselect6 with the timeval as a timespec, converted back after. */
SYSCALL_DEFINE5(select, int, n, fd_set __user *, inp, fd_set __user *, outp,
		fd_set __user *, exp, struct __kernel_old_timeval __user *, tvp)
{
	struct timespec64 end_time, *to = NULL;
	struct __kernel_old_timeval tv;
	int ret;

	if (tvp) {                                          @timeout
		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		to = &end_time;
		if (poll_select_set_timeout(to,
				tv.tv_sec + (tv.tv_usec / USEC_PER_SEC),
				(tv.tv_usec % USEC_PER_SEC) * NSEC_PER_USEC))
			return -EINVAL;
	}

	ret = core_sys_select(n, inp, outp, exp, to);       @call @called
	/* The time left goes back to *tvp (poll_select_finish). */
	return poll_select_finish(&end_time, tvp, PT_TIMEVAL, ret); @ret
}
`, {
  timeout: (k, t, f) => {
    const L = f.locals;
    if (!L.tvp) return;
    const sec = k.user.getUser(t, L.tvp), usec = k.user.getUser(t, L.tvp + 1);
    if (sec === undefined || usec === undefined) { k.ret(t, -C.EFAULT); return; }
    const s = num(sec), us = num(usec);
    if (s < 0 || us < 0) { k.ret(t, -C.EINVAL); return; }
    const ns = s * 1e9 + us * 1000;
    L.expire = ns === 0 ? 0 : k.clock + ns;
  },
  call: (k, t, f) => k.call(t, core_sys_select, f.locals),
  called: (_k, _t, f) => { f.locals.ret = f.ret; },
  ret: (k, t, f) => {
    const L = f.locals;
    // glibc writes the timeval back whatever happened; the kernel leaves a zero timeout alone.
    if (L.tvp) {
      const left = L.expire <= 0 ? 0 : Math.max(0, L.expire - k.clock);
      const sec = Math.floor(left / 1e9);
      k.user.putUser(t, L.tvp, sec);
      k.user.putUser(t, L.tvp + 1, Math.floor((left - sec * 1e9) / 1000));
    }
    k.ret(t, L.ret);
  },
}, ['n', 'tvp', 'expire', 'ret']);

export const core_sys_select = kfunc<SelL>('core_sys_select', 'fs/select.c', `
static int core_sys_select(int n, fd_set __user *inp, fd_set __user *outp,
			   fd_set __user *exp, struct timespec64 *end_time)
{
	fd_set_bits fds;
	int ret, max_fds;

	ret = -EINVAL;
	if (n < 0)                                          @check
		goto out_nofds;

	/* max_fds can increase, so grab it once to avoid race */
	max_fds = files_fdtable(current->files)->max_fds;
	if (n > max_fds)
		n = max_fds;

	/* The three sets in (a NULL one reads as empty), the results cleared. */
	if ((ret = get_fd_set(n, inp, fds.in)) ||          @get
	    (ret = get_fd_set(n, outp, fds.out)) ||
	    (ret = get_fd_set(n, exp, fds.ex)))
		goto out;
	zero_fd_set(n, fds.res_in);
	zero_fd_set(n, fds.res_out);
	zero_fd_set(n, fds.res_ex);

	ret = do_select(n, &fds, end_time);                 @select @selected

	if (ret < 0)                                        @error
		goto out;
	if (!ret) {
		ret = -ERESTARTNOHAND;
		if (signal_pending(current))
			goto out;
		ret = 0;
	}

	if (set_fd_set(n, inp, fds.res_in) ||              @set
	    set_fd_set(n, outp, fds.res_out) ||
	    set_fd_set(n, exp, fds.res_ex))
		ret = -EFAULT;
out:
out_nofds:
	return ret;                                         @ret
}
`, {
  check: (k, t, f) => {
    const L = f.locals;
    if (L.n < 0) { L.ret = -C.EINVAL; k.jump(f, 'ret'); return; }
    const max = t.files ? t.files.fdt.max_fds : 0;
    if (L.n > max) L.n = max;
  },
  get: (k, t, f) => {
    const L = f.locals, words = Math.ceil(L.n / 64);
    for (const p of [L.inp, L.outp, L.exp]) {
      const set: bigint[] = [];
      for (let i = 0; i < words; i++) {
        const v = p ? k.user.getUser(t, p + i) : 0;
        if (v === undefined) { L.ret = -C.EFAULT; k.jump(f, 'ret'); return; }
        set.push(BigInt.asUintN(64, BigInt(typeof v === 'number' || typeof v === 'bigint' ? v : 0)));
      }
      // Bits at or above n are not looked at.
      if (L.n % 64 !== 0 && words > 0) set[words - 1] &= (1n << BigInt(L.n % 64)) - 1n;
      L.sets.push(set);
    }
  },
  select: (k, t, f) => k.call(t, do_select, f.locals),
  selected: (_k, _t, f) => { f.locals.ret = f.ret; },
  error: (k, t, f) => {
    const L = f.locals;
    if (L.ret < 0) { k.jump(f, 'ret'); return; }
    if (L.ret === 0 && k.signal_pending(t)) { L.ret = -C.ERESTARTNOHAND; k.jump(f, 'ret'); }
  },
  set: (k, t, f) => {
    const L = f.locals;
    [L.inp, L.outp, L.exp].forEach((p, s) => {
      if (!p) return;
      for (let i = 0; i < L.res[s].length; i++) {
        if (!k.user.putUser(t, p + i, norm(BigInt.asIntN(64, L.res[s][i])))) L.ret = -C.EFAULT;
      }
    });
  },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['n', 'ret']);

export const do_select = kfunc<SelL>('do_select', 'fs/select.c', `
static noinline_for_stack int do_select(int n, fd_set_bits *fds, struct timespec64 *end_time)
{
	int retval, i, timed_out = 0;

	/* Every descriptor in a set must be open. */
	retval = max_select_fd(n, fds);                     @max
	if (retval < 0)
		return retval;

	/* Optimise the no-wait case */
	if (end_time && !end_time->tv_sec && !end_time->tv_nsec) @zero
		timed_out = 1;

	for (;;) {
		/* Each descriptor in a set: vfs_poll, its bit in res_in, res_out, res_ex. */
		retval = 0;
		for (i = 0; i < n; ++rinp, ++routp, ++rexp)
			mask = vfs_poll(f.file, wait);              @scan

		if (retval || timed_out || signal_pending(current)) @done
			break;

		/* Sleep on every file's queue until a wake-up or the end time. */
		if (!poll_schedule_timeout(&table, TASK_INTERRUPTIBLE, to, slack)) @sleep @woken
			timed_out = 1;
	}
	poll_freewait(&table);

	return retval;                                      @ret
}
`, {
  max: (k, t, f) => {
    const L = f.locals;
    for (let fd = 0; fd < L.n; fd++) {
      if (!L.sets.some((s) => bit(s, fd))) continue;
      const file = fdget(t, fd);
      if (!file) { k.ret(t, -C.EBADF); return; }
      L.entries.push({ fd, file, events: 0 });
    }
  },
  zero: (_k, _t, f) => { if (f.locals.expire === 0) f.locals.timed_out = true; },
  scan: (k, _t, f) => { f.locals.ret = scan_select(k, f.locals); },
  done: (k, t, f) => { if (f.locals.ret !== 0 || f.locals.timed_out || k.signal_pending(t)) k.jump(f, 'ret'); },
  sleep: (k, t, f) => {
    const L = f.locals, keep = L.res;
    const ready = scan_select(k, L) !== 0;
    L.res = keep;
    poll_schedule(k, t, L, ready);
  },
  woken: (k, t, f) => { poll_woken(k, t, f.locals); k.jump(f, 'scan'); },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['n', 'ret', 'timed_out']);
