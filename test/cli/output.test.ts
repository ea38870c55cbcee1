// `kproc run`'s output limit and streaming: a run that writes past --max-output ends with exit
// status 6 and one line naming the limit, having written exactly that much; output reaches the
// CLI's stream while the run goes on (the first write arrives before the run ends).
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { EXIT_CODES } from '../../sim-core/cli/run';
import { capture } from './capture';

describe('kproc run: output limit and streaming', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'kproc-out-'));
  const write = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const wide = write('wide.kproc', '#include <stdio.h>\nint main(void)\n{\n    for (;;)\n        printf("%100000000d", 1);\n    return 0;\n}\n');

  it('ends at --max-output with exit status 122, after exactly that many characters', async () => {
    const io = capture();
    assert.equal(await main(['run', '--max-output', '250000', wide], io), 122);
    assert.equal(EXIT_CODES.output, 122);
    assert.equal(io.stdout.length, 250000);
    assert.equal(io.stdout, ' '.repeat(250000));
    // The checker's warning on the width comes first; the run's last word is the limit.
    assert.match(io.stderr, /\[format-width\]\n/);
    assert.ok(io.stderr.endsWith(`kproc run: ${wide}: output limit reached: the run wrote 250000 characters (raise it with --max-output)\n`), io.stderr);
  });

  it('documents the limit and its exit status in --help', async () => {
    const io = capture();
    await main(['run', '--help'], io);
    assert.match(io.stdout, /--max-output N +output limit: stop with exit status 122/);
    assert.match(io.stdout, /122 output limit reached/);
  });

  it('writes output as the run goes: each write of the io sees at most about 1 MB', async () => {
    const loop = write('loop.kproc', '#include <stdio.h>\nint main(void)\n{\n    for (int i = 0; ; i++)\n        printf("%1000d\\n", i);\n    return 0;\n}\n');
    const io = capture();
    let calls = 0;
    let biggest = 0;
    let pending = 0;
    const out = io.out.bind(io);
    io.out = (t: string) => { out(t); pending += t.length; };
    io.breathe = async () => { calls++; biggest = Math.max(biggest, pending); pending = 0; };
    assert.equal(await main(['run', '--max-steps', '100000000', '--max-output', '5000000', loop], io), 122);
    assert.equal(io.stdout.length, 5000000);
    assert.ok(calls >= 4, `the output came in ${calls} slices`);
    assert.ok(biggest <= 1100000, `one slice held ${biggest} characters`);
  });
});
