// Breakpoint tables of a machine: scenario lines, kernel step points, function entries, event
// filters and data watches. Each check at run time is one map lookup on what the step reached.
import { kernelFunctionCount, type KFunction } from '../kernel/frame';
import type { task_struct } from '../kernel/task';
import type { Image } from '../vm';
import type {
  BreakpointResult, DataWatch, EventFilterId, FunctionBreakpointRequest, KEventKind, LineBreakpointRequest,
} from '../machine-types';
import { kernelCatalog, resolveKernelLine } from './sources';

export interface Bp {
  id: number;
  condition?: string;
  hitCondition?: string;
  /** A logpoint's message: when it fires, the machine prints it (a 'log' event) and runs on. */
  logMessage?: string;
  hits: number;
}

export interface Watch {
  id: number;
  pid: number;
  field: string;
  last: unknown;
}

/** The task_struct fields a data breakpoint may watch (scalars and pointers). */
export const WATCHABLE: ReadonlySet<string> = new Set([
  '__state', 'exit_state', 'exit_code', 'exit_signal', 'pdeath_signal', 'flags', 'pid', 'tgid', 'comm', 'prio',
  'static_prio', 'normal_prio', 'cpu', 'on_cpu', 'real_parent', 'parent', 'group_leader', 'mm', 'active_mm', 'files',
  'fs', 'signal', 'sighand', 'vfork_done', 'nvcsw', 'nivcsw', 'utime', 'stime',
]);

const FILTER_KINDS: Record<EventFilterId, KEventKind> = {
  zombie: 'zombie', reparent: 'reparent', 'fork-failed': 'fork-failed', echild: 'echild', signal: 'signal_deliver',
  'signal-sent': 'signal', stopped: 'stopped', panic: 'panic',
};

/** Whether a hit count satisfies a DAP hit condition: `5` or `>= 5`, `== 3`, `> 2`, `% 2`. */
export function hitConditionMet(cond: string | undefined, hits: number): boolean | string {
  if (!cond || !cond.trim()) return true;
  const m = /^\s*(>=|<=|==|=|>|<|%)?\s*(\d+)\s*$/.exec(cond);
  if (!m) return `hit condition '${cond}' is not understood: write a number, or >=, ==, >, <, <= or % and a number`;
  const n = Number(m[2]);
  switch (m[1]) {
    case '==': case '=': return hits === n;
    case '>': return hits > n;
    case '<': return hits < n;
    case '<=': return hits <= n;
    case '%': return n > 0 && hits % n === 0;
    default: return hits >= n;
  }
}

function statementLines(image: Image): Array<{ fn: string; first: number; last: number; lines: number[] }> {
  return image.functions.map((f) => {
    const lines = [...new Set(f.stmts.map((s) => s.line))].sort((a, b) => a - b);
    return { fn: f.name, first: f.line, last: lines.length ? lines[lines.length - 1] : f.line, lines };
  });
}

/** Older kernels' names of modelled functions: a function breakpoint on one stops in its 6.x function. */
const RENAMED: Readonly<Record<string, readonly [string, string]>> = {
  scheduler_tick: ['sched_tick', 'since Linux 6.10'],
};

export class BreakpointTables {
  private nextId = 1;
  /** Scenario lines (0-based) with breakpoints. */
  readonly userLines = new Map<number, Bp[]>();
  /** userLines as a flag per line, for the VM's check at every statement. */
  userLineFlags = new Uint8Array(0);
  /** Kernel step points: per function, per step index. */
  readonly kernelPoints = new Map<KFunction<object>, Array<Bp[] | undefined>>();
  private readonly kernelFileBps = new Map<string, Array<{ fn: KFunction<object>; index: number; bp: Bp }>>();
  readonly kernelFns = new Map<KFunction<object>, Bp[]>();
  /** kernelFns as a flag per function id, for the engine's check after every call. */
  kernelFnFlags = new Uint8Array(0);
  readonly userFns = new Map<string, Bp[]>();
  readonly filters = new Set<KEventKind>();
  watches: Watch[] = [];

  constructor(private readonly image: Image, private readonly file: string) {}

  /** True when any breakpoint, filter or watch is set (the run loop checks nothing otherwise). */
  any(): boolean {
    return this.userLines.size > 0 || this.kernelPoints.size > 0 || this.kernelFns.size > 0 || this.userFns.size > 0
      || this.filters.size > 0 || this.watches.length > 0;
  }

  private bp(req: { condition?: string; hitCondition?: string; logMessage?: string }): Bp {
    return { id: this.nextId++, condition: req.condition || undefined, hitCondition: req.hitCondition || undefined, logMessage: req.logMessage || undefined, hits: 0 };
  }

  isScenarioFile(file: string): boolean {
    if (file === this.file) return true;
    const norm = (p: string): string => p.replace(/\\/g, '/');
    const a = norm(file), b = norm(this.file);
    return a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
  }

  /** The displayed kernel file a path names (absolute paths ending in 'kernel/fork.c' too). */
  kernelPath(file: string): string | undefined {
    const f = file.replace(/\\/g, '/');
    for (const kf of kernelCatalog().files) if (f === kf.path || f.endsWith(`/${kf.path}`)) return kf.path;
    return undefined;
  }

