// kernel/sched/cputime.c: a task's and a thread group's user and system time. The model samples
// no ticks, so utime and stime stay 0 and cputime_adjust gives the whole run time to utime.

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
