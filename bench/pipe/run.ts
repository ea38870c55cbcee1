// Pipe benchmark: a parent pushes 100 MB through a pipe to its child in 4 KB writes, in the
// simulator (the bundled machine, as dist/ ships it) and, for the same C program compiled with
// gcc, on this machine's kernel; prints both throughputs in MB/s and their ratio.
// usage: npx tsx bench/pipe/run.ts [--mb N] [--real-mb N]. Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundledMachine } from '../lifecycle/bundled';

const { boot } = loadBundledMachine();
const SCENARIO = join(__dirname, 'pipe.kproc');
/** The adapter's slice of steps (pause is heard between two). */
const SLICE = 20_000;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Runs the scenario for `mb` megabytes; returns the seconds and what it printed. */
function simulator(mb: number): { seconds: number; output: string; reason: string; steps: number } {
  const source = readFileSync(SCENARIO, 'utf8').replace(/#define MEGABYTES \d+/, `#define MEGABYTES ${mb}`);
  const { machine, diagnostics } = boot({ file: SCENARIO, source, maxSteps: Number.MAX_SAFE_INTEGER });
  if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
  const t0 = performance.now();
  let reason = 'yield';
  while (reason === 'yield') reason = machine.run(SLICE).reason;
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, output: machine.output(), reason, steps: machine.globals().steps };
}

/** Compiles the program with gcc and times one run of `mb` megabytes; a string says why not. */
function realKernel(dir: string, mb: number): { seconds: number; output: string } | string {
  if (spawnSync('sh', ['-c', 'command -v gcc'], { encoding: 'utf8' }).status !== 0) return 'gcc is not installed';
  const bin = join(dir, 'pipe');
  execFileSync('gcc', ['-O2', `-DMEGABYTES=${mb}`, '-x', 'c', SCENARIO, '-o', bin]);
  let best = Infinity, output = '';
  // The best of three runs: one run of a fast program is at the mercy of the machine's load.
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    output = execFileSync(bin, { encoding: 'utf8' });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { seconds: best, output };
}

const mb = option('--mb', 100);
const realMb = option('--real-mb', mb);
console.log(`pipe benchmark: ${fmt(mb)} MB through a pipe in 4 KB writes, parent to child`);
const sim = simulator(mb);
const expected = `${mb * 1024 * 1024} bytes\n`;
const simRate = mb / sim.seconds;
console.log(`  simulator:   ${fmt(simRate, 1)} MB/s (${fmt(sim.seconds, 2)} s, ${fmt(sim.steps)} steps, stop: ${sim.reason}${sim.output === expected ? '' : `, output ${JSON.stringify(sim.output)}`})`);
const dir = mkdtempSync(join(tmpdir(), 'kproc-pipe-'));
try {
  const real = realKernel(dir, realMb);
  if (typeof real === 'string') {
    console.log(`  real kernel: skipped (${real})`);
  } else {
    const realRate = realMb / real.seconds;
    console.log(`  real kernel: ${fmt(realRate, 1)} MB/s (${fmt(realMb)} MB in ${fmt(real.seconds, 3)} s, best of 3, gcc -O2)`);
    console.log(`  ratio:       the simulator moves data at 1/${fmt(realRate / simRate, 0)} of the real kernel's rate`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
