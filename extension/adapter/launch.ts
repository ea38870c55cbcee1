// Turns a launch request into boot options, and a failed boot into gcc-style diagnostics
// (file:line:col: error: message) that editors and terminals both make clickable.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../sim-core/lang/ast';
import { LineMap } from '../../sim-core/lang/linemap';
import type { BootOptions, FairPolicySetting, Granularity, MachineSettings } from '../../sim-core/machine-types';

export interface KprocLaunchArgs {
  program: string;
  stopOnEntry?: boolean;
  args?: MachineSettings;
  stepGranularity?: Granularity;
  maxSteps?: number;
  noDebug?: boolean;
  trace?: boolean;
  pidMax?: number;
  cpus?: number;
  nproc?: number;
  seed?: number;
  uid?: number;
  /**
   * A file whose text is the scenario's standard input (its terminal), then end of file; a
   * relative path is taken from the scenario's folder. Without it the terminal is interactive:
   * a task reading it stops the run, and a line typed in the debug console is its input.
   */
  stdin?: string;
  /**
   * Memory for the history that going back uses, in MiB (default 256; 0: no going back). Old
   * checkpoints are thinned to stay within it.
   */
  history?: number;
  /** The fair class, over the scenario's `#pragma kproc sched`. */
  sched?: FairPolicySetting;
}

export interface LaunchPlan {
  boot: BootOptions;
  stopOnEntry: boolean;
  granularity: Granularity;
  noDebug: boolean;
  trace: boolean;
}

export class LaunchError extends Error {}

const SETTING_KEYS = ['pidMax', 'cpus', 'nproc', 'seed', 'uid'] as const;

/**
 * The accepted range of each numeric attribute: pid_max as Linux allows it on 64-bit
 * (PID_MAX_LIMIT), a uid_t other than (uid_t)-1, which means "no user", and a 32-bit seed.
 */
const RANGES: Record<(typeof SETTING_KEYS)[number] | 'maxSteps' | 'history', [number, number]> = {
  pidMax: [301, 4194304],
  cpus: [1, 64],
  nproc: [1, 4194304],
  seed: [0, 4294967295],
  uid: [0, 4294967294],
  maxSteps: [1, Number.MAX_SAFE_INTEGER],
  // MiB: up to 1 TiB, a bound no machine reaches but one that keeps the byte count exact.
  history: [0, 1 << 20],
};

const MIB = 1024 * 1024;
/** The history's default budget in MiB, as the machine's own default. */
export const DEFAULT_HISTORY_MIB = 256;

function checkRange(name: string, key: keyof typeof RANGES, v: unknown): void {
  const [lo, hi] = RANGES[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new LaunchError(`launch attribute '${name}' must be an integer from ${lo} to ${hi} (got ${JSON.stringify(v)})`);
  if (v < lo || v > hi) throw new LaunchError(`launch attribute '${name}' must be from ${lo} to ${hi} (got ${v})`);
}

/** Top-level settings (as VS Code's settings resolve them) are overridden by `args`. */
export function machineSettings(a: KprocLaunchArgs): MachineSettings {
  const s: MachineSettings = {};
  for (const k of SETTING_KEYS) {
    const inArgs = a.args?.[k] !== undefined;
    const v = inArgs ? a.args?.[k] : a[k];
    if (v === undefined) continue;
    checkRange(inArgs ? `args.${k}` : k, k, v);
    s[k] = v;
  }
  return s;
}

export function planLaunch(a: KprocLaunchArgs, readFile: (p: string) => string = (p) => fs.readFileSync(p, 'utf8')): LaunchPlan {
  if (!a.program.trim()) throw new LaunchError('No scenario to run: "program" is empty.');
  const granularity = a.stepGranularity ?? 'statement';
  if (granularity !== 'statement' && granularity !== 'kernel') {
    throw new LaunchError(`stepGranularity must be "statement" or "kernel" (got "${String(granularity)}")`);
  }
  if (a.maxSteps !== undefined) checkRange('maxSteps', 'maxSteps', a.maxSteps);
  if (a.history !== undefined) checkRange('history', 'history', a.history);
  if (a.sched !== undefined && a.sched !== 'eevdf' && a.sched !== 'cfs') {
    throw new LaunchError(`launch attribute 'sched' must be "eevdf" or "cfs" (got ${JSON.stringify(a.sched)})`);
  }
  const file = path.resolve(a.program);
  let source: string;
  try {
    source = readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new LaunchError(`Cannot read the scenario ${file}: ${why}`);
  }
  const noDebug = a.noDebug ?? false;
  const stopOnEntry = a.stopOnEntry ?? false;
  const input = stdinOf(a, file, readFile);
  return {
    // The machine reports the entry stop itself, once (never when running without debugging).
    boot: {
      file, source, settings: machineSettings(a), maxSteps: a.maxSteps, stopOnEntry: stopOnEntry && !noDebug, granularity,
      // Running without debugging never goes back: it keeps no history.
      historyBytes: noDebug ? 0 : (a.history ?? DEFAULT_HISTORY_MIB) * MIB,
      ...(a.sched === undefined ? {} : { sched: a.sched }),
      ...(input === undefined ? { interactiveStdin: true } : { stdin: input }),
    },
    stopOnEntry,
    granularity,
    noDebug,
    trace: a.trace ?? false,
  };
}

/** The text of the `stdin` launch attribute's file, or undefined when there is none. */
function stdinOf(a: KprocLaunchArgs, scenario: string, readFile: (p: string) => string): string | undefined {
  if (a.stdin === undefined) return undefined;
  if (typeof a.stdin !== 'string' || !a.stdin.trim()) throw new LaunchError(`launch attribute 'stdin' must name a file (got ${JSON.stringify(a.stdin)})`);
  const p = path.resolve(path.dirname(scenario), a.stdin);
  try {
    return readFile(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new LaunchError(`Cannot read the standard input file ${p} (launch attribute 'stdin'): ${why}`);
  }
}

/** `fork-wait.kproc:12:5: error: undefined name 'fro'` with 1-based line and column. */
export function formatDiagnostics(file: string, source: string, diags: readonly Diagnostic[]): string[] {
  const map = new LineMap(source);
  return diags.map((d) => {
    const p = map.positionAt(d.range.start);
    return `${file}:${p.line + 1}:${p.character + 1}: ${d.severity}: ${d.message}`;
  });
}
