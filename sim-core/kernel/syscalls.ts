// The x86-64 system call table: a trap from user code becomes the first kernel frame of its
// path, by the call's kernel name (clone3, wait4, clock_nanosleep, rt_sigaction...). The C
// library (sim-core/vm/libc.ts, libc-calls.ts) maps its functions onto these; calls from scenario
// kernel code into kernel functions go to kcalls.ts.

import * as C from './consts';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { __x64_sys_clone, __x64_sys_fork, __x64_sys_vfork, cloneArgs } from './fork';
import { __x64_sys_exit, __x64_sys_exit_group } from './exit';
import { __x64_sys_wait4, wait4Locals } from './wait';
import { __x64_sys_waitid, waitidLocals } from './waitid';
import { __x64_sys_kill, __x64_sys_tgkill } from './signal';
import { __x64_sys_rt_sigqueueinfo, sigqueueinfoLocals } from './sigqueueinfo';
import { __x64_sys_clock_nanosleep, __x64_sys_pause, __x64_sys_restart_syscall, __x64_sys_sched_yield, clockNanosleepLocals, nanosleepRestartLocals } from './sched';
import type { Value } from '../vm/types';
import { __x64_sys_execve, execLocals, readArgv } from './exec';
import { __x64_sys_rt_sigaction, __x64_sys_rt_sigprocmask, __x64_sys_rt_sigreturn, sigactionLocals, sigprocmaskLocals } from './sigaction';
import { __x64_sys_prctl, __x64_sys_prlimit64, __x64_sys_setpriority, getpriority, prlimitLocals, setpriorityLocals } from './sys';
import { __x64_sys_getpgid, __x64_sys_getpgrp, __x64_sys_getsid, __x64_sys_setpgid, __x64_sys_setsid } from './pgrp';
import { __x64_sys_clone3, __x64_sys_futex, clone3Locals, futexLocals } from './futex';
import { entry, type SyscallEntry } from './callentry';
import { __x64_sys_rt_sigpending, __x64_sys_rt_sigsuspend, __x64_sys_rt_sigtimedwait, __x64_sys_tkill, sigpendingLocals, sigtimedwaitLocals } from './sigwait';
import { __x64_sys_alarm, __x64_sys_getitimer, __x64_sys_setitimer, setitimerLocals } from './itimer';
import { kernelCallEntry } from './kcalls';
import { clock_gettime, gettimeofday, time } from './time';
import { sys_getrusage } from './cputime';
import { sys_shmat, sys_shmctl, sys_shmdt, sys_shmget } from './shm';
import { sys_mmap, sys_munmap } from './mman';
import { ksys_msgctl, ksys_msgget } from './msg';
import { __x64_sys_msgrcv, __x64_sys_msgsnd, msgrcvLocals, msgsndLocals } from './msg-ops';
import { do_mq_open, sys_mq_getsetattr, sys_mq_unlink } from './mqueue';
import { __x64_sys_mq_timedreceive, __x64_sys_mq_timedsend, mqLocals } from './mqueue-ops';
import { __x64_sys_unshare, task_pid_vnr, task_tgid_vnr } from './pidns';
import { SCHED_SYSCALLS } from './sched-calls';
import { FS_SYSCALLS } from './fs-syscalls';

export type { SyscallEntry };

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

type Handler = (k: Kernel, t: task_struct, args: Value[]) => SyscallEntry | number;

/**
 * The modelled system calls by kernel name. A handler returns the entry frame, or a number for
 * a call answered without a kernel path of its own (getpid and friends).
 */
