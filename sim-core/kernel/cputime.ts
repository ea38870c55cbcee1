// kernel/sched/cputime.c: a task's and a thread group's user and system time. The model samples
// no ticks, so utime and stime stay 0 and cputime_adjust gives the whole run time to utime.
// getrusage's RUSAGE_BOTH (kernel/sys.c), which wait4 and waitid report about a child, is here too.

import * as C from './consts';
import type { Kernel } from './kernel';
import { list_entries } from './list';
import type { task_struct } from './task';

export interface task_cputime { utime: number; stime: number; sum_exec_runtime: number }

/**
 * cputime_adjust: splits the precise run time rtime in the ratio of the sampled stime and utime;
 * with no stime sampled it is all utime, with no utime all stime.
 */
export function cputime_adjust(c: task_cputime): { utime: number; stime: number } {
  const rtime = c.sum_exec_runtime;
  if (c.stime === 0) return { utime: rtime, stime: 0 };
  if (c.utime === 0) return { utime: 0, stime: rtime };
  const stime = Math.floor((c.stime * rtime) / (c.stime + c.utime));
  return { utime: rtime - stime, stime };
}

export function task_cputime_adjusted(t: task_struct): { utime: number; stime: number } {
  return cputime_adjust({ utime: t.utime, stime: t.stime, sum_exec_runtime: t.se.sum_exec_runtime });
}

/** thread_group_cputime: what the dead threads left in signal_struct, plus every live thread's. */
export function thread_group_cputime(t: task_struct): task_cputime {
  const sig = t.signal;
  const times = { utime: sig.utime, stime: sig.stime, sum_exec_runtime: sig.sum_sched_runtime };
  for (const th of list_entries(sig.thread_head)) {
    times.utime += th.utime;
    times.stime += th.stime;
    times.sum_exec_runtime += th.se.sum_exec_runtime;
  }
  return times;
}

export function thread_group_cputime_adjusted(t: task_struct): { utime: number; stime: number } {
  return cputime_adjust(thread_group_cputime(t));
}

/** The parts of struct rusage the model can say: times (ns) and context switches; the rest stays 0. */
export interface rusage { utime: number; stime: number; nvcsw: number; nivcsw: number }

export function empty_rusage(): rusage {
  return { utime: 0, stime: 0, nvcsw: 0, nivcsw: 0 };
}

export const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_BOTH = -2, RUSAGE_THREAD = 1;

/**
 * getrusage(p, who, r) of kernel/sys.c: RUSAGE_THREAD the thread's own times and switches,
 * RUSAGE_SELF the group's (cputime-adjusted; the switches of its live threads), RUSAGE_CHILDREN
 * what its reaped children left in cutime and cstime, RUSAGE_BOTH the last two added.
 */
export function getrusage(p: task_struct, who: number, r: rusage): void {
  r.utime = 0; r.stime = 0; r.nvcsw = 0; r.nivcsw = 0;
  if (who === RUSAGE_THREAD) {
    const own = task_cputime_adjusted(p);
    r.utime = own.utime; r.stime = own.stime; r.nvcsw = p.nvcsw; r.nivcsw = p.nivcsw;
    return;
  }
  if (who === RUSAGE_CHILDREN || who === RUSAGE_BOTH) {
    r.utime = p.signal.cutime;
    r.stime = p.signal.cstime;
    if (who === RUSAGE_CHILDREN) return;
  }
  const tg = thread_group_cputime_adjusted(p);
  r.utime += tg.utime;
  r.stime += tg.stime;
  for (const th of list_entries(p.signal.thread_head)) {
    r.nvcsw += th.nvcsw;
    r.nivcsw += th.nivcsw;
  }
}

/** What wait4 and waitid report about a child: getrusage(p, RUSAGE_BOTH). */
export function getrusage_both(p: task_struct, r: rusage): void {
  getrusage(p, RUSAGE_BOTH, r);
}

/** struct rusage in scenario memory, one cell a field: ru_utime and ru_stime (timevals), then 14 longs. */
export const RUSAGE_CELLS = 18;
const RU_NVCSW = 16, RU_NIVCSW = 17;

/** The cells of struct rusage for r, as copy_to_user would leave them. */
export function rusage_cells(r: rusage): number[] {
  const cells = new Array<number>(RUSAGE_CELLS).fill(0);
  // ns_to_kernel_old_timeval: whole seconds and the microseconds under them, rounded down.
  cells[0] = Math.floor(r.utime / 1e9); cells[1] = Math.floor((r.utime % 1e9) / 1000);
  cells[2] = Math.floor(r.stime / 1e9); cells[3] = Math.floor((r.stime % 1e9) / 1000);
  cells[RU_NVCSW] = r.nvcsw;
  cells[RU_NIVCSW] = r.nivcsw;
  return cells;
}

/** The getrusage system call: 0, -EINVAL for an unknown who, -EFAULT for a bad ru. */
export function sys_getrusage(k: Kernel, t: task_struct, who: number, ru: number): number {
  if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) return -C.EINVAL;
  const r = empty_rusage();
  getrusage(t, who, r);
  const cells = rusage_cells(r);
  for (let i = 0; i < cells.length; i++) if (!k.user.putUser(t, ru + i, cells[i])) return -C.EFAULT;
  return 0;
}
