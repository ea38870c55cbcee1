// The scenarios line-sequence.test.ts steps besides the examples as they are: the examples run
// again on two CPUs or with the tick and switch stepped, and failing forks and error returns.

import type { Scenario } from './line-recorder';

/** Examples stepped once more with the tick and switch paths as frames: fair, nice and RR tasks. */
export const STEPPED_SCHED = ['fork-wait.kproc', 'nice-share.kproc', 'rr-pair.kproc'];

export const TWO_CPUS = ['threads-exit-group.kproc', 'exec-multithreaded.kproc', 'leader-exits-first.kproc', 'orphan.kproc', 'subreaper.kproc', 'producer-consumer.kproc'];

/** Failing forks the examples do not all show (pid_max reached, RLIMIT_NPROC, no memory left), and error returns. */
export const FAILING: Scenario[] = [
  {
    name: 'fork-fails-at-alloc_pid.kproc',
    settings: { pidMax: 301 },
    fails: 'EAGAIN pid_max',
    // Some 290 forks fill the pids up to 300; the last few and the failing one are looked at.
    skipWhile: (m) => m.globals().last_pid < 296,
    // Then init reaps some 300 zombies, each wait4 walking all of its children: not looked at.
    lookAfterFailure: 3000,
    // The children exit at once but are not reaped: their zombies hold every pid up to pid_max.
    source: `#include <unistd.h>
int main(void)
{
    for (int i = 0; i < 400; i++) {
        pid_t c = fork();
        if (c <= 0)
            return 0;
    }
}
`,
  },
  {
    name: 'fork-fails-at-rlimit.kproc',
    fails: 'EAGAIN RLIMIT_NPROC',
    source: `#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    struct rlimit rl = { 2, 2 };
    setrlimit(RLIMIT_NPROC, &rl);
    for (int i = 0; i < 3; i++)
        if (fork() == 0) { sleep(1); _exit(0); }
    while (wait(NULL) > 0)
        ;
    return 0;
}
`,
  },
  {
    name: 'fork-fails-with-enomem.kproc',
    fails: 'ENOMEM memory',
    source: `#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    char *big[12];
    for (int i = 0; i < 12; i++)
        big[i] = malloc(1 << 20);
    if (fork() == 0)
        _exit(0);
    while (wait(NULL) > 0)
        ;
    return 0;
}
`,
  },
  {
    // Without CAP_SYS_ADMIN: unshare and copy_namespaces refuse CLONE_NEWPID (EPERM).
    name: 'pidns-eperm.kproc',
    fails: 'EPERM pidns',
    source: `#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <unistd.h>
static char stack[8192];
int child(void *arg) { return 0; }
int main(void)
{
    unshare(CLONE_NEWPID);
    clone(child, stack + sizeof stack, CLONE_NEWPID | SIGCHLD, 0);
    return 0;
}
`,
  },
  {
    // As root: a second unshare (EINVAL), namespaces nested past MAX_PID_NS_LEVEL (ENOSPC), a
    // thread of another namespace (EINVAL), an init that dies with a zombie child and a task
    // inside, and a fork into the dead namespace (ENOMEM).
    name: 'pidns-errors.kproc',
    fails: 'ENOMEM pidns',
    settings: { uid: 0 },
    source: `#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static char stack[8192];
void *worker(void *arg) { return arg; }
int nest(void *arg)
{
    if (clone(nest, stack + sizeof stack, CLONE_NEWPID | SIGCHLD, 0) > 0)
        wait(NULL);
    return 0;
}
int main(void)
{
    pthread_t th;
    if (fork() == 0) { nest(0); _exit(0); }
    wait(NULL);
    unshare(CLONE_NEWPID);
    unshare(CLONE_NEWPID);
    pthread_create(&th, NULL, worker, NULL);
    pid_t init = fork();
    if (init == 0) {
        if (fork() == 0)
            _exit(1);
        if (fork() == 0)
            pause();
        usleep(1000);
        _exit(0);
    }
    waitpid(init, NULL, 0);
    fork();
    return 0;
}
`,
  },
  {
    name: 'error-returns.kproc',
    source: `#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    struct rlimit rl;
    char *argv[] = { "nothing", NULL };
    pid_t c = fork();
    if (c == 0) { execvp("/no/such/program", argv); sleep(1); _exit(3); }
    waitpid(-1, NULL, WNOHANG);          /* the child runs: 0 */
    waitpid(c + 100, NULL, 0);           /* ECHILD */
    kill(c + 100, SIGTERM);              /* ESRCH */
    kill(c, 0);
    setpgid(c + 100, 0);                 /* ESRCH */
    getpgid(c + 100);
    getsid(c + 100);
    setsid();
    setsid();                            /* EPERM: already a session leader */
    prctl(PR_SET_PDEATHSIG, 99, 0, 0, 0); /* EINVAL */
    signal(SIGKILL, SIG_IGN);            /* EINVAL */
    nice(5);
    sched_yield();
    getrlimit(RLIMIT_NPROC, &rl);
    waitpid(c, NULL, 0);
    wait(NULL);                          /* ECHILD */
    return 0;
}
`,
  },
];
