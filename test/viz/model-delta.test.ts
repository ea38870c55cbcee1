// The timeline's sender: what it hands out at each stop, decided where the model is built. The
// builder counts what its model holds without making it (the one weight the sender uses is the
// model's own), the sender answers a delta only to a client holding its last answer and only when
// the delta weighs less than half the whole model, and every answer, applied to the client's copy,
// gives the builder's model.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { KEvent } from '../../sim-core/machine-types';
import {
  deltaWeight, modelSizes, modelWeight, seriesWeight, TimelineBuilder, TimelineSender,
  type TimelineAnswer, type TimelineModel,
} from '../../sim-core/viz/model';
import { applyTimelineDelta } from '../../extension/client/timelineDelta';
import { runMachine, type MachineRun } from './run-machine';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.kproc')).sort();

const runs = new Map<string, { run: MachineRun; kept: KEvent[] }>();
/** An example's whole run with the scheduler traced, and the events the timeline keeps. */
function example(name: string): { run: MachineRun; kept: KEvent[] } {
  let r = runs.get(name);
  if (!r) {
    const run = runMachine(path.join(ROOT, 'examples', name), true);
    r = { run, kept: run.events.filter((e) => e.kind !== 'output' && e.kind !== 'printk' && e.kind !== 'log') };
    runs.set(name, r);
  }
  return r;
}

/** `now` at the last event folded, or `wait` µs later. */
function momentAt(kept: readonly KEvent[], n: number, wait: number): { now: number; step: number } {
  const last = kept[n - 1];
  return last ? { now: last.time + wait * 1000, step: last.step } : { now: wait * 1000, step: 0 };
}

/** The client's copy: the answer's model, or its delta applied to the copy (JSON both ways, as over DAP). */
function take(held: { version: number; model: TimelineModel } | undefined, answer: TimelineAnswer): { version: number; model: TimelineModel } {
  const a = JSON.parse(JSON.stringify(answer)) as TimelineAnswer;
  if ('model' in a) return { version: a.version, model: a.model };
  assert.ok(held && held.version === a.base, `a delta from version ${a.base}, the client holds ${held?.version}`);
  applyTimelineDelta(held.model, a.delta);
  return { version: a.version, model: held.model };
}

const same = (a: TimelineModel, b: TimelineModel): void => assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

