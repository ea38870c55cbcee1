// Test plumbing: a DebugClient on the built adapter over stdio (as VS Code runs it), or on an
// in-process session over a socket (for the scripted machine), plus small waiting helpers.

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BootFunction } from '../../sim-core/machine-types';
import { KprocDebugSession } from '../../extension/adapter/session';

export const ROOT = path.resolve(__dirname, '../..');
export const ADAPTER = path.join(ROOT, 'dist/adapter.js');
export const FORK_WAIT = path.join(ROOT, 'examples/fork-wait.kproc');

/** Kernel sources go to a private folder per test run, not the user's temp cache. */
export const KERNEL_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kproc-adapter-test-'));
process.env.KPROC_KERNEL_SOURCE_DIR = KERNEL_DIR;
const tempDirs: string[] = [KERNEL_DIR];

// A root-level hook (this module is loaded by the spec files): remove what the tests wrote.
after(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

export function stdioClient(): DebugClient {
  if (!fs.existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run npm run build first`);
  const dc = new DebugClient('node', ADAPTER, 'kproc', { env: { ...process.env, KPROC_KERNEL_SOURCE_DIR: KERNEL_DIR } });
  // Generous, for loaded CI machines: waits end as soon as the event arrives.
  dc.defaultTimeout = 20_000;
  return dc;
}

export interface InlineAdapter {
  client: DebugClient;
  close(): Promise<void>;
}

/** The session class in this process, serving one DebugClient over a local socket. */
export async function inlineClient(boot: BootFunction): Promise<InlineAdapter> {
  const server = net.createServer((socket) => {
    const session = new KprocDebugSession({ boot });
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const client = new DebugClient('node', 'unused', 'kproc');
  client.defaultTimeout = 20_000;
  await client.start(port);
  return {
    client,
    close: async () => {
      await client.stop().catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function scenarioFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kproc-scenario-'));
  tempDirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** initialize + launch + (breakpoints) + configurationDone, resolving when all are answered. */
export async function launch(
  dc: DebugClient, args: Record<string, unknown>, configure: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  await dc.initializeRequest({ adapterID: 'kproc', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized');
  await dc.launchRequest(args as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await configure();
  await dc.configurationDoneRequest();
}

export async function topFrames(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 100 })).body.stackFrames;
}

export async function scopeVars(dc: DebugClient, frameId: number, scope: RegExp): Promise<DebugProtocol.Variable[]> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const s = scopes.find((x) => scope.test(x.name));
  if (!s) throw new Error(`no scope ${scope} in ${scopes.map((x) => x.name).join(', ')}`);
  return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

export async function children(dc: DebugClient, v: DebugProtocol.Variable | undefined): Promise<DebugProtocol.Variable[]> {
  if (!v || !v.variablesReference) throw new Error(`${v?.name ?? 'variable'} does not expand`);
  return (await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables;
}

/** Collects every event of the given kinds while `fn` runs. */
export function record(dc: DebugClient, names: string[]): { events: DebugProtocol.Event[]; stop: () => void } {
  const events: DebugProtocol.Event[] = [];
  const handlers = names.map((n) => {
    const h = (e: DebugProtocol.Event) => events.push(e);
    dc.on(n, h);
    return [n, h] as const;
  });
  return { events, stop: () => handlers.forEach(([n, h]) => dc.removeListener(n, h)) };
}
