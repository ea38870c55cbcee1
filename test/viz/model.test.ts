// The timeline model: lane states with and without the scheduler's tracepoints, marks and the
// kernel function each names, threads under their process, reused pids, CPU rows, and a log of
// 1,000,000 events over 10,000 tasks (counted, not timed).
import { strict as assert } from 'node:assert';
import type { KEvent } from '../../sim-core/machine-types';
import { buildTimeline, markGotoTarget, stateAt, type Lane, type TimelineModel } from '../../sim-core/viz/model';
import { bigLog } from '../../bench/timeline/big-log';

type Body = KEvent extends infer E ? E extends KEvent ? Omit<E, 'time' | 'step'> : never : never;

/** A log from event bodies at the given microseconds; steps count up. */
function log(...items: Array<[number, Body]>): KEvent[] {
  return items.map(([us, body], i) => ({ ...body, time: us * 1000, step: i + 1 }) as KEvent);
}

const sw = (cpu: number, prev: number, state: string, next: number): Body =>
  ({ kind: 'sched_switch', cpu, prev_comm: prev ? 'a' : `swapper/${cpu}`, prev_pid: prev, prev_prio: 120, prev_state: state, next_comm: next ? `c${next}` : `swapper/${cpu}`, next_pid: next, next_prio: 120 });

const BOOT = [{ pid: 1, tgid: 1, comm: 'init', ppid: 0 }, { pid: 2, tgid: 2, comm: 'kthreadd', ppid: 0, kthread: true }, { pid: 3, tgid: 3, comm: 'main', ppid: 1 }];

function lane(m: TimelineModel, pid: number, nth = 0): Lane {
  const l = m.lanes.filter((x) => x.pid === pid)[nth];
  assert.ok(l, `no lane for ${pid}`);
  return l;
}

/** Spans are back to back, never empty, and cover birth to release (or the end). */
function checkSpans(m: TimelineModel): void {
  for (const l of m.lanes) {
    for (let i = 0; i < l.spans.length; i++) {
      const s = l.spans[i];
      assert.ok(s.to > s.from, `lane ${l.pid}: empty span`);
      if (i > 0) assert.equal(s.from, l.spans[i - 1].to, `lane ${l.pid}: gap or overlap`);
      if (i > 0) assert.notEqual(s.state, l.spans[i - 1].state, `lane ${l.pid}: two spans of one state side by side`);
    }
    if (l.spans.length) {
      assert.equal(l.spans[0].from, l.born, `lane ${l.pid}: first span not at birth`);
      assert.equal(l.spans[l.spans.length - 1].to, l.gone ?? m.end, `lane ${l.pid}: last span not at the end`);
    }
  }
}

