// The handles behind the Variables pane: one per scope, struct and list shown at this stop (they
// die when the machine runs again), and the values shown at earlier stops, so that a value that
// differs is marked changed. Everything handed out is plain data (DebugVariable).

import { describeElement, describeStruct, isTask, type Expansion, type FieldView } from './fields';
import { dataId, type DebugVariable } from './protocol';

export type VarRef =
  | { kind: 'locals'; pid: number; frame: number }
  | { kind: 'current'; pid: number }
  | { kind: 'globals'; pid: number }
  | { kind: 'struct'; key: string; type: string; obj: object }
  | { kind: 'list'; key: string; type: string; items: readonly unknown[]; names?: readonly string[] };

/** How a scope is filled: the inspector supplies the machine-dependent parts. */
export interface ScopeSource {
  locals(pid: number, frame: number): FieldView[];
  current(pid: number): object | undefined;
  globals(pid: number): FieldView[];
}

/** Lists longer than this are paged (the client asks for them by start and count). */
export const PAGE = 100;

export class ValueStore {
  private readonly refs = new Map<number, VarRef>();
  private readonly byKey = new Map<string, number>();
  /** Handles keep growing across stops, so one from an earlier stop is reported, not misread. */
  private next = 1;
  /** Stop counter: a value is changed when it differs from what was shown at an earlier stop. */
  private stop = 0;
  private readonly seen = new Map<string, { value: string; stop: number; changed: boolean }>();

  /** Called when the machine runs again: old handles die, change tracking moves on. */
  reset(): void {
    this.refs.clear();
    this.byKey.clear();
    this.stop++;
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

  private changed(key: string, value: string): boolean {
    const prev = this.seen.get(key);
    if (prev && prev.stop === this.stop) return prev.changed;
    const changed = prev !== undefined && prev.value !== value;
    this.seen.set(key, { value, stop: this.stop, changed });
    return changed;
  }

  /** A field view as a plain variable under `parentKey` (the key change tracking remembers it by). */
  toVariable(parentKey: string, f: FieldView): DebugVariable {
    const v: DebugVariable = { name: f.name, value: f.value, ref: 0, changed: this.changed(`${parentKey}.${f.name}`, f.value) };
    if (f.type) v.type = f.type;
    if (f.child) {
      // A task is the same task wherever it is reached from.
      const childKey = f.child.kind === 'struct' && isTask(f.child.obj) ? `task/${f.child.obj.pid}` : `${parentKey}.${f.name}`;
      v.ref = this.expansionRef(f.child, childKey);
      if (f.child.kind === 'list' && f.child.items.length > PAGE) v.indexed = f.child.items.length;
    }
    if (f.watch) {
      v.evaluateName = `$lx_task_by_pid(${f.watch.pid})->${f.watch.field}`;
      v.dataId = dataId(f.watch.pid, f.watch.field);
    }
    return v;
  }

  expansionRef(exp: Expansion, key: string): number {
    if (exp.kind === 'struct' && isTask(exp.obj)) key = `task/${exp.obj.pid}`;
    return exp.kind === 'struct'
      ? this.add({ kind: 'struct', key, type: exp.type, obj: exp.obj }, key)
      : this.add({ kind: 'list', key, type: exp.type, items: exp.items, names: exp.names }, key);
  }

  /** The children of a handle; lists are paged with start and count (count 0: to the end). */
  variables(ref: VarRef, src: ScopeSource, start = 0, count = 0): DebugVariable[] {
    switch (ref.kind) {
      case 'locals':
        return src.locals(ref.pid, ref.frame).map((f) => this.toVariable(`frame/${ref.pid}/${ref.frame}`, f));
      case 'globals':
        return src.globals(ref.pid).map((f) => this.toVariable('globals', f));
      case 'current': {
        const t = src.current(ref.pid);
        return t && isTask(t) ? describeStruct('task_struct', t).map((f) => this.toVariable(`task/${t.pid}`, f)) : [];
      }
      case 'struct':
        return describeStruct(ref.type, ref.obj).map((f) => this.toVariable(ref.key, f));
      case 'list': {
        const end = count > 0 ? Math.min(ref.items.length, start + count) : ref.items.length;
        const out: DebugVariable[] = [];
        for (let i = Math.max(0, start); i < end; i++) {
          const name = ref.names?.[i] ?? `[${i}]`;
          out.push(this.toVariable(ref.key, describeElement(name, ref.items[i])));
        }
        return out;
      }
    }
  }
}
