// The scenario's standard input: `--stdin FILE`, kproc's own standard input read only when the
// scenario waits on its terminal (`kproc run FILE < input`, a pipe, typing at a terminal), and a
// scenario that never reads it never waits for it.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { capture } from './capture';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'kproc.js');

/** Reads lines from descriptor 0 and echoes each, numbered, after a prompt. */
const ECHO = `#include <stdio.h>
#include <unistd.h>
int main(void)
{
    char buf[128];
    ssize_t n;
    int i = 0;
    for (;;) {
        write(1, "> ", 2);
        n = read(0, buf, sizeof(buf));
        if (n <= 0)
            break;
        printf("%d: %.*s", ++i, (int)n, buf);
    }
    printf("end %zd\\n", n);
    return 0;
}
`;

describe('kproc run: standard input', function () {
  this.timeout(120000);
  const dir = mkdtempSync(join(tmpdir(), 'kproc-stdin-'));
  const write = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const echo = write('echo.kproc', ECHO);
  const quiet = write('quiet.kproc', '#include <stdio.h>\nint main(void)\n{\n    printf("no input needed\\n");\n    return 0;\n}\n');

  it('--stdin FILE: the scenario reads the file a line at a time, then end of file', async () => {
    const input = write('in.txt', 'alpha\nbeta\n');
    const c = capture();
    assert.equal(await main(['run', '--stdin', input, echo], c), 0, c.stderr);
    assert.equal(c.stdout, '> 1: alpha\n> 2: beta\n> end 0\n');
  });

  it('--stdin names a missing file in one line, exit 123 (usage)', async () => {
    const c = capture();
    assert.equal(await main(['run', '--stdin', join(dir, 'none.txt'), echo], c), 123);
    assert.match(c.stderr, /none\.txt: No such file or directory\n$/);
  });

  it('the terminal asks for input only when the scenario waits on it: after each prompt', async () => {
    const c = capture();
    const lines = ['one\n', 'two\n'];
    const seen: string[] = [];
    c.readInput = () => { seen.push(c.stdout); return lines.shift() ?? null; };
    assert.equal(await main(['run', echo], c), 0, c.stderr);
    assert.equal(c.stdout, '> 1: one\n> 2: two\n> end 0\n');
    assert.deepEqual(seen, ['> ', '> 1: one\n> ', '> 1: one\n> 2: two\n> ']);
  });

  describe('as a process', () => {
    before(function () {
      if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run npm run build first');
    });

    it('kproc run FILE < input: the redirected file is the scenario\'s standard input', () => {
      const input = write('in2.txt', 'x y\nlast line without newline');
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" run "${echo}" < "${input}"`], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
      assert.equal(r.stderr, '');
      // stdout is line-buffered on the terminal: the unfinished "2: ..." line waits in the stdio
      // buffer while write(1, "> ", 2) goes straight out, and leaves with "end 0\n" (as glibc does).
      assert.equal(r.stdout, '> 1: x y\n> > 2: last line without newlineend 0\n');
      assert.equal(r.status, 0);
    });

    it('a scenario that never reads ends even though kproc\'s standard input stays open', async () => {
      const child = spawn(process.execPath, [BIN, 'run', quiet], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      const code = await new Promise<number | null>((done) => {
        const timer = setTimeout(() => { child.kill(); done(null); }, 60000);
        child.on('exit', (c) => { clearTimeout(timer); done(c); });
      });
      child.stdin.end();
      assert.equal(code, 0, 'kproc waited for input nobody asked for');
      assert.equal(out, 'no input needed\n');
    });
  });
});
