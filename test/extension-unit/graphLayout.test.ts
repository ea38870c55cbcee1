// The timeline panel's process tree view, its pure parts: the tidy-tree layout of a ProcessGraph
// (parents above children, no two boxes overlapping, edges joining their boxes, threads under
// their leader, several roots side by side), what a screen reader hears for a box, the boxes in
// a viewport, and the whole-tree SVG export; a property on random forests.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as sax from 'sax';
import { processTreeAt, processTreeHistory, type GraphEdge, type GraphNode, type NodeState, type ProcessGraph } from '../../sim-core/viz/graph';
import { buildTimeline } from '../../sim-core/viz/model';
import { graphHeading, layoutGraph, NODE_H, NODE_W, nodeText, visibleIn, type GraphLayout, type PlacedEdge } from '../../extension/client/graphLayout';
import { EDGE_LABEL, labelRect, overlaps, type Rect } from '../../extension/client/graphLabels';
import { graphSvg, graphSvgSize, pngScale } from '../../extension/client/graphSvg';
import { clampPort, fitPort, MAX_SCALE, panPort, revealBox, zoomPort, type Port } from '../../extension/client/graphViewport';
import { DEFAULT_PALETTE } from '../../extension/client/timelineText';
import { BOOT, ORPHAN } from '../viz/orphan-log';

const model = buildTimeline(ORPHAN, { now: 9000, nowStep: 80, tasks: BOOT });

const pidOf = (l: GraphLayout, lane: number | undefined): number | undefined => (lane === undefined ? undefined : l.byLane.get(lane)?.node.pid);
const byPid = (l: GraphLayout, pid: number) => {
  const p = l.nodes.find((n) => n.node.pid === pid);
  assert.ok(p, `no box for ${pid}`);
  return p;
};

/** The first and last points of an edge's path. */
function ends(e: PlacedEdge): [[number, number], [number, number]] {
  const nums = (e.d.match(/-?[\d.]+(?:e-?\d+)?/g) ?? []).map(Number);
  return [[nums[0], nums[1]], [nums[nums.length - 2], nums[nums.length - 1]]];
}

const onBorder = ([x, y]: [number, number], b: { x: number; y: number }): boolean => {
  const near = (a: number, c: number): boolean => Math.abs(a - c) < 1e-6;
  const inX = x >= b.x - 1e-6 && x <= b.x + NODE_W + 1e-6, inY = y >= b.y - 1e-6 && y <= b.y + NODE_H + 1e-6;
  return (inX && (near(y, b.y) || near(y, b.y + NODE_H))) || (inY && (near(x, b.x) || near(x, b.x + NODE_W)));
};

/** The invariants every layout keeps, whatever the graph. */
function checkLayout(l: GraphLayout): void {
  assert.equal(l.nodes.length, l.graph.nodes.length, 'a box per node');
  for (let i = 0; i < l.nodes.length; i++) {
    for (let j = i + 1; j < l.nodes.length; j++) {
      const a = l.nodes[i], b = l.nodes[j];
      const apart = a.x + NODE_W <= b.x || b.x + NODE_W <= a.x || a.y + NODE_H <= b.y || b.y + NODE_H <= a.y;
      assert.ok(apart, `boxes of ${a.node.pid} and ${b.node.pid} overlap`);
    }
  }
  for (const p of l.nodes) {
    assert.ok(p.x >= 0 && p.y >= 0 && p.x + NODE_W <= l.width && p.y + NODE_H <= l.height, `box of ${p.node.pid} outside the picture`);
    if (p.up !== undefined) {
      const up = l.byLane.get(p.up);
      assert.ok(up && up.y + NODE_H < p.y, `${p.node.pid} is not below the box it hangs from`);
      assert.ok(up.down.includes(p.node.lane));
    } else {
      assert.ok(l.roots.includes(p.node.lane), `${p.node.pid} hangs from nothing and is no root`);
      assert.equal(p.depth, 0);
    }
    assert.ok(p.siblings.includes(p.node.lane));
  }
  assert.equal(l.edges.length, l.graph.edges.length, 'every edge drawn');
  for (const e of l.edges) {
    const a = l.byLane.get(e.edge.from), b = l.byLane.get(e.edge.to);
    assert.ok(a && b);
    const [start, end] = ends(e);
    if (e.edge.kind === 'original-parent') {
      assert.ok(onBorder(start, a) && onBorder(end, b), `original-parent edge ${e.d} does not join its boxes`);
    } else {
      assert.deepEqual(start, [a.x + NODE_W / 2, a.y + NODE_H], `edge ${e.d} does not leave the bottom of ${a.node.pid}`);
      assert.deepEqual(end, [b.x + NODE_W / 2, b.y], `edge ${e.d} does not reach the top of ${b.node.pid}`);
      assert.equal(b.up, a.node.lane, 'a child or thread edge is the link the box hangs by');
    }
    assert.ok(e.x0 <= Math.min(start[0], end[0]) && e.x1 >= Math.max(start[0], end[0]) && e.y0 <= Math.min(start[1], end[1]) && e.y1 >= Math.max(start[1], end[1]));
  }
}

