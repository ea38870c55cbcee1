// Benchmark: buildTimeline over a synthetic log of 1,000,000 events and 10,000 tasks, beside two
// baselines in the same process: a pass that only reads every event's fields once, and one that
// only allocates as many span and CPU-run objects as the model holds, into as many lanes (the
// floor for any builder of this output). Best of several runs; also times the SVG export.
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
      case 'signal_deliver': sum += e.pid + e.sig; break;
      case 'reap': sum += e.pid + (e.by ?? 0); break;
      case 'exit': case 'zombie': sum += e.pid; break;
      default: break;
    }
  }
  return sum;
}

/** Allocates `spans` span objects spread over `lanes` lanes and `runs` CPU-run objects, as the model holds. */
function allocation(lanes: number, spans: number, runs: number): number {
  const out: Array<Array<{ from: number; to: number; state: string }>> = Array.from({ length: lanes }, () => []);
  const cpus: Array<{ cpu: number; from: number; to: number; pid: number | null }> = [];
  for (let i = 0; i < spans; i++) out[(i * 7919) % lanes].push({ from: i, to: i + 1, state: 'running' });
  for (let i = 0; i < runs; i++) cpus.push({ cpu: i & 3, from: i, to: i + 1, pid: i });
  return out.length + cpus.length;
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
const spans = model.lanes.reduce((n, l) => n + l.spans.length, 0);
const alloc = best(5, () => { sink += allocation(model.lanes.length, spans, model.cpus.length); });
let bytes = 0;
const svg = best(3, () => { bytes = timelineSvg(model).length; });
console.log(`timeline of ${events.length} events, ${tasks} tasks: ${lanes} lanes, ${marks} marks, ${cpus} CPU runs`);
console.log(`baseline pass over the events: ${base.toFixed(1)} ms`);
console.log(`allocating its ${spans} spans and ${cpus} CPU runs alone: ${alloc.toFixed(1)} ms`);
console.log(`buildTimeline:                 ${build.toFixed(1)} ms (${(build / base).toFixed(1)}x the read pass, ${(build / alloc).toFixed(1)}x the allocation alone)`);
console.log(`timelineSvg of that model:     ${svg.toFixed(1)} ms (${(bytes / 1024).toFixed(0)} KiB)`);
if (sink === 0.5) console.log(''); // keeps the baseline's result alive
