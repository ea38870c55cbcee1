// State in, state out: kernel threads (kthread_run/kthread_stop, the producer/consumer wake-up
// order), and the signal and process settings (SA_RESTART vs EINTR, SA_NOCLDWAIT, subreaper,
// pdeath_signal, nice, RLIMIT_NPROC through setrlimit).

import assert from 'node:assert/strict';
import * as C from '../../sim-core/kernel/consts';
import { checkInvariants } from '../../sim-core/kernel/invariants';
import { dmesgOf, outputOf, runScript, type Insn } from './script-port';
import { runEngine } from './run-engine';

describe('kernel: kthreads', () => {
  it('kthread_run creates the thread through kthreadd; kthread_stop returns its result', () => {
    const init: Insn[] = [
      () => ['kthread_run', 'worker', 0, 'worker'],
      (r) => { r.v.ref = 1; return ['msleep', 35]; },
    ];
    init[2] = (r) => ['kthread_stop', r.ref ?? 0];
    init[3] = (r) => ['printk', `stop returned ${r.ret}`];
    init[4] = () => ['exit', 0];
    // Keep the handle from kthread_run: the port gives it as r.ref.
    init[1] = (r) => { r.v.keep = 1; (r as unknown as { keep: unknown }).keep = r.ref; return ['msleep', 35]; };
    init[2] = (r) => ['kthread_stop', (r as unknown as { keep: never }).keep];
    const worker: Insn[] = [
      () => ['kthread_should_stop'],
      (r) => { if (r.ret) { r.pc = 3; return ['printk', 'worker stopping']; } r.v.rounds = (r.v.rounds ?? 0) + 1; return ['msleep', 10]; },
      (r) => { r.pc = 0; return ['getpid']; },
      (r) => { r.v.result = r.v.rounds; return ['gettid']; },
    ];
    const e = runScript([], {}, { init, worker }, 'init');
    let sawCreated = false;
    for (let i = 0; i < 100000 && !e.finished(); i++) {
      e.tick();
      const w = e.k.find_task_by_vpid(4);
      if (w && !sawCreated) {
        // The new task is a kthread child of kthreadd with no mm.
        assert.equal(w.real_parent && w.real_parent.pid, 2);
        assert.ok(w.flags & C.PF_KTHREAD);
        assert.equal(w.mm, null);
        sawCreated = true;
      }
      assert.deepEqual(checkInvariants(e.k), []);
    }
    assert.ok(sawCreated);
    const log = dmesgOf(e);
    assert.match(log, /worker stopping\nstop returned (\d+)/);
    const rounds = Number(/stop returned (\d+)/.exec(log)?.[1]);
    assert.ok(rounds >= 3 && rounds <= 4, `rounds ${rounds}`);
    assert.equal(e.k.find_task_by_vpid(4), null, 'the stopped kthread was reaped (kthreadd ignores SIGCHLD)');
  });

  it('producer/consumer: the consumer sleeps on an empty list and each wake-up hands it one event', () => {
    const LIST = 900, LOCK = 901;
    const init: Insn[] = [
      () => ['kthread_run', 'consumer', 0, 'consumer'],
      (r) => { (r as unknown as { c: unknown }).c = r.ref; r.v.ev = 0; return ['msleep', 10]; },
      () => ['spin_lock', LOCK],
      (r) => { r.v.ev++; return ['list_add_tail', r.v.ev, LIST]; },
      () => ['spin_unlock', LOCK],
      (r) => ['printk', `producer queued ${r.v.ev}`],
      (r) => ['wake_up_process', (r as unknown as { c: never }).c],
      (r) => { if (r.v.ev < 3) r.pc = 2; return ['msleep', 10]; },
      (r) => ['kthread_stop', (r as unknown as { c: never }).c],
      (r) => ['printk', `consumer handled ${r.ret}`],
      () => ['exit', 0],
    ];
    const consumer: Insn[] = [
      () => ['set_current_state', C.TASK_INTERRUPTIBLE],
      () => ['kthread_should_stop'],
      (r) => { if (r.ret) { r.pc = 20; return ['__set_current_state', C.TASK_RUNNING]; } return ['spin_lock', LOCK]; },
      () => ['list_empty', LIST],
      (r) => { if (r.ret) { r.pc = 10; } return ['getpid']; },
      () => ['__set_current_state', C.TASK_RUNNING],
      () => ['list_del_first', LIST],
      (r) => { r.v.handled = (r.v.handled ?? 0) + 1; return ['printk', `consumer got ${r.ret}`]; },
      () => ['spin_unlock', LOCK],
      (r) => { r.pc = 0; return ['getpid']; },
    ];
    consumer[10] = () => ['spin_unlock', LOCK];
    consumer[11] = () => ['schedule'];
    consumer[12] = (r) => { r.pc = 0; return ['getpid']; };
    consumer[20] = (r) => { r.v.result = r.v.handled ?? 0; return ['getpid']; };
    const e = runScript([], {}, { init, consumer }, 'init');
    let sleptOffQueue = false;
    for (let i = 0; i < 200000 && !e.finished(); i++) {
      e.tick();
      const c = e.k.find_task_by_vpid(4);
      if (c && c.__state === C.TASK_INTERRUPTIBLE && !c.se.on_rq) sleptOffQueue = true;
    }
    assert.ok(sleptOffQueue, 'the consumer left the run queue while the list was empty');
    assert.equal(dmesgOf(e), [
      'producer queued 1', 'consumer got 1', 'producer queued 2', 'consumer got 2',
      'producer queued 3', 'consumer got 3', 'consumer handled 3',
    ].join('\n'));
    const wakeups = e.k.events.filter((ev) => ev.kind === 'wakeup' && ev.pid === 4 && ev.by === 3).length;
    assert.ok(wakeups >= 4, `producer woke the consumer ${wakeups} times`);
  });
});

