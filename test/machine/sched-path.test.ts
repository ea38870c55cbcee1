// The tick and switch paths as step points: a breakpoint on update_curr, pick_eevdf or
// context_switch stops there with the interrupt's frames above the task's own, and running
// them as frames (when a breakpoint asks) leaves exactly the machine the inline path leaves.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KMachine } from '../../sim-core/machine';
import type { FunctionBreakpointRequest, KEvent, Machine, Stop } from '../../sim-core/machine-types';
import { bootSource, FORK_WAIT, kernelTask } from './helpers';

/** Runs to the end, continuing through every stop; the events, the stops and the final tasks. */
function runThrough(source: string, bps: FunctionBreakpointRequest[], sched?: 'cfs' | 'eevdf'): { events: KEvent[]; stops: number; tasks: string; clock: number; steps: number; output: string } {
  const m = bootSource(source, 2_000_000, { traceSched: true, schedStats: true, ...(sched ? { sched } : {}) });
  if (bps.length) m.setFunctionBreakpoints(bps);
  const events: KEvent[] = [];
  let stops = 0;
  for (;;) {
    m.continue();
    const s = m.run(50_000);
    events.push(...s.events);
    if (s.reason === 'exited' || s.reason === 'deadlock' || s.reason === 'budget' || s.reason === 'panic') break;
    if (s.reason === 'function breakpoint') stops++;
    assert.ok(stops < 20_000, 'too many stops');
  }
  assert.ok(m instanceof KMachine);
  const k = m.engine.k;
  const tasks = JSON.stringify(k.sched_stats) + [...k.pid_hash.values()].map((t) => JSON.stringify({ pid: t.pid, se: t.se, nvcsw: t.nvcsw, nivcsw: t.nivcsw, sched_info: t.sched_info, state: t.__state, cpu: t.cpu, slice: t.rt.time_slice })).join('\n');
  const rqs = k.rq.map((rq) => `${rq.min_vruntime} ${rq.avg_vruntime} ${rq.avg_load} ${rq.curr?.pid ?? 0} ${rq.timeline.map((p) => p.pid).join(',')}`).join('\n');
  return { events, stops, tasks: tasks + '\n' + rqs, clock: k.clock, steps: k.steps, output: m.output() };
}

const examples = ['examples/nice-share.kproc', 'examples/rr-pair.kproc', 'examples/fork-wait.kproc', 'examples/kthread.kproc', 'examples/daemon.kproc'];

describe('the tick and switch paths run as frames only when a breakpoint asks, to the same end', () => {
  for (const file of examples) {
    for (const sched of ['eevdf', 'cfs'] as const) {
      it(`${file} (${sched}): the same events, tasks and run queues with breakpoints on update_curr and pick_next_task_fair`, function () {
        this.timeout(600_000);
        const source = readFileSync(file, 'utf8');
        const plain = runThrough(source, [], sched);
        // Every tick and switch runs as frames; a stop at every 997th update_curr and 97th
        // task_tick_rt, and at every fair pick.
        const stepped = runThrough(source, [{ name: 'update_curr', hitCondition: '% 997' }, { name: 'task_tick_rt', hitCondition: '% 97' }, { name: 'pick_next_task_fair' }], sched);
        assert.ok(stepped.stops > 2, `stops: ${stepped.stops}`);
        assert.equal(stepped.output, plain.output);
        assert.equal(stepped.clock, plain.clock);
        assert.equal(stepped.steps, plain.steps);
        assert.equal(stepped.events.length, plain.events.length);
        assert.deepEqual(stepped.events, plain.events);
        assert.equal(stepped.tasks, plain.tasks);
      });
    }
  }
});

/** Continues to the next stop at a function breakpoint whose frames below the top satisfy `want`. */
function stopWhere(m: Machine, want: (names: string[]) => boolean): { stop: Stop; names: string[] } {
  for (let i = 0; i < 5000; i++) {
    m.continue();
    let s = m.run(50_000);
    while (s.reason === 'yield') s = m.run(50_000);
    assert.equal(s.reason, 'function breakpoint', `stopped for ${s.reason}`);
    const names = m.stack(s.pid as number).map((f) => f.name);
    if (want(names)) return { stop: s, names };
  }
  throw new Error('no such stop');
}

/** The value of an expression in frame `frame` of task pid's stack. */
function at(m: Machine, pid: number, frame: number, expr: string): string {
  const r = m.evaluate(expr, m.stack(pid)[frame].id);
  if (r.error !== undefined) throw new Error(r.error);
  return r.value;
}

function local(m: Machine, pid: number, frame: number, name: string): string {
  const l = m.stack(pid)[frame].locals.find((x) => x.name === name);
  assert.ok(l, `${name} in ${m.stack(pid)[frame].name}: ${JSON.stringify(m.stack(pid)[frame].locals)}`);
  return l.value;
}

