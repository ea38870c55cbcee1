// What a stopped session shows: frames, scopes, variables, console evaluation, completions and
// data-breakpoint info. All handles it gives out die at the next resume.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { complete } from '../../sim-core/debug/complete';
import { eventExplanation, eventSummary } from '../../sim-core/debug/events';
import { describeStruct, describeValue, isObject, type FieldView } from '../../sim-core/debug/fields';
import type { task_struct } from '../../sim-core/kernel/task';
import type { EvalValue, FrameInfo, Machine, Stop } from '../../sim-core/machine-types';
import { dataId, type BreakpointBook } from './breakpoints';
import { KprocConsole, rewriteHelpers } from './console';
import type { KernelFiles } from './kernelFiles';
import { PAGE, VariableStore, type ScopeSource } from './variables';

export class Inspector implements ScopeSource {
  private readonly frameCache = new Map<number, FrameInfo[]>();
  private readonly frameIds = new Map<number, { pid: number; index: number }>();
  private readonly frameKeys = new Map<string, number>();
  /** Frame ids keep growing across stops, so an id from an earlier stop is recognised as stale. */
  private nextFrame = 1;
  readonly vars = new VariableStore();
  private readonly console: KprocConsole;
  private taskFields?: string[];

  constructor(private readonly m: Machine, readonly kfiles: KernelFiles, readonly book: BreakpointBook) {
    this.console = new KprocConsole(m);
  }

  invalidate(): void {
    this.frameCache.clear();
    this.frameIds.clear();
    this.frameKeys.clear();
    this.vars.reset();
  }

  onStop(_stop: Stop): void {
    this.invalidate();
  }

  markWatched(keys: ReadonlySet<string>): void {
    this.vars.watched.clear();
    for (const k of keys) this.vars.watched.add(k);
  }

  frames(pid: number): FrameInfo[] {
    let f = this.frameCache.get(pid);
    if (!f) {
      f = this.m.stack(pid);
      this.frameCache.set(pid, f);
    }
    return f;
  }

  frameId(pid: number, index: number): number {
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
    if (!f) throw new Error(`Frame ${id} does not exist (any more): frames are valid only until the scenario runs again.`);
    return f;
  }

  scopes(frameId: number): DebugProtocol.Scope[] {
    const { pid, index } = this.frameOf(frameId);
    const frame = this.frames(pid)[index];
    const locals = this.vars.add({ kind: 'locals', pid, frame: index }, `scope/locals/${pid}/${index}`);
    const current = this.vars.add({ kind: 'current', pid }, `scope/current/${pid}`);
    const globals = this.vars.add({ kind: 'globals', pid }, `scope/globals/${pid}`);
    return [
      { name: frame?.kind === 'kernel' ? `Locals (${frame.name})` : 'Locals', presentationHint: 'locals', variablesReference: locals, expensive: false },
      { name: 'current (task_struct)', variablesReference: current, expensive: false },
      { name: 'Kernel globals', variablesReference: globals, expensive: false },
    ];
  }

  variables(args: DebugProtocol.VariablesArguments): DebugProtocol.Variable[] {
    const ref = this.vars.get(args.variablesReference);
    if (!ref) throw new Error(`Variable reference ${args.variablesReference} does not exist (any more): values are valid only until the scenario runs again.`);
    if (ref.kind === 'list' && args.filter === 'named') return [];
    if (ref.kind !== 'list' && args.filter === 'indexed') return [];
    const count = ref.kind === 'list' && ref.items.length > PAGE && !args.count ? PAGE : args.count ?? 0;
    return this.vars.variables(ref, this, args.start ?? 0, count);
  }

  // ---- ScopeSource ------------------------------------------------------------------------------

  current(pid: number): task_struct | undefined {
    return this.m.task(pid);
  }

  private tryEval(expr: string, pid: number, frame: number): EvalValue | undefined {
    try {
      return this.m.evaluate(expr, pid, frame);
    } catch {
      return undefined;
    }
  }

