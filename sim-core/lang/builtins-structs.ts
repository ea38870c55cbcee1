// Struct layouts the scenario language knows without a definition in the file: the libc structs
// process code fills in, and the task_struct fields kernel code may read.
import type { StructInfo } from './builtins-types';
import { FD_STRUCTS } from './builtins-fd';
import { POLL_STRUCTS } from './builtins-poll';
import { SHM_STRUCTS } from './builtins-mman';
import { MSG_STRUCTS } from './builtins-msg';

export const STRUCTS: StructInfo[] = [
  ...FD_STRUCTS,
  ...POLL_STRUCTS,
  ...SHM_STRUCTS,
  ...MSG_STRUCTS,
  {
    name: '_IO_FILE', side: 'user', header: '<stdio.h>',
    doc: 'glibc\'s FILE: a stream over a file descriptor and its buffer, in the process\'s memory (fork copies it, unwritten text included). sizeof(FILE) is 216.',
    fields: [
      { name: '_flags', type: 'int', doc: '0xfbad0000 and _IO_* bits: 0x2 unbuffered, 0x20 error seen, 0x200 line-buffered, 0x800 currently putting.' },
      { name: '_IO_read_ptr', type: 'char *', doc: 'Next character to read.' },
      { name: '_IO_read_end', type: 'char *', doc: 'End of what was read into the buffer.' },
      { name: '_IO_read_base', type: 'char *', doc: 'Start of the read area.' },
      { name: '_IO_write_base', type: 'char *', doc: 'Start of the text waiting to be written.' },
      { name: '_IO_write_ptr', type: 'char *', doc: 'Where the next character goes: the text from _IO_write_base up to here is not written yet.' },
      { name: '_IO_write_end', type: 'char *', doc: 'End of the room for putting without a flush (the buffer\'s start when line-buffered: each put checks for a newline).' },
      { name: '_IO_buf_base', type: 'char *', doc: 'The buffer (malloc\'d at the first output), or NULL before it.' },
      { name: '_IO_buf_end', type: 'char *', doc: 'End of the buffer.' },
      { name: '_chain', type: 'struct _IO_FILE *', doc: 'The next stream on _IO_list_all, which exit and fflush(NULL) walk.' },
      { name: '_fileno', type: 'int', doc: 'The file descriptor.' },
      { name: '_flags2', type: 'int', doc: 'More flags.' },
      { name: '_shortbuf', type: 'char [1]', doc: 'The one-character buffer of an unbuffered stream.' },
      { name: '_mode', type: 'int', doc: 'Orientation: 0 not yet decided, -1 byte-oriented (set by the first output).' },
    ],
  },
  {
    name: 'sigaction', side: 'user', header: '<signal.h>',
    doc: 'What to do when a signal arrives: the handler, the signals to block while it runs, and SA_* flags.',
    fields: [
      { name: 'sa_handler', type: 'void (*)(int)', doc: 'Handler function, SIG_DFL or SIG_IGN.' },
      { name: 'sa_sigaction', type: 'void (*)(int, siginfo_t *, void *)', doc: 'Handler used instead when SA_SIGINFO is set.' },
      { name: 'sa_mask', type: 'sigset_t', doc: 'Signals blocked while the handler runs.' },
      { name: 'sa_flags', type: 'int', doc: 'SA_RESTART, SA_NOCLDWAIT, SA_NOCLDSTOP, SA_SIGINFO, SA_RESETHAND, SA_NODEFER...' },
    ],
  },
  {
    name: 'rlimit', side: 'user', header: '<sys/resource.h>',
    doc: 'A resource limit: the soft value that is enforced and the hard ceiling it may be raised to.',
    fields: [
      { name: 'rlim_cur', type: 'rlim_t', doc: 'Soft limit, the one enforced.' },
      { name: 'rlim_max', type: 'rlim_t', doc: 'Hard limit, the ceiling for rlim_cur.' },
    ],
  },
  {
    name: 'timespec', side: 'both', header: '<time.h>',
    doc: 'A time in seconds and nanoseconds (nanosleep, clock_gettime).',
    fields: [
      { name: 'tv_sec', type: 'time_t', doc: 'Whole seconds.' },
      { name: 'tv_nsec', type: 'long', doc: 'Nanoseconds, 0..999999999.' },
    ],
  },
  {
    name: 'sched_param', side: 'user', header: '<sched.h>',
    doc: 'The real-time priority sched_setscheduler and sched_setparam take (1..99 for SCHED_FIFO and SCHED_RR, 0 otherwise).',
    fields: [
      { name: 'sched_priority', type: 'int', doc: 'The real-time priority: higher runs first; the kernel keeps prio = 99 - sched_priority.' },
    ],
  },
  {
    name: 'timeval', side: 'user', header: '<sys/time.h>',
    doc: 'A time in seconds and microseconds (setitimer, getitimer).',
    fields: [
      { name: 'tv_sec', type: 'time_t', doc: 'Whole seconds.' },
      { name: 'tv_usec', type: 'long', doc: 'Microseconds, 0..999999.' },
    ],
  },
  {
    name: 'itimerval', side: 'user', header: '<sys/time.h>',
    doc: 'An interval timer setting: when it fires next and how often after that.',
    fields: [
      { name: 'it_interval', type: 'struct timeval', doc: 'The period after the first expiry (0: fire once).' },
      { name: 'it_value', type: 'struct timeval', doc: 'Time until the next expiry (0: disarmed).' },
    ],
  },
  {
    name: 'rusage', side: 'user', header: '<sys/resource.h>',
    doc: 'Resources a process used: what wait3 and wait4 report about the child they reaped (its own use plus that of the children it reaped).',
    fields: [
      { name: 'ru_utime', type: 'struct timeval', doc: 'CPU time spent running the program\'s own code. The simulator samples no ticks, so the whole run time counts as user time.' },
      { name: 'ru_stime', type: 'struct timeval', doc: 'CPU time spent in the kernel on its behalf (0 in the simulator: it is counted in ru_utime).' },
      ...['ru_maxrss', 'ru_ixrss', 'ru_idrss', 'ru_isrss', 'ru_minflt', 'ru_majflt', 'ru_nswap', 'ru_inblock', 'ru_oublock', 'ru_msgsnd', 'ru_msgrcv', 'ru_nsignals']
        .map((name) => ({ name, type: 'long', doc: 'Memory, paging, block I/O or message counts: not modelled, always 0 in the simulator.' })),
      { name: 'ru_nvcsw', type: 'long', doc: 'Voluntary context switches (the process slept).' },
      { name: 'ru_nivcsw', type: 'long', doc: 'Involuntary context switches (it was preempted).' },
    ],
  },
  {
    name: 'siginfo_t', side: 'user', header: '<signal.h>',
    doc: 'What a signal carries: given to SA_SIGINFO handlers and filled by waitid, sigwaitinfo and sigtimedwait.',
    fields: [
      { name: 'si_signo', type: 'int', doc: 'The signal number (SIGCHLD for waitid).' },
      { name: 'si_errno', type: 'int', doc: 'An errno value; 0 for the signals modelled.' },
      { name: 'si_code', type: 'int', doc: 'Why: SI_USER (kill), SI_TKILL (tgkill, raise), SI_KERNEL, or for SIGCHLD CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED.' },
      { name: 'si_pid', type: 'pid_t', doc: 'The sender\'s process id, or the child\'s for SIGCHLD.' },
      { name: 'si_uid', type: 'uid_t', doc: 'The sender\'s real user id, or the child\'s.' },
      { name: 'si_status', type: 'int', doc: 'SIGCHLD: the exit code (CLD_EXITED) or the signal that killed, stopped or continued the child.' },
      { name: 'si_value', type: 'union sigval', doc: 'The value sigqueue sent (si_code SI_QUEUE); it shares its bytes with si_status.' },
      { name: 'si_int', type: 'int', doc: 'si_value.sival_int.' },
      { name: 'si_ptr', type: 'void *', doc: 'si_value.sival_ptr.' },
    ],
  },
  ...(['div_t', 'ldiv_t', 'lldiv_t'] as const).map((name): StructInfo => {
    const t = name === 'div_t' ? 'int' : name === 'ldiv_t' ? 'long' : 'long long';
    return {
      name, side: 'user', header: '<stdlib.h>',
      doc: `What ${name.slice(0, -2)} returns: the quotient and the remainder of a ${t} division.`,
      fields: [
        { name: 'quot', type: t, doc: 'The quotient, rounded toward zero.' },
        { name: 'rem', type: t, doc: 'The remainder, with the sign of the numerator.' },
      ],
    };
  }),
  ...(['sigval', 'sigval_t'] as const).map((name): StructInfo => ({
    name, side: 'user', header: '<signal.h>',
    doc: 'union sigval: the value sigqueue sends with a signal, an int or a pointer in the same place.',
    fields: [
      { name: 'sival_int', type: 'int', doc: 'The value as an int.' },
      { name: 'sival_ptr', type: 'void *', doc: 'The value as a pointer (meaningful only inside the same process).' },
    ],
  })),
  {
    name: 'task_struct', side: 'kernel', header: '<linux/sched.h>', readOnly: true,
    doc: 'The kernel\'s descriptor of one task (a process or a thread). Scenario kernel code may read these fields.',
    fields: [
      { name: 'pid', type: 'pid_t', doc: 'The task\'s own id (the thread id seen by gettid).' },
      { name: 'tgid', type: 'pid_t', doc: 'Thread group id: the pid of the group leader, what getpid returns.' },
      { name: 'comm', type: 'char [16]', doc: 'Executable name, at most 15 characters (set by execve, PR_SET_NAME or the kthread name).' },
      { name: '__state', type: 'unsigned int', doc: 'Run state: TASK_RUNNING, TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE, TASK_NEW, TASK_DEAD... Older kernels called it state.' },
      { name: 'exit_state', type: 'int', doc: 'EXIT_ZOMBIE or EXIT_DEAD once the task has exited, else 0.' },
      { name: 'exit_code', type: 'int', doc: 'The wait status the parent will read: (code << 8) for exit, or the signal number.' },
      { name: 'exit_signal', type: 'int', doc: 'Signal sent to the parent on exit (SIGCHLD for fork children, -1 for threads).' },
      { name: 'flags', type: 'unsigned int', doc: 'PF_* bits such as PF_KTHREAD, PF_EXITING, PF_FORKNOEXEC.' },
      { name: 'prio', type: 'int', doc: 'Dynamic priority (120 + nice for normal tasks).' },
      { name: 'static_prio', type: 'int', doc: 'Priority set by nice: 120 + nice.' },
      { name: 'normal_prio', type: 'int', doc: 'Priority without boosting: static_prio for a normal task.' },
      { name: 'real_parent', type: 'struct task_struct *', doc: 'The task that created this one, or its reaper after reparenting.' },
      { name: 'parent', type: 'struct task_struct *', doc: 'Who receives SIGCHLD and wait reports: real_parent, or the tracer.' },
      { name: 'group_leader', type: 'struct task_struct *', doc: 'The main thread of the thread group.' },
      { name: 'thread_info', type: 'struct thread_info', doc: 'Low-level flags and the CPU; on x86-64 it is the first member of task_struct (CONFIG_THREAD_INFO_IN_TASK), so current_thread_info() is current itself.' },
      { name: 'stack', type: 'void *', doc: 'The task\'s kernel stack (16 KiB on x86-64); NULL once the task is freed.' },
      { name: 'se', type: 'struct sched_entity', doc: 'What the fair scheduler (EEVDF) keeps for the task: vruntime, the run time, the deadline.' },
      { name: 'tasks', type: 'struct list_head', doc: 'Links every process (thread group leader) into the task list that starts at init_task; for_each_process and next_task walk it.' },
      { name: 'children', type: 'struct list_head', doc: 'Head of the list of this task\'s children, linked through their sibling members, oldest first.' },
      { name: 'sibling', type: 'struct list_head', doc: 'Links the task into its parent\'s children list.' },
      { name: 'thread_node', type: 'struct list_head', doc: 'Links the thread into signal->thread_head, the list of its thread group (for_each_thread).' },
      { name: 'mm', type: 'struct mm_struct *', doc: 'The address space; NULL for kernel threads.' },
      { name: 'active_mm', type: 'struct mm_struct *', doc: 'The address space in use: mm, or the one a kernel thread borrows.' },
      { name: 'signal', type: 'struct signal_struct *', doc: 'What the thread group shares: the thread count and list, shared pending signals, the exit status.' },
      { name: 'pdeath_signal', type: 'int', doc: 'Signal sent to this task when its parent dies (prctl PR_SET_PDEATHSIG).' },
      { name: 'on_cpu', type: 'int', doc: '1 while the task runs on a CPU.' },
      { name: 'utime', type: 'u64', doc: 'User time consumed, in nanoseconds.' },
      { name: 'stime', type: 'u64', doc: 'System time consumed, in nanoseconds.' },
      { name: 'nvcsw', type: 'unsigned long', doc: 'Voluntary context switches (the task slept).' },
      { name: 'nivcsw', type: 'unsigned long', doc: 'Involuntary context switches (the task was preempted).' },
      { name: 'start_time', type: 'u64', doc: 'Monotonic time of the task\'s creation, in nanoseconds.' },
    ],
  },
  {
    name: 'list_head', side: 'kernel', header: '<linux/list.h>', readOnly: true,
    doc: 'A node of a circular doubly linked list, embedded in the structure it links (16 bytes). A list is a head whose next and prev point at itself when empty; list_entry/container_of go from a node back to its structure.',
    fields: [
      { name: 'next', type: 'struct list_head *', doc: 'The following node (the head after the last entry).' },
      { name: 'prev', type: 'struct list_head *', doc: 'The preceding node (the head before the first entry).' },
    ],
  },
  {
    name: 'thread_info', side: 'kernel', header: '<asm/thread_info.h>', readOnly: true,
    doc: 'x86-64\'s low-level thread information, kept inside task_struct in 6.x (older kernels put it at the bottom of the kernel stack with a task pointer).',
    fields: [
      { name: 'flags', type: 'unsigned long', doc: 'TIF_* bits: TIF_SIGPENDING, TIF_NEED_RESCHED...' },
      { name: 'syscall_work', type: 'unsigned long', doc: 'SYSCALL_WORK_* bits (tracing, seccomp).' },
      { name: 'status', type: 'u32', doc: 'Thread-synchronous flags.' },
      { name: 'cpu', type: 'u32', doc: 'The CPU the task runs or last ran on (task_cpu()).' },
    ],
  },
  {
    name: 'sched_entity', side: 'kernel', header: '<linux/sched.h>', readOnly: true,
    doc: 'The fair scheduler\'s view of a task.',
    fields: [
      { name: 'vruntime', type: 'u64', doc: 'Virtual run time in nanoseconds, weighted by the nice level: the queue is ordered by it.' },
      { name: 'deadline', type: 'u64', doc: 'EEVDF\'s virtual deadline: vruntime plus the slice scaled by the weight.' },
      { name: 'sum_exec_runtime', type: 'u64', doc: 'Real CPU time consumed, in nanoseconds.' },
      { name: 'exec_start', type: 'u64', doc: 'Clock at which the current run started to be charged.' },
      { name: 'on_rq', type: 'unsigned int', doc: '1 while the entity is queued (or running).' },
      { name: 'slice', type: 'u64', doc: 'The requested time slice (sysctl_sched_base_slice).' },
    ],
  },
  {
    name: 'signal_struct', side: 'kernel', header: '<linux/sched/signal.h>', readOnly: true,
    doc: 'What the threads of a process share: its thread count and list, shared pending signals, its exit state.',
    fields: [
      { name: 'nr_threads', type: 'int', doc: 'Threads in the group.' },
      { name: 'thread_head', type: 'struct list_head', doc: 'Head of the thread list, linked through each thread\'s thread_node.' },
      { name: 'group_exit_code', type: 'int', doc: 'The exit status of a group exit (exit_group or a fatal signal).' },
      { name: 'flags', type: 'unsigned int', doc: 'SIGNAL_* bits: SIGNAL_GROUP_EXIT, SIGNAL_STOP_STOPPED...' },
    ],
  },
  {
    name: 'mm_struct', side: 'kernel', header: '<linux/mm_types.h>', readOnly: true,
    doc: 'An address space, shared by the threads of a process.',
    fields: [
      { name: 'mm_users', type: 'atomic_t', doc: 'Users of the address space (threads, a vfork child).' },
      { name: 'mm_count', type: 'atomic_t', doc: 'References to the mm_struct itself.' },
    ],
  },
];
