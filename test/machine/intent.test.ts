// The run protocol by intent, state in and stop out: step(), continue() and pause() say what to
// do, run(budget) does it in slices ('yield' while the intent is pending) and returns the stop.
import assert from 'node:assert/strict';
import type { KEvent, Machine, Stop } from '../../sim-core/machine-types';
import { bootSource, FILE } from './helpers';

/** run(budget) again and again while the intent is pending; counts the slices. */
function drive(m: Machine, budget = 5000, events: KEvent[] = []): Stop & { slices: number } {
  for (let slices = 1; ; slices++) {
    const s = m.run(budget);
    events.push(...s.events);
    if (s.reason !== 'yield') return { ...s, slices };
  }
}

/** Boots fork-wait and runs to the breakpoint on `line` (0-based), then clears it. */
function stopAt(line: number, opts: Parameters<typeof bootSource>[2] = {}): Machine {
  const m = bootSource(undefined, undefined, opts);
  m.setLineBreakpoints(FILE, [{ line }]);
  const s = drive(m);
  assert.deepEqual([s.reason, s.pid, m.stack(3)[0].line], ['breakpoint', 3, line]);
  m.setLineBreakpoints(FILE, []);
  return m;
}

const LOOP = 'int main(void)\n{\n    int n = 0;\n    for (;;) {\n        n = n + 1;\n    }\n    return 0;\n}\n';

