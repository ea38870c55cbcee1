// The machine's entry into the kernel from user code: a system call (terminal writes and printk
// answered on the spot, the rest through the syscall table), or the signal of a fault.

import * as C from '../kernel/consts';
import type { Kernel } from '../kernel/kernel';
import { syscallEntry } from '../kernel/syscalls';
import type { task_struct } from '../kernel/task';
import type { Value } from '../vm/types';
import { FMODE_WRITE } from '../kernel/file';
import { force_sig_fault } from '../kernel/signal-force';
import type { OutputMeter } from './output';

/** A fault in user code: the signal it raises (SIGSEGV, SIGFPE, SIGILL or SIGBUS), forced on the task (force_sig_fault). */
export function user_fault(k: Kernel, t: task_struct, signal: string): void {
  const sig = signal === 'SIGSEGV' ? C.SIGSEGV : signal === 'SIGFPE' ? C.SIGFPE : signal === 'SIGBUS' ? C.SIGBUS : C.SIGILL;
  force_sig_fault(k, sig, t);
}

/** Enters the kernel for a call; calls answered on the spot complete at once. */
export function do_syscall(k: Kernel, output: OutputMeter, t: task_struct, name: string, args: Value[]): void {
  t.in_syscall = name;
  if (name === 'write') {
    const fd = args.length > 1 && typeof args[0] === 'number' ? args[0] : 1;
    // A write to the terminal is answered here, at once (printf's path); any other file (a
    // pipe, a file, a closed descriptor) takes the kernel's path, __x64_sys_write.
    const files = t.files;
    const f = files === null ? null : files.fdt.fd[fd] ?? null;
    if (files === null || (f !== null && f.f_op === 'tty' && (f.f_mode & FMODE_WRITE) !== 0)) {
      const text = output.pass(t.pid, k.user.readString(t, args[args.length - 1] ?? ''));
      k.write(t, f === null ? fd : f.tty_stream, text);
      // write returns the bytes written (printf's own count replaces it, see pendingRet).
      k.user.syscallReturn(t, text.length);
      return;
    }
  }
  if (name === 'printk') {
    k.printk(t, output.pass(t.pid, k.user.readString(t, args[0] ?? '')));
    k.user.syscallReturn(t, 0);
    return;
  }
  const e = syscallEntry(k, t, name, args);
  if (e === null) { k.returnToUser(t, -C.ENOSYS); return; }
  if (typeof e === 'number') { k.returnToUser(t, e); return; }
  k.call(t, e.fn, e.locals);
}
