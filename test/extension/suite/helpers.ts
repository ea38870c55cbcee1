// Event-driven waits for the extension-host suite: every wait ends on an event or a deadline,
// never on a fixed sleep.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KprocExtensionApi } from '../../../extension/client/extension';

export const EXTENSION_ID = 'linux-process-lab.linux-process-lab';

export async function extensionApi(): Promise<KprocExtensionApi> {
  const ext = vscode.extensions.getExtension<KprocExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.isActive ? ext.exports : ext.activate();
}

export function repoRoot(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  return ext ? ext.extensionUri.fsPath : path.resolve(__dirname, '../../..');
}

export function exampleUri(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(process.env.KPROC_EXAMPLES_DIR ?? path.join(repoRoot(), 'examples'), name));
}

/** Resolves with the first value `listen` produces, or rejects after `ms` with `what` in the message. */
export function waitFor<T>(what: string, ms: number, listen: (done: (v: T) => void) => vscode.Disposable): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${ms} ms waiting for ${what}`)); }, ms);
    const sub = listen((v) => { clearTimeout(timer); sub.dispose(); resolve(v); });
  });
}

/**
 * The store's rows once `pred` finds one: the store hears the 'kproc/tasks' event on its own
 * listener, which may run after the test's, so a test that reads it at a stop waits for it.
 */
export async function storeRow(api: KprocExtensionApi, pred: (r: KprocExtensionApi['store']['rows'][number], rows: KprocExtensionApi['store']['rows']) => boolean, ms = 10_000): Promise<KprocExtensionApi['store']['rows'][number]> {
  const now = () => api.store.rows.find((r) => pred(r, api.store.rows));
  const hit = now();
  if (hit) return hit;
  return waitFor(`a task row in ${JSON.stringify(api.store.rows)}`, ms, (done) => api.store.onDidChange(() => {
    const row = now();
    if (row) done(row);
  }));
}

/** The next 'kproc/tasks' event of a session, i.e. the next stop. */
export function nextStop(session: vscode.DebugSession | undefined, ms = 20_000): Promise<unknown> {
  return waitFor('a kproc/tasks event', ms, (done) => vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
    if (e.event === 'kproc/tasks' && (!session || e.session.id === session.id)) done(e.body);
  }));
}

export function sessionStarted(ms = 20_000): Promise<vscode.DebugSession> {
  return waitFor('a kproc session to start', ms, (done) => vscode.debug.onDidStartDebugSession((s) => {
    if (s.type === 'kproc') done(s);
  }));
}

export function sessionEnded(session: vscode.DebugSession, ms = 30_000): Promise<vscode.DebugSession> {
  return waitFor('the session to end', ms, (done) => vscode.debug.onDidTerminateDebugSession((s) => {
    if (s.id === session.id) done(s);
  }));
}

export function clearBreakpoints(): void {
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
}
