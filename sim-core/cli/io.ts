// What a CLI command may touch of the outside world, passed in so tests can capture it: output
// streams, files, and for the progress display only, the terminal and a wall clock.
import { UsageError } from './args';
import { readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { readRegularFile } from './files';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Throws (like fs.readFileSync) when the file cannot be read, is not a regular file or is too large. */
  readFile(path: string): string;
  /** Whether stderr is a terminal (progress is shown only there unless forced); absent: not one. */
  stderrIsTerminal?: boolean;
  /** Wall clock in milliseconds, read only by the progress display, never by the simulation. */
  now?(): number;
  /** Environment variables (KPROC_PROGRESS, KPROC_PROGRESS_AFTER_MS); absent: none. */
  env?: Readonly<Record<string, string | undefined>>;
  /** True once the reader of stdout or stderr has gone away (EPIPE): the command stops quietly. */
  closed?(): boolean;
  /** Lets pending stream events (a closed pipe) arrive between two slices of a long run. */
  breathe?(): Promise<void>;
  /**
   * The next piece of standard input (a line typed at a terminal, a block of a file or pipe),
   * or null at its end; read only when the scenario waits on its terminal. Absent: no input.
   */
  readInput?(): string | null;
}

/** Reads the process's standard input a block at a time, waiting (blocking) for each. */
function stdinReader(): () => string | null {
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.alloc(65536);
  let ended = false;
  return () => {
    if (ended) return null;
    for (;;) {
      let n: number;
      try {
        n = readSync(0, buf, 0, buf.length, null);
      } catch (e) {
        // A non-blocking descriptor with nothing yet: wait a little and try again.
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); continue; }
        n = 0;
      }
      if (n === 0) { ended = true; const rest = decoder.end(); return rest === '' ? null : rest; }
      const text = decoder.write(buf.subarray(0, n));
      if (text !== '') return text;
    }
  };
}

export interface Command {
  name: string;
  /** One line for `kproc --help`. */
  summary: string;
  usage: string;
  /** The command's --help text. */
  help(): string;
  run(args: string[], io: CliIo): Promise<number> | number;
}

/** Resolves when the stream has drained its buffer, or failed, or closed. */
function drained(s: NodeJS.WriteStream): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => { s.off('drain', done); s.off('error', done); s.off('close', done); resolve(); };
    s.on('drain', done);
    s.on('error', done);
    s.on('close', done);
  });
}

/** The process's own streams. A reader that goes away (`kproc run F | head -1`) makes writes fail
 * with EPIPE; that is noted, not thrown, and the command ends quietly at its next check. */
export function processIo(): CliIo {
  let closed = false;
  const onError = (e: NodeJS.ErrnoException): void => {
    closed = true;
    // EPIPE is the reader leaving; anything else is worth one line on whichever stream still works.
    if (e.code !== 'EPIPE') { try { process.stderr.write(`kproc: cannot write output: ${e.code ?? e.message}\n`); } catch { /* stderr is gone too */ } }
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
  return {
    out: (t) => { if (!closed) process.stdout.write(t); },
    err: (t) => { if (!closed) process.stderr.write(t); },
    readFile: (p) => readRegularFile(p),
    readInput: stdinReader(),
    stderrIsTerminal: process.stderr.isTTY === true,
    now: () => performance.now(),
    env: process.env,
    closed: () => closed,
    breathe: async () => {
      // Backpressure: a reader slower than the run (a pipe) makes write() buffer; wait until it
      // drains, so the process never holds more than a slice's output.
      for (const s of [process.stdout, process.stderr]) {
        if (!closed && s.writableNeedDrain) await drained(s);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

/**
 * A failure of the simulator itself while it handled a scenario: where it happened (the file, and
 * the scenario line the running task had reached when that is known), to be reported as one line.
 */
export class InternalError extends Error {
  constructor(readonly where: string, override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = cause instanceof Error ? cause.name : 'Error';
    if (cause instanceof Error && cause.stack) this.stack = cause.stack;
  }
}

/** What kind of failure an exception thrown by a command is: a mistake on the command line or a bug of ours. */
export function failureKind(e: unknown): 'usage' | 'internal' {
  return e instanceof UsageError ? 'usage' : 'internal';
}

/**
 * Prints a command's failure as one line on stderr: `kproc: MESSAGE` for a usage mistake, and for
 * a bug of ours where it happened, with the stack only when KPROC_DEBUG=1 asks for it.
 */
export function reportFailure(e: unknown, io: CliIo): void {
  if (e instanceof UsageError) {
    io.err(`kproc: ${e.message}\n`);
    return;
  }
  const what = e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e).split('\n')[0];
  const where = e instanceof InternalError ? ` at ${e.where}` : '';
  io.err(`kproc: internal error${where}: ${what.slice(0, 300)} (set KPROC_DEBUG=1 for the stack trace; please report it)\n`);
  if (io.env?.KPROC_DEBUG === '1' && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
}