/** The point of an original-parent edge's curve (M x0,y0 Q cx,cy x1,y1) at t. */
function curveAt(e: PlacedEdge, t: number): [number, number] {
  const [x0, y0, cx, cy, x1, y1] = (e.d.match(/-?[\d.]+(?:e-?\d+)?/g) ?? []).map(Number);
  const u = 1 - t;
  return [u * u * x0 + 2 * u * t * cx + t * t * x1, u * u * y0 + 2 * u * t * cy + t * t * y1];
}

/**
 * The first parents' labels: each covers no box, stays in the picture, and sits by its own edge
 * (its middle near the curve) or, as a last resort, in the strip above the top row.
 */
function checkLabels(l: GraphLayout): Rect[] {
  const rects: Rect[] = [];
  const top = Math.min(...l.nodes.map((p) => p.y));
  for (const e of l.edges) {
    if (e.edge.kind !== 'original-parent') continue;
    const r = labelRect(EDGE_LABEL, e.lx, e.ly);
    assert.deepEqual(e.label, r, 'the label box is the one its text fills');
    for (const p of l.nodes) {
      assert.ok(!overlaps(r, { x: p.x, y: p.y, w: NODE_W, h: NODE_H }), `the label of ${pidOf(l, e.edge.from)}->${pidOf(l, e.edge.to)} covers the box of ${p.node.pid}`);
    }
    assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= l.width && r.y + r.h <= l.height, `label ${JSON.stringify(r)} outside the picture ${l.width}x${l.height}`);
    assert.ok(e.x0 <= r.x && e.y0 <= r.y && e.x1 >= r.x + r.w && e.y1 >= r.y + r.h, 'the edge\'s bounds hold its label (drawn when in view)');
    const mx = r.x + r.w / 2, my = r.y + r.h / 2;
    let near = Infinity;
    for (let t = 0; t <= 1; t += 0.05) { const [x, y] = curveAt(e, t); near = Math.min(near, Math.hypot(x - mx, y - my)); }
    assert.ok(near <= 110 || r.y + r.h <= top, `the label of ${pidOf(l, e.edge.from)}->${pidOf(l, e.edge.to)} is ${near.toFixed(0)} pixels from its edge`);
    // Moved off its curve, a label is tied to it by a line from a point of the curve to the label's border.
    if (e.leader) {
      const [ax, ay, bx, by] = (e.leader.match(/-?[\d.]+/g) ?? []).map(Number);
      let gap = Infinity;
      for (let t = 0; t <= 1; t += 0.005) { const [x, y] = curveAt(e, t); gap = Math.min(gap, Math.hypot(x - ax, y - ay)); }
      assert.ok(gap < 1, `the leader starts ${gap} pixels off the curve`);
      const inX = bx >= r.x - 0.1 && bx <= r.x + r.w + 0.1, inY = by >= r.y - 0.1 && by <= r.y + r.h + 0.1;
      const onEdge = Math.min(Math.abs(bx - r.x), Math.abs(bx - r.x - r.w), Math.abs(by - r.y), Math.abs(by - r.y - r.h)) < 0.1;
      assert.ok(inX && inY && onEdge, `the leader ends at ${bx},${by}, not on the label's border ${JSON.stringify(r)}`);
    }
    rects.push(r);
  }
  return rects;
}

