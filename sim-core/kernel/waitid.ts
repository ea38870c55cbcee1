// kernel/exit.c, waitid: the wait that says what happened in a siginfo_t (si_signo SIGCHLD,
// si_code CLD_EXITED/KILLED/DUMPED/STOPPED/CONTINUED, si_pid, si_uid, si_status) and can leave
// the child as it is (WNOWAIT). It shares do_wait with wait4 (wait.ts).

import * as C from './consts';
import { kfunc } from './frame';
import { do_wait, find_vpid_nr, type wait_opts, type waitid_info } from './wait';
import { task_pgrp } from './pgrp';
import { NS_ZERO, type task_struct } from './task';
import type { Kernel } from './kernel';

/** siginfo_t in scenario memory, one cell a field: the fields waitid writes. */
export const SI_SIGNO = 0, SI_ERRNO = 1, SI_CODE = 2, SI_PID = 3, SI_UID = 4, SI_STATUS = 5;

interface WidL { which: number; upid: number; infop: number; options: number; info: waitid_info; err: number; signo: number }

export function waitidLocals(which: number, upid: number, infop: number, options: number): WidL {
  return { which, upid, infop, options, info: { pid: 0, uid: 0, status: 0, cause: 0 }, err: 0, signo: 0 };
}

/** Writes a siginfo_t's fields; false when the address is bad. */
export function put_siginfo(k: Kernel, t: task_struct, addr: number, signo: number, code: number, info: waitid_info): boolean {
  const cells: Array<[number, number]> = [[SI_SIGNO, signo], [SI_ERRNO, 0], [SI_CODE, code], [SI_PID, info.pid], [SI_UID, info.uid], [SI_STATUS, info.status]];
  for (const [off, v] of cells) if (!k.user.putUser(t, addr + off, v)) return false;
  return true;
}

export const __x64_sys_waitid = kfunc<WidL>('__x64_sys_waitid', 'kernel/exit.c', `
SYSCALL_DEFINE5(waitid, int, which, pid_t, upid, struct siginfo __user *,
		infop, int, options, struct rusage __user *, ru)
{
	struct rusage r;
	struct waitid_info info = {.status = 0};
	long err = kernel_waitid(which, upid, &info, options, ru ? &r : NULL); @call
	int signo = 0;

	if (err > 0) {                                      @result
		signo = SIGCHLD;
		err = 0;
	}
	if (!infop)
		return err;

	/* Nothing to report (WNOHANG): every field is 0. */
	unsafe_put_user(signo, &infop->si_signo, Efault);   @put_user
	unsafe_put_user(0, &infop->si_errno, Efault);
	unsafe_put_user(info.cause, &infop->si_code, Efault);
	unsafe_put_user(info.pid, &infop->si_pid, Efault);
	unsafe_put_user(info.uid, &infop->si_uid, Efault);
	unsafe_put_user(info.status, &infop->si_status, Efault);
	return err;                                         @ret
Efault:
	return -EFAULT;
}
`, {
  call: (k, t, f) => k.call(t, kernel_waitid, { ...f.locals, info: f.locals.info }),
  result: (k, t, f) => {
    f.locals.err = f.ret;
    if (f.ret > 0) { f.locals.signo = C.SIGCHLD; f.locals.err = 0; }
    if (!f.locals.infop) k.ret(t, f.locals.err);
  },
  put_user: (k, t, f) => {
    const L = f.locals;
    if (!put_siginfo(k, t, L.infop, L.signo, L.info.cause, L.info)) k.ret(t, -C.EFAULT);
  },
  ret: (k, t, f) => k.ret(t, f.locals.err),
}, ['which', 'upid', 'infop', 'options', 'err', 'signo']);

export const kernel_waitid = kfunc<WidL>('kernel_waitid', 'kernel/exit.c', `
static long kernel_waitid(int which, pid_t upid, struct waitid_info *infop,
			  int options, struct rusage *ru)
{
	struct wait_opts wo;
	struct pid *pid = NULL;
	enum pid_type type;
	long ret;

	if (options & ~(WNOHANG|WNOWAIT|WEXITED|WSTOPPED|WCONTINUED|
			__WNOTHREAD|__WCLONE|__WALL))           @check
		return -EINVAL;
	if (!(options & (WEXITED|WSTOPPED|WCONTINUED)))
		return -EINVAL;

	switch (which) {                                    @which
	case P_ALL:
		type = PIDTYPE_MAX;
		break;
	case P_PID:
		type = PIDTYPE_PID;
		if (upid <= 0)
			return -EINVAL;
		pid = find_get_pid(upid);
		break;
	case P_PGID:
		type = PIDTYPE_PGID;
		if (upid < 0)
			return -EINVAL;
		if (upid)
			pid = find_get_pid(upid);
		else
			pid = get_task_pid(current, PIDTYPE_PGID);
		break;
	case P_PIDFD:
		/* No pidfd is ever open in the simulator: fd is no pidfd. */
		return -EBADF;
	default:
		return -EINVAL;
	}

	wo.wo_type	= type;
	wo.wo_pid	= pid;
	wo.wo_flags	= options;
	wo.wo_info	= infop;
	ret = do_wait(&wo);                                 @wait
	put_pid(pid);
	return ret;                                         @ret
}
`, {
  check: (k, t, f) => {
    const o = f.locals.options;
    const allowed = C.WNOHANG | C.WNOWAIT | C.WEXITED | C.WSTOPPED | C.WCONTINUED | C.__WNOTHREAD | C.__WCLONE | C.__WALL;
    if ((o & ~allowed) !== 0 || !(o & (C.WEXITED | C.WSTOPPED | C.WCONTINUED))) k.ret(t, -C.EINVAL);
  },
  which: (k, t, f) => {
    const { which, upid } = f.locals;
    if (which === C.P_PID && upid <= 0) k.ret(t, -C.EINVAL);
    else if (which === C.P_PGID && upid < 0) k.ret(t, -C.EINVAL);
    else if (which === C.P_PIDFD) k.ret(t, upid < 0 ? -C.EINVAL : -C.EBADF);
    else if (which !== C.P_ALL && which !== C.P_PID && which !== C.P_PGID) k.ret(t, -C.EINVAL);
  },
  wait: (k, t, f) => {
    const { which, upid, options, info } = f.locals;
    const wo: wait_opts = {
      wo_type: which === C.P_ALL ? C.PIDTYPE_MAX : which === C.P_PID ? C.PIDTYPE_PID : C.PIDTYPE_PGID,
      wo_pid: which === C.P_ALL ? 0 : which === C.P_PGID && upid === 0 ? task_pgrp(t) : which === C.P_PID ? find_vpid_nr(t, upid) : upid,
      wo_flags: options, wo_stat: 0, wo_info: info, wo_rusage: null, notask_error: 0,
    };
    k.call(t, do_wait, { wo, retval: 0 });
  },
  ret: (k, t, f) => {
    if (f.ret === -C.ECHILD) k.emit({ time: NS_ZERO, step: 0, kind: 'echild', pid: t.pid });
    k.ret(t, f.ret);
  },
}, ['which', 'upid', 'options']);
