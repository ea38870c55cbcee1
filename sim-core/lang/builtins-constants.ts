// Named constants of the scenario language with their real Linux x86-64 values (uapi headers,
// include/linux/sched.h of Linux 6.x), grouped so the checker can suggest the right family.
import { FD_CONSTANTS } from './builtins-fd';
import { MMAN_CONSTANTS } from './builtins-mman';
import { POLL_CONSTANTS } from './builtins-poll';
import type { ConstantGroup, ConstantInfo, Side } from './builtins-types';
import { MSG_CONSTANTS } from './builtins-msg';

type Row = [name: string, value: number | bigint | string, doc: string, definition?: string];

function group(g: ConstantGroup, side: Side, header: string, rows: Row[]): ConstantInfo[] {
  return rows.map(([name, value, doc, definition]) => {
    const c: ConstantInfo = { name, value, group: g, side, header, doc };
    if (definition !== undefined) c.definition = definition;
    return c;
  });
}

const CLONE = group('clone', 'both', '<sched.h>', [
  ['CSIGNAL', 0xff, 'Mask of the low byte of clone flags: the signal sent to the parent when the child ends.'],
  ['CLONE_NEWTIME', 0x80, 'New time namespace (only with clone3/unshare).'],
  ['CLONE_VM', 0x100, 'Share the address space (mm_struct) instead of copying it.'],
  ['CLONE_FS', 0x200, 'Share root, current directory and umask (fs_struct).'],
  ['CLONE_FILES', 0x400, 'Share the table of open files (files_struct).'],
  ['CLONE_SIGHAND', 0x800, 'Share signal handlers (sighand_struct); needs CLONE_VM.'],
  ['CLONE_PIDFD', 0x1000, 'Return a pidfd for the child.'],
  ['CLONE_PTRACE', 0x2000, 'Keep tracing the child if the parent is traced.'],
  ['CLONE_VFORK', 0x4000, 'The parent sleeps until the child execs or exits (vfork_done).'],
  ['CLONE_PARENT', 0x8000, 'The child gets the caller\'s parent as its real_parent.'],
  ['CLONE_THREAD', 0x10000, 'Same thread group: the child shares tgid and is a thread, not a process.'],
  ['CLONE_NEWNS', 0x20000, 'New mount namespace.'],
  ['CLONE_SYSVSEM', 0x40000, 'Share System V semaphore undo lists.'],
  ['CLONE_SETTLS', 0x80000, 'Set the thread-local storage pointer.'],
  ['CLONE_PARENT_SETTID', 0x100000, 'Store the child\'s tid in the parent\'s memory.'],
  ['CLONE_CHILD_CLEARTID', 0x200000, 'Clear the tid in the child\'s memory and wake a futex when it exits (how pthread_join waits).'],
  ['CLONE_DETACHED', 0x400000, 'Ignored by Linux 6.x (kept for old binaries).'],
  ['CLONE_UNTRACED', 0x800000, 'A tracer cannot force CLONE_PTRACE on the child.'],
  ['CLONE_CHILD_SETTID', 0x1000000, 'Store the child\'s tid in the child\'s memory.'],
  ['CLONE_NEWCGROUP', 0x2000000, 'New cgroup namespace.'],
  ['CLONE_NEWUTS', 0x4000000, 'New UTS (host name) namespace.'],
  ['CLONE_NEWIPC', 0x8000000, 'New IPC namespace.'],
  ['CLONE_NEWUSER', 0x10000000, 'New user namespace.'],
  ['CLONE_NEWPID', 0x20000000, 'New pid namespace: the child is pid 1 in it.'],
  ['CLONE_NEWNET', 0x40000000, 'New network namespace.'],
  ['CLONE_IO', 0x80000000, 'Share the I/O context.'],
  ['CLONE_CLEAR_SIGHAND', 0x100000000, 'Reset all signal handlers to default in the child (clone3 only).'],
  ['CLONE_INTO_CGROUP', 0x200000000, 'Start the child in the cgroup given to clone3.'],
]);

