// PID namespaces (kernel/pid.c, kernel/pid_namespace.c, kernel/nsproxy.c): struct pid with one
// upid per level, the numbers a task has as seen from each namespace, and the namespaces' birth
// (copy_pid_ns on the unshare and clone paths). Their end, zap_pid_namespace, is in pidns-exit.ts.

import * as C from './consts';
import { kfunc } from './frame';
import type { Kernel } from './kernel';
import { PidBitmap, PidHash } from './pidhash';
import { kaddr, type nsproxy, type pid, type pid_namespace, type task_struct } from './task';

/** A namespace with its own IDR and pid hash (the initial one shares the kernel's tables). */
export function newPidNamespace(parent: pid_namespace | null, pid_max: number, idr = new PidBitmap(), hash = new PidHash()): pid_namespace {
  return {
    type: 'pid_namespace', addr: kaddr(184), level: parent ? parent.level + 1 : 0, parent, idr, hash,
    last_pid: 0, pid_max, pid_allocated: C.PIDNS_ADDING, child_reaper: null,
  };
}

export function newNsproxy(pid_ns: pid_namespace): nsproxy {
  return { type: 'nsproxy', addr: kaddr(72), count: 1, pid_ns_for_children: pid_ns };
}

/** A struct pid with the number of each level, innermost namespace `ns`, numbers from level 0. */
export function newPid(ns: pid_namespace, nrs: number[]): pid {
  const numbers = [];
  let n: pid_namespace | null = ns;
  for (let i = ns.level; i >= 0 && n; i--, n = n.parent) numbers[i] = { nr: nrs[i], ns: n };
  return { type: 'pid', addr: kaddr(128), level: ns.level, numbers };
}

/** task_active_pid_ns: the namespace the task sees pids in (its own pid's innermost level). */
export function task_active_pid_ns(t: task_struct): pid_namespace {
  return t.thread_pid.numbers[t.thread_pid.level].ns;
}

/** pid_nr_ns: the number of pid in ns, 0 when the pid is not visible there. */
export function pid_nr_ns(p: pid, ns: pid_namespace): number {
  if (ns.level > p.level) return 0;
  const u = p.numbers[ns.level];
  return u.ns === ns ? u.nr : 0;
}

/** task_pid_nr_ns: the thread's id as a task of namespace ns sees it. */
export function task_pid_nr_ns(t: task_struct, ns: pid_namespace): number {
  return pid_nr_ns(t.thread_pid, ns);
}

/** task_tgid_nr_ns: the process id (the group leader's pid) as namespace ns sees it. */
export function task_tgid_nr_ns(t: task_struct, ns: pid_namespace): number {
  return pid_nr_ns(t.group_leader.thread_pid, ns);
}

/** task_pid_vnr / task_tgid_vnr: as seen from `viewer`'s (current's) namespace. */
export function task_pid_vnr(t: task_struct, viewer: task_struct): number {
  return task_pid_nr_ns(t, task_active_pid_ns(viewer));
}
export function task_tgid_vnr(t: task_struct, viewer: task_struct): number {
  return task_tgid_nr_ns(t, task_active_pid_ns(viewer));
}

/** find_task_by_pid_ns: the task that has number nr in ns. */
export function find_task_by_pid_ns(nr: number, ns: pid_namespace): task_struct | null {
  return ns.hash.get(nr) ?? null;
}

/** is_child_reaper: the pid is 1 in its innermost namespace. */
export function is_child_reaper(p: pid): boolean {
  return p.numbers[p.level].nr === 1;
}

/** attach_pid(p, PIDTYPE_PID): the task is found under its number at every level. */
export function attach_pid(p: task_struct): void {
  for (const u of p.thread_pid.numbers) u.ns.hash.set(u.nr, p);
}

/**
 * free_pid: each level's number goes back to its IDR. When only the init of a namespace is left
 * in it, the init (sleeping in zap_pid_namespace) is woken.
 */
export function free_pid(k: Kernel, t: task_struct): void {
  const p = t.thread_pid;
  for (const u of p.numbers) {
    const ns = u.ns;
    if (ns.hash.get(u.nr) === t) ns.hash.delete(u.nr);
    ns.idr.delete(u.nr);
    ns.pid_allocated--;
    if ((ns.pid_allocated === 2 || ns.pid_allocated === 1) && ns.child_reaper) k.wake_up_process(ns.child_reaper, t);
    else if (ns.pid_allocated === C.PIDNS_ADDING) ns.pid_allocated = 0;
  }
}

/** idr_alloc_cyclic over [pid_min, pid_max) of one namespace: the first free number after its cursor. */
export function idr_alloc_cyclic(ns: pid_namespace): number {
  const max = ns.pid_max;
  const min = ns.last_pid >= C.RESERVED_PIDS ? C.RESERVED_PIDS : 1;
  let nr = ns.last_pid + 1;
  for (let n = 0; n < max; n++) {
    if (nr >= max) nr = min;
    if (!ns.idr.has(nr)) {
      ns.last_pid = nr;
      ns.idr.add(nr);
      return nr;
    }
    nr++;
  }
  return -1;
}