describe('machine: intents', () => {
  it('step over a fork in the parent stops at the next statement of the parent', () => {
    const m = stopAt(13);
    m.step(3, 'over');
    const s = drive(m);
    assert.deepEqual([s.reason, s.pid], ['step', 3]);
    assert.deepEqual([m.stack(3)[0].name, m.stack(3)[0].line], ['main', 15]);
    assert.ok(m.tasks().some((t) => t.pid === 4), 'the child was created by the fork stepped over');
  });

  it('step into at kernel granularity (the boot option) enters __x64_sys_fork', () => {
    const m = stopAt(13, { granularity: 'kernel' });
    m.step(3, 'in');
    const s = drive(m);
    assert.deepEqual([s.reason, s.pid], ['step', 3]);
    assert.deepEqual(m.stack(3).map((f) => f.name), ['__x64_sys_fork', 'main']);
  });

  it('step into at statement granularity runs fork as one step', () => {
    const m = stopAt(13);
    m.step(3, 'in');
    assert.equal(drive(m).reason, 'step');
    assert.deepEqual([m.stack(3)[0].kind, m.stack(3)[0].line], ['user', 15]);
  });

  it('step out from copy_process lands in kernel_clone (a kernel frame steps at kernel granularity)', () => {
    const m = bootSource();
    m.setFunctionBreakpoints([{ name: 'copy_process' }]);
    assert.equal(drive(m).reason, 'function breakpoint');
    m.setFunctionBreakpoints([]);
    m.step(3, 'out');
    const s = drive(m);
    assert.deepEqual([s.reason, s.pid], ['step', 3]);
    assert.deepEqual(m.stack(3).map((f) => f.name), ['kernel_clone', '__x64_sys_fork', 'main']);
  });

  it('continue runs to a breakpoint, past the fork and the child', () => {
    const m = bootSource();
    const [bp] = m.setLineBreakpoints(FILE, [{ line: 20 }]);
    const events: KEvent[] = [];
    m.continue();
    const s = drive(m, 5000, events);
    assert.deepEqual([s.reason, s.pid, s.breakpointIds], ['breakpoint', 3, [bp.id]]);
    assert.ok(events.some((e) => e.kind === 'reap' && e.pid === 4), 'the child ran, exited and was reaped on the way');
  });

  it('keeps a step pending across slices, and a stop ends it', () => {
    const m = stopAt(19);
    m.step(3, 'over');
    const s = drive(m, 3);
    assert.deepEqual([s.reason, s.pid, m.stack(3)[0].line], ['step', 3, 20]);
    assert.ok(s.slices > 10, `waitpid took ${s.slices} slices of 3 steps`);
    // No intent after the stop: the next run continues to the end, it does not step again.
    assert.equal(drive(m).reason, 'exited');
  });

  it('a step over exit() has nothing left to stop at: the run goes on to the end', () => {
    const m = bootSource();
    m.setLineBreakpoints(FILE, [{ line: 17 }]);
    assert.deepEqual([drive(m).pid, m.stack(4)[0].line], [4, 17]);
    m.setLineBreakpoints(FILE, []);
    m.step(4, 'over');
    assert.equal(drive(m, 7).reason, 'exited');
    assert.equal(m.output(), 'status 7\n');
  });

  it('continue() replaces a pending step', () => {
    const m = stopAt(13);
    m.step(3, 'over');
    assert.equal(m.run(2).reason, 'yield');
    m.continue();
    assert.equal(drive(m).reason, 'exited');
  });

  it('pause during a long loop stops before the next step, at a statement of the loop', () => {
    const m = bootSource(LOOP);
    m.continue();
    for (let i = 0; i < 5; i++) assert.equal(m.run(1000).reason, 'yield');
    const steps = m.globals().steps;
    m.pause();
    const s = m.run(1000);
    assert.deepEqual([s.reason, s.pid], ['pause', 3]);
    assert.equal(m.globals().steps, steps, 'nothing ran after the pause');
    assert.equal(m.stack(3)[0].name, 'main');
    assert.equal(m.evaluate('n').error, undefined);
    // The paused machine runs on when asked.
    m.continue();
    assert.equal(m.run(1000).reason, 'yield');
    assert.ok(m.globals().steps > steps);
  });

  it('a logpoint produces a log event with its values and no stop', () => {
    const m = bootSource();
    const [lp] = m.setLineBreakpoints(FILE, [{ line: 20, logMessage: 'status is {status}, {{braces}}' }]);
    const events: KEvent[] = [];
    const s = drive(m, 5000, events);
    assert.equal(s.reason, 'exited');
    const logs = events.filter((e) => e.kind === 'log');
    assert.deepEqual(logs.map((e) => e.kind === 'log' && [e.pid, e.id, e.text]), [[3, lp.id, 'status is 1792, {braces}\n']]);
    assert.equal(m.output(), 'status 7\n', 'a logpoint is not program output');
  });

  it('a logpoint beside a breakpoint on the same line prints and the breakpoint stops', () => {
    const m = bootSource();
    const [lp, bp] = m.setLineBreakpoints(FILE, [{ line: 20, logMessage: 'here' }, { line: 20 }]);
    const events: KEvent[] = [];
    const s = drive(m, 5000, events);
    assert.deepEqual([s.reason, s.breakpointIds], ['breakpoint', [bp.id]]);
    assert.ok(events.some((e) => e.kind === 'log' && e.id === lp.id));
  });

  it('reports the entry stop once, before anything runs', () => {
    const m = bootSource(undefined, undefined, { stopOnEntry: true });
    const s = m.run(5000);
    assert.deepEqual([s.reason, s.pid, m.globals().steps], ['entry', 3, 0]);
    // The frame shows main's first statement, the line that runs next, not main's definition.
    assert.deepEqual([m.stack(3)[0].name, m.stack(3)[0].line], ['main', 12]);
    assert.equal(drive(m).reason, 'exited');
  });

  it('a step over from the entry stop runs the first statement and stops at the second', () => {
    const m = bootSource(undefined, undefined, { stopOnEntry: true });
    assert.equal(m.run(5000).reason, 'entry');
    m.step(3, 'over');
    const s = drive(m);
    assert.deepEqual([s.reason, s.pid, m.stack(3)[0].line], ['step', 3, 13]);
  });

  it('an intent stated before the first run replaces the entry stop', () => {
    const m = bootSource(undefined, undefined, { stopOnEntry: true });
    m.step(3, 'over');
    const s = drive(m);
    assert.deepEqual([s.reason, s.pid, m.stack(3)[0].line], ['step', 3, 12]);
    assert.ok(m.globals().steps > 0);
  });

  it('refuses to step a task that does not exist', () => {
    const m = bootSource();
    assert.throws(() => m.step(99, 'in'), /no task has pid 99/);
  });
});
