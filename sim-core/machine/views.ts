// What the machine shows besides the tasks and their frames: the displayed kernel and userland
// sources with their functions, the kernel log, what the run wrote, the scenario's exit status,
// and a logpoint's message.

import type { Kernel } from '../kernel/kernel';
import type { DmesgLine, ExitStatus, KernelFunctionLocation, KernelSource, StopReason } from '../machine-types';
import { userlandSources } from '../vm';
import type { Inspector } from '../debug/inspector';
import type { Pending } from './control';
import { userlandPath } from './inspect';
import { kernelCatalog, kernelSourceList } from './sources';

/** The kernel's displayed sources and, under userland/, those of the built-in programs. */
export function displayedSources(): KernelSource[] {
  return [...kernelSourceList(), ...userlandSources().map((s) => ({ path: userlandPath(s.file), text: s.text }))];
}

export function kernelFunctionNames(): string[] {
  return [...kernelCatalog().byName.keys()].sort();
}

/** Where each kernel function is defined in the displayed sources (0-based line). */
export function kernelFunctionLocations(): KernelFunctionLocation[] {
  const c = kernelCatalog();
  return [...c.byName.values()].map((f) => ({ name: f.name, file: f.file, line: f.defLine })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function dmesgLines(k: Kernel): DmesgLine[] {
  return k.dmesg.map((d) => ({ time: d.time, level: d.level, text: d.text }));
}

/** Everything written to standard output, in order. */
export function stdoutText(k: Kernel): string {
  let s = '';
  for (const o of k.out) if (o.fd === 1) s += o.text;
  return s;
}

/** The scenario's end as a shell would report it; `ended` is the machine's final stop (null: none yet). */
export function exitStatusOf(k: Kernel, ended: Pending | null): ExitStatus {
  const e = ended;
  if (!e) return { finished: false };
  const s: ExitStatus = { finished: true, reason: e.reason as StopReason, message: e.message };
  if (e.reason === 'exited') s.exitCode = shellStatus(k.main_status ?? 0);
  return s;
}

/** A wait status as the shell's $? shows it: the exit status, or 128 + the fatal signal. */
function shellStatus(status: number): number {
  const sig = status & 0x7f;
  return sig === 0 ? (status >> 8) & 0xff : 128 + sig;
}

/** A logpoint's message: `{expr}` becomes the expression's value; `{{` and `}}` stand for braces. */
export function logpointMessage(inspector: Inspector, template: string, pid: number): string {
  return template.replace(/\{\{|\}\}|\{([^{}]+)\}/g, (whole, expr: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    try {
      return inspector.valueText(String(expr).trim(), pid);
    } catch (e) {
      return `<${e instanceof Error ? e.message : String(e)}>`;
    }
  });
}
