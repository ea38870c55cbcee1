// kernel/kthread.c: kthreadd creating kernel threads on request (kthread_create_list), the new
// thread's trampoline kthread(), kthread_stop/kthread_should_stop, and the completions they use.

import * as C from './consts';
import { retCallee, ret0, kfunc } from './frame';
import type { Kernel } from './kernel';
import type { kthread_create_info } from './kernel-state';
import type { completion, kthread, task_struct } from './task';
import { cloneArgs, kernel_clone } from './fork';
import { set_sigaction } from './objects';
import { do_exit } from './exit';
import { put_task_struct } from './release';
import { wake_up_process } from './sched';
import type { Value } from '../vm/types';

/** complete(): one more "done", and the first waiter wakes. */
export function complete(k: Kernel, x: completion, by: task_struct): void {
  x.done++;
  for (const w of x.waiters) { x.waiters.delete(w); k.try_to_wake_up(w, C.TASK_NORMAL, by); break; }
}

interface WfcL { x: completion; state: number }

export const wait_for_completion = kfunc<WfcL>('wait_for_completion', 'kernel/sched/completion.c', `
/* Sleeps (uninterruptibly, or killable) until complete() has been called on x. */
void __sched wait_for_completion(struct completion *x)
{
	/* wait_for_common() -> do_wait_for_common(), inlined: */
	if (!x->done) {                                     @check
		DECLARE_WAITQUEUE(wait, current);

		__add_wait_queue_entry_tail_exclusive(&x->wait, &wait);
		do {
			__set_current_state(state);                 @state
			schedule();                                 @schedule
		} while (!x->done);                             @again
		__remove_wait_queue(&x->wait, &wait);
	}
	if (x->done != UINT_MAX)
		x->done--;                                      @done
}                                                       @ret
`, {
  check: (k, _t, f) => { if (f.locals.x.done > 0) k.jump(f, 'done'); },
  state: (_k, t, f) => { f.locals.x.waiters.add(t); t.__state = f.locals.state; },
  schedule: (k, t) => k.schedule(t),
  again: (k, t, f) => {
    if (f.locals.x.done > 0) { f.locals.x.waiters.delete(t); t.__state = C.TASK_RUNNING; return; }
    if ((f.locals.state & C.TASK_WAKEKILL) && k.fatal_signal_pending(t)) { f.locals.x.waiters.delete(t); t.__state = C.TASK_RUNNING; k.ret(t, -C.ERESTARTSYS); return; }
    k.jump(f, 'state');
  },
  done: (_k, _t, f) => { f.locals.x.done--; },
  ret: ret0,
}, ['x', 'state']);

interface KcoL { threadfn: string; data: Value; namefmt: string; create: kthread_create_info | null; wake: boolean }

export function kthreadCreateLocals(threadfn: string, data: Value, namefmt: string, wake: boolean): KcoL {
  return { threadfn, data, namefmt, create: null, wake };
}

export const kthread_run = kfunc<KcoL>('kthread_run', 'include/linux/kthread.h', `
/* A macro: create the thread (asleep), then wake it, in one expression. */
#define kthread_run(threadfn, data, namefmt, ...)			   \\
({									   \\
	struct task_struct *__k						   \\
		= kthread_create(threadfn, data, namefmt, ## __VA_ARGS__); \\ @create
	if (!IS_ERR(__k))						   \\ @check
		wake_up_process(__k);					   \\ @wake
	__k;								   \\ @ret
})
`, {
  create: (k, t, f) => k.call(t, kthread_create_on_node, { ...f.locals }),
  check: (k, _t, f) => {
    (f.locals as KcoL & { k?: task_struct | null }).k = f.retp as task_struct | null;
    if (!f.retp) { (f.locals as KcoL & { err?: number }).err = f.ret; k.jump(f, 'ret'); }
  },
  wake: (k, t, f) => k.call(t, wake_up_process, { p: (f.locals as KcoL & { k?: task_struct | null }).k ?? null }),
  ret: (k, t, f) => {
    const L = f.locals as KcoL & { k?: task_struct | null; err?: number };
    if (L.k) k.ret(t, L.k.pid, L.k); else k.ret(t, L.err ?? -C.ENOMEM);
  },
}, ['threadfn', 'namefmt']);

