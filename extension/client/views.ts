// The Tasks, Zombies and Run queue tree views. Nodes are plain data from taskModel.ts with the
// pid in their id; TreeItems are built only in getTreeItem, and getParent makes reveal work.
import * as vscode from 'vscode';
import {
  buildRunQueues, buildTaskTree, flattenTree, listZombies, taskLabel, taskTooltip, zombieDescription,
  type CpuQueue, type RunQueueEntity, type TaskNode, type TaskRow, type ZombieItem,
} from './taskModel';
import type { TaskStore } from './taskStore';

/** Codicon per `ps` state letter, so the state reads at a glance before the letter. */
const stateIcons: Record<string, string> = {
  R: 'play-circle', S: 'watch', D: 'lock', T: 'debug-pause', t: 'debug-pause',
  Z: 'error', X: 'circle-slash', I: 'circle-outline',
};

export function stateIcon(row: TaskRow): vscode.ThemeIcon {
  return new vscode.ThemeIcon(stateIcons[row.state] ?? 'circle-filled');
}

/** contextValue of task items; package.json's menus match on it for the signal actions. */
function taskContext(row: TaskRow): string {
  return row.state === 'Z' || row.state === 'X' ? 'kprocTask.dead' : 'kprocTask.live';
}

function showTaskCommand(row: TaskRow): vscode.Command {
  return { command: 'kproc.showTask', title: 'Show task_struct', arguments: [row.pid] };
}

abstract class BaseProvider<T extends { id: string }> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<T | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly listener: vscode.Disposable;

  constructor(protected readonly store: TaskStore) {
    this.listener = store.onDidChange(() => this.emitter.fire());
  }

  abstract getTreeItem(element: T): vscode.TreeItem;
  abstract getChildren(element?: T): T[];
  abstract getParent(element: T): T | undefined;

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}

export class TasksProvider extends BaseProvider<TaskNode> {
  private roots: TaskNode[] = [];
  private rowsSeen: readonly TaskRow[] | undefined;

  /** The forest for the store's current rows, rebuilt only when the rows change. */
  tree(): TaskNode[] {
    if (this.rowsSeen !== this.store.rows) {
      this.rowsSeen = this.store.rows;
      this.roots = buildTaskTree(this.store.rows);
    }
    return this.roots;
  }

  findByPid(pid: number): TaskNode | undefined {
    return flattenTree(this.tree()).find((n) => n.row.pid === pid);
  }

  getTreeItem(node: TaskNode): vscode.TreeItem {
    const item = new vscode.TreeItem(taskLabel(node.row),
      node.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = `${node.row.state} ${node.row.stateName}${node.row.wchan ? ` ${node.row.wchan}` : ''}`;
    item.tooltip = taskTooltip(node.row);
    item.iconPath = stateIcon(node.row);
    item.contextValue = taskContext(node.row);
    item.command = showTaskCommand(node.row);
    return item;
  }

  getChildren(node?: TaskNode): TaskNode[] {
    return node ? node.children : this.tree();
  }

  getParent(node: TaskNode): TaskNode | undefined {
    return this.findByPid(node.row.pid)?.parent;
  }
}

export class ZombiesProvider extends BaseProvider<ZombieItem> {
  items(): ZombieItem[] {
    return listZombies(this.store.rows);
  }

  getTreeItem(z: ZombieItem): vscode.TreeItem {
    const item = new vscode.TreeItem(`${z.row.comm}(${z.row.pid})`, vscode.TreeItemCollapsibleState.None);
    item.id = z.id;
    item.description = zombieDescription(z);
    item.tooltip = `${taskTooltip(z.row)}\n\nEXIT_ZOMBIE: its task_struct stays until the parent reaps it with wait4 (or the parent exits and the child is reparented and reaped).`;
    item.iconPath = stateIcon(z.row);
    item.contextValue = 'kprocTask.dead';
    item.command = showTaskCommand(z.row);
    return item;
  }

