// The fair class under both policies: EEVDF's eligibility, deadlines, lag placement and
// RUN_TO_PARITY, CFS's vruntime order and START_DEBIT, CPU shares by weight, the sched pragma.
import { strict as assert } from 'node:assert';
import * as C from '../../sim-core/kernel/consts';
import { blankTask, newCred, newSignal } from '../../sim-core/kernel/objects';
import { ENQUEUE_INITIAL, ENQUEUE_WAKEUP, RunQueue, schedTunables, sysctlFactor, type FairPolicy } from '../../sim-core/kernel/rq';
import type { task_struct } from '../../sim-core/kernel/task';
import { boot, KMachine } from '../../sim-core/machine';
import { analyze } from '../../sim-core/lang/check';
import { bootSource, kernelTask, runUntil } from '../machine/helpers';

let nextPid = 100;
function task(nice = 0): task_struct {
  const t = blankTask(newSignal(C.RLIM_INFINITY), newCred({ uid: 1000, processes: 0 }));
  t.pid = t.tgid = nextPid++;
  t.static_prio = C.DEFAULT_PRIO + nice;
  t.se.load.weight = C.sched_prio_to_weight[20 + nice];
  return t;
}

/** Two CPU-bound tasks on one CPU, the child at `nice`; returns their sum_exec_runtime. */
function share(policy: FairPolicy, nice: number, steps: number): { parent: number; child: number } {
  const source = `#include <stdio.h>
#include <unistd.h>
int main(void)
{
    volatile long n = 0;
    if (fork() == 0) {
        nice(${nice});
        for (;;)
            n++;
    }
    for (;;)
        n++;
    return 0;
}
`;
  const { machine, diagnostics } = boot({ file: 'share.kproc', source, sched: policy, maxSteps: steps });
  assert.ok(machine instanceof KMachine, diagnostics.map((d) => d.message).join('; '));
  const e = machine.engine;
  e.run(steps, steps);
  const p = e.k.pid_hash.get(3) as task_struct;
  const c = e.k.pid_hash.get(4) as task_struct;
  return { parent: p.se.sum_exec_runtime, child: c.se.sum_exec_runtime };
}

describe('the fair class (EEVDF and CFS)', () => {
  it('scales the tunables with 1 + ilog2(ncpus), CPUs counted up to 8', () => {
    assert.deepEqual([1, 2, 3, 4, 8, 64].map(sysctlFactor), [1, 2, 2, 3, 4, 4]);
    assert.equal(schedTunables('eevdf', 4).base_slice, 2_250_000);
    assert.equal(schedTunables('cfs', 1).latency, 6_000_000);
  });

  it('pick_eevdf takes the eligible entity with the earliest deadline, not the leftmost vruntime', () => {
    const rq = new RunQueue(0, schedTunables('eevdf', 1));
    const a = task(), b = task(), c = task();
    // a: far left but a late deadline; b: not eligible (right of V) with the earliest deadline.
    a.se.vruntime = 0; a.se.deadline = 900_000;
    b.se.vruntime = 600_000; b.se.deadline = 700_000;
    c.se.vruntime = 100_000; c.se.deadline = 800_000;
    for (const t of [a, b, c]) rq.enqueue_entity(t, 0);
    assert.deepEqual(rq.timeline.map((t) => t.pid), [b.pid, c.pid, a.pid], 'the tree is in deadline order');
    // V = (0 + 600000 + 100000) / 3 = 233333: a and c are eligible, b is not.
    assert.equal(rq.avg_vruntime_of(), 233_333);
    assert.deepEqual([a, b, c].map((t) => rq.entity_eligible(t)), [true, false, true]);
    assert.equal(rq.pick_eevdf(), c);
    assert.equal(rq.pick_next(), c);
    assert.equal(c.se.vlag, c.se.deadline, 'set_next_entity marks the request it was picked with');
  });

  it('CFS picks the leftmost vruntime', () => {
    const rq = new RunQueue(0, schedTunables('cfs', 1));
    const a = task(), b = task();
    a.se.vruntime = 500; b.se.vruntime = 200;
    rq.enqueue_entity(a, 0);
    rq.enqueue_entity(b, 0);
    assert.equal(rq.pick_next(), b);
  });

  it('EEVDF keeps a sleeper\'s lag: it comes back as far from V as it left', () => {
    const rq = new RunQueue(0, schedTunables('eevdf', 1));
    const a = task(), b = task();
    rq.enqueue_entity(a, ENQUEUE_INITIAL);
    rq.enqueue_entity(b, ENQUEUE_INITIAL);
    assert.equal(rq.pick_next(), a);
    for (let i = 0; i < 300; i++) rq.entity_tick(1000);
    // a ran 300 us with b waiting: V = 150000, a's lag is -150000.
    rq.dequeue(a);
    assert.equal(a.se.vlag, -150_000);
    rq.pick_next();
    for (let i = 0; i < 100; i++) rq.entity_tick(1000);
    rq.enqueue_entity(a, ENQUEUE_WAKEUP);
    // One other entity of the same weight: the lag is doubled before it is taken from V, so
    // that V after the enqueue is V before it minus... exactly the lag kept.
    const V = rq.avg_vruntime_of();
    assert.equal(V - a.se.vruntime, -150_000);
    assert.equal(a.se.deadline - a.se.vruntime, C.SCHED_BASE_SLICE_NS);
  });

  it('a waking task that EEVDF would pick preempts curr (wakeup_preempt); one without lag does not', () => {
    for (const [lag, preempts] of [[0, false], [500_000, true]] as const) {
      const rq = new RunQueue(0, schedTunables('eevdf', 1));
      const a = task(), b = task();
      rq.enqueue_entity(a, ENQUEUE_INITIAL);
      rq.pick_next();
      for (let i = 0; i < 2000; i++) rq.entity_tick(1000);
      // b slept owed `lag` of service: it comes back left of V with an earlier deadline.
      b.se.vlag = lag;
      rq.enqueue_entity(b, ENQUEUE_WAKEUP);
      rq.check_preempt_wakeup_fair(b);
      assert.equal(rq.should_preempt(), preempts, `lag ${lag}`);
    }
  });

  it('a new CFS task starts one vslice right of min_vruntime (START_DEBIT)', () => {
    const rq = new RunQueue(0, schedTunables('cfs', 1));
    const parent = task(), child = task();
    rq.enqueue_entity(parent, 0);
    rq.pick_next();
    rq.enqueue_entity(child, ENQUEUE_INITIAL, parent);
    // Two tasks of equal weight: the child's slice is half the 6 ms latency.
    assert.equal(child.se.vruntime, rq.min_vruntime + 3_000_000);
  });

  for (const policy of ['eevdf', 'cfs'] as const) {
    it(`${policy}: nice 0 and nice 5 share one CPU as 1024 : 335 (within 3%)`, function () {
      this.timeout(600_000); // a hang guard: 100 ms of two busy loops is 100,000 steps
      const { parent, child } = share(policy, 5, 100_000);
      const ratio = parent / child;
      assert.ok(child > 0 && Math.abs(ratio / (1024 / 335) - 1) < 0.03, `ratio ${ratio.toFixed(3)} (${parent} / ${child})`);
    });
  }

  it('equal weights get equal time under EEVDF', function () {
    this.timeout(600_000);
    const { parent, child } = share('eevdf', 0, 100_000);
    assert.ok(Math.abs(parent / child - 1) < 0.03, `${parent} / ${child}`);
  });

  it('#pragma kproc sched chooses the policy; other words are errors', () => {
    const src = (w: string): string => `#pragma kproc sched ${w}\nint main(void) { return 0; }\n`;
    const m = boot({ file: 'p.kproc', source: src('cfs') }).machine;
    assert.ok(m instanceof KMachine);
    assert.equal(m.engine.k.rq[0].tunables.policy, 'cfs');
    const d = boot({ file: 'p.kproc', source: 'int main(void) { return 0; }\n' }).machine;
    assert.ok(d instanceof KMachine);
    assert.equal(d.engine.k.rq[0].tunables.policy, 'eevdf', 'EEVDF is the default, as in Linux 6.6+');
    const bad = analyze(src('fifo')).diagnostics.filter((x) => x.severity === 'error');
    assert.equal(bad.length, 1);
    assert.match(bad[0].message, /takes one of eevdf, cfs/);
  });
});

