// The copy_* helpers of copy_process (kernel/fork.c, kernel/cred.c, arch/x86/kernel/process.c)
// and alloc_pid (kernel/pid.c). Each one shares or duplicates one resource of the parent.

import { dup_fd } from './file';
import * as C from './consts';
import { ret0, nop, kfunc } from './frame';
import { blankTask, newMm, newSighand, newSignal } from './objects';
import { kaddr, type mm_struct, type pid_namespace, type task_struct } from './task';
import { idr_alloc_cyclic, newPid } from './pidns';
import type { kernel_clone_args } from './fork';

interface DupL { orig: task_struct; tsk: task_struct | null; kthread: boolean }

export const dup_task_struct = kfunc<DupL>('dup_task_struct', 'kernel/fork.c', `
static struct task_struct *dup_task_struct(struct task_struct *orig, int node)
{
	struct task_struct *tsk;
	int err;

	tsk = alloc_task_struct_node(node);                 @alloc
	if (!tsk)
		return NULL;

	err = arch_dup_task_struct(tsk, orig);              @copy
	/* The new task gets its own kernel stack and thread_info. */
	err = alloc_thread_stack_node(tsk, node);           @stack

	clear_tsk_need_resched(tsk);
	refcount_set(&tsk->usage, 1);
	tsk->worker_private = NULL;
	return tsk;                                         @ret
}
`, {
  alloc: (_k, t, f) => { f.locals.tsk = blankTask(t.signal, t.cred); },
  copy: (_k, t, f) => {
    const p = f.locals.tsk as task_struct;
    // *tsk = *orig: every scalar and pointer is copied; lists are re-initialised below.
    p.__state = t.__state; p.flags = t.flags; p.comm = t.comm; p.prio = t.prio;
    p.static_prio = t.static_prio; p.normal_prio = t.normal_prio; p.se.load.weight = t.se.load.weight;
    p.policy = t.policy; p.rt_priority = t.rt_priority; p.cpus_mask = t.cpus_mask; p.nr_cpus_allowed = t.nr_cpus_allowed;
    p.se.vruntime = t.se.vruntime; p.cpu = t.cpu; p.mm = t.mm; p.active_mm = t.active_mm;
    p.files = t.files; p.fs = t.fs; p.signal = t.signal; p.sighand = t.sighand;
    p.blocked = t.blocked.slice(); p.real_cred = t.real_cred; p.cred = t.cred;
    p.pdeath_signal = t.pdeath_signal; p.exit_signal = t.exit_signal;
    p.real_parent = t.real_parent; p.parent = t.parent; p.group_leader = t.group_leader;
    p.tgid = t.tgid; p.pid = t.pid; p.thread_pid = t.thread_pid; p.nsproxy = t.nsproxy;
  },
  stack: (_k, _t, f) => {
    const p = f.locals.tsk as task_struct;
    p.stack = [];
    p.thread_info = { flags: 0, syscall_work: 0, preempt_count: 0 };
    p.usage = 1;
    p.worker_private = null;
    p.vm_base = f.locals.kthread ? -1 : 0;
  },
  ret: (k, t, f) => k.ret(t, 0, f.locals.tsk),
}, ['orig', 'tsk']);

interface CredL { p: task_struct; clone_flags: number }

export const copy_creds = kfunc<CredL>('copy_creds', 'kernel/cred.c', `
/*
 * Threads share their credentials; a new process gets its own copy. Either
 * way the user's count of tasks (what RLIMIT_NPROC limits) goes up by one.
 */
int copy_creds(struct task_struct *p, unsigned long clone_flags)
{
	struct cred *new;

	if (clone_flags & CLONE_THREAD) {                   @thread
		p->real_cred = get_cred(p->cred);
		get_cred(p->cred);
		inc_rlimit_ucounts(task_ucounts(p), UCOUNT_RLIMIT_NPROC, 1);
		return 0;
	}

	new = prepare_creds();                              @prepare
	p->cred = p->real_cred = get_cred(new);
	inc_rlimit_ucounts(task_ucounts(p), UCOUNT_RLIMIT_NPROC, 1);
	return 0;                                           @ret
}
`, {
  thread: (k, t, f) => {
    const p = f.locals.p;
    if (f.locals.clone_flags & C.CLONE_THREAD) {
      p.cred.usage += 2;
      p.cred.user.processes++;
      k.ret(t, 0);
    }
  },
  prepare: (_k, _t, f) => {
    const p = f.locals.p;
    const old = p.cred;
    const n = { type: 'cred' as const, addr: kaddr(184), usage: 2, uid: old.uid, euid: old.euid, user: old.user };
    p.cred = p.real_cred = n;
    n.user.processes++;
  },
  ret: ret0,
}, ['p', 'clone_flags']);

