// kernel/signal.c and arch/x86/kernel/signal.c: installing handlers (rt_sigaction), the blocked
// mask (rt_sigprocmask), running a handler (handle_signal, rt_sigreturn) and what becomes of the
// call a signal interrupted: restarted (SA_RESTART, or no handler ran) or failed with EINTR.

import * as C from './consts';
import { ret0, kfunc } from './frame';
import type { Kernel } from './kernel';
import { list_entries } from './list';
import { set_sigaction } from './objects';
import type { k_sigaction, kernel_siginfo, task_struct } from './task';
import { sigaddset, sigdelset } from './signal';
import { force_sig } from './signal-force';
import { flush_sigqueue_mask } from './sigqueue';
import { sigsetFromUser, sigsetToUser } from './sigwait';
import { syscallEntry } from './syscalls';
import type { Value } from '../vm/types';

/** struct sigaction in scenario memory: sa_handler, sa_mask, sa_flags, one cell each. */
export const SA_HANDLER = 0, SA_MASK = 1, SA_FLAGS = 2;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

interface SaL { sig: number; act: k_sigaction | null; oact: number; old: k_sigaction | null }

/** Locals for rt_sigaction(sig, act, oact, sigsetsize): the new action is read from user memory. */
export function sigactionLocals(k: Kernel, t: task_struct, args: Value[]): SaL {
  const sig = num(args[0]), actAddr = num(args[1]), oactAddr = num(args[2]);
  let act: k_sigaction | null = null;
  if (actAddr) {
    const raw = k.user.getUser(t, actAddr + SA_HANDLER) ?? 0;
    const flags = num(k.user.getUser(t, actAddr + SA_FLAGS));
    const m = k.user.getUser(t, actAddr + SA_MASK);
    const mask = typeof m === 'bigint' ? m : num(m);
    act = { handler: handlerOf(k, raw), raw, flags, mask };
  }
  return { sig, act, oact: oactAddr, old: null };
}

function handlerOf(k: Kernel, raw: Value): number | string {
  if (raw === C.SIG_DFL || raw === C.SIG_IGN) return raw;
  // A handler inside the C library (glibc's sigcancel_handler): the user side runs it itself.
  if (typeof raw === 'string' && raw.startsWith('__libc_')) return raw;
  return k.functionName(raw) ?? (typeof raw === 'number' ? raw : C.SIG_DFL);
}

export const __x64_sys_rt_sigaction = kfunc<SaL>('__x64_sys_rt_sigaction', 'kernel/signal.c', `
/* sigaction() and signal() of the C library end here. */
SYSCALL_DEFINE4(rt_sigaction, int, sig,
		const struct sigaction __user *, act,
		struct sigaction __user *, oact,
		size_t, sigsetsize)
{
	struct k_sigaction new_sa, old_sa;
	int ret;

	if (act && copy_from_user(&new_sa.sa, act, sizeof(new_sa.sa)))
		return -EFAULT;

	ret = do_sigaction(sig, act ? &new_sa : NULL, oact ? &old_sa : NULL); @call

	if (!ret && oact && copy_to_user(oact, &old_sa.sa, sizeof(old_sa.sa))) @copy_out
		return -EFAULT;
	return ret;                                         @ret
}
`, {
  call: (k, t, f) => k.call(t, do_sigaction, f.locals),
  copy_out: (k, t, f) => {
    const o = f.locals.old;
    if (f.ret === 0 && o && f.locals.oact > 0) {
      k.user.putUser(t, f.locals.oact + SA_HANDLER, o.raw ?? o.handler);
      k.user.putUser(t, f.locals.oact + SA_MASK, o.mask);
      k.user.putUser(t, f.locals.oact + SA_FLAGS, o.flags);
    }
  },
  ret: (k, t, f) => k.ret(t, f.ret),
}, ['sig']);

