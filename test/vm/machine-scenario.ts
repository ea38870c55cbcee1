// Tests that run whole scenarios on the machine (as kproc run does): each source is written to
// a file in a directory the suite makes and removes, run to its end, and its stdout returned.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulated } from '../fidelity/simulated';

/**
 * Call inside a describe: its hooks make and remove the directory. The function returned runs
 * `head` + `src` as the scenario `name`, asserts that main returned 0, and gives its stdout.
 */
export function scenarioRunner(prefix: string, head: string): (name: string, src: string) => Promise<string> {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), `kproc-${prefix}-`)); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });
  return async (name, src) => {
    const file = join(dir, `${name}.kproc`);
    writeFileSync(file, head + src);
    const r = await runSimulated(file);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
}
