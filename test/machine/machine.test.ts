// The machine, state in and state out: boot, breakpoints of each kind, stepping at both
// granularities, pause and slices, event filters, data watches, the evaluator, determinism.
import assert from 'node:assert/strict';
import { boot } from '../../sim-core/machine';
import * as C from '../../sim-core/kernel/consts';
import type { KEvent } from '../../sim-core/machine-types';
import { bootSource, FILE, FORK_WAIT, kernelTask, runToEnd, runUntil, valueOf } from './helpers';

describe('machine: boot and run', () => {
  it('boots init, kthreadd and the scenario as pid 3, stopped before main runs', () => {
    const m = bootSource();
    const rows = m.tasks();
    assert.deepEqual(rows.map((r) => [r.pid, r.comm, r.ppid]), [[1, 'init', 0], [2, 'kthreadd', 0], [3, 'fork-wait', 1]]);
    assert.equal(rows[1].kthread, true);
    const top = m.stack(3)[0];
    assert.deepEqual([top.name, top.kind, top.file], ['main', 'user', FILE]);
  });

  it('returns diagnostics and no machine for a scenario with errors', () => {
    const r = boot({ file: 'bad.kproc', source: 'int main(void) { fork() return 0; }' });
    assert.equal(r.machine, undefined);
    assert.ok(r.diagnostics.some((d) => d.severity === 'error'));
  });

  it('runs to the end: output, exit status, every task reaped', () => {
    const m = bootSource();
    const { stops, events } = runToEnd(m);
    assert.equal(stops[stops.length - 1].reason, 'exited');
    assert.equal(m.output(), 'status 7\n');
    assert.deepEqual(m.exitStatus(), { finished: true, reason: 'exited', message: undefined, exitCode: 0 });
    assert.deepEqual(m.tasks().map((r) => r.pid), [1, 2]);
    const reap = events.find((e) => e.kind === 'reap' && e.pid === 4);
    assert.ok(reap && reap.kind === 'reap' && reap.by === 3 && reap.status === 7 << 8);
  });

  it('names the sleeping tasks of a deadlock', () => {
    const m = bootSource('#include <unistd.h>\nint main(void)\n{\n    pause();\n    return 0;\n}\n');
    const s = runUntil(m, { kind: 'continue' });
    assert.equal(s.reason, 'deadlock');
    assert.match(s.message ?? '', /sleeping: 3 \(fork-wait, TASK_INTERRUPTIBLE\)/);
  });

  it('ends at the step budget', () => {
    const m = bootSource('int main(void)\n{\n    for (;;) {}\n    return 0;\n}\n', 500);
    const s = runUntil(m, { kind: 'continue' });
    assert.equal(s.reason, 'budget');
    assert.equal(m.globals().steps, 500);
  });

  it('stops at the step budget exactly, even inside a run of kernel steps', () => {
    // fork-wait spends most of its first steps inside fork's and wait4's kernel paths.
    for (const budget of [20, 50, 90, 120, 200]) {
      const m = bootSource(undefined, budget);
      assert.equal(runUntil(m, { kind: 'continue' }).reason, 'budget');
      assert.equal(m.globals().steps, budget);
    }
  });

  it('yields at slice boundaries and stops on pause', () => {
    const m = bootSource();
    const s = m.run(10);
    assert.equal(s.reason, 'yield');
    assert.equal(m.globals().steps, 10);
    m.pause();
    assert.equal(m.run(10).reason, 'pause');
    assert.equal(m.globals().steps, 10, 'pause stops before running anything');
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'exited');
    assert.equal(m.output(), 'status 7\n');
  });
});

