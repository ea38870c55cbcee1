// kernel/signal.c, rt_sigqueueinfo: a signal sent with a siginfo the caller made, as glibc's
// sigqueue does (si_code SI_QUEUE, the sender's pid and uid, and the value in si_value). The
// signal goes to the process as kill's does; a real-time one queues each instance with its value
// (send_signal, dequeue_signal in sigqueue.ts), a legacy one keeps the first.

import * as C from './consts';
import { kfunc } from './frame';
import type { kernel_siginfo } from './task';
import { may_signal, send_signal } from './signal';
import { find_task_by_pid_ns, task_active_pid_ns, task_pid_vnr } from './pidns';

interface SqL { pid: number; sig: number; info: kernel_siginfo }

/** rt_sigqueueinfo's locals: the siginfo glibc's sigqueue builds before the call. */
export function sigqueueinfoLocals(pid: number, sig: number, info: kernel_siginfo): SqL {
  return { pid, sig, info };
}

export const __x64_sys_rt_sigqueueinfo = kfunc<SqL>('__x64_sys_rt_sigqueueinfo', 'kernel/signal.c', `
/* sigqueue(pid, sig, value) of the C library: a siginfo with SI_QUEUE and the value. */
SYSCALL_DEFINE3(rt_sigqueueinfo, pid_t, pid, int, sig,
		siginfo_t __user *, uinfo)
{
	kernel_siginfo_t info;
	int ret = __copy_siginfo_from_user(sig, &info, uinfo);
	if (unlikely(ret))
		return ret;
	return do_rt_sigqueueinfo(pid, sig, &info);         @check
}

static int do_rt_sigqueueinfo(pid_t pid, int sig, kernel_siginfo_t *info)
{
	/* Not even root can pretend to send signals from the kernel.
	 * Nor can they impersonate a kill()/tgkill(), which adds source info.
	 */
	if ((info->si_code >= 0 || info->si_code == SI_TKILL) &&
	    (task_pid_vnr(current) != pid))
		return -EPERM;

	/* POSIX.1b doesn't mention process groups.  */
	return kill_proc_info(sig, info, pid);              @send
}
`, {
  check: (k, t, f) => {
    const { pid, info } = f.locals;
    if ((info.si_code >= 0 || info.si_code === C.SI_TKILL) && task_pid_vnr(t, t) !== pid) k.ret(t, -C.EPERM);
  },
  send: (k, t, f) => {
    // kill_pid_info -> group_send_sig_info: check_kill_permission, then the signal (0: only the check).
    const { pid, sig, info } = f.locals;
    if (sig < 0 || sig > C._NSIG) { k.ret(t, -C.EINVAL); return; }
    const p = pid > 0 ? find_task_by_pid_ns(pid, task_active_pid_ns(t)) : null;
    if (!p || p.exit_state === C.EXIT_DEAD) { k.ret(t, -C.ESRCH); return; }
    if (p.exit_state && p.thread_node.next === p.thread_node.prev) { k.ret(t, 0); return; }
    if (!may_signal(t, p)) { k.ret(t, -C.EPERM); return; }
    if (sig !== 0) send_signal(k, sig, t, p.group_leader, true, false, { ...info, si_signo: sig });
    k.ret(t, 0);
  },
}, ['pid', 'sig']);