describe('timeline model', () => {
  it('without sched events: alive from fork, zombie from exit_notify, gone at release_task; marks name the kernel functions', () => {
    const events = log(
      [4, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [10, { kind: 'exit', pid: 4, code: 7 << 8, comm: 'main' }],
      [10, { kind: 'signal', from: 4, to: 3, sig: 17, name: 'SIGCHLD', action: 'ignore' }],
      [10, { kind: 'zombie', pid: 4, parent: 3 }],
      [12, { kind: 'reap', pid: 4, by: 3, status: 7 << 8 }],
    );
    const m = buildTimeline(events, { now: 20000, nowStep: 9, tasks: BOOT });
    assert.equal(m.sched, false);
    assert.deepEqual(m.lanes.map((l) => l.pid), [1, 2, 3, 4]);
    const child = lane(m, 4);
    assert.deepEqual(child.spans, [{ from: 4000, to: 10000, state: 'alive' }, { from: 10000, to: 12000, state: 'zombie' }]);
    assert.equal(child.gone, 12000);
    assert.equal(child.parent, 3);
    assert.equal(child.comm, 'main');
    assert.deepEqual(m.marks.map((x) => [x.kind, x.pid, x.other, x.fn]), [
      ['fork', 3, 4, 'kernel_clone'], ['exit', 4, undefined, 'do_exit'], ['signal', 3, 4, 'send_signal_locked'],
      ['zombie', 4, 3, 'exit_notify'], ['reap', 4, 3, 'release_task'],
    ]);
    assert.match(m.marks[1].label, /exit\(7\)/);
    assert.match(m.marks[4].label, /reaped by 3 \(wait_task_zombie\)/);
    assert.equal(m.marks[0].otherLane, m.lanes.indexOf(child));
    assert.equal(m.cpus.length, 0);
    checkSpans(m);
  });

  it('with sched events: running, runnable, sleeping, disk sleep and zombie from sched_switch, and a row per CPU', () => {
    const events = log(
      [0, sw(0, 0, 'R', 3)],
      [4, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [6, sw(0, 3, 'S', 4)],
      [8, sw(0, 4, 'D', 0)],
      [20, { kind: 'sched_wakeup', comm: 'a', pid: 4, prio: 120, target_cpu: 0 }],
      [20, { kind: 'sched_wakeup', comm: 'a', pid: 3, prio: 120, target_cpu: 1 }],
      [20, sw(1, 0, 'R', 3)],
      [21, sw(0, 0, 'R', 4)],
      [25, { kind: 'exit', pid: 4, code: 9 }],
      [25, { kind: 'zombie', pid: 4, parent: 3 }],
      [26, sw(0, 4, 'Z', 0)],
      [27, { kind: 'reap', pid: 4, by: 3, status: 9 }],
    );
    const m = buildTimeline(events, { now: 30000, nowStep: 12, tasks: BOOT });
    assert.equal(m.sched, true);
    assert.equal(m.cpuCount, 2);
    assert.deepEqual(lane(m, 4).spans, [
      { from: 4000, to: 6000, state: 'runnable' }, { from: 6000, to: 8000, state: 'running' }, { from: 8000, to: 20000, state: 'disk-sleep' },
      { from: 20000, to: 21000, state: 'runnable' }, { from: 21000, to: 25000, state: 'running' }, { from: 25000, to: 27000, state: 'zombie' },
    ]);
    assert.deepEqual(lane(m, 3).spans, [
      { from: 0, to: 6000, state: 'running' }, { from: 6000, to: 20000, state: 'sleeping' }, { from: 20000, to: 30000, state: 'running' },
    ]);
    assert.equal(lane(m, 4).comm, 'c4');
    assert.match(m.marks.find((x) => x.kind === 'exit')?.label ?? '', /killed by SIGKILL/);
    assert.deepEqual(m.cpus, [
      { cpu: 0, from: 0, to: 6000, pid: 3 }, { cpu: 0, from: 6000, to: 8000, pid: 4 }, { cpu: 0, from: 8000, to: 21000, pid: null },
      { cpu: 0, from: 21000, to: 26000, pid: 4 }, { cpu: 0, from: 26000, to: 30000, pid: null },
      { cpu: 1, from: 20000, to: 30000, pid: 3 },
    ]);
    checkSpans(m);
  });

  it('a switch that lasts no time leaves no span and no CPU run', () => {
    const events = log([0, sw(0, 0, 'R', 3)], [5, sw(0, 3, 'R', 1)], [5, sw(0, 1, 'S', 3)], [9, sw(0, 3, 'S', 0)]);
    const m = buildTimeline(events, { now: 10000, nowStep: 4, tasks: BOOT });
    assert.deepEqual(lane(m, 3).spans, [{ from: 0, to: 9000, state: 'running' }, { from: 9000, to: 10000, state: 'sleeping' }]);
    assert.deepEqual(m.cpus, [{ cpu: 0, from: 0, to: 9000, pid: 3 }, { cpu: 0, from: 9000, to: 10000, pid: null }]);
  });

  it('puts threads right under their process, and a leader that exits first is a zombie while they live', () => {
    const events = log(
      [1, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [2, { kind: 'fork', parent: 3, child: 5, flags: 0x10f00, via: 'clone3' }],
      [3, { kind: 'fork', parent: 4, child: 6, flags: 0x10f00, via: 'clone3' }],
      [4, { kind: 'exit', pid: 3, code: 0 }],
      [6, { kind: 'exit', pid: 5, code: 0 }],
      [6, { kind: 'reap', pid: 5, by: null, status: 0 }],
      [6, { kind: 'zombie', pid: 3, parent: 1 }],
      [8, { kind: 'reap', pid: 3, by: 1, status: 0 }],
    );
    const m = buildTimeline(events, { now: 10000, nowStep: 8, tasks: BOOT });
    assert.deepEqual(m.lanes.map((l) => l.pid), [1, 2, 3, 5, 4, 6]);
    assert.equal(lane(m, 5).tgid, 3);
    assert.equal(lane(m, 6).tgid, 4);
    assert.equal(m.lanes[lane(m, 6).leaderLane].pid, 4);
    assert.equal(lane(m, 5).parent, 1, 'a thread\'s real_parent is its leader\'s (CLONE_THREAD)');
    assert.deepEqual(lane(m, 3).spans.map((s) => s.state), ['alive', 'zombie']);
    assert.equal(lane(m, 3).spans[1].from, 4000, 'zombie from its own exit, while thread 5 lived on');
    const z = m.marks.find((x) => x.kind === 'zombie');
    assert.equal(z?.fn, 'release_task', 'the leader is announced a zombie when its last thread is released');
    assert.match(m.marks.find((x) => x.kind === 'reap' && x.pid === 5)?.label ?? '', /autoreap/);
    checkSpans(m);
  });

  it('CLONE_PARENT gives the child its caller\'s parent; reparenting is a mark naming forget_original_parent', () => {
    const events = log(
      [1, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [2, { kind: 'fork', parent: 4, child: 5, flags: 0x8000 | 17, via: 'clone' }],
      [3, { kind: 'fork', parent: 4, child: 6, flags: 17, via: 'fork' }],
      [4, { kind: 'exit', pid: 4, code: 0 }],
      [4, { kind: 'reparent', pid: 6, from: 4, to: 1, why: 'init' }],
    );
    const m = buildTimeline(events, { now: 5000, nowStep: 5, tasks: BOOT });
    assert.equal(lane(m, 5).parent, 3);
    assert.equal(lane(m, 6).parent, 4);
    const r = m.marks.find((x) => x.kind === 'reparent');
    assert.equal(r?.fn, 'forget_original_parent');
    assert.equal(r?.from, 4);
    assert.equal(r?.other, 1);
    assert.equal(r?.otherLane, m.lanes.indexOf(lane(m, 1)));
  });

  it('a reused pid gets a new lane; marks after reuse point at the new one', () => {
    const events = log(
      [1, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [2, { kind: 'exit', pid: 4, code: 0 }],
      [2, { kind: 'zombie', pid: 4, parent: 3 }],
      [3, { kind: 'reap', pid: 4, by: 3, status: 0 }],
      [4, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [5, { kind: 'exec', pid: 4, path: '/bin/ls', comm: 'ls' }],
    );
    const m = buildTimeline(events, { now: 6000, nowStep: 6, tasks: BOOT });
    const first = lane(m, 4, 0), second = lane(m, 4, 1);
    assert.equal(first.gone, 3000);
    assert.equal(first.comm, 'main');
    assert.equal(second.born, 4000);
    assert.equal(second.comm, 'ls');
    const exec = m.marks.find((x) => x.kind === 'exec');
    assert.equal(exec?.lane, m.lanes.indexOf(second));
    assert.equal(exec?.fn, 'begin_new_exec');
    checkSpans(m);
  });

  it('without sched events, a group stop and SIGCONT show as stopped then alive again for every thread', () => {
    const events = log(
      [1, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [2, { kind: 'fork', parent: 4, child: 5, flags: 0x10f00, via: 'clone3' }],
      [3, { kind: 'signal', from: 3, to: 4, sig: 19, name: 'SIGSTOP', action: 'stop' }],
      [3, { kind: 'stopped', pid: 4, sig: 19 }],
      [7, { kind: 'continued', pid: 4 }],
    );
    const m = buildTimeline(events, { now: 9000, nowStep: 5, tasks: BOOT });
    for (const pid of [4, 5]) {
      assert.deepEqual(lane(m, pid).spans.map((s) => [s.from, s.state]), [[pid === 4 ? 1000 : 2000, 'alive'], [3000, 'stopped'], [7000, 'alive']]);
    }
    assert.equal(stateAt(lane(m, 5), 5000), 'stopped');
    assert.equal(stateAt(lane(m, 5), 1000), undefined);
  });

  it('an exec by a non-leader thread (de_thread) names the thread whose pid changed', () => {
    const events = log(
      [1, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [2, { kind: 'fork', parent: 4, child: 5, flags: 0x10f00, via: 'clone3' }],
      [3, { kind: 'exit', pid: 4, code: 0 }],
      [4, { kind: 'reap', pid: 5, by: 4, status: 0 }],
      [4, { kind: 'exec', pid: 4, path: '/bin/after', comm: 'after', oldPid: 5 }],
    );
    const m = buildTimeline(events, { now: 6000, nowStep: 5, tasks: BOOT });
    const exec = m.marks.find((x) => x.kind === 'exec');
    assert.equal(exec?.other, 5);
    assert.match(exec?.label ?? '', /de_thread/);
    assert.deepEqual(lane(m, 4).spans.map((s) => s.state), ['alive', 'zombie', 'alive'], 'pid 4 lives on in the thread that exec\'d');
    assert.equal(m.marks.find((x) => x.kind === 'exit')?.fn, 'do_exit');
  });

  it('leaves out events after the end it is given', () => {
    const events = log(
      [1, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [5, { kind: 'exit', pid: 4, code: 0 }],
      [5, { kind: 'zombie', pid: 4, parent: 3 }],
    );
    const m = buildTimeline(events, { now: 2000, nowStep: 1, end: 3000, tasks: BOOT });
    assert.equal(m.end, 3000);
    assert.deepEqual(m.marks.map((x) => x.kind), ['fork']);
    assert.deepEqual(lane(m, 4).spans, [{ from: 1000, to: 3000, state: 'alive' }]);
    checkSpans(m);
  });

  it('names a goto target for each mark (a fork mark goes to its child\'s creation)', () => {
    const events = log(
      [1, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [2, { kind: 'signal', from: 3, to: 4, sig: 15, name: 'SIGTERM', action: 'terminate' }],
    );
    const m = buildTimeline(events, { now: 3000, nowStep: 2, tasks: BOOT });
    assert.equal(markGotoTarget(m.marks[0]), 'fork 4 back');
    assert.equal(markGotoTarget(m.marks[1], 'forward'), 'signal 4 SIGTERM forward');
  });

  it('a signal sent and then delivered: the send mark on the receiver with the sender at the other end, the deliver mark in get_signal', () => {
    const events = log(
      [1, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
      [5, { kind: 'signal', from: 3, to: 4, sig: 10, name: 'SIGUSR1', action: 'handler' }],
      [7, { kind: 'signal_deliver', pid: 4, sig: 10, name: 'SIGUSR1', action: 'handler', handler: 'on_usr1' }],
      [8, { kind: 'signal', from: 3, to: 4, sig: 17, name: 'SIGCHLD', action: 'ignore' }],
      [9, { kind: 'signal', from: 3, to: 4, sig: 15, name: 'SIGTERM', action: 'terminate' }],
      [10, { kind: 'signal_deliver', pid: 4, sig: 9, name: 'SIGKILL', action: 'terminate' }],
    );
    const m = buildTimeline(events, { now: 11000, nowStep: 7, tasks: BOOT });
    const child = m.lanes.indexOf(lane(m, 4));
    const parent = m.lanes.indexOf(lane(m, 3));
    assert.deepEqual(m.marks.map((x) => [x.kind, x.lane, x.otherLane, x.fn, x.sig]), [
      ['fork', parent, child, 'kernel_clone', undefined],
      ['signal', child, parent, 'send_signal_locked', 10],
      ['deliver', child, undefined, 'get_signal', 10],
      ['signal', child, parent, 'send_signal_locked', 17],
      ['signal', child, parent, 'send_signal_locked', 15],
      ['deliver', child, undefined, 'get_signal', 9],
    ]);
    assert.equal(m.marks[1].label, 'SIGUSR1 sent by 3 (handler)');
    assert.equal(m.marks[2].label, 'SIGUSR1 delivered: handler on_usr1 runs');
    assert.equal(m.marks[5].label, 'SIGKILL delivered: the process is killed (do_group_exit)');
    // goto has no delivery event: a deliver mark travels to its step.
    assert.equal(markGotoTarget(m.marks[2]), 'step 3');
  });

  it('a lane there from the start begins in the state the machine saw it in, not a guess', () => {
    const tasks = [
      { pid: 1, tgid: 1, comm: 'init', ppid: 0, state: 'S', running: false, cpu: 0 },
      { pid: 2, tgid: 2, comm: 'kthreadd', ppid: 0, kthread: true, state: 'I', running: false, cpu: 1 },
      { pid: 3, tgid: 3, comm: 'main', ppid: 1, state: 'R', running: true, cpu: 1 },
      { pid: 5, tgid: 5, comm: 'queued', ppid: 1, state: 'R', running: false, cpu: 0 },
      { pid: 6, tgid: 6, comm: 'halted', ppid: 1, state: 'T', running: false, cpu: 0 },
      { pid: 7, tgid: 7, comm: 'dead', ppid: 1, state: 'Z', running: false, cpu: 0 },
    ];
    const first = (m: TimelineModel, pid: number) => lane(m, pid).spans[0].state;
    const m = buildTimeline([], { now: 1000, nowStep: 0, tasks, sched: true });
    assert.deepEqual([1, 2, 3, 5, 6, 7].map((p) => first(m, p)), ['sleeping', 'sleeping', 'running', 'runnable', 'stopped', 'zombie']);
    assert.deepEqual(m.cpus, [{ cpu: 1, from: 0, to: 1000, pid: 3 }], 'CPU 1 runs main from the start; CPU 0 waits for its first switch');
    // The first switch takes it from there: main leaves CPU 1 asleep.
    const later = buildTimeline(log([4, sw(1, 3, 'S', 0)]), { now: 8000, nowStep: 1, tasks, sched: true });
    assert.deepEqual(lane(later, 3).spans, [{ from: 0, to: 4000, state: 'running' }, { from: 4000, to: 8000, state: 'sleeping' }]);
    assert.deepEqual(later.cpus, [{ cpu: 1, from: 0, to: 4000, pid: 3 }, { cpu: 1, from: 4000, to: 8000, pid: null }]);
    // Without the scheduler's tracepoints only a stop and a zombie show.
    const plain = buildTimeline([], { now: 1000, nowStep: 0, tasks, sched: false });
    assert.deepEqual([1, 3, 5, 6, 7].map((p) => first(plain, p)), ['alive', 'alive', 'alive', 'stopped', 'zombie']);
    checkSpans(m);
    checkSpans(later);
  });

  it('builds 10,000 tasks and 1,000,000 events: every task a lane, every event a mark or a state change', function () {
    this.timeout(120000); // a hang guard only
    const { events, counts } = bigLog(10_000, 1_000_000, 4);
    assert.equal(events.length, 1_000_000);
    const last = events[events.length - 1];
    const m = buildTimeline(events, { now: last.time, nowStep: last.step });
    assert.equal(m.lanes.length, 10_000 + 1, 'the tasks and init');
    assert.equal(m.marks.filter((x) => x.kind === 'fork').length, counts.forks);
    assert.equal(m.marks.filter((x) => x.kind === 'exit').length, counts.exits);
    assert.equal(m.marks.filter((x) => x.kind === 'zombie').length, counts.zombies);
    assert.equal(m.marks.filter((x) => x.kind === 'reap').length, counts.reaps);
    assert.equal(m.marks.filter((x) => x.kind === 'signal').length, counts.signals);
    assert.equal(m.marks.filter((x) => x.kind === 'deliver').length, counts.delivers);
    assert.ok(counts.delivers > 0);
    assert.equal(m.marks.length, counts.forks + counts.exits + counts.zombies + counts.reaps + counts.signals + counts.delivers);
    assert.equal(m.lanes.filter((l) => l.gone !== undefined).length, 10_000, 'all reaped');
    assert.equal(m.lanes.filter((l) => l.tgid !== l.pid).length, counts.threads);
    // Each thread sits right after its leader or a sibling.
    m.lanes.forEach((l, i) => { if (l.tgid !== l.pid) assert.equal(m.lanes[i - 1].tgid, l.tgid); });
    assert.equal(m.cpuCount, 4);
    // The CPU rows tile each CPU's time from its first switch to the end.
    for (let c = 0; c < 4; c++) {
      const rows = m.cpus.filter((r) => r.cpu === c);
      for (let i = 1; i < rows.length; i++) assert.equal(rows[i].from, rows[i - 1].to);
      assert.equal(rows[rows.length - 1].to, m.end);
    }
    checkSpans(m);
  });
});