const SIGNAL_ROWS: Array<[string, number, string]> = [
  ['SIGHUP', 1, 'Hang-up of the controlling terminal; terminates by default.'],
  ['SIGINT', 2, 'Interrupt from the keyboard (Ctrl-C); terminates.'],
  ['SIGQUIT', 3, 'Quit from the keyboard; terminates with a core dump.'],
  ['SIGILL', 4, 'Illegal instruction; core dump.'],
  ['SIGTRAP', 5, 'Trace or breakpoint trap; core dump.'],
  ['SIGABRT', 6, 'Sent by abort(); core dump.'],
  ['SIGIOT', 6, 'Old name of SIGABRT.'],
  ['SIGBUS', 7, 'Bus error; core dump.'],
  ['SIGFPE', 8, 'Arithmetic fault such as division by zero; core dump.'],
  ['SIGKILL', 9, 'Kills unconditionally: cannot be caught, blocked or ignored.'],
  ['SIGUSR1', 10, 'Free for programs to use; terminates by default.'],
  ['SIGSEGV', 11, 'Invalid memory access; core dump.'],
  ['SIGUSR2', 12, 'Free for programs to use; terminates by default.'],
  ['SIGPIPE', 13, 'Write to a pipe nobody reads; terminates.'],
  ['SIGALRM', 14, 'Timer from alarm(); terminates.'],
  ['SIGTERM', 15, 'Polite request to terminate; the default signal of kill(1).'],
  ['SIGSTKFLT', 16, 'Unused coprocessor stack fault; terminates.'],
  ['SIGCHLD', 17, 'A child stopped, continued or ended; ignored by default. The usual exit signal of fork.'],
  ['SIGCONT', 18, 'Continue a stopped process.'],
  ['SIGSTOP', 19, 'Stops the process; cannot be caught, blocked or ignored.'],
  ['SIGTSTP', 20, 'Stop from the terminal (Ctrl-Z).'],
  ['SIGTTIN', 21, 'Background read from the terminal; stops.'],
  ['SIGTTOU', 22, 'Background write to the terminal; stops.'],
  ['SIGURG', 23, 'Urgent socket data; ignored by default.'],
  ['SIGXCPU', 24, 'CPU time limit exceeded; core dump.'],
  ['SIGXFSZ', 25, 'File size limit exceeded; core dump.'],
  ['SIGVTALRM', 26, 'Virtual timer expired; terminates.'],
  ['SIGPROF', 27, 'Profiling timer expired; terminates.'],
  ['SIGWINCH', 28, 'Terminal window size changed; ignored by default.'],
  ['SIGIO', 29, 'I/O is possible; terminates.'],
  ['SIGPOLL', 29, 'Same as SIGIO.'],
  ['SIGPWR', 30, 'Power failure; terminates.'],
  ['SIGSYS', 31, 'Bad system call; core dump.'],
];
const SIGNALS = [
  ...group('signal', 'both', '<signal.h>', SIGNAL_ROWS),
  // glibc keeps 32 and 33 for itself, so a program's real-time signals are 34..64.
  ...group('signal', 'user', '<signal.h>', [
    ['SIGRTMIN', 34, 'The first real-time signal a program may use (glibc keeps 32 and 33); terminates by default.', '(__libc_current_sigrtmin ())'],
    ['SIGRTMAX', 64, 'The last real-time signal; terminates by default.', '(__libc_current_sigrtmax ())'],
  ]),
  ...group('limits', 'user', '<signal.h>', [
    ['NSIG', 65, 'One more than the highest signal number (64).', '_NSIG'],
    ['_NSIG', 65, 'One more than the highest signal number (64).', '(__SIGRTMAX + 1)'],
  ]),
];

const ERRNO = group('errno', 'both', '<errno.h>', [
  ['EPERM', 1, 'Operation not permitted.'], ['ENOENT', 2, 'No such file or directory.'],
  ['ESRCH', 3, 'No such process (kill or find by pid found nobody).'], ['EINTR', 4, 'A signal handler interrupted the call.'],
  ['EIO', 5, 'I/O error.'], ['ENXIO', 6, 'No such device or address.'], ['E2BIG', 7, 'Argument list too long.'],
  ['ENOEXEC', 8, 'Exec format error.'], ['EBADF', 9, 'Bad file descriptor.'],
  ['ECHILD', 10, 'No child to wait for.'], ['EAGAIN', 11, 'Try again: fork hit pid_max or RLIMIT_NPROC.'],
  ['EWOULDBLOCK', 11, 'Same as EAGAIN.'],
  ['ENOMEM', 12, 'Out of memory.'], ['EACCES', 13, 'Permission denied.'], ['EFAULT', 14, 'Bad address.'],
  ['ENOTBLK', 15, 'Block device required.'], ['EBUSY', 16, 'Device or resource busy.'], ['EEXIST', 17, 'File exists.'],
  ['EXDEV', 18, 'Cross-device link.'], ['ENODEV', 19, 'No such device.'], ['ENOTDIR', 20, 'Not a directory.'],
  ['EISDIR', 21, 'Is a directory.'], ['EINVAL', 22, 'Invalid argument.'], ['ENFILE', 23, 'File table overflow.'],
  ['EMFILE', 24, 'Too many open files.'], ['ENOTTY', 25, 'Not a terminal.'], ['ETXTBSY', 26, 'Text file busy.'],
  ['EFBIG', 27, 'File too large.'], ['ENOSPC', 28, 'No space left on device.'], ['ESPIPE', 29, 'Illegal seek.'],
  ['EROFS', 30, 'Read-only file system.'], ['EMLINK', 31, 'Too many links.'], ['EPIPE', 32, 'Broken pipe.'],
  ['EDOM', 33, 'Math argument out of domain.'], ['ERANGE', 34, 'Result out of range.'],
  ['EDEADLK', 35, 'Resource deadlock would occur.'], ['ENAMETOOLONG', 36, 'File name too long.'],
  ['ENOLCK', 37, 'No record locks available.'], ['ENOSYS', 38, 'Function not implemented.'],
  ['ENOTEMPTY', 39, 'Directory not empty (rmdir).'], ['ELOOP', 40, 'Too many levels of symbolic links.'],
  ['EOVERFLOW', 75, 'Value too large for the type (sem_post at SEM_VALUE_MAX).'],
  ['ETIMEDOUT', 110, 'The deadline passed first (pthread_cond_timedwait).'],
]);

