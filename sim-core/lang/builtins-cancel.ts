// Thread cancellation of <pthread.h>: pthread_cancel asks, the target acts at a cancellation
// point (sim-core/vm/libc-cancel.ts), as glibc's deferred cancellation does with SIGCANCEL, after
// the cleanup handlers.
import type { CallInfo } from './builtins-types';

function cancel(name: string, returns: string, params: string[], doc: string, path?: string[]): CallInfo {
  const info: CallInfo = {
    name, params, returns, doc, header: '<pthread.h>', side: 'user',
    minArgs: params.length, maxArgs: params.length, convention: returns === 'void' ? 'none' : 'direct',
  };
  if (path) info.kernelPath = path;
  return info;
}

export const CANCEL_CALLS: CallInfo[] = [
  cancel('pthread_cancel', 'int', ['pthread_t thread'],
    'Asks thread to end. With deferred cancellation (the default) it ends at its next cancellation point (sleep, nanosleep, usleep, pause, read, write, open, close, the wait family, sigsuspend, sigwait, pthread_join, pthread_cond_wait, sem_wait, pthread_testcancel); one blocked in such a call is woken by SIGCANCEL (signal 32, which glibc keeps for itself). It ends as pthread_exit(PTHREAD_CANCELED) would, so pthread_join gives PTHREAD_CANCELED. Returns 0, or ESRCH for a thread already joined.',
    ['__x64_sys_rt_sigaction', '__x64_sys_tgkill', 'do_tkill', 'do_send_specific']),
  cancel('pthread_setcancelstate', 'int', ['int state', 'int *oldstate'],
    'PTHREAD_CANCEL_ENABLE (the default) or PTHREAD_CANCEL_DISABLE: while disabled, a cancellation request waits; the old state goes to *oldstate (may be NULL). EINVAL for another value.'),
  cancel('pthread_setcanceltype', 'int', ['int type', 'int *oldtype'],
    'PTHREAD_CANCEL_DEFERRED (the default: only at cancellation points) or PTHREAD_CANCEL_ASYNCHRONOUS (SIGCANCEL ends the thread wherever it runs); the old type goes to *oldtype (may be NULL). EINVAL for another value.'),
  cancel('pthread_testcancel', 'void', [], 'A cancellation point and nothing else: a pending request ends the thread here.'),
  cancel('pthread_cleanup_push', 'void', ['void (*routine)(void *)', 'void *arg'],
    'Registers routine(arg) to run if the thread ends by cancellation or pthread_exit before the matching pthread_cleanup_pop (newest first). Pair them in the same block, as glibc\'s macros require.'),
  cancel('pthread_cleanup_pop', 'void', ['int execute'],
    'Removes the newest handler pthread_cleanup_push registered, and calls it when execute is nonzero.'),
];
