// The timeline's deltas: applying the difference of two models to the first gives the second, for
// random models and random edits (growth, new and reordered lanes, truncation, changed fields),
// across chains of stops, and for a real run stop by stop, where a delta is a small part of the model.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { boot } from '../../sim-core/machine';
import type { KEvent } from '../../sim-core/machine-types';
import { buildTimeline, deltaWeight, modelWeight, type CpuRun, type Lane, type LaneState, type Mark, type TimelineModel } from '../../sim-core/viz/model';
import { applyTimelineDelta } from '../../extension/client/timelineDelta';
import { diffTimeline } from './timelineDiff';
import { applyToIndex } from '../../extension/client/timelineIncremental';
import { indexTimeline, type TimelineIndex } from '../../extension/client/timelineLayout';

const STATES: LaneState[] = ['running', 'runnable', 'sleeping', 'disk-sleep', 'stopped', 'zombie'];
const KINDS: Array<Mark['kind']> = ['fork', 'exec', 'exit', 'zombie', 'reap', 'reparent', 'signal'];

/** A small deterministic generator (fast-check gives the seed). */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => { s = (s * 1103515245 + 12345) >>> 0; return Math.floor(((s >>> 8) / 0x1000000) * n); };
}

function makeLane(r: (n: number) => number, pid: number, from: number, to: number): Lane {
  const spans = [];
  let t = from;
  while (t < to) {
    const e = Math.min(to, t + 1 + r(50));
    spans.push({ from: t, to: e, state: STATES[r(STATES.length)] });
    t = e;
  }
  const l: Lane = { pid, tgid: pid, comm: `t${pid}`, spans, born: from, parent: r(2) ? null : 1, leaderLane: 0, kthread: false, boot: from === 0 };
  if (r(3) === 0) l.bornStep = from;
  return l;
}

function makeMark(r: (n: number) => number, lanes: number, time: number, step: number): Mark {
  const m: Mark = { time, step, kind: KINDS[r(KINDS.length)], pid: 1 + r(50), label: `m${step}`, fn: 'do_exit', lane: r(lanes) };
  if (r(2)) { m.otherLane = r(lanes); m.other = 7; }
  return m;
}

function makeModel(r: (n: number) => number): TimelineModel {
  const end = 200 + r(300);
  const lanes: Lane[] = [];
  const n = 1 + r(8);
  for (let i = 0; i < n; i++) lanes.push(makeLane(r, 10 + i, i === 0 ? 0 : r(end), end));
  lanes.forEach((l, i) => { l.leaderLane = r(2) ? i : 0; });
  const marks: Mark[] = [];
  for (let k = 0, t = 0; k < r(30); k++) { t += r(20); marks.push(makeMark(r, n, t, k)); }
  const cpus: CpuRun[] = [];
  const cpuCount = r(4);
  for (let c = 0; c < cpuCount; c++) {
    for (let t = 0; t < end;) { const e = Math.min(end, t + 1 + r(40)); cpus.push({ cpu: c, from: t, to: e, pid: r(4) ? 10 + r(n) : null }); t = e; }
  }
  return { start: 0, end, now: r(end), nowStep: r(100), lanes, marks, cpus, sched: true, cpuCount };
}

