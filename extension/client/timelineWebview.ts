// The Process Timeline webview's script (bundled for the browser into dist/timelineWebview.js):
// draws the visible window on a canvas, keeps focusable, labelled elements for the visible lanes
// and marks, and handles zoom, pan, hover, keyboard navigation, clicks (to travel) and export.
/// <reference lib="dom" />
import {
  arrowOf, clampView, cpuBarsEach, fitView, glyphAt, indexTimeline, laneBarsEach, laneGlyphs, neighbourMark, panView, revealMark,
  timeToX, visibleRows, xToTime, zoomView, type Geometry, type Glyph, type TimelineIndex, type View,
} from './timelineLayout';
import { Axis, Batch, glyphPath, readPalette, Strips } from './timelineCanvas';
import { AXIS, keyOf, MarkButtons, ROW, RowLabels } from './timelineElements';
import type { TimelineDelta } from './timelineDelta';
import { applyToIndex } from './timelineIncremental';
import { SharedStrings } from './timelineCompact';
import { clusterText, DEFAULT_PALETTE, describePoint, formatTime, markText, pidColour, type Palette } from './timelineText';
import type { LaneState, Mark, TimelineModel } from './timelineTypes';
import { INITIAL_MODEL_ID } from './timelinePage';
import { sharedState, type Later, type PageHost } from './pageState';
import { createLegend } from './graphLegendView';

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

/** The model the panel wrote into the page with its number, drawn once the page is built; else undefined. */
function initialModel(): { model: TimelineModel; version: number } | undefined {
  const text = document.getElementById(INITIAL_MODEL_ID)?.textContent;
  if (!text) return undefined;
  try {
    const d = JSON.parse(text) as { model?: TimelineModel; version?: unknown } | null;
    return d?.model && Array.isArray(d.model.lanes) && typeof d.version === 'number' ? { model: d.model, version: d.version } : undefined;
  } catch {
    return undefined;
  }
}
const initial = initialModel();
// Ready before the page is built, saying which model the page holds: the panel's answer (what
// changed since, or the model, asked of the debug adapter) is on its way while the rest of this
// script runs, and arrives as a message after it.
vscode.postMessage({ type: 'ready', holds: initial?.version ?? -1 });
/** When the page said it was ready, drew its first model and the browser painted that (ms since the epoch), for the tests' figures. */
const readyAt = performance.timeOrigin + performance.now();
let firstDrawnAt: number | undefined;
let firstPaintAt: number | undefined;
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
const ctx = canvas.getContext('2d', { alpha: false }) ?? (() => { throw new Error('no 2d canvas'); })();
const rowLabels = new RowLabels(labels);
const marks = new MarkButtons(marksLayer);

/**
 * The page's second script: the tabs' other picture (the process tree) and the timeline's
 * export. It is loaded after the first frame is painted (or at once when one of them is asked
 * for, or the tree was in front when the page was saved), so the first paint waits for none of it.
 */
let later: Later | undefined;
let treeAsked = false;
let exportAsked: 'svg' | 'png' | undefined;
let laterLoading = false;
function loadLater(): void {
  const src = pageScript?.dataset.later;
  if (laterLoading || !src) return;
  laterLoading = true;
  const s = document.createElement('script');
  s.nonce = pageScript?.nonce ?? '';
  s.src = src;
  s.onerror = () => { status.textContent = 'The process tree and the export could not be loaded.'; };
  document.body.append(s);
}
/** The legend strip, open unless it was closed (kept with the tree's state, where the tree view keeps it too). */
const legend = createLegend(vscode.tree().legend !== false, (open) => { vscode.tree().legend = open; save(); });
(window as unknown as { kprocPage: PageHost }).kprocPage = {
  api: vscode, status, legend, keepTree: vscode.keepTree,
  loaded(l: Later): void {
    later = l;
    if (treeAsked) l.tree.show('tree');
    if (index) l.tree.setModel(index.model);
    if (exportAsked) exportPicture(exportAsked);
  },
};
$('tabTree').addEventListener('click', () => { if (!later) { treeAsked = true; loadLater(); } });
if (vscode.tree().view === 'tree') loadLater();

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

const strips = new Strips();
const axis = new Axis();
/** The bars of the line being drawn, straight into its pixels. */
const cpuBar = (x0: number, x1: number, pid: number): void => strips.bar(x0, x1, pidColour(palette, pid));
const stateBar = (x0: number, x1: number, s: LaneState): void => strips.bar(x0, x1, palette.states[s]);

