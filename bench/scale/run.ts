// Scale benchmark: 100,000 live tasks with pid_max raised. Prints the heap per task and the time of
// reparenting all of them to init when their parent exits, beside a baseline of the same number of
// bare list moves in this process. usage: npx tsx bench/scale/run.ts [--tasks N]. Asserts nothing.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadBundledMachine } from '../lifecycle/bundled';
import type { Machine } from '../../sim-core/machine-types';
import { ListHead, list_add_tail, list_move_tail } from '../../sim-core/kernel/list';

const { boot } = loadBundledMachine();
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function heap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function scenario(tasks: number): string {
  return `#include <stdio.h>
#include <unistd.h>
#pragma kproc pid_max ${Math.max(4 * tasks, 32768)}
#pragma kproc nproc ${tasks + 100}

int main(void)
{
    for (int i = 0; i < ${tasks}; i++) {
        if (fork() == 0) {
            for (;;)
                pause();
        }
    }
    printf("all children started\\n");
    return 0;
}
`;
}

/** The object size of this kernel's task_struct slab cache, when /proc/slabinfo can be read. */
function slabObjectSize(): number | undefined {
  try {
    const line = readFileSync('/proc/slabinfo', 'utf8').split('\n').find((l) => l.startsWith('task_struct '));
    return line ? Number(line.split(/\s+/)[3]) : undefined;
  } catch {
    return undefined;
  }
}

/** Time of moving `n` entries from one list to another: the floor for any reparenting. */
function listBaseline(n: number): number {
  const from = new ListHead<number>();
  const to = new ListHead<number>();
  const nodes: ListHead<number>[] = [];
  for (let i = 0; i < n; i++) {
    const node = new ListHead<number>(i);
    nodes.push(node);
    list_add_tail(node, from);
  }
  const t0 = performance.now();
  for (const node of nodes) list_move_tail(node, to);
  return performance.now() - t0;
}

/** Runs until a real stop; keeps only the reason, pid and reparent count, not the event arrays. */
function runToStop(m: Machine): { reason: string; pid?: number; reparented: number } {
  let reparented = 0;
  m.continue();
  for (;;) {
    const stop = m.run(100_000);
    for (const e of stop.events) if (e.kind === 'reparent') reparented++;
    if (stop.reason !== 'yield') return { reason: stop.reason, pid: stop.pid, reparented };
  }
}

const tasks = option('--tasks', 100_000);
const file = 'scale.kproc';
const source = scenario(tasks);
const lines = source.split('\n');

const before = heap();
const { machine, diagnostics } = boot({ file, source, maxSteps: Number.MAX_SAFE_INTEGER });
if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
const printLine = lines.findIndex((l) => l.includes('all children started'));
machine.setLineBreakpoints(file, [{ line: printLine }]);

const t0 = performance.now();
const started = runToStop(machine);
const forkSeconds = (performance.now() - t0) / 1000;
const live = machine.tasks().length;
const after = heap();
const perTask = (after - before) / tasks;

console.log(`scale benchmark: ${fmt(tasks)} children of one parent (stop: ${started.reason}, ${fmt(live)} tasks listed)`);
console.log(`  start-up:    ${forkSeconds.toFixed(2)} s to fork them all`);
const slab = slabObjectSize();
console.log(`  memory:      ${fmt(perTask)} bytes of heap per task (target: at most 4,224${slab ? `; this kernel's task_struct slab object: ${fmt(slab)}` : ''})`);

// The parent exits: exit_notify -> forget_original_parent moves every child to init.
machine.setLineBreakpoints(file, []);
machine.setFunctionBreakpoints([{ name: 'forget_original_parent' }]);
const atForget = runToStop(machine);
if (atForget.reason !== 'function breakpoint' || atForget.pid === undefined) {
  console.log(`  reparenting: not measured (expected a stop in forget_original_parent, got ${atForget.reason})`);
} else {
  // Stop again right after the call returns: the next line of exit_notify in the kernel source.
  const src = machine.kernelSources().find((k) => k.text.includes('static void exit_notify('));
  const afterLine = src ? src.text.split('\n').findIndex((l) => l.includes('tsk->exit_state = EXIT_ZOMBIE;')) : -1;
  if (src) machine.setLineBreakpoints(src.path, [{ line: afterLine }]);
  machine.setFunctionBreakpoints([]);
  const r0 = performance.now();
  const out = runToStop(machine);
  const reparentMs = performance.now() - r0;
  const baseMs = listBaseline(tasks);
  console.log(`  reparenting: ${reparentMs.toFixed(1)} ms for ${fmt(out.reparented)} orphans (${(reparentMs * 1e6 / Math.max(out.reparented, 1)).toFixed(0)} ns each, stop: ${out.reason})`);
  console.log(`  baseline:    ${baseMs.toFixed(1)} ms to move ${fmt(tasks)} bare list entries (${(reparentMs / baseMs).toFixed(1)}x)`);
}
