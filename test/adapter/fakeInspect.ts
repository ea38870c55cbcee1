// The scripted machine's inspection (fakeMachine.ts): scopes and variable references over its
// plain task records, a tiny evaluator with the lx commands, completions and data targets.

import { complete } from '../../sim-core/debug/complete';
import { decodeExitState, decodeFlags, decodeState, decodeWaitStatus, hex } from '../../sim-core/debug/decode';
import { bt, infoThreads, lxDmesg, lxPs, lxPstree } from '../../sim-core/debug/lx';
import { dataId, type CompletionItem, type DataTarget, type DebugScope, type DebugVariable, type EvalContext, type EvalResult } from '../../sim-core/debug/protocol';
import type { Machine } from '../../sim-core/machine-types';

/** A task as plain data: what the scripted timeline changes and the Variables pane shows. */
export interface FakeTask {
  pid: number;
  tgid: number;
  ppid: number;
  comm: string;
  addr: number;
  __state: number;
  exit_state: number;
  exit_code: number;
  exit_signal: number;
  flags: number;
  zombie_since: number;
  pending: number;
}

/** The fields a data breakpoint can watch, in the order the pane lists them. */
const TASK_FIELDS = ['__state', 'exit_state', 'pid', 'tgid', 'comm', 'flags', 'exit_code', 'exit_signal'] as const;

/** What the inspection reads of the scripted machine. */
export interface FakeInspectHost extends Machine {
  readonly tasksById: Map<number, FakeTask>;
  /** The task and frame index of a frame handle (an error when it is gone). */
  frameOf(frameId: number): { pid: number; index: number };
  /** The task an expression without a frame is about: the last one stopped or stepped. */
  defaultPid(): number;
}

type Ref = { kind: 'locals'; pid: number; frame: number } | { kind: 'task'; pid: number } | { kind: 'children'; pid: number } | { kind: 'globals'; pid: number };

/** Variable references and change marks: valid until the machine runs (invalidate). */
export class FakeInspector {
  private refs = new Map<number, Ref>();
  private refKeys = new Map<string, number>();
  private nextRef = 1;
  private epoch = 0;
  private readonly seen = new Map<string, { value: string; epoch: number; changed: boolean }>();

  constructor(private readonly m: FakeInspectHost) {}

  /** Everything handed out dies when the machine runs. */
  invalidate(): void {
    this.refs.clear();
    this.refKeys.clear();
    this.epoch++;
  }

  private ref(r: Ref, key: string): number {
    let id = this.refKeys.get(key);
    if (id === undefined) {
      id = this.nextRef++;
      this.refKeys.set(key, id);
      this.refs.set(id, r);
    }
    return id;
  }

  private changed(key: string, value: string): boolean {
    const prev = this.seen.get(key);
    if (prev && prev.epoch === this.epoch) return prev.changed;
    const changed = prev !== undefined && prev.value !== value;
    this.seen.set(key, { value, epoch: this.epoch, changed });
    return changed;
  }

  taskText(t: FakeTask): string {
    return `(struct task_struct *) ${hex(t.addr)} (pid ${t.pid}, "${t.comm}")`;
  }

  private taskVar(name: string, pid: number, key: string): DebugVariable {
    const t = this.m.tasksById.get(pid);
    const value = t ? this.taskText(t) : '(struct task_struct *) 0x0';
    return { name, value, type: 'struct task_struct *', ref: t ? this.ref({ kind: 'task', pid }, `task/${pid}`) : 0, changed: this.changed(key, value) };
  }

  scopes(frameId: number): DebugScope[] {
    const { pid, index } = this.m.frameOf(frameId);
    return [
      { name: 'Locals', ref: this.ref({ kind: 'locals', pid, frame: index }, `locals/${pid}/${index}`), hint: 'locals' },
      { name: 'current (task_struct)', ref: this.ref({ kind: 'task', pid }, `task/${pid}`) },
      { name: 'Kernel globals', ref: this.ref({ kind: 'globals', pid }, `globals/${pid}`) },
    ];
  }

  variables(ref: number, start = 0, count = 0, filter?: 'indexed' | 'named'): DebugVariable[] {
    const r = this.refs.get(ref);
    if (!r) throw new Error(`Variable reference ${ref} does not exist (any more).`);
    // Only lists have indexed children; only the others have named ones.
    if (filter === (r.kind === 'children' ? 'named' : 'indexed')) return [];
    switch (r.kind) {
      case 'locals': return this.m.stack(r.pid)[r.frame]?.locals.map((l) => (l.name === 'p' ? this.taskVar('p', 4, 'locals.p') : { name: l.name, value: l.value, ref: 0, changed: false })) ?? [];
      case 'globals': return [
        this.taskVar('current', r.pid, 'globals.current'), this.taskVar('init_task', 1, 'globals.init_task'),
        { name: 'nr_threads', value: String(this.m.tasksById.size), type: 'int', ref: 0, changed: this.changed('globals.nr_threads', String(this.m.tasksById.size)) },
      ];
      case 'task': return this.taskFields(r.pid);
      case 'children': {
        const kids = [...this.m.tasksById.values()].filter((t) => t.ppid === r.pid);
        const end = count > 0 ? Math.min(kids.length, start + count) : Math.min(kids.length, 100);
        const out: DebugVariable[] = [];
        for (let i = start; i < end; i++) out.push(this.taskVar(`[${i}]`, kids[i].pid, `children/${r.pid}/${i}`));
        return out;
      }
    }
  }

