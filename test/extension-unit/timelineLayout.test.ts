// The timeline panel's pure parts: rows grouped by process, the visible window, aggregation to the
// pixel (bars and mark clusters), keyboard order, the step a click travels to, and the SVG export.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { boot } from '../../sim-core/machine';
import { buildTimeline, type Lane, type LaneState, type Mark, type Span, type TimelineModel } from '../../sim-core/viz/model';
import {
  aggregate, arrowOf, arrowsEach, buildLod, clampView, cpuBars, extendLod, seriesChanged, fitView, glyphAt, indexTimeline, laneBars, laneGlyphs, neighbourMark, panView,
  revealMark, visibleRows, zoomView, type View,
} from '../../extension/client/timelineLayout';
import { DEFAULT_PALETTE, formatTime, markText, timelineSvg, timelineSvgSized } from '../../extension/client/timelineText';
import { parseXml, walk } from '../viz/check-exports';

const FORK_WAIT = path.resolve(__dirname, '../../examples/fork-wait.kproc');

/** The fork example's model, built as the adapter builds it (tracepoints on, run to the end). */
function forkModel(): TimelineModel {
  const { machine } = boot({ file: FORK_WAIT, source: fs.readFileSync(FORK_WAIT, 'utf8'), traceSched: true });
  assert.ok(machine);
  const tasks = machine.tasks().map((t) => ({ pid: t.pid, tgid: t.tgid, comm: t.comm, ppid: t.ppid, kthread: t.kthread }));
  const events = [];
  for (let i = 0; i < 1000; i++) {
    const s = machine.run(100_000);
    events.push(...s.events);
    if (s.reason !== 'yield') break;
  }
  const now = machine.moment();
  return buildTimeline(events, { now: now.time, nowStep: now.step, tasks });
}

function lane(pid: number, tgid: number, leaderLane: number, spans: Span[]): Lane {
  return { pid, tgid, comm: `t${pid}`, spans, born: spans[0]?.from ?? 0, parent: null, leaderLane, kthread: false, boot: false };
}

function mark(laneIdx: number, pid: number, time: number, step: number, kind: Mark['kind'] = 'exit', otherLane?: number): Mark {
  return { time, step, kind, pid, label: `${kind} ${pid}`, fn: 'do_exit', lane: laneIdx, ...(otherLane !== undefined ? { otherLane, other: otherLane } : {}) };
}

function model(lanes: Lane[], marks: Mark[], extra: Partial<TimelineModel> = {}): TimelineModel {
  return { start: 0, end: 1000, now: 500, nowStep: 50, lanes, marks, cpus: [], sched: true, cpuCount: 1, ...extra };
}

