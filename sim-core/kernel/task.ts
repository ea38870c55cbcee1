// task_struct and the structures it points to (include/linux/sched.h, mm_types.h, fdtable.h,
// fs_struct.h, sched/signal.h, cred.h), with the kernel's field names. Shared structures are
// shared objects whose reference counts equal their sharers, exactly as the clone flags decide.

import type { UserMemory, UserRegs, Value } from '../vm/types';
import { ListHead } from './list';
import type { KFrame } from './frame';
import type { PidBitmap, PidHash } from './pidhash';
import type { fdtable } from './file';

/** Start of x86-64's direct map, where the slab allocator's objects live (page_offset_base). */
export const PAGE_OFFSET = 0xffff888000000000;
/**
 * Doubles in [2^63, 2^64) are 2048 apart, so an address there is exact only on a 0x800 boundary:
 * each object starts on one, or neighbours would round to the same pointer value.
 */
export const KADDR_ALIGN = 0x800;
/**
 * Zero for a field that counts nanoseconds (a time, vruntime, run time), in an object literal or
 * a class field. Such a field passes 2^31 in a long run. V8 keeps a field that has only held
 * small integers as one, and turning it into a double later deoptimizes the code that uses
 * objects of that shape and slows the making of new ones for the rest of the run (about 10% of
 * the lifecycle benchmark, from the 430,000th fork on). -0 is a double from the start; it
 * compares, adds and prints as 0.
 */
export const NS_ZERO = -0;
/**
 * The next object's address. It is a double from the start and only ever grows by a multiple of
 * KADDR_ALIGN, so it stays exact (for 131 TB of objects) and no arithmetic on it passes from
 * small integers to doubles partway through a run, which would deoptimize every allocation site.
 */
let nextAddr = PAGE_OFFSET + 0x100000;
/** A stable, distinct, kernel-looking address for a new object (shown as the pointer value). */
export function kaddr(size: number): number {
  const a = nextAddr;
  nextAddr += Math.max(1, Math.ceil(size / KADDR_ALIGN)) * KADDR_ALIGN;
  return a;
}

/** Where kaddr hands out next: part of a machine checkpoint, so replayed objects get the same addresses. */
export function kaddr_next(): number {
  return nextAddr;
}

export function set_kaddr_next(a: number): void {
  nextAddr = a;
}

export interface mm_struct {
  readonly type: 'mm_struct';
  addr: number;
  /** Users of the address space (threads, vfork children). */
  mm_users: number;
  /** References to the mm_struct itself (one for all users, plus lazy kernel-thread borrowers). */
  mm_count: number;
  /** The program image this address space runs. */
  exe: string;
  /** The scenario memory (globals and thread stacks); null after exit_mm tore it down. */
  memory: UserMemory | null;
  /**
   * The argument and environment strings execve copied to the top of the new stack (what lies
   * between arg_start and arg_end, env_start and env_end): /proc/PID/cmdline and stat read them.
   */
  argv: readonly string[];
  envp: readonly string[];
}

export interface files_struct {
  readonly type: 'files_struct';
  addr: number;
  count: number;
  /** The descriptor table (see file.ts). */
  fdt: fdtable;
  /** The lowest descriptor that may be free (where alloc_fd starts looking). */
  next_fd: number;
}

export interface fs_struct {
  readonly type: 'fs_struct';
  addr: number;
  users: number;
  root: string;
  pwd: string;
  /** The file mode creation mask (umask): bits new files and directories do not get. */
  umask: number;
}

export interface k_sigaction {
  /** SIG_DFL (0), SIG_IGN (1), or the name of a scenario handler function. */
  handler: number | string;
  /** The handler as scenario code passed it (a function pointer), for oldact and signal(). */
  raw?: Value;
  flags: number;
  /** sa_mask as scenario memory holds it (a bigint once a signal above 53 is in it). */
  mask: number | bigint;
}

export interface sighand_struct {
  readonly type: 'sighand_struct';
  addr: number;
  count: number;
  /** action[sig - 1] */
  action: k_sigaction[];
}

export interface sigpending {
  /** Bit (sig - 1) of a 64-bit mask, kept as a bigint-free pair of numbers. */
  signal: number[];
  /**
   * The siginfo of each pending signal, by number (the head of the sigqueue list: a signal below
   * SIGRTMIN queues once; a real-time one's later instances wait in `queued`). Meaningful only
   * while its bit is set.
   */
  info: kernel_siginfo[];
  /**
   * A real-time signal (SIGRTMIN and up) queues once per sending: the siginfo of each instance
   * sent while one was pending already, in the order sent, by number. Empty otherwise.
   */
  queued: kernel_siginfo[][];
}

/** What a handler with SA_SIGINFO, sigtimedwait and waitid see (the fields the model fills). */
export interface kernel_siginfo {
  si_signo: number;
  si_code: number;
  si_pid: number;
  si_uid: number;
  si_status: number;
  /** si_value (union sigval: sival_int or sival_ptr), which sigqueue sends; it shares si_status's place. */
  si_value?: number;
}

