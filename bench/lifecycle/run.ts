// Lifecycle benchmark: fork, exit and reap one million children in the simulator (breakpoints set
// but never hit), the same loop as a C program on this machine's kernel, and the ratio of the rates.
// The two are measured in turns (a stretch of the simulator's run, then a run of the C program),
// so a change in the machine's load falls on both sides of the ratio alike.
// usage: npx tsx bench/lifecycle/run.ts [--children N] [--real N] [--rounds N]. Prints figures; asserts nothing.
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

/**
 * The scenario booted with a function and a line breakpoint that never hit, run a stretch at a
 * time: each call runs until `until` children have been reaped (or the run ends).
 */
function simulator(children: number): { runTo(until: number): number; reaped(): number; result(): { output: string; reason: string } } {
  const source = readFileSync(SCENARIO, 'utf8').replace(/#define CHILDREN \d+/, `#define CHILDREN ${children}`);
  const { machine, diagnostics } = boot({ file: SCENARIO, source, maxSteps: Number.MAX_SAFE_INTEGER });
  if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
  // The debugger's machinery is armed: an exec path function and the error-path line never run.
  const fbp = machine.setFunctionBreakpoints([{ name: 'do_execveat_common' }]);
  const badLine = source.split('\n').findIndex((l) => l.includes('bad wait'));
  const lbp = machine.setLineBreakpoints(SCENARIO, [{ line: badLine }]);
  if (!fbp[0]?.verified || !lbp[0]?.verified) console.log('  (warning: a benchmark breakpoint was not verified)');
  let reaped = 0;
  let reason = 'yield';
  return {
    /** Runs slices until `until` reaps; returns the seconds it took. */
    runTo(until: number): number {
      const t0 = performance.now();
      while (reaped < until && reason === 'yield') {
        const stop = machine.run(SLICE);
        reason = stop.reason;
        for (const e of stop.events) if (e.kind === 'reap' && e.by !== null && e.by > 1) reaped++;
      }
      return (performance.now() - t0) / 1000;
    },
    reaped: () => reaped,
    result: () => ({ output: machine.output(), reason }),
  };
}

/** Builds the same file with gcc for `children` rounds; returns a function that times one run of it. */
function realKernel(dir: string, children: number): (() => number) | string {
  if (spawnSync('sh', ['-c', 'command -v gcc'], { encoding: 'utf8' }).status !== 0) return 'gcc is not installed';
  const bin = join(dir, 'lifecycle');
  execFileSync('gcc', ['-O2', `-DCHILDREN=${children}`, '-x', 'c', SCENARIO, '-o', bin, '-Wno-unknown-pragmas']);
  return () => {
    const t0 = performance.now();
    const output = execFileSync(bin, { encoding: 'utf8' });
    const seconds = (performance.now() - t0) / 1000;
    if (output.trim() !== `${children} lifecycles`) throw new Error(`the C program printed ${JSON.stringify(output)}`);
    return seconds;
  };
}

const simChildren = option('--children', 1_000_000);
const realChildren = option('--real', 10_000);
const rounds = Math.max(1, option('--rounds', 10));

console.log(`lifecycle benchmark: fork + _exit + waitpid, ${fmt(simChildren)} children in the simulator, ${fmt(realChildren)} on the real kernel, in ${rounds} alternating rounds`);
const dir = mkdtempSync(join(tmpdir(), 'kproc-lifecycle-'));
try {
  const sim = simulator(simChildren);
  const perRound = Math.max(1, Math.round(realChildren / rounds));
  const real = realKernel(dir, perRound);
  let simSeconds = 0, realSeconds = 0, realDone = 0;
  const pairs: number[] = [];
  for (let r = 1; r <= rounds; r++) {
    const before = sim.reaped();
    const s = sim.runTo(Math.round((simChildren * r) / rounds));
    simSeconds += s;
    if (typeof real === 'string') continue;
    const q = real();
    realSeconds += q;
    realDone += perRound;
    pairs.push(((sim.reaped() - before) / s) / (perRound / q));
  }
  sim.runTo(Infinity);
  const { output, reason } = sim.result();
  const simRate = sim.reaped() / simSeconds;
  console.log(`  simulator:   ${fmt(simRate)} lifecycles/s (${simSeconds.toFixed(2)} s, stop: ${reason}, output: ${JSON.stringify(output.trim())})`);
  if (typeof real === 'string') {
    console.log(`  real kernel: skipped (${real})`);
  } else {
    const realRate = realDone / realSeconds;
    const sorted = [...pairs].sort((a, b) => a - b);
    console.log(`  real kernel: ${fmt(realRate)} lifecycles/s (${fmt(realDone)} children in ${realSeconds.toFixed(2)} s)`);
    console.log(`  ratio:       ${(simRate / realRate).toFixed(1)}x the real kernel (target: at least 100x)`);
    console.log(`  per round:   min ${sorted[0].toFixed(1)}x, median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)}x, max ${sorted[sorted.length - 1].toFixed(1)}x (round 1 includes the JIT warming up)`);
  }
  console.log(`  against the nominal 6,000/s of these machines: ${(simRate / 6000).toFixed(1)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
