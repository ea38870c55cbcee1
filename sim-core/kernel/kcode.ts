// What scenario kernel code calls besides kthreads: spin locks (kernel/locking/spinlock.c), the
// task lookups, and the small inline helpers (set_current_state, the event list) answered at once.

import * as C from './consts';
import { nop, ret0, kfunc } from './frame';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import type { Value } from '../vm/types';
import { scenarioListOp } from './kobj';

interface SlL { lock: number }

export const _raw_spin_lock = kfunc<SlL>('_raw_spin_lock', 'kernel/locking/spinlock.c', `
/* spin_lock(): no preemption while held, and busy-wait until the lock is free. */
noinline void __lockfunc _raw_spin_lock(raw_spinlock_t *lock)
{
	preempt_disable();                                  @preempt
	spin_acquire(&lock->dep_map, 0, 0, _RET_IP_);
	LOCK_CONTENDED(lock, do_raw_spin_trylock, do_raw_spin_lock); @spin
}                                                       @ret
`, {
  preempt: (_k, t) => { t.thread_info.preempt_count++; },
  spin: (k, t, f) => {
    const owner = k.spinlocks.get(f.locals.lock);
    if (owner && owner !== t && owner.usage > 0 && !owner.exit_state) {
      // cpu_relax(): try again; give the CPU up so a holder on this CPU can go on.
      f.pc = f.fn.at.get('spin') as number;
      k.rq[t.cpu].need_resched = true;
      return;
    }
    if (owner === t) k.printk(t, `BUG: spinlock recursion on CPU#${t.cpu}, ${t.comm}/${t.pid}`, 0);
    k.spinlocks.set(f.locals.lock, t);
  },
  ret: ret0,
}, ['lock']);

export const _raw_spin_unlock = kfunc<SlL>('_raw_spin_unlock', 'kernel/locking/spinlock.c', `
noinline void __lockfunc _raw_spin_unlock(raw_spinlock_t *lock)
{
	spin_release(&lock->dep_map, _RET_IP_);
	do_raw_spin_unlock(lock);                           @unlock
	preempt_enable();                                   @preempt
}                                                       @ret
`, {
  unlock: (k, _t, f) => { k.spinlocks.delete(f.locals.lock); },
  preempt: (_k, t) => { if (t.thread_info.preempt_count > 0) t.thread_info.preempt_count--; },
  ret: ret0,
}, ['lock']);

/** spin_lock_irqsave(): __raw_spin_lock_irqsave, interrupts off on this CPU before the lock is taken. */
export const _raw_spin_lock_irqsave = kfunc<SlL>('_raw_spin_lock_irqsave', 'kernel/locking/spinlock.c', `
noinline unsigned long __lockfunc _raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long flags;

	local_irq_save(flags);                              @irq
	preempt_disable();                                  @preempt
	spin_acquire(&lock->dep_map, 0, 0, _RET_IP_);
	LOCK_CONTENDED(lock, do_raw_spin_trylock, do_raw_spin_lock); @spin
	return flags;                                       @ret
}
`, {
  // No interrupt is modelled to be held off: the step shows where they would be.
  irq: nop,
  preempt: (_k, t) => { t.thread_info.preempt_count++; },
  spin: (k, t, f) => {
    const owner = k.spinlocks.get(f.locals.lock);
    if (owner && owner !== t && owner.usage > 0 && !owner.exit_state) {
      f.pc = f.fn.at.get('spin') as number;
      k.rq[t.cpu].need_resched = true;
      return;
    }
    if (owner === t) k.printk(t, `BUG: spinlock recursion on CPU#${t.cpu}, ${t.comm}/${t.pid}`, 0);
    k.spinlocks.set(f.locals.lock, t);
  },
  ret: ret0,
}, ['lock']);

export const _raw_spin_unlock_irqrestore = kfunc<SlL>('_raw_spin_unlock_irqrestore', 'kernel/locking/spinlock.c', `
noinline void __lockfunc _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags)
{
	spin_release(&lock->dep_map, _RET_IP_);
	do_raw_spin_unlock(lock);                           @unlock
	local_irq_restore(flags);                           @irq
	preempt_enable();                                   @preempt
}                                                       @ret
`, {
  unlock: (k, _t, f) => { k.spinlocks.delete(f.locals.lock); },
  irq: nop,
  preempt: (_k, t) => { if (t.thread_info.preempt_count > 0) t.thread_info.preempt_count--; },
  ret: ret0,
}, ['lock']);

interface FtL { nr: number }

export const find_task_by_vpid = kfunc<FtL>('find_task_by_vpid', 'kernel/pid.c', `
/* The task with this pid in the caller's pid namespace, or NULL. */
struct task_struct *find_task_by_vpid(pid_t vnr)
{
	return find_task_by_pid_ns(vnr, task_active_pid_ns(current)); @ret
}
`, {
  ret: (k, t, f) => {
    const p = k.find_task_by_vpid(f.locals.nr);
    k.ret(t, p ? p.pid : 0, p);
  },
}, ['nr']);

export const get_current = kfunc<object>('get_current', 'arch/x86/include/asm/current.h', `
/* current: the task this CPU runs, read from the per-CPU variable current_task. */
static __always_inline struct task_struct *get_current(void)
{
	return this_cpu_read_stable(pcpu_hot.current_task); @ret
}
`, {
  ret: (k, t) => k.ret(t, t.pid, t),
});

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/**
 * Inline helpers of kernel code that need no frame of their own: they act at once and return
 * their value, or null when `name` is not one of them.
 */
export function kernelInline(k: Kernel, t: task_struct, name: string, args: Value[]): number | null {
  const a0 = num(args[0]);
  switch (name) {
    case 'set_current_state': case '__set_current_state':
      // A macro: current->__state = state (with a barrier for the first).
      t.__state = a0;
      return 0;
    case 'spin_lock_init': k.spinlocks.delete(a0); return 0;
    // CONFIG_PREEMPT_RCU: the section only counts its nesting (current->rcu_read_lock_nesting).
    // Nothing the model frees can be under a reader, so there is nothing else to do.
    case 'rcu_read_lock': case 'rcu_read_unlock': return 0;
    case 'signal_pending': {
      const p = k.taskOf(args[0]) ?? t;
      return k.signal_pending(p) ? 1 : 0;
    }
    case 'task_pid_nr': { const p = k.taskOf(args[0]); return p ? p.pid : 0; }
    case 'task_cpu': { const p = k.taskOf(args[0]); return p ? p.cpu : 0; }
    case 'msecs_to_jiffies': return Math.ceil((a0 * 250) / 1000);
    case 'send_sig': {
      const p = k.taskOf(args[1]);
      if (!p) return -C.ESRCH;
      k.send_signal(a0, t, p, true);
      return 0;
    }
    default: {
      const r = scenarioListOp(k, name, args);
      if (typeof r === 'string') { k.printk(t, r.startsWith('general protection') || r.startsWith('kernel NULL') ? r : `BUG: ${r}`, 0); return 0; }
      return r;
    }
  }
}
