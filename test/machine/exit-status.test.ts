// The machine's final state: exitStatus() after each kind of end, the shell's view of the main
// task's status, run() after the end, and kernelFunctionLocations() through the Machine interface.
import { strict as assert } from 'node:assert';
import type { Machine } from '../../sim-core/machine-types';
import { bootSource, runToEnd, runUntil } from './helpers';

const H = '#include <signal.h>\n#include <stdlib.h>\n#include <unistd.h>\n';

function ended(m: Machine): void {
  const before = m.globals().steps;
  const again = m.run(1000);
  assert.equal(again.reason, m.exitStatus().reason, 'run() after the end returns the final stop');
  assert.deepEqual(again.events, []);
  assert.equal(m.globals().steps, before, 'nothing runs after the end');
}

describe('machine: exit status', () => {
  it('is not finished while the scenario can still run', () => {
    const m = bootSource();
    assert.equal(m.run(3).reason, 'yield');
    assert.deepEqual(m.exitStatus(), { finished: false });
  });

  for (const [what, body, code] of [
    ['exit(3)', 'exit(3);', 3],
    ['return 298 (the low 8 bits)', 'int n = 256 + 42;\n    return n;', 42],
    ['a fatal SIGKILL', 'kill(getpid(), SIGKILL);\n    return 0;', 128 + 9],
    ['a fatal SIGSEGV', 'raise(SIGSEGV);\n    return 0;', 128 + 11],
  ] as const) {
    it(`gives the shell's exit code after ${what}`, () => {
      const m = bootSource(`${H}int main(void)\n{\n    ${body}\n}\n`);
      runToEnd(m);
      const s = m.exitStatus();
      assert.deepEqual([s.finished, s.reason, s.exitCode], [true, 'exited', code]);
      ended(m);
    });
  }

  it('a deadlock is final: finished, with the reason, and no exit code', () => {
    const m = bootSource(`${H}int main(void)\n{\n    pause();\n    return 0;\n}\n`);
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'deadlock');
    const s = m.exitStatus();
    assert.deepEqual([s.finished, s.reason, s.exitCode], [true, 'deadlock', undefined]);
    assert.match(s.message ?? '', /deadlock/);
    ended(m);
  });

  it('a spent step budget is final too', () => {
    const m = bootSource('int main(void)\n{\n    for (;;) {}\n    return 0;\n}\n', 300);
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'budget');
    const s = m.exitStatus();
    assert.deepEqual([s.finished, s.reason, s.exitCode], [true, 'budget', undefined]);
    ended(m);
  });

  it('knows where each kernel function is defined', () => {
    const m = bootSource();
    const locs = m.kernelFunctionLocations();
    assert.deepEqual(locs.map((l) => l.name), m.kernelFunctions());
    const kc = locs.find((l) => l.name === 'kernel_clone');
    assert.ok(kc);
    const src = m.kernelSources().find((s) => s.path === kc.file);
    assert.ok(src, kc.file);
    assert.match(src.text.split('\n')[kc.line], /^pid_t kernel_clone\(/);
  });
});
