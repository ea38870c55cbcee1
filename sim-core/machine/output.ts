// The run's output meter: every character tasks write (write, printk) passes it, so the engine
// can hand output out as it accumulates (streaming) and end the run at its output limit.

/**
 * Characters of output after which Engine.run() hands out what it has, even before its slice of
 * steps is used: the caller (the CLI, the debugger) writes it on, so output is streamed and never
 * held in more than about this much plus one write.
 */
export const OUTPUT_FLUSH = 1 << 20;
/** The default limit on what one run may write (stdout, stderr and printk together): 64 MiB. */
export const DEFAULT_MAX_OUTPUT = 1 << 26;

export class OutputMeter {
  /** Characters the run may write in all; the write that reaches it ends the run. */
  limit = DEFAULT_MAX_OUTPUT;
  /** Characters written so far, and since the engine last handed events out. */
  total = 0;
  sinceRun = 0;
  /** The task whose write reached the limit (0: not reached). */
  fullPid = 0;

  /** What of `text` (written by task `pid`) the limit lets through; counts it. */
  pass(pid: number, text: string): string {
    const room = Math.max(0, this.limit - this.total);
    let out = text;
    if (out.length > 0 && out.length >= room) {
      out = out.slice(0, room);
      if (this.fullPid === 0) this.fullPid = pid;
    }
    this.total += out.length;
    this.sinceRun += out.length;
    return out;
  }

  /** Enough output waits for the caller to write on. */
  flushDue(): boolean {
    return this.sinceRun >= OUTPUT_FLUSH;
  }
}
