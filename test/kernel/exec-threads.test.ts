// State in, state out: execve (de_thread, exec_mmap, handler reset, vfork release) and threads
// (pthread_create/join, exit_group, a leader that exits first), through the real kernel paths.

import assert from 'node:assert/strict';
import * as C from '../../sim-core/kernel/consts';
import { checkInvariants } from '../../sim-core/kernel/invariants';
import { bootSource, HEADERS, outputOf, runSource } from './vm-run';

describe('kernel: threads', () => {
  it('pthread_create shares mm, files and sighand; pthread_join sleeps in futex_wait and returns the routine result', () => {
    const e = bootSource(`${HEADERS}
void *worker(void *arg)
{
    gettid();
    sleep(1);
    return (void *)(40 + (long)arg);
}

int main(void)
{
    pthread_t t;
    void *res = NULL;
    pthread_create(&t, NULL, worker, (void *)7);
    int r = pthread_join(t, &res);
    printf("join %d result %ld\\n", r, (long)res);
    return 0;
}
`);
    let shared = false;
    let joinedInFutex = false;
    for (let i = 0; i < 20000 && !e.finished(); i++) {
      e.tick();
      const w = e.k.find_task_by_vpid(4);
      const m = e.k.find_task_by_vpid(3);
      if (w && m && !w.exit_state && w.mm === m.mm && w.tgid === 3 && m.mm && m.mm.mm_users === 2 && m.sighand && m.sighand.count === 2) shared = true;
      if (w && !w.exit_state && m && m.stack.some((f) => f.fn.name === 'futex_wait') && m.__state === C.TASK_INTERRUPTIBLE) joinedInFutex = true;
      assert.deepEqual(checkInvariants(e.k), []);
    }
    assert.ok(shared, 'the thread shared the mm and handlers of its process');
    assert.ok(joinedInFutex, 'pthread_join slept in futex_wait while the thread ran');
    assert.equal(outputOf(e), 'join 0 result 47\n');
    const fork = e.k.events.find((ev) => ev.kind === 'fork');
    assert.ok(fork && fork.kind === 'fork' && fork.via === 'clone3' && (fork.flags & C.PTHREAD_CLONE_FLAGS) === C.PTHREAD_CLONE_FLAGS);
  });

  it('exit_group from a thread kills its siblings; the parent sees one status', () => {
    const { reason, engine: e } = runSource(`${HEADERS}
void *sleeper(void *a)
{
    sleep(5);
    printf("never\\n");
    return a;
}

void *quitter(void *a)
{
    exit(7);
}

int main(void)
{
    int st = 0;
    if (fork() == 0) {
        pthread_t a, b;
        pthread_create(&a, NULL, sleeper, NULL);
        pthread_create(&b, NULL, quitter, NULL);
        pthread_join(a, NULL);
        printf("never\\n");
    }
    wait(&st);
    printf("status %d\\n", st);
    return 0;
}
`);
    assert.equal(reason, 'exited');
    assert.equal(outputOf(e), `status ${7 << 8}\n`);
    const exits = e.k.events.filter((ev) => ev.kind === 'exit').map((ev) => (ev.kind === 'exit' ? ev.pid : 0));
    assert.deepEqual([...exits].sort(), [4, 5, 6, 3].sort());
    assert.deepEqual(checkInvariants(e.k), []);
  });

  it('a leader that exits first stays a zombie until its last thread is gone', () => {
    const e = bootSource(`${HEADERS}
void *late(void *a)
{
    sleep(1);
    printf("thread sees ppid %d\\n", getppid());
    return a;
}

int main(void)
{
    int st = 0;
    if (fork() == 0) {
        pthread_t t;
        pthread_create(&t, NULL, late, NULL);
        pthread_exit(NULL);
    }
    pid_t r = wait(&st);
    printf("reaped %d status %d\\n", r, st);
    return 0;
}
`);
    let zombieWhileThread = false;
    for (let i = 0; i < 50000 && !e.finished(); i++) {
      e.tick();
      const leader = e.k.find_task_by_vpid(4);
      const thread = e.k.find_task_by_vpid(5);
      if (leader && thread && leader.exit_state === C.EXIT_ZOMBIE && !thread.exit_state) zombieWhileThread = true;
      assert.deepEqual(checkInvariants(e.k), []);
    }
    assert.ok(zombieWhileThread, 'leader was a zombie while its thread ran');
    assert.equal(outputOf(e), `thread sees ppid 3\nreaped 4 status 0\n`);
  });
});

