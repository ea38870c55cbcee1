// The signal handler table after fork: copy_sighand shares the parent's actions copy-on-write, so
// a handler installed by one process after the fork must never show up in the other, and exec's
// flush_signal_handlers reports SIG_DFL for a reset handler. Outputs are what Linux 6.x prints.
import { strict as assert } from 'node:assert';
import { runSource } from './vm-run';

const HEAD = '#include <signal.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <sys/wait.h>\n#include <unistd.h>\n';

describe('kernel: the handler table after fork', () => {
  it('a handler set by the parent after fork is not the child\'s, and the reverse', () => {
    const r = runSource(`${HEAD}
void on_usr1(int sig) { printf("handler for %d\\n", sig); }

int main(void)
{
    int status = 0;
    pid_t c = fork();
    if (c == 0) {
        sleep(1);
        struct sigaction old;
        sigaction(SIGUSR1, NULL, &old);
        printf("child sees %s\\n", old.sa_handler == SIG_DFL ? "SIG_DFL" : "a handler");
        signal(SIGUSR2, SIG_IGN);
        exit(0);
    }
    signal(SIGUSR1, on_usr1);
    waitpid(c, &status, 0);
    struct sigaction old2;
    sigaction(SIGUSR2, NULL, &old2);
    printf("parent sees %s\\n", old2.sa_handler == SIG_DFL ? "SIG_DFL" : "ignored");
    kill(getpid(), SIGUSR1);
    return 0;
}
`);
    assert.equal(r.reason, 'exited');
    assert.equal(r.out, 'child sees SIG_DFL\nparent sees SIG_DFL\nhandler for 10\n');
  });
});
