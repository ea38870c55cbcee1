// kernel/exit.c, the parent side of dying: exit_notify, forget_original_parent, find_new_reaper
// and reparent_leader; and do_notify_parent from kernel/signal.c, which sends SIGCHLD.

import { task_active_pid_ns, task_pid_nr_ns } from './pidns';
import { find_child_reaper, findChildReaperLocals } from './pidns-exit';
import * as C from './consts';
import { ret0, kfunc } from './frame';
import type { Kernel } from './kernel';
import { list_empty, list_entries, list_move_tail } from './list';
import { NS_ZERO, type kernel_siginfo, type task_struct } from './task';
import { send_signal } from './signal';
import { kill_orphaned_pgrp } from './pgrp';
import { release_task } from './release';
import type { ReparentWhy } from '../machine-types';

interface EnL { tsk: task_struct; group_dead: boolean; autoreap: boolean; dead: task_struct[]; i: number }

export const exit_notify = kfunc<EnL>('exit_notify', 'kernel/exit.c', `
/*
 * Send signals to all our closest relatives so that they know
 * to properly mourn us..
 */
static void exit_notify(struct task_struct *tsk, int group_dead)
{
	bool autoreap;
	struct task_struct *p, *n;
	LIST_HEAD(dead);

	write_lock_irq(&tasklist_lock);
	forget_original_parent(tsk, &dead);                 @forget

	/* A stopped group we leave orphaned gets SIGHUP and SIGCONT. */
	if (group_dead)                                     @orphaned
		kill_orphaned_pgrp(tsk->group_leader, NULL);

	tsk->exit_state = EXIT_ZOMBIE;                      @zombie
	if (thread_group_leader(tsk)) {                     @leader
		/* The leader tells its parent only once the whole group is gone. */
		autoreap = thread_group_empty(tsk) &&
			do_notify_parent(tsk, tsk->exit_signal);
	} else {
		autoreap = true;
	}

	if (autoreap) {                                     @autoreap
		tsk->exit_state = EXIT_DEAD;
		list_add(&tsk->ptrace_entry, &dead);
	}

	/* mt-exec, de_thread() is waiting for group leader */
	if (unlikely(tsk->signal->notify_count < 0))        @exec_wake
		wake_up_process(tsk->signal->group_exec_task);
	write_unlock_irq(&tasklist_lock);

	list_for_each_entry_safe(p, n, &dead, ptrace_entry) { @each
		list_del_init(&p->ptrace_entry);
		release_task(p);                                @release
	}
}                                                       @ret
`, {
  forget: (k, t, f) => k.call(t, forget_original_parent, { father: t, dead: f.locals.dead, reaper: null, why: 'init' }),
  orphaned: (k, t, f) => { if (f.locals.group_dead) kill_orphaned_pgrp(k, t.group_leader, null); },
  zombie: (k, t) => { t.exit_state = C.EXIT_ZOMBIE; t.zombie_since = k.steps; },
  leader: (k, t, f) => {
    if (t.pid === t.tgid) {
      f.locals.autoreap = thread_group_empty(t) && do_notify_parent(k, t, t.exit_signal);
      if (!f.locals.autoreap && t.exit_state === C.EXIT_ZOMBIE && thread_group_empty(t)) {
        k.emit({ time: NS_ZERO, step: 0, kind: 'zombie', pid: t.pid, parent: (t.real_parent as task_struct).pid });
      }
    } else {
      f.locals.autoreap = true;
    }
  },
  autoreap: (_k, t, f) => {
    if (f.locals.autoreap) {
      t.exit_state = C.EXIT_DEAD;
      t.zombie_since = -1;
      f.locals.dead.unshift(t);
    }
  },
  exec_wake: (k, t) => {
    const ex = t.signal.group_exec_task;
    if (t.signal.notify_count < 0 && ex) k.wake_up_process(ex, t);
  },
  each: (k, _t, f) => { if (f.locals.i >= f.locals.dead.length) k.jump(f, 'ret'); },
  release: (k, t, f) => {
    const p = f.locals.dead[f.locals.i++];
    k.call(t, release_task, { p, leader: null, zap_leader: false, by: p === t ? null : t }, null, 'each');
  },
  ret: ret0,
}, ['tsk', 'group_dead', 'autoreap']);

export function thread_group_empty(p: task_struct): boolean {
  return p.signal.nr_threads <= 1 && p.thread_node.next === p.thread_node.prev;
}

interface FopL { father: task_struct; dead: task_struct[]; reaper: task_struct | null; why: ReparentWhy }