export const do_sigaction = kfunc<SaL>('do_sigaction', 'kernel/signal.c', `
int do_sigaction(int sig, struct k_sigaction *act, struct k_sigaction *oact)
{
	struct task_struct *p = current, *t;
	struct k_sigaction *k;
	sigset_t mask;

	/* SIGKILL and SIGSTOP can be neither caught nor ignored. */
	if (!valid_signal(sig) || sig < 1 || (act && sig_kernel_only(sig))) @check
		return -EINVAL;

	k = &p->sighand->action[sig-1];
	spin_lock_irq(&p->sighand->siglock);
	if (oact)                                           @old
		*oact = *k;

	if (act) {                                          @set
		sigdelsetmask(&act->sa.sa_mask,
			      sigmask(SIGKILL) | sigmask(SIGSTOP));
		*k = *act;
		/*
		 * POSIX: ignoring a signal (SIG_IGN, or SIG_DFL when the
		 * default is to ignore) discards it if it is pending.
		 */
		if (sig_handler_ignored(sig_handler(p, sig), sig)) { @discard
			sigemptyset(&mask);
			sigaddset(&mask, sig);
			flush_sigqueue_mask(p, &mask, &p->signal->shared_pending);
			for_each_thread(p, t)
				flush_sigqueue_mask(p, &mask, &t->pending);
		}
	}

	spin_unlock_irq(&p->sighand->siglock);
	return 0;                                           @ret
}
`, {
  check: (k, t, f) => {
    const sig = f.locals.sig;
    if (sig < 1 || sig > C._NSIG || (f.locals.act && (sig === C.SIGKILL || sig === C.SIGSTOP)) || !t.sighand) k.ret(t, -C.EINVAL);
  },
  old: (_k, t, f) => { f.locals.old = { ...(t.sighand as NonNullable<task_struct['sighand']>).action[f.locals.sig - 1] }; },
  set: (k, t, f) => {
    const act = f.locals.act;
    if (!act) { k.jump(f, 'ret'); return; }
    const mask = sigsetFromUser(act.mask);
    sigdelset(mask, C.SIGKILL);
    sigdelset(mask, C.SIGSTOP);
    set_sigaction(t.sighand as NonNullable<task_struct['sighand']>, f.locals.sig, { ...act, mask: sigsetToUser(mask) });
  },
  discard: (_k, t, f) => {
    const sig = f.locals.sig;
    const h = f.locals.act ? f.locals.act.handler : null;
    if (h === null) return;
    if (h === C.SIG_IGN || (h === C.SIG_DFL && C.sig_default_action(sig) === 'ignore')) {
      flush_sigqueue_mask(t.signal.shared_pending, sig);
      for (const th of list_entries(t.signal.thread_head)) flush_sigqueue_mask(th.pending, sig);
      flush_sigqueue_mask(t.pending, sig);
    }
  },
  ret: ret0,
}, ['sig']);

interface SpmL { how: number; set: number | bigint; oset: number; has_set: boolean; old: number | bigint }

export function sigprocmaskLocals(how: number, setAddr: number, osetAddr: number, k: Kernel, t: task_struct): SpmL {
  const set = setAddr ? k.user.getUser(t, setAddr) : 0;
  return { how, set: typeof set === 'bigint' ? set : num(set), oset: osetAddr, has_set: setAddr !== 0, old: 0 };
}

export const __x64_sys_rt_sigprocmask = kfunc<SpmL>('__x64_sys_rt_sigprocmask', 'kernel/signal.c', `
/* Blocks, unblocks or replaces the set of signals held back from this thread. */
SYSCALL_DEFINE4(rt_sigprocmask, int, how, sigset_t __user *, nset,
		sigset_t __user *, oset, size_t, sigsetsize)
{
	sigset_t old_set, new_set;
	int error;

	old_set = current->blocked;                         @old

	if (nset) {                                         @set
		if (copy_from_user(&new_set, nset, sizeof(sigset_t)))
			return -EFAULT;
		sigdelsetmask(&new_set, sigmask(SIGKILL)|sigmask(SIGSTOP));

		error = sigprocmask(how, &new_set, NULL);
		if (error)
			return error;
	}

	if (oset && copy_to_user(oset, &old_set, sizeof(sigset_t))) @copy_out
		return -EFAULT;

	return 0;                                           @ret
}
`, {
  old: (_k, t, f) => { f.locals.old = sigsetToUser(t.blocked); },
  set: (k, t, f) => {
    if (!f.locals.has_set) return;
    const set = sigsetFromUser(f.locals.set);
    sigdelset(set, C.SIGKILL);
    sigdelset(set, C.SIGSTOP);
    const b = t.blocked;
    switch (f.locals.how) {
      case C.SIG_BLOCK: t.blocked = [b[0] | set[0], b[1] | set[1]]; break;
      case C.SIG_UNBLOCK: t.blocked = [b[0] & ~set[0], b[1] & ~set[1]]; break;
      case C.SIG_SETMASK: t.blocked = set; break;
      default: k.ret(t, -C.EINVAL); return;
    }
    // Unblocking may expose a pending signal: it is delivered on the way out.
  },
  copy_out: (k, t, f) => {
    if (f.locals.oset && !k.user.putUser(t, f.locals.oset, f.locals.old)) k.ret(t, -C.EFAULT);
  },
  ret: ret0,
}, ['how']);