describe('kernel: execve', () => {
  it('exec from a non-leader thread takes over the leader pid and releases the old leader', () => {
    const { reason, engine: e } = runSource(`${HEADERS}
#pragma kproc program "/bin/after" after_main

int after_main(void)
{
    printf("after: pid %d tid %d ppid %d\\n", getpid(), gettid(), getppid());
    return 6;
}

void *execer(void *a)
{
    usleep(1000);
    execl("/bin/after", "after", NULL);
    printf("exec failed\\n");
    return a;
}

int main(void)
{
    int st = 0;
    if (fork() == 0) {
        pthread_t t;
        pthread_create(&t, NULL, execer, NULL);
        sleep(5);
        printf("leader: never\\n");
    }
    pid_t r = wait(&st);
    printf("reaped %d status %d\\n", r, st);
    return 0;
}
`, {}, 200000);
    assert.equal(reason, 'exited');
    assert.equal(outputOf(e), `after: pid 4 tid 4 ppid 3\nreaped 4 status ${6 << 8}\n`);
    const ex = e.k.events.find((ev) => ev.kind === 'exec');
    assert.deepEqual(ex && ex.kind === 'exec' ? [ex.pid, ex.oldPid, ex.comm] : null, [4, 5, 'after']);
    // The old leader was released under the thread's old tid; no zombie was reported for it.
    assert.ok(e.k.events.some((ev) => ev.kind === 'reap' && ev.pid === 5));
    assert.deepEqual(checkInvariants(e.k), []);
  });

  it('a vfork parent is released at the child exec; the child gets a fresh mm and comm', () => {
    const e = bootSource(`${HEADERS}
#pragma kproc program "/bin/greeter" greeter_main

int shared = 0;

int greeter_main(void)
{
    usleep(10);
    printf("greeter runs\\n");
    return 3;
}

int main(void)
{
    if (vfork() == 0) {
        shared = 42;
        execl("/bin/greeter", "greeter", NULL);
        _exit(127);
    }
    printf("parent resumed, shared %d\\n", shared);
    wait(NULL);
    return 0;
}
`);
    let parentBlockedUntilExec = true;
    let mmFresh = false;
    for (let i = 0; i < 50000 && !e.finished(); i++) {
      e.tick();
      const child = e.k.find_task_by_vpid(4);
      const parent = e.k.find_task_by_vpid(3);
      const execd = e.k.events.some((ev) => ev.kind === 'exec');
      if (parent && !execd && e.k.out.length > 0) parentBlockedUntilExec = false;
      if (child && parent && execd && child.mm && child.mm !== parent.mm && parent.mm && parent.mm.mm_users === 1 && child.comm === 'greeter' && !(child.flags & C.PF_FORKNOEXEC)) mmFresh = true;
    }
    assert.ok(parentBlockedUntilExec);
    assert.ok(mmFresh);
    assert.equal(outputOf(e), 'parent resumed, shared 42\ngreeter runs\n');
  });

  it('exec resets handlers to SIG_DFL, keeps SIG_IGN, clears SA_NOCLDWAIT; ENOENT for unknown paths', () => {
    const e = bootSource(`${HEADERS}
#include <string.h>
#pragma kproc program "/bin/next" next_main

void h(int sig)
{
    (void)sig;
}

int next_main(void)
{
    pause();
    return 0;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sa.sa_flags = SA_NOCLDWAIT;
    signal(SIGUSR1, h);
    signal(SIGTERM, SIG_IGN);
    sigaction(SIGCHLD, &sa, NULL);
    int r = execl("/bin/none", "none", NULL);
    printf("enoent %d errno %d\\n", r, errno);
    execl("/bin/next", "next", NULL);
    return 1;
}
`);
    for (let i = 0; i < 2000; i++) e.tick();
    const t = e.k.find_task_by_vpid(3);
    assert.ok(t && t.sighand);
    assert.equal(outputOf(e), `enoent -1 errno ${C.ENOENT}\n`);
    assert.equal(t.sighand.action[C.SIGUSR1 - 1].handler, C.SIG_DFL);
    assert.equal(t.sighand.action[C.SIGTERM - 1].handler, C.SIG_IGN);
    assert.equal(t.sighand.action[C.SIGCHLD - 1].handler, C.SIG_IGN);
    assert.equal(t.sighand.action[C.SIGCHLD - 1].flags, 0);
    assert.equal(t.comm, 'next');
  });
});
