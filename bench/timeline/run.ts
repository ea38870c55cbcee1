// Benchmark: buildTimeline over a synthetic log of 1,000,000 events and 10,000 tasks, beside a
// baseline pass that only reads every event's fields once, in the same process. Prints both times
// (best of several runs) and their ratio; also times the SVG export of the same model.
import { performance } from 'node:perf_hooks';
import type { KEvent } from '../../sim-core/machine-types';
import { buildTimeline } from '../../sim-core/viz/model';
import { timelineSvg } from '../../sim-core/viz/svg';
import { bigLog } from './big-log';

/** Touches what buildTimeline reads of each event, and nothing else. */
function baseline(events: readonly KEvent[]): number {
  let sum = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    sum += e.time + e.step;
    switch (e.kind) {
      case 'sched_switch': sum += e.cpu + e.prev_pid + e.next_pid + e.prev_state.length; break;
      case 'sched_wakeup': sum += e.pid; break;
      case 'fork': sum += e.parent + e.child + e.flags; break;
      case 'signal': sum += e.to + e.from + e.sig; break;
      case 'reap': sum += e.pid + (e.by ?? 0); break;
      case 'exit': case 'zombie': sum += e.pid; break;
      default: break;
    }
  }
  return sum;
}

function best(runs: number, f: () => void): number {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

const tasks = Number(process.argv[2] ?? 10_000);
const total = Number(process.argv[3] ?? 1_000_000);
const { events } = bigLog(tasks, total, 4);
const last = events[events.length - 1];
let sink = 0;
const base = best(5, () => { sink += baseline(events); });
let lanes = 0, marks = 0, cpus = 0;
const build = best(5, () => {
  const m = buildTimeline(events, { now: last.time, nowStep: last.step });
  lanes = m.lanes.length; marks = m.marks.length; cpus = m.cpus.length;
});
const model = buildTimeline(events, { now: last.time, nowStep: last.step });
let bytes = 0;
const svg = best(3, () => { bytes = timelineSvg(model).length; });
console.log(`timeline of ${events.length} events, ${tasks} tasks: ${lanes} lanes, ${marks} marks, ${cpus} CPU runs`);
console.log(`baseline pass over the events: ${base.toFixed(1)} ms`);
console.log(`buildTimeline:                 ${build.toFixed(1)} ms (${(build / base).toFixed(1)}x the baseline pass)`);
console.log(`timelineSvg of that model:     ${svg.toFixed(1)} ms (${(bytes / 1024).toFixed(0)} KiB)`);
if (sink === 0.5) console.log(''); // keeps the baseline's result alive