export const __x64_sys_rt_sigreturn = kfunc<object>('__x64_sys_rt_sigreturn', 'arch/x86/kernel/signal_64.c', `
/*
 * A handler returned (through the C library's restorer): restore the
 * blocked mask and registers the signal frame saved. If the interrupted
 * call is to be restarted, its registers were rewound before the handler
 * ran, so it runs again now.
 */
SYSCALL_DEFINE0(rt_sigreturn)
{
	struct pt_regs *regs = current_pt_regs();
	struct rt_sigframe __user *frame;
	sigset_t set;

	frame = (struct rt_sigframe __user *)(regs->sp - sizeof(long));
	if (__get_user(*(__u64 *)&set, (__u64 __user *)&frame->uc.uc_sigmask)) @frame
		goto badframe;
	set_current_blocked(&set);                          @mask

	if (!restore_sigcontext(regs, &frame->uc.uc_mcontext, uc_flags)) @restore
		goto badframe;
	return regs->ax;

badframe:
	signal_fault(regs, frame, "rt_sigreturn");
	return 0;
}
`, {
  frame: (k, t) => {
    drop_left_frames(k, t);
    if (t.sigframes.length === 0 || (k.user.sigreturn && !k.user.sigreturn(t))) {
      // No frame to return through: the kernel kills the task with SIGSEGV.
      k.popFrame(t);
      force_sig(k, C.SIGSEGV, t);
    }
  },
  mask: (_k, t) => {
    const fr = t.sigframes[t.sigframes.length - 1];
    t.blocked = fr.blocked.slice();
  },
  restore: (k, t) => {
    const fr = t.sigframes.pop();
    k.popFrame(t);
    if (fr && fr.restart) restart_syscall(k, t, fr.restart.name, fr.restart.args);
  },
});

/**
 * siginfo_t as scenario memory holds it (si_signo, si_errno, si_code, si_pid, si_uid, si_status);
 * si_value lies where si_status does (both at byte 24 of glibc's union).
 */
export function siginfoCells(si: kernel_siginfo): number[] {
  return [si.si_signo, 0, si.si_code, si.si_pid, si.si_uid, si.si_value ?? si.si_status];
}

/** Enters the interrupted call again (regs->ip -= 2: the syscall instruction runs again). */
export function restart_syscall(k: Kernel, t: task_struct, name: string, args: Value[]): void {
  const e = syscallEntry(k, t, name, args);
  if (e === null || typeof e === 'number') { k.returnToUser(t, e === null ? -C.ENOSYS : e); return; }
  k.call(t, e.fn, e.locals);
}

/**
 * handle_signal's first part: decides what the interrupted call returns. Returns the call to
 * run again after the handler, or null (it failed with EINTR, or no call was interrupted).
 */
function syscall_restart_on_handler(k: Kernel, t: task_struct, ka: k_sigaction): { name: string; args: Value[] } | null {
  const r = t.restart;
  if (!r) return null;
  t.restart = null;
  switch (r.code) {
    case C.ERESTART_RESTARTBLOCK:
    case C.ERESTARTNOHAND:
      k.returnToUser(t, -C.EINTR);
      return null;
    case C.ERESTARTSYS:
      if (!(ka.flags & C.SA_RESTART)) { k.returnToUser(t, -C.EINTR); return null; }
      return { name: r.name, args: r.args };
    default:
      return { name: r.name, args: r.args };
  }
}