describe('breakpoints on the tick and switch paths', () => {
  it('update_curr: the tick\'s frames above the interrupted task\'s, curr and its vruntime before and after', () => {
    const m = bootSource(FORK_WAIT);
    m.setFunctionBreakpoints([{ name: 'update_curr' }]);
    // The scenario's main, interrupted in its own code (its first frame below the tick's is main).
    const { stop, names } = stopWhere(m, (n) => n.includes('main') && n[4] === 'main');
    const pid = stop.pid as number;
    assert.deepEqual(names.slice(0, 4), ['update_curr', 'entity_tick', 'task_tick_fair', 'sched_tick']);
    const frames = m.stack(pid);
    assert.equal(frames[0].kind, 'kernel');
    assert.equal(frames[0].file, 'kernel/sched/fair.c');
    assert.equal(frames[3].file, 'kernel/sched/core.c');
    assert.equal(frames[4].kind, 'user');
    assert.equal(at(m, pid, 0, 'curr->pid'), String(pid));
    const t = kernelTask(m, pid);
    assert.ok(t);
    const before = t.se.vruntime;
    assert.equal(local(m, pid, 0, 'vruntime_was'), String(before));
    // Step through update_curr: delta_exec is the tick (1 us), vruntime grows by it at nice 0.
    for (let i = 0; i < 3; i++) {
      m.step(pid, 'over', 'kernel');
      let s = m.run(50_000);
      while (s.reason === 'yield') s = m.run(50_000);
      assert.equal(s.reason, 'step');
    }
    assert.equal(m.stack(pid)[0].name, 'update_curr');
    assert.equal(local(m, pid, 0, 'delta_exec'), '1000');
    assert.equal(local(m, pid, 0, 'vruntime_was'), String(before));
    assert.equal(local(m, pid, 0, 'vruntime'), String(before + 1000));
    assert.equal(t.se.vruntime, before + 1000);
  });

  it('a function breakpoint on the older name scheduler_tick stops in sched_tick, and says so', () => {
    const m = bootSource(FORK_WAIT);
    const [r] = m.setFunctionBreakpoints([{ name: 'scheduler_tick' }]);
    assert.equal(r.verified, true);
    assert.match(r.message ?? '', /scheduler_tick is called sched_tick since Linux 6\.10/);
    const { names } = stopWhere(m, () => true);
    assert.equal(names[0], 'sched_tick');
  });

  it('Step Into at kernel granularity through do_wait\'s schedule() goes into __schedule, with no breakpoint on the path', () => {
    const m = bootSource(FORK_WAIT);
    m.setFunctionBreakpoints([{ name: 'do_wait' }]);
    const { stop } = stopWhere(m, () => true);
    const pid = stop.pid as number;
    m.setFunctionBreakpoints([]);
    const seen: string[][] = [];
    for (let i = 0; i < 40; i++) {
      m.step(pid, 'in', 'kernel');
      let s = m.run(50_000);
      while (s.reason === 'yield') s = m.run(50_000);
      assert.equal(s.reason, 'step');
      const names = m.stack(pid).map((f) => f.name);
      seen.push(names);
      if (names[0] === '__schedule') break;
    }
    const last = seen[seen.length - 1];
    assert.equal(last[0], '__schedule', JSON.stringify(seen));
    assert.ok(last.includes('do_wait'), JSON.stringify(last));
  });

  it('pick_eevdf in __schedule: the switch path\'s frames and the eligible entities', () => {
    const m = bootSource(FORK_WAIT);
    m.setFunctionBreakpoints([{ name: 'pick_eevdf' }]);
    const { stop, names } = stopWhere(m, (n) => n[1] === 'pick_next_task_fair' && n.indexOf('__schedule') === 3);
    assert.deepEqual(names.slice(0, 4), ['pick_eevdf', 'pick_next_task_fair', 'pick_next_task', '__schedule']);
    const pid = stop.pid as number;
    assert.match(local(m, pid, 0, 'eligible'), /pid \d+.*(eligible|not eligible)/);
    assert.equal(at(m, pid, 3, 'prev->pid'), String(pid));
  });

  it('context_switch: prev and next, below it __schedule, and the switch is counted once', () => {
    const m = bootSource(FORK_WAIT);
    m.setFunctionBreakpoints([{ name: 'context_switch' }]);
    const { stop, names } = stopWhere(m, () => true);
    assert.deepEqual(names.slice(0, 2), ['context_switch', '__schedule']);
    const pid = stop.pid as number;
    assert.equal(at(m, pid, 0, 'prev->pid'), String(pid));
    assert.notEqual(at(m, pid, 0, 'next->pid'), String(pid));
    // Counted at context_switch's first step: stepping over it adds one switch to prev.
    const t = kernelTask(m, pid);
    assert.ok(t);
    const switches = t.nvcsw + t.nivcsw;
    m.step(pid, 'over', 'kernel');
    let s = m.run(50_000);
    while (s.reason === 'yield') s = m.run(50_000);
    assert.equal(s.reason, 'step');
    assert.equal(t.nvcsw + t.nivcsw, switches + 1);
  });
});
