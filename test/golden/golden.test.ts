// Golden event logs: `kproc run --trace` of every example must match test/golden/<example>.log byte
// for byte, and two runs of the same file must agree. UPDATE_GOLDEN=1 rewrites the logs.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { exampleFiles, runSimulated } from '../fidelity/simulated';

const GOLDEN_DIR = __dirname;
const update = process.env.UPDATE_GOLDEN === '1';

function goldenPath(example: string): string {
  return join(GOLDEN_DIR, `${basename(example, '.kproc')}.log`);
}

describe('golden event logs of the examples', function () {
  this.timeout(300000); // a hang guard: a CPU-bound example runs 100,000s of steps, slow on a loaded machine
  const examples = exampleFiles();

  it('has one log per example and no stray logs', () => {
    const logs = readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.log')).sort();
    const expected = examples.map((f) => basename(goldenPath(f))).sort();
    if (!update) assert.deepEqual(logs, expected, 'run with UPDATE_GOLDEN=1 to create missing logs');
  });

  for (const file of examples) {
    const name = basename(file);
    it(`${name}: kproc run --trace matches its golden log`, async () => {
      const run = await runSimulated(file, ['--trace']);
      assert.equal(run.code, 0, `kproc run did not finish the scenario (exit ${run.code}):\n${run.stderr}`);
      const path = goldenPath(file);
      if (update) writeFileSync(path, run.stdout);
      assert.ok(existsSync(path), `no golden log ${basename(path)}; run with UPDATE_GOLDEN=1 to create it`);
      assert.ok(run.stdout.length > 0, 'the trace is empty');
      const golden = readFileSync(path, 'utf8');
      assert.ok(run.stdout === golden, `the trace differs from ${basename(path)}; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff\n${firstDifference(golden, run.stdout)}`);
    });

    it(`${name}: two runs give the same trace`, async () => {
      const a = await runSimulated(file, ['--trace']);
      const b = await runSimulated(file, ['--trace']);
      assert.ok(a.stdout === b.stdout, `the trace is not deterministic\n${firstDifference(a.stdout, b.stdout)}`);
      assert.equal(a.code, b.code);
    });
  }
});

/** The first differing line of two texts, for a readable failure. */
function firstDifference(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) return `line ${i + 1}:\n  expected: ${e[i] ?? '(end of text)'}\n  actual:   ${a[i] ?? '(end of text)'}`;
  }
  return '(no difference)';
}
