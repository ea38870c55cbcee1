// The Variables pane: handles for everything expandable (scopes, structs, lists), valid until the
// next resume, and the memory of values shown at earlier stops so changed ones can be marked.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { describeElement, describeStruct, describeValue, isTask, type Expansion, type FieldView } from '../../sim-core/debug/fields';
import type { task_struct } from '../../sim-core/kernel/task';

export type VarRef =
  | { kind: 'locals'; pid: number; frame: number }
  | { kind: 'current'; pid: number }
  | { kind: 'globals'; pid: number }
  | { kind: 'struct'; key: string; type: string; obj: object }
  | { kind: 'list'; key: string; type: string; items: readonly unknown[]; names?: readonly string[] };

/** How a scope is filled: the session supplies the machine-dependent parts. */
export interface ScopeSource {
  locals(pid: number, frame: number): FieldView[];
  current(pid: number): task_struct | undefined;
  globals(pid: number): FieldView[];
}

/** Lists longer than this are paged (indexedVariables), so huge task lists stay responsive. */
export const PAGE = 100;

export class VariableStore {
  private refs = new Map<number, VarRef>();
  private byKey = new Map<string, number>();
  private next = 1;
  /** Stop counter: a value is "changed" when it differs from what was shown at an earlier stop. */
  private stop = 0;
  private readonly seen = new Map<string, { value: string; stop: number; changed: boolean }>();
  /** Task fields with a data breakpoint, `pid/field`. */
  readonly watched = new Set<string>();

  /** Called at every stop: old handles die, change tracking moves on. */
  reset(): void {
    this.refs.clear();
    this.byKey.clear();
    this.stop++;
    // Handles are never reused across stops, so a stale one is reported rather than misread.
  }

  get(ref: number): VarRef | undefined {
    return this.refs.get(ref);
  }

  /** One handle per key and stop, so expanding the same struct twice gives the same reference. */
  add(ref: VarRef, key = ''): number {
    if (key) {
      const old = this.byKey.get(key);
      if (old !== undefined) return old;
    }
    const id = this.next++;
    this.refs.set(id, ref);
    if (key) this.byKey.set(key, id);
    return id;
  }

  /** A stable identity for the object: a task is the same task wherever it is reached from. */
  keyFor(parentKey: string, name: string, exp: Expansion): string {
    if (exp.kind === 'struct' && isTask(exp.obj)) return `task/${exp.obj.pid}`;
    return `${parentKey}.${name}`;
  }

  private changed(key: string, value: string): boolean {
    const prev = this.seen.get(key);
    if (prev && prev.stop === this.stop) return prev.changed;
    const changed = prev !== undefined && prev.value !== value;
    this.seen.set(key, { value, stop: this.stop, changed });
    return changed;
  }

  toVariable(parentKey: string, f: FieldView): DebugProtocol.Variable {
    const key = `${parentKey}.${f.name}`;
    const v: DebugProtocol.Variable = { name: f.name, value: f.value, variablesReference: 0 };
    if (f.type) v.type = f.type;
    if (f.child) {
      const childKey = this.keyFor(parentKey, f.name, f.child);
      v.variablesReference = this.expansionRef(f.child, childKey);
      if (f.child.kind === 'list' && f.child.items.length > PAGE) v.indexedVariables = f.child.items.length;
    }
    const attributes: string[] = ['readOnly'];
    if (this.changed(key, f.value)) attributes.push('changed');
    if (f.watch) {
      v.evaluateName = `$lx_task_by_pid(${f.watch.pid})->${f.watch.field}`;
      if (this.watched.has(`${f.watch.pid}/${f.watch.field}`)) attributes.push('hasDataBreakpoint');
    }
    v.presentationHint = { kind: f.child ? 'data' : 'property', attributes };
    return v;
  }

  expansionRef(exp: Expansion, key: string): number {
    if (exp.kind === 'struct' && isTask(exp.obj)) key = `task/${exp.obj.pid}`;
    return exp.kind === 'struct'
      ? this.add({ kind: 'struct', key, type: exp.type, obj: exp.obj }, key)
      : this.add({ kind: 'list', key, type: exp.type, items: exp.items, names: exp.names }, key);
  }

  /** The children of a handle, paged with start/count for lists. */
  variables(ref: VarRef, src: ScopeSource, start = 0, count = 0): DebugProtocol.Variable[] {
    switch (ref.kind) {
      case 'locals':
        return src.locals(ref.pid, ref.frame).map((f) => this.toVariable(`frame/${ref.pid}/${ref.frame}`, f));
      case 'globals':
        return src.globals(ref.pid).map((f) => this.toVariable('globals', f));
      case 'current': {
        const t = src.current(ref.pid);
        return t ? describeStruct('task_struct', t).map((f) => this.toVariable(`task/${t.pid}`, f)) : [];
      }
      case 'struct':
        return describeStruct(ref.type, ref.obj).map((f) => this.toVariable(ref.key, f));
      case 'list': {
        const end = count > 0 ? Math.min(ref.items.length, start + count) : ref.items.length;
        const out: DebugProtocol.Variable[] = [];
        for (let i = Math.max(0, start); i < end; i++) {
          const name = ref.names?.[i] ?? `[${i}]`;
          out.push(this.toVariable(ref.key, describeElement(name, ref.items[i])));
        }
        return out;
      }
    }
  }

  /** A lone value (an evaluate result) as a variable-like answer. */
  single(name: string, v: unknown): DebugProtocol.Variable {
    return this.toVariable('eval', describeValue('eval', name, v));
  }
}
