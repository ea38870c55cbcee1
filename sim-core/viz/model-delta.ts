// What changed in the timeline since it was last handed out, told by the builder itself: it knows
// which lanes and CPUs grew or took a span back, and how many marks it had, so a debugger stop
// sends a delta made in time proportional to the lanes and the new events, without comparing
// models. The sender also decides what to hand out (the delta, or the whole model when the client
// does not hold the last hand-out or the delta would weigh half the model or more), weighing both
// with one measure. The delta's shape is the one the panel's page applies
// (extension/client/timelineDelta.ts).
import { openSpan, outLane, type LaneBuild } from './model-lanes';
import type { TimelineBuilder } from './model';
import type { CpuRun, Lane, Mark, Span, TimelineModel } from './model-types';

/** An array as `keep` items of the base followed by `add`. */
export interface SeriesEdit<T> { keep: number; add: T[] }

/**
 * One lane of the new model: `n` unchanged lanes taken in order from the base from index `from`;
 * or the base lane `from` with some fields changed or removed and its spans edited; or a new lane.
 */
export type LaneEdit =
  | { from: number; n: number }
  | { from: number; set?: Record<string, unknown>; unset?: string[]; spans?: SeriesEdit<Span> }
  | { lane: Lane };

export interface TimelineDelta {
  /** Top-level fields (start, end, now, ...) that changed, and those gone. */
  set: Record<string, unknown>;
  unset: string[];
  lanes: LaneEdit[];
  /** Marks, once the kept ones' lane indices follow the lanes' new order. */
  marks: SeriesEdit<Mark>;
  /** Every CPU of the new model in its order, each as an edit of that CPU's runs in the base. */
  cpus: Array<{ cpu: number } & SeriesEdit<CpuRun>>;
  /** The base's CPUs in its order and how many runs each has (it holds each CPU's runs together). */
  baseCpus: Array<[cpu: number, runs: number]>;
}

/** How many lanes, spans, marks and CPU runs a model holds, or a delta carries. */
export interface SeriesSizes { lanes: number; spans: number; marks: number; runs: number }

/**
 * The one measure of what a model or a delta carries (each lane, span, mark and CPU run counts
 * one, a lane's fields going with it), by which the sender weighs a delta against the model.
 */
export function seriesWeight(s: SeriesSizes): number {
  return s.lanes + s.spans + s.marks + s.runs;
}

/** What a delta carries: the lanes it sends or edits (a run of lanes kept carries none), the spans, marks and runs it adds. */
export function deltaSizes(d: TimelineDelta): SeriesSizes {
  const s: SeriesSizes = { lanes: 0, spans: 0, marks: d.marks.add.length, runs: 0 };
  for (const c of d.cpus) s.runs += c.add.length;
  for (const l of d.lanes) {
    if ('lane' in l) { s.lanes++; s.spans += l.lane.spans.length; }
    else if (!('n' in l)) { s.lanes++; if (l.spans) s.spans += l.spans.add.length; }
  }
  return s;
}

/** What a whole model holds. */
export function modelSizes(m: TimelineModel): SeriesSizes {
  const s: SeriesSizes = { lanes: m.lanes.length, spans: 0, marks: m.marks.length, runs: m.cpus.length };
  for (const l of m.lanes) s.spans += l.spans.length;
  return s;
}

/** How much a delta carries, to weigh against modelWeight. */
export function deltaWeight(d: TimelineDelta): number {
  return seriesWeight(deltaSizes(d));
}

/** How much a whole model holds (TimelineBuilder.sizes counts the same without making it). */
export function modelWeight(m: TimelineModel): number {
  return seriesWeight(modelSizes(m));
}

/** A versioned hand-out: the whole model, or the delta from version `base` (the client's copy). */
export type TimelineAnswer<M extends TimelineModel = TimelineModel> =
  | { version: number; model: M }
  | { version: number; base: number; delta: TimelineDelta };

/** Versions are never reused by any sender (a new one after a restart too): a client's `since` names one hand-out only. */
let versions = 0;

