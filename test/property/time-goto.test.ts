// A goto to a virtual time over random scenarios: run forward in random slices to the end, then
// go to random times in random order (back, forward behind the frontier, past the end); each
// lands at the first tick boundary whose clock is at or past the time and shows what a straight
// run from the boot to that tick shows. The events handed out over all of it are the straight
// run's, each once.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { boot } from '../../sim-core/machine';
import type { BootOptions, KEvent, Machine } from '../../sim-core/machine-types';
import { captureMoment, drive, straightToTime, tickClocks } from '../machine/time-goto-helpers';
import { render, scenarioArb } from './gen';

const RUNS = Number(process.env.KPROC_TIME_RUNS ?? 30);
const MAX_STEPS = 20000;
const FINAL = new Set(['exited', 'deadlock', 'budget', 'panic', 'output']);

describe('goto a virtual time over random scenarios', function () {
  this.timeout(900000);

  it(`lands where a straight run to the first tick at or past the time lands (${RUNS} scenarios)`, () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 4 }),
        // A time: a tick boundary's own clock (exact), or a fraction of the run's span (anywhere, past the end too).
        fc.array(fc.oneof(fc.record({ tick: fc.double({ min: 0, max: 1, noNaN: true }) }), fc.record({ span: fc.double({ min: -0.05, max: 1.2, noNaN: true }) })), { minLength: 2, maxLength: 6 }),
        (scenario, slices, picks) => {
          const source = render(scenario);
          const opts: BootOptions = { file: 'random.kproc', source, maxSteps: MAX_STEPS };
          const want: KEvent[] = [];
          drive(bootIt(opts), want);
          const m = bootIt(opts);
          const log: KEvent[] = [];
          for (const n of slices) if (FINAL.has(drive(m, log, n).reason)) break;
          const last = drive(m, log);
          const end = m.moment();
          const clocks = tickClocks(opts, end.step + 1).filter((c) => c <= end.time);
          for (const p of picks) {
            const time = 'tick' in p ? clocks[Math.floor(p.tick * (clocks.length - 1))] : Math.floor(p.span * end.time);
            m.goto({ kind: 'time', time });
            const s = drive(m, log);
            const what = `goto time ${time} (the run ends at ${end.time})\n${source}`;
            if (time > end.time || s.reason !== 'goto') {
              // Past the end, or at the very tick the run ends: the end is the stop.
              assert.equal(s.reason, last.reason, what);
              assert.deepEqual(m.moment(), end, what);
              if (time > end.time) continue;
            }
            const ref = straightToTime(opts, time, end.step + 1);
            assert.ok(ref.before < time && time <= m.moment().time, `${what}: before ${ref.before}, landed ${m.moment().time}`);
            assert.equal(captureMoment(m), captureMoment(ref.machine), what);
          }
          // Back to the end: every event handed out once, as the straight run handed them out.
          m.goto({ kind: 'time', time: end.time + 1 });
          drive(m, log);
          assert.deepEqual(log.map((e) => JSON.stringify(e)), want.map((e) => JSON.stringify(e)), `event log\n${source}`);
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.KPROC_TIME_SEED ?? 20261205) },
    );
  });
});

function bootIt(opts: BootOptions): Machine {
  const { machine, diagnostics } = boot(opts);
  if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return machine;
}
