// The built adapter as a process fed raw bytes, for transport tests: what a DebugClient cannot send
// (broken headers, bad JSON, garbage) goes straight to its stdin, and every frame it writes back is
// parsed strictly, so a malformed answer fails the test too.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import { ADAPTER, KERNEL_DIR } from './harness';

export interface Msg {
  seq: number;
  type: string;
  request_seq?: number;
  command?: string;
  success?: boolean;
  message?: string;
  event?: string;
  body?: Record<string, unknown>;
}

export function frame(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `Content-Length: ${Buffer.byteLength(text, 'utf8')}\r\n\r\n${text}`;
}

export class RawAdapter {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buf = Buffer.alloc(0);
  readonly messages: Msg[] = [];
  private waiters: Array<{ test: (m: Msg) => boolean; done: (m: Msg) => void }> = [];
  exitCode: number | null | undefined;
  stderr = '';

  constructor() {
    if (!fs.existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run npm run build first`);
    this.proc = spawn(process.execPath, [ADAPTER], { env: { ...process.env, KPROC_KERNEL_SOURCE_DIR: KERNEL_DIR } });
    this.proc.stdout.on('data', (d: Buffer) => this.take(d));
    this.proc.stderr.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    this.proc.on('exit', (code) => { this.exitCode = code; });
    this.proc.stdin.on('error', () => undefined);
  }

  private take(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /^Content-Length: (\d+)$/.exec(this.buf.toString('latin1', 0, end));
      if (!m) throw new Error(`the adapter wrote a malformed header: ${JSON.stringify(this.buf.toString('latin1', 0, end))}`);
      const n = Number(m[1]);
      if (this.buf.length < end + 4 + n) return;
      const msg = JSON.parse(this.buf.toString('utf8', end + 4, end + 4 + n)) as Msg;
      this.buf = this.buf.subarray(end + 4 + n);
      this.messages.push(msg);
      for (const w of this.waiters.filter((x) => x.test(msg))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.done(msg);
      }
    }
  }

  write(bytes: string | Buffer): void {
    this.proc.stdin.write(bytes);
  }

  /** The first message (already received or coming) that passes `test`; a hang guard only bounds the wait. */
  waitFor(test: (m: Msg) => boolean, what: string, timeoutMs = 15_000): Promise<Msg> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no ${what} within ${timeoutMs} ms (adapter ${this.exitCode === undefined ? 'running' : `exited with ${this.exitCode}`}; stderr: ${this.stderr.slice(0, 500)})`));
      }, timeoutMs);
      this.waiters.push({ test, done: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  /** Sends a well-formed request and resolves with its response. */
  request(seq: number, command: string, args?: unknown): Promise<Msg> {
    this.write(frame({ seq, type: 'request', command, ...(args === undefined ? {} : { arguments: args }) }));
    return this.response(seq, command);
  }

  response(seq: number, command?: string): Promise<Msg> {
    return this.waitFor((m) => m.type === 'response' && m.request_seq === seq && (command === undefined || m.command === command), `response to request ${seq}`);
  }

  /** Output events on stderr or important since message `from`. */
  complaints(from = 0): string[] {
    return this.messages.slice(from)
      .filter((m) => m.type === 'event' && m.event === 'output' && (m.body?.category === 'stderr' || m.body?.category === 'important'))
      .map((m) => String(m.body?.output));
  }

  async close(): Promise<void> {
    if (this.exitCode !== undefined) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.stdin.end();
    this.proc.kill();
    await gone;
  }
}
