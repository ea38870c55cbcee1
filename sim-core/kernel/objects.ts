// Constructors for task_struct and the structures it points to, and init_task (the swapper,
// pid 0) that the kernel's task list starts from.

import { newFilesStruct, NOFILE_CUR, NOFILE_MAX } from './file';
import * as C from './consts';
import type { Kernel } from './kernel';
import { ListHead } from './list';
import { newNsproxy, newPid } from './pidns';
import {
  kaddr, NS_ZERO, type cred, type files_struct, type fs_struct, type k_sigaction, type mm_struct,
  type sighand_struct, type signal_struct, type sigpending, type task_struct, type user_struct,
} from './task';
import type { UserMemory } from '../vm/types';

export function newPending(): sigpending {
  return { signal: [0, 0], info: [], queued: [] };
}

/**
 * A sighand_struct: every action SIG_DFL, or `from`'s table (copy_sighand's memcpy). The memcpy is
 * deferred: the child shares `from`, frozen, until either side writes through set_sigaction, which
 * copies the array first. Only the 64 pointers are ever copied; the k_sigaction objects are frozen
 * and replaced, never changed in place, so a table costs a task nothing until it diverges.
 */
export function newSighand(from: readonly k_sigaction[] | null = null): sighand_struct {
  let action: k_sigaction[];
  if (from) {
    action = from as k_sigaction[];
    if (!Object.isFrozen(action)) {
      for (const a of action) Object.freeze(a);
      Object.freeze(action);
    }
  } else {
    // Boot tasks only: their own unfrozen table, which setup code and tests may edit in place.
    action = new Array<k_sigaction>(C._NSIG);
    for (let i = 0; i < C._NSIG; i++) action[i] = { handler: C.SIG_DFL, flags: 0, mask: 0 };
  }
  return { type: 'sighand_struct', addr: kaddr(2088), count: 1, action };
}

/** Stores `ka` as the action of `sig`, copying a table still shared with another sighand first. */
export function set_sigaction(sh: sighand_struct, sig: number, ka: k_sigaction): void {
  if (Object.isFrozen(sh.action)) sh.action = sh.action.slice();
  sh.action[sig - 1] = ka;
}

export function newSignal(nproc: number, nprocMax = nproc): signal_struct {
  return {
    type: 'signal_struct', addr: kaddr(1152), sigcnt: 1, nr_threads: 1, live: 1, quick_threads: 1,
    thread_head: new ListHead<task_struct>(null), shared_pending: newPending(), flags: 0, group_exit_code: 0,
    group_exec_task: null, group_stop_count: 0, notify_count: 0, pids: [0, 0, 0, 0], leader: false,
    is_child_subreaper: false,
    has_child_subreaper: false, rlim_nproc: { rlim_cur: nproc, rlim_max: nprocMax },
    rlim_nofile: { rlim_cur: NOFILE_CUR, rlim_max: NOFILE_MAX },
    wait_chldexit: [], group_stop_sig: 0, utime: NS_ZERO, stime: NS_ZERO, sum_sched_runtime: NS_ZERO,
    cutime: NS_ZERO, cstime: NS_ZERO,
    real_timer: { active: false, expires: NS_ZERO }, it_real_incr: NS_ZERO,
  };
}

export function newMm(exe: string, memory: UserMemory | null, argv: readonly string[] = [], envp: readonly string[] = []): mm_struct {
  return { type: 'mm_struct', addr: kaddr(1408), mm_users: 1, mm_count: 1, exe, memory, argv, envp };
}

/** A files_struct with nothing open (the boot console is installed by open_console, tty.ts). */
export function newFiles(): files_struct {
  return newFilesStruct();
}

export function newFs(): fs_struct {
  return { type: 'fs_struct', addr: kaddr(56), users: 1, root: '/', pwd: '/', umask: 0o022 };
}

export function newCred(user: user_struct): cred {
  return { type: 'cred', addr: kaddr(184), usage: 1, uid: user.uid, euid: user.uid, user };
}

/** A zeroed task_struct; dup_task_struct fills it from the parent. */
export function blankTask(signal: signal_struct, c: cred): task_struct {
  // Every field in one literal (the list heads get their owner after), so a task is one object
  // of one shape with no property store to grow.
  const sibling = new ListHead<task_struct>(null);
  const thread_node = new ListHead<task_struct>(null);
  const tasks = new ListHead<task_struct>(null);
  const t = {
    type: 'task_struct', addr: kaddr(9792), __state: C.TASK_RUNNING, exit_state: 0, exit_code: 0,
    exit_signal: 0, pdeath_signal: 0, flags: 0, pid: 0, tgid: 0, thread_pid: null, nsproxy: null, comm: '', prio: C.DEFAULT_PRIO,
    static_prio: C.DEFAULT_PRIO, normal_prio: C.DEFAULT_PRIO,
    se: { vruntime: NS_ZERO, sum_exec_runtime: NS_ZERO, exec_start: NS_ZERO, load: { weight: C.NICE_0_LOAD }, on_rq: false, deadline: NS_ZERO, vlag: NS_ZERO, slice: C.SCHED_BASE_SLICE_NS },
    rt: { time_slice: C.RR_TIMESLICE, on_rq: false }, policy: C.SCHED_NORMAL, rt_priority: 0, cpus_mask: C.CPU_MASK_ALL, nr_cpus_allowed: C.NR_CPUS,
    cpu: 0, on_cpu: false, real_parent: null, parent: null, mm: null, active_mm: null,
    files: null, fs: null, signal, sighand: null, pending: newPending(), blocked: [0, 0],
    vfork_done: null, stack: [], thread_info: { flags: 0, syscall_work: 0, preempt_count: 0 },
    thread: { regs: null, stack_segment: -1 }, real_cred: c, cred: c, start_time: NS_ZERO, utime: NS_ZERO,
    stime: NS_ZERO, nvcsw: 0, nivcsw: 0, sched_info: { run_delay: NS_ZERO, last_queued: NS_ZERO }, set_child_tid: 0, clear_child_tid: 0, worker_private: null,
    usage: 1, zombie_since: -1, in_syscall: '', timeout_at: -1, vm_base: 0, builtin: '',
    restart: null, syscall_nr: null, saved_sigmask: [0, 0], restore_sigmask: false, real_blocked: [0, 0], restart_block: -1, sigframes: [],
    children: new ListHead<task_struct>(null), sibling, thread_node, tasks, group_leader: null,
  } as unknown as task_struct;
  sibling.owner = thread_node.owner = tasks.owner = t;
  t.group_leader = t;
  return t;
}

export function newInitTask(k: Kernel): task_struct {
  const root: user_struct = { uid: 0, processes: 0 };
  const t = blankTask(newSignal(C.RLIM_INFINITY), newCred(root));
  t.comm = 'swapper/0';
  t.flags = C.PF_KTHREAD | C.PF_IDLE;
  // init_struct_pid: number 0 in the initial namespace; init_nsproxy.
  t.thread_pid = newPid(k.init_pid_ns, [0]);
  t.nsproxy = newNsproxy(k.init_pid_ns);
  t.sighand = newSighand();
  t.files = newFiles();
  t.fs = newFs();
  t.real_parent = t;
  t.parent = t;
  t.signal.thread_head = new ListHead<task_struct>(null);
  t.on_cpu = true;
  return t;
}
