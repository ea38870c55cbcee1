// A scripted machine for testing the adapter on its own: a fixed timeline of positions (task,
// frames) with the kernel objects the real model uses, so translation bugs show up without the
// simulator. The real machine is tested through dist/adapter.js in the other files.

import { blankTask, newCred, newSignal } from '../../sim-core/kernel/objects';
import { list_add_tail, list_del_init, ListHead } from '../../sim-core/kernel/list';
import * as C from '../../sim-core/kernel/consts';
import type { task_struct } from '../../sim-core/kernel/task';
import type {
  BootOptions, BootResult, BreakpointResult, DataWatch, EvalValue, EventFilterId, ExitStatus, FrameInfo, FunctionBreakpointRequest,
  Granularity, KEvent, LineBreakpointRequest, Machine, StepAction, Stop, TaskRow,
} from '../../sim-core/machine-types';

export const FAKE_SCENARIO = [
  'int main(void)',
  '{',
  '    pid_t c = fork();',
  '    if (c == 0) {',
  '        exit(7);',
  '    }',
  '    waitpid(c, 0, 0);',
  '    return 0;',
  '}',
  '',
].join('\n');

export const FAKE_KERNEL = [
  { path: 'kernel/fork.c', text: ['/* fork.c */', 'pid_t kernel_clone(struct kernel_clone_args *args)', '{', '\tp = copy_process(NULL, trace, NUMA_NO_NODE, args);', '\twake_up_new_task(p);', '}', '', 'struct task_struct *copy_process(struct pid *pid, int trace, int node, struct kernel_clone_args *args)', '{', '\tp = dup_task_struct(current, node);', '\tpid = alloc_pid(p->nsproxy->pid_ns_for_children);', '\treturn p;', '}', ''].join('\n') },
  { path: 'kernel/exit.c', text: ['/* exit.c */', 'static long do_wait(struct wait_opts *wo)', '{', '\tretval = do_wait_pid(wo);', '}', ''].join('\n') },
];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Pos {
  pid: number;
  frames: Array<[string, 'kernel' | 'user', string, number]>;
  effect?: (f: FakeMachine) => void;
}

const U = (line: number): [string, 'user', string, number] => ['main', 'user', '', line];

export class FakeMachine implements Machine {
  readonly file: string;
  readonly tasksById = new Map<number, task_struct>();
  private pos = 0;
  private paused = false;
  private lineBps: Array<{ id: number; file: string; req: LineBreakpointRequest; hits: number }> = [];
  private fnBps: Array<{ id: number; req: FunctionBreakpointRequest }> = [];
  private filters = new Set<EventFilterId>();
  private watches: Array<{ id: number; w: DataWatch; last: string }> = [];
  private nextId = 1;
  private events: KEvent[] = [];
  private steps = 0;
  readonly timeline: Pos[];
  /** A scenario that never ends (for pause). */
  spin = false;
  /** The intent run() carries out: null to continue, or the step as asked. */
  private intent: { entry: true } | { pid: number; action: StepAction; granularity: Granularity; depth: number } | null = null;
  private readonly granularity: Granularity;

  constructor(opts: BootOptions) {
    this.file = opts.file;
    this.granularity = opts.granularity ?? 'statement';
    if (opts.stopOnEntry) this.intent = { entry: true };
    const init = this.mk(1, 'init', null);
    this.mk(2, 'kthreadd', null).flags = C.PF_KTHREAD;
    this.mk(3, 'fake', init);
    this.timeline = [
      { pid: 3, frames: [U(2)] },
      { pid: 3, frames: [['kernel_clone', 'kernel', 'kernel/fork.c', 3], U(2)] },
      { pid: 3, frames: [['copy_process', 'kernel', 'kernel/fork.c', 9], ['kernel_clone', 'kernel', 'kernel/fork.c', 3], U(2)] },
      { pid: 3, frames: [['copy_process', 'kernel', 'kernel/fork.c', 10], ['kernel_clone', 'kernel', 'kernel/fork.c', 3], U(2)],
        effect: (f) => { const c = f.mk(4, 'fake', f.tasksById.get(3) ?? null); c.__state = C.TASK_NEW; f.emit({ kind: 'fork', parent: 3, child: 4, flags: C.SIGCHLD, via: 'fork' }); } },
      { pid: 3, frames: [['kernel_clone', 'kernel', 'kernel/fork.c', 4], U(2)], effect: (f) => { const c = f.tasksById.get(4); if (c) c.__state = C.TASK_RUNNING; } },
      { pid: 3, frames: [U(6)], effect: (f) => f.emit({ kind: 'output', pid: 3, fd: 1, text: 'parent\n' }) },
      { pid: 4, frames: [U(3)] },
      { pid: 4, frames: [U(4)], effect: (f) => f.emit({ kind: 'printk', pid: 4, text: 'child exiting' }) },
      { pid: 3, frames: [['do_wait', 'kernel', 'kernel/exit.c', 3], U(6)], effect: (f) => {
        const c = f.tasksById.get(4);
        if (c) { c.exit_state = C.EXIT_ZOMBIE; c.exit_code = 7 << 8; c.flags |= C.PF_EXITING; c.zombie_since = f.steps; }
        f.emit({ kind: 'zombie', pid: 4, parent: 3 });
      } },
      { pid: 3, frames: [U(7)], effect: (f) => { const c = f.tasksById.get(4); if (c) { list_del_init(c.sibling); f.tasksById.delete(4); } f.emit({ kind: 'reap', pid: 4, by: 3, status: 7 << 8 }); } },
    ];
  }

