// The kernel's view of user space (UserPort) implemented over the bytecode VM: completing calls,
// copy_thread, execve images, thread entry, put_user/get_user, signal frames; and runUser.
import * as C from '../kernel/consts';
import { kobj_field } from '../kernel/kobj';
import type { Kernel } from '../kernel/kernel';
import type { task_struct } from '../kernel/task';
import type { ProgramImage, UserPort } from '../kernel/uport';
import {
  completeCall, entryRegs, execEntry, functionAt, loadBuiltinProgram, pendingCall, programFunction, pushSignalFrame,
  readString, run, sigreturn, VmMemory, VmRegs, type Image, type RunOptions, type KRef, type Trap, type UserMemory, type Value, type VmHost,
} from '../vm';
import { cellCost } from '../vm/cost';

const ENDED: Trap = { kind: 'syscall', name: 'exit', args: [0], line: -1 };

export class VmPort implements UserPort {
  /** Set once the kernel exists (the kernel needs the port first). */
  k: Kernel | null = null;
  /** Ask the VM for a 'statement' trap before each statement (line breakpoints, stepping). */
  stopAtStatements = false;
  /** Lines (flagged 1) whose statements stop when only line breakpoints ask for statements (null: all). */
  stopLines: Uint8Array | null = null;
  /** Ask the VM for a 'call' trap on entry to each scenario function (function breakpoints). */
  callTraps = false;
  /** One options object for every run (run reads it on entry and keeps no reference). */
  private readonly runOptions: RunOptions = { budget: 0, stopAtStatements: false, callTraps: false, stopLines: null };
  readonly host: VmHost;

  constructor(readonly image: Image) {
    this.host = { readField: (ref: KRef | number, field: string) => (this.k ? kobj_field(this.k, ref, field) : 0) };
  }

  private mem(t: task_struct): UserMemory | null {
    return this.k ? this.k.memoryOf(t) : null;
  }

  syscallReturn(t: task_struct, value: number): void {
    this.complete(t, value);
  }

  syscallReturnRef(t: task_struct, ref: KRef): void {
    this.complete(t, ref);
  }

  private complete(t: task_struct, value: Value): void {
    const regs = t.thread.regs;
    const mem = this.mem(t);
    if (regs && mem && pendingCall(regs) !== null) completeCall(regs, mem, value);
  }

  functionName(v: Value): string | null {
    return functionAt(this.image, v) ?? null;
  }

  copyRegs(parent: task_struct): VmRegs | null {
    const regs = parent.thread.regs;
    if (!(regs instanceof VmRegs)) return null;
    const r = regs.clone();
    // copy_thread: the child's ax is 0, so its fork() returns 0.
    const mem = this.mem(parent);
    if (mem && pendingCall(r) !== null) completeCall(r, mem, 0);
    return r;
  }

  loadImage(path: string, argv: Value[], envp: Value[] = []): ProgramImage | null {
    const args = argv.map((a) => (typeof a === 'string' ? a : String(a)));
    const env = envp.map((a) => (typeof a === 'string' ? a : String(a)));
    const comm = path.slice(path.lastIndexOf('/') + 1).slice(0, 15);
    const fn = programFunction(this.image, path);
    if (fn !== undefined) {
      const e = execEntry(this.image, fn, args.length ? args : [path], env);
      return e ? { memory: e.memory, regs: e.regs, comm } : null;
    }
    const b = loadBuiltinProgram(path, args.length ? args : [path], env);
    return b ? { memory: b.memory, regs: b.regs, comm } : null;
  }

  threadRegs(memory: UserMemory, fn: string, arg: Value, tls = 0): VmRegs | null {
    if (!(memory instanceof VmMemory)) return null;
    const name = functionAt(this.image, fn);
    if (name === undefined) return null;
    const r = entryRegs(this.image, memory, name, [arg], { stackSegment: memory.newStack(), onReturn: 'exit' });
    if (r) r.self = tls;
    return r;
  }

  putUser(t: task_struct, addr: number, value: Value): boolean {
    const m = this.mem(t);
    return m !== null && m.store(addr, value);
  }

  copyToUser(t: task_struct, addr: number, bytes: string): boolean {
    const m = this.mem(t);
    return m instanceof VmMemory && m.storeBytes(addr, bytes);
  }

  getUser(t: task_struct, addr: number): Value | undefined {
    const m = this.mem(t);
    return m ? m.load(addr) : undefined;
  }

  pushSignalFrame(t: task_struct, handler: string, sig: number, info: number[] | null): boolean {
    const regs = t.thread.regs;
    const mem = this.mem(t);
    return regs instanceof VmRegs && mem !== null && pushSignalFrame(regs.image, regs, mem, handler, sig, info);
  }

  sigreturn(t: task_struct): boolean {
    const regs = t.thread.regs;
    return regs instanceof VmRegs && sigreturn(regs);
  }

  sigframeDepth(t: task_struct): number {
    const regs = t.thread.regs;
    return regs instanceof VmRegs ? regs.sigframes.length : -1;
  }

  readString(t: task_struct, v: Value): string {
    if (typeof v === 'string') return v;
    const m = this.mem(t);
    return (m instanceof VmMemory ? readString(m, v) : null) ?? '';
  }

  /** The instructions left of the last runUser's budget when it returned a statement or call trap. */
  budgetLeft(): number {
    return this.runOptions.budget;
  }

  /** Runs t's scenario code until its next trap (the engine's RunUser). */
  runUser(t: task_struct, budget: number): Trap {
    const regs = t.thread.regs;
    const mem = this.mem(t);
    if (!(regs instanceof VmRegs) || !mem) return ENDED;
    regs.tid = t.pid;
    // A call the kernel never answered (it should not happen) fails rather than wedging the VM.
    if (pendingCall(regs) !== null) completeCall(regs, mem, -C.EINTR);
    // A fork copied this address space (dup_mm): the copy is charged like library work.
    if (mem instanceof VmMemory && mem.copied > 0) { regs.owed += cellCost(mem.copied); mem.copied = 0; }
    const o = this.runOptions;
    o.budget = budget;
    o.stopAtStatements = this.stopAtStatements;
    o.stopLines = this.stopLines;
    o.callTraps = this.callTraps;
    return run(regs.image, regs, mem, this.host, o);
  }
}
