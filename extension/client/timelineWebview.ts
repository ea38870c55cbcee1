// The Process Timeline webview's script (bundled for the browser into dist/timelineWebview.js):
// keeps the model and the window shown, draws it on the canvas (timelinePainter.ts), keeps
// focusable, labelled elements for the visible lanes and marks, and handles zoom, pan, hover,
// keyboard navigation and clicks (to travel); the tree view and the export load later.
/// <reference lib="dom" />
import {
  clampView, fitView, glyphAt, indexTimeline, neighbourMark, panView, revealMark, xToTime, zoomView,
  type Geometry, type Glyph, type TimelineIndex, type View,
} from './timelineLayout';
import { readPalette } from './timelineCanvas';
import { glyphOf, TimelinePainter } from './timelinePainter';
import { AXIS, keyOf, MarkButtons, ROW, RowLabels } from './timelineElements';
import type { TimelineDelta } from './timelineDelta';
import { applyToIndex } from './timelineIncremental';
import { SharedStrings } from './timelineCompact';
import { clusterText, DEFAULT_PALETTE, describePoint, formatTime, markText, type Palette } from './timelineText';
import type { Mark, TimelineModel } from './timelineTypes';
import { initialModel, LaterScript } from './timelineBoot';
import { FIRST_FRAME_ID, FIRST_ROWS } from './timelinePage';
import { sharedState, type Later, type PageHost } from './pageState';
import { createLegend } from './graphLegendView';
import { MarkSettle } from './timelineSettle';

interface VsCodeApi { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

interface Saved { view?: View; fitted?: boolean; focus?: string }
/**
 * A model whole, or what changed since the one numbered `base` (the page asks for a whole one
 * with 'resync' when it does not hold that one: a message lost, or the page reloaded).
 */
type Incoming =
  | { type: 'model'; model: TimelineModel; version?: number }
  | { type: 'delta'; delta: TimelineDelta; base: number; version: number }
  | { type: 'status'; text: string } | { type: 'empty'; text: string };

const vscode = sharedState(acquireVsCodeApi()); // the tree view keeps its part of the saved state
/** This script's element: its nonce, and the address of the page's second script (data-later). */
const pageScript = document.currentScript as HTMLScriptElement | null;

const initial = initialModel();
// Ready before the page is built, saying which model the page holds: the panel's answer (what
// changed since, or the model, asked of the debug adapter) is on its way while the rest of this
// script runs, and arrives as a message after it.
vscode.postMessage({ type: 'ready', holds: initial?.version ?? -1 });
/**
 * When the page said it was ready, had its first picture in place (the first frame written into
 * the page, or its canvas drawn) and the browser painted that, and when the canvas' first frame
 * was painted (ms since the epoch), for the tests' figures.
 */
const now = (): number => performance.timeOrigin + performance.now();
const readyAt = now();
let firstDrawnAt: number | undefined;
let firstPaintAt: number | undefined;
let canvasPaintAt: number | undefined;
/** Runs `f` once the browser has painted the next frame (a message posted from the frame's animation callback is handled after its paint). */
const afterPaint = (f: () => void): void => {
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = f;
    ch.port2.postMessage(0);
  });
};
const LABELS = 160;

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the timeline page has no #${id}`);
  return e as T;
};
const saved = (vscode.getState() ?? {}) as Saved;
const plot = $<HTMLDivElement>('plot');
const canvas = $<HTMLCanvasElement>('canvas');
const labels = $<HTMLDivElement>('labels');
const marksLayer = $<HTMLDivElement>('marks');
const tip = $<HTMLDivElement>('tip');
const status = $<HTMLSpanElement>('status');
const rowLabels = new RowLabels(labels);
const marks = new MarkButtons(marksLayer);

const later = new LaterScript(pageScript, status);
/** The legend strip, open unless it was closed (kept with the tree's state, where the tree view keeps it too). */
const legend = createLegend(vscode.tree().legend !== false, (open) => { vscode.tree().legend = open; save(); });
(window as unknown as { kprocPage: PageHost }).kprocPage = {
  api: vscode, status, legend, keepTree: vscode.keepTree,
  loaded(l: Later): void {
    later.later = l;
    if (later.treeAsked) l.tree.show('tree');
    if (index) l.tree.setModel(index.model);
    if (later.exportAsked) exportPicture(later.exportAsked);
  },
};
$('tabTree').addEventListener('click', () => { if (!later.later) { later.treeAsked = true; later.load(); } });
if (vscode.tree().view === 'tree') later.load();

