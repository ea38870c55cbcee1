// Time travel in the machine, state in and stop out: stepBack over a fork lands in the parent
// before the child existed, reverseContinue finds the previous breakpoint and then the start,
// goto finds kernel events both ways, a signal sent from outside is taken again when the run
// goes forward over it, and the history can be turned off.
import assert from 'node:assert/strict';
import type { KEvent, Machine, Stop } from '../../sim-core/machine-types';
import { bootSource, FILE } from './helpers';

function drive(m: Machine, events: KEvent[] = []): Stop {
  for (;;) {
    const s = m.run(5000);
    events.push(...s.events);
    if (s.reason !== 'yield') return s;
  }
}

/** fork-wait stopped at the breakpoint on `line` (0-based), the breakpoint then cleared. */
function at(line: number): Machine {
  const m = bootSource(undefined, undefined, { stopOnEntry: true });
  drive(m);
  m.setLineBreakpoints(FILE, [{ line }]);
  m.continue();
  const s = drive(m);
  assert.equal(s.reason, 'breakpoint');
  m.setLineBreakpoints(FILE, []);
  return m;
}

describe('machine: time travel', () => {
  it('stepBack in the child right after fork lands on the parent\'s fork line, before the child existed', () => {
    const m = at(15);
    m.step(3, 'in');
    drive(m);
    assert.ok(m.tasks().some((t) => t.pid === 4));
    // The child's first statement after fork.
    m.step(4, 'in');
    let s = drive(m);
    assert.deepEqual([s.reason, s.pid], ['step', 4]);
    m.stepBack(4);
    s = drive(m);
    assert.equal(s.travelled, 'back');
    assert.equal(s.reason, 'step');
    assert.equal(s.pid, 3);
    assert.equal(m.stack(3)[0].line, 13, 'the parent at pid_t child = fork();');
    assert.ok(!m.tasks().some((t) => t.pid === 4), 'the child does not exist yet');
    assert.ok(s.frontier !== undefined && s.frontier.step > (s.moment?.step ?? 0));
  });

  it('stepBack out of a kernel call lands on the user line that made it', () => {
    const m = at(13);
    m.step(3, 'in', 'kernel');
    const s1 = drive(m);
    assert.equal(m.stack(3)[0].kind, 'kernel');
    m.stepBack(3);
    const s = drive(m);
    assert.equal(s.reason, 'step');
    assert.deepEqual([m.stack(3)[0].kind, m.stack(3)[0].line], ['user', 13]);
    assert.ok((s.moment?.step ?? 0) <= (s1.moment?.step ?? 0));
  });

  it('reverseContinue stops at the previous hit of a function breakpoint, then at the start', () => {
    const m = bootSource(undefined, undefined, { stopOnEntry: true });
    drive(m);
    m.setFunctionBreakpoints([{ name: 'do_exit' }]);
    const hits: number[] = [];
    for (let s = (m.continue(), drive(m)); s.reason === 'function breakpoint'; m.continue(), s = drive(m)) hits.push(s.moment?.step ?? -1);
    assert.ok(hits.length >= 2, `do_exit hits: ${hits.join(', ')}`);
    for (let i = hits.length - 1; i >= 0; i--) {
      m.reverseContinue();
      const s = drive(m);
      assert.equal(s.reason, 'function breakpoint');
      assert.equal(s.moment?.step, hits[i]);
      assert.equal(m.stack(s.pid as number)[0].name, 'do_exit');
    }
    m.reverseContinue();
    assert.equal(drive(m).reason, 'entry');
  });

  it('goto a zombie moment back and forward, and a step number', () => {
    const m = bootSource(undefined, undefined, { stopOnEntry: true });
    drive(m);
    m.goto({ kind: 'event', event: 'zombie', pid: 4, direction: 'forward' });
    let s = drive(m);
    assert.equal(s.reason, 'goto');
    assert.equal(m.tasks().find((t) => t.pid === 4)?.stateName, 'EXIT_ZOMBIE');
    const zombieStep = s.moment?.step;
    m.continue();
    drive(m);
    m.goto({ kind: 'event', event: 'zombie', pid: 4, direction: 'back' });
    s = drive(m);
    assert.deepEqual([s.reason, s.travelled, s.moment?.step], ['goto', 'back', zombieStep]);
    m.goto({ kind: 'step', step: 40 });
    s = drive(m);
    assert.deepEqual([s.reason, s.moment?.step], ['goto', 40]);
    m.goto({ kind: 'event', event: 'zombie', pid: 99, direction: 'back' });
    s = drive(m);
    assert.equal(s.reason, 'goto');
    assert.match(s.message ?? '', /no moment before step 40 when pid 99 became a zombie/);
    assert.equal(s.moment?.step, 40, 'nothing moved');
  });

  it('a signal sent from outside is taken again when the run goes forward over it', () => {
    const m = at(16);
    m.sendSignal(4, 9);
    m.continue();
    const first: KEvent[] = [];
    drive(m, first);
    const out = m.output();
    assert.ok(first.some((e) => e.kind === 'signal' && e.to === 4 && e.sig === 9));
    m.goto({ kind: 'start' });
    drive(m);
    m.continue();
    const again: KEvent[] = [];
    const s = drive(m, again);
    assert.equal(s.reason, 'exited');
    assert.equal(m.output(), out, 'the same output: the child died of the signal again');
    assert.deepEqual(again, [], 'nothing handed out twice');
  });

  it('with the history off, going back is refused and forward goto still works', () => {
    const m = bootSource(undefined, undefined, { stopOnEntry: true, historyBytes: 0 });
    drive(m);
    assert.throws(() => m.stepBack(3), /history/);
    assert.throws(() => m.reverseContinue(), /history/);
    m.goto({ kind: 'step', step: 100 });
    assert.deepEqual([drive(m).reason, m.moment().step], ['goto', 100]);
    assert.equal(m.history().enabled, false);
  });
});
