// Struct layouts the scenario language knows without a definition in the file: the libc structs
// process code fills in, and the task_struct fields kernel code may read.
import type { StructInfo } from './builtins-types';
import { FD_STRUCTS } from './builtins-fd';

export const STRUCTS: StructInfo[] = [
  ...FD_STRUCTS,
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
    name: 'siginfo_t', side: 'user', header: '<signal.h>',
    doc: 'What a signal carries: given to SA_SIGINFO handlers and filled by waitid, sigwaitinfo and sigtimedwait.',
    fields: [
      { name: 'si_signo', type: 'int', doc: 'The signal number (SIGCHLD for waitid).' },
      { name: 'si_errno', type: 'int', doc: 'An errno value; 0 for the signals modelled.' },
      { name: 'si_code', type: 'int', doc: 'Why: SI_USER (kill), SI_TKILL (tgkill, raise), SI_KERNEL, or for SIGCHLD CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED.' },
      { name: 'si_pid', type: 'pid_t', doc: 'The sender\'s process id, or the child\'s for SIGCHLD.' },
      { name: 'si_uid', type: 'uid_t', doc: 'The sender\'s real user id, or the child\'s.' },
      { name: 'si_status', type: 'int', doc: 'SIGCHLD: the exit code (CLD_EXITED) or the signal that killed, stopped or continued the child.' },
    ],
  },
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
      { name: 'real_parent', type: 'struct task_struct *', doc: 'The task that created this one, or its reaper after reparenting.' },
      { name: 'parent', type: 'struct task_struct *', doc: 'Who receives SIGCHLD and wait reports: real_parent, or the tracer.' },
      { name: 'group_leader', type: 'struct task_struct *', doc: 'The main thread of the thread group.' },
    ],
  },
];
