// The keys to the timeline panel's pictures: the timeline's legend names every lane state and
// every event kind in the colours the page draws them in; the process tree's names what a tree
// shows (all of it on the page, only what that tree holds in its export); and the exported tree
// carries its legend, in words, under the tree and inside the picture.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as sax from 'sax';
import { processTreeAt, processTreeHistory, type GraphEdge, type GraphNode } from '../../sim-core/viz/graph';
import { buildTimeline } from '../../sim-core/viz/model';
import { layoutGraph, type GraphLayout } from '../../extension/client/graphLayout';
import { legendHeight, legendMinWidth, timelineLegend, treeLegend, type LegendGroup } from '../../extension/client/graphLegend';
import { graphSvg, graphSvgSize } from '../../extension/client/graphSvg';
import { DEFAULT_PALETTE, type Palette } from '../../extension/client/timelineText';
import { BOOT, ORPHAN } from '../viz/orphan-log';

const model = buildTimeline(ORPHAN, { now: 9000, nowStep: 80, tasks: BOOT });
const keys = (gs: LegendGroup[]): string[] => gs.flatMap((g) => g.items.map((i) => i.key));
/** Every colour a swatch is drawn in. */
const colours = (gs: LegendGroup[], key: string, p: Palette): string[] => {
  const it = gs.flatMap((g) => g.items).find((i) => i.key === key);
  assert.ok(it, `no legend item ${key}`);
  return it.swatch(p).flatMap((s) => [s.attrs.fill, s.attrs.stroke]).filter((c): c is string => !!c && c !== 'none');
};

/** The legend items of an exported tree, and where its legend group sits. */
function exported(l: GraphLayout): { keys: string[]; texts: string[]; legendY: number; itemX: number[] } {
  const text = graphSvg(l, DEFAULT_PALETTE);
  const out = { keys: [] as string[], texts: [] as string[], legendY: NaN, itemX: [] as number[] };
  const parser = sax.parser(true, {});
  const stack: string[] = [];
  let lastTranslateY = NaN;
  parser.onopentag = (t) => {
    const a = t.attributes as Record<string, string>;
    const m = /translate\(([\d.]+),([\d.]+)\)/.exec(a.transform ?? '');
    if (t.name === 'g' && m) lastTranslateY = Number(m[2]);
    if (t.name === 'g' && a.class === 'legend') out.legendY = lastTranslateY;
    if (t.name === 'g' && a.class === 'legend-item') { out.keys.push(a['data-key']); out.itemX.push(Number(m?.[1])); }
    stack.push(a.class ?? '');
  };
  parser.onclosetag = () => { stack.pop(); };
  parser.ontext = (s) => { if (stack.includes('legend-item') && s.trim()) out.texts.push(s.trim()); };
  parser.write(text).close();
  return out;
}

