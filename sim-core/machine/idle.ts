// The machine between ticks: timers that fire, whether any task can still run, a deadlock, and
// the end of the scenario (no user task left).

import * as C from '../kernel/consts';
import type { Kernel } from '../kernel/kernel';
import { next_real_timer, run_real_timers } from '../kernel/itimer';
import { NS_ZERO } from '../kernel/task';

/**
 * The timers at the end of a tick: hrtimers and real-time timers that are due fire; an idle
 * machine first moves its clock on to the next one.
 */
export function run_timers(k: Kernel, idle: boolean): void {
  if (k.timers.size === 0 && k.real_timers.length === 0) return;
  let next = next_real_timer(k);
  for (const t of k.timers) if (t.timeout_at < next) next = t.timeout_at;
  if (idle && next > k.clock && next < Infinity) k.clock = next;
  run_real_timers(k);
  for (const t of [...k.timers]) {
    if (t.timeout_at > k.clock) continue;
    // An hrtimer fires once: a task that is no longer in the sleep it armed (stopped by
    // SIGSTOP meanwhile, say) is not woken, and the expired timer is gone all the same.
    k.timers.delete(t);
    k.try_to_wake_up(t, C.TASK_NORMAL, null);
  }
}

/** No user task is left: everything the scenario started has exited and been reaped. */
export function user_tasks_done(k: Kernel): boolean {
  for (const t of k.pid_hash.values()) {
    if (t.pid > 2 && !(t.flags & C.PF_KTHREAD)) return false;
  }
  return true;
}

/** Whether anything can still run: a task on a runqueue, or a timer that will wake one. */
export function any_runnable(k: Kernel): boolean {
  if (k.timers.size > 0 || k.real_timers.length > 0) return true;
  for (let cpu = 0; cpu < k.rq.length; cpu++) {
    const rq = k.rq[cpu];
    if ((rq.curr !== null && rq.curr.se.on_rq) || rq.timeline.length > 0 || rq.rt.rt_nr_running > 0) return true;
  }
  return false;
}

/** Records the deadlock event; returns the sleeping user tasks' pids. */
export function report_deadlock(k: Kernel): number[] {
  const sleeping: number[] = [];
  for (const t of k.pid_hash.values()) if (t.pid > 2 && !(t.flags & C.PF_KTHREAD) && !t.exit_state) sleeping.push(t.pid);
  sleeping.sort((a, b) => a - b);
  k.emit({ time: NS_ZERO, step: 0, kind: 'deadlock', sleeping });
  return sleeping;
}