/** A lane as last handed out: its index, ended spans, the span of its state then, and its fields that can change. */
interface SentLane {
  index: number; closed: number; open: Span | undefined;
  comm: string; gone?: number; goneStep?: number; leaderLane: number; parentLane?: number;
}

/** A CPU as last handed out: its ended runs and the run going on then. */
interface SentCpu { closed: number; open: CpuRun | undefined }

type Flat = Record<string, unknown>;

const sameSpan = (a: Span | undefined, b: Span | undefined): boolean => a === b || (!!a && !!b && a.from === b.from && a.to === b.to && a.state === b.state);
const sameRun = (a: CpuRun | undefined, b: CpuRun | undefined): boolean => a === b || (!!a && !!b && a.from === b.from && a.to === b.to && a.pid === b.pid);
const sameValue = (a: unknown, b: unknown): boolean => a === b || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));

/**
 * Hands out a builder's model, whole or as the delta from what it handed out last. The builder
 * keeps folding events in between; each hand-out remembers what it gave. `answer` decides which
 * to hand out and numbers its answers; `whole` and `delta` make one of them whatever it weighs and
 * number nothing (a sender is used through the one or the others, not both).
 */
export class TimelineSender {
  private lanes: Array<SentLane | undefined> = [];
  private cpus: Array<SentCpu | undefined> = [];
  /** The CPUs handed out, in their order, with their run counts. */
  private cpuOrder: Array<[number, number]> = [];
  private marks = 0;
  private top: Flat = {};
  /** The version of the last answer (0: none yet). */
  private version = 0;

  constructor(private readonly b: TimelineBuilder) {}

  /**
   * The answer to a client holding version `since` (none: it holds nothing), at `now`, with
   * `extra` top-level fields: the delta from `since` when that is this sender's last answer and
   * the delta weighs less than half the whole model, else the whole model. A builder made anew
   * (its past changed) has a new sender, whose first answer is whole.
   */
  answer<E extends Flat>(now: number, nowStep: number, since: number | undefined, extra: E): TimelineAnswer<TimelineModel & E> {
    const base = this.version;
    const version = this.version = ++versions;
    if (base !== 0 && since === base) {
      const delta = this.delta(now, nowStep, extra);
      if (deltaWeight(delta) * 2 < seriesWeight(this.b.sizes(this.b.axisEnd(now)))) return { version, base, delta };
    }
    return { version, model: this.whole(now, nowStep, extra) };
  }

  /** The whole model at `now`, with `extra` top-level fields (as truncated); remembered as handed out. */
  whole<E extends Flat>(now: number, nowStep: number, extra: E): TimelineModel & E {
    const m = Object.assign(this.b.model(now, nowStep), extra);
    const { ordered, index } = this.b.book.order();
    this.lanes = [];
    ordered.forEach((l, i) => this.remember(l, i, index, m.end));
    this.rememberCpus(m.end);
    this.marks = this.b.lifecycle.marks.length;
    this.top = topOf(m as unknown as Flat);
    return m;
  }

  /** What changed since the last hand-out (whole or delta), at `now`; remembered as handed out. */
  delta(now: number, nowStep: number, extra: Flat = {}): TimelineDelta {
    const b = this.b;
    const end = b.axisEnd(now);
    const top = topOf({ start: b.start, end, now, nowStep, sched: b.sched, cpuCount: b.cpus.count, ...extra });
    const set: Flat = {};
    for (const k in top) if (!(k in this.top) || !sameValue(this.top[k], top[k])) set[k] = top[k];
    const unset = Object.keys(this.top).filter((k) => !(k in top));
    const { ordered, index } = b.book.order();
    const lanes: LaneEdit[] = [];
    ordered.forEach((l, i) => {
      const s = this.lanes[l.order];
      const edit = s ? laneEdit(l, s, index, end) : { lane: outLane(l, index, spansOf(l, 0, end)) };
      if (edit) lanes.push(edit);
      else {
        const prev = lanes[lanes.length - 1];
        const from = (s as SentLane).index;
        if (prev && 'n' in prev && prev.from + prev.n === from) prev.n++;
        else lanes.push({ from, n: 1 });
      }
      this.remember(l, i, index, end);
    });
    const all = b.lifecycle.marks;
    const add: Mark[] = [];
    for (let k = this.marks; k < all.length; k++) add.push(markOut(all[k], index));
    const marks = { keep: this.marks, add };
    this.marks = all.length;
    const baseCpus = this.cpuOrder;
    const cpus: TimelineDelta['cpus'] = [];
    const c = b.cpus;
    for (let cpu = 0; cpu < c.count; cpu++) {
      const runs = c.runs[cpu], open = c.open(cpu, end);
      if (!runs.length && !open) continue;
      const s = this.cpus[cpu];
      const keep = s ? Math.min(c.low[cpu], s.closed) : 0;
      if (s && keep === s.closed && runs.length === s.closed && sameRun(open, s.open)) { cpus.push({ cpu, keep: s.closed + (s.open ? 1 : 0), add: [] }); continue; }
      const more = runs.slice(keep);
      if (open) more.push(open);
      cpus.push({ cpu, keep, add: more });
    }
    this.rememberCpus(end);
    this.top = top;
    return { set, unset, lanes, marks, cpus, baseCpus };
  }