interface CopyL { clone_flags: number; tsk: task_struct }

export const copy_files = kfunc<CopyL>('copy_files', 'kernel/fork.c', `
static int copy_files(unsigned long clone_flags, struct task_struct *tsk,
		      int no_files)
{
	struct files_struct *oldf, *newf;

	oldf = current->files;                              @old
	if (!oldf)
		return 0;

	if (clone_flags & CLONE_FILES) {                    @share
		atomic_inc(&oldf->count);
		return 0;
	}

	newf = dup_fd(oldf, NR_OPEN_MAX, &error);           @dup
	tsk->files = newf;
	return 0;                                           @ret
}
`, {
  old: (k, t, f) => { if (!t.files) { f.locals.tsk.files = null; k.ret(t, 0); } },
  share: (k, t, f) => {
    if (f.locals.clone_flags & C.CLONE_FILES && t.files) { t.files.count++; f.locals.tsk.files = t.files; k.ret(t, 0); }
  },
  dup: (_k, t, f) => { f.locals.tsk.files = dup_fd(t.files as NonNullable<task_struct['files']>); },
  ret: ret0,
}, ['clone_flags', 'tsk']);

export const copy_fs = kfunc<CopyL>('copy_fs', 'kernel/fork.c', `
static int copy_fs(unsigned long clone_flags, struct task_struct *tsk)
{
	struct fs_struct *fs = current->fs;                 @old
	if (clone_flags & CLONE_FS) {                       @share
		spin_lock(&fs->lock);
		fs->users++;
		spin_unlock(&fs->lock);
		return 0;
	}
	tsk->fs = copy_fs_struct(fs);                       @copy
	return 0;                                           @ret
}
`, {
  old: (k, t, f) => { if (!t.fs) { f.locals.tsk.fs = null; k.ret(t, 0); } },
  share: (k, t, f) => {
    if (f.locals.clone_flags & C.CLONE_FS && t.fs) { t.fs.users++; f.locals.tsk.fs = t.fs; k.ret(t, 0); }
  },
  copy: (_k, t, f) => {
    const old = t.fs as NonNullable<task_struct['fs']>;
    f.locals.tsk.fs = { type: 'fs_struct', addr: kaddr(56), users: 1, root: old.root, pwd: old.pwd, umask: old.umask };
  },
  ret: ret0,
}, ['clone_flags', 'tsk']);

export const copy_sighand = kfunc<CopyL>('copy_sighand', 'kernel/fork.c', `
static int copy_sighand(unsigned long clone_flags, struct task_struct *tsk)
{
	struct sighand_struct *sig;

	if (clone_flags & CLONE_SIGHAND) {                  @share
		refcount_inc(&current->sighand->count);
		return 0;
	}
	sig = kmem_cache_alloc(sighand_cachep, GFP_KERNEL); @alloc
	RCU_INIT_POINTER(tsk->sighand, sig);
	refcount_set(&sig->count, 1);
	spin_lock_irq(&current->sighand->siglock);
	memcpy(sig->action, current->sighand->action, sizeof(sig->action));
	spin_unlock_irq(&current->sighand->siglock);

	/* Reset all signal handler not set to SIG_IGN to SIG_DFL. */
	if (clone_flags & CLONE_CLEAR_SIGHAND)
		flush_signal_handlers(tsk, 0);
	return 0;                                           @ret
}
`, {
  share: (k, t, f) => {
    if (f.locals.clone_flags & C.CLONE_SIGHAND && t.sighand) { t.sighand.count++; f.locals.tsk.sighand = t.sighand; k.ret(t, 0); }
  },
  alloc: (_k, t, f) => {
    f.locals.tsk.sighand = newSighand(t.sighand ? t.sighand.action : null);
  },
  ret: ret0,
}, ['clone_flags', 'tsk']);

