// The scheduling system calls' rows of the system call table (syscalls.ts): policies and
// priorities (sched-syscalls.ts), affinity and the CPU a task is on (affinity.ts).

import type { Kernel } from './kernel';
import type { task_struct } from './task';
import type { Value } from '../vm/types';
import { entry, type SyscallEntry } from './callentry';
import { __x64_sys_sched_setparam, __x64_sys_sched_setscheduler, sched_get_priority, sched_getparam, sched_getscheduler, sched_rr_get_interval, setschedulerLocals } from './sched-syscalls';
import { __x64_sys_sched_setaffinity, getcpu, sched_getaffinity, setaffinityLocals } from './affinity';

type Handler = (k: Kernel, t: task_struct, args: Value[]) => SyscallEntry | number;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

export const SCHED_SYSCALLS: ReadonlyArray<[string, Handler]> = [
  ['sched_setscheduler', (_k, _t, a) => entry(__x64_sys_sched_setscheduler, setschedulerLocals(num(a[0]), num(a[1]), num(a[2])))],
  ['sched_setparam', (_k, _t, a) => entry(__x64_sys_sched_setparam, setschedulerLocals(num(a[0]), 0, num(a[1])))],
  ['sched_getscheduler', (_k, t, a) => sched_getscheduler(t, num(a[0]))],
  ['sched_getparam', (k, t, a) => sched_getparam(k, t, num(a[0]), num(a[1]))],
  ['sched_get_priority_max', (_k, _t, a) => sched_get_priority(num(a[0]), true)],
  ['sched_get_priority_min', (_k, _t, a) => sched_get_priority(num(a[0]), false)],
  ['sched_rr_get_interval', (k, t, a) => sched_rr_get_interval(k, t, num(a[0]), num(a[1]))],
  ['sched_setaffinity', (_k, _t, a) => entry(__x64_sys_sched_setaffinity, setaffinityLocals(num(a[0]), num(a[1]), num(a[2])))],
  ['sched_getaffinity', (k, t, a) => sched_getaffinity(k, t, num(a[0]), num(a[1]), num(a[2]))],
  ['getcpu', (k, t, a) => getcpu(k, t, num(a[0]), num(a[1]))],
];
