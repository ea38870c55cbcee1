// The engine's run loop and the event log: drained after each one-step slice, the log is handed
// out tick by tick and never grows, yet the drained sequence is what an undrained run leaves.
import assert from 'node:assert/strict';
import type { KEvent } from '../../sim-core/machine-types';
import { bootSource, HEADERS } from './vm-run';
import { runEngine } from './run-engine';

/** A parent forking and reaping children in a loop: many events over a long run. */
function forker(rounds: number): string {
  return `${HEADERS}\nint main(void)\n{\n    for (int n = 0; n < ${rounds}; n++) {\n        if (fork() == 0)\n            _exit(0);\n        wait(NULL);\n    }\n    return 0;\n}\n`;
}

describe('engine: event log of the run loop', () => {
  it('without a drain, k.events keeps the whole run for the caller', () => {
    const e = bootSource(forker(3));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(e.k.events.filter((ev) => ev.kind === 'fork').length, 3);
  });

  it('with a drain, k.events stays small and the drained events equal the undrained log', () => {
    const whole = bootSource(forker(40));
    assert.equal(runEngine(whole, 200000).reason, 'exited');
    const drained: KEvent[] = [];
    const e = bootSource(forker(40));
    let most = 0;
    const r = runEngine(e, 200000, { slice: 1, drain: (evs) => { drained.push(...evs); most = Math.max(most, evs.length); } });
    assert.equal(r.reason, 'exited');
    assert.equal(e.k.events.length, 0);
    assert.ok(most < 10, `one tick handed out ${most} events`);
    assert.ok(whole.k.events.length > 100);
    assert.equal(JSON.stringify(drained), JSON.stringify(whole.k.events));
  });
});