describe('timeline sender', () => {
  it('the builder counts what its model holds without making it, at any cut of every example and any now', () => {
    for (const name of EXAMPLES) {
      const { run, kept } = example(name);
      fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: kept.length }), { maxLength: 12 }), fc.integer({ min: 0, max: 3 }), (cuts, wait) => {
        const b = new TimelineBuilder(0, true, run.tasks);
        let from = 0;
        for (const cut of [...cuts.sort((x, y) => x - y), kept.length]) {
          b.add(kept, from, cut);
          from = cut;
          const { now, step } = momentAt(kept, cut, wait);
          const m = b.model(now, step);
          assert.deepEqual(b.sizes(b.axisEnd(now)), modelSizes(m), `${name} cut at ${cut}`);
          assert.equal(seriesWeight(b.sizes(b.axisEnd(now))), modelWeight(m));
        }
      }), { numRuns: 4, seed: 18 });
    }
  });

  it('answers a delta only to the holder of its last answer, and only when it weighs less than half the model', () => {
    let deltas = 0, tooBig = 0, unknown = 0;
    for (const name of EXAMPLES) {
      const { run, kept } = example(name);
      fc.assert(fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: kept.length }), { maxLength: 16 }),
        fc.array(fc.constantFrom('held', 'held', 'held', 'none', 'older', 'unseen'), { minLength: 17, maxLength: 17 }),
        fc.integer({ min: 0, max: 3 }),
        (cuts, asks, wait) => {
          // A twin builder fed alike, whose sender makes the delta the sender weighed.
          const b = new TimelineBuilder(0, true, run.tasks), twinB = new TimelineBuilder(0, true, run.tasks);
          const sender = new TimelineSender(b), twin = new TimelineSender(twinB);
          let held: { version: number; model: TimelineModel } | undefined;
          let older: number | undefined;
          let from = 0;
          [...cuts.sort((x, y) => x - y), kept.length].forEach((cut, i) => {
            b.add(kept, from, cut);
            twinB.add(kept, from, cut);
            from = cut;
            const { now, step } = momentAt(kept, cut, wait);
            const expected = b.model(now, step);
            const ask = asks[i];
            const since = ask === 'held' ? held?.version : ask === 'older' ? older : ask === 'unseen' ? (held?.version ?? 0) + 1_000_000 : undefined;
            const answer = sender.answer(now, step, since, {});
            assert.ok(held === undefined || answer.version > held.version, 'a new version');
            if (ask === 'held' && held) {
              const d = twin.delta(now, step);
              const small = deltaWeight(d) * 2 < modelWeight(expected);
              if ('delta' in answer) {
                assert.ok(small, `a delta of ${deltaWeight(d)} for a model of ${modelWeight(expected)}`);
                assert.deepEqual(answer.delta, d);
                deltas++;
              } else {
                assert.ok(!small, `the whole model of ${modelWeight(expected)} for a delta of ${deltaWeight(d)}`);
                twin.whole(now, step, {});
                tooBig++;
              }
            } else {
              assert.ok('model' in answer, `the whole model for since ${since} (${ask}), the last answer being ${held?.version}`);
              twin.whole(now, step, {});
              if (held) unknown++;
            }
            older = held?.version;
            held = take(held, answer);
            same(held.model, expected);
          });
        }), { numRuns: 4, seed: 18 });
    }
    assert.ok(deltas > 0 && tooBig > 0 && unknown > 0, `deltas ${deltas}, too big ${tooBig}, since unknown ${unknown}`);
  });

  it('a stop late in a run is a delta; the same stop after an early hand-out is the whole model', () => {
    const { run, kept } = example('fork-wait.kproc');
    const late = Math.floor(kept.length * 0.9), early = Math.floor(kept.length * 0.05);
    for (const [first, small] of [[late, true], [early, false]] as const) {
      const b = new TimelineBuilder(0, true, run.tasks);
      const sender = new TimelineSender(b);
      b.add(kept, 0, first);
      let at = momentAt(kept, first, 0);
      const a = sender.answer(at.now, at.step, undefined, {});
      assert.ok('model' in a, 'the first answer is whole');
      b.add(kept, first, Math.min(kept.length, late + 5));
      at = momentAt(kept, Math.min(kept.length, late + 5), 0);
      const next = sender.answer(at.now, at.step, a.version, {});
      assert.equal('delta' in next, small, `from ${first} events to ${late + 5}`);
      if ('delta' in next) assert.equal(next.base, a.version);
      same(take({ version: a.version, model: structuredClone(a.model) }, next).model, b.model(at.now, at.step));
    }
  });

  it('after a change of the past (a builder made anew, with a new sender), the first answer is whole whatever the client holds', () => {
    const { run, kept } = example('fork-wait.kproc');
    const b = new TimelineBuilder(0, true, run.tasks);
    const sender = new TimelineSender(b);
    b.add(kept);
    let at = momentAt(kept, kept.length, 0);
    const a = sender.answer(at.now, at.step, undefined, {});
    const cut = Math.floor(kept.length / 2);
    const again = new TimelineBuilder(0, true, run.tasks);
    again.add(kept, 0, cut);
    at = momentAt(kept, cut, 0);
    const next = new TimelineSender(again).answer(at.now, at.step, a.version, {});
    assert.ok('model' in next && next.version > a.version, 'the whole model, under a version never handed out');
    same(next.model, again.model(at.now, at.step));
  });

  it('hands the extra top-level fields with the model and their changes with the delta', () => {
    const { run, kept } = example('fork-wait.kproc');
    const b = new TimelineBuilder(0, true, run.tasks);
    const sender = new TimelineSender(b);
    const n = kept.length - 3;
    b.add(kept, 0, n);
    let at = momentAt(kept, n, 0);
    const a = sender.answer(at.now, at.step, undefined, { truncated: { step: 7, time: 9 } });
    assert.ok('model' in a);
    assert.deepEqual(a.model.truncated, { step: 7, time: 9 });
    b.add(kept, n);
    at = momentAt(kept, kept.length, 0);
    const next = sender.answer(at.now, at.step, a.version, {});
    assert.ok('delta' in next, 'a delta');
    assert.deepEqual(next.delta.unset, ['truncated']);
  });
});