  private remember(l: LaneBuild, i: number, index: Int32Array, end: number): void {
    const s: SentLane = { index: i, closed: l.spans.length, open: openSpan(l, end), comm: l.comm, leaderLane: index[l.leaderLane] };
    if (l.gone !== undefined) { s.gone = l.gone; s.goneStep = l.goneStep; }
    if (l.parentLane !== undefined) s.parentLane = index[l.parentLane];
    this.lanes[l.order] = s;
    l.low = l.spans.length;
  }

  private rememberCpus(end: number): void {
    const c = this.b.cpus;
    this.cpus = [];
    this.cpuOrder = [];
    for (let cpu = 0; cpu < c.count; cpu++) {
      const open = c.open(cpu, end);
      const n = c.runs[cpu].length + (open ? 1 : 0);
      this.cpus[cpu] = { closed: c.runs[cpu].length, open };
      if (n) this.cpuOrder.push([cpu, n]);
      c.low[cpu] = c.runs[cpu].length;
    }
  }
}

/** The model's top-level fields but its series. */
function topOf(m: Flat): Flat {
  const out: Flat = {};
  for (const k in m) if (k !== 'lanes' && k !== 'marks' && k !== 'cpus' && m[k] !== undefined) out[k] = m[k];
  return out;
}

/** A mark of the builder with its lanes' final indices. */
export function markOut(m: Mark, index: Int32Array): Mark {
  const c = { ...m, lane: index[m.lane] };
  if (m.otherLane !== undefined) c.otherLane = index[m.otherLane];
  return c;
}

/** The lane's spans from `keep` on, the span of its current state drawn to `end` last. */
function spansOf(l: LaneBuild, keep: number, end: number): Span[] {
  const out = l.spans.slice(keep);
  const open = openSpan(l, end);
  if (open) out.push(open);
  return out;
}

/** The edit of a lane handed out before, or undefined when it is as it was. */
function laneEdit(l: LaneBuild, s: SentLane, index: Int32Array, end: number): LaneEdit | undefined {
  const set: Flat = {};
  let changed = false;
  const put = (k: string, v: unknown): void => { set[k] = v; changed = true; };
  if (l.comm !== s.comm) put('comm', l.comm);
  if (l.gone !== s.gone) put('gone', l.gone);
  if (l.goneStep !== s.goneStep) put('goneStep', l.goneStep);
  const leader = index[l.leaderLane];
  if (leader !== s.leaderLane) put('leaderLane', leader);
  const parent = l.parentLane === undefined ? undefined : index[l.parentLane];
  if (parent !== s.parentLane) put('parentLane', parent);
  const keep = Math.min(l.low, s.closed);
  const spansSame = keep === s.closed && l.spans.length === s.closed && sameSpan(openSpan(l, end), s.open);
  if (!changed && spansSame) return undefined;
  const edit: { from: number; set?: Flat; spans?: SeriesEdit<Span> } = { from: s.index };
  if (changed) edit.set = set;
  if (!spansSame) edit.spans = { keep, add: spansOf(l, keep, end) };
  return edit;
}