interface CpnL { flags: number; old_ns: pid_namespace }

export const copy_pid_ns = kfunc<CpnL>('copy_pid_ns', 'kernel/pid_namespace.c', `
/* The namespace the new children of a task go to: the same, or a new one below it. */
struct pid_namespace *copy_pid_ns(unsigned long flags,
	struct user_namespace *user_ns, struct pid_namespace *old_ns)
{
	if (!(flags & CLONE_NEWPID))                        @flags
		return get_pid_ns(old_ns);
	/* unshare(CLONE_NEWPID) twice, with no child in between */
	if (task_active_pid_ns(current) != old_ns)          @active
		return ERR_PTR(-EINVAL);
	return create_pid_namespace(user_ns, old_ns);       @create @ret
}
`, {
  flags: (k, t, f) => { if (!(f.locals.flags & C.CLONE_NEWPID)) k.ret(t, 0, f.locals.old_ns); },
  active: (k, t, f) => { if (task_active_pid_ns(t) !== f.locals.old_ns) k.ret(t, -C.EINVAL, null); },
  create: (k, t, f) => k.call(t, create_pid_namespace, { parent_pid_ns: f.locals.old_ns, level: 0, err: 0, ns: null }),
  ret: (k, t, f) => k.ret(t, f.ret, f.retp),
}, ['flags', 'old_ns']);

interface CrL { parent_pid_ns: pid_namespace; level: number; err: number; ns: pid_namespace | null }

export const create_pid_namespace = kfunc<CrL>('create_pid_namespace', 'kernel/pid_namespace.c', `
static struct pid_namespace *create_pid_namespace(struct user_namespace *user_ns,
	struct pid_namespace *parent_pid_ns)
{
	struct pid_namespace *ns;
	unsigned int level = parent_pid_ns->level + 1;      @level
	int err;

	err = -ENOSPC;
	if (level > MAX_PID_NS_LEVEL)                       @max
		goto out;

	err = -ENOMEM;
	ns = kmem_cache_zalloc(pid_ns_cachep, GFP_KERNEL);  @alloc
	idr_init(&ns->idr);
	/* Linux 6.14+: each namespace has its own pid_max (its numbers are
	 * also bounded by the ancestors' pid_max, at their own levels). */
	ns->pid_max = PID_MAX_LIMIT;
	ns->level = level;
	ns->parent = get_pid_ns(parent_pid_ns);
	ns->user_ns = get_user_ns(user_ns);
	/* No number handed out yet; tasks may enter until its init dies. */
	ns->pid_allocated = PIDNS_ADDING;
	return ns;                                          @ret

out:
	return ERR_PTR(err);                                @out
}
`, {
  level: (_k, _t, f) => { f.locals.level = f.locals.parent_pid_ns.level + 1; },
  max: (k, _t, f) => { f.locals.err = -C.ENOSPC; if (f.locals.level > C.MAX_PID_NS_LEVEL) k.jump(f, 'out'); },
  alloc: (_k, _t, f) => {
    f.locals.err = -C.ENOMEM;
    f.locals.ns = newPidNamespace(f.locals.parent_pid_ns, C.PID_MAX_LIMIT);
  },
  ret: (k, t, f) => k.ret(t, 0, f.locals.ns),
  out: (k, t, f) => k.ret(t, f.locals.err, null),
}, ['level', 'err', 'ns']);

interface CnnL { flags: number; tsk: task_struct; new_nsp: nsproxy | null }

export const create_new_namespaces = kfunc<CnnL>('create_new_namespaces', 'kernel/nsproxy.c', `
/* A new nsproxy: each namespace the flags name is new, the others are shared. */
static struct nsproxy *create_new_namespaces(unsigned long flags,
	struct task_struct *tsk, struct user_namespace *user_ns,
	struct fs_struct *new_fs)
{
	struct nsproxy *new_nsp;
	int err;

	new_nsp = create_nsproxy();                         @alloc
	/* (the mount, uts, ipc, net, cgroup and time namespaces: not modelled) */
	new_nsp->pid_ns_for_children =
		copy_pid_ns(flags, user_ns, tsk->nsproxy->pid_ns_for_children); @pid
	if (IS_ERR(new_nsp->pid_ns_for_children)) {         @pid_check
		err = PTR_ERR(new_nsp->pid_ns_for_children);
		goto out_pid;
	}
	return new_nsp;                                     @ret

out_pid:
	kmem_cache_free(nsproxy_cachep, new_nsp);
	return ERR_PTR(err);                                @out
}
`, {
  alloc: (_k, t, f) => { f.locals.new_nsp = newNsproxy(f.locals.tsk.nsproxy.pid_ns_for_children); void t; },
  pid: (k, t, f) => k.call(t, copy_pid_ns, { flags: f.locals.flags, old_ns: f.locals.tsk.nsproxy.pid_ns_for_children }),
  pid_check: (k, _t, f) => {
    if (f.retp === null) { k.jump(f, 'out'); return; }
    (f.locals.new_nsp as nsproxy).pid_ns_for_children = f.retp as pid_namespace;
  },
  ret: (k, t, f) => k.ret(t, 0, f.locals.new_nsp),
  out: (k, t, f) => k.ret(t, f.ret, null),
}, ['flags', 'new_nsp']);

