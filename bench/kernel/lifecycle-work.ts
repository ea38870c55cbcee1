// The two sides of the kernel micro-benchmark (bench/kernel/lifecycle.ts loads this as a bundle):
// lifecycles through the Engine, and the VM alone answering the same calls on the spot.
import { readFileSync } from 'node:fs';
import { parse } from '../../sim-core/lang/parser';
import { Engine } from '../../sim-core/machine/engine';
import { compile, execEntry, run, type Image } from '../../sim-core/vm';
import { completeCall } from '../../sim-core/vm/entry';
import { asRegs } from '../../sim-core/vm/run';
import { createVmPort } from '../../sim-core/vm/port';

/** CPU seconds of this process: the machine is shared, so wall time would measure the others too. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The benchmark scenario at `path`, compiled for `children` rounds. */
export function imageFor(path: string, children: number): Image {
  const text = readFileSync(path, 'utf8')
    .replace(/#define CHILDREN \d+/, `#define CHILDREN ${children}`);
  const { image, diagnostics } = compile(parse(text).program, text);
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return image;
}

const SLICE = 100_000;

/** The kernel model: boot, then run to the end the way the machine does without a debugger. */
export function throughEngine(image: Image): { seconds: number; out: string; steps: number } {
  const box: { engine: Engine | null } = { engine: null };
  const port = createVmPort(image, (t) => (box.engine as Engine).k.memoryOf(t), { readField: () => 0 });
  const engine = new Engine({ pidMax: 4194304, cpus: 1, nproc: 4096, uid: 1000, seed: 1 }, port, (t, b) => port.runUser(t, b));
  box.engine = engine;
  const e = execEntry(image, 'main', ['./lifecycle']);
  if (!e) throw new Error('no main');
  engine.boot({ memory: e.memory, regs: e.regs, comm: 'lifecycle' });
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
      if (ct.kind !== 'syscall' || (ct.name !== '_exit' && ct.name !== 'exit_group')) throw new Error(`child: ${ct.kind}`);
      completeCall(regs, memory, ++pid);
    } else if (trap.name === 'waitpid') {
      if (typeof trap.args[1] === 'number' && trap.args[1] !== 0) memory.store(trap.args[1], 0);
      completeCall(regs, memory, trap.args[0] ?? 0);
    } else if (trap.name === 'printf' || trap.name === 'write') {
      out += String(trap.args[trap.args.length - 1]);
      completeCall(regs, memory, 0);
    } else if (trap.name === 'exit_group') {
      break;
    } else {
      throw new Error(`vm: unexpected call ${trap.name}`);
    }
  }
  return { seconds: cpuSeconds() - t0, out };
}
