// The end of a pid namespace (kernel/exit.c find_child_reaper, kernel/pid_namespace.c
// zap_pid_namespace): when the namespace's init exits, every other task of the namespace is
// killed and the init waits, in do_exit, until all of them are gone.

import * as C from './consts';
import { kfunc } from './frame';
import type { Kernel } from './kernel';
import { list_entries } from './list';
import { set_sigaction } from './objects';
import { release_task } from './release';
import { send_signal } from './signal';
import { task_active_pid_ns, task_pid_nr_ns } from './pidns';
import { thread_group_empty } from './notify';
import type { pid_namespace, task_struct } from './task';

function find_alive_thread(p: task_struct): task_struct | null {
  for (const t of list_entries(p.signal.thread_head)) if (!(t.flags & C.PF_EXITING)) return t;
  return null;
}

interface FcrL { father: task_struct; pid_ns: pid_namespace; reaper: task_struct | null }

export function findChildReaperLocals(father: task_struct): FcrL {
  return { father, pid_ns: task_active_pid_ns(father), reaper: null };
}

export const find_child_reaper = kfunc<FcrL>('find_child_reaper', 'kernel/exit.c', `
/*
 * The init of our pid namespace, who adopts orphans. If we are that init,
 * another thread of ours takes the role; if none is left the namespace
 * dies with us (zap_pid_namespace).
 */
static struct task_struct *find_child_reaper(struct task_struct *father,
						struct list_head *dead)
{
	struct pid_namespace *pid_ns = task_active_pid_ns(father);
	struct task_struct *reaper = pid_ns->child_reaper;  @reaper
	struct task_struct *p, *n;

	if (likely(reaper != father))                       @check
		return reaper;

	reaper = find_alive_thread(father);                 @thread
	if (reaper) {
		pid_ns->child_reaper = reaper;
		return reaper;
	}

	write_unlock_irq(&tasklist_lock);

	list_for_each_entry_safe(p, n, dead, ptrace_entry) {
		list_del_init(&p->ptrace_entry);
		release_task(p);
	}

	zap_pid_namespace(pid_ns);                          @zap
	write_lock_irq(&tasklist_lock);

	return father;                                      @ret
}
`, {
  reaper: (k, _t, f) => {
    const ns = f.locals.pid_ns;
    // The initial namespace's child_reaper is init (pid 1), the swapper before init exists.
    f.locals.reaper = ns.level === 0 ? k.child_reaper() : ns.child_reaper;
  },
  check: (k, t, f) => {
    if (f.locals.reaper !== f.locals.father || f.locals.pid_ns.level === 0) k.ret(t, 0, f.locals.reaper);
  },
  thread: (k, t, f) => {
    const r = find_alive_thread(f.locals.father);
    f.locals.reaper = r;
    if (r) {
      f.locals.pid_ns.child_reaper = r;
      f.locals.reaper = r;
      k.ret(t, 0, r);
    }
  },
  zap: (k, t, f) => k.call(t, zap_pid_namespace, { pid_ns: f.locals.pid_ns, init_pids: 1, rc: 0 }),
  ret: (k, t, f) => k.ret(t, 0, f.locals.father),
}, ['father', 'reaper']);

interface ZapL { pid_ns: pid_namespace; init_pids: number; rc: number }

