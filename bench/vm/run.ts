// VM benchmark: user code speed. Two scenario loops (`sum += i & 7`, and a call plus an array read
// per iteration) booted and run to the end through the machine, as the debugger runs them (slices
// of 20,000 steps, a line breakpoint armed that never hits), beside the same loops in CPython,
// timed in alternating rounds in one command; prints both rates and their ratio.
// The machine runs from an esbuild bundle, as shipped code does (tsx's loader distorts timings).
// Both sides are timed in CPU time (this process's, python's own process_time) as well as wall
// time: on a shared machine the wall time of either side depends on what else runs.
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

interface Timing { cpu: number; wall: number }

/** Boots the scenario and runs it to its end with the debugger's breakpoint machinery armed. */
function simulator(loop: Loop): Timing {
  const t0 = performance.now(), c0 = process.cpuUsage();
  const source = readFileSync(loop.file, 'utf8').replace(/#define N \d+/, `#define N ${n}`);
  const { machine, diagnostics } = boot({ file: loop.file, source, maxSteps: Number.MAX_SAFE_INTEGER });
  if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
  // A line breakpoint in a function that is never called: the VM checks statements against it.
  const line = source.split('\n').findIndex((l) => l.includes('not reached'));
  const bp = machine.setLineBreakpoints(loop.file, [{ line }]);
  if (!bp[0]?.verified) throw new Error('the benchmark breakpoint was not verified');
  let reason = 'yield';
  machine.continue();
  while (reason === 'yield') reason = machine.run(SLICE).reason;
  const c = process.cpuUsage(c0);
  const seconds = { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
  const out = machine.output().trim();
  if (reason !== 'exited' || out !== String(loop.expected)) throw new Error(`${loop.name}: stop ${reason}, output ${JSON.stringify(out)}`);
  return seconds;
}

/** Runs the loop in python3; the times it measured around the function call, or why not. */
function python(loop: Loop): Timing | string {
  const p = spawnSync('python3', [join(__dirname, 'loops.py'), loop.name, String(n)], { encoding: 'utf8' });
  if (p.error || p.status !== 0) return `python3 failed: ${p.error?.message ?? p.stderr.trim()}`;
  const [result, cpu, wall] = p.stdout.trim().split(' ');
  if (Number(result) !== loop.expected) throw new Error(`python printed ${JSON.stringify(p.stdout)}`);
  return { cpu: Number(cpu), wall: Number(wall) };
}

console.log(`VM benchmark: ${fmt(n)} iterations per loop, ${rounds} alternating rounds (simulator boot + run to end, then CPython)`);
const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

const rate = (t: Timing[], pick: (x: Timing) => number): number => (n * t.length) / total(t.map(pick));

/**
 * One side's line: the rate in CPU time over all rounds and over the rounds after the first
 * (the simulator's first round includes V8 compiling its code), wall-time rate, each round.
 */
function line(label: string, t: Timing[]): string {
  const later = t.length > 1 ? `, after the first round ${fmt(rate(t.slice(1), (x) => x.cpu))}/s` : '';
  return `  ${label} ${fmt(rate(t, (x) => x.cpu))} iterations/s in CPU time${later} (wall time ${fmt(rate(t, (x) => x.wall))}/s; `
    + `rounds ${t.map((x) => x.cpu.toFixed(3)).join(' ')} s)`;
}

for (const loop of loops) {
  const sim: Timing[] = [], py: Timing[] = [];
  let skipped = '';
  for (let r = 0; r < rounds; r++) {
    sim.push(simulator(loop));
    if (!withPython || skipped) continue;
    const q = python(loop);
    if (typeof q === 'string') skipped = q; else py.push(q);
  }
  console.log(`${loop.name}: ${loop.title}`);
  console.log(line('simulator:', sim));
  if (py.length === 0) { console.log(`  CPython:   skipped${skipped ? ` (${skipped})` : ''}`); continue; }
  console.log(line('CPython:  ', py));
  const both = sim.slice(0, py.length);
  const ratio = (from: number, pick: (x: Timing) => number): number => rate(both.slice(from), pick) / rate(py.slice(from), pick);
  const pairs = py.map((q, i) => q.cpu / sim[i].cpu).sort((a, b) => a - b);
  const later = py.length > 1 ? `, ${ratio(1, (x) => x.cpu).toFixed(2)}x after the first round` : '';
  console.log(`  ratio:     ${ratio(0, (x) => x.cpu).toFixed(2)}x CPython's rate in CPU time${later} (${ratio(0, (x) => x.wall).toFixed(2)}x in wall time); `
    + `per round min ${pairs[0].toFixed(2)}x, median ${pairs[Math.floor(pairs.length / 2)].toFixed(2)}x, max ${pairs[pairs.length - 1].toFixed(2)}x`);
}
