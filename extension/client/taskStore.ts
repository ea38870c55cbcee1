// Holds the latest task table of the active 'kproc' debug session and tells the views when it
// changes. One instance per activation, owned by context.subscriptions.
import * as vscode from 'vscode';
import { TASKS_EVENT } from '../../sim-core/debug/protocol';
import { parseTasksBody, type TaskRow } from './taskModel';

export class TaskStore implements vscode.Disposable {
  private readonly bySession = new Map<string, TaskRow[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  private lastSessionId = '';
  /** Fires after the task table of the active session changed. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscriptions.push(
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type !== 'kproc' || e.event !== TASKS_EVENT) return;
        const rows = parseTasksBody(e.body);
        if (rows) this.update(e.session, rows);
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.fire()),
      vscode.debug.onDidTerminateDebugSession((s) => {
        // Keep the last table of a finished run on screen: the zombies and the final tree are
        // what a student wants to look at after the scenario ends.
        if (s.id !== this.lastSessionId) this.bySession.delete(s.id);
        this.fire();
      }),
    );
  }

  update(session: vscode.DebugSession | undefined, rows: TaskRow[]): void {
    this.bySession.set(session?.id ?? '', rows);
    this.lastSessionId = session?.id ?? '';
    this.fire();
  }

  /** Rows of the active kproc session, or of the last one that reported any. */
  get rows(): readonly TaskRow[] {
    const active = vscode.debug.activeDebugSession;
    if (active && this.bySession.has(active.id)) return this.bySession.get(active.id) ?? [];
    return this.bySession.get(this.lastSessionId) ?? [];
  }

  /** The session the rows belong to, for custom requests sent from the views. */
  session(): vscode.DebugSession | undefined {
    const active = vscode.debug.activeDebugSession;
    return active?.type === 'kproc' ? active : undefined;
  }

  /** Asks the adapter for the table now (used when a view opens in the middle of a session). */
  async refresh(): Promise<void> {
    const session = this.session();
    if (!session) return;
    try {
      const rows = parseTasksBody(await session.customRequest(TASKS_EVENT));
      if (rows) this.update(session, rows);
    } catch {
      // An adapter that does not serve the request yet still sends the event at every stop.
    }
  }

  private fire(): void {
    this.changed.fire();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