const SYSCALLS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['fork', () => entry(__x64_sys_fork, { args: cloneArgs(0, C.SIGCHLD, 'fork') })],
  ['vfork', () => entry(__x64_sys_vfork, { args: cloneArgs(C.CLONE_VFORK | C.CLONE_VM, C.SIGCHLD, 'vfork') })],
  // clone(flags, newsp, parent_tid, child_tid, tls); the C library's wrapper adds fn and arg,
  // which its child side calls on the new stack.
  ['clone', (k, _t, a) => {
    const flags = num(a[0]);
    const c = cloneArgs(flags & ~C.CSIGNAL, flags & C.CSIGNAL, 'clone');
    c.parent_tid = num(a[2]);
    c.child_tid = num(a[3]);
    c.tls = num(a[4]);
    const fn = k.functionName(a[5]);
    if (fn) { c.fn = fn; c.fn_arg = a[6] ?? 0; }
    return entry(__x64_sys_clone, { args: c });
  }],
  ['clone3', (_k, _t, a) => entry(__x64_sys_clone3, clone3Locals(num(a[0]), num(a[1]), a[2] ?? 0, a[3] ?? 0))],
  ['execve', (k, t, a) => entry(__x64_sys_execve, execLocals(k.user.readString(t, a[0] ?? ''), readArgv(k, t, a[1]), readArgv(k, t, a[2])))],
  ['exit', (_k, _t, a) => entry(__x64_sys_exit, { code: num(a[0]) })],
  ['exit_group', (_k, _t, a) => entry(__x64_sys_exit_group, { code: num(a[0]) })],
  ['wait4', (_k, _t, a) => entry(__x64_sys_wait4, wait4Locals(num(a[0]), num(a[1]), num(a[2]), num(a[3])))],
  ['waitid', (_k, _t, a) => entry(__x64_sys_waitid, waitidLocals(num(a[0]), num(a[1]), num(a[2]), num(a[3])))],
  ['kill', (_k, _t, a) => entry(__x64_sys_kill, { pid: num(a[0]), sig: num(a[1]), ret: 0 })],
  ['tgkill', (_k, _t, a) => entry(__x64_sys_tgkill, { tgid: num(a[0]), pid: num(a[1]), sig: num(a[2]) })],
  // sigqueue(pid, sig, value): glibc fills si_pid and si_uid with getpid() and getuid() first.
  ['rt_sigqueueinfo', (_k, t, a) => entry(__x64_sys_rt_sigqueueinfo, sigqueueinfoLocals(num(a[0]), num(a[1]),
    { si_signo: num(a[1]), si_code: num(a[2]), si_pid: task_tgid_vnr(t, t), si_uid: t.cred.uid, si_status: 0, si_value: num(a[3]) }))],
  ['rt_sigaction', (k, t, a) => entry(__x64_sys_rt_sigaction, sigactionLocals(k, t, a.slice(0, 3)))],
  ['rt_sigprocmask', (k, t, a) => entry(__x64_sys_rt_sigprocmask, sigprocmaskLocals(num(a[0]), num(a[1]), num(a[2]), k, t))],
  ['rt_sigreturn', () => entry(__x64_sys_rt_sigreturn, {})],
  ['rt_sigpending', (_k, _t, a) => entry(__x64_sys_rt_sigpending, sigpendingLocals(num(a[0]), num(a[1])))],
  ['rt_sigsuspend', (_k, _t, a) => entry(__x64_sys_rt_sigsuspend, { unewset: num(a[0]), size: num(a[1]) })],
  ['rt_sigtimedwait', (_k, _t, a) => entry(__x64_sys_rt_sigtimedwait, sigtimedwaitLocals(num(a[0]), num(a[1]), num(a[2]), num(a[3])))],
  ['tkill', (_k, _t, a) => entry(__x64_sys_tkill, { pid: num(a[0]), sig: num(a[1]) })],
  // An interrupted clock_nanosleep resumes for the time left (restart_block: [left, rmtp]).
  ['restart_syscall', (_k, _t, a) => entry(__x64_sys_restart_syscall, nanosleepRestartLocals(num(a[0]), num(a[1])))],
  ['clock_nanosleep', (_k, _t, a) => entry(__x64_sys_clock_nanosleep, clockNanosleepLocals(num(a[0]), num(a[1]), num(a[2]), num(a[3])))],
  ['pause', () => entry(__x64_sys_pause, {})],
  ['alarm', (_k, _t, a) => entry(__x64_sys_alarm, { seconds: num(a[0]) >>> 0, old: 0 })],
  ['setitimer', (_k, _t, a) => entry(__x64_sys_setitimer, setitimerLocals(num(a[0]), num(a[1]), num(a[2])))],
  ['getitimer', (_k, _t, a) => entry(__x64_sys_getitimer, { which: num(a[0]), value: num(a[1]) })],
  ['sched_yield', () => entry(__x64_sys_sched_yield, {})],
  ['futex', (_k, _t, a) => entry(__x64_sys_futex, futexLocals(num(a[0]), num(a[1]), num(a[2]), num(a[3]), num(a[5])))],
  ['prctl', (_k, _t, a) => entry(__x64_sys_prctl, { option: num(a[0]), arg2: a[1] ?? 0, error: 0 })],
  ['prlimit64', (_k, _t, a) => entry(__x64_sys_prlimit64, prlimitLocals(num(a[1]), num(a[2]), num(a[3])))],
  ['setpriority', (_k, _t, a) => entry(__x64_sys_setpriority, setpriorityLocals(num(a[0]), num(a[1]), num(a[2])))],
  ['getpriority', (_k, t) => getpriority(t)],
  ['getpgrp', () => entry(__x64_sys_getpgrp, { pid: 0, type: C.PIDTYPE_PGID, retval: 0 })],
  ['getpgid', (_k, _t, a) => entry(__x64_sys_getpgid, { pid: num(a[0]), type: C.PIDTYPE_PGID, retval: 0 })],
  ['getsid', (_k, _t, a) => entry(__x64_sys_getsid, { pid: num(a[0]), type: C.PIDTYPE_SID, retval: 0 })],
  ['setpgid', (_k, _t, a) => entry(__x64_sys_setpgid, { pid: num(a[0]), pgid: num(a[1]), p: null, err: 0 })],
  ['setsid', () => entry(__x64_sys_setsid, { session: 0, err: 0 })],
  // Numbers as the caller's pid namespace sees them (task_tgid_vnr, task_pid_vnr); the parent
  // of a namespace's init is outside it, so the init's getppid() is 0.
  ['getpid', (_k, t) => task_tgid_vnr(t, t)],
  ['gettid', (_k, t) => task_pid_vnr(t, t)],
  ['getppid', (_k, t) => (t.group_leader.real_parent ? task_tgid_vnr(t.group_leader.real_parent, t) : 0)],
  ['unshare', (_k, _t, a) => entry(__x64_sys_unshare, { unshare_flags: num(a[0]), err: 0, new_nsproxy: null })],
  ['getuid', (_k, t) => t.cred.uid],
  ['clock_gettime', (k, t, a) => clock_gettime(k, t, num(a[0]), num(a[1]))],
  ['gettimeofday', (k, t, a) => gettimeofday(k, t, num(a[0]))],
  ['time', (k, t, a) => time(k, t, num(a[0]))],
  ['getrusage', (k, t, a) => sys_getrusage(k, t, num(a[0]), num(a[1]))],
  ['mmap', (k, t, a) => sys_mmap(k, t, a)],
  ['munmap', (k, t, a) => sys_munmap(k, t, a)],
  ['shmget', (k, t, a) => sys_shmget(k, t, num(a[0]), typeof a[1] === 'bigint' ? Infinity : num(a[1]), num(a[2]))],
  ['shmat', (k, t, a) => sys_shmat(k, t, num(a[0]), num(a[1]), num(a[2]))],
  ['shmdt', (k, t, a) => sys_shmdt(k, t, num(a[0]))],
  ['shmctl', (k, t, a) => sys_shmctl(k, t, num(a[0]), num(a[1]), num(a[2]))],
  ['geteuid', (_k, t) => t.cred.euid],
  // System V message queues: the C library passes msgsnd the message's bytes and its mtype, and
  // msgrcv a scratch buffer for mtype's 8 bytes and the text (vm/libc-msg.ts).
  ['msgget', (k, t, a) => ksys_msgget(k, t, num(a[0]), num(a[1]))],
  ['msgctl', (k, t, a) => ksys_msgctl(k, t, num(a[0]), num(a[1]), num(a[2]))],
  ['msgsnd', (_k, _t, a) => entry(__x64_sys_msgsnd, msgsndLocals(num(a[0]), num(a[4]), typeof a[1] === 'string' ? a[1] : '', num(a[2]), num(a[3])))],
  ['msgrcv', (_k, _t, a) => entry(__x64_sys_msgrcv, msgrcvLocals(num(a[0]), num(a[1]), num(a[2]), num(a[3]), num(a[4])))],
  // POSIX message queues: names without the leading '/', which the C library checks and drops.
  ['mq_open', (k, t, a) => do_mq_open(k, t, typeof a[0] === 'string' ? a[0] : '', num(a[1]), num(a[2]), num(a[3]))],
  ['mq_unlink', (k, t, a) => sys_mq_unlink(k, t, typeof a[0] === 'string' ? a[0] : '')],
  ['mq_getsetattr', (k, t, a) => sys_mq_getsetattr(k, t, num(a[0]), num(a[1]), num(a[2]))],
  ['mq_timedsend', (_k, _t, a) => entry(__x64_sys_mq_timedsend, mqLocals(num(a[0]), typeof a[1] === 'string' ? a[1] : '', 0, num(a[2]), num(a[3]), 0, num(a[4])))],
  ['mq_timedreceive', (_k, _t, a) => entry(__x64_sys_mq_timedreceive, mqLocals(num(a[0]), '', num(a[1]), num(a[2]), 0, num(a[3]), num(a[4])))],
  ...SCHED_SYSCALLS,
  ...FS_SYSCALLS,
]);

/** The kernel names the table holds (for tests and tools). */
export const SYSCALL_NAMES: readonly string[] = [...SYSCALLS.keys()];

/**
 * Builds the entry frame for a call, or returns a number for a call answered at once, or null
 * for an unknown call (ENOSYS). User code makes system calls; scenario kernel code (a task
 * running a scenario function above kernel frames) calls kernel functions. Records the call as
 * the task's orig_ax, so that an interrupted call can be restarted.
 */
export function syscallEntry(k: Kernel, t: task_struct, name: string, args: Value[]): SyscallEntry | number | null {
  t.syscall_nr = { name, args };
  if (t.vm_base > 0) return kernelCallEntry(k, t, name, args);
  const h = SYSCALLS.get(name);
  return h ? h(k, t, args) : null;
}