  mk(pid: number, comm: string, parent: task_struct | null): task_struct {
    const t = blankTask(newSignal(100), newCred({ uid: 1000, processes: 1 }));
    t.pid = t.tgid = pid;
    t.comm = comm;
    t.addr = 0xffff888000000000 + pid * 0x10000;
    t.real_parent = t.parent = parent;
    t.exit_signal = C.SIGCHLD;
    if (parent) list_add_tail(t.sibling, parent.children);
    this.tasksById.set(pid, t);
    return t;
  }

  emit(e: DistributiveOmit<KEvent, 'time' | 'step'>): void {
    this.events.push({ ...e, time: this.steps * 1000, step: this.steps } as KEvent);
  }

  private framesAt(i: number): FrameInfo[] {
    const p = this.timeline[i];
    return p.frames.map(([name, kind, file, line]) => ({ name, kind, file: kind === 'user' ? this.file : file, line, locals: kind === 'user' ? [{ name: 'c', value: String(p.pid === 4 ? 0 : 4) }] : [{ name: 'p', value: '(struct task_struct *) 0xffff888000040000' }] }));
  }

  step(pid: number, action: StepAction, granularity?: Granularity): void {
    if (!this.tasksById.has(pid)) throw new Error(`no task has pid ${pid}`);
    const top = this.framesAt(this.pos)[0];
    const g = granularity ?? (top?.kind === 'kernel' ? 'kernel' : this.granularity);
    this.intent = { pid, action, granularity: g, depth: this.timeline[this.pos]?.frames.length ?? 0 };
  }

  continue(): void { this.intent = null; }

  run(sliceSteps = 1000): Stop {
    const s = this.advance(sliceSteps);
    if (s.reason !== 'yield') this.intent = null;
    return s;
  }

  private advance(sliceSteps: number): Stop {
    const mode = this.intent;
    if (mode !== null && 'entry' in mode) return this.stop('entry', 3);
    for (let n = 0; n < sliceSteps; n++) {
      if (this.paused) { this.paused = false; return this.stop('pause', this.timeline[this.pos]?.pid); }
      if (this.spin) { this.steps++; continue; }
      this.pos++;
      this.steps++;
      if (this.pos >= this.timeline.length) return this.stop('exited', undefined);
      const p = this.timeline[this.pos];
      const before = this.events.length;
      p.effect?.(this);
      const top = this.framesAt(this.pos)[0];
      const prevTop = this.framesAt(this.pos - 1)[0];
      for (const w of this.watches) {
        const t = this.tasksById.get(w.w.pid);
        const now = t ? String((t as unknown as Record<string, unknown>)[w.w.field]) : 'gone';
        if (now !== w.last) { w.last = now; return this.stop('data breakpoint', p.pid, [w.id]); }
      }
      for (const e of this.events.slice(before)) {
        if (this.filters.has(e.kind as EventFilterId)) return { ...this.stop('event', p.pid), event: e };
      }
      const hit = this.lineBps.filter((b) => b.file === top.file && b.req.line === top.line && this.cond(b.req.condition, p.pid));
      const fired = hit.filter((b) => { b.hits++; return !b.req.hitCondition || b.hits >= Number(b.req.hitCondition.replace(/\D/g, '')); });
      // Logpoints print (as the real machine does, a 'log' event) and do not stop.
      for (const b of fired) if (b.req.logMessage) this.emit({ kind: 'log', pid: p.pid, id: b.id, text: `${this.interpolate(b.req.logMessage, p.pid)}\n` });
      const hits = fired.filter((b) => !b.req.logMessage);
      if (hits.length) return this.stop('breakpoint', p.pid, hits.map((b) => b.id));
      const fn = this.fnBps.filter((b) => b.req.name === top.name && prevTop.name !== top.name);
      if (fn.length) return this.stop('function breakpoint', p.pid, fn.map((b) => b.id));
      if (mode !== null && p.pid === mode.pid) {
        const depth = p.frames.length;
        const ok = mode.granularity === 'statement' ? top.kind === 'user'
          : mode.action === 'in' ? true : mode.action === 'over' ? depth <= mode.depth : depth < mode.depth;
        if (ok) return this.stop('step', p.pid);
      }
    }
    return this.stop('yield', this.timeline[this.pos]?.pid);
  }

