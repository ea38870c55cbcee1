// Runs a scenario one machine step at a time and checks the kernel's invariants after each step;
// shared by the random property tests and the regression scenarios they found.
import { boot, checkInvariants } from '../../sim-core/machine';
import type { KEvent, Machine, StopReason } from '../../sim-core/machine-types';

export interface CheckedRun {
  reason: StopReason;
  events: KEvent[];
  machine: Machine;
}

export function bootOrThrow(source: string, maxSteps: number, file = 'random.kproc'): Machine {
  const { machine, diagnostics } = boot({ file, source, maxSteps });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!machine || errors.length > 0) throw new Error(`scenario rejected: ${errors.map((d) => d.message).join('; ')}\n${source}`);
  return machine;
}

/** Runs to the end one step at a time; throws with the broken invariants and the source. */
export function runChecked(source: string, maxSteps: number, file?: string): CheckedRun {
  const machine = bootOrThrow(source, maxSteps, file);
  const events: KEvent[] = [];
  for (;;) {
    const stop = machine.run(1);
    for (const e of stop.events) events.push(e);
    const broken = checkInvariants(machine);
    if (broken.length > 0) {
      throw new Error(`invariants broken after step ${machine.globals().steps} (${stop.reason}):\n  ${broken.join('\n  ')}\n${source}`);
    }
    if (stop.reason !== 'yield') return { reason: stop.reason, events, machine };
  }
}

/** What is wrong with how a run ended, or undefined: the checks every random scenario must pass. */
export function endingProblem(run: CheckedRun): string | undefined {
  const { reason, machine } = run;
  const states = machine.tasks().map((t) => `${t.pid}:${t.state}`).join(' ');
  // 'panic' would mean init was killed, which these scenarios cannot do.
  if (!['exited', 'deadlock', 'budget'].includes(reason)) return `unexpected end '${reason}' (${states})`;
  // The budget counts work done; when every task sleeps or is stopped, the end is a deadlock.
  if (reason === 'budget' && !machine.tasks().some((t) => t.state === 'R')) return `budget stop with nothing runnable (${states})`;
  if (reason === 'exited') {
    const left = machine.tasks().filter((t) => !t.kthread && t.pid > 2);
    if (left.length > 0) return `the run ended with user tasks left (${states})`;
  }
  return undefined;
}