interface CnL { flags: number; tsk: task_struct }

/** Any of the CLONE_NEW* flags (CLONE_NEWNS, UTS, IPC, PID, NET, CGROUP, TIME). */
const CLONE_NEW_ANY = 0x00020000 | 0x04000000 | 0x08000000 | C.CLONE_NEWPID | 0x40000000 | 0x02000000 | 0x00000080;

/** capable(CAP_SYS_ADMIN) in the task's user namespace: root (the model has no capability sets). */
function ns_capable_sys_admin(t: task_struct): boolean {
  return t.cred.euid === 0;
}

export const copy_namespaces = kfunc<CnL>('copy_namespaces', 'kernel/nsproxy.c', `
/* copy_process: the child shares its parent's nsproxy unless clone asks for new namespaces. */
int copy_namespaces(unsigned long flags, struct task_struct *tsk)
{
	struct nsproxy *old_ns = tsk->nsproxy;
	struct user_namespace *user_ns = task_cred_xxx(tsk, user_ns);
	struct nsproxy *new_ns;

	if (likely(!(flags & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
			      CLONE_NEWPID | CLONE_NEWNET |
			      CLONE_NEWCGROUP | CLONE_NEWTIME)))) {   @flags
		get_nsproxy(old_ns);
		return 0;
	} else if (!ns_capable(user_ns, CAP_SYS_ADMIN))     @capable
		return -EPERM;

	new_ns = create_new_namespaces(flags, tsk, user_ns, tsk->fs); @create
	if (IS_ERR(new_ns))                                 @check
		return  PTR_ERR(new_ns);

	tsk->nsproxy = new_ns;                              @set
	return 0;
}                                                       @ret
`, {
  flags: (k, t, f) => {
    if (!(f.locals.flags & CLONE_NEW_ANY)) { f.locals.tsk.nsproxy.count++; k.ret(t, 0); }
  },
  capable: (k, t, f) => { if (!ns_capable_sys_admin(f.locals.tsk)) k.ret(t, -C.EPERM); },
  create: (k, t, f) => k.call(t, create_new_namespaces, { flags: f.locals.flags, tsk: f.locals.tsk, new_nsp: null }),
  check: (k, t, f) => { if (f.retp === null) k.ret(t, f.ret); },
  set: (_k, _t, f) => { f.locals.tsk.nsproxy = f.retp as nsproxy; },
  ret: (k, t) => k.ret(t, 0),
}, ['flags']);

interface UnL { unshare_flags: number; err: number; new_nsproxy: nsproxy | null }

export const __x64_sys_unshare = kfunc<UnL>('__x64_sys_unshare', 'kernel/fork.c', `
/*
 * unshare(CLONE_NEWPID): the caller keeps its pid and namespace; the children
 * it creates from now on go into a new pid namespace, the first as its init.
 * (ksys_unshare, reduced to the pid namespace.)
 */
SYSCALL_DEFINE1(unshare, unsigned long, unshare_flags)
{
	struct nsproxy *new_nsproxy = NULL;
	int err;

	err = check_unshare_flags(unshare_flags);           @check
	if (err)
		goto bad_unshare_out;

	/* unshare_nsproxy_namespaces: */
	if (!ns_capable(current_user_ns(), CAP_SYS_ADMIN)) { @capable
		err = -EPERM;
		goto bad_unshare_out;
	}
	new_nsproxy = create_new_namespaces(unshare_flags, current, user_ns, fs); @create
	if (IS_ERR(new_nsproxy)) {                          @created
		err = PTR_ERR(new_nsproxy);
		goto bad_unshare_out;
	}

	switch_task_namespaces(current, new_nsproxy);       @switch

bad_unshare_out:
	return err;                                         @ret
}
`, {
  check: (k, _t, f) => {
    // check_unshare_flags: only known flags; here only CLONE_NEWPID is modelled.
    if (f.locals.unshare_flags & ~C.CLONE_NEWPID) { f.locals.err = -C.EINVAL; k.jump(f, 'ret'); return; }
    if (!f.locals.unshare_flags) k.jump(f, 'ret');
  },
  capable: (k, t, f) => { if (!ns_capable_sys_admin(t)) { f.locals.err = -C.EPERM; k.jump(f, 'ret'); } },
  create: (k, t, f) => k.call(t, create_new_namespaces, { flags: f.locals.unshare_flags, tsk: t, new_nsp: null }),
  created: (k, _t, f) => {
    if (f.retp === null) { f.locals.err = f.ret; k.jump(f, 'ret'); return; }
    f.locals.new_nsproxy = f.retp as nsproxy;
  },
  switch: (_k, t, f) => {
    t.nsproxy.count--;
    t.nsproxy = f.locals.new_nsproxy as nsproxy;
  },
  ret: (k, t, f) => k.ret(t, f.locals.err),
}, ['unshare_flags', 'err']);
