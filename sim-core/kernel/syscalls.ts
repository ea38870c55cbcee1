// The system call table: a trap from user code (or scenario kernel code) becomes the first
// kernel frame of its path. Names are the C library's; each maps to its kernel entry.

import * as C from './consts';
import type { KFunction } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { __x64_sys_clone, __x64_sys_fork, __x64_sys_vfork, cloneArgs } from './fork';
import { __x64_sys_exit, __x64_sys_exit_group } from './exit';
import { __x64_sys_wait4, wait4Locals } from './wait';
import { __x64_sys_kill } from './signal';
import { __x64_sys_nanosleep, __x64_sys_pause, __x64_sys_sched_yield, msleep, schedule, schedule_timeout } from './sched';
import type { Value } from '../vm/types';

export interface SyscallEntry {
  fn: KFunction<object>;
  locals: object;
}

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/**
 * Builds the entry frame for a call, or returns a number for calls answered without a kernel
 * path of their own (getpid and friends), or null for an unknown call (ENOSYS).
 */
export function syscallEntry(k: Kernel, t: task_struct, name: string, args: Value[]): SyscallEntry | number | null {
  const a0 = num(args[0]), a1 = num(args[1]), a2 = num(args[2]);
  const e = <L extends object>(fn: KFunction<L>, locals: L): SyscallEntry => ({ fn: fn as unknown as KFunction<object>, locals });
  switch (name) {
    case 'fork': return e(__x64_sys_fork, { args: cloneArgs(0, C.SIGCHLD, 'fork') });
    case 'vfork': return e(__x64_sys_vfork, { args: cloneArgs(C.CLONE_VFORK | C.CLONE_VM, C.SIGCHLD, 'vfork') });
    case 'clone': return e(__x64_sys_clone, { args: cloneArgs(a0 & ~C.CSIGNAL, a0 & C.CSIGNAL, 'clone') });
    case 'exit': case 'pthread_exit': return e(__x64_sys_exit, { code: a0 });
    case 'exit_group': case '_exit': return e(__x64_sys_exit_group, { code: a0 });
    case 'wait': return e(__x64_sys_wait4, wait4Locals(-1, a0, 0));
    case 'waitpid': return e(__x64_sys_wait4, wait4Locals(a0, a1, a2));
    case 'wait4': return e(__x64_sys_wait4, wait4Locals(a0, a1, a2));
    case 'kill': return e(__x64_sys_kill, { pid: a0, sig: a1, ret: 0 });
    case 'pause': return e(__x64_sys_pause, {});
    case 'sched_yield': return e(__x64_sys_sched_yield, {});
    case 'sleep': return e(__x64_sys_nanosleep, { ns: a0 * 1e9, expire: 0 });
    case 'usleep': return e(__x64_sys_nanosleep, { ns: a0 * 1e3, expire: 0 });
    case 'nanosleep': return e(__x64_sys_nanosleep, { ns: a0, expire: 0 });
    case 'schedule': return e(schedule, {});
    case 'schedule_timeout': return e(schedule_timeout, { timeout: a0, expire: 0 });
    case 'msleep': return e(msleep, { msecs: a0, timeout: 0 });
    case 'getpid': return t.tgid;
    case 'gettid': return t.pid;
    case 'getppid': return t.group_leader.real_parent ? t.group_leader.real_parent.tgid : 0;
    case 'getuid': case 'geteuid': return t.cred.uid;
    default: return null;
  }
}
