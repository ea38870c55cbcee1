// VM benchmark: user code speed. Two scenario loops (`sum += i & 7`, and a call plus an array read
// per iteration) booted and run to the end through the machine, as the debugger runs them (slices
// of 20,000 steps, a line breakpoint armed that never hits), beside the same loops in CPython,
// timed in alternating rounds in one command; prints both rates and their ratio.
// The machine runs from an esbuild bundle, as shipped code does (tsx's loader distorts timings).
// usage: npx tsx bench/vm/run.ts [--n N] [--rounds R] [--only loop|calls] [--no-python]
// Prints figures; asserts nothing but the loops' results.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundledMachine } from '../lifecycle/bundled';

const { boot } = loadBundledMachine();

/** The adapter runs the machine in slices of 20,000 steps (pause is heard between them); so does this. */
const SLICE = 20_000;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const n = Number(option('--n', '3000000'));
const rounds = Math.max(1, Number(option('--rounds', '5')));
const only = option('--only', '');
const withPython = !process.argv.includes('--no-python');

interface Loop { name: 'loop' | 'calls'; title: string; file: string; expected: number }

function expected(name: Loop['name']): number {
  const table = [5, 1, 4, 2, 8, 6, 3, 7];
  let s = 0;
  for (let i = 0; i < n; i++) s += name === 'loop' ? i & 7 : table[i & 7] * 3 + 1;
  return s;
}

const loops: Loop[] = ([
  ['loop', 'sum += i & 7'],
  ['calls', 'sum += weight(table[i & 7]) (a call and an array read)'],
] as const).filter(([name]) => only === '' || only === name)
  .map(([name, title]) => ({ name, title, file: join(__dirname, `${name}.kproc`), expected: expected(name) }));

/** Boots the scenario and runs it to its end with the debugger's breakpoint machinery armed; seconds. */
function simulator(loop: Loop): number {
  const t0 = performance.now();
  const source = readFileSync(loop.file, 'utf8').replace(/#define N \d+/, `#define N ${n}`);
  const { machine, diagnostics } = boot({ file: loop.file, source, maxSteps: Number.MAX_SAFE_INTEGER });
  if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
  // A line breakpoint in a function that is never called: the VM checks statements against it.
  const line = source.split('\n').findIndex((l) => l.includes('not reached'));
  const bp = machine.setLineBreakpoints(loop.file, [{ line }]);
  if (!bp[0]?.verified) throw new Error('the benchmark breakpoint was not verified');
  let reason = 'yield';
  while (reason === 'yield' || reason === 'entry') reason = machine.run({ kind: 'continue' }, SLICE).reason;
  const seconds = (performance.now() - t0) / 1000;
  const out = machine.output().trim();
  if (reason !== 'exited' || out !== String(loop.expected)) throw new Error(`${loop.name}: stop ${reason}, output ${JSON.stringify(out)}`);
  return seconds;
}

/** Runs the loop in python3; the seconds it measured around the function call, or why not. */
function python(loop: Loop): number | string {
  const p = spawnSync('python3', [join(__dirname, 'loops.py'), loop.name, String(n)], { encoding: 'utf8' });
  if (p.error || p.status !== 0) return `python3 failed: ${p.error?.message ?? p.stderr.trim()}`;
  const [result, seconds] = p.stdout.trim().split(' ');
  if (Number(result) !== loop.expected) throw new Error(`python printed ${JSON.stringify(p.stdout)}`);
  return Number(seconds);
}

console.log(`VM benchmark: ${fmt(n)} iterations per loop, ${rounds} alternating rounds (simulator boot + run to end, then CPython)`);
for (const loop of loops) {
  const sim: number[] = [], py: number[] = [];
  let skipped = '';
  for (let r = 0; r < rounds; r++) {
    sim.push(simulator(loop));
    if (!withPython || skipped) continue;
    const q = python(loop);
    if (typeof q === 'string') skipped = q; else py.push(q);
  }
  const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const simRate = (n * sim.length) / total(sim);
  console.log(`${loop.name}: ${loop.title}`);
  console.log(`  simulator: ${fmt(simRate)} iterations/s (best ${fmt(n / Math.min(...sim))}/s; ${sim.map((s) => s.toFixed(3)).join(' ')} s)`);
  if (py.length === 0) { console.log(`  CPython:   skipped${skipped ? ` (${skipped})` : ''}`); continue; }
  const pyRate = (n * py.length) / total(py);
  const pairs = sim.slice(0, py.length).map((s, i) => py[i] / s).sort((a, b) => a - b);
  console.log(`  CPython:   ${fmt(pyRate)} iterations/s (best ${fmt(n / Math.min(...py))}/s; ${py.map((s) => s.toFixed(3)).join(' ')} s)`);
  console.log(`  ratio:     ${(simRate / pyRate).toFixed(2)}x CPython's rate; per round min ${pairs[0].toFixed(2)}x, median ${pairs[Math.floor(pairs.length / 2)].toFixed(2)}x, max ${pairs[pairs.length - 1].toFixed(2)}x`);
}