/** One level's number of a struct pid: the number, and the namespace it is a number in. */
export interface upid {
  nr: number;
  ns: pid_namespace;
}

/** struct pid: a task's pid at each level, from the initial namespace (0) to its own (level). */
export interface pid {
  readonly type: 'pid';
  addr: number;
  level: number;
  numbers: upid[];
}

/** include/linux/pid_namespace.h: the namespace's IDR and its pid hash (find_pid_ns). */
export interface pid_namespace {
  readonly type: 'pid_namespace';
  addr: number;
  level: number;
  parent: pid_namespace | null;
  /** The IDR of allocated numbers, and number -> task of PIDTYPE_PID. */
  idr: PidBitmap;
  hash: PidHash;
  /** idr_get_cursor: where the cyclic allocator resumes. */
  last_pid: number;
  /** Per-namespace pid_max (Linux 6.14+): PID_MAX_LIMIT in a new namespace. */
  pid_max: number;
  /** Numbers in use, with PIDNS_ADDING set while new tasks may still enter. */
  pid_allocated: number;
  /** The namespace's init (the task whose number in it is 1), null before it exists. */
  child_reaper: task_struct | null;
}

/** struct nsproxy, reduced to the pid namespace new children go to. */
export interface nsproxy {
  readonly type: 'nsproxy';
  addr: number;
  count: number;
  pid_ns_for_children: pid_namespace;
}

export interface rlimit {
  rlim_cur: number;
  rlim_max: number;
}

export interface signal_struct {
  readonly type: 'signal_struct';
  addr: number;
  /** Refcount: one per thread (sig->sigcnt). */
  sigcnt: number;
  nr_threads: number;
  /** Threads not yet past exit_signals(). */
  live: number;
  /** Threads that have not entered do_exit yet (synchronize_group_exit counts them down). */
  quick_threads: number;
  /** Threads of the group, in creation order (thread_head / thread_node). */
  thread_head: ListHead<task_struct>;
  shared_pending: sigpending;
  flags: number;
  group_exit_code: number;
  group_exec_task: task_struct | null;
  group_stop_count: number;
  notify_count: number;
  /**
   * pids[PIDTYPE_TGID], [PIDTYPE_PGID], [PIDTYPE_SID]: the numbers of the struct pids the process
   * is attached by (0 is init_struct_pid, the group and session the boot tasks start in).
   */
  pids: number[];
  /** This process is its session's leader (setsid); a session leader cannot change group. */
  leader: boolean;
  is_child_subreaper: boolean;
  has_child_subreaper: boolean;
  /** rlim[RLIMIT_NPROC] */
  rlim_nproc: rlimit;
  /** rlim[RLIMIT_NOFILE]: descriptors stay below rlim_cur (EMFILE). */
  rlim_nofile: rlimit;
  /** Wait queue of threads sleeping in do_wait (wait_chldexit). */
  wait_chldexit: task_struct[];
  /** Status reported to the parent for a stopped or continued group. */
  group_stop_sig: number;
  /** Times of the group's dead threads (ns), added by __exit_signal. */
  utime: number;
  stime: number;
  /** CPU time of the group's dead threads (their se.sum_exec_runtime, folded in by __exit_signal). */
  sum_sched_runtime: number;
  /** Times of the reaped children and what they had of their own reaped children (ns). */
  cutime: number;
  cstime: number;
  /** ITIMER_REAL's hrtimer (alarm, setitimer): armed or not, and when it fires (ns of the clock). */
  real_timer: hrtimer;
  /** ITIMER_REAL's interval (ns): the timer is armed again after each SIGALRM (0: once). */
  it_real_incr: number;
}

export interface hrtimer {
  active: boolean;
  expires: number;
}

export interface user_struct {
  uid: number;
  /** Tasks owned by this uid (ucounts' UCOUNT_RLIMIT_NPROC in 6.x). */
  processes: number;
}

export interface cred {
  readonly type: 'cred';
  addr: number;
  usage: number;
  uid: number;
  euid: number;
  user: user_struct;
}

/** struct load_weight: the nice level's weight (sched_prio_to_weight). */
export interface load_weight { weight: number }

export interface sched_entity {
  vruntime: number;
  sum_exec_runtime: number;
  /** The clock when curr's runtime was last charged (update_curr). */
  exec_start: number;
  load: load_weight;
  on_rq: boolean;
  /** EEVDF's virtual deadline: vruntime + slice scaled by the weight (calc_delta_fair). */
  deadline: number;
  /**
   * EEVDF's lag, saved when the entity leaves the queue (avg_vruntime - vruntime) and used by
   * place_entity when it comes back; while the entity runs it holds the deadline it was picked
   * with (RUN_TO_PARITY's mark, as set_next_entity stashes it).
   */
  vlag: number;
  /** The request size: sysctl_sched_base_slice. */
  slice: number;
}

