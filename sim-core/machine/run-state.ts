// Where the machine's run loop stands: the task each CPU ran, the step a check or the budget
// suspended, the check being asked now, and the position each of these names (see position.ts).

import type { Kernel } from '../kernel/kernel';
import type { task_struct } from '../kernel/task';
import type { StopChecks } from './engine-types';
import { positionOf, type Position } from './position';

/** The run loop's state between and within ticks; Engine (engine.ts) runs the ticks. */
export abstract class RunState {
  abstract readonly k: Kernel;

  /** The task each CPU ran in the last tick (null: idle), for the debugger's checks. */
  protected readonly ran: Array<task_struct | null> = [];
  /** Kernel stack depth of that task before its step (a deeper stack after it means a call). */
  protected readonly depthBefore: number[] = [];
  /** The checks of the current run() (null: none, the fast path). */
  protected checks: StopChecks | null = null;
  /** Set when a check asked to stop during the current tick. */
  protected checkStopped = false;
  /**
   * Steps the caller still allows: each tick() takes one, and each further kernel step of a batch
   * one more; a batch that finds none left is suspended (the caller's slice is used up).
   */
  protected budget = Infinity;
  /** CPU whose step is suspended at a user or kernel point (-1: none), and what is left of it. */
  protected suspendedCpu = -1;
  protected suspendedKernel = false;
  protected suspendedBudget = 0;
  protected suspendedRan = false;
  /**
   * Where the check being asked stands within the tick (set only when there are checks): phase 0
   * inside a CPU's step, 1 after the whole tick; the CPU; a kernel or a user point; and what is
   * left of the step's budget (user instructions, or kernel steps of the batch). With k.steps it
   * names the moment exactly, whichever checks are on (see position()).
   */
  protected atPhase = 0;
  protected atCpu = 0;
  protected atKernel = false;
  protected atLeft = 0;
  /** The CPU whose after-tick check stopped the run (-1: none since the last tick began). */
  protected stoppedAfter = -1;

  /** A check stopped inside a stepped tick or switch: the tick resumes there. */
  protected suspendSched(cpu: number, ran: boolean): boolean {
    this.checkStopped = true;
    this.suspendedCpu = cpu;
    this.suspendedRan = ran;
    return ran;
  }

  protected suspendKernel(left: number): false {
    this.suspendedKernel = true;
    this.suspendedBudget = left;
    return false;
  }

  protected at(phase: number, cpu: number, kernel: boolean, left: number): void {
    this.atPhase = phase;
    this.atCpu = cpu;
    this.atKernel = kernel;
    this.atLeft = left;
  }

  /** The moment of the check being asked now (for checks that record where they are). */
  checkPosition(): Position {
    return positionOf(this.k.steps, this.atPhase, this.atCpu, this.atKernel, this.atLeft);
  }

  /**
   * The moment the machine stands at between two runs: inside a tick suspended at a check or by
   * the budget, after a tick's check that stopped, or at a tick boundary. The same moment always
   * gets the same position, whatever checks were on when it was reached.
   */
  position(): Position {
    const steps = this.k.steps;
    if (this.suspendedCpu >= 0) return positionOf(steps, 0, this.suspendedCpu, this.suspendedKernel, this.suspendedBudget);
    if (this.stoppedAfter >= 0) return positionOf(steps, 1, this.stoppedAfter, true, 0);
    return positionOf(steps, 2, 0, true, 0);
  }
}