describe('the fair class as step points', () => {
  it('a breakpoint on pick_eevdf stops in the fork\'s wakeup_preempt with V and each entity\'s eligibility', () => {
    const m = bootSource();
    m.setFunctionBreakpoints([{ name: 'pick_eevdf' }]);
    // pick_eevdf also runs in every switch (__schedule): the fork's wake-up is a later stop.
    for (let i = 0; i < 50; i++) {
      assert.equal(runUntil(m, { kind: 'continue' }).reason, 'function breakpoint');
      if (m.stack(3)[1]?.name === 'check_preempt_wakeup_fair') break;
    }
    const frames = m.stack(3);
    assert.deepEqual(frames.slice(0, 3).map((f) => f.name), ['pick_eevdf', 'check_preempt_wakeup_fair', 'wake_up_new_task']);
    const vars = m.variables(m.scopes(frames[0].id)[0].ref);
    assert.deepEqual(vars.map((v) => v.name), ['curr', 'se', 'best', 'V', 'eligible']);
    const eligible = vars.find((v) => v.name === 'eligible')?.value ?? '';
    assert.match(eligible, /pid 3 \(curr\): vruntime \d+, deadline \d+, eligible/);
    assert.match(eligible, /pid 4: vruntime \d+, deadline \d+, (not )?eligible/);
  });

  it('sched_yield runs do_sched_yield and yield_task_fair, which moves curr\'s deadline one request on', () => {
    const source = `#include <sched.h>
#include <unistd.h>
int main(void)
{
    if (fork() == 0) {
        for (;;)
            ;
    }
    sched_yield();
    return 0;
}
`;
    const m = bootSource(source);
    m.setFunctionBreakpoints([{ name: 'yield_task_fair' }]);
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'function breakpoint');
    assert.deepEqual(m.stack(3).slice(0, 3).map((f) => f.name), ['yield_task_fair', 'do_sched_yield', '__x64_sys_sched_yield']);
    const t = kernelTask(m, 3) as task_struct;
    const before = t.se.deadline;
    m.setFunctionBreakpoints([{ name: 'schedule' }, { name: 'do_sched_yield' }]);
    runUntil(m, { kind: 'step', pid: 3, action: 'out', granularity: 'kernel' });
    assert.equal(t.se.deadline - before, t.se.slice);
  });
});
