// The kernel's own header constants (include/linux/sched.h, include/uapi/...): values as on
// x86_64 Linux 6.x. The scenario language's catalog names the user-visible ones for programs.

// Task states (include/linux/sched.h).
export const TASK_RUNNING = 0x0000;
export const TASK_INTERRUPTIBLE = 0x0001;
export const TASK_UNINTERRUPTIBLE = 0x0002;
export const __TASK_STOPPED = 0x0004;
export const __TASK_TRACED = 0x0008;
export const EXIT_DEAD = 0x0010;
export const EXIT_ZOMBIE = 0x0020;
export const TASK_PARKED = 0x0040;
export const TASK_DEAD = 0x0080;
export const TASK_WAKEKILL = 0x0100;
export const TASK_WAKING = 0x0200;
export const TASK_NOLOAD = 0x0400;
export const TASK_NEW = 0x0800;
export const TASK_KILLABLE = TASK_WAKEKILL | TASK_UNINTERRUPTIBLE;
export const TASK_STOPPED = TASK_WAKEKILL | __TASK_STOPPED;
export const TASK_IDLE = TASK_UNINTERRUPTIBLE | TASK_NOLOAD;
export const TASK_NORMAL = TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE;

// Per-task flags.
export const PF_IDLE = 0x00000002;
export const PF_EXITING = 0x00000004;
export const PF_FORKNOEXEC = 0x00000040;
export const PF_SUPERPRIV = 0x00000100;
export const PF_DUMPCORE = 0x00000200;
export const PF_SIGNALED = 0x00000400;
export const PF_NPROC_EXCEEDED = 0x00001000;
export const PF_NOFREEZE = 0x00008000;
export const PF_KTHREAD = 0x00200000;
export const PF_NO_SETAFFINITY = 0x04000000;

export const PF_NAMES: Array<[number, string]> = [
  [PF_IDLE, 'PF_IDLE'], [PF_EXITING, 'PF_EXITING'], [PF_FORKNOEXEC, 'PF_FORKNOEXEC'],
  [PF_SUPERPRIV, 'PF_SUPERPRIV'], [PF_DUMPCORE, 'PF_DUMPCORE'], [PF_SIGNALED, 'PF_SIGNALED'],
  [PF_NPROC_EXCEEDED, 'PF_NPROC_EXCEEDED'], [PF_NOFREEZE, 'PF_NOFREEZE'], [PF_KTHREAD, 'PF_KTHREAD'],
  [PF_NO_SETAFFINITY, 'PF_NO_SETAFFINITY'],
];

// Signal group flags (signal->flags).
export const SIGNAL_STOP_STOPPED = 0x00000001;
export const SIGNAL_STOP_CONTINUED = 0x00000002;
export const SIGNAL_GROUP_EXIT = 0x00000004;
export const SIGNAL_CLD_STOPPED = 0x00000010;
export const SIGNAL_CLD_CONTINUED = 0x00000020;
export const SIGNAL_UNKILLABLE = 0x00000040;
export const SIGNAL_CLD_MASK = SIGNAL_CLD_STOPPED | SIGNAL_CLD_CONTINUED;
export const SIGNAL_STOP_MASK = SIGNAL_CLD_MASK | SIGNAL_STOP_STOPPED | SIGNAL_STOP_CONTINUED;

// Clone flags (include/uapi/linux/sched.h).
export const CSIGNAL = 0x000000ff;
export const CLONE_VM = 0x00000100;
export const CLONE_FS = 0x00000200;
export const CLONE_FILES = 0x00000400;
export const CLONE_SIGHAND = 0x00000800;
export const CLONE_PIDFD = 0x00001000;
export const CLONE_PTRACE = 0x00002000;
export const CLONE_VFORK = 0x00004000;
export const CLONE_PARENT = 0x00008000;
export const CLONE_THREAD = 0x00010000;
export const CLONE_NEWNS = 0x00020000;
export const CLONE_SYSVSEM = 0x00040000;
export const CLONE_SETTLS = 0x00080000;
export const CLONE_PARENT_SETTID = 0x00100000;
export const CLONE_CHILD_CLEARTID = 0x00200000;
export const CLONE_UNTRACED = 0x00800000;
export const CLONE_CHILD_SETTID = 0x01000000;
export const CLONE_NEWPID = 0x20000000;

