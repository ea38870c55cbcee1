// "Verify against the Real Kernel": runs the bundled CLI's `kproc verify` on the scenario in a
// child process (it compiles with gcc and may take seconds), shows its report in an Output channel
// and says in a notification whether the two sides agree, differ or could not be compared.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { verifyOutcome } from './verifyOutcome';

export const VERIFY_COMMAND = 'kproc.verify';
export const VERIFY_CHANNEL = 'Linux Process Lab: Verify';

/** A guard only: the CLI bounds the real run itself (20 s) and the simulation by its step budget. */
const GUARD_MS = 5 * 60_000;

function scenarioUri(resource: vscode.Uri | string | undefined): vscode.Uri | undefined {
  if (resource instanceof vscode.Uri) return resource;
  if (typeof resource === 'string') return vscode.Uri.parse(resource);
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === 'kproc' ? doc.uri : undefined;
}

/** Runs `kproc verify FILE` with VS Code's own Node (Electron as Node); appends all it prints. */
function runVerify(extensionUri: vscode.Uri, file: string, channel: vscode.OutputChannel, token: vscode.CancellationToken): Promise<number | null> {
  const bin = vscode.Uri.joinPath(extensionUri, 'bin', 'kproc.js').fsPath;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'verify', file], {
      cwd: path.dirname(file), env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: GUARD_MS,
    });
    child.stdout.setEncoding('utf8').on('data', (t: string) => channel.append(t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => channel.append(t));
    token.onCancellationRequested(() => child.kill());
    child.on('error', (e) => { channel.appendLine(`kproc verify could not start: ${e.message}`); resolve(null); });
    child.on('close', (code) => resolve(code));
  });
}

export function registerVerifyCommand(context: vscode.ExtensionContext): void {
  let channel: vscode.OutputChannel | undefined;
  context.subscriptions.push(vscode.commands.registerCommand(VERIFY_COMMAND, async (resource?: vscode.Uri | string) => {
    const uri = scenarioUri(resource);
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('Open a .kproc scenario saved on disk to verify it against the real kernel.');
      return undefined;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) await doc.save();
    if (!channel) {
      channel = vscode.window.createOutputChannel(VERIFY_CHANNEL);
      context.subscriptions.push(channel);
    }
    const out = channel;
    out.clear();
    out.show(true);
    out.appendLine(`kproc verify ${uri.fsPath}`);
    const code = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Running the scenario on the real kernel and in the simulator', cancellable: true },
      (_progress, token) => runVerify(context.extensionUri, uri.fsPath, out, token),
    );
    const { level, text } = verifyOutcome(code, path.basename(uri.fsPath));
    const show = level === 'info' ? vscode.window.showInformationMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(text);
    return code;
  }));
}
