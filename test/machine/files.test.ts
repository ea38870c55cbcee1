// Files and pipes through the machine's API: a function breakpoint on pipe_read stops a reader
// that sleeps there until a writer comes; the Tasks row names the wait (pipe_read); the Variables
// pane decodes files->fdt->fd[]; an interactive terminal stops the run with 'input'.
import assert from 'node:assert/strict';
import type { DebugVariable, Machine, Stop } from '../../sim-core/machine-types';
import { bootSource, runUntil } from './helpers';

const PIPE = `#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void)
{
    int fds[2];
    char buf[32];
    pipe(fds);
    if (fork() == 0) {
        sleep(1);
        write(fds[1], "late\\n", 5);
        _exit(0);
    }
    ssize_t n = read(fds[0], buf, sizeof(buf));
    printf("read %zd\\n", n);
    wait(NULL);
    return 0;
}
`;

function named(vars: DebugVariable[], name: string): DebugVariable {
  const v = vars.find((x) => x.name === name);
  assert.ok(v, `${name} in ${vars.map((x) => x.name).join(', ')}`);
  return v;
}

function fdOf(m: Machine, pid: number): DebugVariable {
  const scopes = m.scopes(m.stack(pid)[0].id);
  const current = m.variables(scopes[1].ref);
  const files = named(current, 'files');
  const fdt = named(m.variables(files.ref), 'fdt');
  return named(m.variables(fdt.ref), 'fd');
}

describe('machine: files and pipes', () => {
  it('a breakpoint on pipe_read stops the reader; it sleeps there (wchan pipe_read) until the child writes', () => {
    const m = bootSource(PIPE);
    m.setFunctionBreakpoints([{ name: 'pipe_read' }]);
    const stop = runUntil(m, { kind: 'continue' });
    assert.equal(stop.reason, 'function breakpoint');
    assert.equal(stop.pid, 3);
    assert.equal(m.stack(3)[0].name, 'pipe_read');
    // Run on until the reader has gone to sleep in pipe_read while the child sleeps in nanosleep.
    m.setFunctionBreakpoints([{ name: 'wake_up_interruptible' }]);
    const woke = runUntil(m, { kind: 'continue' });
    assert.equal(woke.reason, 'function breakpoint');
    assert.equal(woke.pid, 4, 'the writer wakes the reader');
    const reader = m.tasks().find((t) => t.pid === 3);
    assert.equal(reader?.stateName, 'TASK_INTERRUPTIBLE');
    assert.equal(reader?.wchan, 'pipe_read');
    assert.equal(m.stack(3)[0].name, 'pipe_read');
    m.setFunctionBreakpoints([]);
    const end = runUntil(m, { kind: 'continue' });
    assert.equal(end.reason, 'exited');
    assert.match(end.events.filter((e) => e.kind === 'output').map((e) => (e.kind === 'output' ? e.text : '')).join(''), /read 5\n/);
  });

  it('the Variables pane decodes files->fdt->fd[]: the terminal, the pipe\'s two ends, references', () => {
    const m = bootSource(PIPE);
    m.setFunctionBreakpoints([{ name: 'pipe_read' }]);
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'function breakpoint');
    const fd = fdOf(m, 3);
    assert.match(fd.value, /^5 open: 0 \/dev\/pts\/0, 1 \/dev\/pts\/0, 2 \/dev\/pts\/0, 3 pipe:\[\d+\] read end, 4 pipe:\[\d+\] write end$/);
    const entries = m.variables(fd.ref);
    assert.deepEqual(entries.map((e) => e.name), ['[0]', '[1]', '[2]', '[3]', '[4]']);
    // Parent and child both hold each end: two references; the child's write end makes a writer.
    assert.match(named(entries, '[3]').value, /read end, O_RDONLY, f_count 2, held as 3:3 4:3 \(pid:fd\), 0 bytes queued, 1 readers, 1 writers$/);
    assert.match(named(entries, '[1]').value, /^\/dev\/pts\/0, O_RDWR\|O_LARGEFILE, f_count 2, held as 3:1 4:1 \(pid:fd\)$/);
  });

  it('an interactive terminal: run() stops with \'input\' while the reader waits; input() types a line, null ends it', () => {
    const m = bootSource(`#include <stdio.h>
#include <unistd.h>
int main(void)
{
    char buf[32];
    ssize_t n;
    while ((n = read(0, buf, sizeof(buf))) > 0)
        printf("got %zd\\n", n);
    printf("eof\\n");
    return 0;
}
`, undefined, { stdin: 'pre\n', interactiveStdin: true });
    const out: string[] = [];
    const collect = (st: Stop): void => {
      for (const e of st.events) if (e.kind === 'output') out.push(e.text);
    };
    let s = runUntil(m, { kind: 'continue' });
    collect(s);
    assert.equal(s.reason, 'input');
    assert.equal(s.pid, 3);
    assert.equal(m.tasks().find((t) => t.pid === 3)?.wchan, 'n_tty_read');
    m.input('typed\n');
    s = runUntil(m, { kind: 'continue' });
    collect(s);
    assert.equal(s.reason, 'input');
    m.input(null);
    s = runUntil(m, { kind: 'continue' });
    collect(s);
    assert.equal(s.reason, 'exited');
    assert.equal(out.join(''), 'got 4\ngot 6\neof\n');
  });
});