const KERNEL_ERRNO = group('errno', 'kernel', '<linux/errno.h>', [
  ['ERESTARTSYS', 512, 'Kernel-internal: restart the system call after the signal handler if SA_RESTART is set, else EINTR.'],
  ['ERESTARTNOINTR', 513, 'Kernel-internal: always restart the system call.'],
  ['ERESTARTNOHAND', 514, 'Kernel-internal: restart only if no handler ran.'],
]);

const WAIT = group('wait-option', 'both', '<sys/wait.h>', [
  ['WNOHANG', 1, 'Return 0 at once instead of sleeping when no child has changed state.'],
  ['WUNTRACED', 2, 'Also report children that stopped.'],
  ['WSTOPPED', 2, 'waitid: report stopped children (same bit as WUNTRACED).'],
  ['WEXITED', 4, 'waitid: report children that ended.'],
  ['WCONTINUED', 8, 'Also report stopped children resumed by SIGCONT.'],
  ['WNOWAIT', 0x1000000, 'waitid: report the child but leave it a zombie.'],
  ['__WNOTHREAD', 0x20000000, 'Do not wait for children of other threads in the group.'],
  ['__WALL', 0x40000000, 'Wait for every child, whatever its exit signal.'],
  ['__WCLONE', 0x80000000, 'Wait only for "clone" children (exit signal other than SIGCHLD).'],
]);

const IDTYPE = group('idtype', 'user', '<sys/wait.h>', [
  ['P_ALL', 0, 'waitid: any child.'], ['P_PID', 1, 'waitid: the child whose pid is id.'],
  ['P_PGID', 2, 'waitid: any child in process group id.'], ['P_PIDFD', 3, 'waitid: the child behind pidfd id.'],
]);

const HANDLERS = group('sig-handler', 'user', '<signal.h>', [
  ['SIG_DFL', 0, 'The default action of the signal.'], ['SIG_IGN', 1, 'Ignore the signal. SIGCHLD set to SIG_IGN makes children reap themselves.'],
  ['SIG_ERR', -1, 'Returned by signal() on failure.'],
]);

const SA = group('sa-flag', 'user', '<signal.h>', [
  ['SA_NOCLDSTOP', 1, 'No SIGCHLD when a child stops or continues.'],
  ['SA_NOCLDWAIT', 2, 'Children do not become zombies; wait then fails with ECHILD.'],
  ['SA_SIGINFO', 4, 'The handler takes (int, siginfo_t *, void *) and is set in sa_sigaction.'],
  ['SA_RESTORER', 0x4000000, 'Set by the C library: the return trampoline (rt_sigreturn).'],
  ['SA_ONSTACK', 0x8000000, 'Run the handler on the alternate signal stack.'],
  ['SA_RESTART', 0x10000000, 'Restart interrupted system calls instead of failing with EINTR.'],
  ['SA_NODEFER', 0x40000000, 'Do not block the signal while its handler runs.'],
  ['SA_RESETHAND', 0x80000000, 'Reset the action to SIG_DFL once the handler is entered.'],
]);

const SIGPROCMASK = group('sigprocmask', 'user', '<signal.h>', [
  ['SIG_BLOCK', 0, 'sigprocmask: add the set to the blocked mask.'],
  ['SIG_UNBLOCK', 1, 'sigprocmask: remove the set from the blocked mask.'],
  ['SIG_SETMASK', 2, 'sigprocmask: replace the blocked mask.'],
]);

const PRCTL = group('prctl', 'user', '<sys/prctl.h>', [
  ['PR_SET_PDEATHSIG', 1, 'Signal to receive when the parent thread dies.'],
  ['PR_GET_PDEATHSIG', 2, 'Read the parent-death signal.'],
  ['PR_SET_NAME', 15, 'Set the thread\'s comm (16 bytes, what ps shows).'],
  ['PR_GET_NAME', 16, 'Read the thread\'s comm.'],
  ['PR_SET_CHILD_SUBREAPER', 36, 'Become a subreaper: orphaned descendants are reparented to this process instead of init.'],
  ['PR_GET_CHILD_SUBREAPER', 37, 'Read the subreaper flag.'],
]);

const RLIMIT = group('rlimit', 'user', '<sys/resource.h>', [
  ['RLIMIT_CPU', 0, 'CPU time in seconds.'], ['RLIMIT_FSIZE', 1, 'Largest file size.'], ['RLIMIT_DATA', 2, 'Data segment size.'],
  ['RLIMIT_STACK', 3, 'Stack size.'], ['RLIMIT_CORE', 4, 'Core file size.'], ['RLIMIT_RSS', 5, 'Resident set size.'],
  ['RLIMIT_NPROC', 6, 'Tasks one real user id may own; copy_process fails with EAGAIN beyond it.'],
  ['RLIMIT_NOFILE', 7, 'Open files.'], ['RLIMIT_MEMLOCK', 8, 'Locked memory.'], ['RLIMIT_AS', 9, 'Address space size.'],
  ['RLIMIT_LOCKS', 10, 'File locks.'], ['RLIMIT_SIGPENDING', 11, 'Queued signals.'], ['RLIMIT_MSGQUEUE', 12, 'POSIX message queue bytes.'],
  ['RLIMIT_NICE', 13, 'Ceiling of the nice value.'], ['RLIMIT_RTPRIO', 14, 'Real-time priority ceiling.'],
  ['RLIMIT_RTTIME', 15, 'Real-time CPU time.'],
  // ~0UL cannot be held exactly by a double; -1 has the same bits as a 64-bit two's complement value.
  ['RLIM_INFINITY', -1, 'No limit (all bits set).', '(~0UL)'],
  // getrusage's who.
  ['RUSAGE_SELF', 0, 'getrusage: the calling process (all its threads).'],
  ['RUSAGE_CHILDREN', -1, 'getrusage: the children it has waited for, and their own waited-for descendants.'],
  ['RUSAGE_THREAD', 1, 'getrusage: the calling thread only.'],
]);