/** struct sched_rt_entity: a real-time task's place in its CPU's rt_rq. */
export interface sched_rt_entity {
  /** SCHED_RR: jiffies left of the round-robin slice (RR_TIMESLICE when refilled). */
  time_slice: number;
  /** On an rt_rq priority list. */
  on_rq: boolean;
}

export interface completion {
  done: number;
  waiters: Set<task_struct>;
}

/** A kthread's private block (kernel/kthread.c struct kthread). */
export interface kthread {
  threadfn: string;
  data: Value;
  should_stop: boolean;
  exited: completion;
  result: number;
}

/** User-level execution state: the VM's registers, present for tasks that run user code. */
export interface thread_struct {
  regs: UserRegs | null;
  /** Stack segment of this thread in the shared memory (-1 for the main one). */
  stack_segment: number;
}

export interface task_struct {
  readonly type: 'task_struct';
  addr: number;
  __state: number;
  exit_state: number;
  exit_code: number;
  exit_signal: number;
  pdeath_signal: number;
  flags: number;
  /** The global pid (task_pid_nr): the number at level 0 of thread_pid. */
  pid: number;
  tgid: number;
  /** struct pid of PIDTYPE_PID: the pid at each namespace level. */
  thread_pid: pid;
  nsproxy: nsproxy;
  comm: string;
  prio: number;
  static_prio: number;
  normal_prio: number;
  se: sched_entity;
  /** The real-time entity (SCHED_FIFO, SCHED_RR). */
  rt: sched_rt_entity;
  /** SCHED_NORMAL (SCHED_OTHER), SCHED_FIFO, SCHED_RR, SCHED_BATCH or SCHED_IDLE. */
  policy: number;
  /** 1..99 for SCHED_FIFO and SCHED_RR, 0 otherwise; prio = 99 - rt_priority. */
  rt_priority: number;
  /** The CPUs the task may run on (bit n: CPU n; sched_setaffinity). */
  cpus_mask: bigint;
  nr_cpus_allowed: number;
  /** CPU this task runs or queues on. */
  cpu: number;
  on_cpu: boolean;
  real_parent: task_struct | null;
  parent: task_struct | null;
  children: ListHead<task_struct>;
  sibling: ListHead<task_struct>;
  group_leader: task_struct;
  thread_node: ListHead<task_struct>;
  tasks: ListHead<task_struct>;
  mm: mm_struct | null;
  active_mm: mm_struct | null;
  files: files_struct | null;
  fs: fs_struct | null;
  signal: signal_struct;
  sighand: sighand_struct | null;
  pending: sigpending;
  blocked: number[];
  vfork_done: completion | null;
  /** The kernel stack: frames of the kernel functions this task is inside, bottom first. */
  stack: KFrame[];
  thread_info: { flags: number; syscall_work: number; preempt_count: number };
  thread: thread_struct;
  real_cred: cred;
  cred: cred;
  start_time: number;
  utime: number;
  stime: number;
  nvcsw: number;
  nivcsw: number;
  /** struct sched_info (schedstats): ns spent runnable but waiting, and when it last queued. */
  sched_info: { run_delay: number; last_queued: number };
  set_child_tid: number;
  clear_child_tid: number;
  /** Kernel threads: the struct kthread (worker_private in 6.x). */
  worker_private: kthread | null;
  /** Not a kernel field: true once release_task freed it (put_task_struct dropped the last ref). */
  usage: number;
  /** Not a kernel field: step when exit_state became EXIT_ZOMBIE. */
  zombie_since: number;
  /** Not a kernel field: the pending wait4() of a thread sleeping in do_wait. */
  in_syscall: string;
  /** Not a kernel field: the time until which schedule_timeout sleeps (-1 = none). */
  timeout_at: number;
  /** Not a kernel field: kernel stack depth at which scenario code runs (0 for user tasks, -1 for none). */
  vm_base: number;
  /** Not a kernel field: a built-in program run without the VM ('init'), or ''. */
  builtin: string;
  /**
   * regs->ax and orig_ax of an interrupted call: the -ERESTART* code it ended with and the call
   * itself, so signal delivery can restart it or turn it into -EINTR (arch/x86 signal.c).
   */
  restart: { code: number; name: string; args: Value[]; handler: boolean } | null;
  /** The last system call entered (what orig_ax names), for restarting it. */
  syscall_nr: { name: string; args: Value[] } | null;
  /** sigsuspend's mask, restored once a handler's frame is set up (when restore_sigmask is set). */
  saved_sigmask: number[];
  /** set_restore_sigmask(): saved_sigmask is the mask to go back to after this signal delivery. */
  restore_sigmask: boolean;
  /** The blocked set sigtimedwait replaced while it sleeps (signals it waits for are unblocked). */
  real_blocked: number[];
  /** restart_block of an interrupted nanosleep: the absolute expiry (ns), or -1. */
  restart_block: number;
  /**
   * What each rt_sigframe on the user stack saved (uc_sigmask and the call to restart after
   * the handler), innermost last; rt_sigreturn pops one.
   */
  sigframes: Array<{ blocked: number[]; restart: { name: string; args: Value[] } | null }>;
}
