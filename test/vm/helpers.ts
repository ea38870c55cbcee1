// Test helpers: compile a snippet, start main on a fresh address space, and a tiny stand-in
// kernel that answers the calls a test needs, so VM tests stay state in, state out.
import { parse } from '../../sim-core/lang/parser';
import {
  compile, completeCall, entryRegs, execEntry, run, type Image, type Trap, type Value, type VmHost, VmMemory, VmRegs,
} from '../../sim-core/vm';

export const host: VmHost = { readField: (ref, field) => (field === 'pid' && typeof ref === 'object' ? ref.id : 0) };

export interface Started {
  image: Image;
  mem: VmMemory;
  regs: VmRegs;
}

export function build(src: string): Image {
  const { image, diagnostics } = compile(parse(src).program, src);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`unexpected diagnostics: ${errors.map((d) => d.message).join('; ')}`);
  return image;
}

/** Compiles src and enters fn (main by default) with argv. */
export function start(src: string, fn = 'main', argv: string[] = [fn]): Started {
  const image = build(src);
  const e = execEntry(image, fn, argv);
  if (!e) throw new Error(`no function ${fn}`);
  return { image, mem: e.memory, regs: e.regs };
}

export function startThread(image: Image, mem: VmMemory, fn: string, arg: Value): VmRegs {
  const r = entryRegs(image, mem, fn, [arg], { stackSegment: mem.newStack(), onReturn: 'exit' });
  if (!r) throw new Error(`no function ${fn}`);
  return r;
}

export function step(s: Started, budget = 100000, stopAtStatements = false): Trap {
  return run(s.image, s.regs, s.mem, host, { budget, stopAtStatements });
}

/**
 * Runs to the end of the program answering calls from `answers` (by name: a value or a function
 * of the args); write output is collected. Returns the final trap and the output.
 */
export function runToExit(s: Started, answers: Record<string, Value | ((args: Value[]) => Value)> = {}, max = 10000):
  { trap: Trap; out: string; calls: string[] } {
  let out = '';
  const calls: string[] = [];
  for (let i = 0; i < max; i++) {
    const t = step(s);
    if (t.kind === 'budget') continue;
    if (t.kind !== 'syscall') return { trap: t, out, calls };
    calls.push(t.name);
    if (t.name === 'exit_group' || t.name === 'exit') return { trap: t, out, calls };
    if (t.name === 'write') { out += String(t.args[1]); completeCall(s.regs, s.mem, String(t.args[1]).length); continue; }
    const a = answers[t.name];
    completeCall(s.regs, s.mem, typeof a === 'function' ? a(t.args) : a ?? 0);
  }
  throw new Error('program did not end');
}

/** Output and exit status of a whole program that only prints. */
export function output(src: string, answers: Record<string, Value | ((args: Value[]) => Value)> = {}): { out: string; status: Value | undefined } {
  const r = runToExit(start(src), answers);
  return { out: r.out, status: r.trap.kind === 'syscall' ? r.trap.args[0] : undefined };
}

/** Wraps statements in a main that prints with printf. */
export function main(body: string, prelude = ''): string {
  return `#include <stdio.h>\n${prelude}\nint main(void)\n{\n${body}\n}\n`;
}

/** A copy of an address space, as fork makes it (no budget is attached in these tests). */
export function copyMemory(mem: VmMemory): VmMemory {
  const c = mem.clone();
  if (c === null) throw new Error('clone failed without a budget');
  return c;
}
