// The Process Timeline panel's tree view (the page's second script, dist/timelineLater.js): the
// tabs that switch between the timeline and the process tree, and the tree itself drawn as SVG
// elements, only those in view, each task a focusable box named for screen readers. Pan by
// scroll, drag or arrow keys, zoom with Ctrl+wheel or the toolbar; Enter or a click on a task
// travels to its fork. The view chosen, the now/history choice and whether the legend shows live
// in the webview's state.
/// <reference lib="dom" />
import { processTreeAt, processTreeHistory } from '../../sim-core/viz/graph';
import { EDGE_LABEL } from './graphLabels';
import { graphHeading, layoutGraph, NODE_H, NODE_W, nodeSubtitle, nodeText, nodeTitle, visibleIn, type GraphLayout, type PlacedNode } from './graphLayout';
import type { LegendView } from './graphLegendView';
import { fitText, graphSvg, graphSvgSize, svgToPng } from './graphSvg';
import { clampPort, fitPort, panPort, revealBox, zoomPort, type Port } from './graphViewport';
import { readPalette } from './timelineCanvas';
import type { TimelineModel } from './timelineTypes';
import type { VsCodeApi } from './pageState';

interface TreeState { view: 'timeline' | 'tree'; mode: 'now' | 'history'; x?: number; y?: number; k?: number; fitted?: boolean; focus?: number; legend?: boolean }

const SVG = 'http://www.w3.org/2000/svg';
/** Beyond this many boxes in view, the boxes are drawn as one path per state, without text. */
const MAX_BOXES = 500;
/** Keys the timeline's own handler takes (it listens on the document after the tree's). */
const TIMELINE_KEYS = new Set(['+', '=', '-', '_', '0', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'Escape']);

