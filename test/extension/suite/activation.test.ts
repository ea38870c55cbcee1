// The extension activates quickly, contributes its language, commands and views, and offers F5
// without launch.json.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { exampleUri, extensionApi } from './helpers';

describe('activation', () => {
  it('activates and reports its activation time', async () => {
    const api = await extensionApi();
    assert.equal(typeof api.activationMs, 'number');
    console.log(`kproc activation: activate() took ${api.activationMs.toFixed(2)} ms`);
  });

  it('registers its commands', async () => {
    await extensionApi();
    const all = new Set(await vscode.commands.getCommands(true));
    for (const c of ['kproc.runScenario', 'kproc.debugScenario', 'kproc.addKernelFunctionBreakpoint', 'kproc.showTask', 'kproc.verify',
      'kproc.signal.SIGKILL', 'kproc.signal.SIGSTOP', 'kproc.signal.SIGCONT', 'kproc.signal.SIGTERM']) {
      assert.ok(all.has(c), c);
    }
  });

  it('opens a .kproc file in the kproc language', async () => {
    const doc = await vscode.workspace.openTextDocument(exampleUri('fork-wait.kproc'));
    assert.equal(doc.languageId, 'kproc');
  });

  it('adds a function breakpoint on a kernel function by name', async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    assert.equal(await vscode.commands.executeCommand('kproc.addKernelFunctionBreakpoint', 'copy_process'), true);
    assert.equal(await vscode.commands.executeCommand('kproc.addKernelFunctionBreakpoint', 'copy_process'), false);
    const fbs = vscode.debug.breakpoints.filter((b): b is vscode.FunctionBreakpoint => b instanceof vscode.FunctionBreakpoint);
    assert.deepEqual(fbs.map((b) => b.functionName), ['copy_process']);
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  it('shows empty views before any session', async () => {
    const api = await extensionApi();
    assert.deepEqual(api.views.tasks.getChildren(), []);
    assert.deepEqual(api.views.zombies.getChildren(), []);
    assert.deepEqual(api.views.runQueue.getChildren(), []);
  });
});
