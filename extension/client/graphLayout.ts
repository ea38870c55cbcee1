// The process tree's layout for the timeline panel's tree view: the ProcessGraph of a moment
// (sim-core/viz/graph.ts) placed top-down as a tidy tree by d3-hierarchy, each task a box of one
// size, threads hung from their leader, the tasks without a shown parent under one invisible root,
// and each edge as an SVG path. Pure: no DOM, so the tests and the export share it with the page.
import { hierarchy, tree, type HierarchyPointNode } from 'd3-hierarchy';
import type { GraphEdge, GraphNode, NodeState, ProcessGraph } from '../../sim-core/viz/graph';
import { BoxIndex, EDGE_LABEL, LabelGrid, placeLabel, type Rect } from './graphLabels';

export const NODE_W = 150;
export const NODE_H = 38;
/** Horizontal room between two neighbouring boxes, and the distance from one level to the next. */
export const GAP_X = 16;
export const LEVEL_H = 84;
export const MARGIN = 24;

export interface PlacedNode {
  node: GraphNode;
  /** Top-left corner of its box (layout pixels). */
  x: number;
  y: number;
  /** Depth in the tree (0 for a root). */
  depth: number;
  /** Lane of the box above it (its parent, or its leader for a thread); undefined for a root. */
  up?: number;
  /** Lanes of the boxes hung from it, left to right. */
  down: number[];
  /** Lanes of the boxes beside it under the same box above (the roots among themselves), itself included. */
  siblings: number[];
}

export interface PlacedEdge {
  edge: GraphEdge;
  /** SVG path data from the upper box to the lower one (or, for an original-parent edge, between any two). */
  d: string;
  /** Bounding box of the path, for drawing only what is in view. */
  x0: number; y0: number; x1: number; y1: number;
  /** Where its label goes (original-parent edges carry one): the middle of its baseline, and the box its words fill. */
  lx: number; ly: number;
  label?: Rect;
  /** A line from the edge to its label, when the label had to move off the edge to clear the boxes. */
  leader?: string;
}

export interface GraphLayout {
  graph: ProcessGraph;
  nodes: PlacedNode[];
  byLane: Map<number, PlacedNode>;
  edges: PlacedEdge[];
  /** The roots, left to right. */
  roots: number[];
  /** History: each reparented task's lane to its first parent's. */
  firstParent: Map<number, number>;
  width: number;
  height: number;
}

interface Item { node?: GraphNode; kids: Item[] }

/** Which box each node hangs from: a thread from its leader, a process from its parent at the moment. */
function upOf(g: ProcessGraph): Map<number, number> {
  const up = new Map<number, number>();
  for (const e of g.edges) if (e.kind !== 'original-parent' && !up.has(e.to)) up.set(e.to, e.from);
  return up;
}

