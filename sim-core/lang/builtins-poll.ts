// Waiting on several descriptors at once (<poll.h>, <sys/select.h>: poll, select and the fd_set
// macros; kernel side in sim-core/kernel/select.ts), thread-specific data (pthread_key_*) and
// spin locks (pthread_spin_*), with their constants and struct pollfd. Thread-specific data is
// kept by sim-core/vm/libc-tsd.ts.
import type { CallInfo, ConstantInfo, StructInfo } from './builtins-types';

function call(name: string, returns: string, params: string[], header: string, doc: string, conv: CallInfo['convention'], path?: string[], macro = false): CallInfo {
  const info: CallInfo = { name, params, returns, header, doc, side: 'user', minArgs: params.length, maxArgs: params.length, convention: conv };
  if (path) info.kernelPath = path;
  if (macro) info.isMacro = true;
  return info;
}

const S = '<sys/select.h>', P = '<pthread.h>';

export const POLL_CALLS: CallInfo[] = [
  call('poll', 'int', ['struct pollfd *fds', 'nfds_t nfds', 'int timeout'], '<poll.h>',
    'Waits until one of the nfds descriptors in fds has an event it asks for in events, and fills in each revents: POLLIN (data to read), POLLOUT (room to write), POLLHUP (a pipe with no writer left), POLLERR (no reader left), POLLNVAL (fd not open). A negative fd is skipped. timeout in milliseconds: 0 never sleeps, -1 sleeps as long as it takes. Returns how many entries have a nonzero revents, 0 on timeout, or -1 with EINTR when a handled signal came first.',
    'syscall', ['__x64_sys_poll', 'do_sys_poll', 'do_poll', 'poll_schedule_timeout']),
  call('select', 'int', ['int nfds', 'fd_set *readfds', 'fd_set *writefds', 'fd_set *exceptfds', 'struct timeval *timeout'], S,
    'Waits until a descriptor below nfds in readfds is readable (data, or end of file), one in writefds writable, or timeout passes (NULL: no limit; {0, 0}: a mere look). On return the sets hold only the ready descriptors and *timeout the time that was left. Returns how many bits are set in all, 0 on timeout, -1 with EBADF (a descriptor not open) or EINTR (a handled signal).',
    'syscall', ['__x64_sys_select', 'core_sys_select', 'do_select', 'poll_schedule_timeout']),
  call('FD_ZERO', 'void', ['fd_set *set'], S, 'Empties the set.', 'none', undefined, true),
  call('FD_SET', 'void', ['int fd', 'fd_set *set'], S, 'Puts descriptor fd in the set.', 'none', undefined, true),
  call('FD_CLR', 'void', ['int fd', 'fd_set *set'], S, 'Takes descriptor fd out of the set.', 'none', undefined, true),
  call('FD_ISSET', 'int', ['int fd', 'fd_set *set'], S, 'Nonzero when fd is in the set (after select: when it is ready).', 'direct', undefined, true),
];

export const TSD_CALLS: CallInfo[] = [
  call('pthread_key_create', 'int', ['pthread_key_t *key', 'void (*destructor)(void *)'], P,
    'Makes a new key (the lowest free of PTHREAD_KEYS_MAX) under which each thread keeps a value of its own, NULL to start with. When a thread ends by returning from its start routine or by pthread_exit, destructor (if not NULL) is called with each non-NULL value it left; exit() calls none. Returns 0 or EAGAIN.',
    'direct'),
  call('pthread_key_delete', 'int', ['pthread_key_t key'], P,
    'Frees the key for reuse. No destructor runs: the values left under it are the program\'s to free. EINVAL for a key not in use.', 'direct'),
  call('pthread_setspecific', 'int', ['pthread_key_t key', 'const void *value'], P,
    'Stores value as the calling thread\'s value for key; other threads do not see it. EINVAL for a key not in use.', 'direct'),
  call('pthread_getspecific', 'void *', ['pthread_key_t key'], P,
    'The calling thread\'s value for key: NULL until it stores one (or after the key was deleted).', 'direct'),
];

export const SPIN_CALLS: CallInfo[] = [
  call('pthread_spin_init', 'int', ['pthread_spinlock_t *lock', 'int pshared'], P,
    'Makes *lock a free spin lock (PTHREAD_PROCESS_PRIVATE or PTHREAD_PROCESS_SHARED). Returns 0.', 'direct'),
  call('pthread_spin_lock', 'int', ['pthread_spinlock_t *lock'], P,
    'Takes the lock, spinning on the CPU while another thread holds it: no system call and no sleep, so the waiter uses up its time slice until the holder unlocks. Returns 0.', 'direct'),
  call('pthread_spin_trylock', 'int', ['pthread_spinlock_t *lock'], P, 'Takes the lock if it is free; EBUSY at once when it is held.', 'direct'),
  call('pthread_spin_unlock', 'int', ['pthread_spinlock_t *lock'], P, 'Frees the lock. Returns 0.', 'direct'),
  call('pthread_spin_destroy', 'int', ['pthread_spinlock_t *lock'], P, 'Ends the lock\'s life. Returns 0.', 'direct'),
];

function consts(header: string, group: ConstantInfo['group'], rows: Array<[string, number, string]>): ConstantInfo[] {
  return rows.map(([name, value, doc]) => ({ name, value, doc, header, group, side: 'user' }));
}

export const POLL_CONSTANTS: ConstantInfo[] = [
  ...consts('<poll.h>', 'fcntl', [
    ['POLLIN', 0x1, 'There is data to read.'], ['POLLPRI', 0x2, 'Urgent data to read (not from a pipe).'],
    ['POLLOUT', 0x4, 'Writing will not block: a pipe has a free page in its ring.'],
    ['POLLERR', 0x8, 'Error: the write end of a pipe whose readers are all gone. Reported even if not asked for.'],
    ['POLLHUP', 0x10, 'Hang-up: the read end of a pipe whose writers have all closed. Reported even if not asked for.'],
    ['POLLNVAL', 0x20, 'The descriptor is not open. Reported even if not asked for.'],
    ['POLLRDNORM', 0x40, 'Normal data to read (as POLLIN).'], ['POLLRDBAND', 0x80, 'Priority band data to read.'],
    ['POLLWRNORM', 0x100, 'Normal data may be written (as POLLOUT).'], ['POLLWRBAND', 0x200, 'Priority band data may be written.'],
  ]),
  ...consts(S, 'fcntl', [['FD_SETSIZE', 1024, 'Descriptors an fd_set can hold (0 to 1023).']]),
  ...consts('<limits.h>', 'pthread', [
    ['PTHREAD_KEYS_MAX', 1024, 'Keys pthread_key_create can hand out in one process.'],
    ['PTHREAD_DESTRUCTOR_ITERATIONS', 4, 'Rounds of destructor calls at a thread\'s end while destructors store new values.'],
  ]),
];

export const POLL_STRUCTS: StructInfo[] = [
  {
    name: 'pollfd', side: 'user', header: '<poll.h>', doc: 'One descriptor for poll: what to watch and what was found.',
    fields: [
      { name: 'fd', type: 'int', doc: 'The descriptor (negative: ignored, revents 0).' },
      { name: 'events', type: 'short', doc: 'The events asked for (POLLIN, POLLOUT...).' },
      { name: 'revents', type: 'short', doc: 'Filled in by poll: the events that happened.' },
    ],
  },
];