describe('timeline panel layout', () => {
  it('puts CPU rows first, then lanes in the model\'s order, threads marked under their leader', () => {
    const m = model([lane(1, 1, 0, []), lane(5, 5, 1, []), lane(6, 5, 1, [])], [], {
      cpus: [{ cpu: 1, from: 0, to: 5, pid: 1 }, { cpu: 0, from: 0, to: 5, pid: 5 }],
    });
    const idx = indexTimeline(m);
    assert.deepEqual(idx.rows.map((r) => (r.kind === 'cpu' ? `cpu${r.cpu}` : `${r.lane.pid}${r.thread ? 't' : ''}`)), ['cpu0', 'cpu1', '1', '5', '6t']);
    assert.deepEqual(idx.rowOfLane, [2, 3, 4]);
  });

  it('shows only the rows inside the scrolled window', () => {
    const g = { width: 100, height: 100, rowHeight: 20 };
    assert.deepEqual(visibleRows({ t0: 0, t1: 1, top: 0 }, g, 1000), [0, 5]);
    assert.deepEqual(visibleRows({ t0: 0, t1: 1, top: 30 }, g, 1000), [1, 7]);
    assert.deepEqual(visibleRows({ t0: 0, t1: 1, top: 19_950 }, g, 1000), [997, 1000]);
  });

  it('keeps wide spans whole and gives a shared pixel to the state covering most of it', () => {
    const spans: Span[] = [
      { from: 0, to: 50, state: 'running' }, { from: 50, to: 50.3, state: 'sleeping' }, { from: 50.3, to: 51, state: 'runnable' },
      { from: 51, to: 100, state: 'running' },
    ];
    const bars = laneBars(spans, { t0: 0, t1: 100, top: 0 }, 100);
    assert.deepEqual(bars, [{ x0: 0, x1: 50, value: 'running' }, { x0: 50, x1: 51, value: 'runnable' }, { x0: 51, x1: 100, value: 'running' }]);
  });

  it('draws a lane of 100,000 spans as at most one bar per pixel, covering what the spans cover', () => {
    const states: LaneState[] = ['running', 'runnable', 'sleeping'];
    const spans: Span[] = Array.from({ length: 100_000 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, state: states[i % 3] }));
    const bars = laneBars(spans, { t0: 0, t1: 1_000_000, top: 0 }, 800);
    assert.ok(bars.length <= 800, `${bars.length} bars`);
    assert.equal(bars[0].x0, 0);
    assert.equal(bars[bars.length - 1].x1, 800);
    for (let i = 1; i < bars.length; i++) assert.ok(bars[i].x0 >= bars[i - 1].x1, 'bars do not overlap');
  });

  it('draws a long series zoomed out from its coarser levels, pixel for pixel close to reading every item', () => {
    // Phases in which one state holds most of the time, broken by short spans of the others, so
    // that pixels have a clear majority (where they do not, any answer is as right as another).
    const states: LaneState[] = ['running', 'sleeping', 'runnable'];
    const spans: Span[] = [];
    let t = 0, seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    while (spans.length < 50_000) {
      const main = states[rnd(3)];
      for (let k = 20 + rnd(200); k > 0; k--) {
        const len = 40 + rnd(60);
        spans.push({ from: t, to: t + len, state: main });
        t += len;
        const other = states[rnd(3)];
        if (other === main) continue;
        const short = 1 + rnd(20);
        spans.push({ from: t, to: t + short, state: other });
        t += short;
      }
    }
    const pixels = (bars: Array<{ x0: number; x1: number; value: LaneState }>, w: number): Array<LaneState | undefined> => {
      const px = new Array<LaneState | undefined>(w).fill(undefined);
      for (const b of bars) for (let x = Math.floor(b.x0); x < Math.ceil(b.x1) && x < w; x++) px[x] = b.value;
      return px;
    };
    for (const [t0, t1] of [[0, t], [t * 0.3, t * 0.4], [t * 0.5, t * 0.5 + 5000]]) {
      const v: View = { t0, t1, top: 0 };
      const exact = pixels(aggregate(spans, (s) => s.from, (s) => s.to, (s) => s.state, v, 700), 700);
      const lod = pixels(laneBars(spans, v, 700), 700);
      const same = exact.filter((x, i) => x === lod[i]).length;
      assert.ok(same >= 700 * 0.8, `${same} of 700 pixels agree in [${t0}, ${t1}]`);
      assert.equal(lod.filter((x) => x !== undefined).length, exact.filter((x) => x !== undefined).length, 'the same pixels are covered');
    }
  });

  it('brings coarse copies up to a series edited at its end, as copies made from scratch (property)', () => {
    type It = { from: number; to: number; v: number };
    const series = (parts: Array<[number, number, boolean]>, t: number): It[] => {
      const out: It[] = [];
      for (const [len, v, gapBefore] of parts) {
        if (gapBefore) t += len * 3;
        out.push({ from: t, to: t + len, v });
        t += len;
      }
      return out;
    };
    const part = fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 3 }), fc.boolean());
    fc.assert(fc.property(
      fc.array(part, { minLength: 1, maxLength: 400 }), fc.array(part, { maxLength: 400 }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: -3, max: 6 }), fc.integer({ min: 0, max: 5000 }), fc.boolean(),
      (before, after, cut, baseLog, start, withGap) => {
        const from = (x: It): number => x.from, to = (x: It): number => x.to, value = (x: It): number => x.v;
        const gap = withGap ? 0 : undefined;
        const items = series(before, start);
        const base = 2 ** baseLog;
        const lod = buildLod(items, from, to, value, gap, base);
        // The run goes on: its tail is replaced (the last span grew, some were cut) and more follow.
        const kept = Math.floor(cut * items.length);
        const edited = items.slice(0, kept);
        const tail = series(after, kept ? edited[kept - 1].to : start);
        if (tail.length && kept) tail[0].from = edited[kept - 1].to;
        edited.push(...tail);
        if (!edited.length) return;
        lod.valid = kept;
        extendLod(lod, edited, from, to, value, gap);
        const fresh = buildLod(edited, from, to, value, gap, base);
        assert.deepEqual(lod.levels, fresh.levels);
        assert.deepEqual([lod.first, lod.end], [fresh.first, fresh.end]);
        assert.ok(fresh.end[fresh.end.length - 1] - fresh.first[fresh.first.length - 1] <= 64, 'the coarsest level is small');
      },
    ), { numRuns: 300 });
  });

  it('draws a long series edited in place from its updated copies once told', () => {
    const spans: Span[] = Array.from({ length: 10_000 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, state: i < 9000 ? 'running' : 'sleeping' }));
    const v: View = { t0: 0, t1: 100_000, top: 0 };
    assert.equal(laneBars(spans, v, 100).at(-1)?.value, 'sleeping');
    // The last thousand spans become one long zombie span, and the series grows by as much again.
    spans.length = 9000;
    spans.push({ from: 90_000, to: 200_000, state: 'zombie' });
    seriesChanged(spans, 9000);
    const bars = laneBars(spans, { t0: 0, t1: 200_000, top: 0 }, 100);
    assert.deepEqual(bars.map((b) => [b.x0, b.x1, b.value]), [[0, 45, 'running'], [45, 100, 'zombie']]);
  });

  it('aggregates any sorted intervals into ordered, disjoint bars inside the plot (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 10, max: 400 }), fc.double({ min: 0, max: 0.9, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }),
      (parts, width, a, frac) => {
        let t = 0;
        const items = parts.map(([len, v]) => { const it = { from: t, to: t + len, v }; t += len; return it; });
        const t0 = a * t;
        const view: View = { t0, t1: t0 + Math.max(1, frac * t), top: 0 };
        const bars = aggregate(items, (x) => x.from, (x) => x.to, (x) => x.v, view, width);
        for (const b of bars) assert.ok(b.x0 >= 0 && b.x1 <= width && b.x1 > b.x0, JSON.stringify(b));
        for (let i = 1; i < bars.length; i++) {
          assert.ok(bars[i].x0 >= bars[i - 1].x1, 'ordered and disjoint');
          if (bars[i].x0 === bars[i - 1].x1) assert.notEqual(bars[i].value, bars[i - 1].value, 'touching bars of one value merge');
        }
        assert.ok(bars.length <= width);
      }));
  });

  it('gathers marks closer than a cell into one glyph, and splits them again when zoomed in', () => {
    const marks = Array.from({ length: 1000 }, (_, i) => mark(0, 1, i, i));
    const far = laneGlyphs(marks, { t0: 0, t1: 1000, top: 0 }, 100, 6);
    assert.ok(far.length <= 100 / 6 + 1, `${far.length} glyphs`);
    assert.equal(far.reduce((n, g) => n + g.count, 0), 1000, 'every mark is in a glyph');
    const near = laneGlyphs(marks, { t0: 100, t1: 110, top: 0 }, 100, 6);
    assert.deepEqual(near.map((g) => g.count), Array(11).fill(1));
    assert.equal(glyphAt(near, near[3].x + 2)?.first.step, 103);
    assert.equal(glyphAt(near, near[3].x + 5, 4), undefined, 'a point between two marks');
  });

  it('zooms around the pointer and pans by pixels; clamping keeps the window on the run', () => {
    const v: View = { t0: 0, t1: 1000, top: 0 };
    const z = zoomView(v, 2, 25, 100);
    assert.equal(z.t0, 125);
    assert.equal(z.t1, 625);
    const p = panView(z, 10, 40, 100);
    assert.equal(p.t0, 175);
    assert.equal(p.top, 40);
    const m = model([], []);
    const c = clampView({ t0: -1e9, t1: 1e12, top: -5 }, m, { width: 100, height: 100, rowHeight: 20 }, 3);
    assert.ok(c.t0 >= -250 && c.t1 <= 1250 && c.top === 0, JSON.stringify(c));
    const tiny = clampView({ t0: 10, t1: 10.001, top: 0 }, m, { width: 100, height: 100, rowHeight: 20 }, 3);
    assert.ok(tiny.t1 - tiny.t0 >= 20, 'zooming in stops at 20 ns');
  });

  it('moves between marks in time order, and reveals a mark outside the window', () => {
    const m = model([lane(1, 1, 0, []), lane(2, 2, 1, [])], [mark(0, 1, 10, 1), mark(1, 2, 5, 2), mark(0, 1, 900, 3)]);
    const idx = indexTimeline(m);
    assert.deepEqual(idx.marks.map((k) => k.step), [2, 1, 3]);
    assert.equal(neighbourMark(idx, undefined, 1)?.step, 2);
    assert.equal(neighbourMark(idx, idx.marks[1], 1)?.step, 3);
    assert.equal(neighbourMark(idx, idx.marks[0], -1)?.step, 2, 'stays at the first');
    const v = revealMark({ t0: 0, t1: 100, top: 0 }, idx, idx.marks[2], { width: 100, height: 20, rowHeight: 20 });
    assert.ok(v.t0 < 900 && v.t1 > 900 && v.t1 - v.t0 === 100);
  });

  it('draws fork arrows to the child, reap and signal arrows from the other task', () => {
    assert.deepEqual(arrowOf(mark(0, 1, 0, 0, 'fork', 3)), { from: 0, to: 3 });
    assert.deepEqual(arrowOf(mark(0, 1, 0, 0, 'reap', 3)), { from: 3, to: 0 });
    assert.equal(arrowOf(mark(0, 1, 0, 0, 'exit')), undefined);
  });
});