const TASK_STATE = group('task-state', 'kernel', '<linux/sched.h>', [
  ['TASK_RUNNING', 0, 'Running or on a run queue, ready to run.'],
  ['TASK_INTERRUPTIBLE', 0x1, 'Sleeping until woken by an event or a signal.'],
  ['TASK_UNINTERRUPTIBLE', 0x2, 'Sleeping until woken by an event; signals do not wake it (D in ps).'],
  ['__TASK_STOPPED', 0x4, 'Stopped by SIGSTOP and friends.'],
  ['__TASK_TRACED', 0x8, 'Stopped by a tracer.'],
  ['EXIT_DEAD', 0x10, 'exit_state of a task being released: nobody needs to wait for it.'],
  ['EXIT_ZOMBIE', 0x20, 'exit_state of a task that has exited and waits for its parent to reap it.'],
  ['EXIT_TRACE', 0x30, 'EXIT_ZOMBIE | EXIT_DEAD.', 'EXIT_ZOMBIE | EXIT_DEAD'],
  ['TASK_PARKED', 0x40, 'A parked kthread (kthread_park).'],
  ['TASK_DEAD', 0x80, '__state after do_exit has finished: the task will never run again.'],
  ['TASK_WAKEKILL', 0x100, 'Fatal signals wake the task.'],
  ['TASK_WAKING', 0x200, 'Being woken on another CPU.'],
  ['TASK_NOLOAD', 0x400, 'Not counted in the load average.'],
  ['TASK_NEW', 0x800, 'Set by sched_fork on a child that is not yet runnable; wake_up_new_task clears it. Before Linux 4.x a new child was held in TASK_UNINTERRUPTIBLE instead.'],
  ['TASK_RTLOCK_WAIT', 0x1000, 'Waiting on an rtmutex-based spin lock (PREEMPT_RT).'],
  ['TASK_FREEZABLE', 0x2000, 'The freezer may freeze the sleeping task.'],
  ['TASK_FROZEN', 0x8000, 'Frozen for suspend.'],
  ['TASK_STATE_MAX', 0x10000, 'One past the highest state bit.'],
  ['TASK_KILLABLE', 0x102, 'Uninterruptible sleep that fatal signals still end.', 'TASK_WAKEKILL | TASK_UNINTERRUPTIBLE'],
  ['TASK_STOPPED', 0x104, 'Stopped, and SIGKILL can still end it.', 'TASK_WAKEKILL | __TASK_STOPPED'],
  ['TASK_TRACED', 0x8, 'Stopped by a tracer (Linux 6.x no longer adds TASK_WAKEKILL).', '__TASK_TRACED'],
  ['TASK_IDLE', 0x402, 'Uninterruptible sleep not counted in the load average.', 'TASK_UNINTERRUPTIBLE | TASK_NOLOAD'],
  ['TASK_NORMAL', 0x3, 'The states an ordinary wake-up wakes.', 'TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE'],
]);

const PF = group('pf-flag', 'kernel', '<linux/sched.h>', [
  ['PF_VCPU', 0x1, 'A virtual CPU.'], ['PF_IDLE', 0x2, 'An idle thread.'],
  ['PF_EXITING', 0x4, 'Set by do_exit (exit_signals) as the task starts to shut down.'],
  ['PF_POSTCOREDUMP', 0x8, 'Core dumps ignore this task.'], ['PF_IO_WORKER', 0x10, 'An io_uring worker.'],
  ['PF_WQ_WORKER', 0x20, 'A workqueue worker.'], ['PF_FORKNOEXEC', 0x40, 'Forked but has not called execve yet.'],
  ['PF_MCE_PROCESS', 0x80, 'Own policy for machine-check errors.'], ['PF_SUPERPRIV', 0x100, 'Used super-user privileges.'],
  ['PF_DUMPCORE', 0x200, 'Dumped core.'], ['PF_SIGNALED', 0x400, 'Killed by a signal.'],
  ['PF_MEMALLOC', 0x800, 'Allocating memory to free memory.'], ['PF_NPROC_EXCEEDED', 0x1000, 'set_user found RLIMIT_NPROC exceeded.'],
  ['PF_USED_MATH', 0x2000, 'The FPU state is in use.'], ['PF_USER_WORKER', 0x4000, 'Kernel thread cloned from a user thread.'],
  ['PF_NOFREEZE', 0x8000, 'Never frozen.'], ['PF_KSWAPD', 0x20000, 'kswapd.'],
  ['PF_MEMALLOC_NOFS', 0x40000, 'Allocations imply GFP_NOFS.'], ['PF_MEMALLOC_NOIO', 0x80000, 'Allocations imply GFP_NOIO.'],
  ['PF_LOCAL_THROTTLE', 0x100000, 'Write throttling against its own device only.'],
  ['PF_KTHREAD', 0x200000, 'A kernel thread: it has no user address space (mm is NULL).'],
  ['PF_RANDOMIZE', 0x400000, 'Randomised address-space layout.'],
  ['PF_NO_SETAFFINITY', 0x4000000, 'User space may not change its CPU affinity.'],
  ['PF_MCE_EARLY', 0x8000000, 'Early kill on machine-check errors.'],
  ['PF_MEMALLOC_PIN', 0x10000000, 'Allocations restricted to pinnable zones.'],
  ['PF_SUSPEND_TASK', 0x80000000, 'Called freeze_processes and must not be frozen.'],
]);

