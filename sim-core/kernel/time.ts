// The clocks a process reads: clock_gettime, gettimeofday and time (kernel/time/posix-timers.c,
// time.c). glibc answers them from the vDSO's copy of the kernel's timekeeping without entering
// the kernel; here they are calls the kernel answers from the machine's virtual clock. The
// simulated machine boots at the Epoch, so CLOCK_REALTIME and CLOCK_MONOTONIC agree.
import * as C from './consts';
import type { Kernel } from './kernel';
import type { task_struct } from './task';

const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
  CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7;

/** The nanoseconds a clock reads for task t, or null for a clock id it does not know (EINVAL). */
function clockNs(k: Kernel, t: task_struct, which: number): number | null {
  switch (which) {
    case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
      return k.clock;
    // CPU time: the thread's own se.sum_exec_runtime, or its whole thread group's.
    case CLOCK_THREAD_CPUTIME_ID: return t.se.sum_exec_runtime;
    case CLOCK_PROCESS_CPUTIME_ID: {
      // thread_group_cputime: the live threads' runtime plus what the dead ones left behind.
      let ns = t.signal.sum_sched_runtime;
      for (const p of k.allTasks()) if (p.tgid === t.tgid) ns += p.se.sum_exec_runtime;
      return ns;
    }
    default: return null;
  }
}

/** Stores a {seconds, fraction} pair at addr (struct timespec or timeval); false on a bad address. */
function putPair(k: Kernel, t: task_struct, addr: number, ns: number, perSecond: number): boolean {
  const sec = Math.floor(ns / 1e9);
  const frac = Math.floor((ns - sec * 1e9) / (1e9 / perSecond));
  return k.user.putUser(t, addr, sec) && k.user.putUser(t, addr + 1, frac);
}

/** clock_gettime(which, tp): 0, -EINVAL for an unknown clock, -EFAULT for a bad tp. */
export function clock_gettime(k: Kernel, t: task_struct, which: number, tp: number): number {
  const ns = clockNs(k, t, which);
  if (ns === null) return -C.EINVAL;
  return putPair(k, t, tp, ns, 1e9) ? 0 : -C.EFAULT;
}

/** gettimeofday(tv, tz): the time in seconds and microseconds; tz (obsolete) is left alone. */
export function gettimeofday(k: Kernel, t: task_struct, tv: number): number {
  if (tv === 0) return 0;
  return putPair(k, t, tv, k.clock, 1e6) ? 0 : -C.EFAULT;
}

/** time(tloc): whole seconds, also stored at tloc when it is not NULL. */
export function time(k: Kernel, t: task_struct, tloc: number): number {
  const sec = Math.floor(k.clock / 1e9);
  if (tloc !== 0 && !k.user.putUser(t, tloc, sec)) return -C.EFAULT;
  return sec;
}