describe('process tree view layout', () => {
  it('the tree now: init over main and the reparented 5, its thread under it, the reaped 4 gone', () => {
    const l = layoutGraph(processTreeAt(model));
    checkLayout(l);
    assert.deepEqual(l.nodes.map((p) => p.node.pid).sort(), [1, 2, 3, 5, 6]);
    assert.equal(pidOf(l, byPid(l, 3).up), 1);
    assert.equal(pidOf(l, byPid(l, 5).up), 1, 'the orphan hangs from init, its new parent');
    const thread = byPid(l, 6);
    assert.ok(thread.node.thread);
    assert.equal(pidOf(l, thread.up), 5, 'the thread hangs from its leader');
    assert.ok(byPid(l, 1).y < byPid(l, 3).y && byPid(l, 5).y < thread.y);
    assert.deepEqual(l.roots.map((lane) => pidOf(l, lane)), [1, 2], 'init and kthreadd side by side under the invisible root');
    assert.equal(byPid(l, 1).y, byPid(l, 2).y);
    assert.ok(!l.edges.some((e) => e.edge.kind === 'original-parent'), 'no first-parent edge in the tree of a moment');
  });

  it('the history keeps the reaped 4 and its dashed edge to the child it had before the reparenting', () => {
    const l = layoutGraph(processTreeHistory(model));
    checkLayout(l);
    assert.equal(byPid(l, 4).node.state, 'reaped');
    assert.equal(pidOf(l, byPid(l, 4).up), 3);
    const first = l.edges.filter((e) => e.edge.kind === 'original-parent');
    assert.deepEqual(first.map((e) => [pidOf(l, e.edge.from), pidOf(l, e.edge.to)]), [[4, 5]]);
    assert.equal(pidOf(l, byPid(l, 5).up), 1, 'the tree still hangs it from its parent now');
    assert.equal(l.firstParent.get(byPid(l, 5).node.lane), byPid(l, 4).node.lane);
    assert.equal(checkLabels(l).length, 1);
  });

  it('a first parent beside its reparented child: the label leaves the row of boxes instead of covering both', () => {
    // 10 forked 11 and 12; 11 forked 13 and died; 13 went to 10 (a subreaper) and stands beside 11.
    const n = (lane: number, state: NodeState): GraphNode => ({ lane, pid: lane + 10, tgid: lane + 10, comm: 'x', thread: false, kthread: false, state });
    const g: ProcessGraph = {
      time: 0, step: 0, history: true, nodes: [n(0, 'sleeping'), n(1, 'reaped'), n(2, 'running'), n(3, 'sleeping')],
      edges: [{ from: 0, to: 1, kind: 'child' }, { from: 0, to: 2, kind: 'child' }, { from: 0, to: 3, kind: 'child' }, { from: 1, to: 3, kind: 'original-parent' }],
    };
    const l = layoutGraph(g);
    checkLayout(l);
    const [r] = checkLabels(l);
    const row = byPid(l, 11).y;
    assert.equal(byPid(l, 13).y, row, 'first parent and child on one row');
    // The curve's middle is inside the row: the words cannot stay there.
    const [, my] = curveAt(l.edges.find((e) => e.edge.kind === 'original-parent') as PlacedEdge, 0.5);
    assert.ok(my > row && my < row + NODE_H);
    assert.ok(r.y + r.h <= row || r.y >= row + NODE_H, `label ${JSON.stringify(r)} in the row at ${row}`);
    assert.ok(l.edges.find((e) => e.edge.kind === 'original-parent')?.leader, 'off its curve, the label has a line to it');
  });

  it('the tree before the reparenting: 5 under 4, which is alive', () => {
    const l = layoutGraph(processTreeAt(model, { time: 4000, step: 35 }));
    checkLayout(l);
    assert.equal(pidOf(l, byPid(l, 5).up), 4);
    assert.equal(byPid(l, 4).node.state, 'alive');
  });

  it('says for each box what it is, its parent, and where Enter goes', () => {
    const h = layoutGraph(processTreeHistory(model));
    const five = byPid(h, 5);
    assert.equal(nodeText(h, five, model.lanes[five.node.lane].bornStep), 'task 5 main, alive, parent 1, parent until reparented 4, forked at step 20');
    assert.equal(nodeText(h, byPid(h, 4), 10), 'task 4 main, reaped, parent 3, forked at step 10');
    assert.equal(nodeText(h, byPid(h, 6), 30), 'task 6 main, alive, thread of 5, forked at step 30');
    assert.equal(nodeText(h, byPid(h, 2), undefined), 'task 2 [kthreadd] (kernel thread), alive, there from the start');
    assert.equal(graphHeading(h.graph, h.nodes.length), 'Process tree history up to step 80 (0.009 ms): 6 tasks');
    assert.equal(graphHeading(processTreeAt(model), 5), 'Process tree at step 80 (0.009 ms): 5 tasks');
  });

  it('the viewport holds only the boxes and edges that meet it', () => {
    const l = layoutGraph(processTreeHistory(model));
    const all = visibleIn(l, 0, 0, l.width, l.height);
    assert.equal(all.nodes.length, l.nodes.length);
    assert.equal(all.edges.length, l.edges.length);
    const init = byPid(l, 1);
    const corner = visibleIn(l, init.x, init.y, init.x + 1, init.y + 1);
    assert.deepEqual(corner.nodes.map((p) => p.node.pid), [1]);
    assert.deepEqual(visibleIn(l, -1000, -1000, -900, -900).nodes, []);
  });

  it('a loop of parents (a malformed graph) lays out under the root instead of hanging', () => {
    const n = (lane: number): GraphNode => ({ lane, pid: lane + 10, tgid: lane + 10, comm: 'x', thread: false, kthread: false, state: 'alive' });
    const g: ProcessGraph = { time: 0, step: 0, history: false, nodes: [n(0), n(1), n(2)], edges: [{ from: 0, to: 1, kind: 'child' }, { from: 1, to: 0, kind: 'child' }, { from: 1, to: 2, kind: 'child' }] };
    const l = layoutGraph(g);
    assert.equal(l.nodes.length, 3);
    assert.deepEqual(l.roots.map((lane) => pidOf(l, lane)), [10, 11]);
    assert.equal(pidOf(l, byPid(l, 12).up), 11);
  });

  it('exports the whole tree as SVG: well-formed XML, a box per task, the reaped one dashed and faded', () => {
    const l = layoutGraph(processTreeHistory(model));
    const text = graphSvg(l, DEFAULT_PALETTE);
    const groups: Array<Record<string, string>> = [];
    let root = '';
    const parser = sax.parser(true, {});
    parser.onopentag = (t) => {
      root ||= t.name;
      if (t.name === 'g' && (t.attributes as Record<string, string>).class === 'node') groups.push(t.attributes as Record<string, string>);
    };
    parser.write(text).close();
    assert.equal(root, 'svg');
    assert.deepEqual(groups.map((g) => Number(g['data-pid'])).sort(), [1, 2, 3, 4, 5, 6]);
    const reaped = groups.find((g) => g['data-pid'] === '4');
    assert.ok(reaped?.['stroke-dasharray'] && reaped.opacity, 'the reaped task is dashed and faded');
    assert.ok(!groups.find((g) => g['data-pid'] === '5')?.opacity);
    assert.match(text, /class="edge original-parent"[^>]*stroke-dasharray/);
    assert.match(text, /parent until reparented/);
    assert.match(text, /\[kthreadd\]/, 'a kernel thread in brackets');
    const { w, h } = graphSvgSize(l);
    assert.ok(text.startsWith(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"`));
  });

  it('the PNG is drawn at twice the size, less when that would pass a canvas\'s limits', () => {
    assert.equal(pngScale(800, 400), 2);
    const wide = pngScale(1_600_000, 1_100);
    assert.ok(1_600_000 * wide <= 16_000 + 1e-6);
    const big = pngScale(12_000, 12_000);
    assert.ok(12_000 * big * 12_000 * big <= 100e6 + 1);
  });

  it('random forests: no overlap, parents above children, edges joining their boxes', () => {
    const states: NodeState[] = ['running', 'sleeping', 'zombie', 'reaped', 'alive'];
    const forest = fc.array(fc.record({ parent: fc.nat(), hasParent: fc.boolean(), thread: fc.boolean(), state: fc.constantFrom(...states), first: fc.option(fc.nat()) }), { minLength: 1, maxLength: 60 });
    fc.assert(fc.property(forest, fc.boolean(), (spec, history) => {
      const nodes: GraphNode[] = spec.map((s, i) => ({ lane: i, pid: 100 + i, tgid: 100 + i, comm: `t${i}`, thread: false, kthread: false, state: s.state }));
      const edges: GraphEdge[] = [];
      spec.forEach((s, i) => {
        if (i === 0 || !s.hasParent) return;
        const p = s.parent % i;
        const thread = s.thread && !nodes[p].thread;
        if (thread) { nodes[i].thread = true; nodes[i].tgid = nodes[p].pid; }
        edges.push({ from: p, to: i, kind: thread ? 'thread' : 'child' });
        if (history && !thread && s.first !== null && s.first % i !== p) edges.push({ from: s.first % i, to: i, kind: 'original-parent' });
      });
      const l = layoutGraph({ time: 0, step: 0, history, nodes, edges });
      checkLayout(l);
      checkLabels(l);
      for (const e of edges) if (e.kind !== 'original-parent') assert.equal(l.byLane.get(e.to)?.up, e.from);
      const roots = spec.map((s, i) => (i === 0 || !s.hasParent ? i : -1)).filter((i) => i >= 0);
      assert.deepEqual([...l.roots].sort((a, b) => a - b), roots);
      // A leader's threads come first among what hangs from it.
      for (const p of l.nodes) {
        const kinds = p.down.map((lane) => (l.byLane.get(lane)?.node.thread ? 0 : 1));
        assert.deepEqual(kinds, [...kinds].sort());
      }
    }), { numRuns: 150 });
  });

  describe('the window onto the tree', () => {
    const size = { w: 800, h: 500 };
    const wide = { width: 20_000, height: 900 };
    const inView = (p: Port, x: number, y: number, w: number, h: number): boolean => x >= p.x && y >= p.y && x + w <= p.x + size.w / p.k && y + h <= p.y + size.h / p.k;

    it('Fit shows the whole tree, centred, and never enlarges a small one past 1.25', () => {
      const big = fitPort(wide, size);
      assert.ok(inView(big, 0, 0, wide.width, wide.height));
      assert.ok(Math.abs(big.k - size.w / wide.width) < 1e-9);
      const small = fitPort({ width: 200, height: 100 }, size);
      assert.equal(small.k, 1.25);
      assert.ok(inView(small, 0, 0, 200, 100));
    });

    it('zooms about the pointer, within bounds', () => {
      const p = { x: 5000, y: 0, k: 1 };
      const z = zoomPort(p, 2, 300, 200, wide, size);
      assert.equal(z.k, 2);
      assert.ok(Math.abs((p.x + 300 / p.k) - (z.x + 300 / z.k)) < 1e-9 && Math.abs((p.y + 200 / p.k) - (z.y + 200 / z.k)) < 1e-9, 'the point under the pointer stays');
      assert.equal(zoomPort(p, 100, 0, 0, wide, size).k, MAX_SCALE);
      const out = zoomPort(p, 1e-6, 0, 0, wide, size);
      assert.ok(out.k > 0 && out.k >= Math.min(size.w / wide.width, 1) / 2 - 1e-12);
    });

    it('panning far keeps part of the tree in view; reveal brings a box into view', () => {
      fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('pan', 'zoom'), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }))), (ops) => {
        let p = fitPort(wide, size);
        for (const [op, a, b] of ops) p = op === 'pan' ? panPort(p, a, b, wide, size) : zoomPort(p, Math.exp(a / 1e6), Math.abs(b) % size.w, 100, wide, size);
        const vw = size.w / p.k, vh = size.h / p.k;
        assert.ok(p.x < wide.width && p.x + vw > 0 && p.y < wide.height && p.y + vh > 0, JSON.stringify(p));
        assert.ok(p.k <= MAX_SCALE);
      }));
      const p = clampPort({ x: 0, y: 0, k: 1 }, wide, size);
      const r = revealBox(p, 15_000, 800, wide, size);
      assert.ok(inView(r, 15_000, 800, NODE_W, NODE_H));
      assert.equal(revealBox(r, 15_000, 800, wide, size), r, 'a box in view moves nothing');
    });
  });
});
