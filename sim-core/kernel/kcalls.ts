// Calls from scenario kernel code (a kthread's function, a module's init) into kernel functions:
// kthread_run, schedule, msleep, spin locks, the task lookups and the inline helpers. These are
// function calls inside the kernel, not system calls; the syscall table is in syscalls.ts.
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import type { Value } from '../vm/types';
import { do_exit } from './exit';
import { msleep, schedule, schedule_timeout, wake_up_process } from './sched';
import { kthread_create_on_node, kthread_run, kthread_should_stop, kthread_stop, kthreadCreateLocals, scenario_return } from './kthread';
import { _raw_spin_lock, _raw_spin_lock_irqsave, _raw_spin_unlock, _raw_spin_unlock_irqrestore, find_task_by_vpid, get_current, kernelInline } from './kcode';
import { entry, type SyscallEntry } from './callentry';

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/**
 * The first frame of a kernel function scenario kernel code calls, a number for an inline helper
 * answered at once, or null for a name the model does not know.
 */
export function kernelCallEntry(k: Kernel, t: task_struct, name: string, args: Value[]): SyscallEntry | number | null {
  const a0 = num(args[0]);
  switch (name) {
    // The scenario function the kernel called (kthread function, module init) returned.
    case 'exit': scenario_return(k, t, a0); return 0;
    case 'do_exit': return entry(do_exit, { code: a0, group_dead: false });
    case 'schedule': return entry(schedule, {});
    case 'schedule_timeout': return entry(schedule_timeout, { timeout: a0, expire: 0 });
    case 'msleep': return entry(msleep, { msecs: a0, timeout: 0 });
    case 'ssleep': return entry(msleep, { msecs: a0 * 1000, timeout: 0 });
    case 'kthread_run': case 'kthread_create': {
      const fn = k.functionName(args[0]) ?? '';
      const locals = kthreadCreateLocals(fn, args[1] ?? 0, k.user.readString(t, args[2] ?? ''), name === 'kthread_run');
      return name === 'kthread_run' ? entry(kthread_run, locals) : entry(kthread_create_on_node, locals);
    }
    case 'kthread_stop': return entry(kthread_stop, { k: k.taskOf(args[0]), ret: 0 });
    case 'kthread_should_stop': return entry(kthread_should_stop, {});
    case 'wake_up_process': return entry(wake_up_process, { p: k.taskOf(args[0]) });
    case 'spin_lock': return entry(_raw_spin_lock, { lock: a0 });
    case 'spin_unlock': return entry(_raw_spin_unlock, { lock: a0 });
    case 'spin_lock_irqsave': return entry(_raw_spin_lock_irqsave, { lock: a0 });
    case 'spin_unlock_irqrestore': return entry(_raw_spin_unlock_irqrestore, { lock: a0 });
    case 'get_current': return entry(get_current, {});
    case 'find_task_by_vpid': return entry(find_task_by_vpid, { nr: a0 });
    default: return kernelInline(k, t, name, args);
  }
}
