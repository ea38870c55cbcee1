// A task sleeping in poll or select through the machine's API: its wait channel (do_sys_poll,
// do_select, as ps shows it), and poll on an interactive terminal, which asks for input.
import assert from 'node:assert/strict';
import type { Stop } from '../../sim-core/machine-types';
import { bootSource, runUntil } from './helpers';

function output(st: Stop): string {
  return st.events.map((e) => (e.kind === 'output' ? e.text : '')).join('');
}

describe('machine: poll and select sleepers', () => {
  it('poll on an interactive terminal stops for input with wchan do_sys_poll, and reports POLLIN once a line is typed', () => {
    const m = bootSource(`#include <stdio.h>
#include <poll.h>
#include <unistd.h>
int main(void)
{
    struct pollfd p = { 0, POLLIN, 0 };
    int r = poll(&p, 1, -1);
    char buf[32];
    ssize_t n = read(0, buf, sizeof(buf));
    printf("poll %d revents %d read %zd\\n", r, p.revents, n);
    return 0;
}
`, undefined, { stdin: '', interactiveStdin: true });
    const s = runUntil(m, { kind: 'continue' });
    assert.equal(s.reason, 'input');
    const task = m.tasks().find((t) => t.pid === 3);
    assert.equal(task?.stateName, 'TASK_INTERRUPTIBLE');
    assert.equal(task?.wchan, 'do_sys_poll');
    m.input('hello\n');
    const end = runUntil(m, { kind: 'continue' });
    assert.equal(end.reason, 'exited');
    assert.match(output(end), /poll 1 revents 1 read 6\n/);
  });

  it('a select sleeper shows wchan do_select and is woken by a function breakpoint\'s wake_up_interruptible', () => {
    const m = bootSource(`#include <stdio.h>
#include <sys/select.h>
#include <unistd.h>
int main(void)
{
    int fd[2];
    pipe(fd);
    if (fork() == 0) { usleep(100000); write(fd[1], "x", 1); _exit(0); }
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fd[0], &r);
    printf("select %d\\n", select(fd[0] + 1, &r, NULL, NULL, NULL));
    return 0;
}
`);
    m.setFunctionBreakpoints([{ name: 'wake_up_interruptible' }]);
    const woke = runUntil(m, { kind: 'continue' });
    assert.equal(woke.reason, 'function breakpoint');
    assert.equal(woke.pid, 4);
    const task = m.tasks().find((t) => t.pid === 3);
    assert.equal(task?.wchan, 'do_select');
    m.setFunctionBreakpoints([]);
    const end = runUntil(m, { kind: 'continue' });
    assert.equal(end.reason, 'exited');
    assert.match(output(end), /select 1\n/);
  });
});