export const copy_signal = kfunc<CopyL>('copy_signal', 'kernel/fork.c', `
static int copy_signal(unsigned long clone_flags, struct task_struct *tsk)
{
	struct signal_struct *sig;

	if (clone_flags & CLONE_THREAD)                     @thread
		return 0;

	sig = kmem_cache_zalloc(signal_cachep, GFP_KERNEL); @alloc
	tsk->signal = sig;
	sig->nr_threads = 1;
	atomic_set(&sig->live, 1);
	refcount_set(&sig->sigcnt, 1);
	sig->thread_head = (struct list_head)LIST_HEAD_INIT(tsk->thread_node);
	init_waitqueue_head(&sig->wait_chldexit);
	sig->curr_target = tsk;
	memcpy(sig->rlim, current->signal->rlim, sizeof sig->rlim);
	sig->oom_score_adj = current->signal->oom_score_adj;
	return 0;                                           @ret
}
`, {
  thread: (k, t, f) => { if (f.locals.clone_flags & C.CLONE_THREAD) { f.locals.tsk.signal = t.signal; k.ret(t, 0); } },
  alloc: (_k, t, f) => {
    const lim = t.signal.rlim_nproc;
    f.locals.tsk.signal = newSignal(lim.rlim_cur, lim.rlim_max);
    f.locals.tsk.signal.rlim_nofile = { ...t.signal.rlim_nofile };
  },
  ret: ret0,
}, ['clone_flags', 'tsk']);

interface MmL { clone_flags: number; tsk: task_struct; oldmm: mm_struct | null; mm: mm_struct | null }

export const copy_mm = kfunc<MmL>('copy_mm', 'kernel/fork.c', `
static int copy_mm(unsigned long clone_flags, struct task_struct *tsk)
{
	struct mm_struct *mm, *oldmm;

	tsk->mm = NULL;
	tsk->active_mm = NULL;

	/* A kernel thread has no address space of its own. */
	oldmm = current->mm;                                @old
	if (!oldmm)
		return 0;

	if (clone_flags & CLONE_VM) {                       @share
		mmget(oldmm);
		mm = oldmm;
	} else {
		mm = dup_mm(tsk, current->mm);                  @dup
		if (!mm)                                        @nomem
			return -ENOMEM;
	}

	tsk->mm = mm;                                       @set
	tsk->active_mm = mm;
	return 0;                                           @ret
}
`, {
  old: (k, t, f) => {
    f.locals.tsk.mm = null;
    f.locals.tsk.active_mm = null;
    f.locals.oldmm = t.mm;
    if (!t.mm) k.ret(t, 0);
  },
  share: (k, t, f) => {
    const old = f.locals.oldmm as mm_struct;
    if (f.locals.clone_flags & C.CLONE_VM) { old.mm_users++; f.locals.mm = old; f.locals.tsk.mm = f.locals.tsk.active_mm = old; k.jump(f, 'set'); }
  },
  dup: (k, t, f) => k.call(t, dup_mm, { tsk: f.locals.tsk, oldmm: f.locals.oldmm as mm_struct, mm: null }),
  nomem: (k, t, f) => {
    const mm = f.retp as mm_struct | null;
    f.locals.mm = mm;
    if (mm === null) k.ret(t, -C.ENOMEM);
  },
  set: (_k, _t, f) => {
    const mm = f.locals.mm as mm_struct;
    f.locals.tsk.mm = mm;
    f.locals.tsk.active_mm = mm;
  },
  ret: ret0,
}, ['clone_flags', 'tsk', 'oldmm', 'mm']);

interface DupMmL { tsk: task_struct; oldmm: mm_struct; mm: mm_struct | null }

