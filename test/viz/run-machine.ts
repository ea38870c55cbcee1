// Runs a scenario in-process to its end and hands back its whole event log, the tasks that existed
// before it started, and its final moment: the inputs of the timeline and graph builders.
import { readFileSync } from 'node:fs';
import { boot } from '../../sim-core/machine';
import type { KEvent } from '../../sim-core/machine-types';
import { knownTask, type KnownTask } from '../../sim-core/viz/model';

export interface MachineRun {
  events: KEvent[];
  tasks: KnownTask[];
  now: number;
  nowStep: number;
  reason: string;
}

export function runMachine(file: string, traceSched: boolean): MachineRun {
  const source = readFileSync(file, 'utf8');
  const { machine, diagnostics } = boot({ file, source, traceSched, stdin: '' });
  if (!machine) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  const tasks = machine.tasks().map(knownTask);
  const events: KEvent[] = [];
  for (let slices = 0; slices < 1000; slices++) {
    const stop = machine.run(100_000);
    for (const e of stop.events) events.push(e);
    if (stop.reason === 'input') { machine.input(null); continue; }
    if (stop.reason !== 'yield') {
      const g = machine.globals();
      return { events, tasks, now: g.clock, nowStep: g.steps, reason: stop.reason };
    }
  }
  throw new Error(`${file}: did not end`);
}
