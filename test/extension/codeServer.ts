// Starts and stops VS Code for the web (code-server from npm, installed in .vscode-web/) for the
// extension tests. Each server runs in its own process group so stopping it also ends the
// extension hosts and debug adapters it spawned.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const VSCODE_WEB_DIR = process.env.VSCODE_WEB_DIR ?? path.join(ROOT, '.vscode-web');
const ENTRY = path.join(VSCODE_WEB_DIR, 'node_modules/code-server/out/node/entry.js');

export function isInstalled(): boolean {
  return fs.existsSync(ENTRY) && fs.readdirSync(VSCODE_WEB_DIR).some((f) => f.startsWith('.installed-'));
}

/** Runs scripts/vscode-web/install.sh, which returns at once when everything is in place. */
export function ensureInstalled(): void {
  if (isInstalled() && fs.existsSync('/usr/bin/chromium')) return;
  execFileSync('bash', [path.join(ROOT, 'scripts/vscode-web/install.sh')], { stdio: 'inherit' });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Profile {
  userDataDir: string;
  extensionsDir: string;
  /** code-server's own config file; kept in the profile so nothing is written to the home folder. */
  configFile: string;
}

/** A fresh user-data and extensions folder, with settings that keep dialogs out of the way. */
export function freshProfile(dir: string, settings: Record<string, unknown> = {}): Profile {
  fs.rmSync(dir, { recursive: true, force: true });
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const configFile = path.join(dir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'git.openRepositoryInParentFolders': 'never',
    'git.enabled': false,
    ...settings,
  }, null, 2));
  return { userDataDir, extensionsDir, configFile };
}

function profileArgs(p: Profile): string[] {
  return ['--config', p.configFile, '--user-data-dir', p.userDataDir, '--extensions-dir', p.extensionsDir];
}

export function installVsix(p: Profile, vsix: string): void {
  execFileSync(process.execPath, [ENTRY, ...profileArgs(p), '--install-extension', vsix], { stdio: 'pipe', timeout: 60_000 });
}

/**
 * Process groups of servers still running. If the runner itself is interrupted (Ctrl+C, a
 * timeout, a closed pipe), they are killed on the way out instead of outliving it.
 */
const liveGroups = new Set<number>();
function killLiveGroups(): void {
  for (const pgid of liveGroups) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
  }
  liveGroups.clear();
}
process.once('exit', killLiveGroups);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE'] as const) {
  process.once(sig, () => { killLiveGroups(); process.exit(130); });
}

export interface RunningServer {
  port: number;
  base: string;
  stop(): Promise<void>;
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', () => resolve(0));
    req.setTimeout(1000, () => { req.destroy(); resolve(0); });
  });
}

export async function startServer(p: Profile, logFile: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const log = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, [ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    ...profileArgs(p), '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override'], {
    detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env },
  });
  fs.closeSync(log);
  if (child.pid !== undefined) liveGroups.add(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const pgid = child.pid;
    const signalGroup = (sig: NodeJS.Signals) => { try { process.kill(-pgid, sig); } catch { /* already gone */ } };
    signalGroup('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    // Extension hosts and adapters may outlive the server's main process; the group takes them all.
    signalGroup('SIGKILL');
    liveGroups.delete(pgid);
    if (!killed) await exited;
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while ((await get(`${base}/healthz`)) !== 200) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (code ${child.exitCode}); see ${logFile}`);
    if (Date.now() > deadline) { await stop(); throw new Error(`code-server did not answer within 30 s; see ${logFile}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, base, stop };
}