export const forget_original_parent = kfunc<FopL>('forget_original_parent', 'kernel/exit.c', `
/*
 * Our children become orphans: hand them to a living thread of our own
 * group, else to the nearest ancestor that is a child subreaper
 * (PR_SET_CHILD_SUBREAPER), else to init (the namespace's child_reaper).
 */
static void forget_original_parent(struct task_struct *father,
					struct list_head *dead)
{
	struct task_struct *p, *t, *reaper;

	reaper = find_child_reaper(father, dead);           @child_reaper
	if (list_empty(&father->children))                  @empty
		return;

	reaper = find_new_reaper(father, reaper);           @new_reaper
	list_for_each_entry(p, &father->children, sibling) { @each
		for_each_thread(p, t) {
			RCU_INIT_POINTER(t->real_parent, reaper);
			if (likely(!t->ptrace))
				t->parent = t->real_parent;
			if (t->pdeath_signal)
				group_send_sig_info(t->pdeath_signal,
						    SEND_SIG_NOINFO, t,
						    PIDTYPE_TGID);
		}
		/*
		 * If this is a threaded reparent there is no need to
		 * notify anyone anything has happened.
		 */
		if (!same_thread_group(reaper, father))
			reparent_leader(father, p, dead);
	}
	list_splice_tail_init(&father->children, &reaper->children); @splice
}                                                       @ret
`, {
  child_reaper: (k, t, f) => k.call(t, find_child_reaper, findChildReaperLocals(f.locals.father), 'reaper'),
  empty: (k, _t, f) => { if (list_empty(f.locals.father.children)) k.jump(f, 'ret'); },
  new_reaper: (k, t, f) => {
    const r = find_new_reaper(k, f.locals.father, f.locals.reaper as task_struct);
    f.locals.reaper = r.reaper;
    f.locals.why = r.why;
  },
  each: (k, _t, f) => {
    const father = f.locals.father;
    const reaper = f.locals.reaper as task_struct;
    for (const p of list_entries(father.children)) {
      for (const t of list_entries(p.signal.thread_head)) {
        t.real_parent = reaper;
        t.parent = reaper;
        if (t.pdeath_signal) k.send_signal_to_group(t.pdeath_signal, father, t);
      }
      if (p.signal.thread_head.next === p.signal.thread_head) {
        p.real_parent = reaper;
        p.parent = reaper;
      }
      k.emit({ time: NS_ZERO, step: 0, kind: 'reparent', pid: p.pid, from: father.pid, to: reaper.pid, why: f.locals.why });
      if (reaper.tgid !== father.tgid) reparent_leader(k, father, p, f.locals.dead);
    }
  },
  splice: (_k, _t, f) => {
    const reaper = f.locals.reaper as task_struct;
    for (const p of list_entries(f.locals.father.children)) list_move_tail(p.sibling, reaper.children);
  },
  ret: ret0,
}, ['father', 'reaper']);

/** find_new_reaper: a live thread of our group, else a subreaper ancestor, else init. */
export function find_new_reaper(k: Kernel, father: task_struct, child_reaper: task_struct): { reaper: task_struct; why: ReparentWhy } {
  const thread = find_alive_thread(father);
  if (thread) return { reaper: thread, why: 'thread group' };
  if (father.signal.has_child_subreaper) {
    // Only ancestors inside our pid namespace: the search stops at its edge.
    const level = father.thread_pid.level;
    for (let r = father.real_parent; r && r !== k.init_task && r !== child_reaper && r.thread_pid.level === level; r = r.real_parent) {
      if (!r.signal.is_child_subreaper) continue;
      const alive = find_alive_thread(r);
      if (alive) return { reaper: alive, why: 'subreaper' };
    }
  }
  return { reaper: child_reaper, why: 'init' };
}

function find_alive_thread(p: task_struct): task_struct | null {
  for (const t of list_entries(p.signal.thread_head)) if (!(t.flags & C.PF_EXITING)) return t;
  return null;
}

/** reparent_leader: a zombie child is announced to its new parent, which may reap it at once. */
function reparent_leader(k: Kernel, father: task_struct, p: task_struct, dead: task_struct[]): void {
  if (p.exit_state === C.EXIT_DEAD) return;
  p.exit_signal = C.SIGCHLD;
  if (p.exit_state === C.EXIT_ZOMBIE && thread_group_empty(p)) {
    if (do_notify_parent(k, p, p.exit_signal)) {
      p.exit_state = C.EXIT_DEAD;
      p.zombie_since = -1;
      dead.push(p);
    }
  }
  kill_orphaned_pgrp(k, p, father);
}

/**
 * do_notify_parent (kernel/signal.c): SIGCHLD (or the child's exit_signal) to the parent, and a
 * wake-up of its threads sleeping in wait. Returns true when the child should be reaped at once
 * because the parent ignores SIGCHLD or set SA_NOCLDWAIT.
 */
export function do_notify_parent(k: Kernel, tsk: task_struct, sig: number): boolean {
  const parent = tsk.parent as task_struct;
  let autoreap = false;
  let s = sig;
  const psig = parent.sighand;
  if (psig && s === C.SIGCHLD) {
    const act = psig.action[C.SIGCHLD - 1];
    if (act.handler === C.SIG_IGN || (act.flags & C.SA_NOCLDWAIT)) {
      autoreap = true;
      if (act.handler === C.SIG_IGN) s = 0;
    }
  }
  if (s > 0 && s <= C._NSIG) send_signal(k, s, tsk, parent, true, false, child_siginfo(tsk, s));
  k.__wake_up_parent(parent, tsk);
  return autoreap;
}

/** The siginfo do_notify_parent sends: si_code and si_status from the child's exit_code. */
function child_siginfo(tsk: task_struct, sig: number): kernel_siginfo {
  const code = tsk.exit_code;
  const si_code = code & 0x80 ? C.CLD_DUMPED : code & 0x7f ? C.CLD_KILLED : C.CLD_EXITED;
  // The child's pid as its parent's namespace sees it.
  const si_pid = tsk.parent ? task_pid_nr_ns(tsk, task_active_pid_ns(tsk.parent)) : tsk.pid;
  return { si_signo: sig, si_code, si_pid, si_uid: tsk.cred.uid, si_status: si_code === C.CLD_EXITED ? code >> 8 : code & 0x7f };
}
