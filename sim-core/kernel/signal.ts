// kernel/signal.c: kill -> kill_pid_info -> group_send_sig_info -> send_signal_locked, the checks
// of prepare_signal (ignored signals, init's protection; the stop/continue side effects are in
// signal-stop.ts), and the delivery on the way back to user space (get_signal).

import * as C from './consts';
import { kfunc } from './frame';
import type { Kernel } from './kernel';
import type { SignalAction } from '../machine-types';
import { set_sigaction } from './objects';
import { NS_ZERO, type kernel_siginfo, type task_struct } from './task';
import { do_group_exit } from './exit';
import { thread_group_empty } from './notify';
import { dequeue_signal } from './sigqueue';
import { signal_delivered } from './sigaction';
import { do_notify_parent_cldstop, do_signal_stop, prepare_stop_or_continue, threads } from './signal-stop';
import { is_current_pgrp_orphaned, pgrp_tasks, task_pgrp } from './pgrp';
import { find_task_by_pid_ns, task_active_pid_ns, task_pid_nr_ns, task_pid_vnr, task_tgid_nr_ns, task_tgid_vnr } from './pidns';

const INT_MIN = -0x80000000;

function bit(sig: number): [number, number] {
  return sig <= 32 ? [0, 1 << (sig - 1)] : [1, 1 << (sig - 33)];
}
export function sigismember(set: number[], sig: number): boolean {
  const [i, b] = bit(sig);
  return (set[i] & b) !== 0;
}
export function sigaddset(set: number[], sig: number): void {
  const [i, b] = bit(sig);
  set[i] |= b;
}
export function sigdelset(set: number[], sig: number): void {
  const [i, b] = bit(sig);
  set[i] &= ~b;
}

/** sig_task_ignored: the disposition (or init's protection) throws the signal away at once. */
export function sig_ignored(t: task_struct, sig: number, force: boolean): boolean {
  if (sigismember(t.blocked, sig) || sigismember(t.real_blocked, sig)) return false;
  const h = t.sighand ? t.sighand.action[sig - 1].handler : C.SIG_DFL;
  if ((t.signal.flags & C.SIGNAL_UNKILLABLE) && h === C.SIG_DFL && !(force && (sig === C.SIGKILL || sig === C.SIGSTOP))) return true;
  // sig_handler_ignored: SIG_IGN drops even SIGKILL; only kthreadd's ignore_signals() can set it
  // for SIGKILL, since rt_sigaction refuses SIGKILL and SIGSTOP.
  if (h === C.SIG_IGN) return true;
  // sig_kernel_ignore: SIGCONT's default is nothing too; what it does (waking the stopped group)
  // prepare_signal did before this check, so with SIG_DFL it is dropped, never queued.
  const d = C.sig_default_action(sig);
  return h === C.SIG_DFL && (d === 'ignore' || d === 'continue');
}

/**
 * send_signal_locked for a whole thread group (or one thread when `group` is false). Returns
 * false when the signal was dropped (ignored or the group is already exiting).
 */
export function send_signal(k: Kernel, sig: number, from: task_struct | null, p: task_struct, group: boolean, force = false,
  info: kernel_siginfo | null = null): boolean {
  let si = info;
  // From an ancestor pid namespace (the sender has no number in the receiver's): si_pid reads 0,
  // and SIGKILL and SIGSTOP reach even the namespace's init (force).
  if (from && !task_pid_nr_ns(from, task_active_pid_ns(p))) {
    force = true;
    if (si && si.si_pid !== 0) si = { ...si, si_pid: 0 };
  }
  if (!prepare_signal(k, sig, from, p, force)) return false;
  const pending = group ? p.signal.shared_pending : p.pending;
  if (sigismember(pending.signal, sig)) {
    if (sig < C.SIGRTMIN_K) return true; // legacy signals do not queue twice
    // A real-time signal queues each instance behind the one pending.
    (pending.queued[sig] ??= []).push(si ?? send_sig_info(sig, from, p));
    complete_signal(k, sig, p, group);
    return true;
  }
  sigaddset(pending.signal, sig);
  pending.info[sig] = si ?? send_sig_info(sig, from, p);
  complete_signal(k, sig, p, group);
  return true;
}

/**
 * The siginfo of a signal sent without one of its own: SEND_SIG_NOINFO from a task (SI_USER
 * with the sender's tgid and uid, as kill gives), SEND_SIG_PRIV from the kernel (SI_KERNEL).
 */
