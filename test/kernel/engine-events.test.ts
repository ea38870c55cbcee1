// The engine's run loop and the event log: drained after each one-step slice, the log is handed
// out tick by tick and never grows, yet the drained sequence is what an undrained run leaves.
import assert from 'node:assert/strict';
import type { KEvent } from '../../sim-core/machine-types';
import { runScript, type Insn } from './script-port';
import { runEngine } from './run-engine';

/** A parent forking and reaping children in a loop: many events over a long run. */
function forker(rounds: number): Insn[] {
  const prog: Insn[] = [];
  prog[0] = (r) => { r.v.n = (Number(r.v.n) || 0) + 1; return ['fork']; };
  prog[1] = (r) => { if (r.ret === 0) r.pc = 10; return ['getpid']; };
  prog[2] = () => ['wait4', -1, 0, 0];
  prog[3] = (r) => { r.pc = Number(r.v.n) < rounds ? 0 : 99; return ['getpid']; };
  prog[10] = () => ['exit_group', 0];
  prog[99] = () => ['exit_group', 0];
  return prog;
}

describe('engine: event log of the run loop', () => {
  it('without a drain, k.events keeps the whole run for the caller', () => {
    const e = runScript(forker(3));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(e.k.events.filter((ev) => ev.kind === 'fork').length, 3);
  });

  it('with a drain, k.events stays small and the drained events equal the undrained log', () => {
    const whole = runScript(forker(40));
    assert.equal(runEngine(whole, 200000).reason, 'exited');
    const drained: KEvent[] = [];
    const e = runScript(forker(40));
    let most = 0;
    const r = runEngine(e, 200000, { slice: 1, drain: (evs) => { drained.push(...evs); most = Math.max(most, evs.length); } });
    assert.equal(r.reason, 'exited');
    assert.equal(e.k.events.length, 0);
    assert.ok(most < 10, `one tick handed out ${most} events`);
    assert.ok(whole.k.events.length > 100);
    assert.equal(JSON.stringify(drained), JSON.stringify(whole.k.events));
  });
});
