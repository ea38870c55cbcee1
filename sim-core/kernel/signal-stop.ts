// kernel/signal.c, job control: what SIGSTOP and SIGCONT do as they are sent (prepare_signal's
// first part), the group stop (do_signal_stop) and the parent's CLD_STOPPED/CLD_CONTINUED SIGCHLD.

import * as C from './consts';
import type { Kernel } from './kernel';
import { list_entries } from './list';
import { NS_ZERO, type kernel_siginfo, type task_struct } from './task';
import { send_signal, sigdelset } from './signal';
import { task_active_pid_ns, task_pid_nr_ns } from './pidns';

/** for_each_thread: the group's threads (the task alone before its thread list is set up). */
export function threads(p: task_struct): task_struct[] {
  const l = list_entries(p.signal.thread_head);
  return l.length ? l : [p];
}

/**
 * signal_set_stop_flags: the stop/continue state of the group (SIGNAL_STOP_STOPPED,
 * SIGNAL_STOP_CONTINUED, the CLD_ code for the parent) replaced, its other flags kept.
 */
export function signal_set_stop_flags(sig_s: task_struct['signal'], flags: number): void {
  sig_s.flags = (sig_s.flags & ~C.SIGNAL_STOP_MASK) | flags;
}

/**
 * The job-control half of prepare_signal, before the ignore check: a stop signal discards a
 * pending SIGCONT; SIGCONT discards the pending stop signals and resumes a stopped group.
 */
export function prepare_stop_or_continue(k: Kernel, sig: number, from: task_struct | null, p: task_struct): void {
  const sig_s = p.signal;
  if (C.sig_default_action(sig) === 'stop') {
    for (const t of threads(p)) sigdelset(t.pending.signal, C.SIGCONT);
    sigdelset(sig_s.shared_pending.signal, C.SIGCONT);
  } else if (sig === C.SIGCONT) {
    for (const s of [C.SIGSTOP, C.SIGTSTP, C.SIGTTIN, C.SIGTTOU]) {
      sigdelset(sig_s.shared_pending.signal, s);
      for (const t of threads(p)) sigdelset(t.pending.signal, s);
    }
    for (const t of threads(p)) k.try_to_wake_up(t, C.__TASK_STOPPED, from);
    // The parent hears of it later: the first woken thread to pass get_signal's relock finds the
    // CLD_ code in the flags and notifies. A group stop still under way counts as finished, and
    // since SIGCHLD does not queue, only its CLD_STOPPED is reported.
    let why = 0;
    if (sig_s.flags & C.SIGNAL_STOP_STOPPED) why |= C.SIGNAL_CLD_CONTINUED;
    else if (sig_s.group_stop_count) why |= C.SIGNAL_CLD_STOPPED;
    if (why) {
      signal_set_stop_flags(sig_s, why | C.SIGNAL_STOP_CONTINUED);
      sig_s.group_stop_count = 0;
      sig_s.group_exit_code = 0;
      if (why & C.SIGNAL_CLD_CONTINUED) k.emit({ time: NS_ZERO, step: 0, kind: 'continued', pid: p.tgid });
    }
  }
}

/**
 * do_notify_parent_cldstop: SIGCHLD with CLD_STOPPED / CLD_CONTINUED, unless the parent ignores
 * SIGCHLD or asked SA_NOCLDSTOP (then nothing is sent at all); its waiters are woken either way.
 */
export function do_notify_parent_cldstop(k: Kernel, tsk: task_struct, why: number): void {
  const leader = tsk.group_leader;
  const parent = leader.real_parent;
  if (!parent) return;
  const info: kernel_siginfo = {
    si_signo: C.SIGCHLD, si_code: why, si_pid: task_pid_nr_ns(leader, task_active_pid_ns(parent)), si_uid: leader.cred.uid,
    si_status: why === C.CLD_CONTINUED ? C.SIGCONT : leader.signal.group_exit_code & 0x7f,
  };
  const sh = parent.sighand;
  const ka = sh ? sh.action[C.SIGCHLD - 1] : null;
  if (ka && ka.handler !== C.SIG_IGN && !(ka.flags & C.SA_NOCLDSTOP)) send_signal(k, C.SIGCHLD, tsk, parent, true, false, info);
  k.__wake_up_parent(parent, tsk);
}

/** do_signal_stop: the group enters a stop; the last thread to stop tells the parent. */
export function do_signal_stop(k: Kernel, t: task_struct, signr: number): void {
  const sig = t.signal;
  if (!(sig.flags & C.SIGNAL_STOP_STOPPED)) {
    sig.group_exit_code = signr;
    signal_set_stop_flags(sig, C.SIGNAL_STOP_STOPPED);
    k.emit({ time: NS_ZERO, step: 0, kind: 'stopped', pid: t.tgid, sig: signr });
    do_notify_parent_cldstop(k, t, C.CLD_STOPPED);
  }
  for (const th of threads(t)) {
    if (th === t || th.exit_state) continue;
    if (th.__state === C.TASK_RUNNING || th.__state & C.TASK_INTERRUPTIBLE) {
      th.__state = C.TASK_STOPPED;
      k.rq[th.cpu].dequeue(th);
    }
  }
  t.__state = C.TASK_STOPPED;
  k.schedule(t);
}
