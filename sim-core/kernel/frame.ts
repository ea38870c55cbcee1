// Kernel functions as step tables: each function is defined once by its displayed C text, in
// which step-point lines carry a marker, and one handler per marker. A KFrame is one activation.

import type { task_struct } from './task';
import type { Kernel } from './kernel';

/** A handler runs one step of a kernel function for task `t` in frame `f`. */
export type StepHandler<L> = (k: Kernel, t: task_struct, f: KFrame<L>) => void;

export interface KFunction<L = object> {
  readonly name: string;
  /** Displayed source path, e.g. 'kernel/fork.c'. */
  readonly file: string;
  /** Step labels in source order. */
  readonly labels: readonly string[];
  /** labels -> index, for jumps. */
  readonly at: ReadonlyMap<string, number>;
  readonly handlers: ReadonlyArray<StepHandler<L>>;
  /** 0-based line of each step in the displayed file (filled when the file is assembled). */
  lines: number[];
  /** 0-based line of the definition (`name(` at the start of its signature). */
  defLine: number;
  /** The displayed text of the function, markers stripped. */
  readonly text: string;
  /** Names of the locals the debugger shows, in declaration order. */
  readonly shown: readonly string[];
  /** A system call entry: returning from it returns to the caller's code (user or kthread). */
  readonly entry: boolean;
  /** A small number of its own (in definition order), for per-function flag tables. */
  readonly id: number;
}

export interface KFrame<L = object> {
  fn: KFunction<L>;
  /** Index of the next step to run. */
  pc: number;
  locals: L;
  /** Value returned by the last function this frame called. */
  ret: number;
  /** Pointer returned by the last function this frame called (copy_process, find_new_reaper). */
  retp: object | null;
  /** The local that takes what the callee returns (see Kernel.call), or null. */
  into: string | null;
  /**
   * The step that made this frame's last call: the line a frame shows while a callee (or the
   * scenario code it called) runs above it. The frame's pc is where the callee returns, which
   * need not be the next step.
   */
  at: number;
}

/**
 * The commonest steps, shared so that the engine can run them without a call through the
 * handler table: `return 0;`, and a line that only shows what the kernel does (no model state).
 */
export const ret0 = (k: Kernel, t: task_struct): void => k.ret(t, 0);
/** `return err;` of what the function just called. */
export const retCallee = (k: Kernel, t: task_struct, f: { ret: number }): void => k.ret(t, f.ret);
export const nop = (): void => { /* display only */ };

/** Kernel functions scenario kernel code calls directly (they return into scenario code). */
export const ENTRY_POINTS = new Set([
  'kthread_create_on_node', 'kthread_stop', 'wake_up_process', 'schedule', 'schedule_timeout',
  'msleep', 'printk', 'kthread_should_stop', 'kthread_run', '_raw_spin_lock', '_raw_spin_unlock',
  'get_current', 'find_task_by_vpid', 'do_exit', '_raw_spin_lock_irqsave', '_raw_spin_unlock_irqrestore',
]);

let nextFunctionId = 0;

/** How many kernel functions are defined: an upper bound of their ids. */
export function kernelFunctionCount(): number {
  return nextFunctionId;
}

/** One or more markers at the end of a line: `@label`, or `@call @resume` for two steps on it. */
const MARKERS = /(?:\s*@[A-Za-z_][A-Za-z0-9_]*)+\s*$/;
const LABEL = /@([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Defines a kernel function from its C text. A line ending in `@label` is a step point; the
 * handler for `label` runs when execution reaches that line. A line may end in two markers,
 * `@call @resume`: two steps on one line, the first makes a call and the second, where the callee
 * returns, consumes its result (`return f(...)`, `if (f(...))`, `p = f(...)` tested at once), so
 * the line shown after a call is the line that uses what it returned. Unmatched markers or
 * handlers throw at load time, so the displayed source and the model cannot drift.
 */
export function kfunc<L extends object>(
  name: string,
  file: string,
  text: string,
  handlers: Record<string, StepHandler<L>>,
  shown: readonly string[] = [],
): KFunction<L> {
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const labels: string[] = [];
  const rel: number[] = [];
  const clean = lines.map((line, i) => {
    const m = MARKERS.exec(line);
    if (!m) return line;
    for (const l of m[0].matchAll(LABEL)) {
      labels.push(l[1]);
      rel.push(i);
    }
    return line.slice(0, m.index);
  });
  // A Map: an object with a function's thirty labels as keys would be a slow dictionary.
  const at = new Map<string, number>();
  labels.forEach((l, i) => {
    if (at.has(l)) throw new Error(`${name}: marker @${l} appears twice`);
    at.set(l, i);
  });
  for (const h of Object.keys(handlers)) {
    if (!at.has(h)) throw new Error(`${name}: handler '${h}' has no marker in the source`);
  }
  const hs = labels.map((l) => {
    const h = handlers[l];
    if (!h) throw new Error(`${name}: marker @${l} has no handler`);
    return h;
  });
  const fn: KFunction<L> & { rel: number[] } = {
    name, file, labels, at, handlers: hs, lines: rel.slice(), defLine: 0, text: clean.join('\n'), shown, rel,
    entry: name.startsWith('__x64_sys_') || ENTRY_POINTS.has(name), id: nextFunctionId++,
  };
  return fn;
}

/** Relative step lines of a function (before assembly into its file). */
export function relativeLines(fn: KFunction<object>): number[] {
  return (fn as unknown as { rel: number[] }).rel;
}
