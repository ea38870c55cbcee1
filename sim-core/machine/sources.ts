// The displayed kernel sources, assembled from the step tables' own texts: each file is the
// functions that live in it, so the lines the debugger shows are the lines the model steps.
import type { KFunction } from '../kernel/frame';
import * as copy from '../kernel/copy';
import * as exec from '../kernel/exec';
import * as execThread from '../kernel/exec-thread';
import * as exit from '../kernel/exit';
import * as fair from '../kernel/fair';
import * as fork from '../kernel/fork';
import * as itimer from '../kernel/itimer';
import * as futex from '../kernel/futex';
import * as kcode from '../kernel/kcode';
import * as kthread from '../kernel/kthread';
import * as module from '../kernel/module';
import * as notify from '../kernel/notify';
import * as pidns from '../kernel/pidns';
import * as pidnsExit from '../kernel/pidns-exit';
import * as release from '../kernel/release';
import * as sched from '../kernel/sched';
import * as schedTick from '../kernel/sched-tick';
import * as schedSwitch from '../kernel/sched-switch';
import * as schedSyscalls from '../kernel/sched-syscalls';
import * as affinity from '../kernel/affinity';
import * as sigaction from '../kernel/sigaction';
import * as signal from '../kernel/signal';
import * as sigwait from '../kernel/sigwait';
import * as sys from '../kernel/sys';
import * as wait from '../kernel/wait';
import * as waitTask from '../kernel/wait-task';
import * as waitid from '../kernel/waitid';
import * as pipe from '../kernel/pipe';
import * as readWrite from '../kernel/read_write';
import * as tty from '../kernel/tty';
import * as msgOps from '../kernel/msg-ops';
import * as mqueueOps from '../kernel/mqueue-ops';
import { relativeLines } from '../kernel/frame';
import type { KernelSource } from '../machine-types';

type AnyFn = KFunction<object>;

/** A step point of a displayed file: 0-based line, the function and its step index. */
export interface StepPoint {
  line: number;
  fn: AnyFn;
  index: number;
}

export interface KernelFile {
  path: string;
  text: string;
  functions: AnyFn[];
  /** Step points in line order. */
  points: StepPoint[];
  /** [first line, last line] of each function's text. */
  spans: Map<AnyFn, [number, number]>;
}

export interface KernelCatalog {
  files: KernelFile[];
  byPath: Map<string, KernelFile>;
  byName: Map<string, AnyFn>;
}

const MODULES: ReadonlyArray<Record<string, unknown>> = [
  fork, copy, pidns, pidnsExit, exec, execThread, exit, itimer, notify, release, wait, waitTask, waitid, signal, sigwait, sigaction, sched, schedSyscalls, affinity, fair, schedTick, schedSwitch, kthread, module, futex, kcode, sys,
  readWrite, pipe, tty, msgOps, mqueueOps,
];

function isKFunction(v: unknown): v is AnyFn {
  return typeof v === 'object' && v !== null && 'handlers' in v && 'labels' in v && 'text' in v && 'file' in v;
}

/** Every modelled kernel function, each once. */
export function allKernelFunctions(): AnyFn[] {
  const seen = new Set<AnyFn>();
  for (const mod of MODULES) for (const v of Object.values(mod)) if (isKFunction(v)) seen.add(v);
  return [...seen];
}

function definitionLine(fn: AnyFn): number {
  const sys = fn.name.startsWith('__x64_sys_') ? fn.name.slice('__x64_sys_'.length) : null;
  const lines = fn.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (sys ? l.startsWith(`SYSCALL_DEFINE`) && new RegExp(`^SYSCALL_DEFINE\\d\\(${sys}\\b`).test(l) : new RegExp(`(^|[\\s*])${fn.name}\\(`).test(l) && !/^\s/.test(l)) return i;
  }
  return 0;
}

let catalog: KernelCatalog | null = null;

/**
 * Assembles the files once per process (the texts never change) and fills each function's
 * `lines` and `defLine` with positions in its file.
 */
export function kernelCatalog(): KernelCatalog {
  if (catalog) return catalog;
  const fns = allKernelFunctions();
  const byFile = new Map<string, AnyFn[]>();
  for (const f of fns) {
    const l = byFile.get(f.file) ?? [];
    l.push(f);
    byFile.set(f.file, l);
  }
  const files: KernelFile[] = [];
  for (const path of [...byFile.keys()].sort()) {
    const list = (byFile.get(path) as AnyFn[]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const out: string[] = [
      `// SPDX-License-Identifier: GPL-2.0-only`,
      `/*`,
      ` * ${path}: the functions Linux Process Lab models from this file, as they run in`,
      ` * the simulator. Breakpoints can be set on any line that has code.`,
      ` */`,
      '',
    ];
    const points: StepPoint[] = [];
    const spans = new Map<AnyFn, [number, number]>();
    for (const f of list) {
      const base = out.length;
      const text = f.text.split('\n');
      out.push(...text, '');
      f.lines = relativeLines(f).map((r) => base + r);
      f.defLine = base + definitionLine(f);
      spans.set(f, [base, base + text.length - 1]);
      f.lines.forEach((line, index) => points.push({ line, fn: f, index }));
    }
    points.sort((a, b) => a.line - b.line);
    files.push({ path, text: out.join('\n'), functions: list, points, spans });
  }
  const byName = new Map<string, AnyFn>();
  for (const f of fns) byName.set(f.name, f);
  catalog = { files, byPath: new Map(files.map((f) => [f.path, f])), byName };
  return catalog;
}

export function kernelSourceList(): KernelSource[] {
  return kernelCatalog().files.map((f) => ({ path: f.path, text: f.text }));
}

/**
 * Where a line breakpoint in a kernel file lands: the first step point at or after `line` in
 * the same function (or, outside any function, the next function's first step point).
 */
export function resolveKernelLine(path: string, line: number): StepPoint | string {
  const file = kernelCatalog().byPath.get(path);
  if (!file) return `'${path}' is not a modelled kernel source`;
  let inside: AnyFn | null = null;
  for (const [fn, [a, b]] of file.spans) if (line >= a && line <= b) inside = fn;
  const p = file.points.find((pt) => pt.line >= line && (inside === null || pt.fn === inside));
  if (!p) return inside ? `no step point at or after this line in ${inside.name}()` : 'no code at or after this line';
  return p;
}