export function send_sig_info(sig: number, from: task_struct | null, to: task_struct): kernel_siginfo {
  return from
    ? { si_signo: sig, si_code: C.SI_USER, si_pid: task_tgid_nr_ns(from, task_active_pid_ns(to)), si_uid: from.cred.uid, si_status: 0 }
    : { si_signo: sig, si_code: C.SI_KERNEL, si_pid: 0, si_uid: 0, si_status: 0 };
}

/** prepare_kill_siginfo: SI_USER with the sender's tgid as its own namespace sees it. */
function prepare_kill_siginfo(sig: number, t: task_struct): kernel_siginfo {
  return { si_signo: sig, si_code: C.SI_USER, si_pid: task_tgid_vnr(t, t), si_uid: t.cred.uid, si_status: 0 };
}

function prepare_signal(k: Kernel, sig: number, from: task_struct | null, p: task_struct, force: boolean): boolean {
  const sig_s = p.signal;
  // The process is in the middle of dying (no core dumps here): the signal is dropped, SIGKILL too.
  if (sig_s.flags & C.SIGNAL_GROUP_EXIT) return false;
  const action = C.sig_default_action(sig);
  prepare_stop_or_continue(k, sig, from, p);
  const ignored = sig_ignored(p, sig, force);
  const disposition = p.sighand ? p.sighand.action[sig - 1].handler : C.SIG_DFL;
  // What the disposition makes of it; then the ignore decision (init's protection, SIG_IGN, a
  // default of nothing) cancels whatever delivery would have done. Continuing the group is done
  // already, above, so an ignored SIGCONT still reports 'continue'.
  const does: SignalAction = disposition === C.SIG_IGN ? 'ignore' : typeof disposition === 'string' ? 'handler' : action;
  const act: SignalAction = ignored && does !== 'continue' ? 'ignore' : does;
  k.emit({ time: NS_ZERO, step: 0, kind: 'signal', from: from ? from.pid : 0, to: p.pid, sig, name: C.signame(sig), action: act });
  return !ignored;
}

/**
 * wants_signal: a thread that may take the signal now. A stopped thread takes only SIGKILL: any
 * other signal stays pending until SIGCONT resumes the group.
 */
function wants_signal(sig: number, p: task_struct): boolean {
  if (sigismember(p.blocked, sig)) return false;
  if (p.flags & C.PF_EXITING) return false;
  if (sig === C.SIGKILL) return true;
  return (p.__state & (C.__TASK_STOPPED | C.__TASK_TRACED)) === 0;
}

/**
 * complete_signal: pick a thread to take it (none: it stays queued, for whichever thread can
 * dequeue it later); a fatal default action starts the group exit now.
 */
function complete_signal(k: Kernel, sig: number, p: task_struct, group: boolean): void {
  let t = p;
  if (!wants_signal(sig, p)) {
    if (!group || thread_group_empty(p)) return;
    const other = threads(p).find((x) => wants_signal(sig, x));
    if (!other) return;
    t = other;
  }
  const sig_s = p.signal;
  const h = p.sighand ? p.sighand.action[sig - 1].handler : C.SIG_DFL;
  const fatal = sig === C.SIGKILL || (h === C.SIG_DFL && (C.sig_default_action(sig) === 'terminate' || C.sig_default_action(sig) === 'core'));
  // A signal sigtimedwait waits for (blocked before it, in real_blocked) is not fatal.
  if (fatal && !(sig_s.flags & C.SIGNAL_GROUP_EXIT) && !sigismember(t.blocked, sig) && !sigismember(t.real_blocked, sig)
    && !(sig_s.flags & C.SIGNAL_UNKILLABLE)) {
    if (C.sig_default_action(sig) !== 'core') {
      sig_s.flags = C.SIGNAL_GROUP_EXIT;
      sig_s.group_exit_code = sig;
      sig_s.group_stop_count = 0;
      for (const th of threads(p)) {
        sigaddset(th.pending.signal, C.SIGKILL);
        k.signal_wake_up(th, true);
      }
      return;
    }
  }
  k.signal_wake_up(t, sig === C.SIGKILL);
}

interface KillL { pid: number; sig: number; ret: number }

