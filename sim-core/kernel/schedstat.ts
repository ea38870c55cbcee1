// Per-task scheduler statistics, as /proc/<pid>/schedstat and /proc/<pid>/status report them:
// CPU time (se.sum_exec_runtime), time spent runnable but waiting (sched_info.run_delay), and
// the voluntary and involuntary context switches (nvcsw, nivcsw). `kproc run --sched-stats`
// prints them for every task the scenario had, the reaped ones as they were when released.

import type { task_struct } from './task';
import { policyName } from './rt';

export interface SchedStat {
  pid: number;
  comm: string;
  policy: string;
  runtime: number;
  run_delay: number;
  nvcsw: number;
  nivcsw: number;
}

export function schedStatOf(t: task_struct): SchedStat {
  return {
    pid: t.pid, comm: t.comm, policy: policyName(t.policy), runtime: t.se.sum_exec_runtime,
    run_delay: t.sched_info.run_delay, nvcsw: t.nvcsw, nivcsw: t.nivcsw,
  };
}

function ms(ns: number): string {
  return (ns / 1e6).toFixed(3);
}

/** The table `kproc run --sched-stats` prints, one task a line in pid order. */
export function formatSchedStats(rows: readonly SchedStat[]): string {
  const head = `${'PID'.padStart(7)} ${'COMM'.padEnd(16)} ${'POLICY'.padEnd(11)} ${'RUNTIME(ms)'.padStart(12)} ${'WAIT(ms)'.padStart(12)} ${'NVCSW'.padStart(7)} ${'NIVCSW'.padStart(7)}\n`;
  return head + [...rows].sort((a, b) => a.pid - b.pid).map((r) =>
    `${String(r.pid).padStart(7)} ${r.comm.padEnd(16)} ${r.policy.padEnd(11)} ${ms(r.runtime).padStart(12)} ${ms(r.run_delay).padStart(12)} ${String(r.nvcsw).padStart(7)} ${String(r.nivcsw).padStart(7)}\n`,
  ).join('');
}
