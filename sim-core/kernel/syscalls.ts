// The system call table: a trap from user code (or scenario kernel code) becomes the first
// kernel frame of its path. Names are the C library's; each maps to its kernel entry.

import * as C from './consts';
import { mm_thread_results } from './objects';
import type { KFunction } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { __x64_sys_clone, __x64_sys_fork, __x64_sys_vfork, cloneArgs } from './fork';
import { __x64_sys_exit, __x64_sys_exit_group } from './exit';
import { __x64_sys_wait4, wait4Locals } from './wait';
import { __x64_sys_kill } from './signal';
import { __x64_sys_nanosleep, __x64_sys_pause, __x64_sys_sched_yield, msleep, schedule, schedule_timeout } from './sched';
import type { Value } from '../vm/types';
import { __x64_sys_execve, execLocals, readArgv } from './exec';
import { __x64_sys_rt_sigaction, __x64_sys_rt_sigprocmask, __x64_sys_rt_sigreturn, sigactionLocals, signalLocals, sigprocmaskLocals } from './sigaction';
import { __x64_sys_prctl, __x64_sys_prlimit64, __x64_sys_setpriority, prlimitLocals } from './sys';
import { __x64_sys_getpgid, __x64_sys_getpgrp, __x64_sys_getsid, __x64_sys_setpgid, __x64_sys_setsid } from './pgrp';
import { kthread_create_on_node, kthread_run, kthread_should_stop, kthread_stop, kthreadCreateLocals, scenario_return } from './kthread';
import { wake_up_process } from './sched';
import { _raw_spin_lock, _raw_spin_unlock, find_task_by_vpid, get_current, kernelInline } from './kcode';
import { __x64_sys_clone3, __x64_sys_futex, pthreadCreateArgs, pthreadJoin } from './futex';
import { do_exit } from './exit';

export interface SyscallEntry {
  fn: KFunction<object>;
  locals: object;
}

function entry<L extends object>(fn: KFunction<L>, locals: L): SyscallEntry {
  return { fn: fn as unknown as KFunction<object>, locals };
}

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/**
 * Builds the entry frame for a call, or returns a number for calls answered without a kernel
 * path of their own (getpid and friends), or null for an unknown call (ENOSYS). Records the
 * call as the task's orig_ax, so that an interrupted call can be restarted.
 */