  private interpolate(template: string, pid: number): string {
    return template.replace(/\{([^{}]+)\}/g, (_, expr: string) => {
      try {
        return this.format(this.evaluate(expr.trim(), pid, 0));
      } catch (e) {
        return `<${e instanceof Error ? e.message : String(e)}>`;
      }
    });
  }

  private cond(c: string | undefined, pid: number): boolean {
    if (!c) return true;
    const v = this.evaluate(c, pid, 0);
    return v.kind === 'int' && v.value !== 0;
  }

  private stop(reason: Stop['reason'], pid: number | undefined, ids?: number[]): Stop {
    const events = this.events;
    this.events = [];
    return { reason, pid, breakpointIds: ids, events };
  }

  pause(): void { this.paused = true; }

  setLineBreakpoints(file: string, bps: LineBreakpointRequest[]): BreakpointResult[] {
    this.lineBps = this.lineBps.filter((b) => b.file !== file);
    return bps.map((req) => {
      const id = this.nextId++;
      this.lineBps.push({ id, file, req, hits: 0 });
      return { id, verified: true, line: req.line };
    });
  }

  setFunctionBreakpoints(bps: FunctionBreakpointRequest[]): BreakpointResult[] {
    this.fnBps = [];
    const known = new Set(['main', ...this.kernelFunctions()]);
    return bps.map((req) => {
      const id = this.nextId++;
      if (!known.has(req.name)) return { id, verified: false, message: `no function named '${req.name}'` };
      this.fnBps.push({ id, req });
      return { id, verified: true };
    });
  }

  setEventFilters(ids: EventFilterId[]): void { this.filters = new Set(ids); }

  setDataWatches(watches: DataWatch[]): BreakpointResult[] {
    this.watches = watches.map((w) => {
      const t = this.tasksById.get(w.pid);
      return { id: this.nextId++, w, last: t ? String((t as unknown as Record<string, unknown>)[w.field]) : 'gone' };
    });
    return this.watches.map((w) => ({ id: w.id, verified: true }));
  }

  tasks(): TaskRow[] {
    return [...this.tasksById.values()].sort((a, b) => a.pid - b.pid).map((t) => ({
      pid: t.pid, tgid: t.tgid, ppid: t.real_parent?.pid ?? 0, comm: t.comm,
      state: t.exit_state ? 'Z' : t.__state === C.TASK_NEW ? 'D' : this.timeline[this.pos]?.pid === t.pid ? 'R' : 'S',
      stateName: t.exit_state ? 'EXIT_ZOMBIE' : 'TASK_RUNNING', flags: t.flags, kthread: (t.flags & C.PF_KTHREAD) !== 0,
      threadGroupLeader: t.pid, exitCode: t.exit_code, exitSignal: t.exit_signal, zombieSinceStep: t.exit_state ? t.zombie_since : undefined,
      cpu: 0, vruntime: t.pid * 1000, onRunqueue: !t.exit_state, nice: 0, running: this.timeline[this.pos]?.pid === t.pid,
    }));
  }

  task(pid: number): task_struct | undefined { return this.tasksById.get(pid); }

  stack(pid: number): FrameInfo[] {
    for (let i = this.pos; i >= 0; i--) if (this.timeline[i]?.pid === pid) return this.framesAt(i);
    return this.tasksById.has(pid) && pid >= 3 ? this.framesAt(0).map((f) => ({ ...f, line: 3 })) : [];
  }

