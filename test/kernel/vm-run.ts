// Runs scenario source the way the product boots it (sim-core/machine.ts boot: analysis, compile,
// the production UserPort, main as pid 3 under init) and then runs the engine to the end.
import { strict as assert } from 'node:assert';
import { boot, KMachine } from '../../sim-core/machine';
import type { Engine } from '../../sim-core/machine/engine';

/** Boots `text` as the product does (file names the scenario: comm and argv[0] come from it). */
export function bootSource(text: string, opts: { pidMax?: number; uid?: number; file?: string } = {}): Engine {
  const settings = { ...(opts.pidMax !== undefined ? { pidMax: opts.pidMax } : {}), ...(opts.uid !== undefined ? { uid: opts.uid } : {}) };
  const r = boot({ file: opts.file ?? 'main.kproc', source: text, settings });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(r.machine instanceof KMachine, 'the scenario did not boot');
  return r.machine.engine;
}

export function runSource(text: string, opts: { pidMax?: number; uid?: number; file?: string } = {}): { reason: string; out: string; engine: Engine } {
  const engine = bootSource(text, opts);
  const r = engine.runToEnd(1_000_000);
  return { reason: r.reason, out: engine.k.out.map((o) => o.text).join(''), engine };
}