describe('kernel: signals and process settings', () => {
  const waitWithSignal = (flags: number): string => {
    const main: Insn[] = [
      () => ['sigaction', C.SIGUSR1, 800, 0, 'h', flags, 0],
      () => ['fork'],
      (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; },
      () => ['wait4', -1, 0, 0],
      (r) => ['write', `wait returned ${r.ret}\n`],
      () => ['wait4', -1, 0, 0],
      () => ['exit_group', 0],
    ];
    main[10] = () => ['usleep', 1000];
    main[11] = () => ['getppid'];
    main[12] = (r) => ['kill', r.ret, C.SIGUSR1];
    main[13] = () => ['usleep', 1000];
    main[14] = () => ['exit_group', 5];
    const h: Insn[] = [() => ['write', 'handler\n']];
    const e = runScript(main, {}, { h });
    assert.equal(runEngine(e, 100000).reason, 'exited');
    return outputOf(e);
  };

  it('SA_RESTART restarts wait4 after the handler; without it wait4 fails with EINTR', () => {
    assert.equal(waitWithSignal(C.SA_RESTART), 'handler\nwait returned 4\n');
    assert.equal(waitWithSignal(0), `handler\nwait returned ${-C.EINTR}\n`);
  });

  it('SA_NOCLDWAIT: children are reaped at exit, wait ends with ECHILD', () => {
    const main: Insn[] = [
      () => ['sigaction', C.SIGCHLD, 800, 0, C.SIG_DFL, C.SA_NOCLDWAIT, 0],
      () => ['fork'],
      (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; },
      () => ['wait4', -1, 0, 0],
      (r) => ['write', `wait ${r.ret}\n`],
      () => ['exit_group', 0],
    ];
    main[10] = () => ['exit_group', 1];
    const e = runScript(main);
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(outputOf(e), `wait ${-C.ECHILD}\n`);
    assert.ok(!e.k.events.some((ev) => ev.kind === 'zombie' && ev.pid === 4));
  });

  it('a child subreaper adopts its orphaned grandchild; pdeath_signal fires when the parent dies', () => {
    const main: Insn[] = [
      () => ['prctl', C.PR_SET_CHILD_SUBREAPER, 1],
      () => ['fork'],
      (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; },
      () => ['wait4', -1, 600, 0],
      (r, m) => ['write', `reaped ${r.ret} status ${String(m.load(600))}\n`],
      () => ['wait4', -1, 600, 0],
      (r, m) => ['write', `reaped ${r.ret} status ${String(m.load(600))}\n`],
      () => ['exit_group', 0],
    ];
    main[10] = () => ['fork'];
    main[11] = (r) => { if (r.ret === 0) r.pc = 20; return ['getpid']; };
    main[12] = () => ['usleep', 1000];
    main[13] = () => ['exit_group', 0];
    main[20] = () => ['prctl', C.PR_SET_PDEATHSIG, C.SIGTERM];
    main[21] = () => ['sleep', 10];
    const e = runScript(main);
    assert.equal(runEngine(e, 200000).reason, 'exited');
    assert.equal(outputOf(e), `reaped 4 status 0\nreaped 5 status ${C.SIGTERM}\n`);
    const rep = e.k.events.find((ev) => ev.kind === 'reparent');
    assert.deepEqual(rep && rep.kind === 'reparent' ? [rep.pid, rep.to, rep.why] : null, [5, 3, 'subreaper']);
  });

  it('nice lowers the weight; setrlimit(RLIMIT_NPROC) limits fork; PR_SET_NAME sets comm', () => {
    const main: Insn[] = [
      () => ['nice', 5],
      (r) => ['write', `nice ${r.ret}\n`],
      () => ['nice', -10],
      (r) => ['write', `renice ${r.ret}\n`],
      () => ['prctl', C.PR_SET_NAME, 'renamed-process-long'],
      () => ['setrlimit', C.RLIMIT_NPROC, 1, 1],
      () => ['fork'],
      (r) => { if (r.ret === 0) r.pc = 10; return ['write', `fork ${r.ret}\n`]; },
      () => ['exit_group', 0],
    ];
    main[10] = () => ['exit_group', 0];
    const e = runScript(main);
    const t = e.k.find_task_by_vpid(3);
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(outputOf(e), `nice 5\nrenice ${-C.EPERM}\nfork ${-C.EAGAIN}\n`);
    assert.ok(t);
    assert.equal(t.static_prio, 125);
    assert.equal(t.se.load_weight, C.sched_prio_to_weight[25]);
    assert.equal(t.comm, 'renamed-process');
  });
});
