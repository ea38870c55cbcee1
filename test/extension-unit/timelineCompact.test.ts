// The page's string sharing: equal strings of a model and its deltas made one, values unchanged,
// and the table bounded.
import * as assert from 'node:assert/strict';
import { compactDelta, compactModel, compactSome, Interner, SharedStrings } from '../../extension/client/timelineCompact';
import { applyTimelineDelta } from '../../extension/client/timelineDelta';
import { diffTimeline } from './timelineDiff';
import type { TimelineModel } from '../../extension/client/timelineTypes';

function model(marks: number): TimelineModel {
  const m: TimelineModel = { start: 0, end: 1000, now: 500, nowStep: 5, lanes: [], marks: [], cpus: [], sched: true, cpuCount: 1 };
  for (let i = 0; i < 3; i++) {
    m.lanes.push({ pid: 10 + i, tgid: 10, comm: `t${i}`, born: 0, parent: null, leaderLane: 0, kthread: false, boot: true,
      spans: [{ from: 0, to: 400, state: 'running' }, { from: 400, to: 1000, state: 'sleeping' }] });
  }
  for (let k = 0; k < marks; k++) m.marks.push({ time: k, step: k, kind: 'signal', pid: 10 + (k % 3), other: 0, label: `SIGUSR1 to ${10 + (k % 3)}`, fn: 'send_signal_locked', lane: k % 3 });
  return m;
}

describe('timeline page: shared strings', () => {
  it('keeps the first of equal strings and counts each distinct one once', () => {
    const i = new Interner();
    assert.equal(i.of('a'), 'a');
    i.of(['a'].join(''));
    i.of('b');
    assert.equal(i.size, 2);
  });

  it('stops remembering new strings at its bound but still answers them', () => {
    const i = new Interner(4);
    for (let k = 0; k < 10; k++) assert.equal(i.of(`s${k}`), `s${k}`);
    assert.equal(i.size, 4);
  });

  it('leaves a model and its deltas as they were, value for value', () => {
    const a = model(30), b = model(40);
    b.end = 1200;
    b.lanes[1].spans.push({ from: 1000, to: 1200, state: 'zombie' });
    const d = diffTimeline(a, b);
    const i = new Interner();
    const mine = compactModel(structuredClone(a), i);
    assert.deepEqual(mine, a);
    const seen = i.size;
    assert.ok(seen > 0 && seen < 30, `distinct strings ${seen}`);
    applyTimelineDelta(mine, compactDelta(structuredClone(d), i));
    const plain = structuredClone(a);
    applyTimelineDelta(plain, structuredClone(d));
    assert.deepEqual(mine, plain);
    assert.deepEqual(mine, b);
    // The delta's new strings joined the table (zombie), its repeated ones did not grow it.
    assert.equal(i.size, seen + 1);
  });

  it('shares a model\'s strings a slice at a time, each slice about its budget, to the same end', () => {
    const whole = model(50);
    const sliced = structuredClone(whole);
    const i = new Interner();
    const at = { lane: 0, mark: 0 };
    let slices = 0;
    while (!compactSome(sliced, i, at, 10)) {
      slices++;
      assert.ok(slices < 100, 'it ends');
    }
    // Three lanes of two spans (3 a lane with the lane itself), then 50 marks, 10 at a time.
    assert.ok(slices >= 5 && slices <= 7, `${slices} slices`);
    assert.deepEqual(at, { lane: 3, mark: 50 });
    assert.deepEqual(sliced, whole);
    const j = new Interner();
    compactModel(structuredClone(whole), j);
    assert.equal(i.size, j.size);
    // Marks added after the slices got past them are taken by the next slice.
    sliced.marks.push({ ...sliced.marks[0], label: 'new one' });
    assert.equal(compactSome(sliced, i, at, 10), true);
    assert.equal(i.size, j.size + 1);
  });

  it('shares a model in idle slices that end, values unchanged; a newer model takes over from an unfinished one', async () => {
    const shared = new SharedStrings();
    const first = model(20_000);
    const second = model(5);
    const before = JSON.stringify(second);
    shared.model(first);
    assert.equal(shared.busy, true, 'not done at once: the first frame does not wait for it');
    shared.model(second);
    // Each slice is followed by the next idle moment (a timer here): wait for them, with a guard.
    for (let k = 0; k < 1000 && shared.busy; k++) await new Promise((r) => setTimeout(r, 60));
    assert.equal(shared.busy, false);
    assert.equal(JSON.stringify(second), before);
    // A delta's new strings go through the same table.
    const next = structuredClone(second);
    next.marks.push({ ...next.marks[0], time: 900, step: 900 });
    const d = diffTimeline(second, next);
    const added = JSON.stringify(d.marks.add);
    assert.equal(shared.delta(d), d);
    assert.equal(JSON.stringify(d.marks.add), added);
  });
});
