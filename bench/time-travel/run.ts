// Time travel benchmark (run from the repository root): forward speed with the history on beside
// off (same process, alternating rounds), a stepBack and a reverseContinue at step 1,000,000 of
// the fork lifecycle scenario, a goto to a virtual time 1,000,000 steps back, and the history's
// memory at 10,000,000 steps. Prints figures
// only; bench/time-travel/dap.ts measures the same travels through the debug adapter.
//   npx tsx bench/time-travel/run.ts [--rounds R]
import { loadBundled } from '../lifecycle/bundled';

type Work = typeof import('./work');
const w = loadBundled<Work>('bench/time-travel/work.ts');

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] || 3);
const STEPS = 1_000_000;
const fmt = (n: number, d = 1): string => n.toFixed(d);

// Forward speed, history off and on, alternating.
let off = Infinity, on = Infinity;
for (let i = 0; i < rounds; i++) {
  off = Math.min(off, w.forward(0, STEPS));
  on = Math.min(on, w.forward(undefined, STEPS));
}
console.log(`forward to step ${STEPS.toLocaleString('en-US')} (best of ${rounds}, CPU s): history off ${fmt(off, 3)}, on ${fmt(on, 3)}: on runs at ${fmt((100 * off) / on)}% of off (target: at least 90%)`);

// stepBack and reverseContinue at step 1,000,000, in the machine (no protocol).
{
  const m = w.lifecycle(undefined);
  m.goto({ kind: 'step', step: STEPS });
  w.drive(m);
  const main = m.tasks().find((t) => t.comm === 'lifecycle');
  if (!main) throw new Error('no main task');
  const backs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = w.now();
    m.stepBack(main.pid);
    w.drive(m);
    backs.push(w.now() - t0);
  }
  console.log(`stepBack at step ~${STEPS.toLocaleString('en-US')}: ${backs.map((b) => fmt(b)).join(', ')} ms (in the machine; target over the protocol: at most 50 ms)`);
  // reverseContinue across the whole run: `int status = 0;` (0-based line 17) is hit at the start only.
  m.setLineBreakpoints(m.file, [{ line: 17 }]);
  const t0 = w.now();
  m.reverseContinue();
  const s = w.drive(m);
  console.log(`reverseContinue from step ~${STEPS.toLocaleString('en-US')} back to step ${s.moment?.step} (${s.reason}): ${fmt(w.now() - t0)} ms (in the machine; target: at most 1000 ms)`);
}

// goto a virtual time (a click on the timeline): 1,000,000 steps back, a few ticks back, and
// forward again behind the frontier.
{
  const m = w.lifecycle(undefined);
  m.goto({ kind: 'step', step: 100_000 });
  w.drive(m);
  const early = m.moment().time;
  m.goto({ kind: 'step', step: 100_000 + STEPS });
  w.drive(m);
  const late = m.moment().time;
  for (const [what, time] of [['1,000,000 steps back', early], ['a few ticks back', late - 5000], ['forward behind the frontier', late - 1000]] as const) {
    const t0 = w.now();
    m.goto({ kind: 'time', time });
    const s = w.drive(m);
    console.log(`goto time ${fmt(time / 1e6, 3)} ms, ${what}: step ${s.moment?.step} (${s.reason}) in ${fmt(w.now() - t0)} ms (in the machine)`);
  }
}

// History memory at 10,000,000 steps.
{
  const before = process.memoryUsage().heapUsed;
  const m = w.lifecycle(undefined);
  m.goto({ kind: 'step', step: 10 * STEPS });
  w.drive(m);
  const h = m.history();
  const after = process.memoryUsage().heapUsed;
  console.log(`history at step ${m.moment().step.toLocaleString('en-US')}: ${h.checkpoints} checkpoints, ${fmt(h.bytes / 2 ** 20)} MiB estimated, heap grew ${fmt((after - before) / 2 ** 20)} MiB (budget ${fmt(h.budgetBytes / 2 ** 20, 0)} MiB)`);
}