  private taskFields(pid: number): DebugVariable[] {
    const t = this.m.tasksById.get(pid);
    if (!t) return [];
    const text: Record<(typeof TASK_FIELDS)[number], string> = {
      __state: decodeState(t.__state), exit_state: decodeExitState(t.exit_state), pid: String(t.pid), tgid: String(t.tgid),
      comm: JSON.stringify(t.comm), flags: decodeFlags(t.flags), exit_code: decodeWaitStatus(t.exit_code), exit_signal: String(t.exit_signal),
    };
    const out: DebugVariable[] = TASK_FIELDS.map((f) => ({
      name: f, value: text[f], type: f === 'comm' ? 'char *' : 'int', ref: 0, changed: this.changed(`task/${pid}.${f}`, text[f]),
      evaluateName: `$lx_task_by_pid(${pid})->${f}`, dataId: dataId(pid, f),
    }));
    out.push(this.taskVar('real_parent', t.ppid, `task/${pid}.real_parent`));
    const kids = [...this.m.tasksById.values()].filter((k) => k.ppid === pid).length;
    const v: DebugVariable = { name: 'children', value: `(struct list_head) ${kids} ${kids === 1 ? 'entry' : 'entries'}`, type: 'struct list_head', ref: this.ref({ kind: 'children', pid }, `children/${pid}`), changed: false };
    if (kids > 100) v.indexed = kids;
    out.push(v);
    return out;
  }

  /** A tiny evaluator for the script: numbers, ==, !=, a few names, and task->field chains. */
  valueIn(expr: string, pid: number): number | string | FakeTask {
    const e = expr.trim().replace(/^\$lx_current\(\)/, 'current').replace(/^\$lx_task_by_pid\(/, 'find_task_by_vpid(');
    let m: RegExpExecArray | null;
    if ((m = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(e))) return (this.valueIn(m[1], pid) === this.valueIn(m[3], pid)) === (m[2] === '==') ? 1 : 0;
    if (/^-?\d+$/.test(e)) return Number(e);
    if (e === 'pid') return pid;
    if (e === 'nr_threads') return this.m.tasksById.size;
    if (e === 'c') return pid === 4 ? 0 : 4;
    let base: number | string | FakeTask | undefined;
    let rest = e;
    if (e.startsWith('current')) { base = this.m.tasksById.get(pid); rest = e.slice(7); }
    else if ((m = /^find_task_by_vpid\((\d+)\)/.exec(e))) { base = this.m.tasksById.get(Number(m[1])); rest = e.slice(m[0].length); }
    else throw new Error(`No symbol "${e}" in current context.`);
    for (const part of rest.split(/->|\./).filter(Boolean)) {
      if (base === undefined || typeof base !== 'object') throw new Error(`cannot read ${part}`);
      if (part === 'real_parent') { base = this.m.tasksById.get(base.ppid); continue; }
      if (!(part in base)) throw new Error(`There is no member named ${part}.`);
      base = (base as unknown as Record<string, number | string>)[part];
    }
    if (base === undefined) throw new Error('Cannot access memory at address 0x0');
    return base;
  }

  evaluate(expr: string, frameId?: number, context: EvalContext = 'watch'): EvalResult {
    try {
      const pid = frameId !== undefined ? this.m.frameOf(frameId).pid : this.m.defaultPid();
      let e = expr.trim();
      if (context === 'repl') {
        const addr = (p: number) => this.m.tasksById.get(p)?.addr;
        const commands: Record<string, () => string> = {
          'lx-ps': () => lxPs(this.m, addr), 'lx-pstree': () => lxPstree(this.m), 'lx-dmesg': () => lxDmesg(this.m),
          bt: () => bt(this.m, pid), 'info threads': () => infoThreads(this.m, pid),
        };
        const cmd = commands[e];
        if (cmd) return { name: expr, value: cmd(), ref: 0, changed: false };
        e = e.replace(/^p\s+/, '');
      }
      const deref = e.startsWith('*');
      const v = this.valueIn(deref ? e.slice(1) : e, pid);
      if (typeof v === 'object') {
        const value = deref ? `{pid = ${v.pid}, tgid = ${v.tgid}, comm = "${v.comm}", ...}` : this.taskText(v);
        return { name: expr, value, type: 'struct task_struct *', ref: this.ref({ kind: 'task', pid: v.pid }, `task/${v.pid}`), changed: false };
      }
      const value = typeof v === 'string' ? JSON.stringify(v) : String(v);
      return { name: expr, value, type: typeof v === 'string' ? 'char *' : 'int', ref: 0, changed: this.changed(`eval.${expr}`, value) };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { name: expr, value: message, ref: 0, changed: false, error: message };
    }
  }

  completions(text: string, column: number): CompletionItem[] {
    const { items, start } = complete(text, column, { names: ['current', 'init_task', 'nr_threads', 'c'], fields: [...TASK_FIELDS, 'real_parent', 'children'], functions: this.m.kernelFunctions() });
    return items.map((i) => ({ label: i.label, type: i.type, detail: i.detail, start: i.start ?? start, length: column - (i.start ?? start) }));
  }

  dataTarget(name: string, ref?: number): DataTarget {
    const r = ref !== undefined && ref > 0 ? this.refs.get(ref) : undefined;
    if (r?.kind !== 'task') return { dataId: null, description: 'Data breakpoints watch fields of a task_struct.' };
    if (!(TASK_FIELDS as readonly string[]).includes(name)) return { dataId: null, description: `${name} is not a field a data breakpoint can watch.` };
    return { dataId: dataId(r.pid, name), description: `task ${r.pid}: ${name}` };
  }
}
