// The task table the extension's views draw ('kproc/tasks'), and thread names as the Call Stack
// shows them; both built from the machine's rows.

import type { TaskRow as MachineRow } from '../../sim-core/machine-types';

/**
 * One row of the 'kproc/tasks' event and request (the contract with extension/client): the
 * machine's row with threadGroupLeader as a flag, and how long a zombie has waited.
 */
export type ViewTaskRow =
  & Pick<MachineRow, 'pid' | 'tgid' | 'ppid' | 'comm' | 'state' | 'stateName' | 'kthread' | 'onRunqueue' | 'nice'>
  & Partial<Pick<MachineRow, 'exitCode' | 'exitSignal' | 'zombieSinceStep' | 'cpu' | 'vruntime'>>
  & { threadGroupLeader: boolean; zombieSteps?: number };

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
