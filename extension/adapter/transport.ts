// The adapter's input framing: DAP frames (a Content-Length header, then a JSON body) read from a
// byte stream that may hold anything. Every malformed frame is reported and skipped, and reading
// resynchronises on the next header, so one bad frame never ends or wedges the session.

/** A header block longer than this is not a header (a real one is about 25 bytes). */
export const MAX_HEADER_BYTES = 8 * 1024;
/** The largest body accepted; DAP requests are small, and a launch with a long program path is a few KB. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

const CRLF2 = Buffer.from('\r\n\r\n', 'latin1');
const NAME = 'Content-Length';
/** A header's start as it can appear inside a cut-short body. Valid JSON never holds a raw CR, so no body can contain this. */
const HEADER_START = /^Content-Length[ \t]{0,8}:[ \t]{0,8}\d{1,12}\r\n/;
/** Well-formed header fields before Content-Length (`Content-Type: ...`). */
const HEADER_LINES = /^(?:[!-9;-~]+:[^\r\n]*\r\n)*$/;

export interface FrameProblem {
  message: string;
  /** The request's seq and command, when they could be recovered: the problem is answered as its error response. */
  seq?: number;
  command?: string;
}

export interface FrameSink {
  /** A well-formed message (a request the session should answer, or a response to one of its requests). */
  message(msg: Record<string, unknown>): void;
  problem(p: FrameProblem): void;
}

/** A byte queue that grows by doubling, so a large body arriving in small chunks costs linear time. */
class ByteQueue {
  private data = Buffer.alloc(0);
  private start = 0;
  private end = 0;

  get length(): number { return this.end - this.start; }

  append(chunk: Buffer): void {
    if (this.end + chunk.length > this.data.length) {
      const live = this.length;
      const next = live + chunk.length > this.data.length / 2 ? Buffer.alloc(Math.max(1024, 2 * (live + chunk.length))) : this.data;
      this.data.copy(next, 0, this.start, this.end);
      this.data = next;
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.data, this.end);
    this.end += chunk.length;
  }

  view(): Buffer { return this.data.subarray(this.start, this.end); }

  drop(n: number): void {
    this.start += Math.min(n, this.length);
    if (this.start !== this.end) return;
    this.start = this.end = 0;
    // After a large frame, give its memory back.
    if (this.data.length > 1 << 20) this.data = Buffer.alloc(0);
  }
}

export class FrameReader {
  private readonly q = new ByteQueue();
  /** The body length being read, or -1 while reading a header. */
  private need = -1;
  /** In a body: how far the search for a new header has got. */
  private scanned = 0;
  /** Skipping bytes after a reported problem: the garbage up to the next header is not reported again. */
  private quiet = false;

  constructor(private readonly sink: FrameSink) {}

  push(chunk: Buffer): void {
    this.q.append(chunk);
    while (this.need < 0 ? this.header() : this.body()) { /* another frame may be complete */ }
  }

  private problem(message: string, extra: Omit<FrameProblem, 'message'> = {}): void {
    this.sink.problem({ message, ...extra });
  }

  /** Garbage that is not followed by a header end yet: drops what cannot start a header. */
  private skipGarbage(b: Buffer): boolean {
    if (b.length <= MAX_HEADER_BYTES) return false;
    const at = b.lastIndexOf(NAME);
    const keep = at > 0 && b.length - at <= MAX_HEADER_BYTES ? b.length - at : NAME.length - 1;
    if (!this.quiet) this.problem(`ignored ${b.length - keep} bytes that are not a DAP header; waiting for the next '${NAME}:' header`);
    this.quiet = true;
    this.q.drop(b.length - keep);
    return false;
  }

