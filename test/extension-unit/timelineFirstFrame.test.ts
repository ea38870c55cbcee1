// The timeline's first frame written into the page: for every example, the picture the canvas
// draws of the fitted run (a bar for each bar the canvas fills, a glyph for each glyph, the
// arrows, the axis' ticks, the current moment) at x in percent of the plot, coloured only by
// classes the page's rules define, with the row labels the label column makes; none when too big,
// and none for a page that kept a window of its own or shows the tree.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { boot } from '../../sim-core/machine';
import { buildTimeline, type Lane, type TimelineModel } from '../../sim-core/viz/model';
import {
  arrowOf, clampView, cpuBarsEach, fitView, indexTimeline, laneBarsEach, laneGlyphs, timeToX, visibleRows,
} from '../../extension/client/timelineLayout';
import { firstFrameMarkup, fittedPage } from '../../extension/client/timelineFirstFrame';
import { legendCss } from '../../extension/client/timelineMarkup';
import { FIRST_FRAME_ID, timelinePage } from '../../extension/client/timelinePage';
import { AXIS, ROW } from '../../extension/client/timelineElements';
import { rowElement } from '../../extension/client/timelineText';
import { parseXml, walk, type XmlElement } from '../viz/check-exports';

const EXAMPLES = path.resolve(__dirname, '../../examples');

/** An example's model at its end, as the adapter builds it (tracepoints on). */
function exampleModel(name: string): TimelineModel {
  const file = path.join(EXAMPLES, name);
  const { machine } = boot({ file, source: fs.readFileSync(file, 'utf8'), traceSched: true });
  assert.ok(machine, name);
  const tasks = machine.tasks().map((t) => ({ pid: t.pid, tgid: t.tgid, comm: t.comm, ppid: t.ppid, kthread: t.kthread }));
  const events = [];
  for (let i = 0; i < 200; i++) {
    const s = machine.run(100_000);
    events.push(...s.events);
    if (s.reason !== 'yield') break;
  }
  const now = machine.moment();
  return buildTimeline(events, { now: now.time, nowStep: now.step, tasks });
}

const pct = (s: string | undefined): number => {
  const m = /^(-?[\d.]+)%$/.exec(s ?? '');
  assert.ok(m, `not a percentage: ${s}`);
  return Number(m[1]);
};

/** What the canvas draws of the fitted model in a plot of that size, counted as the first frame must show it. */
function canvasCounts(model: TimelineModel, width: number, height: number): { rows: number; bars: number; glyphs: number; arrows: number } {
  const index = indexTimeline(model);
  const g = { width, height: height - AXIS, rowHeight: ROW };
  const v = clampView(fitView(model), model, g, index.rows.length);
  const [first, end] = visibleRows(v, g, index.rows.length);
  let bars = 0, glyphs = 0, arrows = 0;
  const count = (x0: number): void => { if (Math.round(x0) < width) bars++; };
  for (let i = first; i < end; i++) {
    const r = index.rows[i];
    if (r.kind === 'cpu') { cpuBarsEach(index.runsOf.get(r.cpu) ?? [], v, width, count); continue; }
    laneBarsEach(r.lane.spans, v, width, count);
    const gs = laneGlyphs(index.marksOf[r.laneIndex] ?? [], v, width);
    glyphs += gs.length;
    for (const gl of gs) {
      const a = gl.count === 1 ? arrowOf(gl.first) : undefined;
      const from = a ? index.rowOfLane[a.from] ?? -1 : -1, to = a ? index.rowOfLane[a.to] ?? -1 : -1;
      if (from >= 0 && to >= 0 && from !== to) arrows++;
    }
  }
  return { rows: end - first, bars, glyphs, arrows };
}

