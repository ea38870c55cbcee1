// Runs scenario source through the Engine with the bytecode VM behind the kernel's UserPort, the
// way the machine boots it (main is pid 3 under init), and returns the stop and what it printed.
import { strict as assert } from 'node:assert';
import { parse } from '../../sim-core/lang/parser';
import { Engine } from '../../sim-core/machine/engine';
import { compile, execEntry } from '../../sim-core/vm';
import { createVmPort } from '../../sim-core/vm/port';
import { runEngine } from './run-engine';

export function runSource(text: string, opts: { pidMax?: number; uid?: number } = {}): { reason: string; out: string; engine: Engine } {
  const { image, diagnostics } = compile(parse(text).program, text);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  const box: { engine: Engine | null } = { engine: null };
  const port = createVmPort(image, (t) => (box.engine as Engine).k.memoryOf(t), { readField: () => 0 });
  const engine = new Engine({ pidMax: opts.pidMax ?? 32768, cpus: 1, nproc: 4096, uid: opts.uid ?? 1000, seed: 1 }, port, (t, b) => port.runUser(t, b));
  box.engine = engine;
  const e = execEntry(image, 'main', ['main']);
  assert.ok(e);
  engine.boot({ memory: e.memory, regs: e.regs, comm: 'main' });
  const r = runEngine(engine, 1_000_000);
  return { reason: r.reason, out: engine.k.out.map((o) => o.text).join(''), engine };
}
