// What `kproc run` and `kproc check` read: regular files only, at most 10 MB, with one clear line
// for a device, a FIFO or a file too large (never an endless read).
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SCENARIO_BYTES, readRegularFile } from '../../sim-core/cli/files';
import { main } from '../../sim-core/cli/main';
import { capture } from './capture';

describe('kproc input files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kproc-input-'));
  const io = () => { const c = capture(); c.readFile = (p: string) => readRegularFile(p); return c; };

  it('refuses a device (/dev/zero) for run and check, with their usage status and one line', async () => {
    for (const cmd of ['run', 'check']) {
      const c = io();
      const code = await main([cmd, '/dev/zero'], c);
      assert.equal(code, cmd === 'run' ? 123 : 2, cmd);
      assert.equal(c.stderr, 'kproc: /dev/zero: not a regular file\n', cmd);
    }
  });

  it('refuses a file larger than 10 MB and reads one of exactly 10 MB', async () => {
    const big = join(dir, 'big.kproc');
    writeFileSync(big, Buffer.alloc(MAX_SCENARIO_BYTES + 1, 0x20));
    for (const cmd of ['run', 'check']) {
      const c = io();
      assert.equal(await main([cmd, big], c), cmd === 'run' ? 123 : 2, cmd);
      assert.equal(c.stderr, `kproc: ${big}: is larger than 10 MB\n`, cmd);
    }
    const edge = join(dir, 'edge.kproc');
    writeFileSync(edge, Buffer.alloc(MAX_SCENARIO_BYTES, 0x20));
    assert.equal(readRegularFile(edge).length, MAX_SCENARIO_BYTES);
  });

  it('still names a directory and a missing file as the system does', async () => {
    const c = io();
    assert.equal(await main(['run', dir], c), 123);
    assert.equal(c.stderr, `kproc: ${dir}: Is a directory\n`);
    const d = io();
    assert.equal(await main(['run', join(dir, 'nope.kproc')], d), 123);
    assert.equal(d.stderr, `kproc: ${join(dir, 'nope.kproc')}: No such file or directory\n`);
  });
});
