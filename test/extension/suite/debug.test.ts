// A debug session on the fork example through the vscode API: a function breakpoint on
// copy_process, threads, stack and variables read through the session, and the views' items at
// that stop, at the reaping of the zombie child, and at the end.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KprocExtensionApi } from '../../../extension/client/extension';
import { flattenTree } from '../../../extension/client/taskModel';
import { clearBreakpoints, exampleUri, extensionApi, nextStop, sessionEnded, sessionStarted, storeRow } from './helpers';

interface DapThread { id: number; name: string }
interface DapFrame { id: number; name: string; line: number; source?: { name?: string; path?: string; sourceReference?: number } }
interface DapVariable { name: string; value: string; variablesReference: number }

async function variables(session: vscode.DebugSession, ref: number): Promise<DapVariable[]> {
  return ((await session.customRequest('variables', { variablesReference: ref })) as { variables: DapVariable[] }).variables;
}

/** Finds the thread whose top frame is `fn` (the task that hit the breakpoint). */
async function threadIn(session: vscode.DebugSession, fn: string): Promise<{ thread: DapThread; frames: DapFrame[] }> {
  const { threads } = (await session.customRequest('threads')) as { threads: DapThread[] };
  for (const thread of threads) {
    const { stackFrames } = (await session.customRequest('stackTrace', { threadId: thread.id, startFrame: 0, levels: 50 })) as { stackFrames: DapFrame[] };
    if (stackFrames[0]?.name === fn) return { thread, frames: stackFrames };
  }
  throw new Error(`no thread stopped in ${fn}; threads: ${threads.map((t) => t.name).join(', ')}`);
}

describe('debugging the fork example', function () {
  this.timeout(90_000);
  let api: KprocExtensionApi;
  let session: vscode.DebugSession;
  let parentPid = 0;

  before(async () => {
    api = await extensionApi();
    clearBreakpoints();
  });
  after(async () => {
    clearBreakpoints();
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
  });

  it('starts from a configuration with only a program, and stops in copy_process', async () => {
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('copy_process')]);
    const started = sessionStarted();
    const stopped = nextStop(undefined);
    const ok = await vscode.debug.startDebugging(undefined, {
      type: 'kproc', request: 'launch', name: 'suite', program: exampleUri('fork-wait.kproc').fsPath, stopOnEntry: false,
    });
    assert.ok(ok, 'startDebugging returned true');
    session = await started;
    await stopped;
    const { thread, frames } = await threadIn(session, 'copy_process');
    assert.match(thread.name, /^\d+ \S+ \[[RSDTtZXI]\]$/, 'thread named "pid comm [state]"');
    parentPid = Number(thread.name.split(' ')[0]);
    const names = frames.map((f) => f.name);
    const user = frames.findIndex((f) => f.source?.path?.endsWith('.kproc'));
    assert.ok(user > 0, `a scenario frame below the kernel frames: ${names.join(' < ')}`);
    assert.ok(names.slice(0, user).includes('kernel_clone'), `kernel_clone between: ${names.join(' < ')}`);
  });

  it('shows current->real_parent in the Variables of the copy_process frame', async () => {
    const { frames } = await threadIn(session, 'copy_process');
    const { scopes } = (await session.customRequest('scopes', { frameId: frames[0].id })) as { scopes: Array<{ name: string; variablesReference: number }> };
    let current: DapVariable | undefined;
    for (const scope of scopes) {
      current ??= (await variables(session, scope.variablesReference)).find((v) => v.name === 'current');
    }
    assert.ok(current && current.variablesReference > 0, `a "current" variable in ${scopes.map((s) => s.name).join(', ')}`);
    const fields = await variables(session, current.variablesReference);
    for (const f of ['pid', 'real_parent', '__state', 'comm']) assert.ok(fields.some((v) => v.name === f), `current has ${f}`);
  });

  it('fills the Tasks view at the stop, with the forking task in the tree', () => {
    const nodes = flattenTree(api.views.tasks.getChildren());
    const parent = nodes.find((n) => n.row.pid === parentPid);
    assert.ok(parent, `pid ${parentPid} in ${nodes.map((n) => n.id).join(',')}`);
    assert.equal(api.views.tasks.getTreeItem(parent).id, String(parentPid));
    assert.ok(nodes.some((n) => n.row.pid === 1), 'init is in the tree');
    assert.equal(api.views.tasks.getParent(parent)?.row.pid, parent.parent?.row.pid);
    assert.ok(api.views.runQueue.getChildren().length >= 1, 'at least one CPU run queue');
  });

  it('reveals a task in the Tasks view and shows its task_struct', async () => {
    assert.equal(await vscode.commands.executeCommand('kproc.revealTask', parentPid), true);
    assert.equal(api.views.tasksView.selection[0]?.row.pid, parentPid);
    assert.equal(await vscode.commands.executeCommand('kproc.revealTask', 99999), false);
    await vscode.commands.executeCommand('kproc.showTask', parentPid);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'kproc-task' && d.uri.path.endsWith(`/${parentPid}`));
    assert.ok(doc, 'a kproc-task document is open');
    assert.match(doc.getText(), new RegExp(`pid ${parentPid}, tgid ${parentPid}`));
  });

  it('lists the child in Zombies while the parent reaps it', async () => {
    clearBreakpoints();
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('wait_task_zombie')]);
    const stopped = nextStop(session);
    await session.customRequest('continue', { threadId: 0 });
    await stopped;
    const zombies = api.views.zombies.getChildren();
    const child = zombies.find((z) => z.row.ppid === parentPid);
    assert.ok(child, `a zombie child of ${parentPid}: ${JSON.stringify(zombies.map((z) => z.row))}`);
    const item = api.views.zombies.getTreeItem(child);
    assert.match(String(item.description), /exited with code \d+|killed by/);
    const child3 = flattenTree(api.views.tasks.getChildren()).find((n) => n.row.pid === child.row.pid);
    assert.equal(child3?.row.state, 'Z');
  });

  it('runs to the end, after which no zombie is left', async () => {
    clearBreakpoints();
    const ended = sessionEnded(session);
    await session.customRequest('continue', { threadId: 0 });
    await ended;
    assert.ok(!api.views.zombies.getChildren().some((z) => z.row.ppid === parentPid), 'the child was reaped');
  });
});

