// The kernel's own synchronous signals (kernel/signal.c force_sig_*): a fault of the thread's
// instruction (force_sig_fault) and a bad rt_sigreturn frame (force_sig). Neither can be blocked
// or ignored away: the action goes back to SIG_DFL first, so the thread's group dies of it.

import * as C from './consts';
import type { Kernel } from './kernel';
import { set_sigaction } from './objects';
import type { kernel_siginfo, task_struct } from './task';
import { send_signal, sigdelset, sigismember } from './signal';

/**
 * force_sig_fault -> force_sig_info_to_task: a fault's signal cannot be blocked or ignored away;
 * if it is either, the action goes back to SIG_DFL (and the signal is unblocked), so the task
 * dies of it rather than running on past the faulting instruction. si_code says which fault.
 */
export function force_sig_fault(k: Kernel, sig: number, t: task_struct): boolean {
  const code = sig === C.SIGSEGV ? C.SEGV_MAPERR : sig === C.SIGFPE ? C.FPE_INTDIV : sig === C.SIGILL ? C.ILL_ILLOPN : C.SI_KERNEL;
  return force_sig_info_to_task(k, { si_signo: sig, si_code: code, si_pid: 0, si_uid: 0, si_status: 0 }, t);
}

/** force_sig (signal_fault, a bad rt_sigreturn frame): the same, with si_code SI_KERNEL. */
export function force_sig(k: Kernel, sig: number, t: task_struct): boolean {
  return force_sig_info_to_task(k, { si_signo: sig, si_code: C.SI_KERNEL, si_pid: 0, si_uid: 0, si_status: 0 }, t);
}

function force_sig_info_to_task(k: Kernel, info: kernel_siginfo, t: task_struct): boolean {
  const sig = info.si_signo;
  const sh = t.sighand;
  if (sh) {
    const action = sh.action[sig - 1];
    const blocked = sigismember(t.blocked, sig);
    if (blocked || action.handler === C.SIG_IGN) {
      set_sigaction(sh, sig, { ...action, handler: C.SIG_DFL, raw: C.SIG_DFL });
      if (blocked) sigdelset(t.blocked, sig);
    }
    // Even init dies of a fault it has no handler for.
    if (sh.action[sig - 1].handler === C.SIG_DFL) t.signal.flags &= ~C.SIGNAL_UNKILLABLE;
  }
  return send_signal(k, sig, null, t, false, false, info);
}