describe('timeline panel on the fork example', () => {
  const m = forkModel();
  const idx = indexTimeline(m);

  it('has a lane for the parent and the child and marks for fork, exit, zombie and reap', () => {
    const fork = m.marks.find((k) => k.kind === 'fork' && m.lanes[k.lane].comm === 'fork-wait');
    assert.ok(fork?.otherLane !== undefined);
    const child = fork.otherLane;
    const kinds = idx.marksOf[child].map((k) => k.kind);
    for (const k of ['exit', 'zombie', 'reap'] as const) assert.ok(kinds.includes(k), `${k} in ${kinds.join(',')}`);
    assert.ok(idx.rows.some((r) => r.kind === 'cpu'), 'a CPU row');
    assert.match(markText(fork), /kernel_clone/);
  });

  it('exports the window as well-formed SVG naming each visible task and event', () => {
    const v = fitView(m);
    const g = { width: 600, height: idx.rows.length * 22, rowHeight: 22 };
    const svg = timelineSvg(idx, v, g, 160);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.endsWith('</svg>'));
    // Balanced tags (the export is parsed as XML by its reader; here, a tag count is checked).
    const opens = (svg.match(/<(g|svg|rect|path|text|line|title)(\s[^>]*[^/])?>/g) ?? []).length;
    const closes = (svg.match(/<\/(g|svg|rect|path|text|line|title)>/g) ?? []).length;
    assert.equal(opens, closes);
    for (const l of m.lanes) assert.ok(svg.includes(`>${l.pid} ${l.comm}<`) || svg.includes(`>  ${l.pid} ${l.comm}<`), `lane ${l.pid}`);
    assert.ok(svg.includes('data-kind="fork"') || svg.includes('data-kind="cluster"'));
    const text = svg.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|apos);/g, '');
    assert.ok(!/[<>&]/.test(text), 'text is escaped');
  });

  it('the exported window carries the timeline legend under the lanes, inside the picture it says it is', () => {
    const v = fitView(m);
    const g = { width: 600, height: idx.rows.length * 22, rowHeight: 22 };
    const pic = timelineSvgSized(idx, v, g, 160);
    const root = parseXml(pic.svg);
    assert.equal(root.attrs.width, String(pic.width));
    assert.equal(root.attrs.height, String(pic.height));
    const lanesBottom = 20 + idx.rows.length * 22;
    assert.ok(pic.height > lanesBottom + 20, `room for the legend: ${pic.height} for ${idx.rows.length} rows`);
    const keys = [...walk(root)].filter((e) => e.attrs.class === 'legend-item').map((e) => e.attrs['data-key']);
    for (const k of ['lane-running', 'lane-zombie', 'mark-fork', 'mark-reap', 'now']) assert.ok(keys.includes(k), `${k} in ${keys.join(',')}`);
    // The current moment's line stops at the lanes; it does not cross the legend.
    const now = [...walk(root)].find((e) => e.name === 'line' && e.children.some((c) => c.name === 'title' && c.text.startsWith('now')));
    assert.equal(now?.attrs.y2, String(lanesBottom));
    assert.equal(timelineSvg(idx, v, g, 160), pic.svg);
  });

  it('the exported window draws the fork arrow from the parent lane down to the child lane, in the fork colour', () => {
    const v = fitView(m);
    const g = { width: 600, height: idx.rows.length * 22, rowHeight: 22 };
    const root = parseXml(timelineSvgSized(idx, v, g, 160).svg);
    const fork = idx.marks.find((k) => k.kind === 'fork' && k.otherLane !== undefined && m.lanes[k.lane].comm === 'fork-wait');
    assert.ok(fork?.otherLane !== undefined);
    const y = (lane: number): number => 20 + idx.rowOfLane[lane] * 22 + 11;
    const arrows = [...walk(root)].find((e) => e.attrs.class === 'arrows')?.children ?? [];
    const down = arrows.find((a) => a.attrs.d.includes(`V${y(fork.otherLane ?? -1)}`) && a.attrs.d.includes(` ${y(fork.lane)}V`));
    assert.ok(down, `an arrow from y ${y(fork.lane)} to y ${y(fork.otherLane)} in ${arrows.map((a) => a.attrs.d).join(' | ')}`);
    assert.equal(down.attrs.stroke, DEFAULT_PALETTE.marks.fork);
  });

  it('CPU rows show which pid ran, even runs far shorter than the idle time around them', () => {
    const cpu = idx.runsOf.get(0) ?? [];
    const bars = cpuBars(cpu, fitView(m), 500);
    const child = m.lanes[m.marks.find((k) => k.kind === 'fork')?.otherLane ?? -1];
    assert.ok(bars.length >= 2 && bars.every((b) => b.value > 0), JSON.stringify(bars));
    assert.ok(bars.some((b) => b.value === child.pid), 'the child ran');
    assert.equal(formatTime(1_500_000), '1.5 ms');
  });

  it('arrows of a frame: one per single glyph with another lane, between the rows\' centres, an out-of-view row at the edge', () => {
    const m = forkModel();
    const index = indexTimeline(m);
    const W = 800;
    const v = fitView(m);
    const rowsOf = (first: number, end: number) => Array.from({ length: end - first }, (_, i) => {
      const r = index.rows[first + i];
      return r.kind === 'lane' ? laneGlyphs(index.marksOf[r.laneIndex] ?? [], v, W) : [];
    });
    const yOf = (row: number): number => 20 + row * 22;
    const all: Array<[number, number, string]> = [];
    arrowsEach(index, rowsOf(0, index.rows.length), yOf, 22, 0, index.rows.length, (_x, y0, y1, gl) => all.push([y0, y1, gl.first.kind]));
    const fork = m.marks.find((k) => k.kind === 'fork' && k.otherLane !== undefined);
    assert.ok(fork);
    const want = [yOf(index.rowOfLane[fork.lane]) + 11, yOf(index.rowOfLane[fork.otherLane ?? -1]) + 11];
    assert.ok(all.some(([y0, y1, k]) => k === 'fork' && y0 === want[0] && y1 === want[1]), JSON.stringify(all));
    assert.ok(all.every(([y0, y1]) => y0 !== y1));
    // Only the parent's row in view: the fork's arrow runs to the edge just past the last row shown.
    const parentRow = index.rowOfLane[fork.lane];
    const clipped: number[][] = [];
    arrowsEach(index, rowsOf(parentRow, parentRow + 1), yOf, 22, parentRow, parentRow + 1, (_x, y0, y1, gl) => { if (gl.first === fork) clipped.push([y0, y1]); });
    const childRow = index.rowOfLane[fork.otherLane ?? -1];
    assert.deepEqual(clipped, [[yOf(parentRow) + 11, yOf(childRow > parentRow ? parentRow + 1 : parentRow - 1) + 11]]);
  });
});
