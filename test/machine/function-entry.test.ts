// A function breakpoint on a scenario function stops however the function is entered: called by
// C code, run as a signal handler, started as an exec'd program or as main itself, each once per
// entry, and the stop shows the function's first statement. Stopping never changes the run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boot } from '../../sim-core/machine';
import type { KEvent, Machine, Stop } from '../../sim-core/machine-types';

function load(name: string): Machine {
  const file = join(__dirname, '../../examples', `${name}.kproc`);
  const { machine, diagnostics } = boot({ file, source: readFileSync(file, 'utf8') });
  if (!machine) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return machine;
}

function drive(m: Machine, events: KEvent[]): Stop {
  for (;;) {
    const s = m.run(5000);
    events.push(...s.events);
    if (s.reason !== 'yield') return s;
  }
}

/** Every stop of a run with function breakpoints on `names`: [function, pid, line shown]. */
function stopsAt(example: string, names: string[]): { stops: Array<[string, number, number]>; log: string[] } {
  const m = load(example);
  m.setFunctionBreakpoints(names.map((name) => ({ name })));
  const events: KEvent[] = [];
  const stops: Array<[string, number, number]> = [];
  for (let s = drive(m, events); s.reason === 'function breakpoint'; m.continue(), s = drive(m, events)) {
    const top = m.stack(s.pid as number)[0];
    stops.push([top.name, s.pid as number, top.line]);
  }
  return { stops, log: events.filter((e) => e.kind !== 'log').map((e) => JSON.stringify(e)) };
}

function straight(example: string): string[] {
  const events: KEvent[] = [];
  drive(load(example), events);
  return events.map((e) => JSON.stringify(e));
}

describe('machine: function breakpoints on every kind of entry', () => {
  it('stops in a signal handler each time the kernel runs it, at its first statement', () => {
    const { stops, log } = stopsAt('kill-9', ['on_signal']);
    assert.deepEqual(stops.map((s) => s[0]), ['on_signal']);
    assert.equal(stops[0][2], 19, 'the printf line of on_signal (0-based)');
    assert.deepEqual(log, straight('kill-9'));
  });

  it('stops at main and at an exec\'d program\'s entry function', () => {
    const { stops, log } = stopsAt('vfork-exec', ['main', 'greeter_main']);
    assert.deepEqual(stops.map((s) => s[0]), ['main', 'greeter_main']);
    assert.notEqual(stops[0][1], stops[1][1], 'greeter_main runs in the child');
    assert.deepEqual(log, straight('vfork-exec'));
  });
});
