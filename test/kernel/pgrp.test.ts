// Process groups and sessions (setpgid, getpgid, setsid, kill of a group), the value a bare
// clone()'s function returns becoming its exit code, and setrlimit(RLIMIT_NPROC) through the VM.
// Expected outputs are what the same C programs print on Linux 6.x as pid 3 of a PID namespace.
import { strict as assert } from 'node:assert';
import * as C from '../../sim-core/kernel/consts';
import { runSource } from './vm-run';

const HEAD = '#include <errno.h>\n#include <signal.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <sys/wait.h>\n#include <unistd.h>\n';

describe('kernel: process groups and sessions', () => {
  it('boot tasks sit in group and session 0; a child inherits them; setpgid and setsid move it', () => {
    const r = runSource(`${HEAD}
int main(void)
{
    int status = 0;
    printf("main %d: pgrp %d, init's pgrp %d\\n", getpid(), getpgrp(), getpgid(1));
    pid_t c = fork();
    if (c == 0) {
        printf("child: pgrp %d\\n", getpgrp());
        int r = setpgid(0, 0);
        printf("setpgid(0, 0) = %d, pgrp %d\\n", r, getpgrp());
        r = setsid();
        printf("setsid as a group leader = %d errno %d\\n", r, errno);
        pid_t g = fork();
        if (g == 0) {
            printf("grandchild %d: pgrp %d\\n", getpid(), getpgrp());
            int sid = setsid();
            printf("setsid = %d, pgrp %d\\n", sid, getpgrp());
            r = setpgid(0, getppid());
            printf("session leader setpgid = %d errno %d\\n", r, errno);
            exit(0);
        }
        waitpid(g, &status, 0);
        exit(0);
    }
    waitpid(c, &status, 0);
    pid_t msid = setsid();
    printf("main setsid = %d, pgrp %d\\n", msid, getpgrp());
    int r = getpgid(99);
    printf("getpgid(99) = %d errno %d\\n", r, errno);
    return 0;
}
`);
    assert.equal(r.reason, 'exited');
    assert.equal(r.out, [
      'main 3: pgrp 0, init\'s pgrp 0',
      'child: pgrp 0',
      'setpgid(0, 0) = 0, pgrp 4',
      `setsid as a group leader = -1 errno ${C.EPERM}`,
      'grandchild 5: pgrp 4',
      'setsid = 5, pgrp 5',
      `session leader setpgid = -1 errno ${C.EPERM}`,
      'main setsid = 3, pgrp 3',
      `getpgid(99) = -1 errno ${C.ESRCH}`,
      '',
    ].join('\n'));
    // init (pid 1) never left init_struct_pid's group and session; its TGID slot is its own pid.
    const init = r.engine.k.find_task_by_vpid(1);
    assert.deepEqual(init?.signal.pids, [0, 1, 0, 0]);
  });

  it('kill(-pgid) signals every member; an empty group gives ESRCH; kill(0) reaches the caller\'s group', () => {
    const r = runSource(`${HEAD}
int main(void)
{
    int status = 0;
    pid_t a = fork();
    if (a == 0) { setpgid(0, 0); for (;;) pause(); }
    pid_t b = fork();
    if (b == 0) { usleep(50000); setpgid(0, a); for (;;) pause(); }
    usleep(100000);
    printf("pgrp of %d is %d, of %d is %d\\n", a, getpgid(a), b, getpgid(b));
    printf("kill(-%d) = %d\\n", a, kill(-a, SIGTERM));
    waitpid(a, &status, 0);
    printf("reaped %d signal %d\\n", a, WTERMSIG(status));
    waitpid(b, &status, 0);
    printf("reaped %d signal %d\\n", b, WTERMSIG(status));
    int r = kill(-a, SIGTERM);
    printf("again = %d errno %d\\n", r, errno);
    signal(SIGUSR1, SIG_IGN);
    printf("kill(0) = %d\\n", kill(0, SIGUSR1));
    return 0;
}
`);
    assert.equal(r.reason, 'exited');
    assert.equal(r.out, 'pgrp of 4 is 4, of 5 is 4\nkill(-4) = 0\nreaped 4 signal 15\nreaped 5 signal 15\n'
      + `again = -1 errno ${C.ESRCH}\nkill(0) = 0\n`);
  });

  it('a parent may not move its child after the child called execve (EACCES)', () => {
    const r = runSource(`${HEAD}
#pragma kproc program "/bin/idle" idle
int idle(int argc, char *argv[])
{
    (void)argc; (void)argv;
    usleep(100000);
    return 0;
}
int main(void)
{
    int status = 0;
    pid_t c = fork();
    if (c == 0) { execl("/bin/idle", "idle", NULL); _exit(1); }
    usleep(50000);
    int r = setpgid(c, c);
    printf("setpgid after exec = %d errno %d\\n", r, errno);
    waitpid(c, &status, 0);
    return 0;
}
`);
    assert.equal(r.reason, 'exited');
    assert.equal(r.out, `setpgid after exec = -1 errno ${C.EACCES}\n`);
  });
});

describe('kernel: exit codes and limits seen through the C library', () => {
  it('the value a clone()d function returns is its exit status', () => {
    const r = runSource(`#define _GNU_SOURCE\n#include <sched.h>\n${HEAD}
int fn(void *arg) { (void)arg; return 4; }
int main(void)
{
    int status = 0;
    char *stack = malloc(65536);
    pid_t c = clone(fn, stack + 65536, SIGCHLD, NULL);
    waitpid(c, &status, 0);
    printf("%d exited with %d\\n", c, WEXITSTATUS(status));
    return 0;
}
`);
    assert.equal(r.out, '4 exited with 4\n');
  });

  it('setrlimit(RLIMIT_NPROC, 3) lets two forks through and fails the third with EAGAIN', () => {
    const r = runSource(`#include <sys/resource.h>\n${HEAD}
int main(void)
{
    struct rlimit rl = { 3, 3 };
    setrlimit(RLIMIT_NPROC, &rl);
    for (int i = 0; i < 3; i++) {
        pid_t c = fork();
        if (c == 0) { usleep(1000); _exit(0); }
        printf("fork %d: %d\\n", i + 1, c < 0 ? -errno : c);
    }
    while (wait(NULL) > 0) { }
    return 0;
}
`);
    assert.equal(r.out, `fork 1: 4\nfork 2: 5\nfork 3: -${C.EAGAIN}\n`);
  });
});
