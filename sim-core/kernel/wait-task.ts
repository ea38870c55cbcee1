// kernel/exit.c, what a wait reports about one child: wait_task_zombie (reap it, or with
// waitid's WNOWAIT only look), wait_task_stopped and wait_task_continued. Each fills wo_stat for
// wait4 and, for waitid, the waitid_info that becomes the caller's siginfo_t.

import { task_pid_vnr } from './pidns';
import * as C from './consts';
import { kfunc } from './frame';
import type { task_struct } from './task';
import { release_task } from './release';
import { getrusage_both, thread_group_cputime_adjusted } from './cputime';
import type { wait_opts } from './wait';

interface WtzL { wo: wait_opts; p: task_struct; status: number }

export const wait_task_zombie = kfunc<WtzL>('wait_task_zombie', 'kernel/exit.c', `
/*
 * Reaps a zombie: collects its exit status and lets release_task free what
 * is left of it. Only one waiter can win the EXIT_ZOMBIE -> EXIT_DEAD switch.
 */
static int wait_task_zombie(struct wait_opts *wo, struct task_struct *p)
{
	int state, status;
	pid_t pid = task_pid_vnr(p);
	uid_t uid = from_kuid_munged(current_user_ns(), task_uid(p));
	struct waitid_info *infop;

	if (!likely(wo->wo_flags & WEXITED))                @check
		return 0;

	if (unlikely(wo->wo_flags & WNOWAIT)) {             @nowait
		/* waitid(WNOWAIT): report it, leave it a zombie. */
		status = (p->signal->flags & SIGNAL_GROUP_EXIT)
			? p->signal->group_exit_code : p->exit_code;
		goto out_info;
	}

	/* Move the task's state to DEAD; only one thread can do this. */
	state = EXIT_DEAD;
	if (cmpxchg(&p->exit_state, EXIT_ZOMBIE, state) != EXIT_ZOMBIE) @claim
		return 0;

	/* The children's times are added to the parent's cutime/cstime. */
	status = (p->signal->flags & SIGNAL_GROUP_EXIT)
		? p->signal->group_exit_code : p->exit_code;     @status
	wo->wo_stat = status;
	if (wo->wo_rusage)
		getrusage(p, RUSAGE_BOTH, wo->wo_rusage);

	if (state == EXIT_DEAD)
		release_task(p);                                @release

out_info:
	infop = wo->wo_info;
	if (infop) {
		if ((status & 0x7f) == 0) {
			infop->cause = CLD_EXITED;
			infop->status = status >> 8;
		} else {
			infop->cause = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
			infop->status = status & 0x7f;
		}
		infop->pid = pid;
		infop->uid = uid;
	}

	return pid;                                         @ret
}
`, {
  check: (k, t, f) => { if (!(f.locals.wo.wo_flags & C.WEXITED)) k.ret(t, 0); },
  nowait: (k, _t, f) => {
    if (!(f.locals.wo.wo_flags & C.WNOWAIT)) return;
    f.locals.status = zombieStatus(f.locals.p);
    k.jump(f, 'ret');
  },
  claim: (k, t, f) => {
    if (f.locals.p.exit_state !== C.EXIT_ZOMBIE) { k.ret(t, 0); return; }
    f.locals.p.exit_state = C.EXIT_DEAD;
    f.locals.p.zombie_since = -1;
  },
  status: (_k, _t, f) => {
    const p = f.locals.p;
    f.locals.status = zombieStatus(p);
    f.locals.wo.wo_stat = f.locals.status;
    const ps = p.real_parent;
    if (ps) {
      const tg = thread_group_cputime_adjusted(p);
      ps.signal.cutime += tg.utime + p.signal.cutime;
      ps.signal.cstime += tg.stime + p.signal.cstime;
    }
    if (f.locals.wo.wo_rusage) getrusage_both(p, f.locals.wo.wo_rusage);
  },
  release: (k, t, f) => k.call(t, release_task, { p: f.locals.p, leader: null, zap_leader: false, by: t }),
  ret: (k, t, f) => {
    const { p, status } = f.locals;
    const info = f.locals.wo.wo_info;
    if (info) {
      if ((status & 0x7f) === 0) { info.cause = C.CLD_EXITED; info.status = status >> 8; }
      else { info.cause = status & 0x80 ? C.CLD_DUMPED : C.CLD_KILLED; info.status = status & 0x7f; }
      info.pid = task_pid_vnr(p, t);
      info.uid = p.cred.uid;
    }
    k.ret(t, task_pid_vnr(p, t));
  },
}, ['p', 'status']);

function zombieStatus(p: task_struct): number {
  return p.signal.flags & C.SIGNAL_GROUP_EXIT ? p.signal.group_exit_code : p.exit_code;
}

interface WtsL { wo: wait_opts; p: task_struct; exit_code: number }

