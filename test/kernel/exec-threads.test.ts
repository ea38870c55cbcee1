// State in, state out: execve (de_thread, exec_mmap, handler reset, vfork release) and threads
// (pthread_create/join, exit_group, a leader that exits first), through the real kernel paths.

import assert from 'node:assert/strict';
import * as C from '../../sim-core/kernel/consts';
import { checkInvariants } from '../../sim-core/kernel/invariants';
import { outputOf, runScript, type Insn } from './script-port';
import { runEngine } from './run-engine';

const T = 500; // address of a pthread_t in main's globals

describe('kernel: threads', () => {
  it('pthread_create shares mm, files and sighand; pthread_join returns the routine result', () => {
    const main: Insn[] = [
      () => ['pthread_create', T, 0, 'worker', 7],
      (r, m) => { r.v.t = m.load(T) as number; return ['pthread_join', r.v.t, T + 1]; },
      (r, m) => ['write', `join ${r.ret} tid ${r.v.t} result ${String(m.load(T + 1))}\n`],
      () => ['exit_group', 0],
    ];
    const worker: Insn[] = [
      () => ['gettid'],
      (r) => { r.v.result = 40 + r.v.arg; return ['sleep', 1]; },
    ];
    const e = runScript(main, {}, { worker });
    let shared = false;
    for (let i = 0; i < 20000 && !e.finished(); i++) {
      e.tick();
      const w = e.k.find_task_by_vpid(4);
      const m = e.k.find_task_by_vpid(3);
      if (w && m && !w.exit_state && w.mm === m.mm && w.tgid === 3 && m.mm && m.mm.mm_users === 2 && m.sighand && m.sighand.count === 2) shared = true;
      assert.deepEqual(checkInvariants(e.k), []);
    }
    assert.ok(shared, 'the thread shared the mm and handlers of its process');
    assert.equal(outputOf(e), 'join 0 tid 4 result 47\n');
    const fork = e.k.events.find((ev) => ev.kind === 'fork');
    assert.ok(fork && fork.kind === 'fork' && fork.via === 'pthread_create' && (fork.flags & C.PTHREAD_CLONE_FLAGS) === C.PTHREAD_CLONE_FLAGS);
  });

  it('exit_group from a thread kills its siblings; the parent sees one status', () => {
    const main: Insn[] = [
      () => ['fork'],
      (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; },
      () => ['wait4', -1, 600, 0],
      (r, m) => ['write', `status ${String(m.load(600))}\n`],
      () => ['exit_group', 0],
    ];
    main[10] = () => ['pthread_create', T, 0, 'sleeper', 0];
    main[11] = () => ['pthread_create', T + 1, 0, 'quitter', 0];
    main[12] = (_r, m) => ['pthread_join', m.load(T) as number, 0];
    main[13] = () => ['write', 'never\n'];
    const sleeper: Insn[] = [() => ['sleep', 5], () => ['write', 'never\n']];
    const quitter: Insn[] = [() => ['exit_group', 7]];
    const e = runScript(main, {}, { sleeper, quitter });
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(outputOf(e), `status ${7 << 8}\n`);
    const exits = e.k.events.filter((ev) => ev.kind === 'exit').map((ev) => (ev.kind === 'exit' ? ev.pid : 0));
    assert.deepEqual([...exits].sort(), [4, 5, 6, 3].sort());
    assert.deepEqual(checkInvariants(e.k), []);
  });

  it('a leader that exits first stays a zombie until its last thread is gone', () => {
    const main: Insn[] = [
      () => ['fork'],
      (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; },
      () => ['wait4', -1, 600, 0],
      (r, m) => ['write', `reaped ${r.ret} status ${String(m.load(600))}\n`],
      () => ['exit_group', 0],
    ];
    main[10] = () => ['pthread_create', T, 0, 'late', 0];
    main[11] = () => ['pthread_exit', 0];
    const late: Insn[] = [() => ['sleep', 1], () => ['getppid'], (r) => ['write', `thread sees ppid ${r.ret}\n`], () => ['exit', 0]];
    const e = runScript(main, {}, { late });
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
    const main: Insn[] = [
      () => ['fork'],
      (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; },
      () => ['wait4', -1, 600, 0],
      (r, m) => ['write', `reaped ${r.ret} status ${String(m.load(600))}\n`],
      () => ['exit_group', 0],
    ];
    main[10] = () => ['pthread_create', T, 0, 'execer', 0];
    main[11] = () => ['sleep', 5];
    main[12] = () => ['write', 'leader: never\n'];
    const execer: Insn[] = [() => ['usleep', 1000], () => ['execve', '/bin/after', 0, 0], () => ['write', 'exec failed\n']];
    const after: Insn[] = [
      () => ['getpid'], (r) => { r.v.pid = r.ret; return ['gettid']; },
      (r) => { r.v.tid = r.ret; return ['getppid']; },
      (r) => ['write', `after: pid ${r.v.pid} tid ${r.v.tid} ppid ${r.ret}\n`],
      () => ['exit_group', 6],
    ];
    const e = runScript(main, {}, { execer, '/bin/after': after });
    assert.equal(runEngine(e, 200000).reason, 'exited');
    assert.equal(outputOf(e), `after: pid 4 tid 4 ppid 3\nreaped 4 status ${6 << 8}\n`);
    const ex = e.k.events.find((ev) => ev.kind === 'exec');
    assert.deepEqual(ex && ex.kind === 'exec' ? [ex.pid, ex.oldPid, ex.comm] : null, [4, 5, 'after']);
    // The old leader was released under the thread's old tid; no zombie was reported for it.
    assert.ok(e.k.events.some((ev) => ev.kind === 'reap' && ev.pid === 5));
    assert.deepEqual(checkInvariants(e.k), []);
  });

  it('a vfork parent is released at the child exec; the child gets a fresh mm and comm', () => {
    const main: Insn[] = [
      () => ['vfork'],
      (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; },
      (_r, m) => ['write', `parent resumed, shared ${String(m.load(700))}\n`],
      () => ['wait4', -1, 0, 0],
      () => ['exit_group', 0],
    ];
    main[10] = (_r, m) => { m.store(700, 42); return ['getpid']; };
    main[11] = () => ['execve', '/bin/greeter', 0, 0];
    main[12] = () => ['_exit', 127];
    const greeter: Insn[] = [() => ['usleep', 10], () => ['write', 'greeter runs\n'], () => ['exit_group', 3]];
    const e = runScript(main, {}, { '/bin/greeter': greeter });
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
    const main: Insn[] = [
      () => ['signal', C.SIGUSR1, 'h'],
      () => ['signal', C.SIGTERM, C.SIG_IGN],
      () => ['sigaction', C.SIGCHLD, 800, 0, C.SIG_IGN, C.SA_NOCLDWAIT, 0],
      () => ['execve', '/bin/none', 0, 0],
      (r) => ['write', `enoent ${r.ret}\n`],
      () => ['execve', '/bin/next', 0, 0],
    ];
    const next: Insn[] = [() => ['pause']];
    const h: Insn[] = [];
    const e = runScript(main, {}, { '/bin/next': next, h });
    for (let i = 0; i < 2000; i++) e.tick();
    const t = e.k.find_task_by_vpid(3);
    assert.ok(t && t.sighand);
    assert.equal(outputOf(e), `enoent ${-C.ENOENT}\n`);
    assert.equal(t.sighand.action[C.SIGUSR1 - 1].handler, C.SIG_DFL);
    assert.equal(t.sighand.action[C.SIGTERM - 1].handler, C.SIG_IGN);
    assert.equal(t.sighand.action[C.SIGCHLD - 1].handler, C.SIG_IGN);
    assert.equal(t.sighand.action[C.SIGCHLD - 1].flags, 0);
    assert.equal(t.comm, 'next');
  });
});
