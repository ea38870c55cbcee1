// The language client started by the extension: diagnostics, hover and the code lenses that run
// or debug a scenario, seen through the vscode API as the editor sees them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, waitFor } from './helpers';

describe('language support', function () {
  this.timeout(60_000);
  let doc: vscode.TextDocument;

  before(async () => {
    await (await extensionApi()).languageClient;
    doc = await vscode.workspace.openTextDocument({
      language: 'kproc',
      content: 'int main(void)\n{\n    pid_t pid = fork();\n    frobnicate(pid);\n    return 0;\n}\n',
    });
    await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('publishes a diagnostic for an undefined name, on its range', async () => {
    const current = () => vscode.languages.getDiagnostics(doc.uri);
    const diags = current().length ? current() : await waitFor<vscode.Diagnostic[]>('diagnostics', 30_000, (done) =>
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === doc.uri.toString()) && current().length) done(current());
      }));
    const undefinedName = diags.find((d) => doc.getText(d.range) === 'frobnicate');
    assert.ok(undefinedName, `a diagnostic on "frobnicate": ${diags.map((d) => `${d.message} @${d.range.start.line}`).join('; ')}`);
    assert.equal(undefinedName.range.start.line, 3);
  });

  it('explains fork() on hover, with its kernel path', async () => {
    const at = doc.positionAt(doc.getText().indexOf('fork') + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /kernel_clone/);
  });

  it('puts Run and Debug code lenses over main that call the extension\'s commands', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
    const commands = lenses.map((l) => l.command?.command);
    assert.ok(commands.includes('kproc.runScenario'), commands.join(', '));
    assert.ok(commands.includes('kproc.debugScenario'), commands.join(', '));
    const all = new Set(await vscode.commands.getCommands(true));
    for (const c of commands) if (c) assert.ok(all.has(c), `${c} is registered`);
  });
});
