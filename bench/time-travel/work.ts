// The time-travel benchmark's work, bundled by esbuild as dist/ ships the machine: forward runs
// with the history on and off, a stepBack and a reverseContinue at step 1,000,000 of the fork
// lifecycle scenario, and the history's size after 10,000,000 steps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boot } from '../../sim-core/machine';
import type { Machine, Stop } from '../../sim-core/machine-types';

const FILE = join(process.cwd(), 'bench/lifecycle/lifecycle.kproc');

export function lifecycle(historyBytes: number | undefined, maxSteps = 50_000_000, stopOnEntry = false): Machine {
  const source = readFileSync(FILE, 'utf8');
  const { machine, diagnostics } = boot({ file: FILE, source, maxSteps, historyBytes, stopOnEntry });
  if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return machine;
}

export function drive(m: Machine): Stop {
  for (;;) {
    const s = m.run(100_000);
    if (s.reason !== 'yield') return s;
  }
}

/** Seconds of CPU to run a fresh machine forward to `steps`. */
export function forward(historyBytes: number | undefined, steps: number): number {
  const m = lifecycle(historyBytes);
  const t0 = process.cpuUsage();
  m.goto({ kind: 'step', step: steps });
  drive(m);
  const t = process.cpuUsage(t0);
  if (m.moment().step !== steps) throw new Error(`forward stopped at ${m.moment().step}`);
  return (t.user + t.system) / 1e6;
}

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
