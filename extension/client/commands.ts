// Commands behind the views and the walkthrough: kernel function breakpoints, signals to a task,
// showing a task_struct, opening an example, verifying against the real kernel (verify.ts).
import * as vscode from 'vscode';
import { KERNEL_FUNCTIONS_REQUEST, SEND_SIGNAL_REQUEST, type KernelFunctionEntry, type SendSignalArgs } from '../../sim-core/debug/protocol';
import { taskTooltip, type TaskRow } from './taskModel';
import type { TaskStore } from './taskStore';
import { registerVerifyCommand } from './verify';
import type { KprocViews } from './views';

import { SIGNALS, type SignalName } from './signals';

/** A kernel function as the adapter lists it; the built-in fallback list knows only names. */
export type KernelFunction = Pick<KernelFunctionEntry, 'name'> & Partial<KernelFunctionEntry>;

/**
 * Shown when no session can answer 'kproc/kernelFunctions': the functions the lectures walk
 * through. A running session lists every modelled function instead.
 */
const WELL_KNOWN_FUNCTIONS = [
  'kernel_clone', 'copy_process', 'dup_task_struct', 'copy_files', 'copy_mm', 'copy_thread',
  'alloc_pid', 'wake_up_new_task', 'do_exit', 'exit_notify', 'release_task', 'do_wait',
  'wait_task_zombie', 'forget_original_parent', 'find_new_reaper', 'bprm_execve',
  'send_signal_locked', 'get_signal', 'schedule', 'try_to_wake_up', 'kthread_create_on_node', 'kthreadd',
];

async function kernelFunctions(store: TaskStore): Promise<KernelFunction[]> {
  const session = store.session();
  if (session) {
    try {
      const body = await session.customRequest(KERNEL_FUNCTIONS_REQUEST) as { functions?: KernelFunction[] };
      if (Array.isArray(body?.functions) && body.functions.length) return body.functions;
    } catch {
      // Fall back to the built-in list below.
    }
  }
  return WELL_KNOWN_FUNCTIONS.map((name) => ({ name }));
}

/** Adds a function breakpoint unless one with the same name exists; returns whether it added one. */
export function addFunctionBreakpoint(name: string): boolean {
  const exists = vscode.debug.breakpoints.some((b) => b instanceof vscode.FunctionBreakpoint && b.functionName === name);
  if (!exists) vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint(name)]);
  return !exists;
}

type TaskArg = number | { row: TaskRow } | undefined;

function pidOf(arg: TaskArg, views: KprocViews): number | undefined {
  if (typeof arg === 'number') return arg;
  if (arg && typeof arg === 'object' && 'row' in arg) return arg.row.pid;
  return views.tasksView.selection[0]?.row.pid;
}

async function sendSignal(store: TaskStore, pid: number | undefined, signal: SignalName): Promise<void> {
  const session = store.session();
  if (!session || pid === undefined) {
    void vscode.window.showWarningMessage('Signals can be sent while a kproc debug session is running.');
    return;
  }
  try {
    await session.customRequest(SEND_SIGNAL_REQUEST, { pid, signal } satisfies SendSignalArgs);
    await store.refresh();
  } catch (e) {
    void vscode.window.showErrorMessage(`kill(${pid}, ${signal}) failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

interface DapVariable { name: string; value: string; type?: string }

/**
 * The task_struct of a pid as the adapter's Variables would show it, one level deep. The Call
 * Stack's thread selection cannot be set from the extension API, so this is how a view shows a
 * task.
 */
async function taskStructText(store: TaskStore, pid: number): Promise<string> {
  const row = store.rows.find((r) => r.pid === pid);
  const lines = [`task ${pid}${row ? ` (${row.comm})` : ''}`, ''];
  if (row) lines.push(taskTooltip(row), '');
  const session = store.session();
  if (session) {
    try {
      const r = await session.customRequest('evaluate', { expression: `*$lx_task_by_pid(${pid})`, context: 'watch' }) as
        { result: string; variablesReference: number };
      lines.push(`struct task_struct ${r.result}`);
      if (r.variablesReference > 0) {
        const v = await session.customRequest('variables', { variablesReference: r.variablesReference }) as { variables: DapVariable[] };
        for (const f of v.variables) lines.push(`  ${f.name} = ${f.value}`);
      }
    } catch {
      // Stopped sessions answer; a running one may not. The summary above is still right.
    }
  }
  return lines.join('\n') + '\n';
}

export function registerCommands(context: vscode.ExtensionContext, store: TaskStore, views: KprocViews): void {
  registerVerifyCommand(context);
  const taskDocs = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider('kproc-task', {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => taskDocs.get(uri.toString()) ?? '',
    }),
    vscode.commands.registerCommand('kproc.showTask', async (arg: TaskArg) => {
      const pid = pidOf(arg, views);
      if (pid === undefined) return;
      const uri = vscode.Uri.parse(`kproc-task:/task_struct/${pid}`);
      taskDocs.set(uri.toString(), await taskStructText(store, pid));
      changed.fire(uri);
      await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
    }),
    vscode.commands.registerCommand('kproc.addKernelFunctionBreakpoint', async (name?: string) => {
      if (typeof name === 'string' && name) return addFunctionBreakpoint(name);
      const functions = await kernelFunctions(store);
      const pick = await vscode.window.showQuickPick(
        functions.map((f) => ({ label: f.name, description: f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : undefined })),
        { placeHolder: 'Break when the kernel enters this function', matchOnDescription: true },
      );
      return pick ? addFunctionBreakpoint(pick.label) : false;
    }),
    vscode.commands.registerCommand('kproc.refreshTasks', () => store.refresh()),
    vscode.commands.registerCommand('kproc.revealTask', async (pid: number) => {
      const node = views.tasks.findByPid(pid);
      if (node) await views.tasksView.reveal(node, { select: true, focus: false, expand: true });
      return node !== undefined;
    }),
    vscode.commands.registerCommand('kproc.openExample', async (name = 'fork-wait.kproc') => {
      const uri = vscode.Uri.joinPath(context.extensionUri, 'examples', name);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      return uri;
    }),
    vscode.commands.registerCommand('kproc.walkthrough.breakOnCopyProcess', () => addFunctionBreakpoint('copy_process')),
    ...SIGNALS.map((signal) => vscode.commands.registerCommand(`kproc.signal.${signal}`,
      (arg: TaskArg) => sendSignal(store, pidOf(arg, views), signal))),
  );
}