export const __x64_sys_kill = kfunc<KillL>('__x64_sys_kill', 'kernel/signal.c', `
/*
 * kill(pid, sig): pid > 0 is one process, pid == 0 our process group,
 * pid < -1 the group -pid, pid == -1 every process we may signal except
 * init and ourselves; sig == 0 only checks that pid exists.
 */
SYSCALL_DEFINE2(kill, pid_t, pid, int, sig)
{
	struct kernel_siginfo info;

	prepare_kill_siginfo(sig, &info, PIDTYPE_TGID);     @info

	return kill_something_info(sig, &info, pid);        @send
}
`, {
  info: (k, t, f) => { if (f.locals.sig < 0 || f.locals.sig > C._NSIG) k.ret(t, -C.EINVAL); },
  send: (k, t, f) => {
    const { pid, sig } = f.locals;
    if (pid > 0) {
      const p = find_task_by_pid_ns(pid, task_active_pid_ns(t));
      if (!p || p.exit_state === C.EXIT_DEAD) { k.ret(t, -C.ESRCH); return; }
      if (p.exit_state && p.thread_node.next === p.thread_node.prev) { k.ret(t, 0); return; }
      if (sig !== 0 && !may_signal(t, p)) { k.ret(t, -C.EPERM); return; }
      if (sig !== 0) send_signal(k, sig, t, p.group_leader, true, false, prepare_kill_siginfo(sig, t));
      k.ret(t, 0);
      return;
    }
    if (pid === -1) {
      // Every process but init and our own group; only errors other than EPERM count, so
      // signalling nobody we may signal still succeeds.
      let count = 0, retval = 0;
      for (const p of k.for_each_process()) {
        if (task_pid_vnr(p, t) <= 1 || p.tgid === t.tgid) continue;
        count++;
        if (!may_signal(t, p)) continue;
        // Kernel threads ignore every signal (ignore_signals in kthreadd): delivered, dropped.
        if (sig !== 0 && !(p.flags & C.PF_KTHREAD)) send_signal(k, sig, t, p, true, false, prepare_kill_siginfo(sig, t));
        retval = 0;
      }
      k.ret(t, count ? retval : -C.ESRCH);
      return;
    }
    if (pid === INT_MIN) { k.ret(t, -C.ESRCH); return; }
    // __kill_pgrp_info: pid 0 is the caller's process group, -pgid another one. Success when
    // at least one member could be signalled, else the last error (ESRCH for an empty group).
    let success = false;
    let retval = -C.ESRCH;
    for (const p of pgrp_tasks(k, pid === 0 ? task_pgrp(t) : -pid)) {
      if (p.exit_state && p.thread_node.next === p.thread_node.prev) { success = true; retval = 0; continue; }
      if (!may_signal(t, p)) { retval = -C.EPERM; continue; }
      // Kernel threads ignore every signal (ignore_signals in kthreadd): delivered, dropped.
      if (sig !== 0 && !(p.flags & C.PF_KTHREAD)) send_signal(k, sig, t, p, true, false, prepare_kill_siginfo(sig, t));
      success = true;
      retval = 0;
    }
    k.ret(t, success ? 0 : retval);
  },
}, ['pid', 'sig']);

interface TgkL { tgid: number; pid: number; sig: number }

export const __x64_sys_tgkill = kfunc<TgkL>('__x64_sys_tgkill', 'kernel/signal.c', `
/*
 * tgkill(tgid, pid, sig): a signal for one thread, which must belong to
 * thread group tgid. raise() and abort() of the C library end here.
 */
SYSCALL_DEFINE3(tgkill, pid_t, tgid, pid_t, pid, int, sig)
{
	/* This is only valid for single tasks */
	if (pid <= 0 || tgid <= 0)                          @check
		return -EINVAL;

	/* do_tkill -> do_send_specific: find the thread, check, send. */
	return do_tkill(tgid, pid, sig);                    @send
}
`, {
  check: (k, t, f) => { if (f.locals.pid <= 0 || f.locals.tgid <= 0 || f.locals.sig < 0 || f.locals.sig > C._NSIG) k.ret(t, -C.EINVAL); },
  send: (k, t, f) => k.ret(t, do_send_specific(k, t, f.locals.tgid, f.locals.pid, f.locals.sig)),
}, ['tgid', 'pid', 'sig']);

/**
 * do_send_specific: a signal for thread pid (of group tgid, unless tgid is 0, as tkill asks),
 * with SI_TKILL and the sender's tgid and uid. Returns 0 or -errno.
 */
