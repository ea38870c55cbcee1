// Going back shows the past exactly: random scenarios run forward while what the inspection
// contract returns is recorded at random moments; then goto, reverseContinue and stepBack return
// to those moments and must show the same tasks, frames, variables, globals, output and dmesg,
// field for field. The events handed out over all of it are the straight run's, each once.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { boot } from '../../sim-core/machine';
import type { KEvent, Machine } from '../../sim-core/machine-types';
import { captureMoment, drive } from '../machine/time-goto-helpers';
import { render, scenarioArb } from './gen';

const RUNS = Number(process.env.KPROC_TT_RUNS ?? 100);
const MAX_STEPS = 20000;

function bootIt(source: string): Machine {
  const { machine, diagnostics } = boot({ file: 'random.kproc', source, maxSteps: MAX_STEPS });
  if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return machine;
}

/** Everything the debugger can see at a moment, as plain data (a replay keeps its kernel addresses). */
const capture = (m: Machine): string => captureMoment(m, { kids: true });

const FINAL = new Set(['exited', 'deadlock', 'budget', 'panic', 'output']);

function straightLog(source: string): string[] {
  const m = bootIt(source);
  const log: KEvent[] = [];
  drive(m, log);
  return log.map((e) => JSON.stringify(e));
}

/** The 0-based lines of the statements that make kernel calls, where breakpoints are set. */
function callLines(source: string): number[] {
  return source.split('\n').flatMap((l, i) => (/\b(fork|waitpid|wait|kill|pthread_create)\s*\(/.test(l) && !/^\s*(#|\/\/|static|void|int)/.test(l) ? [i] : []));
}

describe('time travel over random scenarios', function () {
  this.timeout(900000);

  it(`goto, reverseContinue and stepBack show each recorded moment exactly (${RUNS} scenarios)`, () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 2, maxLength: 6 }), fc.integer({ min: 0, max: 7 }), (scenario, slices, pick) => {
        const source = render(scenario);
        const want = straightLog(source);
        const m = bootIt(source);
        const log: KEvent[] = [];
        // Forward in slices of random sizes, recording what shows at each slice's end.
        const seen: Array<{ step: number; view: string }> = [];
        for (const n of slices) {
          const s = drive(m, log, n);
          if (FINAL.has(s.reason)) break;
          seen.push({ step: m.moment().step, view: capture(m) });
        }
        drive(m, log);
        // goto each recorded step, newest first and then oldest first (back and forward).
        for (const r of [...seen].reverse().concat(seen)) {
          m.goto({ kind: 'step', step: r.step });
          const s = drive(m, log);
          assert.equal(s.reason, 'goto', source);
          assert.equal(capture(m), r.view, `goto step ${r.step}\n${source}`);
        }
        // Breakpoints on calls: the stops of a forward run from the start, then reverseContinue
        // from the end visits them newest first.
        const lines = callLines(source);
        if (lines.length > 0) {
          m.setLineBreakpoints('random.kproc', [{ line: lines[pick % lines.length] }]);
          m.goto({ kind: 'start' });
          drive(m, log);
          const stops: string[] = [];
          for (let s = (m.continue(), drive(m, log)); s.reason === 'breakpoint' && stops.length < 12; m.continue(), s = drive(m, log)) stops.push(capture(m));
          if (stops.length < 12) {
            for (let i = stops.length - 1; i >= 0; i--) {
              m.reverseContinue();
              const s = drive(m, log);
              assert.equal(s.reason, 'breakpoint', `reverseContinue ${i}\n${source}`);
              assert.equal(capture(m), stops[i], `reverseContinue to stop ${i}\n${source}`);
            }
            m.reverseContinue();
            assert.equal(drive(m, log).reason, 'entry', source);
          }
          m.setLineBreakpoints('random.kproc', []);
        }
        // stepBack undoes a step of main (one that did not return from a function).
        m.goto({ kind: 'start' });
        drive(m, log);
        const main = m.tasks().find((t) => t.pid > 2 && !t.kthread);
        if (main !== undefined) {
          m.step(main.pid, 'in');
          const s1 = drive(m, log);
          const before = capture(m);
          const depth = s1.reason === 'step' ? m.stack(main.pid).length : -1;
          m.step(main.pid, 'in');
          const s2 = drive(m, log);
          if (depth >= 0 && s2.reason === 'step' && s2.pid === main.pid && m.stack(main.pid).length >= depth) {
            m.stepBack(main.pid);
            assert.equal(drive(m, log).reason, 'step', source);
            assert.equal(capture(m), before, `stepBack\n${source}`);
          }
        }
        // Run to the end again: the events handed out over everything are the straight run's.
        m.continue();
        drive(m, log);
        assert.deepEqual(log.map((e) => JSON.stringify(e)), want, `event log\n${source}`);
      }),
      { numRuns: RUNS, seed: Number(process.env.KPROC_TT_SEED ?? 20261205) },
    );
  });
});
