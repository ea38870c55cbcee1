// `kproc check` through main(): output format, exit codes, help and unknown commands.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { capture } from './capture';


describe('kproc check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kproc-check-'));
  const bad = join(dir, 'bad.kproc');
  writeFileSync(bad, 'int main(void) {\n\tpid_t p = frok();\n  return 0\n}\n');
  const warn = join(dir, 'warn.kproc');
  writeFileSync(warn, '#include <stdlib.h>\nint main(void) { exit(300); }\n');

  it('exits 0 on a clean file and prints a summary', async () => {
    const io = capture();
    assert.equal(await main(['check', 'examples/fork-wait.kproc'], io), 0);
    assert.equal(io.stdout, '0 errors, 0 warnings in 1 file\n');
  });

  it('prints gcc-style diagnostics with the source line and a caret, and exits 1', async () => {
    const io = capture();
    assert.equal(await main(['check', bad], io), 1);
    const lines = io.stdout.split('\n');
    assert.equal(lines[0], `${bad}:2:12: error: implicit declaration of function 'frok'; did you mean 'fork'? [undefined-name]`);
    assert.equal(lines[1], '  pid_t p = frok();');
    assert.equal(lines[2], '            ^~~~');
    assert.equal(lines[3], `${bad}:3:11: error: expected ';' after the statement [syntax]`);
    assert.match(io.stdout, /2 errors, 0 warnings in 1 file\n$/);
  });

  it('exits 0 when there are only warnings', async () => {
    const io = capture();
    assert.equal(await main(['check', warn], io), 0);
    assert.match(io.stdout, /warn\.kproc:2:23: warning: exit status 300/);
  });

  it('checks several files and exits 2 when one cannot be read', async () => {
    const io = capture();
    assert.equal(await main(['check', warn, join(dir, 'missing.kproc'), bad], io), 2);
    assert.match(io.stderr, /missing\.kproc: No such file or directory/);
    assert.match(io.stdout, /2 errors, 1 warning in 3 files/);
  });

  it('shows help, and rejects unknown commands and missing files', async () => {
    let io = capture();
    assert.equal(await main(['--help'], io), 0);
    assert.match(io.stdout, /kproc check FILE\.\.\./);
    io = capture();
    assert.equal(await main(['frobnicate'], io), 2);
    assert.match(io.stderr, /unknown command 'frobnicate'/);
    io = capture();
    assert.equal(await main(['check'], io), 2);
    assert.match(io.stderr, /no input files/);
  });
});