  locals(pid: number, frame: number): FieldView[] {
    const f = this.frames(pid)[frame];
    if (!f) return [];
    return f.locals.map((l) => {
      // The frame lists values as text; pointers are asked for again so that they expand.
      const v = /^\(struct |^0x|^\{/.test(l.value) ? this.tryEval(l.name, pid, frame) : undefined;
      if (v && (v.kind === 'task' || v.kind === 'object') && isObject(v.kind === 'task' ? v.task : v.value)) {
        return describeValue('locals', l.name, v.kind === 'task' ? v.task : v.value);
      }
      return { name: l.name, value: l.value };
    });
  }

  globals(pid: number): FieldView[] {
    const g = this.m.globals();
    const out: FieldView[] = [];
    const cur = this.m.task(pid);
    if (cur) out.push(describeValue('globals', 'current', cur));
    const init = this.tryEval('init_task', pid, 0);
    if (init?.kind === 'task' && init.task) out.push(describeValue('globals', 'init_task', init.task));
    for (const k of ['nr_threads', 'total_forks', 'pid_max', 'last_pid', 'nr_cpus'] as const) out.push({ name: k, value: String(g[k]), type: 'int' });
    out.push({ name: 'clock', value: `${g.clock} ns`, type: 'u64' });
    out.push({
      name: 'runqueues', value: `[${g.runqueues.length}]`, type: 'struct rq[]',
      child: { kind: 'list', type: 'rq', items: g.runqueues.map((rq) => ({ ...rq, queued: rq.queued.map((p) => this.m.task(p) ?? p) })), names: g.runqueues.map((rq) => `cpu${rq.cpu}`) },
    });
    return out;
  }

  // ---- console ----------------------------------------------------------------------------------

  private context(frameId: number | undefined, lastPid: number | undefined): { pid: number | undefined; frame: number } {
    if (frameId !== undefined) {
      const f = this.frameOf(frameId);
      return { pid: f.pid, frame: f.index };
    }
    return { pid: lastPid, frame: 0 };
  }

  evaluate(args: DebugProtocol.EvaluateArguments, lastPid: number | undefined): DebugProtocol.EvaluateResponse['body'] {
    const ctx = this.context(args.frameId, lastPid);
    const r = this.console.evaluate(args.expression, ctx);
    const body: DebugProtocol.EvaluateResponse['body'] = { result: r.result, variablesReference: 0 };
    if (r.type) body.type = r.type;
    if (r.child) {
      body.variablesReference = this.vars.expansionRef(r.child, `eval/${args.expression}`);
      if (r.child.kind === 'list' && r.child.items.length > PAGE) body.indexedVariables = r.child.items.length;
    }
    return body;
  }

  completions(args: DebugProtocol.CompletionsArguments, lastPid: number | undefined): DebugProtocol.CompletionItem[] {
    const ctx = this.context(args.frameId, lastPid);
    const lines = args.text.split('\n');
    const lineIdx = Math.max(0, Math.min(lines.length - 1, (args.line ?? 1) - 1));
    const text = lines[lineIdx];
    const column = Math.max(0, Math.min(text.length, args.column - 1));
    const names = ['current', 'init_task', 'nr_threads', 'total_forks', 'pid_max', 'last_pid'];
    if (ctx.pid !== undefined) for (const l of this.frames(ctx.pid)[ctx.frame]?.locals ?? []) names.push(l.name);
    if (!this.taskFields) {
      const t = ctx.pid !== undefined ? this.m.task(ctx.pid) : undefined;
      this.taskFields = t ? describeStruct('task_struct', t).map((f) => f.name) : [];
    }
    const { items, start } = complete(text, column, { names, fields: this.taskFields, functions: ['find_task_by_vpid', ...this.m.kernelFunctions()] });
    return items.slice(0, 200).map((i) => ({ label: i.label, type: i.type, detail: i.detail, start: (i.start ?? start) + 1, length: column - (i.start ?? start) }));
  }

  dataBreakpointInfo(args: DebugProtocol.DataBreakpointInfoArguments, lastPid: number | undefined): DebugProtocol.DataBreakpointInfoResponse['body'] {
    const no = (why: string) => ({ dataId: null, description: why });
    let pid: number | undefined;
    let field = args.name;
    if (args.variablesReference !== undefined && args.variablesReference > 0) {
      const ref = this.vars.get(args.variablesReference);
      if (!ref) throw new Error(`Variable reference ${args.variablesReference} does not exist (any more).`);
      if (ref.kind === 'current') pid = ref.pid;
      else if (ref.kind === 'struct' && ref.type === 'task_struct') pid = (ref.obj as task_struct).pid;
      else return no('Data breakpoints watch fields of a task_struct.');
    } else {
      // An expression: `current->__state`, `$lx_task_by_pid(7)->real_parent`, `7.__state`.
      const m = /^(.*?)\s*(?:->|\.)\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(args.name);
      if (!m) return no('Name a task_struct field, for example current->__state.');
      field = m[2];
      if (/^\d+$/.test(m[1])) pid = Number(m[1]);
      else {
        const ctx = this.context(args.frameId, lastPid);
        const v = this.tryEval(rewriteHelpers(m[1]), ctx.pid ?? 0, ctx.frame);
        if (v?.kind === 'task' && v.task) pid = v.task.pid;
      }
      if (pid === undefined) return no(`${m[1]} is not a task.`);
    }
    const t = this.m.task(pid);
    if (!t) return no(`Task ${pid} no longer exists.`);
    if (!describeStruct('task_struct', t).some((f) => f.name === field && f.watch)) return no(`${field} is not a field a data breakpoint can watch.`);
    return { dataId: dataId(pid, field), description: `task ${pid} (${t.comm}): ${field}`, accessTypes: ['write'], canPersist: false };
  }
}

export function exceptionInfo(stop: Stop): DebugProtocol.ExceptionInfoResponse['body'] | undefined {
  if (stop.reason === 'event' && stop.event) {
    return {
      exceptionId: stop.event.kind, description: eventExplanation(stop.event), breakMode: 'always',
      details: { message: eventSummary(stop.event), typeName: 'kernel event' },
    };
  }
  if (stop.reason === 'panic' || stop.reason === 'deadlock' || stop.reason === 'budget') {
    const e = stop.event;
    return {
      exceptionId: stop.reason,
      description: e ? eventExplanation(e) : stop.reason === 'budget'
        ? `${stop.message ?? 'The step budget is used up'}: the scenario ran longer than maxSteps allows (an endless loop or a fork bomb?).`
        : stop.message ?? stop.reason,
      breakMode: 'always',
      details: { message: stop.message ?? stop.reason },
    };
  }
  return undefined;
}
