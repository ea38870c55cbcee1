// The page's copy of a model made cheaper to keep: a posted model arrives as a structured clone,
// in which every mark's kind, kernel function and label and every span's state is a string of its
// own (millions at 1,000,000 events). Each garbage collection must visit every one of them, and at
// that size a collection takes longer than a frame. Equal strings are made one shared string.
import type { TimelineDelta } from './timelineDelta';
import type { Lane, Mark, TimelineModel } from './timelineTypes';

/** Equal strings as one: the first seen of each, up to `cap` distinct ones (others are kept as they are). */
export class Interner {
  private readonly seen = new Map<string, string>();
  constructor(private readonly cap = 1 << 16) {}

  of<S extends string>(s: S): S {
    const t = this.seen.get(s);
    if (t !== undefined) return t as S;
    if (this.seen.size < this.cap) this.seen.set(s, s);
    return s;
  }

  get size(): number { return this.seen.size; }
}

function compactMark(m: Mark, i: Interner): void {
  m.kind = i.of(m.kind);
  m.fn = i.of(m.fn);
  m.label = i.of(m.label);
}

function compactLane(l: Lane, i: Interner): void {
  l.comm = i.of(l.comm);
  for (const s of l.spans) s.state = i.of(s.state);
}

/** The model (edited in place: same values, its repeated strings shared). */
export function compactModel(model: TimelineModel, i: Interner): TimelineModel {
  const at = { lane: 0, mark: 0 };
  while (!compactSome(model, i, at, Infinity));
  return model;
}

/**
 * A slice of compactModel: about `budget` spans and marks from where `at` points (advanced), so a
 * large model is done in idle moments after its first frame. True once the whole model is done.
 * The model may change between slices (a stop's delta): sharing strings never changes a value,
 * and what a delta adds is shared as it arrives (compactDelta).
 */
export function compactSome(model: TimelineModel, i: Interner, at: { lane: number; mark: number }, budget: number): boolean {
  let left = budget;
  while (at.lane < model.lanes.length && left > 0) {
    const l = model.lanes[at.lane++];
    compactLane(l, i);
    left -= l.spans.length + 1;
  }
  const marks = model.marks;
  while (at.mark < marks.length && left-- > 0) compactMark(marks[at.mark++], i);
  return at.lane >= model.lanes.length && at.mark >= marks.length;
}

/** What a delta adds (edited in place), before it is applied. */
export function compactDelta(d: TimelineDelta, i: Interner): TimelineDelta {
  for (const e of d.lanes) {
    if ('lane' in e) compactLane(e.lane, i);
    else if ('spans' in e && e.spans) for (const s of e.spans.add) s.state = i.of(s.state);
  }
  for (const m of d.marks.add) compactMark(m, i);
  return d;
}

/**
 * The most one idle callback spends sharing strings (ms): an idle period can last 50 ms, and a
 * message (a stop's update, a click's answer) arriving meanwhile waits for the callback to end.
 */
const IDLE_SLICE_MS = 4;

type IdleCallback = (run: (deadline?: { timeRemaining(): number }) => void, opts: { timeout: number }) => unknown;

/**
 * The strings of the model shown and of the deltas applied to it, shared: a new model's a slice
 * at a time in idle moments after its first frame (so the frame does not wait for it), a delta's
 * (a few) as it arrives.
 */
export class SharedStrings {
  private strings = new Interner();
  private job: { model: TimelineModel; at: { lane: number; mark: number } } | undefined;

  /** A new model shown: its strings shared from the next idle moment on. */
  model(model: TimelineModel): void {
    this.strings = new Interner();
    this.job = { model, at: { lane: 0, mark: 0 } };
    this.whenIdle();
  }

  /** What a delta adds, shared before it is applied. */
  delta(d: TimelineDelta): TimelineDelta {
    return compactDelta(d, this.strings);
  }

  /** Whether a model's strings are still being shared. */
  get busy(): boolean { return this.job !== undefined; }

  private whenIdle(): void {
    const job = this.job;
    if (!job) return;
    const go = (deadline?: { timeRemaining(): number }): void => {
      if (this.job !== job) return;
      const until = performance.now() + Math.min(IDLE_SLICE_MS, deadline?.timeRemaining() ?? IDLE_SLICE_MS);
      do {
        if (compactSome(job.model, this.strings, job.at, 500)) { this.job = undefined; return; }
      } while (performance.now() < until);
      this.whenIdle();
    };
    const idle = (globalThis as { requestIdleCallback?: IdleCallback }).requestIdleCallback;
    if (typeof idle === 'function') idle(go, { timeout: 1000 }); else setTimeout(go, 50);
  }
}
