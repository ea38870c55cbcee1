// A debugger looking never changes what runs: the same scenario run straight to its end and run
// stop by stop (stepping every statement, or every kernel step, of whichever task) gives the
// same event log, the same output and the same step count. Going back in time rests on this.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boot } from '../../sim-core/machine';
import type { Granularity, KEvent, Machine } from '../../sim-core/machine-types';

const EXAMPLES = ['fork-wait', 'pipe', 'nice-share', 'mutex-counter', 'sigchld-siginfo', 'orphan', 'rr-pair', 'stop-continue'];

function load(name: string): Machine {
  const file = join(__dirname, '../../examples', `${name}.kproc`);
  const { machine, diagnostics } = boot({ file, source: readFileSync(file, 'utf8'), maxSteps: 400_000 });
  if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return machine;
}

/** The log without the debugger's own bookkeeping (logpoints). */
function logOf(events: KEvent[]): string[] {
  return events.filter((e) => e.kind !== 'log').map((e) => JSON.stringify(e));
}

function straight(name: string): { log: string[]; step: number } {
  const m = load(name);
  const events: KEvent[] = [];
  for (;;) {
    const s = m.run();
    events.push(...s.events);
    if (s.reason !== 'yield') return { log: logOf(events), step: m.moment().step };
  }
}

/** Steps task after task (round robin over the live ones) at `granularity` until the end. */
function stepped(name: string, granularity: Granularity, limit: number): { log: string[]; step: number; stops: number } {
  const m = load(name);
  const events: KEvent[] = [];
  let stops = 0;
  for (let i = 0; ; i++) {
    const live = m.tasks().filter((t) => t.pid > 2 && !t.kthread && t.stateName !== 'zombie' && t.stateName !== 'dead');
    if (stops < limit && live.length > 0) m.step(live[i % live.length].pid, i % 3 === 2 ? 'over' : 'in', granularity);
    else m.continue();
    const s = m.run();
    events.push(...s.events);
    if (s.reason === 'step') stops++;
    if (['exited', 'deadlock', 'budget', 'panic', 'output'].includes(s.reason)) return { log: logOf(events), step: m.moment().step, stops };
  }
}

describe('machine: stops never change the run', () => {
  for (const name of EXAMPLES) {
    it(`${name}: stepping statements and kernel steps gives the straight run's events`, () => {
      const want = straight(name);
      for (const g of ['statement', 'kernel'] as const) {
        const got = stepped(name, g, 3000);
        assert.ok(got.stops >= 3, `${name} (${g}): only ${got.stops} stops`);
        assert.deepEqual(got.log, want.log, `${name} (${g}): event log differs`);
        assert.equal(got.step, want.step, `${name} (${g}): step count differs`);
      }
    });
  }
});
