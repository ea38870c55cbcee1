// Property tests: random scenarios run one machine step at a time, and the kernel's invariants
// (task list, pid hash, parent/children links, zombies, reference counts) hold after every step.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { render, scenarioArb, type Scenario } from './gen';
import { endingProblem, runChecked } from './stepper';

/** KPROC_PROP_RUNS overrides the number of scenarios (CI runs the default). */
const RUNS = Number(process.env.KPROC_PROP_RUNS ?? 2000);
/** A random scenario rarely needs more; one that does (a wait that never ends) stops at the budget. */
const MAX_STEPS = 20000;
/** Steps one fork-and-reap round of the pid churn takes, with room to spare. */
const STEPS_PER_CHURN = 200;

const budget = (s: Scenario): number => MAX_STEPS + (s.churn ?? 0) * STEPS_PER_CHURN;

describe('kernel invariants over random scenarios', function () {
  this.timeout(600000);

  it(`hold after every step of ${RUNS} random scenarios`, () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const source = render(scenario);
        const problem = endingProblem(runChecked(source, budget(scenario)));
        assert.equal(problem, undefined, `${problem}\n${source}`);
      }),
      { numRuns: RUNS, seed: Number(process.env.KPROC_PROP_SEED ?? 20240601) },
    );
  });

  it('give the same events for the same scenario (100 scenarios, run twice)', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const source = render(scenario);
        const a = runChecked(source, budget(scenario));
        const b = runChecked(source, budget(scenario));
        assert.equal(a.reason, b.reason);
        assert.equal(JSON.stringify(a.events), JSON.stringify(b.events));
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