  kernelSources() { return FAKE_KERNEL; }
  kernelFunctions(): string[] { return ['kernel_clone', 'copy_process', 'do_wait']; }
  kernelFunctionLocations() {
    return [{ name: 'copy_process', file: 'kernel/fork.c', line: 7 }, { name: 'do_wait', file: 'kernel/exit.c', line: 1 }, { name: 'kernel_clone', file: 'kernel/fork.c', line: 1 }];
  }
  globals() {
    return { nr_threads: this.tasksById.size, total_forks: 4, pid_max: 32768, last_pid: 4, nr_cpus: 1, runqueues: [{ cpu: 0, curr: 3, min_vruntime: 0, nr_running: 1, queued: [3] }], clock: this.steps * 1000, steps: this.steps };
  }
  dmesg() { return [{ time: 0.000123, level: 6, text: 'Booting the fake kernel' }]; }
  output(): string { return ''; }
  exitStatus(): ExitStatus {
    return this.pos >= this.timeline.length ? { finished: true, reason: 'exited', exitCode: 0 } : { finished: false };
  }

  evaluate(expr: string, pid?: number, _frame?: number): EvalValue {
    const e = expr.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(e))) {
      const a = this.evaluate(m[1], pid), b = this.evaluate(m[3], pid);
      const eq = a.kind === 'int' && b.kind === 'int' && a.value === b.value;
      return { kind: 'int', value: (m[2] === '==') === eq ? 1 : 0 };
    }
    if (/^-?\d+$/.test(e)) return { kind: 'int', value: Number(e) };
    if (e === 'init_task') return { kind: 'task', task: this.tasksById.get(1) ?? null };
    const cur = this.tasksById.get(pid ?? 3) ?? null;
    if (e === 'pid') return { kind: 'int', value: pid ?? 0 };
    if (e === 'nr_threads') return { kind: 'int', value: this.tasksById.size };
    if (e === 'c') return { kind: 'int', value: pid === 4 ? 0 : 4 };
    if (e === 'p') return { kind: 'task', task: this.tasksById.get(4) ?? null };
    let base: unknown;
    let rest = e;
    if ((m = /^current/.exec(e))) { base = cur; rest = e.slice(7); }
    else if ((m = /^find_task_by_vpid\((\d+)\)/.exec(e))) { base = this.tasksById.get(Number(m[1])) ?? null; rest = e.slice(m[0].length); }
    else throw new Error(`No symbol "${e}" in current context.`);
    for (const part of rest.split(/->|\./).filter(Boolean)) {
      if (base === null || typeof base !== 'object') throw new Error(`cannot read ${part}`);
      const rec = base as Record<string, unknown>;
      if (!(part in rec)) throw new Error(`There is no member named ${part}.`);
      base = rec[part];
    }
    if (base === null || (typeof base === 'object' && (base as { type?: string }).type === 'task_struct')) return { kind: 'task', task: base as task_struct | null };
    if (typeof base === 'number') return { kind: 'int', value: base };
    if (typeof base === 'string') return { kind: 'string', value: base };
    if (base instanceof ListHead) return { kind: 'object', type: 'list_head', value: base };
    return { kind: 'object', type: 'struct', value: base as object };
  }

  format(v: EvalValue): string {
    switch (v.kind) {
      case 'int': return String(v.value);
      case 'string': return JSON.stringify(v.value);
      case 'task': return v.task ? `(struct task_struct *) 0x${v.task.addr.toString(16)}` : '(struct task_struct *) 0x0';
      default: return `(struct ${v.type} *) ...`;
    }
  }

  sendSignal(pid: number, sig: number): number {
    const t = this.tasksById.get(pid);
    if (!t) return -3;
    t.pending.signal[0] |= 1 << (sig - 1);
    return 0;
  }
}

export function fakeBoot(opts: BootOptions): BootResult {
  if (opts.source.includes('syntax error')) {
    const at = opts.source.indexOf('syntax error');
    return { diagnostics: [{ range: { start: at, end: at + 6 }, severity: 'error', message: "expected ';'", code: 'syntax' }] };
  }
  const machine = new FakeMachine(opts);
  machine.spin = opts.source.includes('for (;;)');
  if (opts.source.includes('many children')) for (let pid = 10; pid < 260; pid++) machine.mk(pid, `kid${pid}`, machine.tasksById.get(1) ?? null);
  return { machine, diagnostics: [] };
}