  private header(): boolean {
    const b = this.q.view();
    if (b.length === 0) return false;
    const end = b.indexOf(CRLF2);
    if (end < 0) return this.skipGarbage(b);
    const text = b.toString('latin1', 0, end);
    this.q.drop(end + CRLF2.length);
    const at = text.toLowerCase().lastIndexOf(NAME.toLowerCase());
    if (at < 0) {
      if (!this.quiet) this.problem(`ignored a header without '${NAME}' (${end} bytes: ${preview(text)})`);
      this.quiet = true;
      return true;
    }
    const prefix = text.slice(0, at);
    if (prefix && !HEADER_LINES.test(prefix) && !this.quiet) this.problem(`ignored ${prefix.length} bytes before a DAP header (${preview(prefix)})`);
    const m = /^content-length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*(?:\r\n|$)/i.exec(text.slice(at));
    const value = m ? m[1] : '';
    if (!/^\d{1,12}$/.test(value)) {
      this.problem(`ignored a frame with an invalid ${NAME} '${preview(value)}' (it must be a byte count)`);
      this.quiet = true;
      return true;
    }
    const n = Number(value);
    if (n > MAX_BODY_BYTES) {
      this.problem(`ignored a frame of ${n} bytes: a DAP message may have at most ${MAX_BODY_BYTES} bytes (16 MB)`);
      this.quiet = true;
      return true;
    }
    this.need = n;
    this.scanned = 0;
    return true;
  }

  /** Where a new header starts inside the first `limit` bytes, from `from`: the frame was cut short. */
  private newHeader(b: Buffer, from: number, limit: number): number {
    for (let i = b.indexOf(NAME, from); i >= 0 && i < limit; i = b.indexOf(NAME, i + 1)) {
      if (HEADER_START.test(b.toString('latin1', i, Math.min(b.length, i + 64)))) return i;
    }
    return -1;
  }

  private body(): boolean {
    const b = this.q.view();
    const limit = Math.min(b.length, this.need);
    const cut = this.newHeader(b, this.scanned, limit);
    if (cut >= 0) {
      this.problem(`ignored a frame cut short: it announced ${this.need} bytes but a new header began after ${cut}`, recover(b.toString('utf8', 0, cut)));
      this.q.drop(cut);
      this.need = -1;
      this.quiet = false;
      return true;
    }
    if (b.length < this.need) {
      this.scanned = Math.max(0, b.length - 64);
      return false;
    }
    const text = b.toString('utf8', 0, this.need);
    this.q.drop(this.need);
    this.need = -1;
    this.quiet = false;
    this.parse(text);
    return true;
  }

  private parse(text: string): void {
    if (!text.trim()) return this.problem('ignored an empty frame');
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return this.problem(`a frame is not valid JSON (${e instanceof Error ? e.message : String(e)})`, recover(text));
    }
    const checked = checkEnvelope(msg);
    if (typeof checked === 'string') return this.problem(checked, recover(msg));
    this.sink.message(checked);
  }
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** The message itself if it is a request or response a session can take, else what is wrong with it. */
export function checkEnvelope(msg: unknown): Record<string, unknown> | string {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return `a DAP message must be a JSON object, not ${kind(msg)}`;
  const m = msg as Record<string, unknown>;
  if (m.type === 'response') return typeof m.request_seq === 'number' ? m : 'a response needs a numeric "request_seq"';
  if (m.type !== 'request') return `a DAP message from the client must have "type": "request" (got ${JSON.stringify(m.type) ?? 'none'})`;
  if (typeof m.seq !== 'number' || !Number.isSafeInteger(m.seq) || m.seq < 0) return `a request needs "seq", a non-negative integer (got ${kind(m.seq)})`;
  if (typeof m.command !== 'string' || !m.command) return `a request needs "command", a non-empty string (got ${kind(m.command)})`;
  if (m.arguments !== undefined && kind(m.arguments) !== 'object') return `'${m.command}': "arguments" must be an object, not ${kind(m.arguments)}`;
  return m;
}

/** The seq and command of a bad request, when they can be read, so that it gets an error response. */
function recover(msg: unknown): Omit<FrameProblem, 'message'> {
  if (typeof msg === 'string') {
    const head = msg.slice(0, 65536);
    const seq = /"seq"\s*:\s*(\d{1,15})\b/.exec(head);
    const cmd = /"command"\s*:\s*"([^"\\]{1,200})"/.exec(head);
    return seq ? { seq: Number(seq[1]), command: cmd?.[1] } : {};
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return {};
  const m = msg as Record<string, unknown>;
  if (m.type !== undefined && m.type !== 'request') return {};
  const seq = typeof m.seq === 'number' && Number.isSafeInteger(m.seq) && m.seq >= 0 ? m.seq : undefined;
  return seq === undefined ? {} : { seq, command: typeof m.command === 'string' ? m.command.slice(0, 200) : undefined };
}

function preview(s: string): string {
  const t = JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s);
  return t.slice(1, -1);
}