/** A tidy tree of the graph: d3-hierarchy's Reingold-Tilford layout with a fixed box size. */
export function layoutGraph(g: ProcessGraph): GraphLayout {
  const up = upOf(g);
  const items = new Map<number, Item>();
  for (const n of g.nodes) items.set(n.lane, { node: n, kids: [] });
  const top: Item = { kids: [] };
  const looped = inCycles(up, g.nodes.map((n) => n.lane));
  for (const n of g.nodes) {
    const p = up.get(n.lane);
    const parent = p !== undefined && !looped.has(n.lane) ? items.get(p) : undefined;
    (parent ?? top).kids.push(items.get(n.lane) as Item);
  }
  // Threads first under their leader (they share its process), then the children by birth.
  const order = (a: Item, b: Item): number => Number(b.node?.thread) - Number(a.node?.thread) || (a.node?.lane ?? 0) - (b.node?.lane ?? 0);
  for (const it of items.values()) it.kids.sort(order);
  top.kids.sort(order);
  const root = hierarchy<Item>(top, (d) => d.kids);
  const placed = tree<Item>().nodeSize([NODE_W + GAP_X, LEVEL_H]).separation((a, b) => (a.parent === b.parent ? 1 : 1.15))(root);
  const real = placed.descendants().filter((d) => d.data.node);
  let minX = Infinity;
  for (const d of real) minX = Math.min(minX, d.x);
  const nodes: PlacedNode[] = [];
  const byLane = new Map<number, PlacedNode>();
  let width = 0, height = 0;
  // One list of lanes per parent, shared by its children (a root among thousands must not copy them all).
  const kids = new Map<HierarchyPointNode<Item>, number[]>();
  const kidsOnce = (d: HierarchyPointNode<Item>): number[] => {
    let k = kids.get(d);
    if (!k) kids.set(d, (k = kidsOf(d)));
    return k;
  };
  for (const d of real) {
    const node = d.data.node as GraphNode;
    const x = d.x - minX + MARGIN;
    const y = (d.depth - 1) * LEVEL_H + MARGIN;
    const p: PlacedNode = { node, x, y, depth: d.depth - 1, up: d.parent?.data.node?.lane, down: kidsOnce(d), siblings: d.parent ? kidsOnce(d.parent) : [] };
    nodes.push(p);
    byLane.set(node.lane, p);
    width = Math.max(width, x + NODE_W + MARGIN);
    height = Math.max(height, y + NODE_H + MARGIN);
  }
  width = Math.max(width, 2 * MARGIN);
  height = Math.max(height, 2 * MARGIN);
  const edges: PlacedEdge[] = [];
  const firstParent = new Map<number, number>();
  // The first parents' labels go where they cover no box (the tree's boxes are all placed by now).
  let boxes: BoxIndex | undefined;
  const labels = new LabelGrid();
  const topRow = nodes.reduce((m, p) => Math.min(m, p.y), MARGIN);
  for (const e of g.edges) {
    const a = byLane.get(e.from), b = byLane.get(e.to);
    if (e.kind === 'original-parent') firstParent.set(e.to, e.from);
    if (!a || !b) continue;
    const pe = edgePath(e, a, b);
    if (pe.curve) {
      boxes ??= new BoxIndex(nodes, NODE_W, NODE_H);
      const at = placeLabel(EDGE_LABEL, pe.curve, boxes, labels, width, height, topRow);
      pe.lx = at.x; pe.ly = at.y; pe.label = at.rect;
      if (at.leader) pe.leader = at.leader;
      // The edge's bounds hold its label too: it is drawn whenever either is in view.
      pe.x0 = Math.min(pe.x0, at.rect.x); pe.y0 = Math.min(pe.y0, at.rect.y);
      pe.x1 = Math.max(pe.x1, at.rect.x + at.rect.w); pe.y1 = Math.max(pe.y1, at.rect.y + at.rect.h);
    }
    delete pe.curve;
    edges.push(pe);
  }
  return { graph: g, nodes, byLane, edges, firstParent, roots: kidsOnce(placed), width, height };
}

function kidsOf(d: HierarchyPointNode<Item>): number[] {
  return (d.children ?? []).map((c) => (c.data.node as GraphNode).lane);
}

/** The lanes on a loop of up links (a malformed graph): they go under the root, in one pass over the links. */
function inCycles(up: Map<number, number>, lanes: number[]): Set<number> {
  const state = new Map<number, 1 | 2>();
  const looped = new Set<number>();
  for (const start of lanes) {
    const path: number[] = [];
    let p: number | undefined = start;
    while (p !== undefined && !state.has(p)) { state.set(p, 1); path.push(p); p = up.get(p); }
    if (p !== undefined && state.get(p) === 1) for (let i = path.indexOf(p); i < path.length; i++) looped.add(path[i]);
    for (const q of path) state.set(q, 2);
  }
  return looped;
}

