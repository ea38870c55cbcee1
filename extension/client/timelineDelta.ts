// What changed between two timeline models, small enough to post at every stop: a step mostly
// grows the live lanes' last spans and appends a few spans, marks and CPU runs, so each array is
// sent as the length of the prefix it shares with the last model and its new tail. The adapter
// makes the deltas as it builds (diffTimeline makes one from two whole models); the panel keeps
// its copy by applying them, and the page applies them to the model it holds (in place) and
// updates what it built.
import type { CpuRun, Lane, Mark, Span, TimelineModel } from './timelineTypes';

// The delta's shape is the adapter's (it makes deltas at the source, sim-core/viz/model-delta.ts).
import type { LaneEdit, SeriesEdit, TimelineDelta } from '../../sim-core/viz/model-delta';

export type { LaneEdit, SeriesEdit, TimelineDelta };
export { deltaWeight, modelWeight } from '../../sim-core/viz/model-delta';

/** What applying a delta changed, for the page to update its index and coarse copies. */
export interface Applied {
  /** Lanes added, removed or reordered (lane indices changed). */
  reordered: boolean;
  /** By new lane index: the spans each edited lane kept (lanes absent here kept all). */
  spansKept: Map<number, number>;
  /** Marks kept before the new ones; and whether the kept ones' lanes were renumbered. */
  marksKept: number;
  /** By CPU: the runs kept, for the CPUs whose runs changed; and whether the set of CPUs changed. */
  runsKept: Map<number, number>;
  cpusChanged: boolean;
}

type Flat = Record<string, unknown>;
const SERIES = new Set(['lanes', 'marks', 'cpus']);

/** Equal values, records and arrays compared by content. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** How long a prefix two arrays share (items compared with `same`). */
function sharedPrefix<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && same(a[i], b[i])) i++;
  return i;
}

/** The fields of `b` that differ from `a` (set) and those of `a` that `b` lacks (unset), but `skip`. */
function fieldDiff(a: object, b: object, skip: (k: string) => boolean): { set: Flat; unset: string[] } {
  const x = a as Flat, y = b as Flat;
  const set: Flat = {};
  const unset: string[] = [];
  for (const k in y) if (!skip(k) && (!(k in x) || !sameValue(x[k], y[k]))) set[k] = y[k];
  for (const k in x) if (!skip(k) && !(k in y)) unset.push(k);
  return { set, unset };
}

/** A lane's identity across models: its pid and birth (a reused pid is a new lane). */
const laneKey = (l: Lane): string => `${l.pid}@${l.born}@${l.bornStep ?? ''}`;

/** Each CPU's runs, in the order the CPUs first appear. */
function runsByCpu(runs: readonly CpuRun[]): Map<number, CpuRun[]> {
  const out = new Map<number, CpuRun[]>();
  for (const r of runs) {
    const l = out.get(r.cpu);
    if (l) l.push(r); else out.set(r.cpu, [r]);
  }
  return out;
}

// Spans, CPU runs and marks are compared field by field (the model's types name all their fields):
// a stop compares every item the run has, and reading named fields is many times faster than
// walking keys.
const sameSpan = (a: Span, b: Span): boolean => a.from === b.from && a.to === b.to && a.state === b.state;
const sameRun = (a: CpuRun, b: CpuRun): boolean => a.from === b.from && a.to === b.to && a.pid === b.pid && a.cpu === b.cpu;

/** A mark of the base, its lanes renumbered (when `laneTo` is given), against one of the new model. */
function sameMark(a: Mark, b: Mark, laneTo: Int32Array | undefined): boolean {
  if (a.time !== b.time || a.step !== b.step || a.kind !== b.kind || a.pid !== b.pid || a.other !== b.other || a.label !== b.label
    || a.fn !== b.fn || a.from !== b.from || a.sig !== b.sig || ('other' in a) !== ('other' in b) || ('from' in a) !== ('from' in b)
    || ('sig' in a) !== ('sig' in b) || ('otherLane' in a) !== ('otherLane' in b)) return false;
  if (!laneTo) return a.lane === b.lane && a.otherLane === b.otherLane;
  return (laneTo[a.lane] ?? -1) === b.lane && (a.otherLane === undefined || (laneTo[a.otherLane] ?? -1) === b.otherLane);
}

