// `kproc run` of scenarios that start the built-in shell: its output split between stdout and
// stderr as the commands wrote it (dash's message on stderr), and the --trace log naming the
// programs exec'd on the way.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { capture } from './capture';

describe('kproc run: the shell and system()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kproc-userland-'));
  const write = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const sys = write('sys.kproc', `#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

int main(void)
{
    int s = system("echo one two | wc -w; nosuch");
    printf("status %d\\n", WEXITSTATUS(s));
    return 0;
}
`);

  it('the commands\' output on stdout, the shell\'s "not found" on stderr, the status back in the caller', async () => {
    const io = capture();
    assert.equal(await main(['run', sys], io), 0);
    assert.equal(io.stdout, '2\nstatus 127\n');
    assert.equal(io.stderr, 'sh: 1: nosuch: not found\n');
  });

  it('--trace shows /bin/sh and the programs exec\'d, the last command forked like the others, and echo run inside the shell', async () => {
    const last = write('last.kproc', `#include <stdlib.h>
int main(void)
{
    system("echo one two | wc -w; /bin/echo last; echo builtin");
    return 0;
}
`);
    const io = capture();
    assert.equal(await main(['run', '--trace', last], io), 0);
    const execs = io.stdout.split('\n').map((l) => /Task (\d+) executed (\S+)/.exec(l)).filter((m) => m !== null).map((m) => `${m[1]} ${m[2]}`);
    // Every program is a child of the shell (pid 4), the last one included, as Debian's dash forks
    // it; echo is dash's builtin: the pipeline's child 5 runs it without an exec, the shell itself
    // runs the last one.
    assert.deepEqual(execs, ['4 /bin/sh', '6 /bin/wc', '7 /bin/echo']);
  });
});
