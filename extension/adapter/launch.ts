// Turns a launch request into boot options, and a failed boot into gcc-style diagnostics
// (file:line:col: error: message) that editors and terminals both make clickable.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../sim-core/lang/ast';
import { LineMap } from '../../sim-core/lang/linemap';
import type { BootOptions, Granularity, MachineSettings } from '../../sim-core/machine-types';

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

/** Top-level settings (as VS Code's settings resolve them) are overridden by `args`. */
export function machineSettings(a: KprocLaunchArgs): MachineSettings {
  const s: MachineSettings = {};
  for (const k of SETTING_KEYS) {
    const v = a.args?.[k] ?? a[k];
    if (v !== undefined) s[k] = v;
  }
  if (s.pidMax !== undefined && (s.pidMax < 301 || s.pidMax > 4194304)) throw new LaunchError(`pidMax must be between 301 and 4194304 (got ${s.pidMax})`);
  if (s.cpus !== undefined && (s.cpus < 1 || s.cpus > 64)) throw new LaunchError(`cpus must be between 1 and 64 (got ${s.cpus})`);
  if (s.nproc !== undefined && s.nproc < 1) throw new LaunchError(`nproc must be at least 1 (got ${s.nproc})`);
  if (s.seed !== undefined && s.seed < 0) throw new LaunchError(`seed must not be negative (got ${s.seed})`);
  return s;
}

export function planLaunch(a: KprocLaunchArgs, readFile: (p: string) => string = (p) => fs.readFileSync(p, 'utf8')): LaunchPlan {
  if (!a.program.trim()) throw new LaunchError('No scenario to run: "program" is empty.');
  const granularity = a.stepGranularity ?? 'statement';
  if (granularity !== 'statement' && granularity !== 'kernel') {
    throw new LaunchError(`stepGranularity must be "statement" or "kernel" (got "${String(granularity)}")`);
  }
  if (a.maxSteps !== undefined && a.maxSteps < 1) throw new LaunchError(`maxSteps must be at least 1 (got ${a.maxSteps})`);
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
  return {
    // The machine reports the entry stop itself, once (never when running without debugging).
    boot: { file, source, settings: machineSettings(a), maxSteps: a.maxSteps, stopOnEntry: stopOnEntry && !noDebug, granularity },
    stopOnEntry,
    granularity,
    noDebug,
    trace: a.trace ?? false,
  };
}

/** `fork-wait.kproc:12:5: error: undefined name 'fro'` with 1-based line and column. */
export function formatDiagnostics(file: string, source: string, diags: readonly Diagnostic[]): string[] {
  const map = new LineMap(source);
  return diags.map((d) => {
    const p = map.positionAt(d.range.start);
    return `${file}:${p.line + 1}:${p.character + 1}: ${d.severity}: ${d.message}`;
  });
}
