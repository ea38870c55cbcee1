// `kproc run` reports on stderr each task killed by a signal it did not get from another task
// (a fault, abort, a signal the kernel sent), as a shell reports a dead job; a kill() by another
// task is the scenario's own doing and stays silent. The exit status is main's, as a shell shows it.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { capture } from './capture';

describe('kproc run: tasks killed by a signal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kproc-sig-'));
  const write = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };

  it('names a null dereference: main (pid 3) killed by SIGSEGV', async () => {
    const f = write('main.kproc', '#include <stdio.h>\nint main(void)\n{\n    int *p = NULL;\n    printf("before\\n");\n    *p = 1;\n    return 0;\n}\n');
    const io = capture();
    assert.equal(await main(['run', f], io), 128 + 11);
    assert.equal(io.stdout, 'before\n');
    assert.equal(io.stderr, 'main (pid 3) killed by SIGSEGV\n');
  });

  it('names a child\'s division by zero and abort(), not a SIGKILL its parent sent', async () => {
    const f = write('kids.kproc', [
      '#include <signal.h>', '#include <stdlib.h>', '#include <unistd.h>', '#include <sys/wait.h>',
      'int main(void)', '{',
      '    int zero = 0;',
      '    if (fork() == 0)', '        return 1 / zero;',
      '    wait(NULL);',
      '    if (fork() == 0)', '        abort();',
      '    wait(NULL);',
      '    pid_t c = fork();',
      '    if (c == 0)', '        for (;;)', '            pause();',
      '    kill(c, SIGKILL);',
      '    wait(NULL);',
      '    return 0;', '}', '',
    ].join('\n'));
    const io = capture();
    assert.equal(await main(['run', f], io), 0);
    assert.equal(io.stderr, 'kids (pid 4) killed by SIGFPE\nkids (pid 5) killed by SIGABRT\n');
  });

  it('stays silent about a writer killed by SIGPIPE, as a shell does; main\'s status is 141', async () => {
    const f = write('pipe.kproc', [
      '#include <unistd.h>',
      'int main(void)', '{',
      '    int fds[2];',
      '    pipe(fds);',
      '    close(fds[0]);',
      '    write(fds[1], "x", 1);',
      '    return 0;', '}', '',
    ].join('\n'));
    const io = capture();
    assert.equal(await main(['run', f], io), 128 + 13);
    assert.equal(io.stderr, '');
  });
});
