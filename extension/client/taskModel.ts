// Plain-data model behind the Tasks, Zombies and Run queue views, built from the adapter's
// 'kproc/tasks' rows. No vscode import, so it is tested by mocha alone.
import { signalName, type ViewTaskRow } from '../../sim-core/debug/protocol';

/** One task as the adapter reports it in the 'kproc/tasks' event and request: the shared
 *  protocol module defines it for both sides. */
export type TaskRow = ViewTaskRow;

export interface TasksEventBody {
  tasks: TaskRow[];
}

/** A node of the pstree-like Tasks view; its id is the pid, so selection survives refreshes. */
export interface TaskNode {
  kind: 'task';
  id: string;
  row: TaskRow;
  /** Processes forked by this one and, for a group leader, its other threads. */
  children: TaskNode[];
  parent?: TaskNode;
}

const KTHREADD_PID = 2;

/** Text pstree -p would print for the task: kernel threads in brackets, threads in braces. */
export function taskLabel(row: TaskRow): string {
  if (row.kthread) return `[${row.comm}](${row.pid})`;
  if (!row.threadGroupLeader && row.tgid !== row.pid) return `{${row.comm}}(${row.pid})`;
  // A task of a child pid namespace: its global pid, then its pid inside, as pstree -p shows both.
  if (row.nsPid !== undefined) return `${row.comm}(${row.pid}, ${row.nsPid} inside)`;
  return `${row.comm}(${row.pid})`;
}

/**
 * Builds the forest pstree would draw. A process hangs under the process (thread group) of its
 * real_parent, so a child forked by a thread still appears under that thread's process, as in
 * pstree; non-leader threads hang under their group leader; kernel threads whose parent is
 * missing are put under kthreadd when it exists.
 */
export function buildTaskTree(rows: readonly TaskRow[]): TaskNode[] {
  const byPid = new Map<number, TaskNode>();
  const sorted = [...rows].sort((a, b) => a.pid - b.pid);
  for (const row of sorted) byPid.set(row.pid, { kind: 'task', id: String(row.pid), row, children: [] });

  const roots: TaskNode[] = [];
  for (const node of byPid.values()) {
    const parent = treeParentOf(node.row, byPid);
    if (parent && parent !== node && !isAncestor(node, parent)) {
      node.parent = parent;
      parent.children.push(node);
    } else {
      roots.push(node);
    }
  }
  // Threads first (pstree lists them beside the process), then child processes, each by pid.
  const order = (a: TaskNode, b: TaskNode) =>
    Number(isThread(b.row)) - Number(isThread(a.row)) || a.row.pid - b.row.pid;
  for (const node of byPid.values()) node.children.sort(order);
  return roots.sort(order);
}

function isThread(row: TaskRow): boolean {
  return !row.threadGroupLeader && row.tgid !== row.pid;
}

function treeParentOf(row: TaskRow, byPid: Map<number, TaskNode>): TaskNode | undefined {
  if (isThread(row)) {
    const leader = byPid.get(row.tgid);
    if (leader) return leader;
  }
  const realParent = byPid.get(row.ppid);
  if (realParent) {
    // pstree draws processes, so a parent that is a thread stands for its whole group.
    return isThread(realParent.row) ? byPid.get(realParent.row.tgid) ?? realParent : realParent;
  }
  if (row.kthread && row.pid !== KTHREADD_PID) return byPid.get(KTHREADD_PID);
  return undefined;
}

function isAncestor(node: TaskNode, candidate: TaskNode): boolean {
  for (let p: TaskNode | undefined = candidate; p; p = p.parent) if (p === node) return true;
  return false;
}

/** Every node of the forest, depth first; handy for lookups by pid and for tests. */
export function flattenTree(roots: readonly TaskNode[]): TaskNode[] {
  const out: TaskNode[] = [];
  const walk = (n: TaskNode) => { out.push(n); n.children.forEach(walk); };
  roots.forEach(walk);
  return out;
}

/** Multi-line tooltip with the task_struct fields a student looks at first. */
export function taskTooltip(row: TaskRow): string {
  const lines = [
    `pid ${row.pid}, tgid ${row.tgid}, real_parent ${row.ppid}`,
    `comm "${row.comm}"`,
    `__state ${row.state} (${row.stateName})${row.wchan ? `, in ${row.wchan}` : ''}`,
    `${row.kthread ? 'kernel thread (PF_KTHREAD, mm = NULL)' : 'user task'}${
      isThread(row) ? `, thread of group ${row.tgid}` : row.threadGroupLeader ? ', group leader' : ''}`,
    `nice ${row.nice}${row.cpu !== undefined ? `, cpu ${row.cpu}` : ''}${
      row.vruntime !== undefined ? `, vruntime ${row.vruntime}` : ''}${row.onRunqueue ? ', on run queue' : ''}`,
  ];
  if (row.policy !== undefined) {
    lines.push(`policy ${row.policy}${row.rtPriority ? `, rt_priority ${row.rtPriority}` : ''}, prio ${row.prio ?? ''}${
      row.cpusAllowed !== undefined ? `, cpus_allowed ${row.cpusAllowed}` : ''}`);
  }
  if (row.state === 'Z' || row.state === 'X') lines.push(exitDescription(row));
  return lines.join('\n');
}