  setLines(file: string, reqs: LineBreakpointRequest[]): BreakpointResult[] {
    if (this.isScenarioFile(file)) return this.setUserLines(reqs);
    const path = this.kernelPath(file);
    if (path !== undefined) return this.setKernelLines(path, reqs);
    return reqs.map((r) => ({ id: this.bp(r).id, verified: false, line: r.line, message: `'${file}' is neither the scenario nor a modelled kernel source` }));
  }

  private setUserLines(reqs: LineBreakpointRequest[]): BreakpointResult[] {
    this.userLines.clear();
    const fns = statementLines(this.image);
    const results = reqs.map((r) => {
      const b = this.bp(r);
      const inside = fns.find((f) => r.line >= f.first && r.line <= f.last);
      const pool = inside ? [inside] : fns;
      let line = -1;
      for (const f of pool) for (const l of f.lines) if (l >= r.line && (line < 0 || l < line)) line = l;
      if (line < 0) return { id: b.id, verified: false, line: r.line, message: 'no statement at or after this line' };
      const list = this.userLines.get(line) ?? [];
      list.push(b);
      this.userLines.set(line, list);
      return { id: b.id, verified: true, line };
    });
    this.userLineFlags = new Uint8Array(Math.max(0, ...this.userLines.keys()) + 1);
    for (const line of this.userLines.keys()) this.userLineFlags[line] = 1;
    return results;
  }

  private setKernelLines(path: string, reqs: LineBreakpointRequest[]): BreakpointResult[] {
    for (const old of this.kernelFileBps.get(path) ?? []) {
      const arr = this.kernelPoints.get(old.fn);
      if (arr) arr[old.index] = undefined;
      if (arr && arr.every((x) => x === undefined)) this.kernelPoints.delete(old.fn);
    }
    const placed: Array<{ fn: KFunction<object>; index: number; bp: Bp }> = [];
    const results = reqs.map((r) => {
      const b = this.bp(r);
      const p = resolveKernelLine(path, r.line);
      if (typeof p === 'string') return { id: b.id, verified: false, line: r.line, message: p };
      const arr = this.kernelPoints.get(p.fn) ?? new Array<Bp[] | undefined>(p.fn.labels.length).fill(undefined);
      (arr[p.index] ??= []).push(b);
      this.kernelPoints.set(p.fn, arr);
      placed.push({ fn: p.fn, index: p.index, bp: b });
      return { id: b.id, verified: true, line: p.line };
    });
    this.kernelFileBps.set(path, placed);
    return results;
  }

  setFunctions(reqs: FunctionBreakpointRequest[]): BreakpointResult[] {
    this.kernelFns.clear();
    this.kernelFnFlags.fill(0);
    this.userFns.clear();
    const byName = kernelCatalog().byName;
    return reqs.map((r) => {
      const b = this.bp(r);
      const name = r.name.trim();
      const renamed = RENAMED[name];
      const kf = byName.get(name) ?? byName.get(`__x64_sys_${name}`) ?? (renamed === undefined ? undefined : byName.get(renamed[0]));
      if (this.image.fnIndex.has(name)) {
        const l = this.userFns.get(name) ?? [];
        l.push(b);
        this.userFns.set(name, l);
        return { id: b.id, verified: true, line: this.image.functions[this.image.fnIndex.get(name) as number].line };
      }
      if (kf) {
        const l = this.kernelFns.get(kf) ?? [];
        l.push(b);
        this.kernelFns.set(kf, l);
        if (this.kernelFnFlags.length < kernelFunctionCount()) {
          const grown = new Uint8Array(kernelFunctionCount());
          grown.set(this.kernelFnFlags);
          this.kernelFnFlags = grown;
        }
        this.kernelFnFlags[kf.id] = 1;
        if (renamed !== undefined && kf.name !== name) return { id: b.id, verified: true, line: kf.defLine, message: `${name} is called ${kf.name} ${renamed[1]}` };
        return { id: b.id, verified: true, line: kf.defLine };
      }
      return { id: b.id, verified: false, message: `no kernel or scenario function named '${name}'` };
    });
  }

  setFilters(ids: EventFilterId[]): void {
    this.filters.clear();
    for (const id of ids) if (FILTER_KINDS[id]) this.filters.add(FILTER_KINDS[id]);
  }

  setWatches(ws: DataWatch[], find: (pid: number) => task_struct | undefined): BreakpointResult[] {
    this.watches = [];
    return ws.map((w) => {
      const id = this.nextId++;
      const t = find(w.pid);
      if (!WATCHABLE.has(w.field)) return { id, verified: false, message: `task_struct field '${w.field}' cannot be watched` };
      if (!t) return { id, verified: false, message: `no task has pid ${w.pid}` };
      this.watches.push({ id, pid: w.pid, field: w.field, last: (t as unknown as Record<string, unknown>)[w.field] });
      return { id, verified: true };
    });
  }
}
