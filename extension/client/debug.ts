// The 'kproc' debugger: configuration resolution (F5 without launch.json), the adapter factory,
// and the Run / Debug Scenario commands.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultLaunchConfig, noLaunchJsonConfig, resolveLaunchConfig, type KprocLaunchArguments, type KprocSettings } from './launchSchema';

export const DEBUG_TYPE = 'kproc';
export const LANGUAGE_ID = 'kproc';

export function readSettings(scope?: vscode.ConfigurationScope): KprocSettings {
  const c = vscode.workspace.getConfiguration('kproc', scope);
  return {
    stepIntoKernel: c.get('stepIntoKernel', false),
    pidMax: c.get('pidMax', 32768),
    cpus: c.get('cpus', 1),
    nproc: c.get('nproc', 4096),
    seed: c.get('seed', 1),
    stopOnEntry: c.get('stopOnEntry', true),
    debugAdapter: c.get('debugAdapter', 'inline'),
  };
}

function activeScenario(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === LANGUAGE_ID ? doc.uri : undefined;
}

class KprocConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [defaultLaunchConfig()];
  }

  resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    // F5 with no launch.json arrives here with an empty configuration.
    if (!config.type && !config.request && !config.name) {
      const uri = activeScenario();
      if (!uri) {
        void vscode.window.showInformationMessage('Open a .kproc scenario to debug it.');
        return undefined;
      }
      config = noLaunchJsonConfig(uri.fsPath) as vscode.DebugConfiguration;
    }
    const file = activeScenario()?.fsPath;
    const resolved = resolveLaunchConfig(config as Partial<KprocLaunchArguments>, readSettings(folder), file);
    if (!resolved) {
      void vscode.window.showErrorMessage('No scenario to run: set "program" in the launch configuration or open a .kproc file.');
      return undefined;
    }
    return resolved as unknown as vscode.DebugConfiguration;
  }
}

/**
 * By default the adapter's session runs inside the extension host (no process to start, and the
 * session is the same class the standalone program uses). With `kproc.debugAdapter: "process"`
 * it runs as a child process speaking DAP on stdio (dist/adapter.js, the program other editors
 * use); VS Code's own Node runs it: in the desktop build that binary is Electron, which
 * ELECTRON_RUN_AS_NODE turns into plain Node.
 */
class KprocAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionUri: vscode.Uri) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const inline = vscode.Uri.joinPath(this.extensionUri, 'dist', 'inlineAdapterMain.js').fsPath;
    if (readSettings(session.workspaceFolder).debugAdapter === 'inline' && fs.existsSync(inline)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle, loaded on first use
      const mod = require(inline) as { KprocDebugSession: new () => vscode.DebugAdapter };
      return new vscode.DebugAdapterInlineImplementation(new mod.KprocDebugSession());
    }
    const adapter = vscode.Uri.joinPath(this.extensionUri, 'dist', 'adapter.js').fsPath;
    return new vscode.DebugAdapterExecutable(process.execPath, [adapter], {
      env: { ELECTRON_RUN_AS_NODE: '1' },
      cwd: path.dirname(adapter),
    });
  }
}

/** Starts a session on a scenario file; `noDebug` runs it to the end without stopping. */
async function startScenario(resource: vscode.Uri | string | undefined, noDebug: boolean): Promise<boolean> {
  // Editor buttons pass a Uri; the language server's code lenses pass the document URI as a string.
  const uri = resource instanceof vscode.Uri ? resource : typeof resource === 'string' ? vscode.Uri.parse(resource) : activeScenario();
  if (!uri) {
    void vscode.window.showInformationMessage('Open a .kproc scenario first.');
    return false;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const config: vscode.DebugConfiguration = {
    ...defaultLaunchConfig(uri.fsPath),
    name: noDebug ? 'Run scenario' : 'Debug scenario',
    stopOnEntry: noDebug ? false : readSettings(uri).stopOnEntry,
  };
  return vscode.debug.startDebugging(folder, config, { noDebug });
}

export function registerDebugger(context: vscode.ExtensionContext): void {
  const provider = new KprocConfigurationProvider();
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
      provideDebugConfigurations: () => [defaultLaunchConfig()],
    }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new KprocAdapterFactory(context.extensionUri)),
    vscode.commands.registerCommand('kproc.runScenario', (uri?: vscode.Uri | string) => startScenario(uri, true)),
    vscode.commands.registerCommand('kproc.debugScenario', (uri?: vscode.Uri | string) => startScenario(uri, false)),
  );
}
