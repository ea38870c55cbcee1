// The simulator's side of `kproc verify`: boots the scenario and runs it to its end within the
// step budget, keeping what its tasks wrote to stdout and stderr apart from kproc's own words.
import type { Diagnostic } from '../../lang/ast';
import { boot } from '../../machine';
import type { MachineSettings, StopReason } from '../../machine-types';
import type { CliIo } from '../io';

export interface SimulatedRun {
  stdout: string;
  stderr: string;
  /** stdout and stderr in the order they were written, as a terminal holding both shows them. */
  terminal: string;
  /** How the run ended: 'exited' when every task ended by itself; 'deadlock', 'budget', 'panic' otherwise. */
  reason: StopReason;
  message?: string;
}

/** Steps per call to the machine; between two, pending stream events (a closed pipe) arrive. */
const SLICE = 100_000;

/**
 * Runs the scenario; returns its output and end, or the errors that keep it from booting. Stops
 * early (reason 'pause') when io reports that the reader of the output went away.
 */
export async function runSimulation(
  file: string, source: string, settings: MachineSettings, maxSteps: number | undefined, io: CliIo,
): Promise<{ run?: SimulatedRun; diagnostics: Diagnostic[] }> {
  const { machine, diagnostics } = boot({ file, source, settings, maxSteps, historyBytes: 0 });
  if (!machine || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const run: SimulatedRun = { stdout: '', stderr: '', terminal: '', reason: 'yield' };
  for (;;) {
    const stop = machine.run(SLICE);
    for (const e of stop.events) {
      if (e.kind !== 'output') continue;
      if (e.fd === 2) run.stderr += e.text;
      else run.stdout += e.text;
      run.terminal += e.text;
    }
    run.reason = stop.reason;
    run.message = stop.message;
    if (stop.reason !== 'yield') break;
    if (io.breathe) await io.breathe();
    if (io.closed?.()) { run.reason = 'pause'; break; }
  }
  return { run, diagnostics };
}
