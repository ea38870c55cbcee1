// Runs scenario source the way the product boots it (sim-core/machine.ts boot: analysis, compile,
// the production UserPort, main as pid 3 under init) and then runs the engine to the end.
import { strict as assert } from 'node:assert';
import { boot, KMachine } from '../../sim-core/machine';
import type { Engine } from '../../sim-core/machine/engine';
import type { MachineSettings } from '../../sim-core/machine-types';
import { runEngine } from './run-engine';

export interface SourceOptions extends MachineSettings { file?: string }

/** Boots `text` as the product does (file names the scenario: comm and argv[0] come from it). */
export function bootSource(text: string, opts: SourceOptions = {}): Engine {
  const { file, ...settings } = opts;
  const r = boot({ file: file ?? 'main.kproc', source: text, settings });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(r.machine instanceof KMachine, 'the scenario did not boot');
  return r.machine.engine;
}

export function runSource(text: string, opts: SourceOptions = {}, maxSteps = 1_000_000): { reason: string; out: string; engine: Engine } {
  const engine = bootSource(text, opts);
  const r = runEngine(engine, maxSteps);
  return { reason: r.reason, out: engine.k.out.map((o) => o.text).join(''), engine };
}

/** What the scenario wrote to standard output and error so far. */
export function outputOf(engine: Engine): string {
  return engine.k.out.map((o) => o.text).join('');
}

/** The kernel log (printk) so far. */
export function dmesgOf(engine: Engine): string {
  return engine.k.dmesg.map((d) => d.text).join('\n');
}

/** The headers the C scenarios of these tests include. */
export const HEADERS = ['stdio.h', 'stdlib.h', 'unistd.h', 'signal.h', 'sys/wait.h', 'sys/prctl.h', 'sys/resource.h', 'pthread.h', 'errno.h']
  .map((h) => `#include <${h}>`).join('\n');
