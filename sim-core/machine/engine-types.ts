// What the machine's run loop exchanges with its callers: the user-code runner it drives, the
// debugger's stop checks it asks, why a run ended, and what boot sets up.

import type { task_struct } from '../kernel/task';
import type { Trap } from '../vm/types';

/**
 * Runs user code of a task until its next trap; `left()` is what remains of the budget at a
 * statement or call trap.
 */
export interface RunUser {
  run(t: task_struct, budget: number): Trap;
  left(): number;
}

/**
 * A debugger's checks, asked by the run loop. Each returns true to stop there: the tick is
 * suspended before the statement or step runs, and resumes at the next run().
 */
export interface StopChecks {
  /** At a 'statement' or 'call' trap (only those the port asks the VM for). */
  user(t: task_struct, trap: Trap): boolean;
  /**
   * Before a kernel step of t: between two steps of a batch and, after a tick, for the task each
   * CPU ran. `depthBefore` is t's kernel stack depth before the step that led here (a
   * deeper stack now means that step called a function).
   */
  kernel(t: task_struct, depthBefore: number): boolean;
  /** What changed or happened since the last look (data watches, event filters): after kernel(). */
  changed(): boolean;
  /**
   * When set, kernel() is asked between the steps of a batch and after a tick only after a step
   * that called a function whose id has a 1 here, and changed() is not asked (function
   * breakpoints with nothing else to check).
   */
  readonly callsTo: Uint8Array | null;
  /**
   * A breakpoint names or lies in a function of the tick or switch path (sched_tick,
   * update_curr, __schedule, pick_eevdf...): those paths then run as frames, one step point
   * each, instead of inline (see sched-path.ts).
   */
  readonly schedPath?: boolean;
  /** A task whose switches away alone run as frames (a Step Into in its kernel code); -1: none. */
  readonly switchPid?: number;
}

/** Why Engine.run returned. */
export type EngineEnd =
  /** The slice's steps are used; the run goes on at the next call. */
  | { reason: 'slice' }
  /** A check asked to stop. */
  | { reason: 'stop' }
  | { reason: 'exited' }
  /** k.steps reached the run's limit. */
  | { reason: 'limit' }
  | { reason: 'panic'; message: string }
  | { reason: 'deadlock'; sleeping: number[] }
  /** The run's output reached its limit (output.limit): the write that passed it was cut there. */
  | { reason: 'output'; pid: number }
  /** No task can run and one sleeps reading the interactive terminal: it waits for input. */
  | { reason: 'input' }
  /** With faultStops: a task's user code faulted; the signal is pending, not yet delivered. */
  | { reason: 'fault'; pid: number; signal: string; message: string; line: number }
  /** A tick boundary where the virtual clock is at or past clockLimit (a goto to a time). */
  | { reason: 'clock' };


/** What boot sets up besides the first task: the module, the file system, the terminal's input. */
export interface BootExtras {
  moduleInit?: string;
  /** Paths exec can run (built-in programs and the scenario's), listed in the file system. */
  programs?: readonly string[];
  /** What the terminal holds as input; reads past it return 0 unless interactiveStdin. */
  stdin?: string;
  interactiveStdin?: boolean;
}
