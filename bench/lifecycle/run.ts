// Lifecycle benchmark: fork, exit and reap one million children in the simulator (breakpoints set
// but never hit), the same loop as a C program on this machine's kernel, and the ratio of the rates.
// usage: npx tsx bench/lifecycle/run.ts [--children N] [--real N]. Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundledMachine } from './bundled';

const { boot } = loadBundledMachine();

const SCENARIO = join(__dirname, 'lifecycle.kproc');
// The adapter runs the machine in slices of 20,000 steps (pause is heard between them); so does this.
const SLICE = 20_000;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Runs the scenario in-process with a function and a line breakpoint that never hit. */
function simulate(children: number): { seconds: number; output: string; reason: string } {
  const source = readFileSync(SCENARIO, 'utf8').replace(/#define CHILDREN \d+/, `#define CHILDREN ${children}`);
  const { machine, diagnostics } = boot({ file: SCENARIO, source, maxSteps: Number.MAX_SAFE_INTEGER });
  if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
  // The debugger's machinery is armed: an exec path function and the error-path line never run.
  const fbp = machine.setFunctionBreakpoints([{ name: 'do_execveat_common' }]);
  const badLine = source.split('\n').findIndex((l) => l.includes('bad wait'));
  const lbp = machine.setLineBreakpoints(SCENARIO, [{ line: badLine }]);
  if (!fbp[0]?.verified || !lbp[0]?.verified) console.log('  (warning: a benchmark breakpoint was not verified)');
  // Slices bound the events a stop carries (a million lifecycles make several million events).
  const t0 = performance.now();
  let stop = machine.run({ kind: 'continue' }, SLICE);
  while (stop.reason === 'yield' || stop.reason === 'entry') stop = machine.run({ kind: 'continue' }, SLICE);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, output: machine.output(), reason: stop.reason };
}

/** Builds the same file with gcc and times it on the real kernel. */
function realKernel(children: number): { seconds: number; output: string } | string {
  if (spawnSync('sh', ['-c', 'command -v gcc'], { encoding: 'utf8' }).status !== 0) return 'gcc is not installed';
  const dir = mkdtempSync(join(tmpdir(), 'kproc-lifecycle-'));
  try {
    const bin = join(dir, 'lifecycle');
    execFileSync('gcc', ['-O2', `-DCHILDREN=${children}`, '-x', 'c', SCENARIO, '-o', bin, '-Wno-unknown-pragmas']);
    const t0 = performance.now();
    const output = execFileSync(bin, { encoding: 'utf8' });
    return { seconds: (performance.now() - t0) / 1000, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const simChildren = option('--children', 1_000_000);
const realChildren = option('--real', 10_000);

console.log(`lifecycle benchmark: fork + _exit + waitpid, ${fmt(simChildren)} children in the simulator`);
const sim = simulate(simChildren);
const simRate = simChildren / sim.seconds;
console.log(`  simulator:   ${fmt(simRate)} lifecycles/s (${sim.seconds.toFixed(2)} s, stop: ${sim.reason}, output: ${JSON.stringify(sim.output.trim())})`);

const real = realKernel(realChildren);
if (typeof real === 'string') {
  console.log(`  real kernel: skipped (${real})`);
} else {
  const realRate = realChildren / real.seconds;
  console.log(`  real kernel: ${fmt(realRate)} lifecycles/s (${fmt(realChildren)} children in ${real.seconds.toFixed(2)} s)`);
  console.log(`  ratio:       ${(simRate / realRate).toFixed(1)}x the real kernel (target: at least 100x)`);
}
console.log(`  against the nominal 6,000/s of these machines: ${(simRate / 6000).toFixed(1)}x`);
