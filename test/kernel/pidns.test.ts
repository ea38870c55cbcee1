// PID namespaces in the model: struct pid's numbers at each level, the namespace's init as its
// child_reaper (SIGNAL_UNKILLABLE), per-namespace pid_max and IDR, the numbers given back by a
// failing alloc_pid, and the namespace's end (PIDNS_ADDING cleared, every number freed).
// What programs print is checked against the real kernel in test/fidelity/cases/pidns-*.kproc.
import { strict as assert } from 'node:assert';
import * as C from '../../sim-core/kernel/consts';
import { task_active_pid_ns, task_pid_nr_ns } from '../../sim-core/kernel/pidns';
import type { task_struct } from '../../sim-core/kernel/task';
import { runSource } from './vm-run';
import { describeStruct } from '../../sim-core/debug/fields';
import { taskRow } from '../../sim-core/machine/inspect';

const HEAD = '#pragma kproc uid 0\n#define _GNU_SOURCE\n#include <errno.h>\n#include <sched.h>\n#include <signal.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <sys/wait.h>\n#include <unistd.h>\n';

describe('kernel: pid namespaces', () => {
  it('gives a task one number per level, the first task of a namespace being its init', () => {
    const r = runSource(`${HEAD}
int main(void)
{
    unshare(CLONE_NEWPID);
    if (fork() == 0) {
        if (fork() == 0)
            pause();
        pause();
    }
    pause();
    return 0;
}
`);
    assert.notEqual(r.reason, 'exited');
    const k = r.engine.k;
    const main = k.pid_hash.get(3) as task_struct;
    const init = k.pid_hash.get(4) as task_struct;
    const child = k.pid_hash.get(5) as task_struct;
    // unshare changed where main's children go, not main's own namespace.
    assert.equal(task_active_pid_ns(main), k.init_pid_ns);
    const ns = main.nsproxy.pid_ns_for_children;
    assert.notEqual(ns, k.init_pid_ns);
    assert.equal(ns.level, 1);
    assert.equal(ns.parent, k.init_pid_ns);
    assert.deepEqual(init.thread_pid.numbers.map((u) => [u.nr, u.ns.level]), [[4, 0], [1, 1]]);
    assert.deepEqual(child.thread_pid.numbers.map((u) => [u.nr, u.ns.level]), [[5, 0], [2, 1]]);
    assert.equal(task_pid_nr_ns(child, k.init_pid_ns), 5);
    assert.equal(task_pid_nr_ns(main, ns), 0, 'main has no number in the namespace below it');
    assert.equal(ns.child_reaper, init);
    assert.ok(init.signal.flags & C.SIGNAL_UNKILLABLE);
    assert.equal(ns.hash.get(2), child);
    assert.equal(ns.pid_allocated, C.PIDNS_ADDING + 2);
    // Linux 6.14+: a new namespace's pid_max is PID_MAX_LIMIT, whatever its parent's is.
    assert.equal(ns.pid_max, C.PID_MAX_LIMIT);
    assert.equal(k.pid_max, C.PID_MAX_DEFAULT);
    // The Variables pane: thread_pid->numbers[] lists the pid at each level; the task rows keep
    // the global pid and add the one inside.
    const numbers = describeStruct('pid', init.thread_pid).find((v) => v.name === 'numbers');
    assert.equal(numbers?.value, '[0] 4, [1] 1');
    assert.equal(taskRow(k, init).pid, 4);
    assert.equal(taskRow(k, init).nsPid, 1);
    assert.equal(taskRow(k, main).nsPid, undefined);
  });

  it('empties the namespace when its init dies: every number freed, PIDNS_ADDING cleared', () => {
    const r = runSource(`${HEAD}
int main(void)
{
    int status = 0;
    unshare(CLONE_NEWPID);
    pid_t init = fork();
    if (init == 0) {
        for (int i = 0; i < 3; i++)
            if (fork() == 0)
                pause();
        usleep(1000);
        exit(0);
    }
    waitpid(init, &status, 0);
    int r = fork();
    printf("fork: %d errno %d\\n", r, errno);
    pause();
    return 0;
}
`);
    assert.notEqual(r.reason, 'exited');
    assert.equal(r.out, `fork: -1 errno ${C.ENOMEM}\n`);
    const ns = (r.engine.k.pid_hash.get(3) as task_struct).nsproxy.pid_ns_for_children;
    assert.equal(ns.pid_allocated, 0);
    assert.equal(ns.hash.size, 0);
    for (let nr = 1; nr <= 5; nr++) assert.ok(!ns.idr.has(nr), `number ${nr} still allocated`);
    const events = r.engine.k.events.filter((e) => e.kind === 'fork-failed');
    assert.deepEqual(events.map((e) => e.kind === 'fork-failed' && [e.errno, e.limit]), [['ENOMEM', 'pidns']]);
  });

  it('limits kill(-1) to the caller\'s namespace, its init spared, and finds kill\'s target by the inner number', () => {
    const r = runSource(`${HEAD}
int main(void)
{
    int status = 0;
    unshare(CLONE_NEWPID);
    pid_t init = fork();
    if (init == 0) {
        pid_t a = fork();
        if (a == 0) {
            pause();
            exit(0);
        }
        pid_t b = fork();
        if (b == 0) {
            usleep(1000);
            printf("b %d: kill(-1, SIGKILL) = %d\\n", getpid(), kill(-1, SIGKILL));
            exit(0);
        }
        waitpid(a, &status, 0);
        printf("init: %d killed by %d\\n", a, WTERMSIG(status));
        waitpid(b, &status, 0);
        printf("init: %d exited %d\\n", b, WEXITSTATUS(status));
        exit(0);
    }
    waitpid(init, &status, 0);
    printf("main: init %d exited %d\\n", init, WEXITSTATUS(status));
    printf("main: kill(2, 0) = %d (pid 2 out here is kthreadd)\\n", kill(2, 0));
    return 0;
}
`);
    assert.equal(r.reason, 'exited');
    assert.equal(r.out, [
      'b 3: kill(-1, SIGKILL) = 0', 'init: 2 killed by 9', 'init: 3 exited 0', 'main: init 4 exited 0',
      'main: kill(2, 0) = 0 (pid 2 out here is kthreadd)', '',
    ].join('\n'));
  });

  it('gives back the inner numbers when an outer level has none left (alloc_pid out_free)', () => {
    // pid_max 320 in the initial namespace: numbers 4..319 are all the children can get there.
    const r = runSource(`#pragma kproc pid_max 320\n${HEAD}
int main(void)
{
    int n = 0;
    unshare(CLONE_NEWPID);
    if (fork() == 0) {
        pid_t last = 0;
        for (;;) {
            pid_t c = fork();
            if (c == 0)
                pause();
            if (c < 0)
                break;
            last = c;
            n++;
        }
        printf("init: %d children, the last %d, then errno %d\\n", n, last, errno);
        pause();
    }
    pause();
    return 0;
}
`, {}, 5_000_000);
    assert.notEqual(r.reason, 'exited');
    const m = /^init: (\d+) children, the last (\d+), then errno (\d+)\n$/.exec(r.out);
    assert.ok(m, r.out);
    const n = Number(m[1]);
    assert.equal(Number(m[3]), C.EAGAIN);
    assert.equal(Number(m[2]), n + 1, 'inner numbers 2..n+1 went to the children');
    const ns = (r.engine.k.pid_hash.get(3) as task_struct).nsproxy.pid_ns_for_children;
    // The failed fork took inner number n+2 first; alloc_pid gave it back when level 0 had none.
    assert.ok(!ns.idr.has(n + 2));
    assert.equal(ns.hash.size, n + 1);
    assert.equal(ns.pid_allocated, C.PIDNS_ADDING + n + 1);
  });
});