describe('signals from the views', function () {
  this.timeout(90_000);
  before(function () {
    // The scripted adapter of test/extension/mock does not model signals.
    if (process.env.KPROC_MOCK_ADAPTER === '1') this.skip();
  });
  after(async () => {
    clearBreakpoints();
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
  });

  it('SIGKILL sent to the new child from the Tasks view makes it a zombie killed by SIGKILL', async () => {
    const api = await extensionApi();
    clearBreakpoints();
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('wake_up_new_task')]);
    const started = sessionStarted();
    let stopped = nextStop(undefined);
    await vscode.debug.startDebugging(undefined, {
      type: 'kproc', request: 'launch', name: 'signals', program: exampleUri('fork-wait.kproc').fsPath, stopOnEntry: false,
    });
    const session = await started;
    await stopped;
    const { frames } = await threadIn(session, 'wake_up_new_task');
    assert.ok(frames.length > 0);
    const isParent = (r: { state: string; kthread: boolean; pid: number }) => r.state === 'R' && !r.kthread && r.pid !== 0;
    const child = await storeRow(api, (r, rows) => !r.kthread && rows.some((p) => isParent(p) && r.ppid === p.pid));
    clearBreakpoints();
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('wait_task_zombie')]);
    await vscode.commands.executeCommand('kproc.signal.SIGKILL', { row: child });
    stopped = nextStop(session);
    await session.customRequest('continue', { threadId: 0 });
    await stopped;
    await storeRow(api, (r) => r.pid === child.pid && r.state === 'Z');
    const zombie = api.views.zombies.getChildren().find((z) => z.row.pid === child.pid);
    assert.ok(zombie, 'the killed child is a zombie');
    assert.match(String(api.views.zombies.getTreeItem(zombie).description), /killed by (SIGKILL|signal 9)/);
  });
});

describe('Run Scenario', function () {
  this.timeout(60_000);
  it('runs the example to the end without stopping, even with a breakpoint set', async () => {
    clearBreakpoints();
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('copy_process')]);
    const doc = await vscode.workspace.openTextDocument(exampleUri('fork-wait.kproc'));
    await vscode.window.showTextDocument(doc);
    const started = sessionStarted();
    assert.equal(await vscode.commands.executeCommand('kproc.runScenario', doc.uri), true);
    const session = await started;
    assert.equal(session.configuration.noDebug, true);
    await sessionEnded(session);
    clearBreakpoints();
  });
});