describe('timeline first frame in the markup', () => {
  const css = legendCss();
  const examples = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.kproc')).sort();

  it('every example: the canvas\' picture of the fitted run, bar for bar and glyph for glyph, with its row labels', function () {
    this.timeout(120_000);
    let checked = 0;
    for (const name of examples) {
      const model = exampleModel(name);
      if (!model.lanes.length) continue;
      for (const size of [{ width: 1200, height: 900 }, { width: 430, height: 260 }]) {
        const f = firstFrameMarkup(model, size);
        assert.ok(f, `${name}: a first frame`);
        const svg = parseXml(f.plot);
        assert.equal(svg.attrs.id, FIRST_FRAME_ID);
        assert.equal(svg.attrs['aria-hidden'], 'true', 'the picture is hidden from screen readers: the labels and the canvas\' buttons speak');
        const els = [...walk(svg)];
        const want = canvasCounts(model, size.width, size.height);
        const cls = (e: XmlElement): string => e.attrs.class ?? '';
        const rowArea = (e: XmlElement): boolean => e.name === 'rect' && Number(e.attrs.y) > AXIS && /^lg-fill-(?!grid|now|background|foreground)/.test(cls(e));
        assert.equal(els.filter(rowArea).length, want.bars, `${name} ${size.width}: bars`);
        assert.equal(els.filter((e) => e.name === 'use' && /^#ffD$|^#ffC$/.test(e.attrs.href ?? '')).length, want.glyphs, `${name}: glyphs`);
        assert.equal(els.filter((e) => e.name === 'line').length, want.arrows, `${name}: arrows`);
        assert.equal(els.filter((e) => e.name === 'text').length, Math.max(2, Math.floor(size.width / 120)) + 1, `${name}: the axis' ticks`);
        for (const e of els) {
          for (const c of cls(e).split(' ').filter(Boolean)) assert.match(css, new RegExp(`\\.${c}\\{`), `${name}: no rule for ${c}`);
          for (const k of ['x', 'x1', 'x2']) if (e.attrs[k]?.endsWith('%')) assert.ok(pct(e.attrs[k]) >= -1 && pct(e.attrs[k]) <= 100, `${name}: ${k}=${e.attrs[k]}`);
          assert.ok(!e.attrs.style && !e.attrs.fill?.startsWith('#'), 'no style attribute (the policy refuses them), no colour but the theme\'s');
        }
        // The current moment where the canvas draws it.
        const index = indexTimeline(model);
        const g = { width: size.width, height: size.height - AXIS, rowHeight: ROW };
        const v = clampView(fitView(model), model, g, index.rows.length);
        const nx = timeToX(model.now, v, size.width);
        const now = els.find((e) => cls(e) === 'lg-fill-now');
        if (nx >= 0 && nx <= size.width) assert.ok(now && Math.abs(pct(now.attrs.x) - ((Math.round(nx) - 1) / size.width) * 100) < 1e-3, `${name}: now`);
        // The labels: the label column's elements for the rows shown, in order.
        const labels = [...walk(parseXml(f.labels))].filter((e) => e.attrs.role === 'listitem');
        assert.equal(labels.length, want.rows, `${name}: label rows`);
        const [first] = visibleRows(v, g, index.rows.length);
        labels.forEach((e, i) => {
          const d = rowElement(index.rows[first + i]);
          assert.equal(e.attrs.class, d.className);
          assert.equal(e.text, d.text);
          assert.equal(e.attrs['aria-label'], d.aria);
          for (const [k, val] of Object.entries(d.data)) assert.equal(e.attrs[`data-${k}`], val);
        });
        checked++;
      }
    }
    assert.ok(checked >= 40, `${checked} pictures checked`);
  });

  it('written into the page in the label column and over the canvas, the waiting text hidden', () => {
    const model = exampleModel('fork-wait.kproc');
    const first = firstFrameMarkup(model);
    assert.ok(first);
    const html = timelinePage({ cspSource: 'https://w.test', nonce: 'N', script: 's.js', style: 's.css', initial: '{}', first });
    assert.ok(html.indexOf('<canvas id="canvas"></canvas><svg id="firstFrame"') > 0);
    assert.match(html, /<div id="labels" role="list" aria-label="Tasks"><div class="first-rows"><div role="listitem" class="row cpu"/);
    assert.match(html, /<div id="empty" hidden="">/);
    assert.match(timelinePage({ cspSource: 'https://w.test', nonce: 'N', script: 's.js', style: 's.css' }), /<div id="empty">/);
  });

  it('none for a picture too big to be worth writing in: the page draws it from the model', () => {
    // 40 lanes whose state changes at every pixel: a bar per pixel per row.
    const spans = Array.from({ length: 4000 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, state: i % 2 ? 'running' as const : 'sleeping' as const }));
    const lanes: Lane[] = Array.from({ length: 40 }, (_, i) => ({ pid: i + 1, tgid: i + 1, comm: `t${i}`, spans, born: 0, parent: null, leaderLane: i, kthread: false, boot: false }));
    const big: TimelineModel = { start: 0, end: 40_000, now: 40_000, nowStep: 1, lanes, marks: [], cpus: [], sched: true, cpuCount: 1 };
    assert.equal(firstFrameMarkup(big), undefined);
    assert.ok(firstFrameMarkup({ ...big, lanes: lanes.slice(0, 1).map((l) => ({ ...l, spans: spans.slice(0, 10) })) }));
  });

  it('only for a page that shows its run fitted, in the timeline tab', () => {
    assert.equal(fittedPage(undefined), true, 'a new panel');
    assert.equal(fittedPage({ fitted: true, view: { t0: 0, t1: 1, top: 0 } }), true);
    assert.equal(fittedPage({ fitted: false, view: { t0: 0, t1: 1, top: 0 } }), false, 'a window of its own');
    assert.equal(fittedPage({ fitted: true, tree: { view: 'tree' } }), false, 'the tree in front');
    assert.equal(fittedPage({ tree: { view: 'timeline', legend: false } }), true);
  });
});
