// The task table the extension's views draw ('kproc/tasks'), and thread names as the Call Stack
// shows them; both built from the machine's rows.

import type { TaskRow as MachineRow } from '../../sim-core/machine-types';

/** One row of the 'kproc/tasks' event and request (the contract with extension/client). */
export interface ViewTaskRow {
  pid: number;
  tgid: number;
  ppid: number;
  comm: string;
  state: string;
  stateName: string;
  kthread: boolean;
  threadGroupLeader: boolean;
  /** task->exit_code: a wait status (exit code << 8, or the killing signal in bits 0-6). */
  exitCode?: number;
  /** task->exit_signal: what the parent is sent at death (SIGCHLD; -1 for threads). */
  exitSignal?: number;
  zombieSinceStep?: number;
  zombieSteps?: number;
  cpu?: number;
  vruntime?: number;
  onRunqueue: boolean;
  nice: number;
}

export function viewRow(r: MachineRow, steps: number): ViewTaskRow {
  const row: ViewTaskRow = {
    pid: r.pid, tgid: r.tgid, ppid: r.ppid, comm: r.comm, state: r.state, stateName: r.stateName,
    kthread: r.kthread, threadGroupLeader: r.threadGroupLeader === r.pid, exitCode: r.exitCode,
    exitSignal: r.exitSignal, cpu: r.cpu, vruntime: r.vruntime, onRunqueue: r.onRunqueue, nice: r.nice,
  };
  if (r.zombieSinceStep !== undefined && r.zombieSinceStep >= 0) {
    row.zombieSinceStep = r.zombieSinceStep;
    row.zombieSteps = Math.max(0, steps - r.zombieSinceStep);
  }
  return row;
}

/** `3 child [R]`: pid, comm, and the state letter as ps prints it. */
export function threadName(r: MachineRow): string {
  return `${r.pid} ${r.comm} [${r.state}]`;
}

export const SIGNALS_FROM_VIEWS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGCONT: 18, SIGSTOP: 19 };
