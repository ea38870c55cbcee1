// A scripted stand-in for the VM, for kernel tests that must not depend on the compiler: a
// program is a list of instructions over copyable registers, each ending in a system call.
// Named programs serve execve, thread start routines, kthread functions and signal handlers.

import { Engine } from '../../sim-core/machine/engine';
import type { task_struct } from '../../sim-core/kernel/task';
import type { UserPort } from '../../sim-core/kernel/uport';
import type { KRef, Trap, UserMemory, UserRegs, Value } from '../../sim-core/vm/types';

export class MapMemory implements UserMemory {
  constructor(readonly cells = new Map<number, Value>()) {}
  load(addr: number): Value | undefined { return this.cells.get(addr); }
  store(addr: number, value: Value): boolean { if (addr <= 0) return false; this.cells.set(addr, value); return true; }
  newStack(): number { return 1; }
  freeStack(): void { /* stacks are not tracked here */ }
  clone(): UserMemory { return new MapMemory(new Map(this.cells)); }
  size(): number { return this.cells.size; }
  attach(): void { /* no budget in these tests */ }
  release(): void { /* no budget in these tests */ }
}

interface Saved { prog: string; pc: number; ret: Value; v: Record<string, number> }

export class ScriptRegs implements UserRegs {
  ref: KRef | null = null;
  constructor(public pc = 0, public ret = 0, public v: Record<string, number> = {}, public prog = 'main', public saved: Saved[] = []) {}
  clone(): ScriptRegs {
    const r = new ScriptRegs(this.pc, this.ret, { ...this.v }, this.prog, this.saved.map((s) => ({ ...s, v: { ...s.v } })));
    r.ref = this.ref;
    return r;
  }
  get line(): number { return this.pc; }
}

/** An instruction: may read r.ret (the last call's result), set r.pc, and makes one call. */
export type Insn = (r: ScriptRegs, mem: UserMemory) => [string, ...Value[]];

export interface ScriptSettings { pidMax: number; nproc: number; cpus: number; uid: number }

/**
 * Boots a machine whose main program is `program`; `programs` holds other named programs (an
 * exec'd path, a thread routine, a handler). A routine's end traps 'exit' with r.v.result.
 */
export function runScript(program: Insn[], settings: Partial<ScriptSettings> = {}, programs: Record<string, Insn[]> = {}, moduleInit?: string) {
  const all: Record<string, Insn[]> = { main: program, ...programs };
  const port: UserPort = {
    syscallReturn: (t, v) => { if (t.thread.regs) { (t.thread.regs as ScriptRegs).ret = v; (t.thread.regs as ScriptRegs).ref = null; } },
    syscallReturnRef: (t, ref) => { if (t.thread.regs) { (t.thread.regs as ScriptRegs).ret = 1; (t.thread.regs as ScriptRegs).ref = ref; } },
    functionName: (v) => (typeof v === 'string' && v in all ? v : null),
    copyRegs: (parent) => { const r = (parent.thread.regs as ScriptRegs).clone(); r.ret = 0; return r; },
    loadImage: (path) => (path in all ? { memory: new MapMemory(), regs: new ScriptRegs(0, 0, {}, path), comm: path } : null),
    threadRegs: (_m, fn, arg) => new ScriptRegs(0, 0, { arg: typeof arg === 'number' ? arg : 0 }, fn),
    putUser: (t, addr, value) => { const m = engine.k.memoryOf(t); return !!m && m.store(addr, value); },
    getUser: (t, addr) => { const m = engine.k.memoryOf(t); return m ? m.load(addr) : undefined; },
    pushSignalFrame: (t, handler, sig) => {
      const r = t.thread.regs as ScriptRegs;
      r.saved.push({ prog: r.prog, pc: r.pc, ret: r.ret, v: r.v });
      r.prog = handler; r.pc = 0; r.v = { sig };
    },
    sigreturn: (t) => {
      const r = t.thread.regs as ScriptRegs;
      const s = r.saved.pop();
      if (!s) return false;
      r.prog = s.prog; r.pc = s.pc; r.ret = s.ret as number; r.v = s.v;
      return true;
    },
    readString: (_t, v) => String(v),
  };
  const runUser = (t: task_struct): Trap => {
    const r = t.thread.regs as ScriptRegs;
    const mem = engine.k.memoryOf(t) as UserMemory;
    const insn = all[r.prog][r.pc++];
    if (!insn) {
      if (r.saved.length) return { kind: 'syscall', name: 'rt_sigreturn', args: [], line: r.pc };
      return { kind: 'syscall', name: r.prog === 'main' || r.prog.startsWith('/') ? 'exit_group' : 'exit', args: [r.v.result ?? 0], line: r.pc };
    }
    const [name, ...args] = insn(r, mem);
    return { kind: 'syscall', name, args, line: r.pc };
  };
  const engine: Engine = new Engine({ pidMax: 32768, cpus: 1, nproc: 4096, uid: 1000, seed: 1, ...settings }, port, runUser);
  engine.boot({ memory: new MapMemory(), regs: new ScriptRegs(), comm: 'main' }, { moduleInit });
  return engine;
}

export function outputOf(engine: Engine): string {
  return engine.k.out.map((o) => o.text).join('');
}

export function dmesgOf(engine: Engine): string {
  return engine.k.dmesg.map((d) => d.text).join('\n');
}

