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

  it('shows a window of a very long line around the error, and the real column', async () => {
    const long = join(dir, 'long.kproc');
    writeFileSync(long, `int main(void) { int x = 1${' + 1'.repeat(400)} + frok(); return x; }\n`);
    const io = capture();
    assert.equal(await main(['check', long], io), 1);
    const [head, source, caret] = io.stdout.split('\n');
    const col = 'int main(void) { int x = 1'.length + 400 * 4 + 4;
    assert.equal(head, `${long}:1:${col}: error: implicit declaration of function 'frok'; did you mean 'fork'? [undefined-name]`);
    assert.ok(source.length < 140, `excerpt of ${source.length} characters`);
    // The window ends with the line, so only its start is elided.
    assert.match(source, /^ \.\.\. 1 \+ 1 .* \+ frok\(\); return x; \}$/);
    assert.equal(source.slice(caret.indexOf('^'), caret.indexOf('^') + 4), 'frok');
    assert.equal(caret.trim(), '^~~~');
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
    assert.match(io.stdout, /kproc check \[options\] FILE\.\.\./);
    io = capture();
    assert.equal(await main(['frobnicate'], io), 2);
    assert.equal(io.stderr, "kproc: unknown command 'frobnicate'; commands: run, check, verify (see kproc --help)\n");
    io = capture();
    assert.equal(await main(['check'], io), 2);
    assert.equal(io.stderr, 'kproc: check: no input files (usage: kproc check [options] FILE...)\n');
  });

  it('--json gives each diagnostic with an LSP-style range, severity, code and message', async () => {
    const io = capture();
    assert.equal(await main(['check', '--json', bad, join(dir, 'missing.kproc')], io), 2);
    const doc = JSON.parse(io.stdout) as { files: Array<{ file: string; error?: string; diagnostics: Array<Record<string, unknown>> }>; errors: number };
    assert.equal(doc.errors, 2);
    assert.deepEqual(doc.files[0].diagnostics[0], {
      range: { start: { line: 1, character: 11 }, end: { line: 1, character: 15 } },
      severity: 'error', code: 'undefined-name', message: "implicit declaration of function 'frok'; did you mean 'fork'?",
    });
    assert.equal(doc.files[1].error, `${join(dir, 'missing.kproc')}: No such file or directory`);
  });

  it('reports the teacher warnings and honours kproc-allow, as the editor does', async () => {
    const body = 'int main(void)\n{\n    if (fork() == 0)%s\n        _exit(0);\n    return 0;\n}\n';
    const loud = join(dir, 'loud.kproc');
    writeFileSync(loud, body.replace('%s', ''));
    const quiet = join(dir, 'quiet.kproc');
    writeFileSync(quiet, body.replace('%s', ' /* kproc-allow: never-waited */'));
    const io = capture();
    assert.equal(await main(['check', loud, quiet], io), 0);
    assert.match(io.stdout, /loud\.kproc:3:9: warning: nothing waits for the child of this fork\(\).*\[never-waited\]/);
    assert.doesNotMatch(io.stdout, /quiet\.kproc/);
    assert.match(io.stdout, /0 errors, 1 warning in 2 files\n$/);
  });
});