export const CLONE_NAMES: Array<[number, string]> = [
  [CLONE_VM, 'CLONE_VM'], [CLONE_FS, 'CLONE_FS'], [CLONE_FILES, 'CLONE_FILES'],
  [CLONE_SIGHAND, 'CLONE_SIGHAND'], [CLONE_PIDFD, 'CLONE_PIDFD'], [CLONE_PTRACE, 'CLONE_PTRACE'],
  [CLONE_VFORK, 'CLONE_VFORK'], [CLONE_PARENT, 'CLONE_PARENT'], [CLONE_THREAD, 'CLONE_THREAD'],
  [CLONE_NEWNS, 'CLONE_NEWNS'], [CLONE_SYSVSEM, 'CLONE_SYSVSEM'], [CLONE_SETTLS, 'CLONE_SETTLS'],
  [CLONE_PARENT_SETTID, 'CLONE_PARENT_SETTID'], [CLONE_CHILD_CLEARTID, 'CLONE_CHILD_CLEARTID'],
  [CLONE_UNTRACED, 'CLONE_UNTRACED'], [CLONE_CHILD_SETTID, 'CLONE_CHILD_SETTID'],
  [CLONE_NEWPID, 'CLONE_NEWPID'],
];

// Signals (x86_64 numbering).
export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
  SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
  SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
  SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27,
  SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
export const _NSIG = 64;
/** First real-time signal number as the kernel counts it (glibc reserves two more). */
export const SIGRTMIN_K = 32;

export const SIGNAL_NAMES: string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL',
  'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD',
  'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ',
  'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

export function signame(sig: number): string {
  return SIGNAL_NAMES[sig] ?? (sig >= 34 && sig <= 64 ? `SIGRTMIN+${sig - 34}` : `signal ${sig}`);
}

export type DefaultAction = 'terminate' | 'core' | 'stop' | 'continue' | 'ignore';

/** The default action table of kernel/signal.c (sig_kernel_ignore/stop/coredump). */
export function sig_default_action(sig: number): DefaultAction {
  switch (sig) {
    case SIGCHLD: case SIGURG: case SIGWINCH: return 'ignore';
    case SIGCONT: return 'continue';
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return 'stop';
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
    case SIGXCPU: case SIGXFSZ: case SIGSYS: return 'core';
    default: return 'terminate';
  }
}

// Signal dispositions and sigaction flags.
export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SA_NOCLDSTOP = 0x00000001;
export const SA_NOCLDWAIT = 0x00000002;
export const SA_SIGINFO = 0x00000004;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;

// si_code values for SIGCHLD.
export const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5,
  CLD_CONTINUED = 6;

// si_code values of signals sent by a process (include/uapi/asm-generic/siginfo.h).
export const SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_TKILL = -6;
/** si_code of a fault: SEGV_MAPERR (no mapping at the address), FPE_INTDIV, ILL_ILLOPN. */
export const SEGV_MAPERR = 1, FPE_INTDIV = 1, ILL_ILLOPN = 2;

// waitid idtype (include/uapi/linux/wait.h).
export const P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;

// itimers (include/uapi/linux/time.h).
export const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;

// wait options (include/uapi/linux/wait.h).
export const WNOHANG = 0x00000001;
export const WUNTRACED = 0x00000002;
export const WSTOPPED = WUNTRACED;
export const WEXITED = 0x00000004;
export const WCONTINUED = 0x00000008;
export const WNOWAIT = 0x01000000;
export const __WNOTHREAD = 0x20000000;
export const __WALL = 0x40000000;
export const __WCLONE = 0x80000000;

/** enum pid_type: indices of signal_struct.pids (PIDTYPE_PID lives in task_struct.thread_pid). */
export const PIDTYPE_PID = 0, PIDTYPE_TGID = 1, PIDTYPE_PGID = 2, PIDTYPE_SID = 3, PIDTYPE_MAX = 4;

// errno values.
export const EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, E2BIG = 7, ENOEXEC = 8, ECHILD = 10,
  EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EINVAL = 22, ENOSYS = 38, EBADF = 9;
export const ENOSPC = 28, EPIPE = 32;
/** Internal restart code: the syscall is restarted after a handler runs (SA_RESTART). */
export const ERESTARTSYS = 512;
export const ETIMEDOUT = 110;
export const ERESTARTNOINTR = 513;
/** Restart only when no handler ran (pause, sigsuspend). */
export const ERESTARTNOHAND = 514;
/** Restart through restart_syscall with what is left (nanosleep). */
export const ERESTART_RESTARTBLOCK = 516;
export const EDEADLK = 35;

