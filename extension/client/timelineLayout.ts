// The timeline panel's pure geometry: rows (CPUs, then tasks grouped by process), the visible
// window of time and rows, and what to draw in it, aggregated to the pixel so a frame costs what
// the screen holds, not what the run holds. No DOM: the webview draws what these functions return.
import type { CpuRun, Lane, LaneState, Mark, MarkKind, Span, TimelineModel } from './timelineTypes';

export type Row = { kind: 'cpu'; cpu: number } | { kind: 'lane'; lane: Lane; laneIndex: number; thread: boolean };

export interface TimelineIndex {
  model: TimelineModel;
  rows: Row[];
  /** Row of each lane, by its index in model.lanes (a pid can be reused; a lane index cannot). */
  rowOfLane: number[];
  /** Each lane's marks, by time, by lane index. */
  marksOf: Mark[][];
  /** Every mark by time (then step): the order keyboard navigation follows. */
  marks: Mark[];
  /** Each CPU's runs, by start. */
  runsOf: Map<number, CpuRun[]>;
}

/** Which part of the run is on screen: a time window and the first row's offset in pixels. */
export interface View { t0: number; t1: number; top: number }

export interface Geometry {
  /** Width of the plot (without the label column), in CSS pixels. */
  width: number;
  /** Height of the scrolling rows' area. */
  height: number;
  rowHeight: number;
}

const byTime = (a: { time: number; step: number }, b: { time: number; step: number }): number => a.time - b.time || a.step - b.step;

/**
 * CPU rows first, then one lane per task in the model's order (each process's leader followed by
 * its other threads); a lane whose leader is another lane is a thread, drawn indented.
 */
export function buildRows(model: TimelineModel): Row[] {
  const cpus = [...new Set(model.cpus.map((r) => r.cpu))].sort((a, b) => a - b);
  const rows: Row[] = cpus.map((cpu) => ({ kind: 'cpu', cpu }));
  model.lanes.forEach((lane, i) => rows.push({ kind: 'lane', lane, laneIndex: i, thread: lane.leaderLane !== i }));
  return rows;
}

export function indexTimeline(model: TimelineModel): TimelineIndex {
  const rows = buildRows(model);
  const rowOfLane = new Array<number>(model.lanes.length).fill(-1);
  rows.forEach((r, i) => { if (r.kind === 'lane') rowOfLane[r.laneIndex] = i; });
  const sorted = model.marks.every((m, i) => i === 0 || byTime(model.marks[i - 1], m) <= 0);
  const marks = sorted ? model.marks : model.marks.slice().sort(byTime);
  const marksOf: Mark[][] = model.lanes.map(() => []);
  for (const m of marks) marksOf[m.lane]?.push(m);
  const runsOf = new Map<number, CpuRun[]>();
  for (const r of model.cpus) {
    const l = runsOf.get(r.cpu);
    if (l) l.push(r); else runsOf.set(r.cpu, [r]);
  }
  for (const l of runsOf.values()) l.sort((a, b) => a.from - b.from);
  return { model, rows, rowOfLane, marksOf, marks, runsOf };
}

// ---- the window -------------------------------------------------------------------------------

/** The whole run, with a little room after its end. */
export function fitView(model: TimelineModel): View {
  const span = Math.max(model.end - model.start, 1);
  return { t0: model.start, t1: model.start + span * 1.02, top: 0 };
}

export function timeToX(t: number, v: View, width: number): number {
  return ((t - v.t0) / (v.t1 - v.t0)) * width;
}

export function xToTime(x: number, v: View, width: number): number {
  return v.t0 + (x / width) * (v.t1 - v.t0);
}

/** [first, end) of the rows that show, given the scroll offset. */
export function visibleRows(v: View, g: Geometry, rowCount: number): [number, number] {
  const first = Math.max(0, Math.floor(v.top / g.rowHeight));
  return [Math.min(first, rowCount), Math.min(rowCount, Math.ceil((v.top + g.height) / g.rowHeight))];
}

/** The smallest window zooming in reaches: 20 ns across the plot. */
const MIN_SPAN = 20;

