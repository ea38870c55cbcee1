// The sigqueue side of kernel/signal.c: taking a pending signal off a thread's or the group's
// queue (dequeue_signal, collect_signal) and throwing queued instances away (flush_sigqueue_mask).
// A real-time signal keeps one siginfo per instance sent; a legacy one is pending at most once.

import * as C from './consts';
import type { Kernel } from './kernel';
import type { kernel_siginfo, sigpending, task_struct } from './task';
import { rearm_itimer } from './itimer';
import { sigdelset, sigismember } from './signal';

/**
 * dequeue_signal: the lowest-numbered signal not in mask (the blocked set) and its siginfo, the thread's own before the group's. A
 * SIGALRM from the group's queue arms an interval timer again (posixtimer_rearm_itimer).
 */
export function dequeue_signal(k: Kernel, t: task_struct, mask: number[]): kernel_siginfo | null {
  for (const pending of [t.pending, t.signal.shared_pending]) {
    for (let sig = 1; sig <= C._NSIG; sig++) {
      if (sigismember(pending.signal, sig) && !sigismember(mask, sig)) {
        // collect_signal: the queued siginfo, or SI_USER with no sender when none was queued;
        // the signal stays pending while more instances of it are queued.
        const info = pending.info[sig] ?? { si_signo: sig, si_code: C.SI_USER, si_pid: 0, si_uid: 0, si_status: 0 };
        const next = pending.queued[sig]?.shift();
        if (next) pending.info[sig] = next;
        else sigdelset(pending.signal, sig);
        if (sig === C.SIGALRM && pending === t.signal.shared_pending) rearm_itimer(k, t);
        return info;
      }
    }
  }
  return null;
}

/** flush_sigqueue_mask for one signal: it is no longer pending, and none of its instances queued. */
export function flush_sigqueue_mask(pending: sigpending, sig: number): void {
  sigdelset(pending.signal, sig);
  pending.queued[sig] = [];
}