export function do_send_specific(k: Kernel, t: task_struct, tgid: number, pid: number, sig: number): number {
  const p = find_task_by_pid_ns(pid, task_active_pid_ns(t));
  if (!p || (tgid > 0 && task_tgid_vnr(p, t) !== tgid) || p.exit_state) return -C.ESRCH;
  if (sig !== 0 && !may_signal(t, p)) return -C.EPERM;
  if (sig !== 0) send_signal(k, sig, t, p, false, false, { si_signo: sig, si_code: C.SI_TKILL, si_pid: task_tgid_vnr(t, t), si_uid: t.cred.uid, si_status: 0 });
  return 0;
}

export function may_signal(from: task_struct, to: task_struct): boolean {
  return from.cred.euid === 0 || from.cred.uid === to.cred.uid;
}

interface GsL { signr: number; handler: number | string; info: kernel_siginfo | null; why: number }

/**
 * get_signal, called on the way back to user space while a signal is pending: stop the group,
 * die, run a handler, or drop the signal.
 */
export const get_signal = kfunc<GsL>('get_signal', 'kernel/signal.c', `
bool get_signal(struct ksignal *ksig)
{
	struct sighand_struct *sighand = current->sighand;
	struct signal_struct *signal = current->signal;
	int signr;

relock:
	spin_lock_irq(&sighand->siglock);

	/*
	 * A stopped thread that SIGCONT woke comes back here. prepare_signal
	 * left the si_code for the parent in SIGNAL_CLD_MASK: the first
	 * thread to get here sends it.
	 */
	if (unlikely(signal->flags & SIGNAL_CLD_MASK)) {     @cld
		int why;

		if (signal->flags & SIGNAL_CLD_CONTINUED)
			why = CLD_CONTINUED;
		else
			why = CLD_STOPPED;

		signal->flags &= ~SIGNAL_CLD_MASK;

		spin_unlock_irq(&sighand->siglock);

		read_lock(&tasklist_lock);
		do_notify_parent_cldstop(current, false, why);  @notify
		read_unlock(&tasklist_lock);

		goto relock;
	}

	for (;;) {
		struct k_sigaction *ka;

		/* Has SIGKILL already started the group exit? */
		if ((signal->flags & SIGNAL_GROUP_EXIT) ||
		     signal->group_exec_task) {                 @fatal_check
			signr = SIGKILL;
			sigdelset(&current->pending.signal, SIGKILL);
			trace_signal_deliver(SIGKILL, SEND_SIG_NOINFO,
					     &sighand->action[SIGKILL-1]);
			goto fatal;
		}

		signr = dequeue_signal(&current->blocked, &ksig->info, &type); @dequeue
		if (!signr)
			break; /* will return 0 */

		ka = &sighand->action[signr-1];

		/* Trace actually delivered signals. */
		trace_signal_deliver(signr, &ksig->info, ka);

		if (ka->sa.sa_handler == SIG_IGN) /* Do nothing.  */ @action
			continue;
		if (ka->sa.sa_handler != SIG_DFL) {
			/* Run the handler.  */
			ksig->ka = *ka;
			if (ka->sa.sa_flags & SA_ONESHOT)
				ka->sa.sa_handler = SIG_DFL;
			break; /* will return non-zero "signr" value */
		}

		/* Now we are doing the default action for this signal. */
		if (sig_kernel_ignore(signr)) /* Default is nothing. */
			continue;

		/* Global init gets no signals it doesn't want. */
		if (unlikely(signal->flags & SIGNAL_UNKILLABLE) &&
				!sig_kernel_only(signr))
			continue;

		if (sig_kernel_stop(signr)) {
			/*
			 * The job control signals do nothing in an
			 * orphaned pgrp, but SIGSTOP always works.
			 */
			if (signr != SIGSTOP &&
			    is_current_pgrp_orphaned())             @orphaned
				goto relock;
			/* The group stops; we sleep in TASK_STOPPED until SIGCONT. */
			do_signal_stop(signr);                      @stop
			goto relock;
		}
	fatal:
		spin_unlock_irq(&sighand->siglock);
		/* Anything else is fatal, maybe with a core dump. */
		current->flags |= PF_SIGNALED;                  @die
		do_group_exit(signr);
		/* NOTREACHED */
	}
	spin_unlock_irq(&sighand->siglock);
	ksig->sig = signr;
	return signr > 0;                                   @ret
}
`, {
  cld: (k, t, f) => {
    const sig = t.signal;
    if (!(sig.flags & C.SIGNAL_CLD_MASK)) { k.jump(f, 'fatal_check'); return; }
    f.locals.why = sig.flags & C.SIGNAL_CLD_CONTINUED ? C.CLD_CONTINUED : C.CLD_STOPPED;
    sig.flags &= ~C.SIGNAL_CLD_MASK;
  },
  notify: (k, t, f) => {
    do_notify_parent_cldstop(k, t, f.locals.why);
    k.jump(f, 'cld');
  },
  fatal_check: (k, t, f) => {
    if (t.signal.flags & C.SIGNAL_GROUP_EXIT || t.signal.group_exec_task) {
      f.locals.signr = t.signal.flags & C.SIGNAL_GROUP_EXIT ? t.signal.group_exit_code || C.SIGKILL : C.SIGKILL;
      sigdelset(t.pending.signal, C.SIGKILL);
      trace_signal_deliver(k, t, C.SIGKILL);
      k.jump(f, 'die');
    }
  },
  dequeue: (k, t, f) => {
    const info = dequeue_signal(k, t, t.blocked);
    const s = info ? info.si_signo : 0;
    f.locals.signr = s;
    f.locals.info = info;
    if (!s) { k.jump(f, 'ret'); return; }
    // The tracepoint sits between the dequeue and the SIG_IGN check: an ignored signal that was
    // queued (it was blocked when sent) is delivered, and dropped here.
    trace_signal_deliver(k, t, s);
  },
  action: (k, t, f) => {
    const s = f.locals.signr;
    const ka = (t.sighand as NonNullable<task_struct['sighand']>).action[s - 1];
    if (ka.handler === C.SIG_IGN) { k.jump(f, 'fatal_check'); return; }
    if (ka.handler !== C.SIG_DFL) {
      f.locals.handler = ka.handler;
      if (ka.flags & C.SA_RESETHAND) set_sigaction(t.sighand as NonNullable<task_struct['sighand']>, s, { ...ka, handler: C.SIG_DFL, raw: C.SIG_DFL });
      k.jump(f, 'ret');
      return;
    }
    const d = C.sig_default_action(s);
    if (d === 'ignore' || d === 'continue') { k.jump(f, 'fatal_check'); return; }
    if ((t.signal.flags & C.SIGNAL_UNKILLABLE) && s !== C.SIGKILL && s !== C.SIGSTOP) { k.jump(f, 'fatal_check'); return; }
    if (d !== 'stop') k.jump(f, 'die');
  },
  orphaned: (k, t, f) => {
    if (f.locals.signr !== C.SIGSTOP && is_current_pgrp_orphaned(k, t)) k.jump(f, 'cld');
  },
  stop: (k, t, f) => {
    k.jump(f, 'cld');
    do_signal_stop(k, t, f.locals.signr);
  },
  die: (k, t, f) => {
    t.flags |= C.PF_SIGNALED;
    k.call(t, do_group_exit, { exit_code: f.locals.signr & 0x7f });
  },
  ret: (k, t, f) => {
    const { signr, handler, info } = f.locals;
    k.ret(t, signr);
    signal_delivered(k, t, signr, handler, info);
  },
}, ['signr', 'why']);

/**
 * The signal_deliver tracepoint: get_signal took `sig` off the queue (or found the group dying:
 * SIGKILL), with the action its k_sigaction gives it now. The stop action of a terminal stop
 * signal in an orphaned process group is no action at all: get_signal discards it.
 */
function trace_signal_deliver(k: Kernel, t: task_struct, sig: number): void {
  const h = t.sighand ? t.sighand.action[sig - 1].handler : C.SIG_DFL;
  let action: SignalAction;
  if (sig === C.SIGKILL) action = 'terminate';
  else if (h === C.SIG_IGN) action = 'ignore';
  else if (h !== C.SIG_DFL) action = 'handler';
  else if ((t.signal.flags & C.SIGNAL_UNKILLABLE) && sig !== C.SIGSTOP) action = 'ignore';
  else {
    const d = C.sig_default_action(sig);
    action = d === 'stop' && sig !== C.SIGSTOP && is_current_pgrp_orphaned(k, t) ? 'ignore' : d;
  }
  k.emit({ time: NS_ZERO, step: 0, kind: 'signal_deliver', pid: t.pid, sig, name: C.signame(sig), action, ...(action === 'handler' && typeof h === 'string' ? { handler: h } : {}) });
}