export function syscallEntry(k: Kernel, t: task_struct, name: string, args: Value[]): SyscallEntry | number | null {
  t.syscall_nr = { name, args };
  const a0 = num(args[0]), a1 = num(args[1]), a2 = num(args[2]);
  // A scenario function the kernel called (kthread function, module init) returned.
  if (name === 'exit' && t.vm_base > 0) { scenario_return(k, t, a0); return 0; }
  switch (name) {
    case 'fork': return entry(__x64_sys_fork, { args: cloneArgs(0, C.SIGCHLD, 'fork') });
    case 'vfork': return entry(__x64_sys_vfork, { args: cloneArgs(C.CLONE_VFORK | C.CLONE_VM, C.SIGCHLD, 'vfork') });
    case 'clone': {
      const a = cloneArgs(a0 & ~C.CSIGNAL, a0 & C.CSIGNAL, 'clone');
      const fn = k.functionName(args[2]);
      if (fn) { a.fn = fn; a.fn_arg = args[3] ?? 0; }
      return entry(__x64_sys_clone, { args: a });
    }
    case 'pthread_create': {
      const a = pthreadCreateArgs(k, a0, args[2] ?? 0, args[3] ?? 0);
      return a ? entry(__x64_sys_clone3, { args: a }) : C.EINVAL;
    }
    case 'pthread_join': {
      const j = pthreadJoin(k, t, a0, a1);
      return typeof j === 'number' ? j : entry(__x64_sys_futex, j);
    }
    case 'pthread_self': return t.pid;
    case 'exit': case 'pthread_exit':
      // The function of a bare clone() returned: glibc's clone wrapper passes its value to the
      // exit system call. Only pthread_create sets clear_child_tid (CLONE_CHILD_CLEARTID).
      if (name === 'exit' && t.clear_child_tid === 0) return entry(__x64_sys_exit, { code: a0 });
      // A thread's start routine returned or called pthread_exit: glibc keeps the value for
      // pthread_join and ends the thread with exit(0).
      if (t.mm) mm_thread_results(t.mm).set(t.pid, args[0] ?? 0);
      return entry(__x64_sys_exit, { code: 0 });
    case 'exit_group': case '_exit': return entry(__x64_sys_exit_group, { code: a0 });
    case 'do_exit': return entry(do_exit, { code: a0, group_dead: false });
    case 'execve': case 'execv': case 'execvp': case 'execl': case 'execlp': {
      const path = k.user.readString(t, args[0] ?? '');
      const file = (name === 'execvp' || name === 'execlp') && !path.includes('/') ? `/bin/${path}` : path;
      const argv = name === 'execl' || name === 'execlp' ? args.slice(1).filter((v) => v !== 0) : readArgv(k, t, args[1]);
      return entry(__x64_sys_execve, execLocals(file, argv));
    }
    case 'wait': return entry(__x64_sys_wait4, wait4Locals(-1, a0, 0));
    case 'waitpid': return entry(__x64_sys_wait4, wait4Locals(a0, a1, a2));
    case 'wait4': return entry(__x64_sys_wait4, wait4Locals(a0, a1, a2));
    case 'kill': return entry(__x64_sys_kill, { pid: a0, sig: a1, ret: 0 });
    case 'raise': return entry(__x64_sys_kill, { pid: t.tgid, sig: a0, ret: 0 });
    case 'sigaction': return entry(__x64_sys_rt_sigaction, sigactionLocals(k, t, args));
    case 'signal': return entry(__x64_sys_rt_sigaction, signalLocals(k, a0, args[1] ?? 0));
    case 'sigprocmask': return entry(__x64_sys_rt_sigprocmask, sigprocmaskLocals(a0, a1, a2, k, t));
    case 'rt_sigreturn': return entry(__x64_sys_rt_sigreturn, {});
    case 'prctl': return entry(__x64_sys_prctl, { option: a0, arg2: args[1] ?? 0, error: 0 });
    case 'setrlimit':
      // The C library's trap carries rlim_cur and rlim_max; store them for prlimit64 to read.
      return entry(__x64_sys_prlimit64, { ...prlimitLocals(a0, 0, 0), new_rlim: -1, cur: a1, max: a2 });
    case 'getrlimit': return entry(__x64_sys_prlimit64, prlimitLocals(a0, 0, a1));
    case 'nice': return entry(__x64_sys_setpriority, { inc: a0, nice: 0, error: 0 });
    case 'pause': return entry(__x64_sys_pause, {});
    case 'sched_yield': return entry(__x64_sys_sched_yield, {});
    case 'sleep': return entry(__x64_sys_nanosleep, { ns: a0 * 1e9, expire: 0 });
    case 'usleep': return entry(__x64_sys_nanosleep, { ns: a0 * 1e3, expire: 0 });
    case 'nanosleep': return entry(__x64_sys_nanosleep, { ns: a0, expire: 0 });
    case 'schedule': return entry(schedule, {});
    case 'schedule_timeout': return entry(schedule_timeout, { timeout: a0, expire: 0 });
    case 'msleep': return entry(msleep, { msecs: a0, timeout: 0 });
    case 'ssleep': return entry(msleep, { msecs: a0 * 1000, timeout: 0 });
    case 'kthread_run': case 'kthread_create': {
      const fn = k.functionName(args[0]) ?? '';
      const locals = kthreadCreateLocals(fn, args[1] ?? 0, k.user.readString(t, args[2] ?? ''), name === 'kthread_run');
      return name === 'kthread_run' ? entry(kthread_run, locals) : entry(kthread_create_on_node, locals);
    }
    case 'kthread_stop': return entry(kthread_stop, { k: k.taskOf(args[0]), ret: 0 });
    case 'kthread_should_stop': return entry(kthread_should_stop, {});
    case 'wake_up_process': return entry(wake_up_process, { p: k.taskOf(args[0]) });
    case 'spin_lock': return entry(_raw_spin_lock, { lock: a0 });
    case 'spin_unlock': return entry(_raw_spin_unlock, { lock: a0 });
    case 'get_current': return entry(get_current, {});
    case 'find_task_by_vpid': return entry(find_task_by_vpid, { nr: a0 });
    case 'getpgrp': return entry(__x64_sys_getpgrp, { pid: 0, type: C.PIDTYPE_PGID, retval: 0 });
    case 'getpgid': return entry(__x64_sys_getpgid, { pid: a0, type: C.PIDTYPE_PGID, retval: 0 });
    case 'getsid': return entry(__x64_sys_getsid, { pid: a0, type: C.PIDTYPE_SID, retval: 0 });
    case 'setpgid': return entry(__x64_sys_setpgid, { pid: a0, pgid: a1, p: null, err: 0 });
    case 'setsid': return entry(__x64_sys_setsid, { session: 0, err: 0 });
    case 'getpid': return t.tgid;
    case 'gettid': return t.pid;
    case 'getppid': return t.group_leader.real_parent ? t.group_leader.real_parent.tgid : 0;
    case 'getuid': case 'geteuid': return t.cred.uid;
    default: {
      const v = kernelInline(k, t, name, args);
      return v;
    }
  }
}