/** The fewest rows the canvas has room for; it doubles as a run's lanes outgrow it. */
const CANVAS_ROWS_MIN = 12;

/**
 * The canvas' height in CSS pixels: the axis and room for the rows there are (12, 24, 48... rows),
 * at most the plot's. A run of a few tasks draws (and hands the compositor) a strip, not a canvas
 * as tall as the panel, which was most of the cost of the panel's first frame; doubling keeps the
 * resizes (each makes a later frame slower) to two or three in a run that fills the panel.
 */
function canvasHeight(g: Geometry, rows: number): number {
  const room = CANVAS_ROWS_MIN * 2 ** Math.max(0, Math.ceil(Math.log2(rows / CANVAS_ROWS_MIN)));
  return Math.min(g.height, room * ROW) + AXIS;
}

function draw(): void {
  const g = geo;
  const dpr = window.devicePixelRatio || 1;
  // Without a model, the panel's height: the first model drawn is usually a whole run's.
  const h = index ? canvasHeight(g, index.rows.length) : g.height + AXIS;
  if (canvas.width !== Math.round(g.width * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(g.width * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${g.width}px`;
    canvas.style.height = `${h}px`;
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, g.width, h);
  drawn = new Map();
  if (!index || !view) { rowLabels.clear(); marks.clear(); return; }
  const v = view;
  const [first, end] = visibleRows(v, g, index.rows.length);
  axis.draw(ctx, v, g, AXIS, palette);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, AXIS, g.width, g.height);
  ctx.clip();
  const yOf = (row: number): number => AXIS + row * ROW - v.top;
  const bars = new Batch();
  strips.begin(g.width, dpr, end - first);
  for (let i = first; i < end; i++) {
    const r = index.rows[i];
    const y = yOf(i);
    bars.path(palette.grid).rect(0, y + ROW - 0.5, g.width, 0.5);
    if (r.kind === 'cpu') {
      strips.line(i - first, y + 4, ROW - 8);
      cpuBarsEach(index.runsOf.get(r.cpu) ?? [], v, g.width, cpuBar);
      continue;
    }
    strips.line(i - first, y + 6, ROW - 12);
    laneBarsEach(r.lane.spans, v, g.width, stateBar);
    drawn.set(i, laneGlyphs(index.marksOf[r.laneIndex] ?? [], v, g.width));
  }
  bars.fill(ctx);
  strips.draw(ctx, g.width);
  drawArrows(yOf, first, end);
  const glyphs = new Batch();
  for (const [row, gs] of drawn) for (const gl of gs) glyphPath(glyphs, gl, yOf(row) + ROW / 2, palette);
  glyphs.fill(ctx);
  const sel = selectedGlyph();
  if (sel) {
    ctx.strokeStyle = palette.foreground;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(sel.glyph.x - 7, yOf(sel.row) + ROW / 2 - 8, 14, 16);
  }
  ctx.restore();
  const nx = timeToX(index.model.now, v, g.width);
  if (nx >= 0 && nx <= g.width) {
    ctx.fillStyle = palette.now;
    // Down to the last lane's bottom (the canvas may have room for a few more rows).
    ctx.fillRect(Math.round(nx) - 1, 0, 2, Math.min(h, yOf(index.rows.length)));
  }
  rowLabels.sync(index, first, end, yOf);
  lastYOf = yOf;
  if (settling()) return;
  marksLayer.hidden = false;
  marks.sync(drawn, currentMark(), selectedGlyph(), yOf);
}

/**
 * While a zoom or a pan goes on (frames less than SETTLE ms apart), the mark buttons are hidden
 * rather than moved: hundreds of them restyled in every frame cost the browser more than the
 * frame. They come back, placed over the glyphs, once the window has rested SETTLE ms, a slice
 * at a time (so no one task restyles them all). A click meanwhile reaches the canvas, which finds
 * the glyph under it the same way. Not while one of them has the focus (the keyboard's frames
 * keep them all in place).
 */
const SETTLE = 150;
let movedAt = -Infinity;
let settleTimer: ReturnType<typeof setTimeout> | undefined;
let lastYOf: (row: number) => number = (row) => row;

function moving(): void {
  movedAt = performance.now();
}

/** How many buttons are back since the window rested: they return a slice at a time, each its own task. */
let settledCount = Infinity;
const SETTLE_SLICE = 150;

/** Whether this frame leaves the buttons hidden; when not, the frame places them all (any slices pending are dropped). */
function settling(): boolean {
  const wait = movedAt + SETTLE - performance.now();
  if (wait <= 0 || (document.activeElement instanceof HTMLElement && document.activeElement.parentElement === marksLayer)) {
    settledCount = Infinity;
    if (settleTimer !== undefined) { clearTimeout(settleTimer); settleTimer = undefined; }
    return false;
  }
  marksLayer.hidden = true;
  settledCount = 0;
  if (settleTimer === undefined) settleTimer = setTimeout(settled, wait);
  return true;
}

function settled(): void {
  settleTimer = undefined;
  if (!index || !view) return;
  const wait = movedAt + SETTLE - performance.now();
  if (wait > 0) { settleTimer = setTimeout(settled, wait); return; }
  settledCount += SETTLE_SLICE;
  marksLayer.hidden = false;
  if (marks.sync(drawn, currentMark(), selectedGlyph(), lastYOf, settledCount)) settleTimer = setTimeout(settled, 0);
  else settledCount = Infinity;
}

/** Fork, reap, reparent and signal arrows between the lanes of single (not clustered) marks. */
function drawArrows(yOf: (row: number) => number, first: number, end: number): void {
  if (!index) return;
  let budget = 2000;
  const lines = new Batch();
  for (const glyphs of drawn.values()) {
    for (const gl of glyphs) {
      if (gl.count !== 1 || budget-- <= 0) continue;
      const a = arrowOf(gl.first);
      const from = a ? index.rowOfLane[a.from] ?? -1 : -1;
      const to = a ? index.rowOfLane[a.to] ?? -1 : -1;
      if (from < 0 || to < 0 || from === to) continue;
      const clampRow = (r: number): number => Math.min(Math.max(r, first - 1), end);
      const y0 = yOf(clampRow(from)) + ROW / 2;
      const y1 = yOf(clampRow(to)) + ROW / 2;
      const p = lines.path(palette.marks[gl.first.kind]);
      p.moveTo(gl.x, y0); p.lineTo(gl.x, y1);
      const dir = Math.sign(y1 - y0);
      p.moveTo(gl.x - 3, y1 - dir * 5); p.lineTo(gl.x, y1 - dir * 1); p.lineTo(gl.x + 3, y1 - dir * 5);
    }
  }
  lines.stroke(ctx, 1);
}

/** Where the selected mark is drawn: its glyph (alone or in a cluster) and that glyph's row. */
function selectedGlyph(): { row: number; glyph: Glyph } | undefined {
  const sel = currentMark();
  if (!sel || !index) return undefined;
  const row = index.rowOfLane[sel.lane];
  const i = index.marksOf[sel.lane]?.indexOf(sel) ?? -1;
  const glyph = drawn.get(row)?.find((g) => i >= g.firstIndex && i < g.firstIndex + g.count);
  return glyph ? { row, glyph } : undefined;
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
      moving();
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
  moving();
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
    moving();
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
    moving();
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
  if (!later) { exportAsked = format; loadLater(); return; }
  exportAsked = undefined;
  later.exportTimeline(format, { index, view, geometry: geometry(), labels: LABELS, palette }, (m) => vscode.postMessage(m), status);
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
  if (firstDrawnAt === undefined) {
    firstDrawnAt = performance.timeOrigin + performance.now();
    // A message posted from the frame's animation callback is handled after that frame's paint.
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { firstPaintAt ??= performance.timeOrigin + performance.now(); loadLater(); };
      ch.port2.postMessage(0);
    });
  }
  plot.setAttribute('aria-label', `Process timeline: ${model.lanes.length} tasks, ${model.marks.length} events, now at step ${model.nowStep} (${formatTime(model.now)}). Tab to the events; arrow keys move between them; Enter goes to one.`);
  later?.tree.setModel(model); // the tree of the same stop
}

/** The number the panel gave the model shown (-1: none, or one the panel did not number). */
let version = -1;

window.addEventListener('message', (e: MessageEvent<Incoming>) => {
  const msg = e.data;
  answered = true;
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
new ResizeObserver(() => {
  const was = geo;
  geo = measure();
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
  times: (): { navigation: number; ready: number; drawn?: number; painted?: number } => ({ navigation: performance.timeOrigin, ready: readyAt, drawn: firstDrawnAt, painted: firstPaintAt }),
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
// The model written into the page: drawn now, so the page's first frame is the picture.
if (initial) { setModel(initial.model); version = initial.version; }
// With no model for a while (no session stopped yet), the second script loads all the same.
setTimeout(loadLater, 1500);
