// Starts the scenario language server (dist/server.js) through vscode-languageclient. Bundled
// apart as dist/languageClientMain.js and required after activation, so that the client library's
// 300 KB do not count against activation time.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<{ stop(): Promise<void> } | undefined> {
  const serverModule = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  if (!fs.existsSync(serverModule)) return undefined;
  const run = { module: serverModule, transport: TransportKind.ipc };
  const client = new LanguageClient('kproc', 'Scenario Language Server', {
    run, debug: { ...run, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  }, {
    documentSelector: [{ language: 'kproc' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.kproc') },
  });
  context.subscriptions.push({ dispose: () => void client.stop() });
  await client.start();
  return client;
}