export interface GraphView {
  setModel(model: TimelineModel): void;
  /** Brings this view to the front. */
  show(view: 'timeline' | 'tree'): void;
  readonly active: boolean;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/**
 * Wires the tabs and builds the tree view into the page's frame for it; `api` is the page's
 * sharedState, `keep` has each of its saves keep the tree's state, and `legend` shows the key to
 * the view in front (the page wires its button and keeps whether it is open in the same state).
 */
export function createGraphView(api: VsCodeApi, status: HTMLElement, keep: (state: object) => void, legend: LegendView): GraphView {
  const initial = ((api.getState() ?? {}) as { tree?: Partial<TreeState> }).tree ?? {};
  const st: TreeState = { view: initial.view === 'tree' ? 'tree' : 'timeline', mode: initial.mode === 'history' ? 'history' : 'now', x: initial.x, y: initial.y, k: initial.k, fitted: initial.fitted ?? true, focus: initial.focus, legend: initial.legend !== false };
  keep(st);
  const save = (): void => api.setState(api.getState() ?? {});

  // ---- the tabs, the tree's bar and its viewport: in the page's markup (timelineMarkup.ts) ----
  const byId = <T extends Element>(id: string): T => {
    const e = document.getElementById(id);
    if (!e) throw new Error(`the timeline page has no #${id}`);
    return e as unknown as T;
  };
  const toolbar = byId<HTMLElement>('toolbar');
  const main = byId<HTMLElement>('main');
  const tabTimeline = byId<HTMLButtonElement>('tabTimeline');
  const tabTree = byId<HTMLButtonElement>('tabTree');
  const panel = byId<HTMLElement>('tree');
  const heading = byId<HTMLElement>('treeHeading');
  const nowBtn = byId<HTMLButtonElement>('treeNow');
  const histBtn = byId<HTMLButtonElement>('treeHistory');
  const port = byId<HTMLElement>('treeView');
  const canvas = byId<SVGSVGElement>('treeSvg');
  const layer = (cls: string): SVGGElement => {
    const g = canvas.querySelector<SVGGElement>(`g.${cls}`);
    if (!g) throw new Error(`the tree view has no ${cls} layer`);
    return g;
  };
  const edgeLayer = layer('edges');
  const bulk = layer('bulk');
  const nodeLayer = layer('nodes');
  const labelLayer = layer('edge-labels');
  const world = nodeLayer.parentNode as SVGGElement;
  const tip = byId<HTMLElement>('treeTip');

  let model: TimelineModel | undefined;
  const layouts: { now?: GraphLayout; history?: GraphLayout } = {};
  let size = { w: 1, h: 1 };
  let pending = 0;
  const nodeEls = new Map<number, SVGGElement>();
  const edgeEls = new Map<string, SVGElement>();
  const placedOf = new WeakMap<Element, PlacedNode>();

  const layout = (): GraphLayout | undefined => {
    if (!model) return undefined;
    const m = st.mode;
    layouts[m] ??= layoutGraph(m === 'now' ? processTreeAt(model) : processTreeHistory(model));
    return layouts[m];
  };

  function show(view: 'timeline' | 'tree'): void {
    st.view = view;
    const tree = view === 'tree';
    tabTimeline.setAttribute('aria-selected', String(!tree));
    tabTree.setAttribute('aria-selected', String(tree));
    tabTimeline.tabIndex = tree ? -1 : 0;
    tabTree.tabIndex = tree ? 0 : -1;
    main.hidden = tree;
    panel.hidden = !tree;
    legend.show(view);
    nowBtn.setAttribute('aria-pressed', String(st.mode === 'now'));
    histBtn.setAttribute('aria-pressed', String(st.mode === 'history'));
    save();
    if (tree) { measure(); updateHeading(); schedule(); }
  }

  function measure(): void {
    size = { w: Math.max(1, port.clientWidth), h: Math.max(1, port.clientHeight) };
    canvas.setAttribute('width', String(size.w));
    canvas.setAttribute('height', String(size.h));
  }

  // ---- the view: where the viewport's top-left corner is in the layout, and the scale ----
  const here = (): Port => ({ x: st.x ?? 0, y: st.y ?? 0, k: st.k ?? 1 });
  function setPort(p: Port, fitted: boolean): void {
    st.x = p.x; st.y = p.y; st.k = p.k; st.fitted = fitted;
    save(); schedule();
  }
  function fit(): void {
    const l = layout();
    if (l) setPort(fitPort(l, size), true);
  }
  function zoom(f: number, px = size.w / 2, py = size.h / 2): void {
    const l = layout();
    if (l) setPort(zoomPort(here(), f, px, py, l, size), false);
  }
  function pan(dx: number, dy: number): void {
    const l = layout();
    if (l) setPort(panPort(here(), dx, dy, l, size), false);
  }
  function reveal(p: PlacedNode): void {
    const l = layout();
    const now = here();
    const next = l ? revealBox(now, p.x, p.y, l, size) : now;
    if (next !== now) { st.x = next.x; st.y = next.y; st.fitted = false; save(); }
  }

  function schedule(): void {
    if (pending || st.view !== 'tree') return;
    pending = requestAnimationFrame(() => { pending = 0; draw(); });
  }

  // ---- drawing: only what is in view ----
  function draw(): void {
    const l = layout();
    if (!l || st.view !== 'tree') return;
    const v = st.k === undefined || st.fitted ? fitPort(l, size) : clampPort(here(), l, size);
    st.x = v.x; st.y = v.y; st.k = v.k;
    const { k, x, y } = v;
    world.setAttribute('transform', `scale(${k}) translate(${-x},${-y})`);
    const seen = visibleIn(l, x, y, x + size.w / k, y + size.h / k);
    const boxes = seen.nodes.length <= MAX_BOXES;
    const focusP = st.focus !== undefined ? l.byLane.get(st.focus) : undefined;
    const want = boxes ? seen.nodes : [];
    // The box Tab reaches (the focused task, else the first root) is always there, in view or not.
    const current = focusP ?? l.byLane.get(l.roots[0]);
    if (current && !want.includes(current)) want.push(current);
    syncNodes(l, want, current);
    syncEdges(boxes ? seen.edges : []);
    drawBulk(boxes ? undefined : l);
    port.dataset.boxes = String(want.length);
  }
  function syncNodes(l: GraphLayout, want: PlacedNode[], current: PlacedNode | undefined): void {
    const keep = new Set<number>();
    for (const p of want) {
      const lane = p.node.lane;
      keep.add(lane);
      let g = nodeEls.get(lane);
      if (!g || placedOf.get(g) !== p) {
        g?.remove();
        g = nodeEl(l, p);
        nodeEls.set(lane, g);
        nodeLayer.append(g);
      }
      g.setAttribute('tabindex', p === current ? '0' : '-1');
    }
    for (const [lane, g] of nodeEls) {
      if (keep.has(lane)) continue;
      if (g === document.activeElement) continue;
      g.remove();
      nodeEls.delete(lane);
    }
  }

  function nodeEl(l: GraphLayout, p: PlacedNode): SVGGElement {
    const n = p.node;
    const g = svg('g', {
      class: `node st-${n.state}${n.thread ? ' thread' : ''}${n.kthread ? ' kthread' : ''}`,
      role: 'treeitem', 'aria-level': String(p.depth + 1),
      // Only the boxes in view are in the DOM: each says where it stands among its siblings.
      'aria-posinset': String(p.siblings.indexOf(n.lane) + 1), 'aria-setsize': String(p.siblings.length),
      'aria-label': nodeText(l, p, model?.lanes[n.lane]?.bornStep),
      transform: `translate(${p.x},${p.y})`,
    });
    g.dataset.pid = String(n.pid);
    g.dataset.lane = String(n.lane);
    g.dataset.comm = n.comm;
    g.dataset.state = n.state;
    if (n.thread) g.dataset.thread = String(n.tgid);
    g.append(svg('rect', { width: String(NODE_W), height: String(NODE_H), rx: n.thread ? '14' : '3' }));
    const t1 = svg('text', { x: '8', y: '15', class: 'title' });
    t1.textContent = fitText(nodeTitle(n));
    const t2 = svg('text', { x: '8', y: '30' });
    t2.textContent = fitText(nodeSubtitle(n));
    g.append(t1, t2);
    placedOf.set(g, p);
    return g;
  }

  function syncEdges(edges: GraphLayout['edges']): void {
    const keep = new Set<string>();
    for (const e of edges) {
      // A first parent's label moves with the boxes around it: its place is part of the key.
      const key = `${e.edge.kind}:${e.edge.from}:${e.edge.to}:${e.d}${e.label ? `:${e.lx},${e.ly}` : ''}`;
      const labelled = e.edge.kind === 'original-parent';
      keep.add(key);
      if (labelled) keep.add(`${key}:label`);
      if (e.leader) keep.add(`${key}:leader`);
      if (edgeEls.has(key)) continue;
      const path = svg('path', { class: `edge ${e.edge.kind}`, d: e.d });
      edgeLayer.append(path);
      edgeEls.set(key, path);
      if (labelled) {
        const label = svg('text', { class: 'edge-label', x: String(e.lx), y: String(e.ly), 'text-anchor': 'middle' });
        label.textContent = EDGE_LABEL;
        labelLayer.append(label);
        edgeEls.set(`${key}:label`, label);
      }
      if (e.leader) {
        const leader = svg('path', { class: 'edge-leader', d: e.leader });
        edgeLayer.append(leader);
        edgeEls.set(`${key}:leader`, leader);
      }
    }
    for (const [key, e] of edgeEls) if (!keep.has(key)) { e.remove(); edgeEls.delete(key); }
  }

  /**
   * Zoomed far out: one path per state for all the boxes and one for the edges, a handful of
   * elements however many tasks, built once per layout (panning then only moves them).
   */
  let bulkOf: GraphLayout | undefined;
  function drawBulk(l: GraphLayout | undefined): void {
    if (bulkOf === l) return;
    bulkOf = l;
    bulk.replaceChildren();
    if (!l) return;
    const by = new Map<string, string[]>();
    for (const p of l.nodes) {
      let list = by.get(p.node.state);
      if (!list) by.set(p.node.state, (list = []));
      list.push(`M${p.x},${p.y}h${NODE_W}v${NODE_H}h${-NODE_W}z`);
    }
    bulk.append(svg('path', { class: 'edge', d: l.edges.filter((e) => e.edge.kind !== 'original-parent').map((e) => e.d).join('') }));
    for (const [state, parts] of by) bulk.append(svg('path', { class: `bulk-box st-${state}`, d: parts.join('') }));
  }

  // ---- interaction ----
  const placedAt = (t: EventTarget | null): PlacedNode | undefined => {
    const g = t instanceof Element ? t.closest('.node') : null;
    return g ? placedOf.get(g) : undefined;
  };

  function labelOf(p: PlacedNode): string {
    const l = layout();
    return l ? nodeText(l, p, model?.lanes[p.node.lane]?.bornStep) : '';
  }

  function travel(p: PlacedNode): void {
    const step = model?.lanes[p.node.lane]?.bornStep;
    const who = `task ${p.node.pid} ${p.node.comm}`;
    if (step === undefined) { status.textContent = `${who} was there from the start: it has no fork to go to.`; return; }
    status.textContent = `Going to step ${step}...`;
    api.postMessage({ type: 'goto', step, what: `the fork of ${who}` });
  }

  function focusLane(lane: number | undefined): void {
    const l = layout();
    const p = lane !== undefined ? l?.byLane.get(lane) : undefined;
    if (!p) return;
    st.focus = lane;
    reveal(p);
    save();
    draw();
    nodeEls.get(lane as number)?.focus({ preventScroll: true });
  }

  function showTip(p: PlacedNode): void {
    const k = st.k ?? 1;
    tip.textContent = labelOf(p);
    tip.hidden = false;
    const left = (p.x - (st.x ?? 0)) * k, top = (p.y + NODE_H - (st.y ?? 0)) * k + 4;
    tip.style.left = `${Math.min(Math.max(0, left), Math.max(0, size.w - tip.offsetWidth - 4))}px`;
    tip.style.top = `${Math.min(top, Math.max(0, size.h - tip.offsetHeight - 4))}px`;
  }

  nodeLayer.addEventListener('focusin', (e) => {
    const p = placedAt(e.target);
    if (!p) return;
    if (st.focus !== p.node.lane) { st.focus = p.node.lane; save(); }
    for (const [lane, g] of nodeEls) g.setAttribute('tabindex', lane === p.node.lane ? '0' : '-1');
    showTip(p);
  });
  nodeLayer.addEventListener('focusout', () => { tip.hidden = true; });
  canvas.addEventListener('pointermove', (e) => {
    if (drag) return;
    const p = placedAt(e.target);
    if (p) showTip(p); else tip.hidden = true;
  });
  canvas.addEventListener('pointerleave', () => { tip.hidden = true; });

  let drag: { x: number; y: number; moved: boolean } | undefined;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, moved: false };
  });
  window.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) <= 3) return;
    drag.moved = true;
    drag.x = e.clientX; drag.y = e.clientY;
    tip.hidden = true;
    pan(-dx, -dy);
  });
  window.addEventListener('pointerup', () => { setTimeout(() => { drag = undefined; }, 0); });
  canvas.addEventListener('click', (e) => {
    if (drag?.moved) return;
    const p = placedAt(e.target);
    if (!p) return;
    st.focus = p.node.lane;
    save();
    travel(p);
  });
  port.addEventListener('wheel', (e) => {
    e.preventDefault();
    const box = port.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey) zoom(Math.exp(-e.deltaY * 0.002), e.clientX - box.left, e.clientY - box.top);
    else if (e.shiftKey) pan(e.deltaY, 0);
    else pan(e.deltaX, e.deltaY);
  }, { passive: false });

  /** Keys for the tree, taken before the timeline's own handler sees them (it listens on the document too). */
  document.addEventListener('keydown', (e) => {
    if (e.target === tabTimeline || e.target === tabTree) {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') {
        const next = e.key === 'ArrowLeft' || e.key === 'Home' ? tabTimeline : tabTree;
        show(next === tabTree ? 'tree' : 'timeline');
        next.focus();
        e.preventDefault(); e.stopPropagation();
        return;
      }
    }
    if (st.view !== 'tree' || e.ctrlKey || e.metaKey || e.altKey) return;
    const p = placedAt(e.target);
    const l = layout();
    const sib = (d: number): number | undefined => (p ? p.siblings[p.siblings.indexOf(p.node.lane) + d] : undefined);
    const zoomKeys: Record<string, number> = { '+': 1.25, '=': 1.25, '-': 0.8, _: 0.8 };
    if (p && e.key === 'ArrowUp') focusLane(p.up);
    else if (p && e.key === 'ArrowDown') focusLane(p.down[0]);
    else if (p && e.key === 'ArrowLeft') focusLane(sib(-1));
    else if (p && e.key === 'ArrowRight') focusLane(sib(1));
    else if (p && e.key === 'Home') focusLane(l?.roots[0]);
    else if (p && (e.key === 'Enter' || e.key === ' ')) travel(p);
    else if (p && e.key === 'Escape') port.focus();
    else if (zoomKeys[e.key]) zoom(zoomKeys[e.key]);
    else if (e.key === '0') fit();
    else if (!p && e.target === port && e.key.startsWith('Arrow')) {
      const f = e.shiftKey ? 0.5 : 0.1;
      pan(e.key === 'ArrowRight' ? size.w * f : e.key === 'ArrowLeft' ? -size.w * f : 0, e.key === 'ArrowDown' ? size.h * f : e.key === 'ArrowUp' ? -size.h * f : 0);
    } else {
      // Keys the hidden timeline would act on stop here; the rest (F5, F10...) go on to the editor.
      if (TIMELINE_KEYS.has(e.key)) e.stopPropagation();
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  }, true);

  tabTimeline.addEventListener('click', () => show('timeline'));
  tabTree.addEventListener('click', () => show('tree'));
  const setMode = (m: 'now' | 'history'): void => { st.mode = m; clearNodes(); show('tree'); };
  nowBtn.addEventListener('click', () => setMode('now'));
  histBtn.addEventListener('click', () => setMode('history'));

  /** The toolbar's zoom and export buttons act on the tree while it is shown (taken before the timeline's handlers). */
  toolbar.addEventListener('click', (e) => {
    if (st.view !== 'tree' || !(e.target instanceof HTMLElement)) return;
    const id = e.target.closest('button')?.id;
    const acts: Record<string, () => void> = {
      fit, zoomIn: () => zoom(1.25), zoomOut: () => zoom(0.8),
      exportSvg: () => exportTree('svg'), exportPng: () => exportTree('png'),
    };
    if (!id || !acts[id]) return;
    e.stopPropagation();
    acts[id]();
  }, true);

  function exportTree(format: 'svg' | 'png'): void {
    const l = layout();
    if (!l) { status.textContent = 'No tree to export yet.'; return; }
    const text = graphSvg(l, readPalette());
    if (format === 'svg') { api.postMessage({ type: 'export', format, view: 'tree', data: text }); return; }
    const { w, h } = graphSvgSize(l);
    svgToPng(text, w, h).then(
      (data) => api.postMessage({ type: 'export', format, view: 'tree', data }),
      (e: unknown) => { status.textContent = `The PNG could not be drawn: ${e instanceof Error ? e.message : String(e)}`; },
    );
  }

  new ResizeObserver(() => { if (st.view === 'tree') { measure(); schedule(); } }).observe(port);

  function setModel(m: TimelineModel): void {
    const had = document.activeElement instanceof Element && nodeLayer.contains(document.activeElement);
    model = m;
    layouts.now = layouts.history = undefined;
    clearNodes();
    // Laid out only while the tree is shown (a stop with the timeline in front costs nothing here).
    if (st.view === 'tree') { updateHeading(); draw(); if (had) focusLane(st.focus); }
  }

  function clearNodes(): void {
    nodeEls.forEach((g) => g.remove());
    nodeEls.clear();
  }

  function updateHeading(): void {
    const l = layout();
    heading.textContent = l ? graphHeading(l.graph, l.nodes.length) : 'Process tree: waiting for a stop';
  }

  const view: GraphView = { setModel, show, get active() { return st.view === 'tree'; } };
  (window as unknown as { kprocTree: unknown }).kprocTree = {
    setModel(m: TimelineModel): number { const t0 = performance.now(); setModel(m); show('tree'); draw(); return performance.now() - t0; },
    drawNow(): number { const t0 = performance.now(); draw(); return performance.now() - t0; },
  };
  show(st.view);
  return view;
}
