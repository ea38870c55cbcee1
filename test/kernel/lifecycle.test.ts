// State in, state out: fork, exit, wait, reparenting and pid allocation through the real kernel
// paths, driven by a scripted user program.

import assert from 'node:assert/strict';
import * as C from '../../sim-core/kernel/consts';
import { checkInvariants } from '../../sim-core/kernel/invariants';
import { outputOf, runScript, type Insn } from './script-port';
import { runEngine } from './run-engine';

const STATUS = 100;

describe('kernel lifecycle', () => {
  it('fork returns twice; the parent reaps the zombie with its exit status', () => {
    const prog: Insn[] = [
      () => ['fork'],
      (r) => { r.v.child = r.ret; if (r.ret === 0) r.pc = 4; return ['getpid']; },
      () => ['wait4', -1, STATUS, 0],
      (r, m) => { r.pc = 99; return ['write', `reaped ${r.ret} status ${String(m.load(STATUS))}\n`]; },
      (r) => { r.pc = 99; return ['write', `child ${r.ret}\n`]; },
    ];
    prog[4] = (r) => { r.pc = 5; return ['getpid']; };
    prog[5] = (r) => { r.pc = 99; return ['write', `child pid ${r.ret}\n`]; };
    prog[99] = () => ['exit_group', 7];
    const e = runScript(prog);
    const res = runEngine(e, 100000);
    assert.equal(res.reason, 'exited');
    assert.equal(outputOf(e), 'child pid 4\nreaped 4 status 1792\n');
    const kinds = e.k.events.map((ev) => ev.kind);
    assert.ok(kinds.includes('fork') && kinds.includes('zombie') && kinds.includes('reap'));
    assert.deepEqual(checkInvariants(e.k), []);
  });

  it('an orphan is reparented to init, which reaps it', () => {
    const prog: Insn[] = [];
    prog[0] = () => ['fork'];
    prog[1] = (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; };
    prog[2] = () => ['exit_group', 0];
    prog[10] = () => ['sleep', 1];
    prog[11] = () => ['getppid'];
    prog[12] = (r) => ['write', `ppid ${r.ret}\n`];
    prog[13] = () => ['exit_group', 0];
    const e = runScript(prog);
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(outputOf(e), 'ppid 1\n');
    const rep = e.k.events.find((ev) => ev.kind === 'reparent');
    assert.deepEqual(rep && rep.kind === 'reparent' ? [rep.pid, rep.from, rep.to, rep.why] : null, [4, 3, 1, 'init']);
  });

  it('wait with no children fails with ECHILD, WNOHANG with a live child returns 0', () => {
    const prog: Insn[] = [];
    prog[0] = () => ['wait4', -1, 0, 0];
    prog[1] = (r) => ['write', `first ${r.ret}\n`];
    prog[2] = () => ['fork'];
    prog[3] = (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; };
    prog[4] = () => ['wait4', -1, 0, C.WNOHANG];
    prog[5] = (r) => ['write', `nohang ${r.ret}\n`];
    prog[6] = () => ['wait4', -1, 0, 0];
    prog[7] = () => ['exit_group', 0];
    prog[10] = () => ['sleep', 1];
    prog[11] = () => ['exit_group', 0];
    const e = runScript(prog);
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(outputOf(e), `first ${-C.ECHILD}\nnohang 0\n`);
    assert.ok(e.k.events.some((ev) => ev.kind === 'echild'));
  });

  it('a parent ignoring SIGCHLD leaves no zombie', () => {
    const prog: Insn[] = [];
    prog[0] = () => ['fork'];
    prog[1] = (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; };
    prog[2] = () => ['sleep', 1];
    prog[3] = () => ['wait4', -1, 0, 0];
    prog[4] = (r) => ['write', `wait ${r.ret}\n`];
    prog[5] = () => ['exit_group', 0];
    prog[10] = () => ['exit_group', 3];
    const e = runScript(prog);
    const main = e.k.find_task_by_vpid(3);
    assert.ok(main && main.sighand);
    main.sighand.action[C.SIGCHLD - 1].handler = C.SIG_IGN;
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(outputOf(e), `wait ${-C.ECHILD}\n`);
    assert.ok(!e.k.events.some((ev) => ev.kind === 'zombie' && ev.pid === 4));
  });

  it('RLIMIT_NPROC makes fork fail with EAGAIN', () => {
    const prog: Insn[] = [];
    prog[0] = () => ['fork'];
    prog[1] = (r) => { if (r.ret === 0) r.pc = 10; else if (r.ret < 0) r.pc = 3; return ['getpid']; };
    prog[2] = (r) => { r.pc = 0; return ['getpid']; };
    prog[3] = (r) => ['write', `fork failed ${r.v.x ?? ''}\n`];
    prog[4] = () => ['exit_group', 0];
    prog[10] = () => ['pause'];
    const e = runScript(prog, { nproc: 5 });
    runEngine(e, 200000);
    assert.equal(outputOf(e), 'fork failed \n');
    const failed = e.k.events.find((ev) => ev.kind === 'fork-failed');
    assert.ok(failed && failed.kind === 'fork-failed' && failed.limit === 'RLIMIT_NPROC');
  });

  it('pids wrap to RESERVED_PIDS at pid_max', () => {
    const prog: Insn[] = [];
    prog[0] = () => ['fork'];
    prog[1] = (r) => { if (r.ret === 0) r.pc = 10; else r.v.last = r.ret; return ['getpid']; };
    prog[2] = () => ['wait4', -1, 0, 0];
    prog[3] = (r) => { r.v.n = (r.v.n ?? 0) + 1; if (r.v.n < 400) r.pc = 0; return ['getpid']; };
    prog[4] = (r) => ['write', `last ${r.v.last}\n`];
    prog[5] = () => ['exit_group', 0];
    prog[10] = () => ['exit_group', 0];
    const e = runScript(prog, { pidMax: 400 });
    assert.equal(runEngine(e, 2000000).reason, 'exited');
    // pids 4..399 are used once (396 forks), then the allocator wraps to 300.
    assert.equal(outputOf(e), 'last 303\n');
    assert.deepEqual(checkInvariants(e.k), []);
  });

  it('the same program gives the same event log twice', () => {
    const mk = (): Insn[] => {
      const p: Insn[] = [];
      p[0] = () => ['fork']; p[1] = () => ['fork'];
      p[2] = () => ['wait4', -1, 0, 0]; p[3] = () => ['wait4', -1, 0, 0];
      p[4] = () => ['exit_group', 0];
      return p;
    };
    const a = runScript(mk()); runEngine(a, 100000);
    const b = runScript(mk()); runEngine(b, 100000);
    assert.equal(JSON.stringify(a.k.events), JSON.stringify(b.k.events));
  });
});
