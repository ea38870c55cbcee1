// Entry point of the extension: wires the debugger, the task views, the commands and the
// language client. Everything it creates is owned by context.subscriptions.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerDebugger } from './debug';
import type { startLanguageClient as StartLanguageClient } from './languageClient';
import { TaskStore } from './taskStore';
import { registerTravel, type MomentStatusBar } from './travel';
import { registerTimeline } from './timelinePanel';
import { registerViews, type KprocViews } from './views';

/** What activate() returns: the test suite reads the views' providers through it. */
export interface KprocExtensionApi {
  store: TaskStore;
  views: KprocViews;
  /** Milliseconds activate() took, measured with the high-resolution clock. */
  activationMs: number;
  /** Settles when the language client has started (or was not started). */
  languageClient: Promise<unknown>;
  /** The status bar item with the step and virtual time of the last stop. */
  moment: MomentStatusBar;
}

export function activate(context: vscode.ExtensionContext): KprocExtensionApi {
  const t0 = performance.now();
  const store = new TaskStore();
  context.subscriptions.push(store);
  const views = registerViews(store, context.subscriptions);
  registerDebugger(context);
  registerCommands(context, store, views);
  const moment = registerTravel(context, store, views);
  registerTimeline(context);
  const languageClient = loadLanguageClient(context).catch((e: unknown) => {
    console.error('kproc: language server did not start:', e);
  });
  return { store, views, activationMs: performance.now() - t0, languageClient, moment };
}

/** Requires dist/languageClientMain.js at run time (a path esbuild leaves alone) once activate returns. */
async function loadLanguageClient(context: vscode.ExtensionContext): Promise<unknown> {
  // A macrotask later, so that VS Code has recorded the end of activation before the load.
  await new Promise((resolve) => setImmediate(resolve));
  const server = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  if (!fs.existsSync(server)) return undefined;
  const file = vscode.Uri.joinPath(context.extensionUri, 'dist', 'languageClientMain.js').fsPath;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle, loaded late on purpose
  const mod = require(file) as { startLanguageClient: typeof StartLanguageClient };
  return mod.startLanguageClient(context);
}

export function deactivate(): void {
  // Nothing beyond context.subscriptions, which VS Code disposes.
}
