// Test support: the timeline delta made from two whole models, by comparing them (the adapter
// makes its deltas as it builds, sim-core/viz/model-delta.ts). The unit tests check
// applyTimelineDelta against it on random models, and the page's benchmark makes its updates with
// it; neither the extension nor the page ships it.
import type { CpuRun, Lane, Mark, Span, TimelineModel } from '../../extension/client/timelineTypes';
import { runsByCpu, type LaneEdit, type SeriesEdit, type TimelineDelta } from '../../extension/client/timelineDelta';

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

