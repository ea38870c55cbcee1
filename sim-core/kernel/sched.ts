// kernel/sched/core.c and kernel/time: a new task's scheduler setup and first wake-up, the death
// of a task, and the sleeping calls (schedule_timeout, msleep, clock_nanosleep, pause, sched_yield).

import * as C from './consts';
import { ret0, kfunc, retCallee } from './frame';
import type { Kernel } from './kernel';
import { NS_ZERO, type task_struct } from './task';
import { ENQUEUE_INITIAL } from './rq';
import { rt_task } from './rt';
import { check_preempt_wakeup_fair, do_sched_yield, wakeupPreemptLocals } from './fair';

/** CONFIG_HZ of the distribution kernels these machines run. */
export const HZ = 250;
export const NSEC_PER_JIFFY = 1e9 / HZ;

interface SfL { clone_flags: number; p: task_struct }

export const sched_fork = kfunc<SfL>('sched_fork', 'kernel/sched/core.c', `
/*
 * fork()/clone()-time setup. The child is put in TASK_NEW (Linux 4.14 and
 * later; older kernels used TASK_RUNNING here): nothing, not even a signal,
 * can wake it and put it on a run queue before wake_up_new_task() does.
 */
int sched_fork(unsigned long clone_flags, struct task_struct *p)
{
	__sched_fork(clone_flags, p);                       @init
	p->__state = TASK_NEW;                              @state

	/* Make sure we do not leak PI boosting priority to the child. */
	p->prio = current->normal_prio;                     @prio

	if (rt_prio(p->prio))
		p->sched_class = &rt_sched_class;
	else
		p->sched_class = &fair_sched_class;
	init_entity_runnable_average(&p->se);
	return 0;                                           @ret
}
`, {
  init: (_k, _t, f) => {
    const p = f.locals.p;
    // __sched_fork: a fresh entity (no runtime, no lag) with the parent's weight.
    p.se = { vruntime: p.se.vruntime, sum_exec_runtime: NS_ZERO, exec_start: NS_ZERO, load: { weight: p.se.load.weight }, on_rq: false, deadline: NS_ZERO, vlag: NS_ZERO, slice: p.se.slice };
    p.on_cpu = false;
    p.nvcsw = p.nivcsw = 0;
    p.sched_info.run_delay = p.sched_info.last_queued = NS_ZERO;
  },
  state: (_k, _t, f) => { f.locals.p.__state = C.TASK_NEW; },
  prio: (_k, t, f) => { f.locals.p.prio = t.normal_prio; },
  ret: ret0,
}, ['clone_flags', 'p']);

interface WnL { p: task_struct }

export const wake_up_new_task = kfunc<WnL>('wake_up_new_task', 'kernel/sched/core.c', `
/*
 * The first wake-up of a new task: TASK_NEW becomes TASK_RUNNING and CFS
 * places the child one slice to the right of min_vruntime (START_DEBIT), so
 * the parent normally keeps the CPU and returns from fork() first.
 */
void wake_up_new_task(struct task_struct *p)
{
	struct rq_flags rf;
	struct rq *rq;

	WRITE_ONCE(p->__state, TASK_RUNNING);               @state
	__set_task_cpu(p, select_task_rq(p, task_cpu(p), WF_FORK)); @cpu
	rq = __task_rq_lock(p, &rf);
	activate_task(rq, p, ENQUEUE_NOCLOCK);              @activate
	trace_sched_wakeup_new(p);
	wakeup_preempt(rq, p, WF_FORK);                     @preempt
	task_rq_unlock(rq, p, &rf);
}                                                       @ret
`, {
  state: (_k, _t, f) => { f.locals.p.__state = C.TASK_RUNNING; },
  cpu: (k, t, f) => { f.locals.p.cpu = k.select_task_rq(t); },
  activate: (k, t, f) => {
    const p = f.locals.p;
    const rq = k.rq[p.cpu];
    rq.enqueue_entity(p, ENQUEUE_INITIAL, t);
    p.sched_info.last_queued = k.clock;
  },
  // wakeup_preempt -> the fair class's hook (an idle CPU just runs the new task at its next pick).
  preempt: (k, t, f) => {
    const rq = k.rq[f.locals.p.cpu];
    const c = rq.curr;
    if (!c || !c.se.on_rq) return;
    // Either task real-time: the classes' order, or wakeup_preempt_rt, decides.
    if (rt_task(c) || rt_task(f.locals.p)) { rq.wakeup_preempt(f.locals.p); return; }
    if (rq.eevdf) k.call(t, check_preempt_wakeup_fair, wakeupPreemptLocals(rq, f.locals.p));
    else rq.check_preempt_wakeup_fair(f.locals.p);
  },
  ret: ret0,
}, ['p']);