/** Keeps the window inside the run (with room on both sides) and the rows inside their list. */
export function clampView(v: View, model: TimelineModel, g: Geometry, rowCount: number): View {
  const full = Math.max(model.end - model.start, MIN_SPAN);
  let span = Math.min(Math.max(v.t1 - v.t0, MIN_SPAN), full * 1.5);
  if (!Number.isFinite(span)) span = full;
  const lo = model.start - full * 0.25;
  const hi = model.end + full * 0.25;
  let t0 = Math.min(Math.max(v.t0, lo), hi - span);
  if (!Number.isFinite(t0)) t0 = model.start;
  const maxTop = Math.max(0, rowCount * g.rowHeight - g.height);
  return { t0, t1: t0 + span, top: Math.min(Math.max(0, v.top), maxTop) };
}

/** Zooms by `factor` (>1 zooms in) around the plot's x coordinate `atX`. */
export function zoomView(v: View, factor: number, atX: number, width: number): View {
  const at = xToTime(atX, v, width);
  const span = (v.t1 - v.t0) / factor;
  const t0 = at - (atX / width) * span;
  return { t0, t1: t0 + span, top: v.top };
}

/** Pans by pixels: positive dx shows later times, positive dy lower rows. */
export function panView(v: View, dx: number, dy: number, width: number): View {
  const dt = (dx / width) * (v.t1 - v.t0);
  return { t0: v.t0 + dt, t1: v.t1 + dt, top: v.top + dy };
}

/** The window moved just enough that a mark's time and row show. */
export function revealMark(v: View, index: TimelineIndex, m: Mark, g: Geometry): View {
  let { t0, t1, top } = v;
  const span = t1 - t0;
  if (m.time < t0 + span * 0.05 || m.time > t1 - span * 0.05) { t0 = m.time - span / 2; t1 = t0 + span; }
  const row = index.rowOfLane[m.lane];
  if (row !== undefined && row >= 0) {
    const y = row * g.rowHeight;
    if (y < top) top = y;
    else if (y + g.rowHeight > top + g.height) top = y + g.rowHeight - g.height;
  }
  return { t0, t1, top };
}

// ---- aggregation ------------------------------------------------------------------------------

/** A run of pixels [x0, x1) drawn in one colour. */
export interface Bar<S> { x0: number; x1: number; value: S }