export const kthread_create_on_node = kfunc<KcoL>('kthread_create_on_node', 'kernel/kthread.c', `
/*
 * kthread_create() is this with NUMA_NO_NODE. The caller does not create
 * the thread itself: it queues a request for kthreadd and sleeps until
 * kthreadd has forked it. (The body is __kthread_create_on_node's.)
 */
struct task_struct *kthread_create_on_node(int (*threadfn)(void *data),
					   void *data, int node,
					   const char namefmt[],
					   ...)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct task_struct *task;
	struct kthread_create_info *create = kmalloc(sizeof(*create),
						     GFP_KERNEL);

	create->threadfn = threadfn;                        @info
	create->data = data;
	create->node = node;
	create->done = &done;
	create->full_name = kvasprintf(GFP_KERNEL, namefmt, args);

	spin_lock(&kthread_create_lock);
	list_add_tail(&create->list, &kthread_create_list); @queue
	spin_unlock(&kthread_create_lock);

	wake_up_process(kthreadd_task);                     @wake
	/* Killable: the OOM killer may pick us while kthreadd works. */
	if (unlikely(wait_for_completion_killable(&done))) { @wait @killed
		/* kthreadd will see create->done == NULL and clean up. */
		return ERR_PTR(-EINTR);
	}
	task = create->result;                              @result
	kfree(create);
	return task;                                        @ret
}
`, {
  info: (_k, t, f) => {
    f.locals.create = {
      threadfn: f.locals.threadfn, data: f.locals.data, full_name: f.locals.namefmt.slice(0, C.TASK_COMM_LEN - 1),
      creator: t, result: null, error: 0, done: { done: 0, waiters: new Set() },
    };
  },
  queue: (k, _t, f) => { k.kthread_create_list.push(f.locals.create as kthread_create_info); },
  wake: (k, t) => { if (k.kthreadd_task) k.wake_up_process(k.kthreadd_task, t); },
  wait: (k, t, f) => k.call(t, wait_for_completion, { x: (f.locals.create as kthread_create_info).done as completion, state: C.TASK_KILLABLE }),
  killed: (k, t, f) => {
    if (f.ret < 0) { (f.locals.create as kthread_create_info).done = null; k.ret(t, -C.EINTR); }
  },
  result: (k, t, f) => {
    const c = f.locals.create as kthread_create_info;
    if (!c.result) k.ret(t, c.error || -C.ENOMEM);
  },
  ret: (k, t, f) => {
    const p = (f.locals.create as kthread_create_info).result as task_struct;
    k.ret(t, p.pid, p);
  },
}, ['threadfn', 'namefmt']);

interface KtdL { create: kthread_create_info | null }

export const kthreadd = kfunc<KtdL>('kthreadd', 'kernel/kthread.c', `
/* pid 2: the parent of every kernel thread, forking them on request. */
int kthreadd(void *unused)
{
	struct task_struct *tsk = current;

	/* Setup a clean context for our children to inherit. */
	set_task_comm(tsk, "kthreadd");                     @setup
	ignore_signals(tsk);
	current->flags |= PF_NOFREEZE;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);          @state
		if (list_empty(&kthread_create_list))           @check
			schedule();                                 @schedule
		__set_current_state(TASK_RUNNING);              @running

		spin_lock(&kthread_create_lock);
		while (!list_empty(&kthread_create_list)) {     @loop
			struct kthread_create_info *create;

			create = list_entry(kthread_create_list.next,
					    struct kthread_create_info, list);
			list_del_init(&create->list);               @take
			spin_unlock(&kthread_create_lock);

			create_kthread(create);                     @create

			spin_lock(&kthread_create_lock);
		}
		spin_unlock(&kthread_create_lock);              @unlock
	}

	return 0;
}
`, {
  setup: (_k, t) => {
    t.comm = 'kthreadd';
    if (t.sighand) for (let s = 1; s <= C._NSIG; s++) set_sigaction(t.sighand, s, { ...t.sighand.action[s - 1], handler: C.SIG_IGN });
    t.flags |= C.PF_NOFREEZE;
  },
  state: (_k, t) => { t.__state = C.TASK_INTERRUPTIBLE; },
  check: (k, _t, f) => { if (k.kthread_create_list.length > 0) k.jump(f, 'running'); },
  schedule: (k, t) => k.schedule(t),
  running: (_k, t) => { t.__state = C.TASK_RUNNING; },
  loop: (k, _t, f) => { if (k.kthread_create_list.length === 0) k.jump(f, 'unlock'); },
  take: (k, _t, f) => { f.locals.create = k.kthread_create_list.shift() ?? null; },
  create: (k, t, f) => k.call(t, create_kthread, { create: f.locals.create as kthread_create_info }, null, 'loop'),
  unlock: (k, _t, f) => k.jump(f, 'state'),
});