describe('the timeline panel legends', () => {
  it("the timeline's legend: every lane state and every event kind, each in the colour the page draws it", () => {
    const g = timelineLegend();
    const p = DEFAULT_PALETTE;
    for (const s of Object.keys(p.states) as Array<keyof Palette['states']>) assert.deepEqual(colours(g, `lane-${s}`, p), [p.states[s]]);
    for (const k of Object.keys(p.marks) as Array<keyof Palette['marks']>) assert.deepEqual(colours(g, `mark-${k}`, p), [p.marks[k]]);
    assert.deepEqual(colours(g, 'now', p), [p.now]);
    assert.deepEqual(colours(g, 'cluster', p), [p.foreground]);
    const texts = g.flatMap((x) => x.items.map((i) => i.text));
    assert.equal(new Set(texts).size, texts.length, 'no two items say the same');
    assert.ok(texts.includes('uninterruptible sleep') && texts.includes('signal delivered'));
  });

  it("the tree's legend on the page names everything a tree can show; the export's only what it shows", () => {
    assert.deepEqual(keys(treeLegend()), ['state-running', 'state-runnable', 'state-sleeping', 'state-disk-sleep', 'state-stopped', 'state-zombie', 'state-alive', 'process', 'thread', 'kthread', 'reaped', 'first-parent']);
    const now = layoutGraph(processTreeAt(model));
    assert.deepEqual(keys(treeLegend(now)), ['state-alive', 'process', 'thread', 'kthread'], 'no reaped task and no first parent in the tree of a moment');
    const history = layoutGraph(processTreeHistory(model));
    assert.deepEqual(keys(treeLegend(history)), ['state-alive', 'process', 'thread', 'kthread', 'reaped', 'first-parent']);
    const first = treeLegend().flatMap((g) => g.items).find((i) => i.key === 'first-parent');
    assert.equal(first?.text, 'parent until reparented (history)');
    // The swatches use the colours of the tree: the first-parent line in the edge's colour, states in the lanes'.
    assert.deepEqual(colours(treeLegend(), 'first-parent', DEFAULT_PALETTE), [DEFAULT_PALETTE.states['disk-sleep']]);
    assert.equal(colours(treeLegend(), 'state-zombie', DEFAULT_PALETTE)[0], DEFAULT_PALETTE.states.zombie);
  });

  it('the exported tree carries its legend in words, under the tree', () => {
    const l = layoutGraph(processTreeHistory(model));
    const e = exported(l);
    assert.deepEqual(e.keys, keys(treeLegend(l)));
    assert.ok(e.texts.includes('reaped (history): hollow, dashed, faded') && e.texts.includes('parent until reparented (history)'), e.texts.join(' | '));
    assert.ok(e.legendY >= l.height, `legend at ${e.legendY}, the tree ends at ${l.height}`);
    const { h } = graphSvgSize(l);
    assert.ok(h >= e.legendY + legendHeight(treeLegend(l), graphSvgSize(l).w));
  });

  it('a narrower picture wraps the legend into more rows, never narrower than its widest item', () => {
    const g = treeLegend();
    const wide = legendHeight(g, 10_000);
    const min = legendMinWidth(g);
    assert.equal(wide, 2 * 18 + 6, 'a row per group when there is room');
    assert.ok(legendHeight(g, min) > wide);
    assert.ok(legendHeight(g, min) >= legendHeight(g, min + 200));
  });

  it('random forests: the export is at least as wide as its legend needs, and as tall as tree and legend', () => {
    fc.assert(fc.property(fc.array(fc.record({ parent: fc.nat(), thread: fc.boolean(), reaped: fc.boolean() }), { minLength: 1, maxLength: 12 }), (spec) => {
      const nodes: GraphNode[] = spec.map((s, i) => ({ lane: i, pid: 10 + i, tgid: 10 + i, comm: 'x', thread: false, kthread: i === 0, state: s.reaped ? 'reaped' : 'sleeping' }));
      const edges: GraphEdge[] = [];
      spec.forEach((s, i) => {
        if (i === 0) return;
        const p = s.parent % i;
        const thread = s.thread && !nodes[p].thread;
        if (thread) { nodes[i].thread = true; nodes[i].tgid = nodes[p].pid; }
        edges.push({ from: p, to: i, kind: thread ? 'thread' : 'child' });
      });
      const l = layoutGraph({ time: 0, step: 0, history: true, nodes, edges });
      const { w, h } = graphSvgSize(l);
      const groups = treeLegend(l);
      assert.ok(w >= legendMinWidth(groups) && w >= l.width);
      assert.ok(h >= l.height + legendHeight(groups, w));
      const e = exported(l);
      assert.equal(e.keys.includes('thread'), nodes.some((n) => n.thread));
      assert.equal(e.keys.includes('reaped'), nodes.some((n) => n.state === 'reaped'));
      assert.ok(e.itemX.every((x) => x >= 0 && x < w));
    }), { numRuns: 60 });
  });
});
