// Property tests: random scenarios run one machine step at a time, and the kernel's invariants
// (task list, pid hash, parent/children links, zombies, reference counts) hold after every step.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { boot, checkInvariants } from '../../sim-core/machine';
import type { KEvent, Machine, StopReason } from '../../sim-core/machine-types';
import { render, scenarioArb } from './gen';

/** KPROC_PROP_RUNS overrides the number of scenarios (CI runs the default). */
const RUNS = Number(process.env.KPROC_PROP_RUNS ?? 2000);
/** A random scenario rarely needs more; one that does (a wait that never ends) stops at the budget. */
const MAX_STEPS = 20000;
/** Steps one fork-and-reap round of the pid churn takes, with room to spare. */
const STEPS_PER_CHURN = 200;
/** Reasons a random scenario may end with; 'panic' would mean init was killed, which it cannot be. */
const ENDINGS: readonly StopReason[] = ['exited', 'deadlock', 'budget'];

function bootOrThrow(source: string, maxSteps = MAX_STEPS): Machine {
  const { machine, diagnostics } = boot({ file: 'random.kproc', source, maxSteps });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!machine || errors.length > 0) throw new Error(`scenario rejected: ${errors.map((d) => d.message).join('; ')}\n${source}`);
  return machine;
}

/** Runs to the end one step at a time, checking the invariants after each; returns the events. */
function runChecked(source: string, maxSteps = MAX_STEPS): { reason: StopReason; events: KEvent[]; machine: Machine } {
  const machine = bootOrThrow(source, maxSteps);
  const events: KEvent[] = [];
  for (;;) {
    const stop = machine.run({ kind: 'continue' }, 1);
    for (const e of stop.events) events.push(e);
    const broken = checkInvariants(machine);
    if (broken.length > 0) {
      throw new Error(`invariants broken after step ${machine.globals().steps} (${stop.reason}):\n  ${broken.join('\n  ')}\n${source}`);
    }
    if (stop.reason !== 'yield' && stop.reason !== 'entry') return { reason: stop.reason, events, machine };
  }
}

describe('kernel invariants over random scenarios', function () {
  this.timeout(600000);

  it(`hold after every step of ${RUNS} random scenarios`, () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const source = render(scenario);
        const { reason, machine } = runChecked(source, MAX_STEPS + (scenario.churn ?? 0) * STEPS_PER_CHURN);
        assert.ok(ENDINGS.includes(reason), `unexpected end '${reason}'\n${source}`);
        if (reason === 'budget') {
          // The budget counts work done; when every task sleeps or is stopped, the end is a deadlock.
          const states = machine.tasks().map((t) => `${t.pid}:${t.state}`);
          assert.ok(machine.tasks().some((t) => t.state === 'R'), `budget stop with nothing runnable (${states.join(' ')})\n${source}`);
        }
        if (reason === 'exited') {
          const left = machine.tasks().filter((t) => !t.kthread && t.pid > 2);
          assert.deepEqual(left.map((t) => `${t.pid} ${t.stateName}`), [], 'the run ended with user tasks left');
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.KPROC_PROP_SEED ?? 20240601) },
    );
  });

  it('give the same events for the same scenario (100 scenarios, run twice)', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const source = render(scenario);
        const budget = MAX_STEPS + (scenario.churn ?? 0) * STEPS_PER_CHURN;
        const a = runChecked(source, budget);
        const b = runChecked(source, budget);
        assert.equal(a.reason, b.reason);
        assert.equal(JSON.stringify(a.events), JSON.stringify(b.events));
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
