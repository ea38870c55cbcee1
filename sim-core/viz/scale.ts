// The timeline's time axis: virtual time to pixels, linear except where a long stretch with no
// event at all is cut down to a narrow band (a sleep(1) among microseconds of work), and its ticks.
import type { TimelineModel } from './model';

export interface AxisBreak { from: number; to: number }

export interface TimeScale {
  /** Pixels from the plot's left edge for virtual time t (ns). */
  x(t: number): number;
  /** The virtual time at pixel p, the inverse of x. */
  t(p: number): number;
  /** Tick times, spaced for their labels. */
  ticks(): number[];
  breaks: readonly AxisBreak[];
}

/** At most this many cuts, and how much wider than the typical gap between two moments a cut gap must be. */
const MAX_BREAKS = 20;
const BREAK_FACTOR = 50;
/** A cut must also be at least this share of the whole run. */
const BREAK_SHARE = 0.02;

/** Every moment something changes, sorted: span and CPU-run starts (and the last ends), marks, now. */
function changeTimes(model: TimelineModel): Float64Array {
  let n = 3 + model.marks.length + 2 * model.cpus.length + model.lanes.length;
  for (const l of model.lanes) n += l.spans.length;
  const a = new Float64Array(n);
  let i = 0;
  a[i++] = model.start; a[i++] = model.end; a[i++] = model.now;
  for (const m of model.marks) a[i++] = m.time;
  // Back-to-back runs and spans: each one's start, and the end of the last (or of a run after a gap).
  for (let r = 0; r < model.cpus.length; r++) {
    const run = model.cpus[r];
    a[i++] = run.from;
    const next = model.cpus[r + 1];
    if (!next || next.cpu !== run.cpu || next.from !== run.to) a[i++] = run.to;
  }
  for (const l of model.lanes) {
    for (const s of l.spans) a[i++] = s.from;
    if (l.spans.length) a[i++] = l.spans[l.spans.length - 1].to;
  }
  return a.subarray(0, i).sort();
}

/**
 * The stretches of the axis to cut: gaps between two consecutive changes (a span or CPU run that
 * starts or ends, a mark) that are both far longer than the typical gap (50 times the median, of a
 * sample of at most 65,536 gaps) and a sizeable share of the run (2%); the longest 20.
 */
export function axisBreaks(model: TimelineModel, plotW: number): AxisBreak[] {
  const total = model.end - model.start;
  if (total <= 0 || plotW < 100) return [];
  const times = changeTimes(model);
  let distinct = 0;
  for (let i = 1; i < times.length; i++) if (times[i] > times[i - 1]) distinct++;
  if (distinct < 2) return [];
  const every = Math.max(1, Math.ceil(distinct / 65536));
  const sample: number[] = [];
  const cand: AxisBreak[] = [];
  let k = 0;
  for (let i = 1; i < times.length; i++) {
    const g = times[i] - times[i - 1];
    if (g <= 0) continue;
    if (k++ % every === 0) sample.push(g);
    if (g > total * BREAK_SHARE) cand.push({ from: times[i - 1], to: times[i] });
  }
  sample.sort((a, b) => a - b);
  const min = Math.max(sample[sample.length >> 1] * BREAK_FACTOR, total * BREAK_SHARE);
  const cut = cand.filter((b) => b.to - b.from > min).sort((x, y) => (y.to - y.from) - (x.to - x.from));
  return cut.slice(0, MAX_BREAKS).sort((a, b) => a.from - b.from);
}

interface Piece { t0: number; t1: number; p0: number; p1: number; cut: boolean }

/** The nice step (1, 2 or 5 times a power of ten) nearest above `raw`. */
function niceStep(raw: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

export function timeScale(start: number, end: number, plotW: number, breaks: readonly AxisBreak[]): TimeScale {
  const total = Math.max(0, end - start);
  const cutT = breaks.reduce((s, b) => s + (b.to - b.from), 0);
  const bw = breaks.length ? Math.min(16, (0.3 * plotW) / breaks.length) : 0;
  const linW = plotW - bw * breaks.length;
  const linT = total - cutT;
  const k = linT > 0 ? linW / linT : 0;
  const pieces: Piece[] = [];
  let t = start, p = 0;
  for (const b of breaks) {
    if (b.from > t) { pieces.push({ t0: t, t1: b.from, p0: p, p1: p + (b.from - t) * k, cut: false }); p += (b.from - t) * k; }
    pieces.push({ t0: b.from, t1: b.to, p0: p, p1: p + bw, cut: true });
    p += bw;
    t = b.to;
  }
  if (end > t || pieces.length === 0) pieces.push({ t0: t, t1: Math.max(t, end), p0: p, p1: total > 0 ? plotW : 0, cut: false });
  const find = (v: number, key: 't0' | 'p0'): Piece => {
    let lo = 0, hi = pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (pieces[mid][key] <= v) lo = mid; else hi = mid - 1;
    }
    return pieces[lo];
  };
  const x = (tt: number): number => {
    if (tt <= start) return 0;
    if (tt >= end) return total > 0 ? plotW : 0;
    const pc = find(tt, 't0');
    return pc.t1 > pc.t0 ? pc.p0 + ((tt - pc.t0) / (pc.t1 - pc.t0)) * (pc.p1 - pc.p0) : pc.p0;
  };
  const inv = (px: number): number => {
    if (px <= 0) return start;
    if (px >= plotW) return end;
    const pc = find(px, 'p0');
    return pc.p1 > pc.p0 ? pc.t0 + ((px - pc.p0) / (pc.p1 - pc.p0)) * (pc.t1 - pc.t0) : pc.t0;
  };
  const ticks = (): number[] => {
    const out: number[] = [];
    const taken: number[] = [];
    const free = (px: number): boolean => taken.every((q) => Math.abs(q - px) >= 60);
    const add = (tt: number): void => { const px = x(tt); if (free(px)) { out.push(tt); taken.push(px); } };
    for (const pc of pieces) if (!pc.cut) add(pc.t0);
    for (const pc of pieces) {
      if (pc.cut || pc.p1 - pc.p0 < 1 || pc.t1 <= pc.t0) continue;
      const step = niceStep(((pc.t1 - pc.t0) * 90) / (pc.p1 - pc.p0));
      for (let v = Math.ceil(pc.t0 / step) * step; v <= pc.t1; v += step) add(v);
    }
    return out.sort((a, b) => a - b);
  };
  return { x, t: inv, ticks, breaks };
}
