// What changed between two timeline models, small enough to post at every stop: a step mostly
// grows the live lanes' last spans and appends a few spans, marks and CPU runs, so each array is
// sent as the length of the prefix it shares with the last model and its new tail. The adapter
// makes the deltas as it builds (sim-core/viz/model-delta.ts); the panel keeps its copy by
// applying them, and the page applies them to the model it holds (in place) and updates what it
// built.
import type { CpuRun, Lane, TimelineModel } from './timelineTypes';

// The delta's shape is the adapter's (it makes deltas at the source, sim-core/viz/model-delta.ts).
import type { LaneEdit, SeriesEdit, TimelineDelta } from '../../sim-core/viz/model-delta';

export type { LaneEdit, SeriesEdit, TimelineDelta };

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

/** Each CPU's runs, in the order the CPUs first appear. */
export function runsByCpu(runs: readonly CpuRun[]): Map<number, CpuRun[]> {
  const out = new Map<number, CpuRun[]>();
  for (const r of runs) {
    const l = out.get(r.cpu);
    if (l) l.push(r); else out.set(r.cpu, [r]);
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