/** First index whose `end` is after t, for items sorted by start that do not overlap. */
function firstEndingAfter<T>(items: readonly T[], t: number, end: (x: T) => number): number {
  let lo = 0, hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (end(items[mid]) <= t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Takes a frame's bars one at a time, left to right (x in CSS pixels of the plot). */
export type BarSink<S> = (x0: number, x1: number, value: S) => void;

/**
 * The state of one aggregation: the bar not yet given out (it may still grow) and the values
 * sharing the current pixel. One is reused from call to call: its number fields are updated in
 * place, so a frame's aggregation allocates nothing per item.
 */
class Aggregation<S> {
  has = false;
  x0 = 0.5;
  x1 = 0.5;
  value: S | undefined;
  bucket = -1;
  // The values sharing the current pixel and their weights (the first n): a few at most, so
  // arrays beat a Map. Never shortened, so they are not made again for every pixel.
  n = 0;
  readonly vals: S[] = [];
  ws = new Float64Array(8);
  emit: BarSink<S> = () => undefined;

  start(emit: BarSink<S>): void {
    this.has = false;
    this.bucket = -1;
    this.n = 0;
    this.emit = emit;
  }

  /** A bar: it joins the one before when that one has its value and reaches it. */
  push(x0: number, x1: number, s: S): void {
    if (this.has && this.value === s && this.x1 >= x0) { if (x1 > this.x1) this.x1 = x1; return; }
    if (this.has) this.emit(this.x0, this.x1, this.value as S);
    this.has = true;
    this.x0 = x0;
    this.x1 = x1;
    this.value = s;
  }

  /** The current pixel as one bar in the value that covers most of it. */
  flush(): void {
    if (this.bucket < 0) return;
    const { vals, ws, n } = this;
    let best = -1, bestW = 0;
    for (let j = 0; j < n; j++) if (ws[j] > bestW) { best = j; bestW = ws[j]; }
    if (best >= 0) this.push(this.bucket, this.bucket + 1, vals[best]);
    this.n = 0;
    this.bucket = -1;
  }

  add(px: number, w: number, s: S): void {
    if (this.bucket !== px) { this.flush(); this.bucket = px; }
    const { vals, n } = this;
    for (let j = 0; j < n; j++) if (vals[j] === s) { this.ws[j] += w; return; }
    if (n === this.ws.length) { const more = new Float64Array(n * 2); more.set(this.ws); this.ws = more; }
    vals[n] = s;
    this.ws[n] = w;
    this.n = n + 1;
  }

  finish(): void {
    this.flush();
    if (this.has) this.emit(this.x0, this.x1, this.value as S);
    this.has = false;
    this.value = undefined;
    this.vals.fill(undefined as S);
    this.emit = () => undefined;
  }
}

const spare: Array<Aggregation<unknown>> = [];

/**
 * Intervals (sorted, not overlapping) as pixel bars of the window: an interval a pixel or more
 * wide keeps its extent; the intervals sharing one pixel become that pixel in the value that
 * covers most of it. Adjacent bars of one value merge, so a frame draws at most `width` bars.
 * Items whose value is `gap` are not drawn and never outweigh the others in a shared pixel.
 * The bars go to `emit` in order as they are made (aggregate collects them). Item times are
 * multiplied by `unit` (a coarse copy's bars count buckets of that width).
 */
export function aggregateEach<T, S>(items: readonly T[], from: (x: T) => number, to: (x: T) => number, value: (x: T) => S, v: View, width: number, gap: S | undefined, emit: BarSink<S>, unit = 1): void {
  const st = (spare.pop() ?? new Aggregation<unknown>()) as Aggregation<S>;
  st.start(emit);
  const k = width / (v.t1 - v.t0);
  try {
    for (let i = firstEndingAfter(items, v.t0 / unit, to); i < items.length; i++) {
      const it = items[i];
      const f = from(it) * unit;
      if (f >= v.t1) break;
      const a = Math.max(0, (f - v.t0) * k);
      const b = Math.min(width, (to(it) * unit - v.t0) * k);
      if (b <= a) continue;
      const s = value(it);
      if (gap !== undefined && s === gap) continue;
      const pa = Math.floor(a), pb = Math.floor(b);
      if (pa === pb) { st.add(pa, b - a, s); continue; }
      st.add(pa, pa + 1 - a, s);
      st.flush();
      if (pb > pa + 1) st.push(pa + 1, pb, s);
      if (b > pb) st.add(pb, b - pb, s);
    }
    st.finish();
  } finally {
    spare.push(st as Aggregation<unknown>);
  }
}

/** aggregateEach's bars as an array. */
export function aggregate<T, S>(items: readonly T[], from: (x: T) => number, to: (x: T) => number, value: (x: T) => S, v: View, width: number, gap?: S): Array<Bar<S>> {
  const out: Array<Bar<S>> = [];
  aggregateEach(items, from, to, value, v, width, gap, (x0, x1, s) => { out.push({ x0, x1, value: s }); });
  return out;
}

/**
 * A long series' coarser copies: level k is the series as bars of buckets base·2^k wide on a grid
 * anchored at time 0 (each bucket the value covering most of it, runs of one value merged; bar
 * ends count buckets), so a zoomed-out frame reads about two buckets per pixel instead of every
 * item. `base` is a power of two, so the grid's arithmetic is exact, and a bucket depends only on
 * the items that overlap it: when a series grows at its end (a run's next stop), only the buckets
 * from its last kept item on are recomputed, level by level.
 */
export interface Lod<S> {
  base: number;
  /** Each level's first and end bucket. */
  first: number[];
  end: number[];
  levels: Array<Array<Bar<S>>>;
  /** Items the copies were made of, and how many of them are known unchanged since. */
  seen: number;
  valid: number;
}

/** Series shorter than this are read item by item at every zoom. */
const LOD_MIN_ITEMS = 2048;
/** A level of at most this many buckets is the last (the coarsest). */
const LOD_TOP = 64;
const lods = new WeakMap<object, Lod<unknown>>();

/** The bucket width for a series: a power of two near four items' average length. */
export function lodBase<T>(items: readonly T[], from: (x: T) => number, to: (x: T) => number): number {
  const span = Math.max(to(items[items.length - 1]) - from(items[0]), 1);
  return 2 ** Math.round(Math.log2((span * 4) / items.length));
}

type Source<S> = { items: readonly unknown[]; from: (x: unknown) => number; to: (x: unknown) => number; value: (x: unknown) => S };

/** Level k's bars from bucket `at` on, from the level below (or the items for level 0), appended after the kept ones. */
function fillLevel<S>(lod: Lod<S>, k: number, at: number, src: Source<S>, gap?: S): void {
  const bars = lod.levels[k];
  while (bars.length && bars[bars.length - 1].x0 >= at) bars.pop();
  const last = bars[bars.length - 1];
  if (last && last.x1 > at) last.x1 = at;
  const end = lod.end[k];
  if (end <= at) return;
  const unit = k === 0 ? lod.base : 2;
  for (const b of aggregate(src.items, src.from, src.to, src.value, { t0: at * unit, t1: end * unit, top: 0 }, end - at, gap)) {
    const x0 = b.x0 + at, x1 = b.x1 + at;
    const prev = bars[bars.length - 1];
    if (prev && prev.value === b.value && prev.x1 >= x0) prev.x1 = Math.max(prev.x1, x1);
    else bars.push({ x0, x1, value: b.value });
  }
}

/**
 * Brings the copies up to `items` (of which the first `lod.valid` are those the copies were made
 * of): each level recomputed from the first bucket a changed item can reach; levels added or
 * dropped so the coarsest has at most LOD_TOP buckets, as a copy made from scratch would.
 */
export function extendLod<T, S>(lod: Lod<S>, items: readonly T[], from: (x: T) => number, to: (x: T) => number, value: (x: T) => S, gap?: S): void {
  const kept = Math.min(lod.valid, lod.seen, items.length);
  const n = items.length;
  lod.seen = lod.valid = n;
  if (!n) { lod.levels = []; lod.first = []; lod.end = []; return; }
  const first0 = Math.floor(from(items[0]) / lod.base);
  const end0 = Math.ceil(to(items[n - 1]) / lod.base);
  let at = kept > 0 ? Math.floor(to(items[kept - 1]) / lod.base) : first0;
  if (kept === 0 || lod.first[0] !== first0) { lod.levels = []; lod.first = []; lod.end = []; at = first0; }
  let first = first0, end = Math.max(end0, first0 + 1);
  const bars: Source<S> = { items: [], from: (b) => (b as Bar<S>).x0, to: (b) => (b as Bar<S>).x1, value: (b) => (b as Bar<S>).value };
  for (let k = 0; ; k++) {
    if (k === lod.levels.length) { lod.levels.push([]); lod.first.push(first); at = first; }
    lod.end[k] = end;
    const src: Source<S> = k === 0
      ? { items, from: from as (x: unknown) => number, to: to as (x: unknown) => number, value: value as (x: unknown) => S }
      : { ...bars, items: lod.levels[k - 1] };
    fillLevel(lod, k, Math.max(at, first), src, gap);
    if (end - first <= LOD_TOP) { lod.levels.length = lod.first.length = lod.end.length = k + 1; return; }
    first = Math.floor(first / 2);
    end = Math.ceil(end / 2);
    at = Math.floor(at / 2);
  }
}

/** The copies of a series made from scratch on the grid of `base` (by default, lodBase's). */
export function buildLod<T, S>(items: readonly T[], from: (x: T) => number, to: (x: T) => number, value: (x: T) => S, gap?: S, base = lodBase(items, from, to)): Lod<S> {
  const lod: Lod<S> = { base, first: [], end: [], levels: [], seen: 0, valid: 0 };
  extendLod(lod, items, from, to, value, gap);
  return lod;
}

/**
 * Says that a series drawn before changed after its first `kept` items (arrays edited in place,
 * as the page applies a timeline delta): its copies are brought up to date when next read.
 * Appending alone needs no word: the copies remember how many items they were made of.
 */
export function seriesChanged(items: object, kept: number): void {
  const lod = lods.get(items);
  if (lod) lod.valid = Math.min(lod.valid, kept);
}

/** The series' copies, made or brought up to date: made afresh when items got far denser than the grid. */
function lodOf<T, S>(items: readonly T[], from: (x: T) => number, to: (x: T) => number, value: (x: T) => S, gap?: S): Lod<S> {
  let lod = lods.get(items) as Lod<S> | undefined;
  if (lod && lod.seen === items.length && lod.valid >= lod.seen) return lod;
  const buckets = lod?.levels.length ? lod.end[0] - lod.first[0] : 0;
  if (!lod || items.length > buckets * 16) {
    lod = buildLod(items, from, to, value, gap);
    lods.set(items, lod);
  } else {
    extendLod(lod, items, from, to, value, gap);
  }
  return lod;
}

/**
 * A series (sorted, not overlapping) as the frame's bars, given to `emit`: from its coarsest level
 * whose buckets are no wider than a pixel, or item by item when zoomed in past its finest level.
 */
export function seriesBarsEach<T, S>(items: readonly T[], from: (x: T) => number, to: (x: T) => number, value: (x: T) => S, v: View, width: number, gap: S | undefined, emit: BarSink<S>): void {
  const pixel = (v.t1 - v.t0) / width;
  if (items.length < LOD_MIN_ITEMS) { aggregateEach(items, from, to, value, v, width, gap, emit); return; }
  const lod = lodOf(items, from, to, value, gap);
  let k = -1;
  while (k + 1 < lod.levels.length && lod.base * 2 ** (k + 1) <= pixel) k++;
  if (k < 0) { aggregateEach(items, from, to, value, v, width, gap, emit); return; }
  aggregateEach(lod.levels[k], barX0, barX1, barValue as (b: Bar<S>) => S, v, width, gap, emit, lod.base * 2 ** k);
}

const barX0 = (b: Bar<unknown>): number => b.x0;
const barX1 = (b: Bar<unknown>): number => b.x1;
const barValue = (b: Bar<unknown>): unknown => b.value;

/** seriesBarsEach's bars as an array. */
export function seriesBars<T, S>(items: readonly T[], from: (x: T) => number, to: (x: T) => number, value: (x: T) => S, v: View, width: number, gap?: S): Array<Bar<S>> {
  const out: Array<Bar<S>> = [];
  seriesBarsEach(items, from, to, value, v, width, gap, (x0, x1, s) => { out.push({ x0, x1, value: s }); });
  return out;
}

const spanFrom = (s: Span): number => s.from;
const spanTo = (s: Span): number => s.to;
const spanState = (s: Span): LaneState => s.state;
const runFrom = (r: CpuRun): number => r.from;
const runTo = (r: CpuRun): number => r.to;
const runPid = (r: CpuRun): number => r.pid ?? -1;

export function laneBars(spans: readonly Span[], v: View, width: number): Array<Bar<LaneState>> {
  return seriesBars(spans, spanFrom, spanTo, spanState, v, width);
}

/** laneBars, given to `emit` one at a time (a frame draws them without keeping them). */
export function laneBarsEach(spans: readonly Span[], v: View, width: number, emit: BarSink<LaneState>): void {
  seriesBarsEach(spans, spanFrom, spanTo, spanState, v, width, undefined, emit);
}

/**
 * A CPU's runs as bars whose value is the pid that ran. Idle time is not drawn, and a pixel that
 * holds any run shows the task that ran longest in it, however short next to the idle time.
 */
export function cpuBars(runs: readonly CpuRun[], v: View, width: number): Array<Bar<number>> {
  return seriesBars(runs, runFrom, runTo, runPid, v, width, -1);
}

/** cpuBars, given to `emit` one at a time. */
export function cpuBarsEach(runs: readonly CpuRun[], v: View, width: number, emit: BarSink<number>): void {
  seriesBarsEach(runs, runFrom, runTo, runPid, v, width, -1, emit);
}

/** One drawn mark: a single event, or several too close to tell apart at this zoom. */
export interface Glyph {
  x: number;
  /** The first mark of the glyph and how many there are (they follow it in the lane's list). */
  first: Mark;
  firstIndex: number;
  count: number;
  /** The kinds it holds (one kind draws as that kind; several as a cluster). Shared between glyphs: not to be changed. */
  kinds: readonly MarkKind[];
}

function firstAtOrAfter(marks: readonly Mark[], t: number): number {
  let lo = 0, hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid].time < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * A lane's marks in the window, each glyph gathering the marks within `cell` pixels of its first
 * one. Each glyph costs one binary search, so a lane of a million marks draws at most width/cell.
 */
export function laneGlyphs(marks: readonly Mark[], v: View, width: number, cell = 6): Glyph[] {
  const out: Glyph[] = [];
  const dt = (v.t1 - v.t0) / width;
  let i = firstAtOrAfter(marks, v.t0);
  while (i < marks.length && marks[i].time <= v.t1) {
    const m = marks[i];
    const x = (m.time - v.t0) / dt;
    const j = Math.max(i + 1, firstAtOrAfter(marks, m.time + cell * dt));
    const end = Math.min(j, marks.length);
    // The kinds of a large cluster are read from a bounded sample: a cluster draws as "many" anyway.
    out.push({ x, first: m, firstIndex: i, count: end - i, kinds: kindsOf(marks, i, Math.min(end, i + 64)) });
    i = end;
  }
  return out;
}

const KIND_ORDER: readonly MarkKind[] = ['fork', 'exec', 'exit', 'zombie', 'reap', 'reparent', 'signal', 'deliver'];
const KIND_ID = new Map(KIND_ORDER.map((k, i) => [k, i]));
/** The kinds lists made so far, by the kinds in their order (each list shared, never changed). */
const kindLists = new Map<number, MarkKind[]>();

/** The distinct kinds of marks[from, end), in order of first appearance. */
export function kindsOf(marks: readonly Mark[], from: number, end: number): MarkKind[] {
  let seen = 0, code = 0;
  for (let k = from; k < end; k++) {
    const id = KIND_ID.get(marks[k].kind);
    if (id === undefined) return distinctKinds(marks, from, end);
    if (seen & (1 << id)) continue;
    seen |= 1 << id;
    code = code * 9 + id + 1;
  }
  let list = kindLists.get(code);
  if (!list) {
    list = distinctKinds(marks, from, end);
    if (kindLists.size < 4096) kindLists.set(code, list);
  }
  return list;
}

function distinctKinds(marks: readonly Mark[], from: number, end: number): MarkKind[] {
  const kinds: MarkKind[] = [];
  for (let k = from; k < end; k++) if (!kinds.includes(marks[k].kind)) kinds.push(marks[k].kind);
  return kinds;
}

/** The glyph nearest to x within `tolerance` pixels. */
export function glyphAt(glyphs: readonly Glyph[], x: number, tolerance = 5): Glyph | undefined {
  let best: Glyph | undefined, bestD = tolerance;
  for (const g of glyphs) {
    const d = Math.abs(g.x - x);
    if (d <= bestD) { best = g; bestD = d; }
  }
  return best;
}

/** The mark after (dir 1) or before (dir -1) `m` in time order; the first or last when m is absent. */
export function neighbourMark(index: TimelineIndex, m: Mark | undefined, dir: 1 | -1): Mark | undefined {
  const all = index.marks;
  if (!all.length) return undefined;
  if (!m) return dir > 0 ? all[0] : all[all.length - 1];
  let i = all.indexOf(m);
  if (i < 0) i = firstAtOrAfter(all, m.time) - (dir > 0 ? 1 : 0);
  return all[Math.min(all.length - 1, Math.max(0, i + dir))];
}

/**
 * The lanes a mark's arrow joins: fork, from the parent to the child; reparent, to the new
 * parent; reap, from the reaper; signal, from the sender. Others have none.
 */
export function arrowOf(m: Mark): { from: number; to: number } | undefined {
  if (m.otherLane === undefined) return undefined;
  switch (m.kind) {
    case 'fork': case 'reparent': return { from: m.lane, to: m.otherLane };
    case 'reap': case 'signal': return { from: m.otherLane, to: m.lane };
    default: return undefined;
  }
}

/** At most this many arrows in a frame (the glyphs still all show). */
const ARROW_BUDGET = 2000;

/**
 * The arrows a frame draws between rows, for its single (not clustered) glyphs whose mark has
 * one: each arrow's x, the centres of its two rows (a row out of view taken at the window's edge)
 * and its glyph, given out in row order, at most ARROW_BUDGET single glyphs looked at.
 */
export function arrowsEach(index: TimelineIndex, glyphRows: Iterable<Glyph[]>, yOf: (row: number) => number, rowHeight: number, first: number, end: number, emit: (x: number, y0: number, y1: number, gl: Glyph) => void): void {
  let budget = ARROW_BUDGET;
  const clampRow = (r: number): number => Math.min(Math.max(r, first - 1), end);
  for (const glyphs of glyphRows) {
    for (const gl of glyphs) {
      if (gl.count !== 1 || budget-- <= 0) continue;
      const a = arrowOf(gl.first);
      const from = a ? index.rowOfLane[a.from] ?? -1 : -1;
      const to = a ? index.rowOfLane[a.to] ?? -1 : -1;
      if (from < 0 || to < 0 || from === to) continue;
      emit(gl.x, yOf(clampRow(from)) + rowHeight / 2, yOf(clampRow(to)) + rowHeight / 2, gl);
    }
  }
}