const SI_CODE = group('si-code', 'user', '<signal.h>', [
  ['CLD_EXITED', 1, 'si_code of SIGCHLD and waitid: the child exited; si_status is its exit code.'],
  ['CLD_KILLED', 2, 'si_code: a signal killed the child; si_status is the signal.'],
  ['CLD_DUMPED', 3, 'si_code: a signal killed the child and it dumped core.'],
  ['CLD_TRAPPED', 4, 'si_code: a traced child stopped.'],
  ['CLD_STOPPED', 5, 'si_code: a signal stopped the child; si_status is the signal.'],
  ['CLD_CONTINUED', 6, 'si_code: SIGCONT resumed the stopped child; si_status is SIGCONT.'],
  ['SI_USER', 0, 'si_code: sent by kill (or raise of old); si_pid and si_uid name the sender.'],
  ['SI_KERNEL', 0x80, 'si_code: sent by the kernel itself.'],
  ['SI_QUEUE', -1, 'si_code: sent by sigqueue.'],
  ['SI_TIMER', -2, 'si_code: a POSIX timer expired.'],
  ['SI_TKILL', -6, 'si_code: sent by tkill or tgkill (raise).'],
  ['SEGV_MAPERR', 1, 'si_code of SIGSEGV: no mapping at the address (a NULL or wild pointer).'],
  ['SEGV_ACCERR', 2, 'si_code of SIGSEGV: the mapping does not allow the access.'],
  ['FPE_INTDIV', 1, 'si_code of SIGFPE: integer division by zero.'],
  ['FPE_INTOVF', 2, 'si_code of SIGFPE: integer overflow.'],
  ['ILL_ILLOPN', 2, 'si_code of SIGILL: illegal operand.'],
]);

const ITIMER = group('itimer', 'user', '<sys/time.h>', [
  ['ITIMER_REAL', 0, 'Counts real (here virtual) time and sends SIGALRM; alarm() sets it.'],
  ['ITIMER_VIRTUAL', 1, 'Counts user CPU time and sends SIGVTALRM.'],
  ['ITIMER_PROF', 2, 'Counts user and system CPU time and sends SIGPROF.'],
]);

/** x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl) of the modelled calls. */
const SYSCALL_NR = group('syscall-nr', 'user', '<sys/syscall.h>', [
  ['SYS_write', 1, 'write(fd, buf, count).'], ['SYS_rt_sigaction', 13, 'rt_sigaction(sig, act, oact, sigsetsize).'],
  ['SYS_rt_sigprocmask', 14, 'rt_sigprocmask(how, set, oset, sigsetsize).'], ['SYS_sched_yield', 24, 'sched_yield().'],
  ['SYS_pause', 34, 'pause().'], ['SYS_alarm', 37, 'alarm(seconds).'], ['SYS_getpid', 39, 'getpid().'],
  ['SYS_clone', 56, 'clone(flags, newsp, parent_tid, child_tid, tls).'], ['SYS_fork', 57, 'fork().'], ['SYS_vfork', 58, 'vfork().'],
  ['SYS_execve', 59, 'execve(path, argv, envp).'], ['SYS_exit', 60, 'exit(code): ends the calling thread only (what pthread_exit uses).'],
  ['SYS_wait4', 61, 'wait4(pid, wstatus, options, rusage).'], ['SYS_kill', 62, 'kill(pid, sig).'],
  ['SYS_getrusage', 98, 'getrusage(who, usage).'], ['SYS_getuid', 102, 'getuid().'], ['SYS_geteuid', 107, 'geteuid().'], ['SYS_setpgid', 109, 'setpgid(pid, pgid).'],
  ['SYS_getppid', 110, 'getppid().'], ['SYS_getpgrp', 111, 'getpgrp().'], ['SYS_setsid', 112, 'setsid().'],
  ['SYS_getpgid', 121, 'getpgid(pid).'], ['SYS_getsid', 124, 'getsid(pid).'], ['SYS_rt_sigpending', 127, 'rt_sigpending(set, sigsetsize).'],
  ['SYS_rt_sigtimedwait', 128, 'rt_sigtimedwait(set, info, timeout, sigsetsize).'], ['SYS_rt_sigsuspend', 130, 'rt_sigsuspend(mask, sigsetsize).'],
  ['SYS_getpriority', 140, 'getpriority(which, who).'], ['SYS_setpriority', 141, 'setpriority(which, who, prio).'],
  ['SYS_sched_setparam', 142, 'sched_setparam(pid, param).'], ['SYS_sched_getparam', 143, 'sched_getparam(pid, param).'],
  ['SYS_sched_setscheduler', 144, 'sched_setscheduler(pid, policy, param).'], ['SYS_sched_getscheduler', 145, 'sched_getscheduler(pid).'],
  ['SYS_sched_get_priority_max', 146, 'sched_get_priority_max(policy).'], ['SYS_sched_get_priority_min', 147, 'sched_get_priority_min(policy).'],
  ['SYS_sched_rr_get_interval', 148, 'sched_rr_get_interval(pid, tp).'], ['SYS_sched_setaffinity', 203, 'sched_setaffinity(pid, len, mask).'],
  ['SYS_sched_getaffinity', 204, 'sched_getaffinity(pid, len, mask): returns the bytes copied.'], ['SYS_getcpu', 309, 'getcpu(cpu, node, unused).'],
  ['SYS_prctl', 157, 'prctl(option, arg2, ...).'], ['SYS_gettid', 186, 'gettid().'], ['SYS_tkill', 200, 'tkill(tid, sig).'],
  ['SYS_futex', 202, 'futex(uaddr, op, val, ...).'], ['SYS_clock_nanosleep', 230, 'clock_nanosleep(clock, flags, req, rem).'],
  ['SYS_exit_group', 231, 'exit_group(code): ends every thread of the process.'], ['SYS_tgkill', 234, 'tgkill(tgid, tid, sig).'],
  ['SYS_waitid', 247, 'waitid(idtype, id, infop, options, rusage).'], ['SYS_unshare', 272, 'unshare(flags).'], ['SYS_prlimit64', 302, 'prlimit64(pid, resource, new, old).'],
  ['SYS_clone3', 435, 'clone3(args, size).'],
]);