/** The next stop of a run, or some other change: `a` is left alone. */
function edit(a: TimelineModel, r: (n: number) => number): TimelineModel {
  const b = structuredClone(a);
  const renumber = (to: (i: number) => number): void => {
    for (const m of b.marks) { m.lane = to(m.lane); if (m.otherLane !== undefined) m.otherLane = to(m.otherLane); }
    for (const l of b.lanes) l.leaderLane = to(l.leaderLane);
  };
  switch (r(7)) {
    case 0: case 1: { // a step: time moves on, live lanes' last spans grow, a few spans, marks and runs appear
      const grow = 1 + r(30);
      const end = b.end + grow;
      for (const l of b.lanes) {
        const last = l.spans[l.spans.length - 1];
        if (l.gone !== undefined || !last) continue;
        if (r(3) === 0) l.spans.push({ from: last.to, to: end, state: STATES[r(STATES.length)] }); else last.to = end;
      }
      if (b.lanes.length && r(2)) { const l = b.lanes[r(b.lanes.length)]; l.gone = end; l.goneStep = end; }
      for (let k = r(4), t = b.marks[b.marks.length - 1]?.time ?? 0; k > 0; k--) b.marks.push(makeMark(r, b.lanes.length, ++t, b.marks.length));
      const runs: CpuRun[] = [];
      for (let c = 0; c < b.cpuCount; c++) {
        const mine = b.cpus.filter((x) => x.cpu === c);
        const last = mine[mine.length - 1];
        if (last && r(2)) last.to = end; else mine.push({ cpu: c, from: last?.to ?? 0, to: end, pid: null });
        runs.push(...mine);
      }
      b.cpus = runs;
      b.end = end; b.now = end; b.nowStep += 1 + r(5);
      return b;
    }
    case 2: { // a new lane somewhere in the middle (a new thread under its leader)
      const at = r(b.lanes.length + 1);
      b.lanes.splice(at, 0, makeLane(r, 500 + r(100), r(b.end), b.end));
      renumber((i) => (i >= at ? i + 1 : i));
      b.lanes[at].leaderLane = at;
      return b;
    }
    case 3: { // lanes reordered
      const perm = b.lanes.map((_, i) => i).sort(() => r(3) - 1);
      const to = new Array<number>(perm.length);
      perm.forEach((from, i) => { to[from] = i; });
      b.lanes = perm.map((i) => b.lanes[i]);
      renumber((i) => to[i]);
      return b;
    }
    case 4: { // back in time: everything after a moment gone
      const t = r(b.end + 1);
      b.marks = b.marks.filter((m) => m.time <= t);
      b.cpus = b.cpus.filter((c) => c.from < t);
      for (const l of b.lanes) { l.spans = l.spans.filter((s) => s.from < t); delete l.gone; delete l.goneStep; }
      b.now = t;
      return b;
    }
    case 5: { // a lane gone (released long ago and no longer shown), its marks too
      if (!b.lanes.length) return b;
      const at = r(b.lanes.length);
      b.lanes.splice(at, 1);
      b.marks = b.marks.filter((m) => m.lane !== at && m.otherLane !== at);
      renumber((i) => (i > at ? i - 1 : i === at ? 0 : i));
      return b;
    }
    default: { // fields change: a name, the truncation note, a CPU appearing
      if (b.lanes.length) b.lanes[r(b.lanes.length)].comm = `new${r(9)}`;
      const body = b as TimelineModel & { truncated?: { step: number; time: number } };
      if (r(2)) body.truncated = { step: r(9), time: r(9) }; else delete body.truncated;
      if (r(2)) { b.cpus.push({ cpu: b.cpuCount, from: 0, to: b.end, pid: null }); b.cpuCount++; }
      return b;
    }
  }
}

/** What the page does: the delta travels as a structured clone and is applied to its own copy. */
function roundTrip(page: TimelineModel, a: TimelineModel, b: TimelineModel): void {
  applyTimelineDelta(page, structuredClone(diffTimeline(a, b)));
}