export const do_task_dead = kfunc<object>('do_task_dead', 'kernel/sched/core.c', `
void __noreturn do_task_dead(void)
{
	/* Causes final put_task_struct in finish_task_switch(): */
	set_special_state(TASK_DEAD);                       @state

	/* Tell freezer to ignore us: */
	current->flags |= PF_NOFREEZE;

	__schedule(SM_NONE);                                @schedule
	BUG();
}
`, {
  state: (_k, t) => { t.__state = C.TASK_DEAD; t.flags |= C.PF_NOFREEZE; },
  schedule: (k, t, f) => {
    f.pc = f.fn.at.get('schedule') as number;
    const rq = k.rq[t.cpu];
    rq.dequeue(t);
    rq.need_resched = true;
    k.finish_task_dead(t);
  },
});

interface StL { timeout: number; expire: number }

export const schedule_timeout = kfunc<StL>('schedule_timeout', 'kernel/time/sleep_timeout.c', `
/*
 * Sleeps until timeout jiffies have passed or the task is woken. The caller
 * sets the task state first; in TASK_RUNNING this returns at once.
 */
signed long __sched schedule_timeout(signed long timeout)
{
	struct process_timer timer;
	unsigned long expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {              @check
		schedule();
		goto out;
	}
	expire = timeout + jiffies;                         @arm
	timer.task = current;
	timer_setup_on_stack(&timer.timer, process_timeout, 0);
	__mod_timer(&timer.timer, expire, MOD_TIMER_NOTPENDING);
	schedule();                                         @schedule
	del_timer_sync(&timer.timer);

	timeout = expire - jiffies;
 out:
	return timeout < 0 ? 0 : timeout;                   @out
}
`, {
  check: (k, t, f) => {
    if (f.locals.timeout < 0 || f.locals.timeout >= 0x7fffffff) { f.locals.expire = -1; k.jump(f, 'out'); k.schedule(t); }
  },
  arm: (k, _t, f) => { f.locals.expire = k.clock + f.locals.timeout * NSEC_PER_JIFFY; },
  schedule: (k, t, f) => {
    if (t.__state === C.TASK_RUNNING) return;
    k.sleepUntil(t, f.locals.expire);
  },
  out: (k, t, f) => {
    t.timeout_at = -1;
    if (f.locals.expire < 0) { k.ret(t, 0x7fffffff); return; }
    const left = Math.ceil((f.locals.expire - k.clock) / NSEC_PER_JIFFY);
    k.ret(t, left < 0 ? 0 : left);
  },
}, ['timeout']);

interface MsL { msecs: number; timeout: number }

export const msleep = kfunc<MsL>('msleep', 'kernel/time/sleep_timeout.c', `
void msleep(unsigned int msecs)
{
	unsigned long timeout = msecs_to_jiffies(msecs) + 1; @init

	while (timeout) {                                   @loop
		__set_current_state(TASK_UNINTERRUPTIBLE);      @state
		timeout = schedule_timeout(timeout);            @sleep
	}
}                                                       @ret
`, {
  init: (_k, _t, f) => { f.locals.timeout = Math.ceil((f.locals.msecs * HZ) / 1000) + 1; },
  loop: (k, _t, f) => { if (f.locals.timeout <= 0) k.jump(f, 'ret'); },
  state: (_k, t) => { t.__state = C.TASK_UNINTERRUPTIBLE; },
  // The result goes into timeout and the loop's test runs next.
  sleep: (k, t, f) => k.call(t, schedule_timeout, { timeout: f.locals.timeout, expire: 0 }, 'timeout', 'loop'),
  ret: ret0,
}, ['msecs', 'timeout']);

interface CnsL { which: number; flags: number; rqtp: number; rmtp: number; ns: number }
interface HnsL { ns: number; rmtp: number; expire: number }

