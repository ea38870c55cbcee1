// The two sides of the kernel micro-benchmark (bench/kernel/lifecycle.ts loads this as a bundle):
// lifecycles through the Engine, and the VM alone answering the same calls on the spot.
import { readFileSync } from 'node:fs';
import { parse } from '../../sim-core/lang/parser';
import { boot, KMachine } from '../../sim-core/machine';
import { compile, execEntry, run, type Image } from '../../sim-core/vm';
import { completeCall } from '../../sim-core/vm/entry';
import { asRegs } from '../../sim-core/vm/run';

/** CPU seconds of this process: the machine is shared, so wall time would measure the others too. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The benchmark scenario at `path`, set for `children` rounds. */
export function sourceFor(path: string, children: number): string {
  return readFileSync(path, 'utf8').replace(/#define CHILDREN \d+/, `#define CHILDREN ${children}`);
}

/** The scenario compiled on its own, for the VM-only side. */
export function imageFor(text: string): Image {
  const { image, diagnostics } = compile(parse(text).program, text);
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return image;
}

const SLICE = 100_000;

/** The kernel model: booted as the product boots it, then run to the end without a debugger. */
export function throughEngine(text: string): { seconds: number; out: string; steps: number } {
  const booted = boot({ file: 'lifecycle.kproc', source: text, settings: { pidMax: 4194304 } });
  if (!(booted.machine instanceof KMachine)) throw new Error(booted.diagnostics.map((d) => d.message).join('; '));
  const engine = booted.machine.engine;
  const t0 = cpuSeconds();
  // The machine's run loop in slices, handing the events out after each, so none pile up.
  let r = engine.run(SLICE, Infinity);
  while (r.reason === 'slice') {
    engine.k.events.length = 0;
    r = engine.run(SLICE, Infinity);
  }
  const seconds = cpuSeconds() - t0;
  if (r.reason !== 'exited') throw new Error(`engine stopped: ${r.reason} ${r.reason === 'panic' ? r.message : ''}`);
  return { seconds, out: engine.k.out.map((o) => o.text).join(''), steps: engine.k.steps };
}

/**
 * The VM alone: fork is answered with a pid, the child's copied registers run to _exit, waitpid
 * stores status 0 and returns the pid. No kernel model at all, so the ratio is the kernel's cost.
 */
export function vmOnly(image: Image): { seconds: number; out: string } {
  const e = execEntry(image, 'main', ['./lifecycle']);
  if (!e) throw new Error('no main');
  const host = { readField: () => 0 };
  const { memory, regs } = e;
  let out = '';
  let pid = 3;
  const t0 = cpuSeconds();
  for (;;) {
    const trap = run(image, regs, memory, host, { budget: 1000, stopAtStatements: false });
    if (trap.kind === 'budget') continue;
    if (trap.kind !== 'syscall') throw new Error(`vm: ${trap.kind}`);
    if (trap.name === 'fork') {
      const child = asRegs(regs).clone();
      completeCall(child, memory, 0);
      const ct = run(image, child, memory, host, { budget: 1000, stopAtStatements: false });
      if (ct.kind !== 'syscall' || ct.name !== 'exit_group') throw new Error(`child: ${ct.kind}`);
      completeCall(regs, memory, ++pid);
    } else if (trap.name === 'wait4') {
      if (typeof trap.args[1] === 'number' && trap.args[1] !== 0) memory.store(trap.args[1], 0);
      completeCall(regs, memory, trap.args[0] ?? 0);
    } else if (trap.name === 'write') {
      out += String(trap.args[trap.args.length - 1]);
      completeCall(regs, memory, 0);
    } else if (trap.name === 'ioctl') {
      // stdio's first output asks whether stdout is a terminal (TCGETS): it is, as in the engine.
      completeCall(regs, memory, 0);
    } else if (trap.name === 'exit_group') {
      break;
    } else {
      throw new Error(`vm: unexpected call ${trap.name}`);
    }
  }
  return { seconds: cpuSeconds() - t0, out };
}