describe('timeline deltas', () => {
  it('apply(diff(a, b), a) is b, for random models and edits', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 6 }), (seed, edits) => {
      const r = rng(seed);
      const a = makeModel(r);
      let b = a;
      for (let k = 0; k < edits; k++) b = edit(b, r);
      const page = structuredClone(a);
      roundTrip(page, a, b);
      assert.deepStrictEqual(page, b);
    }), { numRuns: 400 });
  });

  it('follows a chain of stops with one copy, each delta made against the last model', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const r = rng(seed);
      let last = makeModel(r);
      const page = structuredClone(last);
      for (let k = 0; k < 12; k++) {
        const next = edit(last, r);
        roundTrip(page, last, next);
        assert.deepStrictEqual(page, next);
        last = next;
      }
    }), { numRuns: 150 });
  });

  it('brings the page\'s index up to each stop as indexing the stop\'s model would', () => {
    const plain = (x: TimelineIndex): unknown => ({ ...x, runsOf: [...x.runsOf].sort((p, q) => p[0] - q[0]) });
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const r = rng(seed);
      let last = makeModel(r);
      let index = indexTimeline(structuredClone(last));
      for (let k = 0; k < 10; k++) {
        const next = edit(last, r);
        index = applyToIndex(index, structuredClone(diffTimeline(last, next)));
        assert.deepStrictEqual(plain(index), plain(indexTimeline(next)));
        last = next;
      }
    }), { numRuns: 150 });
  });

  it('says which lanes, marks and CPU runs changed', () => {
    const r = rng(7);
    const a = makeModel(r);
    a.cpus = [{ cpu: 0, from: 0, to: 5, pid: null }, { cpu: 0, from: 5, to: 9, pid: 10 }, { cpu: 1, from: 0, to: 9, pid: 11 }];
    a.cpuCount = 2;
    const b = structuredClone(a);
    b.cpus[1].to = 12;
    b.cpus.splice(2, 0, { cpu: 0, from: 12, to: 13, pid: null });
    b.lanes[0].spans[b.lanes[0].spans.length - 1].to += 1;
    const page = structuredClone(a);
    const got = applyTimelineDelta(page, structuredClone(diffTimeline(a, b)));
    assert.deepStrictEqual(page, b);
    assert.equal(got.reordered, false);
    assert.equal(got.cpusChanged, false);
    assert.deepEqual([...got.runsKept], [[0, 1]]);
    assert.deepEqual([...got.spansKept], [[0, a.lanes[0].spans.length - 1]]);
    assert.equal(got.marksKept, a.marks.length);
  });

  it('refuses a delta made for another model', () => {
    const a = makeModel(rng(3));
    const b = edit(edit(a, rng(4)), rng(5));
    const d = diffTimeline(a, b);
    const other: TimelineModel = { ...structuredClone(a), lanes: [], marks: [], cpus: [] };
    if (d.lanes.some((l) => !('lane' in l))) assert.throws(() => applyTimelineDelta(other, structuredClone(d)), /timeline delta/);
    assert.throws(() => applyTimelineDelta({ ...structuredClone(a), marks: [] }, { ...structuredClone(d), marks: { keep: 5, add: [] } }), /keeps 5 items of 0/);
  });

  it('a stop of a real run is a small delta of the model before it', () => {
    const file = path.resolve(__dirname, '../../examples/fork-wait.kproc');
    const { machine } = boot({ file, source: fs.readFileSync(file, 'utf8'), traceSched: true });
    assert.ok(machine);
    const tasks = machine.tasks().map((t) => ({ pid: t.pid, tgid: t.tgid, comm: t.comm, ppid: t.ppid, kthread: t.kthread }));
    const events: KEvent[] = [];
    let last: TimelineModel | undefined;
    let page: TimelineModel | undefined;
    let stops = 0, sent = 0, whole = 0;
    for (let i = 0; i < 400; i++) {
      const s = machine.run(25);
      events.push(...s.events);
      const now = machine.moment();
      const model = buildTimeline(events, { now: now.time, nowStep: now.step, tasks });
      if (last && page) {
        const d = diffTimeline(last, model);
        roundTrip(page, last, model);
        assert.deepStrictEqual(page, model);
        stops++;
        sent += deltaWeight(d);
        whole += modelWeight(model);
      } else {
        page = structuredClone(model);
      }
      last = model;
      if (s.reason !== 'yield') break;
    }
    assert.ok(stops > 5, `only ${stops} stops`);
    assert.ok(sent * 3 < whole, `the deltas carried ${sent} items, the models ${whole}`);
  });
});