/**
 * How a dead task ended, decoded from exit_code the way WIFEXITED/WEXITSTATUS/WTERMSIG decode the
 * status wait4 returns. (exit_signal is not the cause of death: it is what the parent receives.)
 */
export function exitDescription(row: TaskRow): string {
  if (row.exitCode === undefined) return 'exited';
  const sig = row.exitCode & 0x7f;
  if (sig !== 0) return `killed by ${signalName(sig)}${row.exitCode & 0x80 ? ' (core dumped)' : ''}`;
  return `exited with code ${(row.exitCode >> 8) & 0xff}`;
}

export interface ZombieItem {
  kind: 'zombie';
  id: string;
  row: TaskRow;
  parent?: TaskRow;
}

/** Every task in EXIT_ZOMBIE, oldest zombie first, with the parent that has not reaped it. */
export function listZombies(rows: readonly TaskRow[]): ZombieItem[] {
  const byPid = new Map(rows.map((r) => [r.pid, r] as const));
  return rows
    .filter((r) => r.state === 'Z')
    .sort((a, b) => (a.zombieSinceStep ?? 0) - (b.zombieSinceStep ?? 0) || a.pid - b.pid)
    .map((row) => ({ kind: 'zombie', id: `zombie:${row.pid}`, row, parent: byPid.get(row.ppid) }));
}

export function zombieDescription(z: ZombieItem): string {
  const parent = z.parent ? `${z.parent.comm}(${z.parent.pid})` : `pid ${z.row.ppid}`;
  const waited = z.row.zombieSteps !== undefined ? `, waiting ${z.row.zombieSteps} steps` : '';
  return `${exitDescription(z.row)}; parent ${parent}${waited}`;
}

export interface CpuQueue {
  kind: 'cpu';
  id: string;
  cpu: number;
  entities: RunQueueEntity[];
}

export interface RunQueueEntity {
  kind: 'entity';
  id: string;
  row: TaskRow;
  cpu: number;
}

/**
 * The runnable tasks of each CPU in CFS order: the red-black tree is keyed by vruntime, and the
 * leftmost entity (smallest vruntime) is the one pick_next_task_fair takes next.
 */
export function buildRunQueues(rows: readonly TaskRow[]): CpuQueue[] {
  const queues = new Map<number, CpuQueue>();
  for (const row of rows) {
    if (!row.onRunqueue) continue;
    const cpu = row.cpu ?? 0;
    let q = queues.get(cpu);
    if (!q) queues.set(cpu, q = { kind: 'cpu', id: `cpu:${cpu}`, cpu, entities: [] });
    q.entities.push({ kind: 'entity', id: `rq:${row.pid}`, row, cpu });
  }
  for (const q of queues.values()) {
    // Real-time tasks (prio 0..99) first, highest priority first (the rt_rq is picked before
    // the fair class); then EEVDF's tree, keyed by deadline, or CFS's, by vruntime.
    const rt = (r: TaskRow): number => (r.prio !== undefined && r.prio < 100 ? r.prio : 100);
    q.entities.sort((a, b) => rt(a.row) - rt(b.row) || (rt(a.row) < 100 ? 0 : (a.row.deadline ?? a.row.vruntime ?? 0) - (b.row.deadline ?? b.row.vruntime ?? 0)) || a.row.pid - b.row.pid);
  }
  return [...queues.values()].sort((a, b) => a.cpu - b.cpu);
}

/** Accepts only bodies shaped like { tasks: TaskRow[] }, so a malformed event never breaks a view. */
export function parseTasksBody(body: unknown): TaskRow[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const tasks = (body as { tasks?: unknown }).tasks;
  if (!Array.isArray(tasks)) return undefined;
  return tasks.filter((t): t is TaskRow =>
    typeof t === 'object' && t !== null &&
    typeof (t as TaskRow).pid === 'number' && typeof (t as TaskRow).comm === 'string' &&
    typeof (t as TaskRow).state === 'string');
}