/** clock_nanosleep(which, flags, rqtp, rmtp): the request is read from user memory. */
export function clockNanosleepLocals(which: number, flags: number, rqtp: number, rmtp: number): CnsL {
  return { which, flags, rqtp, rmtp, ns: 0 };
}

export const __x64_sys_clock_nanosleep = kfunc<CnsL>('__x64_sys_clock_nanosleep', 'kernel/time/posix-timers.c', `
/* sleep(), usleep() and nanosleep() of the C library: CLOCK_REALTIME, relative. */
SYSCALL_DEFINE4(clock_nanosleep, const clockid_t, which_clock, int, flags,
		const struct __kernel_timespec __user *, rqtp,
		struct __kernel_timespec __user *, rmtp)
{
	const struct k_clock *kc = clockid_to_kclock(which_clock);
	struct timespec64 t;

	if (!kc)                                            @clock
		return -EINVAL;
	if (get_timespec64(&t, rqtp))                       @copy
		return -EFAULT;
	if (!timespec64_valid(&t))                          @valid
		return -EINVAL;
	current->restart_block.nanosleep.rmtp = rmtp;

	return kc->nsleep(which_clock, flags, &t);          @nsleep
}                                                       @ret
`, {
  clock: (k, t, f) => { if (f.locals.which < 0 || f.locals.which > 11) k.ret(t, -C.EINVAL); },
  copy: (k, t, f) => {
    const sec = k.user.getUser(t, f.locals.rqtp), nsec = k.user.getUser(t, f.locals.rqtp + 1);
    if (typeof sec !== 'number' || typeof nsec !== 'number') { k.ret(t, -C.EFAULT); return; }
    f.locals.ns = nsec < 0 || nsec >= 1e9 || sec < 0 ? -1 : sec * 1e9 + nsec;
  },
  valid: (k, t, f) => { if (f.locals.ns < 0) k.ret(t, -C.EINVAL); },
  // common_nsleep -> hrtimer_nanosleep.
  nsleep: (k, t, f) => k.call(t, hrtimer_nanosleep, { ns: f.locals.ns, rmtp: f.locals.rmtp, expire: 0 }),
  ret: (k, t, f) => k.ret(t, f.ret),
}, ['which', 'rqtp', 'rmtp']);

/** Where an interrupted sleep restarts (restart_syscall -> hrtimer_nanosleep_restart): the time left. */
export function nanosleepRestartLocals(left: number, rmtp: number): HnsL {
  return { ns: left, rmtp, expire: 0 };
}

export const hrtimer_nanosleep = kfunc<HnsL>('hrtimer_nanosleep', 'kernel/time/hrtimer.c', `
long hrtimer_nanosleep(ktime_t rqtp, const enum hrtimer_mode mode,
		       const clockid_t clockid)
{
	struct hrtimer_sleeper t;

	hrtimer_setup_sleeper_on_stack(&t, clockid, mode);
	hrtimer_set_expires_range_ns(&t.timer, rqtp, 0);    @arm
	/* do_nanosleep: an interruptible sleep until the timer fires. */
	set_current_state(TASK_INTERRUPTIBLE|TASK_FREEZABLE); @state
	hrtimer_sleeper_start_expires(&t, mode);
	if (likely(t.task))                                 @schedule
		schedule();
	__set_current_state(TASK_RUNNING);                  @woken
	if (!t.task)
		return 0;
	/* Interrupted: the time left goes to rmtp (nanosleep_copyout). */
	return -ERESTART_RESTARTBLOCK;                      @ret
}
`, {
  arm: (k, _t, f) => { f.locals.expire = k.clock + f.locals.ns; },
  state: (_k, t) => { t.__state = C.TASK_INTERRUPTIBLE; },
  schedule: (k, t, f) => { if (f.locals.ns > 0) k.sleepUntil(t, f.locals.expire); else t.__state = C.TASK_RUNNING; },
  woken: (_k, t) => { t.__state = C.TASK_RUNNING; t.timeout_at = -1; },
  ret: (k, t, f) => {
    if (k.clock >= f.locals.expire) { k.ret(t, 0); return; }
    // Interrupted: a handler makes it EINTR; otherwise it restarts for the time left.
    const left = f.locals.expire - k.clock;
    if (f.locals.rmtp) {
      k.user.putUser(t, f.locals.rmtp, Math.floor(left / 1e9));
      k.user.putUser(t, f.locals.rmtp + 1, left % 1e9);
    }
    t.restart_block = f.locals.expire;
    k.ret(t, -C.ERESTART_RESTARTBLOCK);
  },
}, ['ns', 'rmtp']);