describe('machine: breakpoints', () => {
  it('moves a line breakpoint to the next statement and stops in both tasks', () => {
    const m = bootSource();
    const [bp] = m.setLineBreakpoints(FILE, [{ line: 14 }]);
    assert.deepEqual([bp.verified, bp.line], [true, 15]);
    const s1 = runUntil(m, { kind: 'continue' });
    assert.deepEqual([s1.reason, s1.pid, s1.breakpointIds], ['breakpoint', 3, [bp.id]]);
    assert.equal(m.stack(3)[0].line, 15);
    const s2 = runUntil(m, { kind: 'continue' });
    assert.deepEqual([s2.reason, s2.pid], ['breakpoint', 4]);
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'exited');
  });

  it('reports lines past the last statement and unknown files as unverified', () => {
    const m = bootSource();
    const [late, other] = [...m.setLineBreakpoints(FILE, [{ line: 40 }]), ...m.setLineBreakpoints('/elsewhere.c', [{ line: 1 }])];
    assert.equal(late.verified, false);
    assert.equal(other.verified, false);
    assert.match(other.message ?? '', /neither the scenario nor a modelled kernel source/);
  });

  it('evaluates conditions over the stopped task: locals and current', () => {
    const m = bootSource();
    m.setLineBreakpoints(FILE, [{ line: 15, condition: 'child == 0' }]);
    const s = runUntil(m, { kind: 'continue' });
    assert.deepEqual([s.reason, s.pid], ['breakpoint', 4]);
    const m2 = bootSource();
    m2.setLineBreakpoints(FILE, [{ line: 15, condition: 'current->tgid == 3 && pid == 3' }]);
    assert.equal(runUntil(m2, { kind: 'continue' }).pid, 3);
    assert.equal(runUntil(m2, { kind: 'continue' }).reason, 'exited');
  });

  it('counts hits for hit conditions', () => {
    const m = bootSource();
    m.setLineBreakpoints(FILE, [{ line: 15, hitCondition: '2' }]);
    const s = runUntil(m, { kind: 'continue' });
    assert.deepEqual([s.reason, s.pid], ['breakpoint', 4]);
  });

  it('stops at a kernel function with its locals, and refuses unknown names', () => {
    const m = bootSource();
    const [cp, nope] = m.setFunctionBreakpoints([{ name: 'copy_process' }, { name: 'no_such_fn' }]);
    assert.equal(cp.verified, true);
    assert.equal(nope.verified, false);
    assert.match(nope.message ?? '', /no kernel or scenario function named 'no_such_fn'/);
    const s = runUntil(m, { kind: 'continue' });
    assert.deepEqual([s.reason, s.pid, s.breakpointIds], ['function breakpoint', 3, [cp.id]]);
    const names = m.stack(3).map((f) => f.name);
    assert.deepEqual(names, ['copy_process', 'kernel_clone', '__x64_sys_fork', 'main']);
    assert.equal(m.stack(3)[0].file, 'kernel/fork.c');
    assert.equal(valueOf(m, 'clone_flags & CLONE_THREAD', 3), '0');
    assert.equal(valueOf(m, 'current->real_parent->pid', 3), '1');
  });

  it('stops at a scenario function', () => {
    const m = bootSource();
    m.setFunctionBreakpoints([{ name: 'helper' }]);
    const s = runUntil(m, { kind: 'continue' });
    assert.deepEqual([s.reason, s.pid], ['function breakpoint', 4]);
    assert.deepEqual(m.stack(4).slice(0, 2).map((f) => f.name), ['helper', 'main']);
    assert.equal(valueOf(m, 'x', 4), '6');
    // The frame shows the function's first statement (line 7), the line that runs next.
    assert.equal(m.stack(4)[0].line, 7);
  });

  it('stops at a line of a displayed kernel source, with a condition on a kernel local', () => {
    const m = bootSource();
    const src = m.kernelSources().find((s) => s.path === 'kernel/exit.c');
    assert.ok(src);
    const line = src.text.split('\n').findIndex((l) => /^static int wait_task_zombie\(/.test(l));
    assert.ok(line > 0);
    const [bp] = m.setLineBreakpoints('kernel/exit.c', [{ line, condition: 'p->exit_state == EXIT_ZOMBIE' }]);
    assert.equal(bp.verified, true);
    assert.ok((bp.line ?? 0) > line, 'moved to the first step point of the function');
    const s = runUntil(m, { kind: 'continue' });
    assert.deepEqual([s.reason, s.pid], ['breakpoint', 3]);
    assert.equal(m.stack(3)[0].name, 'wait_task_zombie');
    assert.equal(m.stack(3)[0].line, bp.line);
    assert.equal(valueOf(m, 'p->pid', 3), '4');
  });

  it('stops on an event filter with the event', () => {
    const m = bootSource();
    m.setEventFilters(['zombie']);
    const s = runUntil(m, { kind: 'continue' });
    assert.equal(s.reason, 'event');
    assert.ok(s.event && s.event.kind === 'zombie' && s.event.pid === 4);
    assert.equal(m.evaluate('find_task_by_vpid(4)->exit_state').type, 'int');
    assert.equal(valueOf(m, 'find_task_by_vpid(4)->exit_state == EXIT_ZOMBIE'), '1');
  });

  it('stops when a watched task_struct field changes', () => {
    const m = bootSource();
    const [w] = m.setDataWatches([{ pid: 3, field: '__state' }]);
    assert.equal(w.verified, true);
    const s = runUntil(m, { kind: 'continue' });
    assert.deepEqual([s.reason, s.pid, s.breakpointIds], ['data breakpoint', 3, [w.id]]);
    assert.equal(kernelTask(m, 3)?.__state, C.TASK_INTERRUPTIBLE);
    assert.match(s.message ?? '', /__state changed from 0 to 1/);
  });
});

