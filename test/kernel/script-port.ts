// A scripted stand-in for the VM, for kernel tests that must not depend on the compiler: a
// program is a list of instructions over copyable registers, each ending in a system call.

import { Engine } from '../../sim-core/machine/engine';
import * as C from '../../sim-core/kernel/consts';
import type { task_struct } from '../../sim-core/kernel/task';
import type { UserPort } from '../../sim-core/kernel/uport';
import type { Trap, UserMemory, UserRegs, Value } from '../../sim-core/vm/types';

export class MapMemory implements UserMemory {
  constructor(readonly cells = new Map<number, Value>()) {}
  load(addr: number): Value | undefined { return this.cells.get(addr); }
  store(addr: number, value: Value): boolean { if (addr <= 0) return false; this.cells.set(addr, value); return true; }
  newStack(): number { return 1; }
  freeStack(): void { /* stacks are not tracked here */ }
  clone(): UserMemory { return new MapMemory(new Map(this.cells)); }
  size(): number { return this.cells.size; }
}

export class ScriptRegs implements UserRegs {
  constructor(public pc = 0, public ret = 0, public v: Record<string, number> = {}) {}
  clone(): ScriptRegs { return new ScriptRegs(this.pc, this.ret, { ...this.v }); }
  get line(): number { return this.pc; }
}

/** An instruction: may read r.ret (the last call's result), set r.pc, and makes one call. */
export type Insn = (r: ScriptRegs, mem: UserMemory) => [string, ...Value[]];

export function runScript(program: Insn[], settings: Partial<{ pidMax: number; nproc: number; cpus: number; uid: number }> = {}) {
  let engine: Engine | null = null;
  const port: UserPort = {
    syscallReturn: (t, v) => {
      if (v === -C.ERESTARTSYS) { (engine as Engine).restartLater(t); return; }
      if (t.thread.regs) (t.thread.regs as ScriptRegs).ret = v;
    },
    copyRegs: (parent) => { const r = (parent.thread.regs as ScriptRegs).clone(); r.ret = 0; return r; },
    loadImage: () => null,
    threadRegs: () => null,
    putUser: (t, addr, value) => !!t.mm && !!t.mm.memory && t.mm.memory.store(addr, value),
    getUser: (t, addr) => (t.mm && t.mm.memory ? t.mm.memory.load(addr) : undefined),
    pushSignalFrame: () => { /* handlers are not scripted */ },
    readString: (_t, v) => String(v),
  };
  const runUser = (t: task_struct): Trap => {
    const r = t.thread.regs as ScriptRegs;
    const mem = (t.mm as NonNullable<task_struct['mm']>).memory as UserMemory;
    const insn = program[r.pc++];
    if (!insn) return { kind: 'syscall', name: 'exit_group', args: [0], line: r.pc };
    const [name, ...args] = insn(r, mem);
    return { kind: 'syscall', name, args, line: r.pc };
  };
  engine = new Engine({ pidMax: 32768, cpus: 1, nproc: 4096, uid: 1000, seed: 1, ...settings }, port, runUser);
  engine.boot({ memory: new MapMemory(), regs: new ScriptRegs(), comm: 'main' });
  return engine;
}

export function outputOf(engine: Engine): string {
  return engine.k.out.map((o) => o.text).join('');
}