interface CktL { create: kthread_create_info }

export const create_kthread = kfunc<CktL>('create_kthread', 'kernel/kthread.c', `
static void create_kthread(struct kthread_create_info *create)
{
	int pid;

	/* We want our own signal handler (we take no signals by default). */
	pid = kernel_thread(kthread, create, create->full_name,
			    CLONE_FS | CLONE_FILES | SIGCHLD);          @thread
	if (pid < 0) {                                      @check
		/* Release the structure when caller killed by a fatal signal. */
		struct completion *done = xchg(&create->done, NULL);

		if (!done) {
			kfree(create);
			return;
		}
		create->result = ERR_PTR(pid);
		complete(done);
	}
}                                                       @ret
`, {
  thread: (k, t, f) => k.call(t, kernel_thread, { create: f.locals.create }),
  check: (k, t, f) => {
    if (f.ret >= 0) return;
    const done = f.locals.create.done;
    f.locals.create.done = null;
    if (!done) return;
    f.locals.create.error = f.ret;
    complete(k, done, t);
  },
  ret: ret0,
}, ['create']);

export const kernel_thread = kfunc<CktL>('kernel_thread', 'kernel/fork.c', `
/* Create a kernel thread: kernel_clone with no mm to copy and fn to run. */
pid_t kernel_thread(int (*fn)(void *), void *arg, const char *name,
		    unsigned long flags)
{
	struct kernel_clone_args args = {
		.flags		= ((lower_32_bits(flags) | CLONE_VM |
				    CLONE_UNTRACED) & ~CSIGNAL),
		.exit_signal	= (lower_32_bits(flags) & CSIGNAL),
		.fn		= fn,
		.fn_arg		= arg,
		.name		= name,
		.kthread	= 1,
	};

	return kernel_clone(&args);                         @clone @ret
}
`, {
  clone: (k, t, f) => {
    const args = cloneArgs(C.CLONE_FS | C.CLONE_FILES | C.CLONE_VM | C.CLONE_UNTRACED, C.SIGCHLD, 'kthread');
    args.kthread = true;
    args.name = f.locals.create.full_name;
    args.fn = 'kthread';
    args.kframe = { fn: kthread_fn as never, locals: { create: f.locals.create, ret: 0 } };
    k.call(t, kernel_clone, { args, clone_flags: 0, p: null, nr: 0 });
  },
  ret: retCallee,
}, ['create']);

interface KtL { create: kthread_create_info; ret: number }

/** kthread(): every kernel thread starts here, on its own kernel stack. */
export const kthread_fn = kfunc<KtL>('kthread', 'kernel/kthread.c', `
static int kthread(void *_create)
{
	/* Copy data: it's on kthread's stack */
	struct kthread_create_info *create = _create;
	int (*threadfn)(void *data) = create->threadfn;
	void *data = create->data;
	struct completion *done;
	struct kthread *self;
	int ret;

	self = to_kthread(current);                         @self

	/* Release the structure when caller killed by a fatal signal. */
	done = xchg(&create->done, NULL);
	if (!done) {
		kfree(create);
		kthread_exit(-EINTR);
	}

	self->threadfn = threadfn;
	self->data = data;

	/* OK, tell user we're spawned, wait for stop or wakeup */
	__set_current_state(TASK_UNINTERRUPTIBLE);          @sleep
	create->result = current;
	preempt_disable();
	complete(done);                                     @complete
	schedule_preempt_disabled();                        @schedule
	preempt_enable();

	self->started = 1;

	ret = -EINTR;
	if (!test_bit(KTHREAD_SHOULD_STOP, &self->flags)) { @should_stop
		__kthread_parkme(self);
		ret = threadfn(data);                           @threadfn
	}
	kthread_exit(ret);                                  @exit
}
`, {
  self: (k, t, f) => {
    const self = t.worker_private as kthread;
    const done = f.locals.create.done;
    f.locals.create.done = null;
    if (!done) { f.locals.ret = -C.EINTR; k.jump(f, 'exit'); return; }
    (f.locals as KtL & { done?: completion }).done = done;
    self.threadfn = f.locals.create.threadfn;
    self.data = f.locals.create.data;
  },
  sleep: (_k, t, f) => {
    t.__state = C.TASK_UNINTERRUPTIBLE;
    f.locals.create.result = t;
  },
  complete: (k, t, f) => complete(k, (f.locals as KtL & { done?: completion }).done as completion, t),
  schedule: (k, t) => k.schedule(t),
  should_stop: (k, t, f) => {
    f.locals.ret = -C.EINTR;
    if ((t.worker_private as kthread).should_stop) k.jump(f, 'exit');
  },
  threadfn: (k, t, f) => {
    const self = t.worker_private as kthread;
    const mem = k.module_memory;
    const regs = mem ? k.user.threadRegs(mem, self.threadfn, self.data) : null;
    if (!regs) { f.locals.ret = -C.EINVAL; return; }
    // The thread function is scenario code: it runs above this frame until it returns.
    t.thread.regs = regs;
    t.vm_base = t.stack.length;
    f.pc = f.fn.at.get('threadfn') as number;
    f.at = f.pc;
  },
  exit: (k, t, f) => k.call(t, kthread_exit, { result: f.locals.ret }),
}, ['create', 'ret']);

