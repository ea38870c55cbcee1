// The VM behind the kernel's UserPort: how the kernel model returns from calls, copies registers
// (copy_thread), loads programs (execve), starts threads and delivers signal frames. The machine
// builds one per scenario; runUser executes a task's user code up to its next trap.
import type { task_struct } from '../kernel/task';
import type { ProgramImage, UserPort } from '../kernel/uport';
import { completeCall, entryRegs, execEntry, functionAt, pushSignalFrame, sigreturn } from './entry';
import type { Image } from './image';
import { readString } from './libc';
import { loadBuiltinProgram } from './programs';
import { asMemory, asRegs, run } from './run';
import type { Trap, UserMemory, Value, VmHost } from './types';

export interface VmPort extends UserPort {
  /** Runs t's user code for at most `budget` instructions; the machine's RunUser. */
  runUser(t: task_struct, budget: number, stopAtStatements?: boolean): Trap;
}

/**
 * @param memoryOf the address space t's code runs on (Kernel.memoryOf: its mm, or the module's)
 * @param host reads task_struct fields for scenario kernel code
 */
export function createVmPort(image: Image, memoryOf: (t: task_struct) => UserMemory | null, host: VmHost): VmPort {
  const mem = (t: task_struct): UserMemory => {
    const m = memoryOf(t);
    if (!m) throw new Error(`task ${t.pid} has no user memory`);
    return m;
  };
  const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1).slice(0, 15);
  return {
    syscallReturn: (t, value) => { if (t.thread.regs) completeCall(t.thread.regs, mem(t), value); },
    syscallReturnRef: (t, ref) => { if (t.thread.regs) completeCall(t.thread.regs, mem(t), ref); },
    functionName: (v) => functionAt(image, v) ?? null,
    copyRegs: (parent, child) => {
      if (!parent.thread.regs) return null;
      const r = asRegs(parent.thread.regs).clone();
      // copy_thread: the child's pending fork/clone returns 0.
      completeCall(r, memoryOf(child) ?? mem(parent), 0);
      return r;
    },
    loadImage: (path, argv): ProgramImage | null => {
      const args = argv.map((v) => (typeof v === 'string' ? v : String(v)));
      const fn = image.programs.get(path);
      const e = fn ? execEntry(image, fn, args) : loadBuiltinProgram(path, args);
      return e ? { memory: e.memory, regs: e.regs, comm: basename(path) } : null;
    },
    threadRegs: (memory, fn, arg) => entryRegs(image, memory, fn, [arg], { stackSegment: memory.newStack(), onReturn: 'exit' }),
    putUser: (t, addr, value) => { const m = memoryOf(t); return !!m && m.store(addr, value); },
    getUser: (t, addr) => memoryOf(t)?.load(addr),
    pushSignalFrame: (t, handler, sig) => {
      if (t.thread.regs) pushSignalFrame(asRegs(t.thread.regs).image, t.thread.regs, mem(t), handler, sig);
    },
    sigreturn: (t) => !!t.thread.regs && sigreturn(t.thread.regs),
    readString: (t, v: Value) => {
      const m = memoryOf(t);
      return typeof v === 'string' ? v : m ? readString(asMemory(m), v) ?? '' : '';
    },
    runUser: (t, budget, stopAtStatements = false) => {
      const regs = t.thread.regs;
      if (!regs) return { kind: 'syscall', name: 'exit', args: [0], line: -1 };
      return run(asRegs(regs).image, regs, mem(t), host, { budget, stopAtStatements });
    },
  };
}