let index: TimelineIndex | undefined;
let view: View | undefined = saved.view;
let fitted = saved.fitted ?? true;
let focusKey: string | undefined = saved.focus;
let palette: Palette = DEFAULT_PALETTE;
/** Glyphs drawn in the last frame, by row: what hover, click and the mark elements use. */
let drawn = new Map<number, Glyph[]>();
let pending = 0;


/** Where the canvas is on the page, measured again after a resize (a frame's writes would make reading it lay out the page). */
let box: DOMRect | undefined;
/** The plot's size, measured when it changes (reading it in a frame would force a layout). */
let geo: Geometry = measure();

function measure(): Geometry {
  box = undefined;
  return { width: Math.max(1, plot.clientWidth), height: Math.max(1, plot.clientHeight - AXIS), rowHeight: ROW };
}

function canvasBox(): DOMRect {
  box ??= canvas.getBoundingClientRect();
  return box;
}
window.addEventListener('resize', () => { box = undefined; });

function geometry(): Geometry {
  return geo;
}

function save(): void {
  vscode.setState({ view, fitted, focus: focusKey } satisfies Saved);
}

function setView(v: View): void {
  if (!index) return;
  view = clampView(v, index.model, geometry(), index.rows.length);
  save();
  schedule();
}

function schedule(): void {
  if (pending) return;
  pending = requestAnimationFrame(() => { pending = 0; draw(); });
}

// ---- drawing ----------------------------------------------------------------------------------

const painter = new TimelinePainter(canvas);

function draw(): void {
  const f = painter.paint(index, view, geo, palette, currentMark());
  drawn = f?.drawn ?? new Map();
  if (!f || !index) { rowLabels.clear(); marks.clear(); return; }
  rowLabels.sync(index, f.first, f.end, f.yOf);
  lastYOf = f.yOf;
  if (settle.settling()) return;
  marksLayer.hidden = false;
  marks.sync(drawn, currentMark(), selectedGlyph(), f.yOf);
}

/** The frame's rows' tops, kept for the mark buttons placed after it (they come back a slice at a time once a move has rested). */
let lastYOf: (row: number) => number = (row) => row;
const settle = new MarkSettle(marksLayer, (n) => marks.sync(drawn, currentMark(), selectedGlyph(), lastYOf, n), () => index !== undefined && view !== undefined);

/** Where the selected mark is drawn: its glyph (alone or in a cluster) and that glyph's row. */
function selectedGlyph(): { row: number; glyph: Glyph } | undefined {
  return index && glyphOf(index, drawn, currentMark());
}

marksLayer.addEventListener('click', (e) => {
  const w = marks.slotOf(e.target);
  if (!w) return;
  e.stopPropagation();
  if (w.holds || w.glyph.count === 1) goto(w.mark.step, markText(w.mark)); else activate(w.glyph);
});
marksLayer.addEventListener('focusin', (e) => {
  const w = marks.slotOf(e.target);
  if (!w) return;
  if (!w.holds) select(w.glyph.first);
  showTip(w.text, w.glyph.x, w.y);
});
marksLayer.addEventListener('focusout', () => hideTip());

const markTipText = (gl: Glyph): string => (gl.count === 1 ? markText(gl.first) : clusterText(gl.first, gl.count, gl.kinds));

// ---- interaction ------------------------------------------------------------------------------

/** A mark travels to its step; a cluster zooms in around it instead. */
function activate(gl: Glyph): void {
  if (!view) return;
  if (gl.count > 1) { fitted = false; setView(zoomView(view, 4, gl.x, geometry().width)); return; }
  goto(gl.first.step, markText(gl.first));
}

function goto(step: number, what: string): void {
  status.textContent = `Going to step ${step}...`;
  vscode.postMessage({ type: 'goto', step, what });
}

function showTip(text: string, x: number, y: number): void {
  tip.textContent = text;
  tip.hidden = false;
  const w = plot.clientWidth;
  tip.style.left = `${Math.min(Math.max(0, x + 10), Math.max(0, w - tip.offsetWidth - 4))}px`;
  tip.style.top = `${y + ROW}px`;
}

function hideTip(): void {
  tip.hidden = true;
}

