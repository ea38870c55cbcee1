// The one wrapper around every handler the server registers: a failure inside a feature answers
// that request with an InternalError of one line (never a JavaScript stack), is logged once to the
// client's log, and leaves the server serving every other request and later edits.
import { ErrorCodes, ResponseError } from 'vscode-languageserver';

/** Where failures are logged: the connection's console (window/logMessage) in the server. */
export interface FailureLog {
  error(message: string): void;
  warn(message: string): void;
}

/** Distinct failures logged per feature before its log falls silent, so a failure on every keystroke cannot flood it. */
const MAX_LOGGED = 20;
/** Longest message sent to the client for one failure. */
const MAX_MESSAGE = 200;

/** A rejected parameter: answered with InvalidParams, or logged for a notification. */
export class ParamsError extends Error {}

/** The first line of an error's message, with its name, cut to a length an editor shows whole. */
export function oneLine(e: unknown): string {
  const name = e instanceof Error ? e.name : 'Error';
  const raw = e instanceof Error ? e.message : String(e);
  const first = raw.split(/\r\n|\r|\n/, 1)[0].trim() || 'no message';
  return cut(`${name}: ${first}`);
}

function cut(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 3)}...` : text;
}

export class Guard {
  /** The lines logged, by feature. */
  private readonly logged = new Map<string, Set<string>>();

  constructor(private readonly log: FailureLog) {}

  /** Logs a failure of `feature` once per distinct message (up to MAX_LOGGED of them); returns the one-line description. */
  report(feature: string, e: unknown): string {
    const bad = e instanceof ParamsError;
    const line = cut(bad ? `${feature} ignored: ${e.message}` : `${feature} failed: ${oneLine(e)}`);
    const seen = this.logged.get(feature) ?? new Set<string>();
    this.logged.set(feature, seen);
    if (!seen.has(line) && seen.size < MAX_LOGGED) {
      seen.add(line);
      try {
        if (bad) this.log.warn(`kproc language server: ${line}`);
        else this.log.error(`kproc language server: ${line} (please report this with the file that caused it)`);
      } catch {
        // A closed connection cannot log; the failure is already contained.
      }
    }
    return line;
  }

  /** The error a request answers with when `feature` threw `e`. */
  private toResponse(feature: string, e: unknown): ResponseError<void> {
    if (e instanceof ResponseError) return e as ResponseError<void>;
    if (e instanceof ParamsError) return new ResponseError(ErrorCodes.InvalidParams, e.message);
    return new ResponseError(ErrorCodes.InternalError, this.report(feature, e));
  }

  /** Wraps a request handler: its result, or an error response; never an exception escaping. */
  request<A extends unknown[], R>(feature: string, handler: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A): Promise<R> => {
      try {
        return await handler(...args);
      } catch (e) {
        throw this.toResponse(feature, e);
      }
    };
  }

  /** Wraps a notification handler or a scheduled task: a failure is logged and dropped. */
  notification<A extends unknown[]>(feature: string, handler: (...args: A) => void): (...args: A) => void {
    return (...args: A): void => {
      try {
        handler(...args);
      } catch (e) {
        this.report(feature, e);
      }
    };
  }
}