describe('machine: stepping', () => {
  it('steps into fork() and lands in the syscall entry (kernel granularity)', () => {
    const m = bootSource();
    m.setLineBreakpoints(FILE, [{ line: 13 }]);
    assert.equal(runUntil(m, { kind: 'continue' }).pid, 3);
    const s = runUntil(m, { kind: 'step', pid: 3, action: 'in', granularity: 'kernel' });
    assert.deepEqual([s.reason, s.pid], ['step', 3]);
    assert.deepEqual(m.stack(3).map((f) => f.name), ['__x64_sys_fork', 'main']);
    const s2 = runUntil(m, { kind: 'step', pid: 3, action: 'in', granularity: 'kernel' });
    assert.equal(s2.reason, 'step');
    assert.equal(m.stack(3)[0].name, 'kernel_clone');
  });

  it('steps out of copy_process back to kernel_clone', () => {
    const m = bootSource();
    m.setFunctionBreakpoints([{ name: 'copy_process' }]);
    runUntil(m, { kind: 'continue' });
    m.setFunctionBreakpoints([]);
    const s = runUntil(m, { kind: 'step', pid: 3, action: 'out', granularity: 'kernel' });
    assert.equal(s.reason, 'step');
    assert.deepEqual(m.stack(3).map((f) => f.name), ['kernel_clone', '__x64_sys_fork', 'main']);
    assert.ok(kernelTask(m, 4), 'the child exists once copy_process has returned');
  });

  it('steps over a statement, and over a blocking waitpid while the child runs', () => {
    const m = bootSource();
    m.setLineBreakpoints(FILE, [{ line: 19 }]);
    assert.equal(runUntil(m, { kind: 'continue' }).pid, 3);
    m.setLineBreakpoints(FILE, []);
    const events: KEvent[] = [];
    const s = runUntil(m, { kind: 'step', pid: 3, action: 'over', granularity: 'statement' }, events);
    assert.deepEqual([s.reason, s.pid], ['step', 3]);
    assert.equal(m.stack(3)[0].line, 20);
    assert.ok(events.some((e) => e.kind === 'reap' && e.pid === 4), 'the child exited and was reaped meanwhile');
  });

  it('steps in to a scenario function at statement granularity and out again', () => {
    const m = bootSource();
    m.setLineBreakpoints(FILE, [{ line: 17 }]);
    assert.equal(runUntil(m, { kind: 'continue' }).pid, 4);
    m.setLineBreakpoints(FILE, []);
    runUntil(m, { kind: 'step', pid: 4, action: 'in', granularity: 'statement' });
    assert.deepEqual(m.stack(4).slice(0, 2).map((f) => [f.name, f.line]), [['helper', 7], ['main', 17]]);
  });
});

describe('machine: determinism', () => {
  const log = (events: KEvent[]): string => events.map((e) => JSON.stringify(e)).join('\n');

  it('gives the same event log byte for byte, whatever the slices and breakpoints', () => {
    const a = runToEnd(bootSource(), 1_000_000).events;
    const b = runToEnd(bootSource(), 7).events;
    const mc = bootSource();
    mc.setLineBreakpoints(FILE, [{ line: 15 }, { line: 20 }]);
    mc.setFunctionBreakpoints([{ name: 'do_exit' }, { name: 'helper' }]);
    const c = runToEnd(mc);
    assert.ok(c.stops.length > 4);
    assert.equal(log(b), log(a));
    assert.equal(log(c.events), log(a));
  });

  it('depends on the seed only where the kernel leaves a choice', () => {
    const one = boot({ file: FILE, source: FORK_WAIT, settings: { seed: 5 } }).machine;
    assert.ok(one);
    assert.equal(log(runToEnd(one).events), log(runToEnd(bootSource()).events));
  });
});