const MISC: ConstantInfo[] = [
  ...group('exit-status', 'both', '<stdlib.h>', [
    ['EXIT_SUCCESS', 0, 'Exit status meaning success.'], ['EXIT_FAILURE', 1, 'Exit status meaning failure.'],
  ]),
  ...group('null', 'both', '<stddef.h>', [['NULL', 0, 'The null pointer.'], ['true', 1, 'Boolean true.'], ['false', 0, 'Boolean false.']]),
  ...group('stdio', 'user', '<stdio.h>', [
    ['stdin', 0, 'Standard input: a FILE * on file descriptor 0.'],
    ['stdout', 1, 'Standard output: a FILE * on file descriptor 1, line-buffered on a terminal (written at each newline), fully buffered (4096 bytes) on a pipe or file.'],
    ['stderr', 2, 'Standard error: a FILE * on file descriptor 2, unbuffered (each call is one write).'],
    ['_IOFBF', 0, 'setvbuf mode: fully buffered, written a block at a time.'], ['_IOLBF', 1, 'setvbuf mode: line-buffered, written at each newline.'],
    ['_IONBF', 2, 'setvbuf mode: unbuffered, each call is a write.'], ['BUFSIZ', 8192, 'The buffer size setbuf gives a stream.'],
    ['EOF', -1, 'End of file, or a failed stdio call.'],
    ['STDIN_FILENO', 0, 'File descriptor 0.'], ['STDOUT_FILENO', 1, 'File descriptor 1.'], ['STDERR_FILENO', 2, 'File descriptor 2.'],
  ]),
  ...group('gfp', 'kernel', '<linux/gfp.h>', [
    ['GFP_KERNEL', 0xcc0, 'Normal kernel allocation; may sleep to reclaim memory.', '__GFP_RECLAIM | __GFP_IO | __GFP_FS'],
    ['GFP_ATOMIC', 0x820, 'Allocation that never sleeps.', '__GFP_HIGH | __GFP_KSWAPD_RECLAIM'],
  ]),
  ...group('numa', 'kernel', '<linux/numa.h>', [['NUMA_NO_NODE', -1, 'No preferred memory node.']]),
  ...group('time', 'kernel', '<linux/jiffies.h>', [
    ['HZ', 1000, 'Timer ticks (jiffies) per second; the simulator uses CONFIG_HZ=1000.'],
    // LONG_MAX has no exact double; the simulator only needs "sleep without a time limit".
    ['MAX_SCHEDULE_TIMEOUT', Number.MAX_SAFE_INTEGER, 'schedule_timeout without a time limit (LONG_MAX in the kernel).', 'LONG_MAX'],
  ]),
  ...group('printk-level', 'kernel', '<linux/kern_levels.h>', [
    ['KERN_SOH', '\x01', 'Start-of-header byte that begins a level prefix.'],
    ['KERN_EMERG', '\x010', 'Level 0: the system is unusable.'], ['KERN_ALERT', '\x011', 'Level 1: act immediately.'],
    ['KERN_CRIT', '\x012', 'Level 2: critical.'], ['KERN_ERR', '\x013', 'Level 3: error.'],
    ['KERN_WARNING', '\x014', 'Level 4: warning.'], ['KERN_NOTICE', '\x015', 'Level 5: normal but notable.'],
    ['KERN_INFO', '\x016', 'Level 6: informational.'], ['KERN_DEBUG', '\x017', 'Level 7: debugging.'],
    ['KERN_DEFAULT', '', 'The default level.'], ['KERN_CONT', '\x01c', 'Continues the previous line.'],
  ]),
  ...group('libc-var', 'user', '<errno.h>', [
    ['errno', 0, 'The calling thread\'s error number, set when a system call wrapper returns -1.'],
  ]),
  ...group('kernel-var', 'kernel', '<linux/sched.h>', [
    ['current', 0, 'The task_struct of the task running this code (get_current()).'],
    ['jiffies', 0, 'Ticks since boot; read from the simulated clock.'],
    ['init_task', 0, 'The boot task (pid 0, swapper/0), a global struct task_struct: the head of the task list that for_each_process walks. Use it as &init_task.'],
  ]),
];