/** What lies under a point of the plot: a glyph, or the row and its state at that time. */
function under(x: number, y: number): { glyph?: Glyph; row?: number; time: number } | undefined {
  if (!index || !view) return undefined;
  const time = xToTime(x, view, geometry().width);
  if (y < AXIS) return { time };
  const row = Math.floor((y - AXIS + view.top) / ROW);
  if (row < 0 || row >= index.rows.length) return { time };
  return { glyph: glyphAt(drawn.get(row) ?? [], x), row, time };
}

let drag: { x: number; y: number; moved: boolean } | undefined;

plot.addEventListener('pointerdown', (e) => {
  if (e.target !== canvas) return;
  drag = { x: e.clientX, y: e.clientY, moved: false };
  canvas.setPointerCapture(e.pointerId);
});
plot.addEventListener('pointermove', (e) => {
  const box = canvasBox();
  if (drag && view) {
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (drag.moved || Math.abs(dx) + Math.abs(dy) > 3) {
      drag.moved = true;
      drag.x = e.clientX; drag.y = e.clientY;
      fitted = false;
      settle.moving();
      setView(panView(view, -dx, -dy, geometry().width));
      hideTip();
      return;
    }
  }
  const u = under(e.clientX - box.left, e.clientY - box.top);
  if (!u || u.row === undefined || !index) { hideTip(); return; }
  const text = u.glyph ? markTipText(u.glyph) : describePoint(index, u.row, u.time);
  showTip(text, e.clientX - box.left, e.clientY - box.top - ROW / 2);
});
plot.addEventListener('pointerup', (e) => {
  const d = drag;
  drag = undefined;
  if (!d || d.moved || !index) return;
  const box = canvasBox();
  const u = under(e.clientX - box.left, e.clientY - box.top);
  if (!u) return;
  if (u.glyph) activate(u.glyph);
  else {
    // Empty time: the session goes to exactly that moment (the first tick at or past it).
    status.textContent = `Going to ${formatTime(u.time)}...`;
    vscode.postMessage({ type: 'goto', time: u.time, what: `the moment at ${formatTime(u.time)}` });
  }
});
plot.addEventListener('pointerleave', () => hideTip());

plot.addEventListener('wheel', (e) => {
  if (!view) return;
  e.preventDefault();
  const box = canvasBox();
  const g = geometry();
  fitted = false;
  settle.moving();
  if (e.ctrlKey || e.metaKey) setView(zoomView(view, Math.exp(-e.deltaY * 0.002), e.clientX - box.left, g.width));
  else if (e.shiftKey) setView(panView(view, e.deltaY, 0, g.width));
  else setView(panView(view, e.deltaX, e.deltaY, g.width));
}, { passive: false });

function focusMark(m: Mark | undefined): void {
  if (!m || !index || !view) return;
  select(m);
  fitted = false;
  view = clampView(revealMark(view, index, m, geometry()), index.model, geometry(), index.rows.length);
  save();
  draw();
  const el = marksLayer.querySelector<HTMLButtonElement>(`button[data-key="${CSS.escape(keyOf(m))}"]`);
  if (el) el.focus({ preventScroll: true });
  status.textContent = markText(m);
}

/** The mark nearest in time to `m` in the next row up or down that has marks. */
function markInRow(m: Mark, dir: 1 | -1): Mark | undefined {
  if (!index) return undefined;
  let row = index.rowOfLane[m.lane];
  if (row === undefined || row < 0) return undefined;
  for (row += dir; row >= 0 && row < index.rows.length; row += dir) {
    const r = index.rows[row];
    const list = r.kind === 'lane' ? index.marksOf[r.laneIndex] : undefined;
    if (!list?.length) continue;
    return list.reduce((best, c) => (Math.abs(c.time - m.time) < Math.abs(best.time - m.time) ? c : best));
  }
  return undefined;
}

/** The selected mark (kept as an object; looked up by its key only when a new model arrives). */
let selected: Mark | undefined;

function currentMark(): Mark | undefined {
  return selected;
}

function select(m: Mark | undefined): void {
  selected = m;
  focusKey = m ? keyOf(m) : undefined;
  save();
}