/** A child edge runs from the bottom of the upper box to the top of the lower one; an original-parent edge bows out to the side. */
function edgePath(edge: GraphEdge, a: PlacedNode, b: PlacedNode): PlacedEdge & { curve?: (t: number) => [number, number] } {
  if (edge.kind !== 'original-parent') {
    const x0 = a.x + NODE_W / 2, y0 = a.y + NODE_H, x1 = b.x + NODE_W / 2, y1 = b.y;
    const my = (y0 + y1) / 2;
    return { edge, d: `M${x0},${y0}C${x0},${my} ${x1},${my} ${x1},${y1}`, ...box(x0, y0, x1, y1), lx: (x0 + x1) / 2, ly: my };
  }
  // From the side of the first parent to the side of the child, bowing away from the tree's edges.
  const right = b.x >= a.x;
  const x0 = right ? a.x + NODE_W : a.x, y0 = a.y + NODE_H / 2;
  const x1 = right ? b.x : b.x + NODE_W, y1 = b.y + NODE_H / 2;
  const bow = Math.max(30, Math.abs(x1 - x0) / 4);
  const cx = (x0 + x1) / 2, cy = Math.min(y0, y1) - bow / 2;
  // The quadratic Bezier's point at t, where the label may go (placed once all edges are known).
  const curve = (t: number): [number, number] => {
    const u = 1 - t;
    return [u * u * x0 + 2 * u * t * cx + t * t * x1, u * u * y0 + 2 * u * t * cy + t * t * y1];
  };
  const [lx, ly] = curve(0.5);
  return { edge, d: `M${x0},${y0}Q${cx},${cy} ${x1},${y1}`, ...box(x0, y0, x1, y1, cy), lx, ly, curve };
}

function box(x0: number, y0: number, x1: number, y1: number, extraY?: number): { x0: number; y0: number; x1: number; y1: number } {
  const ys = extraY === undefined ? [y0, y1] : [y0, y1, extraY];
  return { x0: Math.min(x0, x1), y0: Math.min(...ys), x1: Math.max(x0, x1), y1: Math.max(...ys) };
}

// ---- the words ---------------------------------------------------------------------------------

export const STATE_WORDS: Record<NodeState, string> = {
  running: 'running', runnable: 'runnable', sleeping: 'sleeping', 'disk-sleep': 'uninterruptible sleep',
  stopped: 'stopped', zombie: 'zombie', alive: 'alive', reaped: 'reaped',
};

/** The box's first line: pid and name, a kernel thread's name in brackets as ps shows it. */
export function nodeTitle(n: GraphNode): string {
  return `${n.pid} ${n.kthread ? `[${n.comm}]` : n.comm}`;
}

/** The box's second line. */
export function nodeSubtitle(n: GraphNode): string {
  return n.thread ? `thread, ${STATE_WORDS[n.state]}` : STATE_WORDS[n.state];
}

/**
 * What a screen reader says and the hover shows for a box: "task 1235 child, zombie, parent
 * 1234", with the first parent of a reparented task and where a goto on it leads.
 */
export function nodeText(l: GraphLayout, p: PlacedNode, bornStep: number | undefined): string {
  const n = p.node;
  const parts = [`task ${n.pid} ${n.kthread ? `[${n.comm}] (kernel thread)` : n.comm}`];
  parts.push(STATE_WORDS[n.state]);
  const above = p.up !== undefined ? l.byLane.get(p.up)?.node : undefined;
  if (n.thread) parts.push(`thread of ${n.tgid}`);
  else if (above) parts.push(`parent ${above.pid}`);
  const firstLane = l.firstParent.get(n.lane);
  const first = firstLane !== undefined ? l.byLane.get(firstLane)?.node : undefined;
  if (first) parts.push(`parent until reparented ${first.pid}`);
  parts.push(bornStep === undefined ? 'there from the start' : `forked at step ${bornStep}`);
  return parts.join(', ');
}

/** The heading: the moment the tree stands for. */
export function graphHeading(g: ProcessGraph, tasks: number): string {
  const ms = (g.time / 1e6).toFixed(6).replace(/\.?0+$/, '');
  return `${g.history ? 'Process tree history up to' : 'Process tree at'} step ${g.step} (${ms} ms): ${tasks} task${tasks === 1 ? '' : 's'}`;
}

/** The nodes and edges whose boxes meet a rectangle of the layout (the visible part of the view). */
export function visibleIn(l: GraphLayout, x0: number, y0: number, x1: number, y1: number): { nodes: PlacedNode[]; edges: PlacedEdge[] } {
  const nodes = l.nodes.filter((p) => p.x + NODE_W >= x0 && p.x <= x1 && p.y + NODE_H >= y0 && p.y <= y1);
  const edges = l.edges.filter((e) => e.x1 >= x0 && e.x0 <= x1 && e.y1 >= y0 && e.y0 <= y1);
  return { nodes, edges };
}