/**
 * The end of get_signal on the way to user space (arch_do_signal_or_restart): run the handler
 * of `signr`, or, with no handler to run, restart the interrupted call at once.
 */
export function signal_delivered(k: Kernel, t: task_struct, signr: number, handler: number | string, info: kernel_siginfo | null = null): void {
  if (signr > 0 && typeof handler === 'string') {
    handle_signal(k, t, signr, handler, info);
    return;
  }
  // No handler ran: sigsuspend's temporary mask gives way to the saved one (restore_saved_sigmask).
  if (t.restore_sigmask) { t.blocked = t.saved_sigmask.slice(); t.restore_sigmask = false; }
  const r = t.restart;
  if (!r) return;
  t.restart = null;
  if (r.code === C.ERESTART_RESTARTBLOCK && t.restart_block >= 0) {
    // restart_syscall -> hrtimer_nanosleep_restart: sleep only for what is left.
    const left = Math.max(0, t.restart_block - k.clock);
    t.restart_block = -1;
    // The first call's rmtp (clock_nanosleep's fourth argument), or the restarted call's.
    const rmtp = r.name === 'restart_syscall' ? r.args[1] : r.args[3];
    restart_syscall(k, t, 'restart_syscall', [left, typeof rmtp === 'number' ? rmtp : 0]);
    return;
  }
  restart_syscall(k, t, r.name, r.args);
}

/**
 * A handler that left by longjmp took its rt_sigframe with it (the frame is only user stack):
 * what the kernel kept of such frames goes too, so rt_sigreturn finds the frame it pushed last.
 */
function drop_left_frames(k: Kernel, t: task_struct): void {
  const n = k.user.sigframeDepth ? k.user.sigframeDepth(t) : -1;
  if (n >= 0 && n < t.sigframes.length) t.sigframes.length = n;
}

/** handle_signal: set up the rt_sigframe, block the handler's mask, and enter the handler. */
function handle_signal(k: Kernel, t: task_struct, sig: number, handler: string, info: kernel_siginfo | null): void {
  const ka = (t.sighand as NonNullable<task_struct['sighand']>).action[sig - 1];
  const restart = syscall_restart_on_handler(k, t, ka);
  // A built-in program (init) handles the signal at once, without a frame on a user stack.
  if (t.builtin) return;
  drop_left_frames(k, t);
  // The frame's uc_sigmask is the mask to go back to: sigsuspend's saved one, if it set one.
  const saved = t.restore_sigmask ? t.saved_sigmask : t.blocked;
  t.restore_sigmask = false;
  t.sigframes.push({ blocked: saved.slice(), restart });
  // signal_setup_done: the handler's mask, and the signal itself unless SA_NODEFER.
  const mask = sigsetFromUser(ka.mask);
  t.blocked = [t.blocked[0] | mask[0], t.blocked[1] | mask[1]];
  if (!(ka.flags & C.SA_NODEFER)) sigaddset(t.blocked, sig);
  // SA_SIGINFO: the handler gets (sig, &frame->info, &frame->uc), the siginfo copied to the frame.
  const si = ka.flags & C.SA_SIGINFO ? info ?? { si_signo: sig, si_code: C.SI_USER, si_pid: 0, si_uid: 0, si_status: 0 } : null;
  const ran = k.user.pushSignalFrame(t, handler, sig, si ? siginfoCells(si) : null);
  if (ran === false && handler.startsWith('__libc_')) {
    // The C library's handler had nothing to do (sigcancel_handler in a thread not being
    // cancelled) and returned: what rt_sigreturn does follows at once.
    const fr = t.sigframes.pop();
    if (fr) {
      t.blocked = fr.blocked.slice();
      if (fr.restart) restart_syscall(k, t, fr.restart.name, fr.restart.args);
    }
  }
}