// futex operations (include/uapi/linux/futex.h).
export const FUTEX_WAIT = 0;
export const FUTEX_WAKE = 1;

// sigprocmask how.
export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;

/** struct kthread flags (kernel/kthread.c enum KTHREAD_BITS). */
export const KTHREAD_IS_PER_CPU = 0;
export const KTHREAD_SHOULD_STOP = 1;
export const KTHREAD_SHOULD_PARK = 2;

/** What the C library's pthread_create passes to clone3 (sysdeps/unix/sysv/linux/createthread.c). */
export const PTHREAD_CLONE_FLAGS = 0x00000100 | 0x00000200 | 0x00000400 | 0x00000800 | 0x00010000
  | 0x00040000 | 0x00080000 | 0x00100000 | 0x00200000;

export const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 4: 'EINTR', 7: 'E2BIG', 8: 'ENOEXEC', 10: 'ECHILD',
  9: 'EBADF', 11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT', 16: 'EBUSY', 22: 'EINVAL', 35: 'EDEADLK', 38: 'ENOSYS',
};

// prctl options.
export const PR_SET_PDEATHSIG = 1;
export const PR_GET_PDEATHSIG = 2;
export const PR_SET_NAME = 15;
export const PR_GET_NAME = 16;
export const PR_SET_CHILD_SUBREAPER = 36;
export const PR_GET_CHILD_SUBREAPER = 37;

export const RLIMIT_NPROC = 6;
export const RLIM_INFINITY = -1;

// Pids (include/linux/threads.h).
export const PID_MAX_DEFAULT = 0x8000;
export const PID_MAX_LIMIT = 4 * 1024 * 1024;
export const RESERVED_PIDS = 300;
/** pid_allocated's flag: new tasks may enter the namespace (cleared when its init dies). */
export const PIDNS_ADDING = 0x80000000;
/** Nesting limit of pid namespaces (include/linux/pid_namespace.h). */
export const MAX_PID_NS_LEVEL = 32;

// Scheduler (kernel/sched/sched.h, include/linux/sched/prio.h).
export const MAX_RT_PRIO = 100;
export const DEFAULT_PRIO = MAX_RT_PRIO + 20;
export const NICE_0_LOAD = 1024;
/** The weight of a SCHED_IDLE task (WEIGHT_IDLEPRIO), below nice 19's 15. */
export const WEIGHT_IDLEPRIO = 3;
// Scheduling policies (include/uapi/linux/sched.h); SCHED_OTHER is glibc's name for SCHED_NORMAL.
export const SCHED_NORMAL = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5, SCHED_DEADLINE = 6;
/** sched_setparam's "keep the policy" (kernel/sched/syscalls.c SETPARAM_POLICY). */
export const SETPARAM_POLICY = -1;
/** RR_TIMESLICE: 100 ms in jiffies at CONFIG_HZ=250 (include/linux/sched/rt.h). */
export const RR_TIMESLICE = 25;
/** CONFIG_NR_CPUS of the machines (the settings allow up to 64 CPUs). */
export const NR_CPUS = 64;
/** CPU_MASK_ALL: the affinity every task starts with (intersected with the online CPUs when read). */
export const CPU_MASK_ALL = (1n << 64n) - 1n;
/** sched_prio_to_weight[], nice -20 .. 19 (kernel/sched/core.c). */
export const sched_prio_to_weight: readonly number[] = [
  88761, 71755, 56483, 46273, 36291,
  29154, 23254, 18705, 14949, 11916,
  9548, 7620, 6100, 4904, 3906,
  3121, 2501, 1991, 1586, 1277,
  1024, 820, 655, 526, 423,
  335, 272, 215, 172, 137,
  110, 87, 70, 56, 45,
  36, 29, 23, 18, 15,
];
/** sysctl_sched_base_slice: 0.75 ms in nanoseconds (EEVDF's base slice in 6.6+). */
export const SCHED_BASE_SLICE_NS = 750_000;
/** Virtual nanoseconds a user statement or a kernel step costs. */
export const NS_PER_STEP = 1_000;

export const TASK_COMM_LEN = 16;
