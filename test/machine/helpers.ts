// Shared scenario and helpers for machine tests: boot a source, state an intent and run to the
// stop in slices (as the debug adapter does), run to the end.
import type { task_struct } from '../../sim-core/kernel/task';
import { boot, KMachine } from '../../sim-core/machine';
import type { BootOptions, Granularity, KEvent, Machine, StepAction, Stop } from '../../sim-core/machine-types';

/** An intent as the tests write it: handed to step() or continue() before the run. */
export type Intent = { kind: 'continue' } | { kind: 'step'; pid: number; action: StepAction; granularity?: Granularity };

/** Lines are 0-based in the machine's API: the comments give each line's number. */
export const FORK_WAIT = [
  '#include <stdio.h>', //                       0
  '#include <stdlib.h>', //                      1
  '#include <unistd.h>', //                      2
  '#include <sys/wait.h>', //                    3
  '', //                                         4
  'int helper(int x)', //                        5
  '{', //                                        6
  '    return x + 1;', //                        7
  '}', //                                        8
  '', //                                         9
  'int main(void)', //                          10
  '{', //                                       11
  '    int status = 0;', //                    12
  '    pid_t child = fork();', //               13
  '', //                                        14
  '    if (child == 0) {', //                   15
  '        sleep(1);', //                       16
  '        exit(helper(6));', //                17
  '    }', //                                   18
  '    waitpid(child, &status, 0);', //         19
  '    printf("status %d\\n", WEXITSTATUS(status));', // 20
  '    return 0;', //                           21
  '}', //                                       22
  '',
].join('\n');

export const FILE = '/scenarios/fork-wait.kproc';

export function bootSource(source = FORK_WAIT, maxSteps?: number, opts: Partial<BootOptions> = {}): Machine {
  const { machine, diagnostics } = boot({ file: FILE, source, maxSteps, ...opts });
  if (!machine) throw new Error(`boot failed: ${diagnostics.map((d) => d.message).join('; ')}`);
  return machine;
}

/** States the intent, then runs in slices until a stop; collects every event on the way. */
export function runUntil(m: Machine, intent: Intent, events: KEvent[] = [], slice = 5000): Stop {
  if (intent.kind === 'step') m.step(intent.pid, intent.action, intent.granularity);
  else m.continue();
  for (;;) {
    const s = m.run(slice);
    events.push(...s.events);
    if (s.reason !== 'yield') return s;
  }
}

/** Continues past every stop to the end; returns the reasons seen and all events. */
export function runToEnd(m: Machine, slice = 5000): { stops: Stop[]; events: KEvent[] } {
  const events: KEvent[] = [];
  const stops: Stop[] = [];
  for (;;) {
    const s = runUntil(m, { kind: 'continue' }, events, slice);
    stops.push(s);
    if (s.reason === 'exited' || s.reason === 'deadlock' || s.reason === 'budget' || s.reason === 'panic') return { stops, events };
    if (stops.length > 10000) throw new Error('too many stops');
  }
}

/** The kernel's task_struct of a pid, for tests that look at the kernel's state itself. */
export function kernelTask(m: Machine, pid: number): task_struct | undefined {
  return m instanceof KMachine ? m.engine.k.pid_hash.get(pid) : undefined;
}

/** The value text of `expr` in task `pid`'s top frame (default: the last stop's task); throws on an error. */
export function valueOf(m: Machine, expr: string, pid?: number): string {
  const frame = pid === undefined ? undefined : m.stack(pid)[0]?.id;
  const r = m.evaluate(expr, frame);
  if (r.error !== undefined) throw new Error(r.error);
  return r.value;
}
