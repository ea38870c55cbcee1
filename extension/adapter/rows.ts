// The task table the extension's views draw ('kproc/tasks'), and thread names as the Call Stack
// shows them; both built from the machine's rows.

import type { ViewTaskRow } from '../../sim-core/debug/protocol';
import type { TaskRow as MachineRow } from '../../sim-core/machine-types';

/** The machine's row as the views read it: threadGroupLeader as a flag, and how long a zombie has waited. */
export function viewRow(r: MachineRow, steps: number): ViewTaskRow {
  const row: ViewTaskRow = {
    pid: r.pid, tgid: r.tgid, ppid: r.ppid, comm: r.comm, state: r.state, stateName: r.stateName,
    kthread: r.kthread, threadGroupLeader: r.threadGroupLeader === r.pid, exitCode: r.exitCode,
    exitSignal: r.exitSignal, cpu: r.cpu, vruntime: r.vruntime, onRunqueue: r.onRunqueue, nice: r.nice,
    policy: r.policy, rtPriority: r.rtPriority, prio: r.prio, cpusAllowed: r.cpusAllowed,
  };
  if (r.futex !== undefined) row.wchan = `futex_wait 0x${r.futex.toString(16)}`;
  else if (r.wchan !== undefined) row.wchan = r.wchan;
  if (r.nsPid !== undefined) row.nsPid = r.nsPid;
  if (r.deadline !== undefined) { row.deadline = r.deadline; row.eligible = r.eligible; }
  if (r.zombieSinceStep !== undefined && r.zombieSinceStep >= 0) {
    row.zombieSinceStep = r.zombieSinceStep;
    row.zombieSteps = Math.max(0, steps - r.zombieSinceStep);
  }
  return row;
}

const FIELDS: ReadonlyArray<keyof ViewTaskRow> = [
  'pid', 'tgid', 'ppid', 'comm', 'state', 'stateName', 'kthread', 'threadGroupLeader', 'exitCode', 'exitSignal',
  'zombieSinceStep', 'zombieSteps', 'cpu', 'vruntime', 'onRunqueue', 'nice', 'wchan', 'nsPid', 'deadline', 'eligible',
  'policy', 'rtPriority', 'prio', 'cpusAllowed',
];

/** True when two tables show the same thing (same rows, in the same order, field by field). */
export function sameRows(a: readonly ViewTaskRow[], b: readonly ViewTaskRow[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    for (const f of FIELDS) if (x[f] !== y[f]) return false;
  }
  return true;
}

/** `3 child [R]`: pid, comm, and the state letter as ps prints it (and the pid in its namespace). */
export function threadName(r: MachineRow): string {
  return `${r.pid} ${r.comm} [${r.state}]${r.nsPid !== undefined ? ` (pid ${r.nsPid} in its namespace)` : ''}`;
}
