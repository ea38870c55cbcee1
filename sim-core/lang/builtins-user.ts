// User-space calls of the scenario language: the libc wrappers of the process-management system
// calls, the wait-status macros and the few library helpers the lectures' programs use. A call's
// path starts at the x86-64 system call glibc makes for it (sim-core/vm/libc.ts, libc-calls.ts).
import type { CallInfo, Convention } from './builtins-types';
import { LIBRARY_CALLS } from './builtins-libc';
import { FD_CALLS } from './builtins-fd';

interface Opts {
  min?: number;
  max?: number;
  conv?: Convention;
  macro?: boolean;
  noreturn?: boolean;
  onlyOnError?: boolean;
  path?: string[];
  side?: 'user' | 'both';
}

function u(name: string, returns: string, params: string[], header: string, doc: string, o: Opts = {}): CallInfo {
  const fixed = params.filter((p) => p !== '...').length;
  const variadic = params.includes('...');
  const info: CallInfo = {
    name, params, returns, header, doc, side: o.side ?? 'user',
    minArgs: o.min ?? fixed,
    maxArgs: o.max ?? (variadic ? -1 : fixed),
    convention: o.conv ?? (returns === 'void' ? 'none' : 'syscall'),
  };
  if (o.macro) info.isMacro = true;
  if (o.noreturn) info.noreturn = true;
  if (o.onlyOnError) info.returnsOnlyOnError = true;
  if (o.path) info.kernelPath = o.path;
  return info;
}

const CLONE_PATH = ['kernel_clone', 'copy_process', 'wake_up_new_task'];
const EXEC_PATH = ['__x64_sys_execve', 'do_execveat_common', 'bprm_execve', 'exec_binprm',
  'search_binary_handler', 'load_elf_binary', 'begin_new_exec'];
const EXIT_GROUP_PATH = ['__x64_sys_exit_group', 'do_group_exit', 'do_exit', 'exit_notify', 'do_task_dead'];
const WAIT4_PATH = ['__x64_sys_wait4', 'kernel_wait4', 'do_wait', 'wait_consider_task', 'wait_task_zombie', 'release_task'];
const KILL_PATH = ['__x64_sys_kill', 'kill_something_info', 'kill_pid_info', 'group_send_sig_info',
  'do_send_sig_info', 'send_signal_locked', 'complete_signal', 'signal_wake_up'];
const SLEEP_PATH = ['__x64_sys_clock_nanosleep', 'hrtimer_nanosleep', 'do_nanosleep', 'schedule'];
const FUTEX_WAIT_PATH = ['__x64_sys_futex', 'futex_wait', 'futex_wait_setup', 'futex_wait_queue', 'schedule'];
const FUTEX_WAKE_PATH = ['__x64_sys_futex', 'futex_wake', 'wake_up_q'];
const P = '<pthread.h>', S = '<semaphore.h>';
const d = (path: string[]): Opts => ({ conv: 'direct', path });