export const __x64_sys_restart_syscall = kfunc<HnsL>('__x64_sys_restart_syscall', 'kernel/signal.c', `
/*
 * A sleep cut short by a signal without a handler (a stop and continue)
 * goes on here: restart_block.fn is hrtimer_nanosleep_restart, which
 * sleeps for the time that was left and returns to the interrupted call's
 * caller.
 */
SYSCALL_DEFINE0(restart_syscall)
{
	struct restart_block *restart = &current->restart_block;

	return restart->fn(restart);                        @fn
}                                                       @ret
`, {
  fn: (k, t, f) => k.call(t, hrtimer_nanosleep, { ns: f.locals.ns, rmtp: f.locals.rmtp, expire: 0 }),
  ret: retCallee,
}, ['ns', 'rmtp']);

export const __x64_sys_pause = kfunc<object>('__x64_sys_pause', 'kernel/signal.c', `
/* Sleeps until a signal is delivered; returns -1 with errno EINTR after its handler. */
SYSCALL_DEFINE0(pause)
{
	while (!signal_pending(current)) {                  @check
		__set_current_state(TASK_INTERRUPTIBLE);        @state
		schedule();                                     @schedule
	}
	return -ERESTARTNOHAND;                             @ret
}
`, {
  check: (k, t, f) => { if (k.signal_pending(t)) k.jump(f, 'ret'); },
  state: (_k, t) => { t.__state = C.TASK_INTERRUPTIBLE; },
  schedule: (k, t, f) => { k.jump(f, 'check'); k.schedule(t); },
  ret: (k, t) => k.ret(t, -C.ERESTARTNOHAND),
});

export const __x64_sys_sched_yield = kfunc<object>('__x64_sys_sched_yield', 'kernel/sched/syscalls.c', `
SYSCALL_DEFINE0(sched_yield)
{
	/* Go to the back of the run queue: curr's turn is over for now. */
	do_sched_yield();                                   @yield
	return 0;                                           @ret
}
`, {
  yield: (k, t) => k.call(t, do_sched_yield, { rq: k.rq[t.cpu] }),
  ret: ret0,
});

/** Weight of a nice level (sched_prio_to_weight). */
export function set_load_weight(k: Kernel, p: task_struct): void {
  const idx = p.static_prio - C.MAX_RT_PRIO;
  // SCHED_IDLE gets WEIGHT_IDLEPRIO whatever its nice value.
  const w = p.policy === C.SCHED_IDLE ? C.WEIGHT_IDLEPRIO : C.sched_prio_to_weight[Math.max(0, Math.min(39, idx))];
  // reweight_task: a queued entity keeps its place in V (reweight_entity).
  k.rq[p.cpu].reweight_entity(p, w);
}

export const schedule = kfunc<object>('schedule', 'kernel/sched/core.c', `
/*
 * Gives up the CPU. A task that set itself TASK_INTERRUPTIBLE or
 * TASK_UNINTERRUPTIBLE before calling this leaves the run queue here and
 * continues after this line only once try_to_wake_up() has run for it.
 */
asmlinkage __visible void __sched schedule(void)
{
	struct task_struct *tsk = current;

	sched_submit_work(tsk);
	__schedule_loop(SM_NONE);                           @schedule
	sched_update_worker(tsk);
}                                                       @ret
`, {
  schedule: (k, t) => k.schedule(t),
  ret: ret0,
});

interface WpL { p: task_struct | null }

export const wake_up_process = kfunc<WpL>('wake_up_process', 'kernel/sched/core.c', `
/* Wakes a task sleeping in TASK_INTERRUPTIBLE or TASK_UNINTERRUPTIBLE. */
int wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_NORMAL, 0);           @wake
}
`, {
  wake: (k, t, f) => k.ret(t, f.locals.p && k.wake_up_process(f.locals.p, t) ? 1 : 0),
}, ['p']);
