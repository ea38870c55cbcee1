// Functions of the C library (and of Linux) that scenario code may reach for but the simulator
// does not model. A call to one is named as such by the checker, instead of guessing at a known
// name it might have been a typo of. A name that becomes supported is found first elsewhere.

/** Unsupported name -> the header that declares it on Linux. */
const UNSUPPORTED: ReadonlyMap<string, string> = new Map(Object.entries({
  // Files, pipes and descriptors.
  pread: '<unistd.h>', mkfifo: '<sys/stat.h>',
  epoll_create1: '<sys/epoll.h>',
  // Memory and IPC.
  mprotect: '<sys/mman.h>', brk: '<unistd.h>', sbrk: '<unistd.h>',
  semget: '<sys/sem.h>',
  semop: '<sys/sem.h>', mq_notify: '<mqueue.h>',
  socket: '<sys/socket.h>', socketpair: '<sys/socket.h>',
  // Processes, namespaces, credentials, scheduling.
  setns: '<sched.h>', pidfd_open: '<sys/pidfd.h>', pidfd_send_signal: '<sys/pidfd.h>',
  posix_spawn: '<spawn.h>', daemon: '<unistd.h>',
  times: '<sys/times.h>', ptrace: '<sys/ptrace.h>',
  execvpe: '<unistd.h>', getenv: '<stdlib.h>', setenv: '<stdlib.h>', setuid: '<unistd.h>', setgid: '<unistd.h>',
  seteuid: '<unistd.h>', setreuid: '<unistd.h>', getgid: '<unistd.h>', getegid: '<unistd.h>',
  setpgrp: '<unistd.h>', tcgetpgrp: '<unistd.h>', tcsetpgrp: '<unistd.h>',
  // Signals and timers.
  sigaltstack: '<signal.h>',
  siginterrupt: '<signal.h>', sigset: '<signal.h>', sighold: '<signal.h>',
  signalfd: '<sys/signalfd.h>', timer_create: '<time.h>', timer_settime: '<time.h>', timer_delete: '<time.h>',
  timerfd_create: '<sys/timerfd.h>', ualarm: '<unistd.h>', time: '<time.h>', clock_gettime: '<time.h>',
  gettimeofday: '<sys/time.h>', clock: '<time.h>',
}));

/** The header of a Linux function the simulator does not model, or undefined. */
export function unsupportedHeader(name: string): string | undefined {
  return UNSUPPORTED.get(name);
}
