// Kernel micro-benchmark: fork + _exit + waitpid lifecycles through the Engine (kernel model and
// VM), beside the VM alone answering the same calls on the spot, in one process; prints the ratio.
// usage: npx tsx bench/kernel/lifecycle.ts [--children N] [--rounds R]. Prints figures only.
// Shipped code is an esbuild bundle; for its figures: npx esbuild bench/kernel/lifecycle.ts
// --bundle --platform=node --outfile=/tmp/lc.js && node /tmp/lc.js (from the repository root).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The scenario beside this file, or under the working directory when run from a bundle. */
function scenarioPath(): string {
  const here = join(__dirname, '../lifecycle/lifecycle.kproc');
  return existsSync(here) ? here : join(process.cwd(), 'bench/lifecycle/lifecycle.kproc');
}

function imageFor(children: number): Image {
  const text = readFileSync(scenarioPath(), 'utf8')
    .replace(/#define CHILDREN \d+/, `#define CHILDREN ${children}`);
  const { image, diagnostics } = compile(parse(text).program, text);
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return image;
}

const SLICE = 100_000;

/** The kernel model: boot, then run to the end the way the machine does without a debugger. */
function throughEngine(image: Image): { seconds: number; out: string; steps: number } {
  const box: { engine: Engine | null } = { engine: null };
  const port = createVmPort(image, (t) => (box.engine as Engine).k.memoryOf(t), { readField: () => 0 });
  const engine = new Engine({ pidMax: 4194304, cpus: 1, nproc: 4096, uid: 1000, seed: 1 }, port, (t, b) => port.runUser(t, b));
  box.engine = engine;
  const e = execEntry(image, 'main', ['./lifecycle']);
  if (!e) throw new Error('no main');
  engine.boot({ memory: e.memory, regs: e.regs, comm: 'lifecycle' });
  const t0 = cpuSeconds();
  // In slices, handing the events out after each as the machine does, so none pile up.
  let r = engine.runToEnd(SLICE);
  while (r.reason === 'budget') {
    engine.k.events.length = 0;
    r = engine.runToEnd(engine.k.steps + SLICE);
  }
  const seconds = cpuSeconds() - t0;
  if (r.reason !== 'exited') throw new Error(`engine stopped: ${r.reason} ${r.message ?? ''}`);
  return { seconds, out: engine.k.out.map((o) => o.text).join(''), steps: engine.k.steps };
}

/**
 * The VM alone: fork is answered with a pid, the child's copied registers run to _exit, waitpid
 * stores status 0 and returns the pid. No kernel model at all, so the ratio is the kernel's cost.
 */
function vmOnly(image: Image): { seconds: number; out: string } {
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

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const children = option('--children', 100_000);
const rounds = option('--rounds', 3);
const image = imageFor(children);
let bestEngine = Infinity;
let bestVm = Infinity;
for (let i = 0; i < rounds; i++) {
  const k = throughEngine(image);
  if (!k.out.startsWith(`${children} lifecycles`)) throw new Error(`engine output: ${JSON.stringify(k.out)}`);
  const v = vmOnly(image);
  bestEngine = Math.min(bestEngine, k.seconds);
  bestVm = Math.min(bestVm, v.seconds);
  console.log(`  round ${i + 1}: engine ${fmt(children / k.seconds)}/s (${k.steps} steps), vm only ${fmt(children / v.seconds)}/s`);
}
const engineRate = children / bestEngine;
const vmRate = children / bestVm;
console.log(`lifecycles (fork + _exit + waitpid), ${fmt(children)} per round, best of ${rounds}, CPU time:`);
console.log(`  through the Engine: ${fmt(engineRate)}/s`);
console.log(`  VM alone:           ${fmt(vmRate)}/s`);
console.log(`  the kernel model costs ${(vmRate / engineRate).toFixed(1)}x the VM's time`);