/** The integer limits of x86-64 (LP64: int 32 bits, long and long long 64), as glibc defines them. */
const LIMITS: ConstantInfo[] = [
  ...group('limits', 'both', '<limits.h>', [
    ['CHAR_BIT', 8, 'Bits in a char.'],
    ['SCHAR_MIN', -128, 'Smallest signed char.'], ['SCHAR_MAX', 127, 'Largest signed char.'], ['UCHAR_MAX', 255, 'Largest unsigned char.'],
    ['CHAR_MIN', -128, 'Smallest char (char is signed on x86-64).'], ['CHAR_MAX', 127, 'Largest char.'],
    ['SHRT_MIN', -32768, 'Smallest short.'], ['SHRT_MAX', 32767, 'Largest short.'], ['USHRT_MAX', 65535, 'Largest unsigned short.'],
    ['INT_MIN', -2147483648, 'Smallest int (waitpid(INT_MIN) fails with ESRCH: -INT_MIN is no pid).', '(-INT_MAX - 1)'], ['INT_MAX', 2147483647, 'Largest int.', '__INT_MAX__'],
    ['UINT_MAX', 4294967295, 'Largest unsigned int (type unsigned int).', '(INT_MAX * 2U + 1U)'],
    ['LONG_MIN', -(2n ** 63n), 'Smallest long (64 bits on x86-64).', '(-LONG_MAX - 1L)'],
    ['LONG_MAX', 2n ** 63n - 1n, 'Largest long (64 bits on x86-64).', '__LONG_MAX__'],
    ['ULONG_MAX', 2n ** 64n - 1n, 'Largest unsigned long (type unsigned long).', '(LONG_MAX * 2UL + 1UL)'],
    ['LLONG_MIN', -(2n ** 63n), 'Smallest long long.', '(-LLONG_MAX - 1LL)'],
    ['LLONG_MAX', 2n ** 63n - 1n, 'Largest long long.', '__LONG_LONG_MAX__'],
    ['ULLONG_MAX', 2n ** 64n - 1n, 'Largest unsigned long long.', '(LLONG_MAX * 2ULL + 1ULL)'],
    ['SSIZE_MAX', 2n ** 63n - 1n, 'Largest ssize_t.', 'LONG_MAX'],
  ]),
  ...group('limits', 'both', '<stdint.h>', [
    ['INT8_MIN', -128, 'Smallest int8_t.'], ['INT8_MAX', 127, 'Largest int8_t.'], ['UINT8_MAX', 255, 'Largest uint8_t.'],
    ['INT16_MIN', -32768, 'Smallest int16_t.'], ['INT16_MAX', 32767, 'Largest int16_t.'], ['UINT16_MAX', 65535, 'Largest uint16_t.'],
    ['INT32_MIN', -2147483648, 'Smallest int32_t.'], ['INT32_MAX', 2147483647, 'Largest int32_t.'],
    ['UINT32_MAX', 4294967295, 'Largest uint32_t (type unsigned int).'],
    ['INT64_MIN', -(2n ** 63n), 'Smallest int64_t.'], ['INT64_MAX', 2n ** 63n - 1n, 'Largest int64_t.'],
    ['UINT64_MAX', 2n ** 64n - 1n, 'Largest uint64_t.'],
    ['SIZE_MAX', 2n ** 64n - 1n, 'Largest size_t.'],
  ]),
  ...group('clock', 'user', '<time.h>', [
    ['CLOCK_REALTIME', 0, 'The wall clock (virtual time; the simulated machine boots at the Epoch).'],
    ['CLOCK_MONOTONIC', 1, 'Time since boot that never jumps back.'],
    ['CLOCK_PROCESS_CPUTIME_ID', 2, 'CPU time used by all threads of the process.'],
    ['CLOCK_THREAD_CPUTIME_ID', 3, 'CPU time used by the calling thread.'],
    ['CLOCK_MONOTONIC_RAW', 4, 'CLOCK_MONOTONIC without NTP adjustment.'],
    ['CLOCK_REALTIME_COARSE', 5, 'A cheaper, coarser CLOCK_REALTIME.'], ['CLOCK_MONOTONIC_COARSE', 6, 'A cheaper, coarser CLOCK_MONOTONIC.'],
    ['CLOCK_BOOTTIME', 7, 'CLOCK_MONOTONIC including time suspended.'],
  ]),
  ...group('sched', 'user', '<sched.h>', [
    ['SCHED_OTHER', 0, 'The default time-sharing policy (SCHED_NORMAL in the kernel): the fair class, weighted by nice.'],
    ['SCHED_FIFO', 1, 'Real time, first in first out: runs until it blocks, yields or a higher priority wakes.'],
    ['SCHED_RR', 2, 'Real time, round robin: as SCHED_FIFO, but goes behind its equals every RR_TIMESLICE (100 ms).'],
    ['SCHED_BATCH', 3, 'Fair class, for CPU-bound work: its wake-ups never preempt the running task.'],
    ['SCHED_IDLE', 5, 'Fair class at the smallest weight (3, below nice 19): runs when little else wants the CPU.'],
    ['CPU_SETSIZE', 1024, 'CPUs a cpu_set_t can hold.'],
  ]),
  ...group('sched', 'user', '<sys/resource.h>', [
    ['PRIO_PROCESS', 0, 'getpriority/setpriority: who is a process id (0: the caller).'],
    ['PRIO_PGRP', 1, 'getpriority/setpriority: who is a process group id.'],
    ['PRIO_USER', 2, 'getpriority/setpriority: who is a user id.'],
  ]),
  ...group('limits', 'user', '<stdlib.h>', [
    ['RAND_MAX', 2147483647, 'The largest number rand returns (glibc: INT_MAX).'],
  ]),
];