/** pthread mutexes, condition variables, barriers, once, detach and attributes; POSIX semaphores. */
const SYNC: CallInfo[] = [
  u('pthread_mutex_init', 'int', ['pthread_mutex_t *mutex', 'const pthread_mutexattr_t *attr'], P,
    'Makes *mutex an unlocked mutex of the attribute\'s type (NULL: PTHREAD_MUTEX_DEFAULT), as PTHREAD_MUTEX_INITIALIZER does for a normal one. Returns 0.', { conv: 'direct' }),
  u('pthread_mutex_lock', 'int', ['pthread_mutex_t *mutex'], P,
    'Takes the mutex. Free, it is one compare-and-swap of its lock word (0 to 1) in user space, no system call. Held, the word becomes 2 (locked, with waiters) and the thread sleeps in futex(FUTEX_WAIT) until an unlock wakes it. An error-checking mutex the caller holds fails with EDEADLK; a recursive one counts. Returns 0 or an error number.',
    d(FUTEX_WAIT_PATH)),
  u('pthread_mutex_trylock', 'int', ['pthread_mutex_t *mutex'], P,
    'Takes the mutex if it is free (one compare-and-swap, never a sleep); EBUSY when it is held.', { conv: 'direct' }),
  u('pthread_mutex_unlock', 'int', ['pthread_mutex_t *mutex'], P,
    'Releases the mutex: its lock word goes back to 0, and only when it was 2 (someone sleeps on it) the C library calls futex(FUTEX_WAKE) for one waiter. An error-checking or recursive mutex the caller does not hold fails with EPERM.',
    d(FUTEX_WAKE_PATH)),
  u('pthread_mutex_destroy', 'int', ['pthread_mutex_t *mutex'], P, 'Ends the mutex\'s life; EBUSY while a thread holds it.', { conv: 'direct' }),
  u('pthread_mutexattr_init', 'int', ['pthread_mutexattr_t *attr'], P, 'Default mutex attributes (PTHREAD_MUTEX_DEFAULT).', { conv: 'direct' }),
  u('pthread_mutexattr_settype', 'int', ['pthread_mutexattr_t *attr', 'int type'], P,
    'Chooses the mutex type: PTHREAD_MUTEX_NORMAL (a second lock by the owner deadlocks), PTHREAD_MUTEX_ERRORCHECK (EDEADLK and EPERM instead) or PTHREAD_MUTEX_RECURSIVE (the owner may lock again; as many unlocks release it). EINVAL for another value.',
    { conv: 'direct' }),
  u('pthread_mutexattr_gettype', 'int', ['const pthread_mutexattr_t *attr', 'int *type'], P, 'Reads the type set in the attributes.', { conv: 'direct' }),
  u('pthread_mutexattr_destroy', 'int', ['pthread_mutexattr_t *attr'], P, 'Ends the attributes\' life.', { conv: 'direct' }),
  u('pthread_cond_init', 'int', ['pthread_cond_t *cond', 'const pthread_condattr_t *attr'], P,
    'Makes *cond a condition variable nobody waits on, as PTHREAD_COND_INITIALIZER does. Returns 0.', { conv: 'direct' }),
  u('pthread_cond_wait', 'int', ['pthread_cond_t *cond', 'pthread_mutex_t *mutex'], P,
    'Releases the mutex and sleeps in futex(FUTEX_WAIT) on the condition variable\'s sequence word until a signal or broadcast changes it, then takes the mutex again before returning. A wake-up does not mean the condition holds: test it again in a while loop.',
    d(FUTEX_WAIT_PATH)),
  u('pthread_cond_timedwait', 'int', ['pthread_cond_t *cond', 'pthread_mutex_t *mutex', 'const struct timespec *abstime'], P,
    'pthread_cond_wait with a deadline: an absolute CLOCK_REALTIME time (virtual time here). ETIMEDOUT when it passes first; the mutex is held again either way.',
    d(FUTEX_WAIT_PATH)),
  u('pthread_cond_signal', 'int', ['pthread_cond_t *cond'], P,
    'Wakes one thread waiting on the condition variable (futex(FUTEX_WAKE, 1)); nothing when none waits: a signal is not remembered.', d(FUTEX_WAKE_PATH)),
  u('pthread_cond_broadcast', 'int', ['pthread_cond_t *cond'], P,
    'Wakes every thread waiting on the condition variable (futex(FUTEX_WAKE, INT_MAX)).', d(FUTEX_WAKE_PATH)),
  u('pthread_cond_destroy', 'int', ['pthread_cond_t *cond'], P, 'Ends the condition variable\'s life.', { conv: 'direct' }),
  u('sem_init', 'int', ['sem_t *sem', 'int pshared', 'unsigned int value'], S,
    'Makes *sem a semaphore with the count value (pshared: shared between processes). -1 and EINVAL when value exceeds SEM_VALUE_MAX.'),
  u('sem_wait', 'int', ['sem_t *sem'], S,
    'Takes one from the count: at once when it is above 0 (a compare-and-swap), otherwise sleeps in futex(FUTEX_WAIT) on the count until a sem_post raises it. -1 and EINTR when a signal handler interrupts the sleep.',
    { path: FUTEX_WAIT_PATH }),
  u('sem_trywait', 'int', ['sem_t *sem'], S, 'Takes one from the count if it is above 0; otherwise -1 and EAGAIN, without sleeping.'),
  u('sem_post', 'int', ['sem_t *sem'], S,
    'Adds one to the count and, when threads sleep on it, wakes one (futex(FUTEX_WAKE, 1)). -1 and EOVERFLOW at SEM_VALUE_MAX.', { path: FUTEX_WAKE_PATH }),
  u('sem_getvalue', 'int', ['sem_t *sem', 'int *sval'], S, 'Stores the current count in *sval.'),
  u('sem_destroy', 'int', ['sem_t *sem'], S, 'Ends the semaphore\'s life.'),
  u('pthread_barrier_init', 'int', ['pthread_barrier_t *barrier', 'const pthread_barrierattr_t *attr', 'unsigned int count'], P,
    'A barrier that lets threads through in groups of count; EINVAL when count is 0.', { conv: 'direct' }),
  u('pthread_barrier_wait', 'int', ['pthread_barrier_t *barrier'], P,
    'Waits until count threads have arrived (futex(FUTEX_WAIT) on the barrier\'s round word). The last to arrive wakes the others and gets PTHREAD_BARRIER_SERIAL_THREAD; the others get 0.',
    d(FUTEX_WAIT_PATH)),
  u('pthread_barrier_destroy', 'int', ['pthread_barrier_t *barrier'], P, 'Ends the barrier\'s life.', { conv: 'direct' }),
  u('pthread_once', 'int', ['pthread_once_t *once_control', 'void (*init_routine)(void)'], P,
    'Runs init_routine exactly once however many threads call this with the same once_control (PTHREAD_ONCE_INIT): the first runs it, the others sleep in futex(FUTEX_WAIT) until it has returned, later callers return at once.',
    d(FUTEX_WAIT_PATH)),
  u('pthread_detach', 'int', ['pthread_t thread'], P,
    'Nobody will join the thread: its descriptor is freed when it ends. EINVAL if it is already detached.', { conv: 'direct' }),
  u('pthread_attr_init', 'int', ['pthread_attr_t *attr'], P, 'Default thread attributes (joinable).', { conv: 'direct' }),
  u('pthread_attr_setdetachstate', 'int', ['pthread_attr_t *attr', 'int detachstate'], P,
    'PTHREAD_CREATE_DETACHED makes the threads created with these attributes detached from the start; PTHREAD_CREATE_JOINABLE is the default. EINVAL for another value.',
    { conv: 'direct' }),
  u('pthread_attr_getdetachstate', 'int', ['const pthread_attr_t *attr', 'int *detachstate'], P, 'Reads the detach state of the attributes.', { conv: 'direct' }),
  u('pthread_attr_destroy', 'int', ['pthread_attr_t *attr'], P, 'Ends the attributes\' life.', { conv: 'direct' }),
];
const SIGACTION_PATH = ['__x64_sys_rt_sigaction', 'do_sigaction'];
const WRITE_PATH = ['__x64_sys_write', 'ksys_write', 'vfs_write'];

