// Kernel micro-benchmark: fork + _exit + waitpid lifecycles through the Engine (kernel model and
// VM), beside the VM alone answering the same calls on the spot, in one process; prints the ratio.
// Both run from an esbuild bundle of lifecycle-work.ts, as the shipped code runs.
// usage: npx tsx bench/kernel/lifecycle.ts [--children N] [--rounds R]. Prints figures only.
import { join } from 'node:path';
import { loadBundled } from '../lifecycle/bundled';

type Work = typeof import('./lifecycle-work');
const { imageFor, sourceFor, throughEngine, vmOnly } = loadBundled<Work>('bench/kernel/lifecycle-work.ts');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const children = option('--children', 100_000);
const rounds = option('--rounds', 3);
const source = sourceFor(join(__dirname, '../lifecycle/lifecycle.kproc'), children);
const image = imageFor(source);
let bestEngine = Infinity;
let bestVm = Infinity;
for (let i = 0; i < rounds; i++) {
  const k = throughEngine(source);
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
