// What a stopped machine shows, as plain values: frames with ids, scopes, variables paged by
// start and count, evaluation for watches, hovers and the console, completions and data
// breakpoint targets. Every handle dies when the machine runs again (invalidate()).

import { kobj_target } from '../kernel/kobj';
import type { KFrame } from '../kernel/frame';
import type { Kernel } from '../kernel/kernel';
import type { task_struct } from '../kernel/task';
import type { FrameInfo, Machine } from '../machine-types';
import { stackOf } from '../machine/inspect';
import { frames as vmFrames, readExpression, VmRegs, type Image, type Value, type VmHost } from '../vm';
import { CFloat, floatType } from './cfloat';
import { describeFile } from '../vm/stdio-debug';
import { complete } from './complete';
import { runConsole, expression, type ConsoleHost, type ConsoleResult } from './console';
import { checkedExpression, EvalError, value, type EvalScope, type Raw } from './evaluate';
import { describeStruct, describeValue, isObject, isTask, noteFileHolders, type FieldView } from './fields';
import { dataId, type CompletionItem, type DataTarget, type DebugScope, type DebugVariable, type EvalContext, type EvalResult } from './protocol';
import { PAGE, ValueStore, type ScopeSource } from './values';

/** What the inspector reads: the kernel, the scenario's image, and the machine's own answers. */
export interface InspectTarget {
  readonly k: Kernel;
  readonly image: Image;
  readonly file: string;
  readonly host: VmHost;
  readonly machine: Machine;
  /** The task the last stop concerned. */
  lastPid(): number;
}

/**
 * A frame id or variable reference from an earlier stop. Clients race with the run: a request
 * sent for the last stop's frames can arrive after the next step, so the adapter answers it as a
 * failure without bothering the user.
 */
export class StaleHandleError extends Error {
  override readonly name = 'StaleHandleError';
}

export class Inspector implements ScopeSource {
  private readonly frameCache = new Map<number, FrameInfo[]>();
  private readonly frameIds = new Map<number, { pid: number; index: number }>();
  private readonly frameKeys = new Map<string, number>();
  /** Frame ids keep growing across stops, so an id from an earlier stop is recognised as stale. */
  private nextFrame = 1;
  private readonly values = new ValueStore();
  private taskFields?: string[];

  constructor(private readonly t: InspectTarget) {}

  /** The machine ran (or a signal was queued): frames, handles and caches are stale. */
  invalidate(): void {
    this.frameCache.clear();
    this.frameIds.clear();
    this.frameKeys.clear();
    this.values.reset();
    this.holdersNoted = false;
  }

  private holdersNoted = false;

  private task(pid: number): task_struct | undefined {
    const k = this.t.k;
    return pid === 0 ? k.init_task : k.pid_hash.get(pid);
  }

  // ---- frames -----------------------------------------------------------------------------------

  stack(pid: number): FrameInfo[] {
    let f = this.frameCache.get(pid);
    if (!f) {
      const t = this.task(pid);
      f = t ? stackOf(this.t.k, t, this.t.image, this.t.file, (i) => this.frameId(pid, i)) : [];
      this.frameCache.set(pid, f);
    }
    return f;
  }

  private frameId(pid: number, index: number): number {
    const key = `${pid}:${index}`;
    let id = this.frameKeys.get(key);
    if (id === undefined) {
      id = this.nextFrame++;
      this.frameKeys.set(key, id);
      this.frameIds.set(id, { pid, index });
    }
    return id;
  }

  frameOf(id: number): { pid: number; index: number } {
    const f = this.frameIds.get(id);
    if (!f) throw new StaleHandleError(`Frame ${id} does not exist (any more): frames are valid only until the scenario runs again.`);
    return f;
  }

  /** The task and frame an evaluation runs in: the given frame, or the last stopped task's top. */
  private context(frameId: number | undefined): { pid: number; frame: number } {
    if (frameId !== undefined) {
      const f = this.frameOf(frameId);
      return { pid: f.pid, frame: f.index };
    }
    return { pid: this.t.lastPid(), frame: 0 };
  }

  // ---- scopes and variables ---------------------------------------------------------------------

  scopes(frameId: number): DebugScope[] {
    const { pid, index } = this.frameOf(frameId);
    const frame = this.stack(pid)[index];
    const locals = this.values.add({ kind: 'locals', pid, frame: index }, `scope/locals/${pid}/${index}`);
    const current = this.values.add({ kind: 'current', pid }, `scope/current/${pid}`);
    const globals = this.values.add({ kind: 'globals', pid }, `scope/globals/${pid}`);
    return [
      { name: frame?.kind === 'kernel' ? `Locals (${frame.name})` : 'Locals', ref: locals, hint: 'locals' },
      { name: 'current (task_struct)', ref: current },
      { name: 'Kernel globals', ref: globals },
    ];
  }

