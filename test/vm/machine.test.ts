// The VM behind the kernel model: examples booted as the product boots them (the production UserPort), so fork's
// two returns, vfork's shared memory, exec of a registered program and threads meet the kernel.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runSource } from '../kernel/vm-run';

function runExample(file: string): { reason: string; out: string } {
  const text = readFileSync(path.join(__dirname, '../../examples', file), 'utf8');
  const { reason, out } = runSource(text, { file });
  return { reason, out };
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
