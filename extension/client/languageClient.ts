// Starts the scenario language server (dist/server.js) through vscode-languageclient. Loaded
// after activation returns, so the client library does not count against activation time.
import * as fs from 'node:fs';
import * as vscode from 'vscode';

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<{ stop(): Promise<void> } | undefined> {
  const serverModule = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  if (!fs.existsSync(serverModule)) return undefined;
  const { LanguageClient, TransportKind } = await import('vscode-languageclient/node');
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