  variables(ref: number, start = 0, count = 0, filter?: 'indexed' | 'named'): DebugVariable[] {
    const r = this.values.get(ref);
    // Who holds each open file, for the fd[] entries (once per stop: the tables do not change between).
    if (r && r.kind === 'list' && r.type === 'file' && !this.holdersNoted) { noteFileHolders(this.t.k.allTasks()); this.holdersNoted = true; }
    if (!r) throw new StaleHandleError(`Variable reference ${ref} does not exist (any more): values are valid only until the scenario runs again.`);
    if (r.kind === 'list' && filter === 'named') return [];
    if (r.kind !== 'list' && filter === 'indexed') return [];
    const n = r.kind === 'list' && r.items.length > PAGE && !count ? PAGE : count;
    return this.values.variables(r, this, Math.max(0, start), Math.max(0, n));
  }

  current(pid: number): object | undefined {
    return this.task(pid);
  }

  /** The frame's locals: numbers and strings as the frame formats them, pointers that expand. */
  locals(pid: number, frame: number): FieldView[] {
    const t = this.task(pid);
    if (!t) return [];
    const f = this.stack(pid)[frame];
    if (!f) return [];
    const scope = this.scope(t, frame);
    return f.locals.map((l) => {
      const v = scope.local(l.name);
      // Structs and list heads expand; numbers, strings and the model's containers show as text.
      const expands = isObject(v) && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set);
      return expands ? describeValue('locals', l.name, v) : { name: l.name, value: l.value };
    });
  }

  globals(pid: number): FieldView[] {
    const g = this.t.machine.globals();
    const out: FieldView[] = [];
    const cur = this.task(pid);
    if (cur) out.push(describeValue('globals', 'current', cur));
    out.push(describeValue('globals', 'init_task', this.t.k.init_task));
    for (const k of ['nr_threads', 'total_forks', 'pid_max', 'last_pid', 'nr_cpus'] as const) out.push({ name: k, value: String(g[k]), type: 'int' });
    out.push({ name: 'clock', value: `${g.clock} ns`, type: 'u64' });
    out.push({
      name: 'runqueues', value: `[${g.runqueues.length}]`, type: 'struct rq[]',
      child: { kind: 'list', type: 'rq', items: g.runqueues.map((rq) => ({ ...rq, queued: rq.queued.map((p) => this.task(p) ?? p) })), names: g.runqueues.map((rq) => `cpu${rq.cpu}`) },
    });
    return out;
  }

  // ---- evaluation -------------------------------------------------------------------------------

  /** The scope of frame `frame` of task t's stack(): kernel locals, or the scenario's variables. */
  private scope(t: task_struct, frame: number): EvalScope {
    const k = this.t.k;
    const n = t.stack.length;
    const base = t.vm_base < 0 ? n : Math.min(n, t.vm_base);
    const above = n - base;
    let local: (name: string) => Raw | undefined = () => undefined;
    const kframe = (f: KFrame | undefined): void => {
      if (!f) return;
      const locals = f.locals as Record<string, unknown>;
      local = (name) => (Object.prototype.hasOwnProperty.call(locals, name) ? toRaw(locals[name]) : undefined);
    };
    if (frame < above) kframe(t.stack[n - 1 - frame]);
    else {
      const regs = t.thread.regs;
      const mem = k.memoryOf(t);
      const users = regs instanceof VmRegs && mem && t.vm_base >= 0 && !t.exit_state ? vmFrames(regs.image, regs, mem) : [];
      const ui = frame - above;
      if (ui < users.length) {
        const vars = users[ui].locals;
        local = (name) => { const v = vars.find((x) => x.name === name); return v ? this.userValue(v.value) : undefined; };
      } else kframe(t.stack[base - 1 - (ui - users.length)]);
    }
    return { k, current: t, local };
  }

  private userValue(v: Value | undefined): Raw {
    if (v === undefined) return null;
    if (typeof v === 'object') return kobj_target(this.t.k, v);
    return v;
  }

  /**
   * Evaluates a C expression in task `pid`'s frame `frame`; throws an EvalError with a readable
   * message. The expression is parsed and checked once; in the scenario's frames its typed
   * variables (pointers, arrays, structs in user memory) are read first, through the scenario's
   * compiler; kernel names and objects come from the kernel.
   */
  evaluateIn(expr: string, pid: number, frame = 0): Raw {
    const t = this.task(pid);
    if (!t) throw new EvalError(`no task has pid ${pid}`);
    const e = checkedExpression(expr, true);
    const n = t.stack.length;
    const above = t.vm_base < 0 ? n : n - Math.min(n, t.vm_base);
    const regs = t.thread.regs;
    const mem = this.t.k.memoryOf(t);
    let vmError: string | undefined;
    if (frame >= above && regs instanceof VmRegs && mem && t.vm_base >= 0 && !t.exit_state) {
      const r = readExpression(regs.image, regs, mem, this.t.host, e, frame - above);
      // A FILE * shows as the stream: its members, flags and the text waiting in its buffer.
      const file = r.type === 'struct _IO_FILE *' && typeof r.value === 'number' ? describeFile(mem, r.value) : null;
      if (file) return file;
      if (r.error === undefined && r.value !== undefined) {
        const ft = floatType(r.type);
        return ft && typeof r.value === 'number' ? new CFloat(r.value, ft) : this.userValue(r.value);
      }
      vmError = r.error;
    }
    try {
      return value(e, this.scope(t, frame));
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new EvalError(vmError && /^No symbol/.test(msg) ? vmError : msg);
    }
  }

  /** The value of `expr` in task pid's top frame as the console prints it (a logpoint's `{expr}`). */
  valueText(expr: string, pid: number): string {
    const host: ConsoleHost = {
      machine: this.t.machine, pid,
      evaluate: (e) => this.evaluateIn(e, pid, 0),
      taskAddr: (p) => this.task(p)?.addr,
    };
    return expression(expr, host, false).result;
  }

  /** Never throws: a bad expression gives a result with `error` set. */
  evaluate(expr: string, frameId?: number, context: EvalContext = 'watch'): EvalResult {
    let r: ConsoleResult;
    try {
      const ctx = this.context(frameId);
      const host: ConsoleHost = {
        machine: this.t.machine, pid: ctx.pid,
        evaluate: (e) => this.evaluateIn(e, ctx.pid, ctx.frame),
        taskAddr: (pid) => this.task(pid)?.addr,
      };
      r = context === 'repl' ? runConsole(expr, host) : expression(expr, host, false);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof StaleHandleError) return { name: expr, value: message, ref: 0, changed: false, error: message, stale: true };
      return { name: expr, value: message, ref: 0, changed: false, error: message };
    }
    const v = this.values.toVariable('eval', { name: expr, value: r.result, type: r.type });
    if (r.child) {
      v.ref = this.values.expansionRef(r.child, `eval/${expr}`);
      if (r.child.kind === 'list' && r.child.items.length > PAGE) v.indexed = r.child.items.length;
    }
    return v;
  }

  // ---- completions and data breakpoints ---------------------------------------------------------

  completions(text: string, column: number, frameId?: number): CompletionItem[] {
    const ctx = this.context(frameId);
    const names = ['current', 'init_task', 'nr_threads', 'total_forks', 'pid_max', 'last_pid'];
    for (const l of this.stack(ctx.pid)[ctx.frame]?.locals ?? []) names.push(l.name);
    if (!this.taskFields) {
      const t = this.task(ctx.pid);
      this.taskFields = t ? describeStruct('task_struct', t).map((f) => f.name) : [];
    }
    const col = Math.max(0, Math.min(text.length, column));
    const { items, start } = complete(text, col, { names, fields: this.taskFields, functions: ['find_task_by_vpid', ...this.t.machine.kernelFunctions()] });
    return items.slice(0, 200).map((i) => ({ label: i.label, type: i.type, detail: i.detail, start: i.start ?? start, length: col - (i.start ?? start) }));
  }

  /**
   * What a data breakpoint on `name` would watch: a field of a task_struct shown under handle
   * `ref`, or an expression `task->field` (`current->__state`, `$lx_task_by_pid(7)->exit_state`).
   */
  dataTarget(name: string, ref?: number, frameId?: number): DataTarget {
    const no = (why: string): DataTarget => ({ dataId: null, description: why });
    let pid: number | undefined;
    let field = name;
    if (ref !== undefined && ref > 0) {
      const r = this.values.get(ref);
      if (!r) throw new StaleHandleError(`Variable reference ${ref} does not exist (any more).`);
      if (r.kind === 'current') pid = r.pid;
      else if (r.kind === 'struct' && isTask(r.obj)) pid = r.obj.pid;
      else return no('Data breakpoints watch fields of a task_struct.');
    } else {
      const m = /^(.*?)\s*(?:->|\.)\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(name);
      if (!m) return no('Name a task_struct field, for example current->__state.');
      field = m[2];
      if (/^\d+$/.test(m[1])) pid = Number(m[1]);
      else {
        const ctx = this.context(frameId);
        try {
          const v = this.evaluateIn(m[1], ctx.pid, ctx.frame);
          if (isTask(v)) pid = v.pid;
        } catch {
          // Not a task: said below.
        }
      }
      if (pid === undefined) return no(`${m[1]} is not a task.`);
    }
    const t = this.task(pid);
    if (!t) return no(`Task ${pid} no longer exists.`);
    if (!describeStruct('task_struct', t).some((f) => f.name === field && f.watch)) return no(`${field} is not a field a data breakpoint can watch.`);
    return { dataId: dataId(pid, field), description: `task ${pid} (${t.comm}): ${field}` };
  }
}

function toRaw(v: unknown): Raw {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'object') return v;
  return null;
}
