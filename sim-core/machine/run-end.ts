// The stop an engine run's end makes for the debugger: a yield, an input wait or a fault the run
// goes on after, or a final end (exit, budget, panic, output limit, deadlock) with its message.

import type { Kernel } from '../kernel/kernel';
import type { task_struct } from '../kernel/task';
import { tty_of } from '../kernel/tty';
import type { Pending } from './control';
import type { EngineEnd } from './engine-types';
import { taskRow } from './inspect';

/** strsignal's text for the signals a fault raises. */
const FAULT_TEXT: Readonly<Record<string, string>> = {
  SIGSEGV: 'Segmentation fault', SIGFPE: 'Floating point exception', SIGILL: 'Illegal instruction', SIGBUS: 'Bus error',
};

/** The task sleeping in n_tty_read (the first, when several are). */
function inputPid(k: Kernel, lastPid: number | undefined): number | undefined {
  const w = tty_of(k).read_wait;
  return w.length > 0 ? w[0].pid : lastPid;
}

/**
 * The stop for an end other than a check's ('stop' is the run control's to describe); `final`:
 * the machine ends there. `lastPid` is the task the debugger last looked at.
 */
export function stopOfEnd(k: Kernel, end: Exclude<EngineEnd, { reason: 'stop' }>, lastPid: number | undefined, maxSteps: number, outputLimit: number): { pending: Pending; final: boolean } {
  const go = (pending: Pending) => ({ pending, final: false });
  const last = (pending: Pending) => ({ pending, final: true });
  switch (end.reason) {
    case 'slice': return go({ reason: 'yield', pid: lastPid });
    // Only a goto to a time sets the engine's clock limit, and it takes this end itself.
    case 'clock': return go({ reason: 'goto', pid: lastPid });
    case 'exited': return last({ reason: 'exited' });
    // A reader waits on the interactive terminal: input() gives it a line, run() goes on.
    case 'input': return go({ reason: 'input', pid: inputPid(k, lastPid) });
    case 'limit': return last({ reason: 'budget', message: `step budget of ${maxSteps} steps used up (raise it with --max-steps)`, pid: lastPid });
    case 'panic': return last({ reason: 'panic', message: `Kernel panic - not syncing: ${end.message}` });
    case 'fault': {
      const t = k.pid_hash.get(end.pid);
      const text = FAULT_TEXT[end.signal] ?? end.signal;
      return go({ reason: 'fault', pid: end.pid, signal: end.signal, message: `pid ${end.pid} (${t?.comm ?? '?'}) received ${end.signal}, ${text}: ${end.message}` });
    }
    case 'output': return last({ reason: 'output', message: `output limit reached: the run wrote ${outputLimit} characters (raise it with --max-output)`, pid: end.pid });
    case 'deadlock': {
      const names = end.sleeping.map((p) => { const t = k.pid_hash.get(p) as task_struct; return `${p} (${t.comm}, ${taskRow(k, t).stateName})`; });
      return last({ reason: 'deadlock', message: `deadlock: no task can run and none will be woken; sleeping: ${names.join(', ') || 'none'}` });
    }
  }
}
