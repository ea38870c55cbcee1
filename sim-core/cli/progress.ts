// The progress line of a long `kproc run`: steps, virtual time and tasks on stderr, rewritten in
// place and cleared at the end. It is terminal output only: the wall clock it reads decides when a
// line is drawn, never what the simulation does, so runs stay deterministic.
import type { CliIo } from './io';

/** Shown once a run has lasted this long (KPROC_PROGRESS_AFTER_MS overrides it). */
const AFTER_MS = 1000;
/** At most this often the line is redrawn. */
const EVERY_MS = 100;
const CLEAR = '\r\x1b[2K';

export interface ProgressFigures {
  steps: number;
  /** Virtual clock in nanoseconds. */
  clock: number;
  tasks: number;
}

export type ProgressMode = 'auto' | 'always' | 'never';

export function progressLine(f: ProgressFigures): string {
  return `kproc: ${f.steps.toLocaleString('en-US')} steps, virtual time ${(f.clock / 1e9).toFixed(6)} s, ${f.tasks} task${f.tasks === 1 ? '' : 's'}`;
}

/** Decides from the options, KPROC_PROGRESS (always, never, auto) and the terminal whether to show progress. */
export function progressMode(io: CliIo, forced: ProgressMode | undefined): ProgressMode {
  if (forced) return forced;
  const env = io.env?.KPROC_PROGRESS;
  if (env === 'always' || env === 'never') return env;
  return 'auto';
}

export class Progress {
  private readonly enabled: boolean;
  private readonly start: number;
  private readonly after: number;
  private last = -Infinity;
  private shown = false;

  constructor(private readonly io: CliIo, mode: ProgressMode) {
    this.enabled = io.now !== undefined && mode !== 'never' && (mode === 'always' || io.stderrIsTerminal === true);
    this.start = this.enabled && io.now ? io.now() : 0;
    const env = Number(io.env?.KPROC_PROGRESS_AFTER_MS);
    this.after = io.env?.KPROC_PROGRESS_AFTER_MS !== undefined && Number.isFinite(env) && env >= 0 ? env : AFTER_MS;
  }

  /** Called between slices of the run; figures() is asked only when a line is due. */
  tick(figures: () => ProgressFigures): void {
    if (!this.enabled || !this.io.now) return;
    const t = this.io.now() - this.start;
    if (t < this.after || t - this.last < EVERY_MS) return;
    this.last = t;
    this.shown = true;
    this.io.err(`${CLEAR}${progressLine(figures())}`);
  }

  /** Removes the line (before other output, and at the end); a later tick draws it again. */
  clear(): void {
    if (!this.shown) return;
    this.shown = false;
    this.io.err(CLEAR);
  }
}