document.addEventListener('keydown', (e) => {
  if (!index || !view) return;
  const g = geometry();
  const onMark = document.activeElement instanceof HTMLElement && document.activeElement.parentElement === marksLayer;
  const zoomKeys: Record<string, number> = { '+': 1.5, '=': 1.5, '-': 1 / 1.5, _: 1 / 1.5 };
  if (zoomKeys[e.key] && !e.ctrlKey && !e.metaKey) {
    fitted = false;
    settle.moving();
    setView(zoomView(view, zoomKeys[e.key], g.width / 2, g.width));
  } else if (e.key === '0') {
    fitted = true;
    setView(fitView(index.model));
  } else if (onMark && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
    focusMark(neighbourMark(index, currentMark(), e.key === 'ArrowRight' ? 1 : -1));
  } else if (onMark && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
    const m = currentMark();
    focusMark(m && markInRow(m, e.key === 'ArrowDown' ? 1 : -1));
  } else if (onMark && (e.key === 'Home' || e.key === 'End')) {
    focusMark(neighbourMark(index, undefined, e.key === 'Home' ? 1 : -1));
  } else if (onMark && e.key === 'Escape') {
    plot.focus();
  } else if (!onMark && e.key.startsWith('Arrow')) {
    fitted = false;
    settle.moving();
    const step = e.shiftKey ? 0.5 : 0.1;
    const dx = e.key === 'ArrowRight' ? g.width * step : e.key === 'ArrowLeft' ? -g.width * step : 0;
    const dy = e.key === 'ArrowDown' ? ROW : e.key === 'ArrowUp' ? -ROW : 0;
    setView(panView(view, dx, dy, g.width));
  } else {
    return;
  }
  e.preventDefault();
});

function button(id: string, run: () => void): void {
  $<HTMLButtonElement>(id).addEventListener('click', run);
}
button('fit', () => { if (index) { fitted = true; setView(fitView(index.model)); } });
button('zoomIn', () => { if (view) { fitted = false; setView(zoomView(view, 1.5, geometry().width / 2, geometry().width)); } });
button('zoomOut', () => { if (view) { fitted = false; setView(zoomView(view, 1 / 1.5, geometry().width / 2, geometry().width)); } });
/** The window on screen saved as a picture (through the page's second script, loaded first if need be). */
function exportPicture(format: 'svg' | 'png'): void {
  if (!index || !view) return;
  if (!later.later) { later.exportAsked = format; later.load(); return; }
  later.exportAsked = undefined;
  later.later.exportTimeline(format, { index, view, geometry: geometry(), labels: LABELS, palette }, (m) => vscode.postMessage(m), status);
}
button('exportSvg', () => exportPicture('svg'));
button('exportPng', () => exportPicture('png'));

// ---- the model --------------------------------------------------------------------------------

/** The strings of the models shown, shared (kept across stops, so a delta's strings join the model's). */
const strings = new SharedStrings();

function setModel(model: TimelineModel): void {
  // A posted model's strings are each its own (millions, for every collection to visit): shared
  // after its first frame, in idle time, so the frame does not wait for it.
  strings.model(model);
  index = indexTimeline(model);
  selected = focusKey === undefined ? undefined : index.marks.find((m) => keyOf(m) === focusKey);
  shown();
}

/** A stop's changes to the model shown: false when they were made for another model than this one. */
function applyDelta(delta: TimelineDelta, base: number): boolean {
  if (!index || base !== version) return false;
  try {
    index = applyToIndex(index, strings.delta(delta));
  } catch {
    index = undefined;
    return false;
  }
  // The selected mark is the same object while it stays in the model.
  const sel = selected;
  if (!sel || index.marksOf[sel.lane]?.includes(sel) !== true) selected = focusKey === undefined ? undefined : index.marks.find((m) => keyOf(m) === focusKey);
  shown();
  return true;
}

/** After a new model or a delta: the window kept (or fitted to the run), and the picture drawn. */
function shown(): void {
  if (!index) return;
  const model = index.model;
  $('empty').hidden = true;
  const g = geometry();
  view = clampView(!view || fitted ? fitView(model) : view, model, g, index.rows.length);
  save();
  draw();
  dropFirstFrame();
  if (canvasPaintAt === undefined) {
    firstDrawnAt ??= now();
    afterPaint(() => { canvasPaintAt ??= now(); firstPaintAt ??= canvasPaintAt; later.load(); });
  }
  plot.setAttribute('aria-label', `Process timeline: ${model.lanes.length} tasks, ${model.marks.length} events, now at step ${model.nowStep} (${formatTime(model.now)}). Tab to the events; arrow keys move between them; Enter goes to one.`);
  later.later?.tree.setModel(model); // the tree of the same stop
}

/** The number the panel gave the model shown (-1: none, or one the panel did not number). */
let version = -1;

