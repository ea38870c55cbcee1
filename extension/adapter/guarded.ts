// The session's protocol layer: input framed by a FrameReader (a malformed frame is answered and
// skipped, never the end of the session), a request's messages sent in one write, and error
// responses that say what failed instead of carrying a stack trace.

import { DebugSession, OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PassThrough } from 'node:stream';
import { StaleHandleError } from '../../sim-core/debug/inspector';
import { corkable, type Corkable } from './stops';
import { FrameReader, type FrameProblem } from './transport';

/** Transport problems reported before the adapter stops reporting them (a peer sending noise). */
const MAX_TRANSPORT_REPORTS = 50;

export abstract class GuardedSession extends DebugSession {
  /** The output stream, when it can batch: each request's messages leave in one write. */
  private out?: Corkable;
  private transportReports = 0;

  /**
   * The base class frames the input itself and ends the session at the first frame it cannot
   * parse; here a FrameReader does the framing, and the base class gets a stream that only
   * reports the input's end and errors (which still end the session).
   */
  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    if (corkable(outStream)) this.out = outStream;
    const ends = new PassThrough();
    inStream.on('close', () => ends.destroy());
    inStream.on('error', (e: Error) => ends.destroy(e));
    super.start(ends, outStream);
    const reader = new FrameReader({ message: (m) => this.receive(m), problem: (p) => this.transportProblem(p) });
    inStream.on('data', (chunk: Buffer | string) => reader.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk));
  }

  private receive(msg: Record<string, unknown>): void {
    try {
      this.handleMessage(msg as unknown as DebugProtocol.ProtocolMessage);
    } catch (e) {
      this.transportProblem({ message: `internal error while handling a message: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** A malformed frame: an error response when the request can be named, else a line on stderr. */
  private transportProblem(p: FrameProblem): void {
    if (p.seq !== undefined) {
      const response: DebugProtocol.Response = { seq: 0, type: 'response', request_seq: p.seq, command: p.command ?? '', success: false };
      return this.batched(() => this.fail(response, `Malformed request: ${p.message}.`));
    }
    if (++this.transportReports > MAX_TRANSPORT_REPORTS) return;
    const more = this.transportReports === MAX_TRANSPORT_REPORTS ? ' (further transport problems are not reported)' : '';
    this.batched(() => this.sendEvent(new OutputEvent(`Debug adapter: ${p.message}${more}.\n`, 'stderr')));
  }

  /**
   * Runs `fn` with the output held, then sends what it wrote in one write: the response and the
   * stopped event of a step reach the client together, in that order, with one wake-up.
   */
  protected batched(fn: () => void): void {
    const out = this.out;
    if (!out) return fn();
    out.cork();
    try {
      fn();
    } finally {
      out.uncork();
    }
  }

  /** The base class's dispatch (request to handler method), for the checked dispatch above it. */
  protected baseDispatch(request: DebugProtocol.Request): void {
    super.dispatchRequest(request);
  }

  /** A failed request's response; `showUser` false for failures that are no news to the user. */
  protected fail(response: DebugProtocol.Response, message: string, showUser = true): void {
    response.success = false;
    response.message = message;
    response.body = { error: { id: 1, format: message.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')), showUser } };
    this.sendResponse(response);
  }

  /** The base class reports a handler's exception with its stack; say what failed instead. */
  protected override sendErrorResponse(response: DebugProtocol.Response, codeOrMessage: number | DebugProtocol.Message, format?: string, variables?: Record<string, unknown>): void {
    if (codeOrMessage === 1104 && variables && typeof variables._exception === 'string') {
      return this.fail(response, `Internal error in '${response.command}': ${variables._exception}`);
    }
    super.sendErrorResponse(response, codeOrMessage as number, format, variables);
  }

  /** Runs a handler, turning a thrown error into an error response with its message. */
  protected guard(response: DebugProtocol.Response, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // A handle from an earlier stop: the client asked before it heard that the run moved on.
      this.fail(response, e instanceof Error ? e.message : String(e), !(e instanceof StaleHandleError));
    }
  }
}