/** The delta that turns `a` into `b`. */
export function diffTimeline(a: TimelineModel, b: TimelineModel): TimelineDelta {
  const top = fieldDiff(a, b, (k) => SERIES.has(k));
  // Lanes: each new lane matched to the base lane of the same task, if any.
  const byKey = new Map<string, number[]>();
  a.lanes.forEach((l, j) => {
    const k = laneKey(l);
    const list = byKey.get(k);
    if (list) list.push(j); else byKey.set(k, [j]);
  });
  const laneTo = new Int32Array(a.lanes.length).fill(-1);
  let identity = a.lanes.length === b.lanes.length;
  const lanes: LaneEdit[] = [];
  b.lanes.forEach((l, i) => {
    const j = byKey.get(laneKey(l))?.shift();
    if (j === undefined) { lanes.push({ lane: l }); identity = false; return; }
    laneTo[j] = i;
    if (j !== i) identity = false;
    const old = a.lanes[j];
    const f = fieldDiff(old, l, (k) => k === 'spans');
    const keep = sharedPrefix(old.spans, l.spans, sameSpan);
    const edit: { from: number; set?: Flat; unset?: string[]; spans?: SeriesEdit<Span> } = { from: j };
    if (Object.keys(f.set).length) edit.set = f.set;
    if (f.unset.length) edit.unset = f.unset;
    if (keep < old.spans.length || keep < l.spans.length) edit.spans = { keep, add: l.spans.slice(keep) };
    if (edit.set || edit.unset || edit.spans) { lanes.push(edit); return; }
    const prev = lanes[lanes.length - 1];
    if (prev && 'n' in prev && prev.from + prev.n === j) prev.n++;
    else lanes.push({ from: j, n: 1 });
  });
  const map = identity ? undefined : laneTo;
  const kept = sharedPrefix(a.marks, b.marks, (x, y) => sameMark(x, y, map));
  // CPU runs: each CPU's stretch compared with its stretch in the base, without copying either.
  const segA = segments(a.cpus), segB = segments(b.cpus);
  const before = new Map<number, { start: number; end: number }>();
  if (segA) for (const x of segA) before.set(x.cpu, x);
  const oldRuns = segA ? undefined : runsByCpu(a.cpus);
  const newRuns = segB ? undefined : runsByCpu(b.cpus);
  const cpus: TimelineDelta['cpus'] = [];
  for (const x of segB ?? [...(newRuns ?? [])].map(([cpu, r]) => ({ cpu, start: 0, end: r.length }))) {
    const runs = newRuns?.get(x.cpu) ?? b.cpus;
    const was = oldRuns ? { runs: oldRuns.get(x.cpu) ?? [], start: 0, end: oldRuns.get(x.cpu)?.length ?? 0 } : { runs: a.cpus, ...(before.get(x.cpu) ?? { start: 0, end: 0 }) };
    const n = Math.min(was.end - was.start, x.end - x.start);
    let keep = 0;
    while (keep < n && sameRun(was.runs[was.start + keep], runs[x.start + keep])) keep++;
    cpus.push({ cpu: x.cpu, keep, add: runs.slice(x.start + keep, x.end) });
  }
  const baseCpus: TimelineDelta['baseCpus'] = segA ? segA.map((x) => [x.cpu, x.end - x.start]) : [];
  return { set: top.set, unset: top.unset, lanes, marks: { keep: kept, add: b.marks.slice(kept) }, cpus, baseCpus };
}

/** Each CPU's [start, end) in a flat array of runs; undefined when a CPU's runs are not together. */
function segments(runs: readonly CpuRun[]): Array<{ cpu: number; start: number; end: number }> | undefined {
  const out: Array<{ cpu: number; start: number; end: number }> = [];
  const seen = new Set<number>();
  for (let i = 0; i < runs.length; i++) {
    const c = runs[i].cpu;
    const last = out[out.length - 1];
    if (last && last.cpu === c) { last.end = i + 1; continue; }
    if (seen.has(c)) return undefined;
    seen.add(c);
    out.push({ cpu: c, start: i, end: i + 1 });
  }
  return out;
}

/**
 * The stretches the delta says the base's CPUs have, checked at their ends (without reading every
 * run); undefined when they are not those (the runs are then gathered by CPU afresh).
 */
