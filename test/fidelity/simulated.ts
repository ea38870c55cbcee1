// Runs a scenario through `kproc run` in-process (the CLI's own main), capturing what it prints.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../../sim-core/cli/main';
import type { CliIo } from '../../sim-core/cli/io';
import { isKernelSide as kernelSideSource } from '../../sim-core/cli/verify/real';

export interface SimRun {
  stdout: string;
  stderr: string;
  /** kproc's exit status: 0 when the scenario ran to its end. */
  code: number;
  /** stdout and stderr in the order they were written, as a terminal holding both shows them. */
  terminal: string;
}

export const EXAMPLES_DIR = resolve(__dirname, '../../examples');

/** Every example file, sorted by name. */
export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.kproc')).sort().map((f) => join(EXAMPLES_DIR, f));
}

/** Kernel-side examples are written as modules and run in the simulator only. */
export function isKernelSide(file: string): boolean {
  return kernelSideSource(readFileSync(file, 'utf8'));
}

export async function runSimulated(file: string, options: string[] = []): Promise<SimRun> {
  let stdout = '';
  let stderr = '';
  let terminal = '';
  const io: CliIo = {
    out: (t) => { stdout += t; terminal += t; },
    err: (t) => { stderr += t; terminal += t; },
    readFile: (p) => readFileSync(p, 'utf8'),
  };
  const code = await main(['run', ...options, file], io);
  return { stdout, stderr, code, terminal };
}
