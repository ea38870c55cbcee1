// State in, state out: fork, exit, wait, reparenting and pid allocation through the real kernel
// paths, driven by C scenarios booted as the product boots them.

import assert from 'node:assert/strict';
import * as C from '../../sim-core/kernel/consts';
import { checkInvariants } from '../../sim-core/kernel/invariants';
import { HEADERS, outputOf, runSource } from './vm-run';

function prog(body: string): string {
  return `${HEADERS}\nint main(void)\n{\n${body}\n}\n`;
}

describe('kernel lifecycle', () => {
  it('fork returns twice; the parent reaps the zombie with its exit status', () => {
    const { reason, engine: e } = runSource(prog(`
    int st = 0;
    pid_t c = fork();
    if (c == 0) {
        printf("child pid %d\\n", getpid());
        exit(7);
    }
    pid_t r = wait4(-1, &st, 0, NULL);
    printf("reaped %d status %d\\n", r, st);
    return 0;`));
    assert.equal(reason, 'exited');
    assert.equal(outputOf(e), 'child pid 4\nreaped 4 status 1792\n');
    const kinds = e.k.events.map((ev) => ev.kind);
    assert.ok(kinds.includes('fork') && kinds.includes('zombie') && kinds.includes('reap'));
    assert.deepEqual(checkInvariants(e.k), []);
  });

  it('an orphan is reparented to init, which reaps it', () => {
    const { reason, engine: e } = runSource(prog(`
    if (fork() == 0) {
        sleep(1);
        printf("ppid %d\\n", getppid());
        return 0;
    }
    return 0;`));
    assert.equal(reason, 'exited');
    assert.equal(outputOf(e), 'ppid 1\n');
    const rep = e.k.events.find((ev) => ev.kind === 'reparent');
    assert.deepEqual(rep && rep.kind === 'reparent' ? [rep.pid, rep.from, rep.to, rep.why] : null, [4, 3, 1, 'init']);
  });

  it('wait with no children fails with ECHILD, WNOHANG with a live child returns 0', () => {
    const { reason, engine: e } = runSource(prog(`
    int r = waitpid(-1, NULL, 0);
    printf("first %d errno %d\\n", r, errno);
    if (fork() == 0) {
        sleep(1);
        return 0;
    }
    printf("nohang %d\\n", waitpid(-1, NULL, WNOHANG));
    wait(NULL);
    return 0;`));
    assert.equal(reason, 'exited');
    assert.equal(outputOf(e), `first -1 errno ${C.ECHILD}\nnohang 0\n`);
    assert.ok(e.k.events.some((ev) => ev.kind === 'echild'));
  });

  it('a parent ignoring SIGCHLD leaves no zombie', () => {
    const { reason, engine: e } = runSource(prog(`
    signal(SIGCHLD, SIG_IGN);
    if (fork() == 0)
        exit(3);
    sleep(1);
    int r = wait(NULL);
    printf("wait %d errno %d\\n", r, errno);
    return 0;`));
    assert.equal(reason, 'exited');
    assert.equal(outputOf(e), `wait -1 errno ${C.ECHILD}\n`);
    assert.ok(!e.k.events.some((ev) => ev.kind === 'zombie' && ev.pid === 4));
  });

  it('RLIMIT_NPROC makes fork fail with EAGAIN', () => {
    const { engine: e } = runSource(prog(`
    for (;;) {
        pid_t c = fork();
        if (c == 0)
            for (;;)
                pause();
        if (c < 0) {
            printf("fork failed %d\\n", errno);
            exit(0);
        }
    }`), { nproc: 5 }, 200000);
    assert.equal(outputOf(e), `fork failed ${C.EAGAIN}\n`);
    const failed = e.k.events.find((ev) => ev.kind === 'fork-failed');
    assert.ok(failed && failed.kind === 'fork-failed' && failed.limit === 'RLIMIT_NPROC');
  });

  it('pids wrap to RESERVED_PIDS at pid_max', () => {
    const { reason, engine: e } = runSource(prog(`
    pid_t last = 0;
    for (int n = 0; n < 400; n++) {
        pid_t c = fork();
        if (c == 0)
            _exit(0);
        last = c;
        wait(NULL);
    }
    printf("last %d\\n", last);
    return 0;`), { pidMax: 400 }, 2000000);
    assert.equal(reason, 'exited');
    // pids 4..399 are used once (396 forks), then the allocator wraps to 300.
    assert.equal(outputOf(e), 'last 303\n');
    assert.deepEqual(checkInvariants(e.k), []);
  });

  it('the same program gives the same event log twice', () => {
    const text = prog('fork();\n    fork();\n    wait(NULL);\n    wait(NULL);\n    return 0;');
    const a = runSource(text).engine;
    const b = runSource(text).engine;
    assert.ok(a.k.events.length > 10);
    assert.equal(JSON.stringify(a.k.events), JSON.stringify(b.k.events));
  });
});