export const dup_mm = kfunc<DupMmL>('dup_mm', 'kernel/fork.c', `
/*
 * A private copy of the parent's address space. The real kernel shares the
 * pages copy-on-write; the copy the child sees is the same.
 */
static struct mm_struct *dup_mm(struct task_struct *tsk,
				struct mm_struct *oldmm)
{
	struct mm_struct *mm;
	int err;

	mm = allocate_mm();                                 @alloc
	memcpy(mm, oldmm, sizeof(*mm));
	if (!mm_init(mm, tsk, mm->user_ns))
		goto fail_nomem;

	err = dup_mmap(mm, oldmm);                          @mmap
	if (err)
		goto free_pt;
	mm->hiwater_rss = get_mm_rss(mm);
	mm->hiwater_vm = mm->total_vm;
	return mm;                                          @ret

free_pt:
	/* No memory for the copy: the new mm goes away. */
	mm->binfmt = NULL;
	mm_init_owner(mm, NULL);
	mmput(mm);                                          @free_pt

fail_nomem:
	return NULL;
}
`, {
  alloc: (_k, _t, f) => { f.locals.mm = newMm(f.locals.oldmm.exe, null, f.locals.oldmm.argv, f.locals.oldmm.envp); },
  mmap: (k, _t, f) => {
    const mm = f.locals.mm as mm_struct;
    const from = f.locals.oldmm.memory;
    mm.memory = from ? from.clone() : null;
    if (from && !mm.memory) k.jump(f, 'free_pt');
  },
  ret: (k, t, f) => k.ret(t, 0, f.locals.mm),
  free_pt: (k, t, f) => { f.locals.mm = null; k.ret(t, 0, null); },
}, ['tsk', 'oldmm', 'mm']);

interface ThrL { p: task_struct; args: kernel_clone_args }

export const copy_thread = kfunc<ThrL>('copy_thread', 'arch/x86/kernel/process.c', `
int copy_thread(struct task_struct *p, const struct kernel_clone_args *args)
{
	unsigned long clone_flags = args->flags;
	struct pt_regs *childregs;

	childregs = task_pt_regs(p);                        @regs
	frame->ret_addr = (unsigned long) ret_from_fork_asm;
	p->thread.sp = (unsigned long) fork_frame;

	if (unlikely(p->flags & PF_KTHREAD)) {              @kthread
		/* Kernel thread: starts in the function it was created for. */
		kthread_frame_init(frame, args->fn, args->fn_arg);
		return 0;
	}

	/* The child's registers are the parent's, but fork() returns 0 in it. */
	*childregs = *current_pt_regs();                    @copy
	childregs->ax = 0;
	if (args->fn) {
		/* pthread_create: the new thread starts in its start routine. */
		childregs->sp = args->stack;
		childregs->ip = (unsigned long) args->fn;
	}
	return 0;                                           @ret
}
`, {
  // The frame the child will return through is prepared here.
  regs: nop,
  kthread: (k, t, f) => {
    const p = f.locals.p;
    if (p.flags & C.PF_KTHREAD) {
      p.thread.regs = null;
      // ret_from_fork will enter the thread function on the child's own kernel stack.
      const kf = f.locals.args.kframe;
      if (kf) k.call(p, kf.fn, kf.locals);
      p.vm_base = -1;
      k.ret(t, 0);
    }
  },
  copy: (k, t, f) => {
    const p = f.locals.p;
    const a = f.locals.args;
    if (a.fn && p.mm && p.mm.memory) {
      p.thread.regs = k.user.threadRegs(p.mm.memory, a.fn, a.fn_arg, a.tls);
    } else {
      p.thread.regs = k.user.copyRegs(t, p);
    }
  },
  ret: ret0,
}, ['p']);

interface PidL { ns: pid_namespace; tmp: pid_namespace; i: number; nr: number; retval: number; numbers: number[] }

export function allocPidLocals(ns: pid_namespace): PidL {
  return { ns, tmp: ns, i: ns.level, nr: 0, retval: 0, numbers: [] };
}

