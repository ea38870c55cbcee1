// The page's side of a timeline delta: the model it holds edited in place, and its index (rows,
// marks by lane and by time, runs by CPU) and the series' coarse copies brought up to date for
// what the delta changed, so a stop costs what it added rather than what the run holds.
import { applyTimelineDelta, type TimelineDelta } from './timelineDelta';
import { buildRows, indexTimeline, seriesChanged, type TimelineIndex } from './timelineLayout';
import type { Mark } from './timelineTypes';

const byTime = (a: Mark, b: Mark): number => a.time - b.time || a.step - b.step;

/**
 * Applies a delta to the indexed model (index.model, edited in place) and returns the index of
 * the result. The lanes' spans and the CPUs' runs stay the same arrays, edited at their ends, so
 * their coarse copies are extended, not rebuilt.
 */
export function applyToIndex(index: TimelineIndex, d: TimelineDelta): TimelineIndex {
  const model = index.model;
  const marksWere = model.marks.length;
  const sortedBefore = index.marks === model.marks;
  const a = applyTimelineDelta(model, d);
  for (const [lane, kept] of a.spansKept) seriesChanged(model.lanes[lane].spans, kept);
  // Runs by CPU: the same arrays, edited as the model's stretch of each CPU was.
  const runsOf = index.runsOf;
  const byDelta = new Map(d.cpus.map((c) => [c.cpu, c]));
  for (const cpu of [...runsOf.keys()]) if (!byDelta.has(cpu)) runsOf.delete(cpu);
  for (const c of d.cpus) {
    let runs = runsOf.get(c.cpu);
    if (!runs) { runs = []; runsOf.set(c.cpu, runs); }
    const kept = a.runsKept.get(c.cpu);
    if (kept === undefined) continue;
    runs.length = Math.min(runs.length, kept);
    for (const r of c.add) runs.push(r);
    seriesChanged(runs, kept);
  }
  // Rows (a lane's fields may have changed, as whether it is a thread): made again, from the CPUs
  // already gathered rather than from every run.
  index.rows = buildRows({ ...model, cpus: [...runsOf.keys()].map((cpu) => ({ cpu, from: 0, to: 0, pid: null })) });
  index.rowOfLane = new Array<number>(model.lanes.length).fill(-1);
  index.rows.forEach((r, i) => { if (r.kind === 'lane') index.rowOfLane[r.laneIndex] = i; });
  // Marks: appended to their lanes when only new ones came after the kept ones, in time order.
  const marks = model.marks;
  let inOrder = sortedBefore && !a.reordered && a.marksKept === marksWere;
  for (let i = Math.max(1, a.marksKept); inOrder && i < marks.length; i++) if (byTime(marks[i - 1], marks[i]) > 0) inOrder = false;
  if (inOrder) {
    while (index.marksOf.length < model.lanes.length) index.marksOf.push([]);
    for (let i = a.marksKept; i < marks.length; i++) index.marksOf[marks[i].lane]?.push(marks[i]);
    index.marks = marks;
  } else {
    const fresh = indexTimeline({ ...model, cpus: [] });
    index.marks = fresh.marks;
    index.marksOf = fresh.marksOf;
  }
  return index;
}
