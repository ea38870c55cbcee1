// A real LSP client, the way an editor talks to the server: over stdio to the built server
// (node dist/server.js --stdio), or over in-memory streams to a server started in this process
// (inProcessServer, where a test can replace a feature). Used by the server tests and by bench/lsp.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  createConnection, createProtocolConnection, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializedNotification, InitializeRequest, LogMessageNotification, PublishDiagnosticsNotification, ShutdownRequest,
  StreamMessageReader, StreamMessageWriter, type Connection, type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from '../../extension/server/server';

export const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

/** The client side of one LSP session over a pair of streams. */
export class LspSession {
  readonly conn: ProtocolConnection;
  private versions = new Map<string, number>();
  private waiters: Array<{ uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  readonly published = new Map<string, PublishDiagnosticsParams>();
  /** How many times diagnostics were published for each URI. */
  readonly publishCount = new Map<string, number>();
  /** Every window/logMessage the server sent. */
  readonly logs: string[] = [];

  constructor(fromServer: NodeJS.ReadableStream, toServer: NodeJS.WritableStream) {
    this.conn = createProtocolConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.set(p.uri, p);
      this.publishCount.set(p.uri, (this.publishCount.get(p.uri) ?? 0) + 1);
      const ready = this.waiters.filter((w) => w.uri === p.uri && (p.version === undefined || p.version >= w.version));
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(p);
    });
    this.conn.onNotification(LogMessageNotification.type, (p) => { this.logs.push(p.message); });
    this.conn.listen();
  }

  async initialize(processId: number | null = process.pid): Promise<InitializeResult> {
    const r = await this.conn.sendRequest(InitializeRequest.type, {
      processId, rootUri: null, capabilities: {}, workspaceFolders: null,
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return r;
  }

  /** Resolves with the diagnostics published for uri at version or later. */
  diagnostics(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    const have = this.published.get(uri);
    if (have && have.version !== undefined && have.version >= version) return Promise.resolve(have);
    return new Promise((resolve) => this.waiters.push({ uri, version, resolve }));
  }

  async open(uri: string, text: string): Promise<number> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kproc', version: 1, text } });
    return 1;
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }
}

function spawnServer(): ChildProcessWithoutNullStreams {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first`);
  return spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
}

/** A session with the built server in its own process. */
export class LspClient extends LspSession {
  readonly proc: ChildProcessWithoutNullStreams;
  exited = false;
  exitCode: number | null = null;
  stderr = '';

  constructor(proc: ChildProcessWithoutNullStreams = spawnServer()) {
    super(proc.stdout, proc.stdin);
    this.proc = proc;
    this.proc.stderr.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    this.proc.on('exit', (code) => { this.exited = true; this.exitCode = code; });
  }

  /** p, or a rejection as soon as the server exits (a request to a dead server would wait forever). */
  alive<T>(p: Promise<T>): Promise<T> {
    const died = (): Error => new Error(`the server exited (${this.exitCode}): ${this.stderr}`);
    if (this.exited) return Promise.reject(died());
    return new Promise<T>((resolve, reject) => {
      const onExit = (): void => reject(died());
      this.proc.once('exit', onExit);
      p.then(resolve, reject).finally(() => this.proc.off('exit', onExit));
    });
  }

  override diagnostics(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.alive(super.diagnostics(uri, version));
  }

  async close(): Promise<void> {
    if (!this.exited) {
      await this.conn.sendRequest(ShutdownRequest.type);
      await this.conn.sendNotification(ExitNotification.type);
      await new Promise<void>((resolve) => { if (this.exited) resolve(); else this.proc.on('exit', () => resolve()); });
    }
    this.conn.dispose();
  }
}

/**
 * A session with a server started in this process by startServer, over in-memory streams. Its
 * initialize sends no processId (the server would poll it), and close never sends `exit`, which
 * ends the process.
 */
export class InProcessSession extends LspSession {
  private readonly server: Connection;

  constructor(options: ServerOptions = {}) {
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    super(fromServer, toServer);
    this.server = createConnection(toServer, fromServer);
    startServer(this.server, options);
    this.server.listen();
  }

  override initialize(): Promise<InitializeResult> {
    return super.initialize(null);
  }

  close(): void {
    this.conn.dispose();
    this.server.dispose();
  }
}