function stretches(runs: readonly CpuRun[], said: TimelineDelta['baseCpus']): Array<{ cpu: number; start: number; end: number }> | undefined {
  const out: Array<{ cpu: number; start: number; end: number }> = [];
  let at = 0;
  for (const [cpu, n] of said) {
    if (n <= 0 || runs[at]?.cpu !== cpu || runs[at + n - 1]?.cpu !== cpu || runs[at + n]?.cpu === cpu) return undefined;
    out.push({ cpu, start: at, end: at + n });
    at += n;
  }
  return at === runs.length ? out : undefined;
}

/** Replaces `arr[keep..]` by `add`, in place. */
function splice<T>(arr: T[], keep: number, add: readonly T[]): void {
  if (keep > arr.length) throw new Error(`a timeline delta keeps ${keep} items of ${arr.length}`);
  arr.length = keep;
  for (let i = 0; i < add.length; i++) arr.push(add[i]);
}

/**
 * Turns `base` into the model the delta was made for, in place (the arrays that only grew keep
 * their identity, so what the page built on them can be extended), and says what changed.
 * A delta made for another base throws.
 */
export function applyTimelineDelta(base: TimelineModel, d: TimelineDelta): Applied {
  const m = base as unknown as Flat;
  for (const k of d.unset) delete m[k];
  for (const k in d.set) m[k] = d.set[k];
  const old = base.lanes;
  const lanes: Lane[] = [];
  const laneTo = new Int32Array(old.length).fill(-1);
  const spansKept = new Map<number, number>();
  let reordered = false;
  const take = (j: number): Lane => {
    const l = old[j];
    if (!l || laneTo[j] >= 0) throw new Error(`a timeline delta names lane ${j} of ${old.length}`);
    laneTo[j] = lanes.length;
    if (j !== lanes.length) reordered = true;
    return l;
  };
  for (const e of d.lanes) {
    if ('lane' in e) { reordered = true; lanes.push(e.lane); continue; }
    if ('n' in e) { for (let k = 0; k < e.n; k++) lanes.push(take(e.from + k)); continue; }
    const l = take(e.from);
    const f = l as unknown as Flat;
    for (const k of e.unset ?? []) delete f[k];
    for (const k in e.set ?? {}) f[k] = e.set?.[k];
    if (e.spans) { spansKept.set(lanes.length, e.spans.keep); splice(l.spans, e.spans.keep, e.spans.add); }
    lanes.push(l);
  }
  if (lanes.length !== old.length) reordered = true;
  base.lanes = lanes;
  if (reordered) {
    for (let i = 0; i < d.marks.keep; i++) {
      const mk = base.marks[i];
      mk.lane = laneTo[mk.lane];
      if (mk.otherLane !== undefined) mk.otherLane = laneTo[mk.otherLane];
    }
  }
  splice(base.marks, d.marks.keep, d.marks.add);
  // CPU runs: each CPU's stretch of the flat array edited in place, the last CPU first (so the
  // earlier stretches do not move); rebuilt when the CPUs are not in one stretch each as in the delta.
  const runsKept = new Map<number, number>();
  const seg = stretches(base.cpus, d.baseCpus);
  const cpusChanged = !seg || seg.length !== d.cpus.length || seg.some((s, i) => s.cpu !== d.cpus[i].cpu);
  if (!cpusChanged && seg) {
    for (let i = d.cpus.length - 1; i >= 0; i--) {
      const c = d.cpus[i], s = seg[i];
      if (c.keep > s.end - s.start) throw new Error(`a timeline delta keeps ${c.keep} runs of CPU ${c.cpu}'s ${s.end - s.start}`);
      if (c.keep === s.end - s.start && !c.add.length) continue;
      runsKept.set(c.cpu, c.keep);
      const cut = s.end - s.start - c.keep;
      const n = Math.min(cut, c.add.length);
      for (let k = 0; k < n; k++) base.cpus[s.start + c.keep + k] = c.add[k];
      if (cut > n) base.cpus.splice(s.start + c.keep + n, cut - n);
      else for (let k = n; k < c.add.length; k += 8192) base.cpus.splice(s.end + k - n, 0, ...c.add.slice(k, k + 8192));
    }
  } else {
    const old = runsByCpu(base.cpus);
    const runs: CpuRun[] = [];
    for (const c of d.cpus) {
      const was = old.get(c.cpu) ?? [];
      runsKept.set(c.cpu, c.keep);
      splice(was, c.keep, c.add);
      for (let i = 0; i < was.length; i++) runs.push(was[i]);
    }
    base.cpus = runs;
  }
  return { reordered, spansKept, marksKept: d.marks.keep, runsKept, cpusChanged };
}