export const USER_CALLS: CallInfo[] = [
  // Process creation.
  u('fork', 'pid_t', [], '<unistd.h>',
    'Creates a child that is a copy of the caller. Returns twice: 0 in the child, the child\'s pid in the parent, or -1 with errno (EAGAIN, ENOMEM). Older kernels called the core do_fork; Linux 6.x calls it kernel_clone.',
    { path: ['__x64_sys_fork', ...CLONE_PATH] }),
  u('vfork', 'pid_t', [], '<unistd.h>',
    'Like fork, but the child borrows the parent\'s memory (CLONE_VM | CLONE_VFORK) and the parent sleeps until the child calls execve or _exit.',
    { path: ['__x64_sys_vfork', ...CLONE_PATH, 'wait_for_vfork_done'] }),
  u('clone', 'int', ['int (*fn)(void *)', 'void *stack', 'int flags', 'void *arg', '...'], '<sched.h>',
    'Starts a new task running fn(arg); the CLONE_* bits of flags choose what it shares with the caller, and the low byte is the signal sent to the parent when it ends (usually SIGCHLD).',
    { min: 3, max: 4, path: ['__x64_sys_clone', ...CLONE_PATH] }),
  // Program execution: they return only on failure.
  u('execve', 'int', ['const char *pathname', 'char *const argv[]', 'char *const envp[]'], '<unistd.h>',
    'Replaces the calling process\'s program with the one at pathname. On success it never returns; on failure it returns -1 with errno (ENOENT, EACCES).',
    { onlyOnError: true, path: EXEC_PATH }),
  u('execv', 'int', ['const char *pathname', 'char *const argv[]'], '<unistd.h>',
    'execve with the current environment. Returns only on failure.', { onlyOnError: true, path: EXEC_PATH }),
  u('execvp', 'int', ['const char *file', 'char *const argv[]'], '<unistd.h>',
    'execv that looks file up in PATH when it has no slash: the C library calls execve on each entry in turn (always glibc\'s default path /bin:/usr/bin here, whatever PATH the environment holds), going on after ENOENT or EACCES; it fails with EACCES if any entry gave EACCES, else with the last error. Returns only on failure.', { onlyOnError: true, path: EXEC_PATH }),
  u('execl', 'int', ['const char *pathname', 'const char *arg', '...'], '<unistd.h>',
    'execve with the arguments listed one by one and ended by NULL. Returns only on failure.', { onlyOnError: true, path: EXEC_PATH }),
  u('execlp', 'int', ['const char *file', 'const char *arg', '...'], '<unistd.h>',
    'execl that searches PATH the way execvp does (execve on each entry). Returns only on failure.', { onlyOnError: true, path: EXEC_PATH }),
  // The shell from C (vm/libc-proc.ts): posix_spawn of /bin/sh -c, then a wait.
  u('system', 'int', ['const char *command'], '<stdlib.h>',
    'Runs command with /bin/sh -c and waits for it, with SIGINT and SIGQUIT ignored and SIGCHLD blocked meanwhile; returns the wait status (WEXITSTATUS(status) is the shell\'s exit status, 127 when the shell could not run). system(NULL) returns nonzero when a shell is available.',
    { conv: 'direct', path: ['__x64_sys_vfork', ...CLONE_PATH, 'wait_for_vfork_done'] }),
  u('popen', 'FILE *', ['const char *command', 'const char *type'], '<stdio.h>',
    'Starts /bin/sh -c command joined to the caller by a pipe: with "r" the caller reads the shell\'s standard output, with "w" it writes the shell\'s standard input. Returns the stream, or NULL (EINVAL for another type).',
    { conv: 'direct', path: ['__x64_sys_pipe2', 'do_pipe2', '__x64_sys_vfork', ...CLONE_PATH] }),
  u('pclose', 'int', ['FILE *stream'], '<stdio.h>',
    'Closes a stream popen returned and waits for its shell; returns the wait status, or -1.',
    { conv: 'direct', path: ['__x64_sys_close', '__x64_sys_wait4', 'do_wait'] }),
  // Termination.
  u('exit', 'void', ['int status'], '<stdlib.h>',
    'Flushes stdio and ends every thread of the process (exit_group); the parent can read status & 0xff with wait.',
    { noreturn: true, path: EXIT_GROUP_PATH }),
  u('_exit', 'void', ['int status'], '<unistd.h>',
    'Ends the process at once without flushing stdio buffers; the call a vfork child must use.',
    { noreturn: true, path: EXIT_GROUP_PATH }),
  u('abort', 'void', [], '<stdlib.h>', 'Unblocks SIGABRT and raises it (tgkill), ending the process with a core dump; if a handler returns, the C library resets the action to SIG_DFL and raises it again.',
    { noreturn: true, path: ['__x64_sys_tgkill', 'do_tkill', 'do_send_specific'] }),
  // Waiting.
  u('wait', 'pid_t', ['int *wstatus'], '<sys/wait.h>',
    'Sleeps until any child changes state and reaps it; same as waitpid(-1, wstatus, 0). ECHILD when there are no children.',
    { path: WAIT4_PATH }),
  u('waitpid', 'pid_t', ['pid_t pid', 'int *wstatus', 'int options'], '<sys/wait.h>',
    'Waits for the child pid (-1: any child, 0: any in the caller\'s process group, -pgid: any in group pgid). With WNOHANG it returns 0 instead of sleeping.',
    { path: WAIT4_PATH }),
  u('wait4', 'pid_t', ['pid_t pid', 'int *wstatus', 'int options', 'struct rusage *rusage'], '<sys/wait.h>',
    'The system call behind wait (wait4(-1, wstatus, 0, NULL)) and waitpid (wait4(pid, wstatus, options, NULL)); rusage may be NULL.', { path: WAIT4_PATH }),
  u('waitid', 'int', ['idtype_t idtype', 'id_t id', 'siginfo_t *infop', 'int options'], '<sys/wait.h>',
    'Waits as chosen by idtype (P_PID, P_PGID, P_ALL) and options (WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT); returns 0 and describes the child in *infop: si_signo SIGCHLD, si_code CLD_EXITED, CLD_KILLED, CLD_STOPPED or CLD_CONTINUED, si_pid, si_uid and si_status (the exit code or the signal). With WNOHANG and nothing to report every field is 0; WNOWAIT leaves the child to be waited for again.',
    { path: ['__x64_sys_waitid', 'kernel_waitid', 'do_wait'] }),
  // Wait-status macros: pure, evaluated by the VM.
  ...(
    [
      ['WIFEXITED', 'True when the child ended normally (exit, _exit or return from main).'],
      ['WEXITSTATUS', 'The low 8 bits of the exit code; meaningful when WIFEXITED is true.'],
      ['WIFSIGNALED', 'True when a signal killed the child.'],
      ['WTERMSIG', 'The number of the signal that killed the child.'],
      ['WCOREDUMP', 'True when the killed child left a core dump.'],
      ['WIFSTOPPED', 'True when the child is stopped (reported with WUNTRACED).'],
      ['WSTOPSIG', 'The signal that stopped the child.'],
      ['WIFCONTINUED', 'True when SIGCONT resumed the child (reported with WCONTINUED).'],
    ] as const
  ).map(([name, doc]) => u(name, 'int', ['int wstatus'], '<sys/wait.h>', doc, { conv: 'direct', macro: true })),
  // Signals.
  u('kill', 'int', ['pid_t pid', 'int sig'], '<signal.h>',
    'Sends sig to a process (pid > 0), its group (0), a group (-pgid) or everyone allowed (-1). Signal 0 only checks that pid exists (ESRCH if not).',
    { path: KILL_PATH }),
  u('raise', 'int', ['int sig'], '<signal.h>', 'Sends sig to the calling thread: the C library asks gettid and getpid, then calls tgkill(pid, tid, sig).',
    { conv: 'direct', path: ['__x64_sys_tgkill', 'do_tkill', 'do_send_specific'] }),
  u('signal', 'sighandler_t', ['int signum', 'sighandler_t handler'], '<signal.h>',
    'Installs handler (a function, SIG_IGN or SIG_DFL) for signum and returns the previous one, or SIG_ERR. glibc calls rt_sigaction with BSD semantics: SA_RESTART, and signum blocked while the handler runs.',
    { path: SIGACTION_PATH }),
  u('sigaction', 'int', ['int signum', 'const struct sigaction *act', 'struct sigaction *oldact'], '<signal.h>',
    'Reads or changes the action for signum: handler, sa_flags (SA_RESTART, SA_NOCLDWAIT...) and the mask blocked during the handler.',
    { path: SIGACTION_PATH }),
  u('killpg', 'int', ['pid_t pgrp', 'int sig'], '<signal.h>',
    'Sends sig to every process of group pgrp: the C library calls kill(-pgrp, sig) (EINVAL for a negative pgrp).',
    { path: KILL_PATH }),
  u('tgkill', 'int', ['pid_t tgid', 'pid_t tid', 'int sig'], '<signal.h>',
    'Sends sig to the one thread tid of process tgid; its handler sees si_code SI_TKILL. ESRCH when tid is not in tgid. glibc declares it with _GNU_SOURCE defined.',
    { path: ['__x64_sys_tgkill', 'do_tkill', 'do_send_specific'] }),
  u('sigpending', 'int', ['sigset_t *set'], '<signal.h>',
    'Stores in set the signals that are pending while blocked (rt_sigpending): this thread\'s and the process\'s.',
    { path: ['__x64_sys_rt_sigpending'] }),
  u('sigsuspend', 'int', ['const sigset_t *mask'], '<signal.h>',
    'Sleeps with mask as the blocked set until a signal handler has run, then restores the old mask; always returns -1 with EINTR. The race-free way to wait for a signal that is blocked otherwise.',
    { path: ['__x64_sys_rt_sigsuspend', 'schedule'] }),
  u('sigwaitinfo', 'int', ['const sigset_t *set', 'siginfo_t *info'], '<signal.h>',
    'Takes a pending signal of set off the queue without running a handler, sleeping until one comes; returns its number and fills *info (si_code SI_USER for kill and raise alike, as glibc folds SI_TKILL). The signals of set should be blocked.',
    { path: ['__x64_sys_rt_sigtimedwait', 'do_sigtimedwait'] }),
  u('sigtimedwait', 'int', ['const sigset_t *set', 'siginfo_t *info', 'const struct timespec *timeout'], '<signal.h>',
    'sigwaitinfo with a time limit (virtual time): -1 with EAGAIN when none came in time, EINTR when another signal\'s handler ran.',
    { path: ['__x64_sys_rt_sigtimedwait', 'do_sigtimedwait'] }),
  u('sigwait', 'int', ['const sigset_t *set', 'int *sig'], '<signal.h>',
    'Waits for a signal of set (rt_sigtimedwait with no info), stores its number in *sig and returns 0, or an error number.',
    { conv: 'direct', path: ['__x64_sys_rt_sigtimedwait', 'do_sigtimedwait'] }),
  u('sigemptyset', 'int', ['sigset_t *set'], '<signal.h>', 'Clears every signal from set.', { conv: 'direct' }),
  u('sigfillset', 'int', ['sigset_t *set'], '<signal.h>', 'Adds every signal to set.', { conv: 'direct' }),
  u('sigaddset', 'int', ['sigset_t *set', 'int signum'], '<signal.h>', 'Adds signum to set.', { conv: 'direct' }),
  u('sigdelset', 'int', ['sigset_t *set', 'int signum'], '<signal.h>', 'Removes signum from set.', { conv: 'direct' }),
  u('sigismember', 'int', ['const sigset_t *set', 'int signum'], '<signal.h>', '1 when signum is in set, else 0.', { conv: 'direct' }),
  u('sigprocmask', 'int', ['int how', 'const sigset_t *set', 'sigset_t *oldset'], '<signal.h>',
    'Changes the blocked-signal mask: SIG_BLOCK adds, SIG_UNBLOCK removes, SIG_SETMASK replaces.',
    { path: ['__x64_sys_rt_sigprocmask', 'sigprocmask'] }),
  u('pause', 'int', [], '<unistd.h>',
    'Sleeps in TASK_INTERRUPTIBLE until a signal is delivered; returns -1 with EINTR after a handler ran.',
    { path: ['__x64_sys_pause', 'schedule'] }),
  u('alarm', 'unsigned int', ['unsigned int seconds'], '<unistd.h>',
    'Asks for SIGALRM after seconds of (virtual) time, replacing any earlier alarm (0 cancels it); returns the seconds the previous alarm had left, rounded up. SIGALRM ends sleep (which returns the seconds left) and pause (EINTR) when it has a handler, and kills by default. Not inherited by fork.',
    { conv: 'direct', path: ['__x64_sys_alarm', 'alarm_setitimer'] }),
  u('setitimer', 'int', ['int which', 'const struct itimerval *new_value', 'struct itimerval *old_value'], '<sys/time.h>',
    'Arms ITIMER_REAL: SIGALRM after it_value, then every it_interval (0: once); the old setting goes to *old_value. ITIMER_VIRTUAL and ITIMER_PROF (CPU-time timers) are not modelled.',
    { path: ['__x64_sys_setitimer'] }),
  u('getitimer', 'int', ['int which', 'struct itimerval *curr_value'], '<sys/time.h>',
    'Reads a timer: the time left until it fires and its interval.', { path: ['__x64_sys_getitimer'] }),
  // Sleeping and scheduling.
  u('sleep', 'unsigned int', ['unsigned int seconds'], '<unistd.h>',
    'Sleeps for seconds of virtual time (clock_nanosleep(CLOCK_REALTIME, 0, &ts, &ts) in glibc); returns the whole seconds left when a signal handler cut it short.',
    { conv: 'direct', path: SLEEP_PATH }),
  u('usleep', 'int', ['useconds_t usec'], '<unistd.h>', 'Sleeps for usec microseconds of virtual time (clock_nanosleep in glibc).', { path: SLEEP_PATH }),
  u('sched_yield', 'int', [], '<sched.h>', 'Gives up the CPU; the task stays runnable and goes behind its peers.',
    { path: ['__x64_sys_sched_yield', 'do_sched_yield', 'schedule'] }),
  u('nice', 'int', ['int inc'], '<unistd.h>',
    'Adds inc to the nice value (-20..19) and returns the new value; a higher nice value gives a smaller CFS weight. glibc calls getpriority, setpriority(PRIO_PROCESS, 0, nice + inc), then getpriority again; lowering it without privilege fails with EPERM.',
    { path: ['__x64_sys_setpriority', 'set_one_prio', 'set_user_nice'] }),
  // Identity.
  u('getpid', 'pid_t', [], '<unistd.h>', 'The caller\'s process id: the tgid of its thread group.', { path: ['__x64_sys_getpid', 'task_tgid_vnr'] }),
  u('getppid', 'pid_t', [], '<unistd.h>', 'The process id of real_parent; it changes when the parent dies and the task is reparented.',
    { path: ['__x64_sys_getppid', 'task_tgid_vnr'] }),
  u('gettid', 'pid_t', [], '<unistd.h>', 'The caller\'s thread id (task_struct.pid); equals getpid() in the main thread.',
    { path: ['__x64_sys_gettid', 'task_pid_vnr'] }),
  u('getuid', 'uid_t', [], '<unistd.h>', 'The real user id of the caller.', { path: ['__x64_sys_getuid'] }),
  u('getpgrp', 'pid_t', [], '<unistd.h>', 'The caller\'s process group id.', { path: ['__x64_sys_getpgrp'] }),
  u('getpgid', 'pid_t', ['pid_t pid'], '<unistd.h>', 'The process group id of pid (0: the caller).', { path: ['__x64_sys_getpgid'] }),
  u('setpgid', 'int', ['pid_t pid', 'pid_t pgid'], '<unistd.h>', 'Moves pid into process group pgid.', { path: ['__x64_sys_setpgid'] }),
  u('getsid', 'pid_t', ['pid_t pid'], '<unistd.h>', 'The session id of pid (0: the caller): the pid of the session leader.',
    { path: ['__x64_sys_getsid'] }),
  u('unshare', 'int', ['int flags'], '<sched.h>', 'Moves the caller into new namespaces; with CLONE_NEWPID (root only) its next child is pid 1 of a new pid namespace.', { path: ['__x64_sys_unshare', 'create_new_namespaces', 'copy_pid_ns', 'create_pid_namespace'] }),
  u('setsid', 'pid_t', [], '<unistd.h>', 'Starts a new session and process group led by the caller.', { path: ['__x64_sys_setsid'] }),
  // Threads.
  u('pthread_create', 'int', ['pthread_t *thread', 'const pthread_attr_t *attr', 'void *(*start_routine)(void *)', 'void *arg'], '<pthread.h>',
    'Starts a thread running start_routine(arg) in the same process (clone3 with CLONE_VM | CLONE_THREAD | ... | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID on the thread\'s descriptor, whose address is the pthread_t). Returns 0 or an error number; errno is not set.',
    { conv: 'direct', path: ['__x64_sys_clone3', ...CLONE_PATH] }),
  u('pthread_join', 'int', ['pthread_t thread', 'void **retval'], '<pthread.h>',
    'Waits for thread to end and collects its return value: while the tid word in the thread\'s descriptor is not 0, the C library sleeps in futex(FUTEX_WAIT) on it; the exiting thread\'s kernel clears it and wakes the futex (CLONE_CHILD_CLEARTID). Returns 0 or an error number.',
    { conv: 'direct', path: ['__x64_sys_futex', 'futex_wait'] }),
  u('pthread_exit', 'void', ['void *retval'], '<pthread.h>',
    'Ends only the calling thread (the exit system call, not exit_group).',
    { noreturn: true, path: ['__x64_sys_exit', 'do_exit'] }),
  u('pthread_self', 'pthread_t', [], '<pthread.h>', 'The calling thread\'s handle.', { conv: 'direct' }),
  // Synchronisation (vm/libc-sync.ts): words in user memory, futex only when a thread must sleep or wake one.
  ...SYNC,
  // Process attributes.
  u('prctl', 'int', ['int option', '...'], '<sys/prctl.h>',
    'Process controls: PR_SET_CHILD_SUBREAPER, PR_SET_PDEATHSIG, PR_SET_NAME (the comm shown by ps) and their PR_GET_ twins.',
    { min: 1, max: 5, path: ['__x64_sys_prctl'] }),
  u('setrlimit', 'int', ['int resource', 'const struct rlimit *rlim'], '<sys/resource.h>',
    'Sets a resource limit; RLIMIT_NPROC caps the tasks one user may own, and fork fails with EAGAIN beyond it.',
    { path: ['__x64_sys_prlimit64', 'do_prlimit'] }),
  u('getrlimit', 'int', ['int resource', 'struct rlimit *rlim'], '<sys/resource.h>', 'Reads a resource limit.',
    { path: ['__x64_sys_prlimit64', 'do_prlimit'] }),
  u('syscall', 'long', ['long number', '...'], '<unistd.h>',
    'Makes the system call of that x86-64 number (SYS_exit, SYS_gettid... from <sys/syscall.h>) with the arguments given; -1 and errno on failure. SYS_exit ends only the calling thread.',
    { min: 1, max: 7 }),
  // Output and library helpers.
  u('printf', 'int', ['const char *format', '...'], '<stdio.h>',
    'Formats text to standard output (a write on file descriptor 1 when the buffer is flushed).',
    { conv: 'direct', path: WRITE_PATH }),
  u('puts', 'int', ['const char *s'], '<stdio.h>', 'Writes s and a newline to standard output.', { conv: 'direct', path: WRITE_PATH }),
  u('fflush', 'int', ['FILE *stream'], '<stdio.h>', 'Writes out what stdio has buffered for stream (NULL: every stream).', { conv: 'direct', path: WRITE_PATH }),
  u('perror', 'void', ['const char *s'], '<stdio.h>', 'Prints s, a colon and the text for the current errno to standard error.'),
  u('write', 'ssize_t', ['int fd', 'const void *buf', 'size_t count'], '<unistd.h>',
    'Writes count bytes of buf to file descriptor fd, unbuffered.', { path: WRITE_PATH }),
  u('strerror', 'char *', ['int errnum'], '<string.h>', 'The message text for an errno value.', { conv: 'direct' }),
  u('strcmp', 'int', ['const char *s1', 'const char *s2'], '<string.h>', 'Compares two strings: negative, 0 or positive.', { conv: 'direct', side: 'both' }),
  u('strlen', 'size_t', ['const char *s'], '<string.h>', 'The number of characters before the terminating NUL.', { conv: 'direct', side: 'both' }),
  u('memset', 'void *', ['void *s', 'int c', 'size_t n'], '<string.h>', 'Fills n bytes at s with c; used to clear a struct sigaction.', { conv: 'direct', side: 'both' }),
  u('atoi', 'int', ['const char *nptr'], '<stdlib.h>', 'Converts a decimal string to an int.', { conv: 'direct' }),
  u('abs', 'int', ['int j'], '<stdlib.h>', 'Absolute value.', { conv: 'direct', side: 'both' }),
  u('malloc', 'void *', ['size_t size'], '<stdlib.h>', 'Allocates size bytes (for example a stack for clone); NULL on failure.', { conv: 'direct' }),
  u('free', 'void', ['void *ptr'], '<stdlib.h>', 'Releases memory from malloc.'),
  ...LIBRARY_CALLS,
  ...FD_CALLS,
];