window.addEventListener('message', (e: MessageEvent<Incoming>) => {
  const msg = e.data;
  answered = true;
  takeOver(); // the model written in first: a delta is made against it
  if (msg.type === 'model') { setModel(msg.model); version = msg.version ?? -1; }
  else if (msg.type === 'delta') {
    if (applyDelta(msg.delta, msg.base)) version = msg.version;
    else { version = -1; vscode.postMessage({ type: 'resync' }); }
  } else if (msg.type === 'status') status.textContent = msg.text;
  else if (msg.type === 'empty') {
    const empty = $('empty');
    empty.textContent = msg.text;
    empty.hidden = false;
  }
});

// The first observation comes with the first layout, usually at the size already measured: when
// a model's frame was drawn at that size already, no second one.
let sentSize = '';
new ResizeObserver(() => {
  const was = geo;
  geo = measure();
  // The panel lays out the first frame of its next page for this size.
  const size = `${geo.width}x${geo.height + AXIS}`;
  if (size !== sentSize) { sentSize = size; vscode.postMessage({ type: 'size', width: geo.width, height: geo.height + AXIS }); }
  if (pendingFirst) return; // the first frame in the markup stands until the canvas takes over
  if (geo.width === was.width && geo.height === was.height && index && view) return;
  if (index && view) setView(view); else schedule();
}).observe(plot);
// The theme's colours change with the body's class (vscode-dark, vscode-light, high contrast).
new MutationObserver(() => { palette = readPalette(); schedule(); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
palette = readPalette();

/** For the benchmark and the tests: draw now and say how long it took. */
(window as unknown as { kprocTimeline: unknown }).kprocTimeline = {
  drawNow(): number { const t0 = performance.now(); draw(); return performance.now() - t0; },
  /** The page's navigation, its ready, and its first model drawn and painted, in ms since the epoch. */
  times: (): { navigation: number; ready: number; drawn?: number; painted?: number; canvas?: number; markup: boolean } => ({ navigation: performance.timeOrigin, ready: readyAt, drawn: firstDrawnAt, painted: firstPaintAt, canvas: canvasPaintAt, markup: fromMarkup }),
  /** Whether the model's strings are still being shared in idle time. */
  compacting: (): boolean => strings.busy,
  /** The window shown, and a window to show (drawn at the next frame), so a benchmark can replay frames. */
  view: (): View | undefined => view && { ...view },
  setView(v: View): void { fitted = false; setView(v); },
  setModel(m: TimelineModel, v?: number): number { const t0 = performance.now(); setModel(m); version = v ?? -1; return performance.now() - t0; },
  /** A delta against model number `base`: milliseconds to apply and draw it, or -1 when refused. */
  applyDelta(d: TimelineDelta, base: number, v: number): number {
    const t0 = performance.now();
    if (!applyDelta(d, base)) return -1;
    version = v;
    return performance.now() - t0;
  },
};
// Ready was said at the start; say so again until the extension answers: a message sent while the
// webview was still loading (VS Code may reload a webview's frame as it starts) would otherwise
// leave the page empty.
let answered = false;
const hello = setInterval(() => { if (answered) clearInterval(hello); else vscode.postMessage({ type: 'ready', holds: version }); }, 1500);
// The model written into the page: its first frame is in the markup too (a fitted run), so the
// browser paints that as soon as this script has run, and the canvas takes over after the paint;
// else (a window of the run that the page kept, or the tree in front) the canvas draws it now.
const firstFrame = document.getElementById(FIRST_FRAME_ID);
let pendingFirst = !!initial && !!firstFrame && fitted && vscode.tree().view !== 'tree';
function takeOver(): void {
  if (!pendingFirst || !initial) return;
  pendingFirst = false;
  setModel(initial.model);
  version = initial.version;
}
function dropFirstFrame(): void {
  firstFrame?.remove();
  labels.querySelector(`.${FIRST_ROWS}`)?.remove();
}
/** Whether the first picture painted was the one written into the page. */
const fromMarkup = pendingFirst;
if (pendingFirst) {
  firstDrawnAt = readyAt;
  afterPaint(() => { firstPaintAt ??= now(); takeOver(); });
} else {
  dropFirstFrame();
  if (initial) { setModel(initial.model); version = initial.version; }
}
// With no model for a while (no session stopped yet), the second script loads all the same.
setTimeout(() => later.load(), 1500);
