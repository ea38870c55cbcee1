// Going back from the editor: the status bar item with the step and virtual time of each stop,
// the Tasks view's "Run Back / Run Forward to when..." items and the "Go to Step..." command,
// which send the adapter's goto request. Everything is owned by context.subscriptions.
import * as vscode from 'vscode';
import { GOTO_REQUEST, MOMENT_EVENT, parseMomentBody, type GotoArgs, type MomentBody } from '../../sim-core/debug/moment';
import type { Moment } from '../../sim-core/machine-types';
import type { TaskRow } from './taskModel';
import type { TaskStore } from './taskStore';
import { gotoInput, momentStatus, TRAVEL_ITEMS, TRAVEL_SIGNALS, travelArgs, type TravelItem } from './travelModel';
import type { KprocViews } from './views';

export const GOTO_STEP_COMMAND = 'kproc.gotoStep';

/** The moment of the active kproc session's last stop, in the status bar while that session lives. */
export class MomentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kproc.moment', vscode.StatusBarAlignment.Left, 50);
  private readonly bySession = new Map<string, MomentBody>();
  private readonly subscriptions: vscode.Disposable[] = [this.item];

  constructor() {
    this.item.name = 'Linux Process Lab: Step and Virtual Time';
    this.item.command = GOTO_STEP_COMMAND;
    this.subscriptions.push(
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type !== 'kproc' || e.event !== MOMENT_EVENT) return;
        const body = parseMomentBody(e.body);
        if (!body) return;
        this.bySession.set(e.session.id, body);
        this.render();
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.render()),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.bySession.delete(s.id);
        this.render();
      }),
    );
  }

  /** The moment shown, or undefined when the item is hidden. */
  get moment(): MomentBody | undefined {
    const active = vscode.debug.activeDebugSession;
    return active?.type === 'kproc' ? this.bySession.get(active.id) : undefined;
  }

  /** The item's text as shown ('' when hidden). */
  get text(): string {
    return this.moment ? this.item.text : '';
  }

  private render(): void {
    const m = this.moment;
    if (!m) {
      this.item.hide();
      return;
    }
    const { text, tooltip } = momentStatus(m);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

type TaskArg = number | { row: TaskRow } | undefined;

function pidOf(arg: TaskArg, views: KprocViews): number | undefined {
  if (typeof arg === 'number') return arg;
  if (arg && typeof arg === 'object' && 'row' in arg) return arg.row.pid;
  return views.tasksView.selection[0]?.row.pid;
}

/** Sends the goto request; the moment reached, or undefined after telling the user why not. */
async function travel(store: TaskStore, args: GotoArgs, what: string): Promise<Moment | undefined> {
  const session = store.session();
  if (!session) {
    void vscode.window.showWarningMessage('Going back works while a Linux Process Lab debug session is stopped.');
    return undefined;
  }
  try {
    return await session.customRequest(GOTO_REQUEST, args) as Moment;
  } catch (e) {
    void vscode.window.showErrorMessage(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

async function travelToEvent(store: TaskStore, views: KprocViews, item: TravelItem, arg: TaskArg): Promise<Moment | undefined> {
  const pid = pidOf(arg, views);
  if (pid === undefined) return undefined;
  let signal: string | undefined;
  if (item.event === 'signal') {
    signal = await vscode.window.showQuickPick([...TRAVEL_SIGNALS], { placeHolder: `Which signal sent to pid ${pid}?` });
    if (signal === undefined) return undefined;
  }
  return travel(store, travelArgs(item, pid, signal), `${item.title.replace(/\.\.\.$/, '')} (pid ${pid})`);
}

export function registerTravel(context: vscode.ExtensionContext, store: TaskStore, views: KprocViews): MomentStatusBar {
  const status = new MomentStatusBar();
  context.subscriptions.push(
    status,
    vscode.commands.registerCommand(GOTO_STEP_COMMAND, async (input?: string | number) => {
      const given = typeof input === 'number' ? String(input) : input;
      const text = given ?? await vscode.window.showInputBox({
        title: 'Go to Step',
        prompt: 'A step number, or a moment such as "zombie 5", "signal 4 SIGTERM", "fork 6 forward" or "start"',
        placeHolder: status.moment ? `now at step ${status.moment.step}` : '120000',
      });
      const args = text === undefined ? undefined : gotoInput(text);
      return args ? travel(store, args, 'Go to Step') : undefined;
    }),
    ...TRAVEL_ITEMS.map((item) => vscode.commands.registerCommand(item.command, (arg: TaskArg) => travelToEvent(store, views, item, arg))),
  );
  return status;
}