export const wait_task_stopped = kfunc<WtsL>('wait_task_stopped', 'kernel/exit.c', `
/* WUNTRACED (waitid: WSTOPPED): report a child a stop signal stopped, once. */
static int wait_task_stopped(struct wait_opts *wo,
				int ptrace, struct task_struct *p)
{
	struct waitid_info *infop;
	int exit_code, *p_code, why;
	uid_t uid = 0; /* unneeded, required by compiler */
	pid_t pid;

	if (!ptrace && !(wo->wo_flags & WUNTRACED))         @check
		return 0;

	p_code = task_stopped_code(p, ptrace);              @code
	if (!p_code || !*p_code)
		return 0;
	exit_code = *p_code;
	if (!unlikely(wo->wo_flags & WNOWAIT))
		*p_code = 0;
	uid = from_kuid_munged(current_user_ns(), task_uid(p));

	pid = task_pid_vnr(p);                              @stat
	why = ptrace ? CLD_TRAPPED : CLD_STOPPED;
	if (likely(!(wo->wo_flags & WNOWAIT)))
		wo->wo_stat = (exit_code << 8) | 0x7f;
	if (wo->wo_rusage)
		getrusage(p, RUSAGE_BOTH, wo->wo_rusage);

	infop = wo->wo_info;
	if (infop) {
		infop->cause = why;
		infop->status = exit_code;
		infop->pid = pid;
		infop->uid = uid;
	}
	return pid;
}
`, {
  check: (k, t, f) => { if (!(f.locals.wo.wo_flags & C.WUNTRACED)) k.ret(t, 0); },
  code: (k, t, f) => {
    const p = f.locals.p;
    const stopped = (p.__state & C.__TASK_STOPPED) !== 0 && (p.signal.flags & C.SIGNAL_STOP_STOPPED) !== 0;
    if (!stopped || !p.signal.group_exit_code) { k.ret(t, 0); return; }
    f.locals.exit_code = p.signal.group_exit_code;
    if (!(f.locals.wo.wo_flags & C.WNOWAIT)) p.signal.group_exit_code = 0;
  },
  stat: (k, t, f) => {
    const { wo, p, exit_code } = f.locals;
    if (!(wo.wo_flags & C.WNOWAIT)) wo.wo_stat = (exit_code << 8) | 0x7f;
    if (wo.wo_rusage) getrusage_both(p, wo.wo_rusage);
    if (wo.wo_info) { wo.wo_info.cause = C.CLD_STOPPED; wo.wo_info.status = exit_code; wo.wo_info.pid = task_pid_vnr(p, t); wo.wo_info.uid = p.cred.uid; }
    k.ret(t, task_pid_vnr(p, t));
  },
}, ['p']);

export const wait_task_continued = kfunc<WtsL>('wait_task_continued', 'kernel/exit.c', `
/* WCONTINUED: report a stopped child that SIGCONT resumed, once. */
static int wait_task_continued(struct wait_opts *wo, struct task_struct *p)
{
	struct waitid_info *infop;
	pid_t pid;
	uid_t uid;

	if (!unlikely(wo->wo_flags & WCONTINUED))           @check
		return 0;

	if (!(p->signal->flags & SIGNAL_STOP_CONTINUED))    @flag
		return 0;
	if (!unlikely(wo->wo_flags & WNOWAIT))
		p->signal->flags &= ~SIGNAL_STOP_CONTINUED;
	uid = from_kuid_munged(current_user_ns(), task_uid(p));

	if (wo->wo_rusage)                                  @stat
		getrusage(p, RUSAGE_BOTH, wo->wo_rusage);
	pid = task_pid_vnr(p);
	infop = wo->wo_info;
	if (!infop) {
		wo->wo_stat = 0xffff;
	} else {
		infop->cause = CLD_CONTINUED;
		infop->pid = pid;
		infop->uid = uid;
		infop->status = SIGCONT;
	}
	return pid;
}
`, {
  check: (k, t, f) => { if (!(f.locals.wo.wo_flags & C.WCONTINUED)) k.ret(t, 0); },
  flag: (k, t, f) => {
    const sig = f.locals.p.signal;
    if (!(sig.flags & C.SIGNAL_STOP_CONTINUED)) { k.ret(t, 0); return; }
    if (!(f.locals.wo.wo_flags & C.WNOWAIT)) sig.flags &= ~C.SIGNAL_STOP_CONTINUED;
  },
  stat: (k, t, f) => {
    const { wo, p } = f.locals;
    if (wo.wo_rusage) getrusage_both(p, wo.wo_rusage);
    if (!wo.wo_info) wo.wo_stat = 0xffff;
    else { wo.wo_info.cause = C.CLD_CONTINUED; wo.wo_info.pid = task_pid_vnr(p, t); wo.wo_info.uid = p.cred.uid; wo.wo_info.status = C.SIGCONT; }
    k.ret(t, task_pid_vnr(p, t));
  },
}, ['p']);