/** A scenario function the kernel called (a kthread function, module init) returned `value`. */
export function scenario_return(k: Kernel, t: task_struct, value: number): void {
  const f = t.stack[t.stack.length - 1];
  t.vm_base = -1;
  t.thread.regs = null;
  if (!f) return;
  f.ret = value;
  f.pc = f.pc + 1;
  if (f.fn === kthread_fn) (f.locals as KtL).ret = value;
  void k;
}

interface KeL { result: number }

export const kthread_exit = kfunc<KeL>('kthread_exit', 'kernel/kthread.c', `
/* The thread function's return value is kept for kthread_stop(). */
void __noreturn kthread_exit(long result)
{
	struct kthread *kthread = to_kthread(current);
	kthread->result = result;                           @result
	do_exit(0);                                         @exit
}
`, {
  result: (_k, t, f) => { if (t.worker_private) t.worker_private.result = f.locals.result; },
  exit: (k, t) => k.call(t, do_exit, { code: 0, group_dead: false }),
}, ['result']);

export const kthread_should_stop = kfunc<object>('kthread_should_stop', 'kernel/kthread.c', `
/* True once someone called kthread_stop() on us: time to return. */
bool kthread_should_stop(void)
{
	return test_bit(KTHREAD_SHOULD_STOP, &to_kthread(current)->flags); @ret
}
`, {
  ret: (k, t) => k.ret(t, t.worker_private && t.worker_private.should_stop ? 1 : 0),
});

interface KsL { k: task_struct | null; ret: number }

export const kthread_stop = kfunc<KsL>('kthread_stop', 'kernel/kthread.c', `
/*
 * Sets the stop flag, wakes the thread and waits until it has exited.
 * Returns what its thread function returned (or -EINTR if it never ran).
 */
int kthread_stop(struct task_struct *k)
{
	struct kthread *kthread;
	int ret;

	get_task_struct(k);                                 @get
	kthread = to_kthread(k);
	set_bit(KTHREAD_SHOULD_STOP, &kthread->flags);      @set_bit
	kthread_unpark(k);
	set_tsk_thread_flag(k, TIF_NOTIFY_SIGNAL);
	wake_up_process(k);                                 @wake
	wait_for_completion(&kthread->exited);              @wait
	ret = kthread->result;                              @result
	put_task_struct(k);

	return ret;                                         @ret
}
`, {
  get: (k, t, f) => {
    const p = f.locals.k;
    if (!p || !p.worker_private) { k.ret(t, -C.EINVAL); return; }
    p.usage++;
  },
  set_bit: (_k, _t, f) => { ((f.locals.k as task_struct).worker_private as kthread).should_stop = true; },
  wake: (k, t, f) => k.call(t, wake_up_process, { p: f.locals.k }),
  wait: (k, t, f) => k.call(t, wait_for_completion, { x: ((f.locals.k as task_struct).worker_private as kthread).exited, state: C.TASK_UNINTERRUPTIBLE }),
  result: (k, _t, f) => {
    const p = f.locals.k as task_struct;
    f.locals.ret = (p.worker_private as kthread).result;
    put_task_struct(k, p);
  },
  ret: (k, t, f) => k.ret(t, f.locals.ret),
}, ['k', 'ret']);

/** Boot: kthreadd (pid 2) runs its loop as a kernel frame; it has no user code. */
export function start_kthreadd(k: Kernel, t: task_struct): void {
  t.builtin = '';
  t.vm_base = -1;
  t.flags |= C.PF_KTHREAD;
  t.mm = null;
  t.active_mm = null;
  t.worker_private = { threadfn: 'kthreadd', data: 0, should_stop: false, exited: { done: 0, waiters: new Set() }, result: 0 };
  k.kthreadd_task = t;
  k.call(t, kthreadd, { create: null });
}