  getChildren(z?: ZombieItem): ZombieItem[] {
    return z ? [] : this.items();
  }

  getParent(): undefined {
    return undefined;
  }
}

type RunQueueNode = CpuQueue | RunQueueEntity;

export class RunQueueProvider extends BaseProvider<RunQueueNode> {
  queues(): CpuQueue[] {
    return buildRunQueues(this.store.rows);
  }

  getTreeItem(n: RunQueueNode): vscode.TreeItem {
    if (n.kind === 'cpu') {
      const item = new vscode.TreeItem(`CPU ${n.cpu}`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = n.id;
      item.description = `${n.entities.length} runnable`;
      item.tooltip = 'cfs_rq of this CPU in the tree\'s key order: earliest deadline first under EEVDF (pick_eevdf runs the first eligible one), smallest vruntime first under CFS.';
      item.iconPath = new vscode.ThemeIcon('server-process');
      return item;
    }
    const item = new vscode.TreeItem(`${n.row.comm}(${n.row.pid})`, vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    const eevdf = n.row.deadline !== undefined ? `, deadline ${n.row.deadline}, ${n.row.eligible ? 'eligible' : 'not eligible'}` : '';
    item.description = `vruntime ${n.row.vruntime ?? 0}${eevdf}${n.row.nice ? `, nice ${n.row.nice}` : ''}`;
    item.tooltip = taskTooltip(n.row);
    item.iconPath = stateIcon(n.row);
    item.contextValue = taskContext(n.row);
    item.command = showTaskCommand(n.row);
    return item;
  }

  getChildren(n?: RunQueueNode): RunQueueNode[] {
    if (!n) return this.queues();
    return n.kind === 'cpu' ? n.entities : [];
  }

  getParent(n: RunQueueNode): RunQueueNode | undefined {
    return n.kind === 'entity' ? this.queues().find((q) => q.cpu === n.cpu) : undefined;
  }
}

export interface KprocViews {
  tasks: TasksProvider;
  zombies: ZombiesProvider;
  runQueue: RunQueueProvider;
  tasksView: vscode.TreeView<TaskNode>;
}

/** Creates the providers and their views; everything lands in `subscriptions`. */
export function registerViews(store: TaskStore, subscriptions: vscode.Disposable[]): KprocViews {
  const tasks = new TasksProvider(store);
  const zombies = new ZombiesProvider(store);
  const runQueue = new RunQueueProvider(store);
  const tasksView = vscode.window.createTreeView('kproc.tasks', { treeDataProvider: tasks, showCollapseAll: true });
  const zombiesView = vscode.window.createTreeView('kproc.zombies', { treeDataProvider: zombies });
  const runQueueView = vscode.window.createTreeView('kproc.runQueue', { treeDataProvider: runQueue });
  // The same providers again inside Run and Debug, shown while a kproc session is active.
  const debugTasksView = vscode.window.createTreeView('kproc.debugTasks', { treeDataProvider: tasks });
  const debugZombiesView = vscode.window.createTreeView('kproc.debugZombies', { treeDataProvider: zombies });
  const updateBadges = () => {
    const n = zombies.items().length;
    zombiesView.badge = n ? { value: n, tooltip: `${n} zombie${n === 1 ? '' : 's'} waiting to be reaped` } : undefined;
  };
  // A view opened in the middle of a session asks for the table instead of waiting for a stop.
  const fetchIfEmpty = (e: vscode.TreeViewVisibilityChangeEvent) => {
    if (e.visible && store.rows.length === 0) void store.refresh();
  };
  subscriptions.push(tasksView.onDidChangeVisibility(fetchIfEmpty), debugTasksView.onDidChangeVisibility(fetchIfEmpty));
  subscriptions.push(tasks, zombies, runQueue, tasksView, zombiesView, runQueueView, debugTasksView, debugZombiesView,
    store.onDidChange(updateBadges));
  return { tasks, zombies, runQueue, tasksView };
}