export const zap_pid_namespace = kfunc<ZapL>('zap_pid_namespace', 'kernel/pid_namespace.c', `
/*
 * The init of a pid namespace is exiting: no task may enter the namespace
 * any more, every other task in it gets SIGKILL, and init waits until all
 * of them are gone, so that when init is reaped its namespace is empty.
 */
void zap_pid_namespace(struct pid_namespace *pid_ns)
{
	int nr;
	int rc;
	struct task_struct *task, *me = current;
	int init_pids = thread_group_leader(me) ? 1 : 2;    @init_pids
	struct pid *pid;

	/* Don't allow any more processes into the pid namespace */
	disable_pid_allocation(pid_ns);                     @disable

	/* Children that exit from now on reap themselves. */
	spin_lock_irq(&me->sighand->siglock);
	me->sighand->action[SIGCHLD - 1].sa.sa_handler = SIG_IGN; @sigchld
	spin_unlock_irq(&me->sighand->siglock);

	/* Every other task of the namespace (numbers 2 and up) is killed. */
	nr = 2;
	idr_for_each_entry_continue(&pid_ns->idr, pid, nr) { @kill
		task = pid_task(pid, PIDTYPE_PID);
		if (task && !__fatal_signal_pending(task))
			group_send_sig_info(SIGKILL, SEND_SIG_PRIV, task, PIDTYPE_MAX);
	}

	/* Reap the zombies we had before SIGCHLD was ignored. */
	do {
		clear_thread_flag(TIF_SIGPENDING);
		clear_thread_flag(TIF_NOTIFY_SIGNAL);
		rc = kernel_wait4(-1, NULL, __WALL, NULL);      @wait
	} while (rc != -ECHILD);                            @wait_check

	/* free_pid() wakes us when only we are left. */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);          @sleep
		if (pid_ns->pid_allocated == init_pids)         @check
			break;
		schedule();                                     @schedule
	}
	__set_current_state(TASK_RUNNING);                  @running

	if (pid_ns->reboot)
		current->signal->group_exit_code = pid_ns->reboot;

	acct_exit_ns(pid_ns);
	return;                                             @ret
}
`, {
  init_pids: (_k, t, f) => { f.locals.init_pids = t.group_leader === t ? 1 : 2; },
  disable: (_k, _t, f) => { f.locals.pid_ns.pid_allocated &= ~C.PIDNS_ADDING; },
  sigchld: (_k, t) => { if (t.sighand) set_sigaction(t.sighand, C.SIGCHLD, { handler: C.SIG_IGN, flags: 0, mask: 0 }); },
  kill: (k, _t, f) => {
    const ns = f.locals.pid_ns;
    for (const p of [...ns.hash.values()]) {
      if (task_pid_nr_ns(p, ns) < 2 || p.exit_state || k.fatal_signal_pending(p)) continue;
      // SEND_SIG_PRIV (from the kernel) to the task's whole group.
      send_signal(k, C.SIGKILL, null, p, true, true);
    }
  },
  wait: (k, t, f) => {
    // kernel_wait4(-1, NULL, __WALL): a zombie child is reaped; with none, and live children,
    // it sleeps until one changes state (the signal flags were cleared: no signal wakes it).
    dequeue_waiter(t);
    // wait_consider_task skips EXIT_DEAD children (those reaping themselves).
    const children = list_entries(t.children).filter((p) => p.exit_state !== C.EXIT_DEAD);
    const zombie = children.find((p) => p.exit_state === C.EXIT_ZOMBIE && thread_group_empty(p));
    if (zombie) {
      f.locals.rc = zombie.pid;
      k.call(t, release_task, { p: zombie, leader: null, zap_leader: false, by: t });
      return;
    }
    if (children.length === 0) { f.locals.rc = -C.ECHILD; return; }
    f.locals.rc = 0;
    sleep_uninterrupted_by_signals(k, t);
  },
  wait_check: (k, _t, f) => { if (f.locals.rc !== -C.ECHILD) k.jump(f, 'wait'); },
  sleep: (_k, t) => { t.__state = C.TASK_INTERRUPTIBLE; },
  check: (k, t, f) => {
    if (f.locals.pid_ns.pid_allocated === f.locals.init_pids) { t.__state = C.TASK_RUNNING; k.jump(f, 'running'); }
  },
  schedule: (k, t, f) => {
    k.jump(f, 'sleep');
    sleep_uninterrupted_by_signals(k, t);
  },
  running: (_k, t) => { t.__state = C.TASK_RUNNING; dequeue_waiter(t); },
  ret: (k, t) => k.ret(t, 0),
}, ['init_pids', 'rc']);

function dequeue_waiter(t: task_struct): void {
  const q = t.signal.wait_chldexit;
  const i = q.indexOf(t);
  if (i >= 0) q.splice(i, 1);
}

/**
 * schedule() with TIF_SIGPENDING cleared: the exiting init sleeps although signals may sit in its
 * pending sets (the fatal one that killed it); free_pid or an exiting child wakes it.
 */
function sleep_uninterrupted_by_signals(k: Kernel, t: task_struct): void {
  t.__state = C.TASK_INTERRUPTIBLE;
  const q = t.signal.wait_chldexit;
  if (!q.includes(t)) q.push(t);
  k.rq[t.cpu].dequeue(t);
  k.rq[t.cpu].need_resched = true;
}