export const alloc_pid = kfunc<PidL>('alloc_pid', 'kernel/pid.c', `
/*
 * One number in each pid namespace from the task's own (ns) up to the initial
 * one: the task is pid 1 in a new namespace and some other number in each of
 * its ancestors. Each level takes the next free number after the last one it
 * handed out, wrapping to RESERVED_PIDS (300) once its pid_max is reached;
 * when every number is taken, fork fails with EAGAIN.
 */
struct pid *alloc_pid(struct pid_namespace *ns, pid_t *set_tid,
		      size_t set_tid_size)
{
	struct pid *pid;
	struct pid_namespace *tmp;
	struct upid *upid;
	int i, nr, retval = -ENOMEM;

	pid = kmem_cache_alloc(ns->pid_cachep, GFP_KERNEL); @alloc
	tmp = ns;
	pid->level = ns->level;

	for (i = ns->level; i >= 0; i--) {                  @level
		int pid_min = 1;

		idr_preload(GFP_KERNEL);
		spin_lock_irq(&pidmap_lock);
		/* Cyclic: start after the last pid; wrap to RESERVED_PIDS. */
		if (idr_get_cursor(&tmp->idr) > RESERVED_PIDS)
			pid_min = RESERVED_PIDS;
		nr = idr_alloc_cyclic(&tmp->idr, NULL, pid_min,
				      tmp->pid_max, GFP_ATOMIC);        @idr
		spin_unlock_irq(&pidmap_lock);
		idr_preload_end();

		if (nr < 0) {                                   @check
			retval = (nr == -ENOSPC) ? -EAGAIN : nr;
			goto out_free;
		}

		pid->numbers[i].nr = nr;                        @number
		pid->numbers[i].ns = tmp;
		tmp = tmp->parent;
	}

	upid = pid->numbers + ns->level;
	spin_lock_irq(&pidmap_lock);
	/* The namespace's init has died: nobody may enter it any more. */
	if (!(ns->pid_allocated & PIDNS_ADDING))            @adding
		goto out_unlock;
	for ( ; upid >= pid->numbers; --upid) {             @hash
		/* Make the PID visible to find_pid_ns. */
		idr_replace(&upid->ns->idr, pid, upid->nr);
		upid->ns->pid_allocated++;
	}
	spin_unlock_irq(&pidmap_lock);
	return pid;                                         @ret

out_unlock:
	spin_unlock_irq(&pidmap_lock);
out_free:
	/* The numbers taken at the levels below are given back. */
	while (++i <= ns->level) {                          @out_free
		upid = pid->numbers + i;
		idr_remove(&upid->ns->idr, upid->nr);
	}
	return ERR_PTR(retval);                             @out
}
`, {
  // struct pid comes from its slab cache.
  alloc: (_k, _t, f) => { f.locals.tmp = f.locals.ns; f.locals.retval = -C.ENOMEM; },
  level: (k, _t, f) => { if (f.locals.i < 0) k.jump(f, 'adding'); },
  idr: (_k, _t, f) => { f.locals.nr = idr_alloc_cyclic(f.locals.tmp); },
  check: (k, _t, f) => { if (f.locals.nr < 0) { f.locals.retval = -C.EAGAIN; k.jump(f, 'out_free'); } },
  number: (k, _t, f) => {
    f.locals.numbers[f.locals.i] = f.locals.nr;
    f.locals.i--;
    f.locals.tmp = f.locals.tmp.parent as pid_namespace;
    k.jump(f, 'level');
  },
  adding: (k, _t, f) => {
    if (!(f.locals.ns.pid_allocated & C.PIDNS_ADDING)) { f.locals.retval = -C.ENOMEM; k.jump(f, 'out_free'); }
  },
  hash: (_k, _t, f) => {
    for (let n: pid_namespace | null = f.locals.ns; n; n = n.parent) n.pid_allocated++;
  },
  ret: (k, t, f) => k.ret(t, f.locals.numbers[0], newPid(f.locals.ns, f.locals.numbers)),
  out_free: (_k, _t, f) => {
    let n: pid_namespace | null = f.locals.ns;
    for (let i = f.locals.ns.level; n; i--, n = n.parent) if (i > f.locals.i) n.idr.delete(f.locals.numbers[i]);
  },
  out: (k, t, f) => k.ret(t, f.locals.retval, null),
}, ['i', 'nr', 'retval']);