/** <pthread.h> and <semaphore.h>: mutex types, detach states, the static initializers, limits. */
const PTHREAD: ConstantInfo[] = [
  ...group('pthread', 'user', '<pthread.h>', [
    ['PTHREAD_MUTEX_NORMAL', 0, 'A mutex without checks: the owner locking it again deadlocks.', 'PTHREAD_MUTEX_TIMED_NP'],
    ['PTHREAD_MUTEX_RECURSIVE', 1, 'The owner may lock the mutex again; it is free after as many unlocks.', 'PTHREAD_MUTEX_RECURSIVE_NP'],
    ['PTHREAD_MUTEX_ERRORCHECK', 2, 'Locking a mutex the caller holds fails with EDEADLK; unlocking one it does not hold fails with EPERM.', 'PTHREAD_MUTEX_ERRORCHECK_NP'],
    ['PTHREAD_MUTEX_DEFAULT', 0, 'The default type: PTHREAD_MUTEX_NORMAL in glibc.', 'PTHREAD_MUTEX_NORMAL'],
    ['PTHREAD_CREATE_JOINABLE', 0, 'The thread is joined with pthread_join (the default).'],
    ['PTHREAD_CREATE_DETACHED', 1, 'The thread is never joined; its resources go when it ends.'],
    ['PTHREAD_BARRIER_SERIAL_THREAD', -1, 'What pthread_barrier_wait returns to one thread of each round (the last to arrive).'],
    ['PTHREAD_PROCESS_PRIVATE', 0, 'Shared by the threads of one process only.'],
    ['PTHREAD_PROCESS_SHARED', 1, 'May be shared by processes through shared memory.'],
    ['PTHREAD_MUTEX_INITIALIZER', 0, 'A normal mutex, unlocked: every word of the pthread_mutex_t is 0.', '{ { 0, 0, 0, 0, PTHREAD_MUTEX_TIMED_NP, 0, 0, { 0, 0 } } }'],
    ['PTHREAD_COND_INITIALIZER', 0, 'A condition variable nobody waits on: every word of the pthread_cond_t is 0.', '{ { {0}, {0}, {0, 0}, {0, 0}, 0, 0, {0, 0} } }'],
    ['PTHREAD_ONCE_INIT', 0, 'A pthread_once_t whose routine has not run.'],
    ['PTHREAD_CANCELED', -1, 'What pthread_join gives for a thread that was cancelled.', '((void *) -1)'],
    ['PTHREAD_CANCEL_ENABLE', 0, 'Cancellation requests are acted on (the default).'],
    ['PTHREAD_CANCEL_DISABLE', 1, 'Cancellation requests wait until cancellation is enabled again.'],
    ['PTHREAD_CANCEL_DEFERRED', 0, 'A request is acted on at the next cancellation point (the default).'],
    ['PTHREAD_CANCEL_ASYNCHRONOUS', 1, 'A request is acted on at once, wherever the thread runs.'],
    ['PTHREAD_RWLOCK_INITIALIZER', 0, 'A read-write lock nobody holds: every word of the pthread_rwlock_t is 0.', '{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } }'],
  ]),
  ...group('pthread', 'user', '<semaphore.h>', [['SEM_VALUE_MAX', 2147483647, 'The largest count of a semaphore.', '(2147483647)']]),
  ...group('pthread', 'user', '<limits.h>', [['PTHREAD_STACK_MIN', 16384, 'The smallest thread stack pthread_attr_setstacksize accepts (x86-64).', '16384']]),
];

export const CONSTANTS: ConstantInfo[] = [
  ...CLONE, ...SIGNALS, ...ERRNO, ...KERNEL_ERRNO, ...WAIT, ...IDTYPE, ...HANDLERS, ...SA, ...SIGPROCMASK,
  ...PRCTL, ...RLIMIT, ...TASK_STATE, ...PF, ...SYSCALL_NR, ...SI_CODE, ...ITIMER, ...MISC, ...LIMITS,
  ...PTHREAD, ...FD_CONSTANTS, ...MMAN_CONSTANTS, ...MSG_CONSTANTS,
  ...POLL_CONSTANTS,
];

/** Names whose value is read from the machine at run time rather than from this table. */
export const DYNAMIC_CONSTANTS: ReadonlySet<string> = new Set(['current', 'jiffies', 'errno', 'init_task']);
