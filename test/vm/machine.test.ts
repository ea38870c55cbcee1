// The VM behind the kernel model: examples run through the Engine with createVmPort, so fork's
// two returns, vfork's shared memory, exec of a registered program and threads meet the kernel.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from '../../sim-core/lang/parser';
import { Engine } from '../../sim-core/machine/engine';
import { compile, execEntry } from '../../sim-core/vm';
import { createVmPort } from '../../sim-core/vm/port';
import { runEngine } from '../kernel/run-engine';

function runExample(file: string): { reason: string; out: string } {
  const text = readFileSync(path.join(__dirname, '../../examples', file), 'utf8');
  const { image, diagnostics } = compile(parse(text).program, text);
  assert.deepEqual(diagnostics, []);
  const box: { engine: Engine | null } = { engine: null };
  const port = createVmPort(image, (t) => (box.engine as Engine).k.memoryOf(t), { readField: () => 0 });
  const engine = new Engine({ pidMax: 32768, cpus: 1, nproc: 4096, uid: 1000, seed: 1 }, port, (t, b) => port.runUser(t, b));
  box.engine = engine;
  const e = execEntry(image, 'main', ['main']);
  assert.ok(e);
  engine.boot({ memory: e.memory, regs: e.regs, comm: 'main' });
  const r = runEngine(engine, 1000000);
  return { reason: r.reason, out: engine.k.out.map((o) => o.text).join('') };
}

describe('vm: examples through the kernel model', () => {
  it('fork-wait: fork returns twice, the parent reaps status 7', () => {
    assert.deepEqual(runExample('fork-wait.kproc'), {
      reason: 'exited',
      out: 'parent 3: started child 4\nchild 4: done, exiting with 7\nparent: child 4 exited with status 7\n',
    });
  });

  it('vfork-exec: the child writes the parent\'s memory, then execs a registered program', () => {
    const r = runExample('vfork-exec.kproc');
    assert.equal(r.reason, 'exited');
    assert.match(r.out, /resumed after the exec of 4, shared = 42\n/);
    assert.match(r.out, /greeter: pid 4, parent 3, a new program\nparent: greeter exited with 3\n$/);
  });

  it('threads-exit-group: threads share the process and exit(7) ends them all', () => {
    const r = runExample('threads-exit-group.kproc');
    assert.equal(r.reason, 'exited');
    assert.match(r.out, /parent 3: process 4 exited with 7/);
    assert.doesNotMatch(r.out, /never printed/);
  });
});
