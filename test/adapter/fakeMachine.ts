// A scripted machine for testing the adapter on its own: a fixed timeline of positions (task,
// frames; fakeScript.ts) over plain task records (inspected in fakeInspect.ts), answering the
// machine's contract with plain values, so translation bugs show up without the simulator. The
// real machine is tested through dist/adapter.js in the other files, and its inspection in
// test/machine.

import type { CompletionItem, DataTarget, DebugScope, DebugVariable, EvalContext, EvalResult } from '../../sim-core/debug/protocol';
import type {
  BootOptions, BootResult, BreakpointResult, DataWatch, EventFilterId, ExitStatus, FrameInfo, FunctionBreakpointRequest,
  Granularity, GotoTarget, HistoryInfo, KEvent, Moment, LineBreakpointRequest, Machine, StepAction, Stop, TaskRow,
} from '../../sim-core/machine-types';
import { FakeInspector, type FakeTask } from './fakeInspect';
import { FAKE_KERNEL, fakeTimeline, PF_KTHREAD, SIGCHLD, TASK_NEW, TASK_RUNNING, type Pos } from './fakeScript';

type Travel = { kind: 'stepBack'; pid: number; granularity?: Granularity } | { kind: 'reverseContinue' } | { kind: 'goto'; target: GotoTarget };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class FakeMachine implements Machine {
  readonly file: string;
  readonly tasksById = new Map<number, FakeTask>();
  private pos = 0;
  private paused = false;
  private lineBps: Array<{ id: number; file: string; req: LineBreakpointRequest; hits: number }> = [];
  private fnBps: Array<{ id: number; req: FunctionBreakpointRequest }> = [];
  private filters = new Set<EventFilterId>();
  private watches: Array<{ id: number; w: DataWatch; last: string }> = [];
  private nextId = 1;
  private events: KEvent[] = [];
  /** Steps run so far (the clock is steps * 1000 ns). */
  steps = 0;
  private lastPid = 3;
  // Handles: frames and variable references live until the next run.
  private frameIds = new Map<number, { pid: number; index: number }>();
  private nextFrame = 1;
  private readonly inspector = new FakeInspector(this);
  readonly timeline: Pos[];
  /** A scenario that never ends (for pause). */
  spin = false;
  /** The intent run() carries out: null to continue, or the step as asked. */
  private intent: { entry: true } | { pid: number; action: StepAction; granularity: Granularity; depth: number } | null = null;
  private readonly granularity: Granularity;
  /** Going back: the travel run() carries out next, and the furthest position reached. */
  private travel?: Travel;
  private frontier = 0;
  private readonly historyOn: boolean;

  constructor(opts: BootOptions) {
    this.file = opts.file;
    this.historyOn = opts.historyBytes !== 0;
    this.granularity = opts.granularity ?? 'statement';
    if (opts.stopOnEntry) this.intent = { entry: true };
    this.boot();
    this.timeline = fakeTimeline();
  }

  private boot(): void {
    this.tasksById.clear();
    this.mk(1, 'init', 0);
    this.mk(2, 'kthreadd', 0).flags = PF_KTHREAD;
    this.mk(3, 'fake', 1);
  }

  mk(pid: number, comm: string, ppid: number): FakeTask {
    const t: FakeTask = {
      pid, tgid: pid, ppid, comm, addr: 0xffff888000000000 + pid * 0x10000, __state: TASK_RUNNING, exit_state: 0,
      exit_code: 0, exit_signal: SIGCHLD, flags: 0, zombie_since: -1, pending: 0,
    };
    this.tasksById.set(pid, t);
    return t;
  }

  emit(e: DistributiveOmit<KEvent, 'time' | 'step'>): void {
    this.events.push({ ...e, time: this.steps * 1000, step: this.steps } as KEvent);
  }

  private framesAt(i: number, pid: number): FrameInfo[] {
    const p = this.timeline[i];
    return p.frames.map(([name, kind, file, line], index) => ({
      id: this.frameId(pid, index), name, kind, file: kind === 'user' ? this.file : file, line,
      locals: kind === 'user' ? [{ name: 'c', value: String(p.pid === 4 ? 0 : 4) }] : [{ name: 'p', value: '(struct task_struct *) 0xffff888000040000' }],
    }));
  }

  private frameId(pid: number, index: number): number {
    for (const [id, f] of this.frameIds) if (f.pid === pid && f.index === index) return id;
    const id = this.nextFrame++;
    this.frameIds.set(id, { pid, index });
    return id;
  }

  /** Everything handed out dies when the machine runs. */
  private invalidate(): void {
    this.frameIds.clear();
    this.inspector.invalidate();
  }

  step(pid: number, action: StepAction, granularity?: Granularity): void {
    if (!this.tasksById.has(pid)) throw new Error(`no task has pid ${pid}`);
    const top = this.timeline[this.pos]?.frames[0];
    const g = granularity ?? (top?.[1] === 'kernel' ? 'kernel' : this.granularity);
    this.intent = { pid, action, granularity: g, depth: this.timeline[this.pos]?.frames.length ?? 0 };
  }

  continue(): void { this.intent = null; }

  run(sliceSteps = 1000): Stop {
    this.invalidate();
    if (this.travel) {
      const t = this.travel;
      this.travel = undefined;
      this.intent = null;
      return this.doTravel(t);
    }
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
      // Events of positions already reached once are not handed out again.
      const fresh = this.events.slice(before);
      if (this.pos <= this.frontier) this.events.length = before;
      this.frontier = Math.max(this.frontier, this.pos);
      const top = p.frames[0];
      const prevTop = this.timeline[this.pos - 1].frames[0];
      for (const w of this.watches) {
        const now = this.fieldText(w.w.pid, w.w.field);
        if (now !== w.last) { w.last = now; return this.stop('data breakpoint', p.pid, [w.id]); }
      }
      for (const e of fresh) {
        if (this.filters.has(e.kind as EventFilterId)) return { ...this.stop('event', p.pid), event: e };
      }
      const file = top[1] === 'user' ? this.file : top[2];
      const hit = this.lineBps.filter((b) => b.file === file && b.req.line === top[3] && this.cond(b.req.condition, p.pid));
      const fired = hit.filter((b) => { b.hits++; return !b.req.hitCondition || b.hits >= Number(b.req.hitCondition.replace(/\D/g, '')); });
      // Logpoints print (as the real machine does, a 'log' event) and do not stop.
      for (const b of fired) if (b.req.logMessage) this.emit({ kind: 'log', pid: p.pid, id: b.id, text: `${this.interpolate(b.req.logMessage, p.pid)}\n` });
      const hits = fired.filter((b) => !b.req.logMessage);
      if (hits.length) return this.stop('breakpoint', p.pid, hits.map((b) => b.id));
      const fn = this.fnBps.filter((b) => b.req.name === top[0] && prevTop[0] !== top[0]);
      if (fn.length) return this.stop('function breakpoint', p.pid, fn.map((b) => b.id));
      if (mode !== null && p.pid === mode.pid) {
        const depth = p.frames.length;
        const ok = mode.granularity === 'statement' ? top[1] === 'user'
          : mode.action === 'in' ? true : mode.action === 'over' ? depth <= mode.depth : depth < mode.depth;
        if (ok) return this.stop('step', p.pid);
      }
    }
    return this.stop('yield', this.timeline[this.pos]?.pid);
  }

  /** `{expr}` in a logpoint's message becomes the expression's value in the task's top frame. */
  private interpolate(template: string, pid: number): string {
    return template.replace(/\{([^{}]+)\}/g, (_, expr: string) => {
      try {
        const v = this.inspector.valueIn(expr.trim(), pid);
        return typeof v === 'object' ? this.inspector.taskText(v) : String(v);
      } catch (e) {
        return `<${e instanceof Error ? e.message : String(e)}>`;
      }
    });
  }

  private fieldText(pid: number, field: string): string {
    const t = this.tasksById.get(pid);
    return t ? String((t as unknown as Record<string, unknown>)[field]) : 'gone';
  }

  private cond(c: string | undefined, pid: number): boolean {
    if (!c) return true;
    const v = this.inspector.valueIn(c, pid);
    return typeof v === 'number' && v !== 0;
  }

  private stop(reason: Stop['reason'], pid: number | undefined, ids?: number[]): Stop {
    const events = this.events;
    this.events = [];
    if (pid !== undefined) this.lastPid = pid;
    const stop: Stop = { reason, pid, breakpointIds: ids, events, moment: this.moment() };
    if (this.pos < this.frontier) stop.frontier = { step: this.frontier, time: this.frontier * 1000 };
    return stop;
  }

  /** Re-executes the timeline from the start up to position `to`; events past the frontier are new. */
  private replayTo(to: number): void {
    this.boot();
    this.events = [];
    for (let i = 1; i <= to; i++) {
      this.pos = i;
      this.steps = i;
      const before = this.events.length;
      this.timeline[i].effect?.(this);
      if (i <= this.frontier) this.events.length = before;
    }
    this.pos = to;
    this.steps = to;
    this.frontier = Math.max(this.frontier, to);
  }

  private isBreak(i: number): number[] {
    const top = this.timeline[i].frames[0];
    const file = top[1] === 'user' ? this.file : top[2];
    const lines = this.lineBps.filter((b) => b.file === file && b.req.line === top[3] && !b.req.logMessage).map((b) => b.id);
    const prev = this.timeline[i - 1]?.frames[0];
    return [...lines, ...this.fnBps.filter((b) => b.req.name === top[0] && prev?.[0] !== top[0]).map((b) => b.id)];
  }

  /** Positions whose effect emits an event the goto target names. */
  private eventPositions(t: Extract<GotoTarget, { kind: 'event' }>): number[] {
    const scratch = new FakeMachine({ file: this.file, source: '' });
    const found: number[] = [];
    for (let i = 1; i < this.timeline.length; i++) {
      scratch.events = [];
      scratch.timeline[i].effect?.(scratch);
      const about = (e: KEvent) => (e.kind === 'fork' ? e.child : e.kind === 'signal' ? e.to : 'pid' in e ? e.pid : -1);
      if (scratch.events.some((e) => e.kind === t.event && about(e) === t.pid)) found.push(i);
    }
    return found;
  }

  private doTravel(t: Travel): Stop {
    const from = this.pos;
    let to = 0;
    let reason: Stop['reason'] = 'entry';
    let ids: number[] | undefined;
    if (t.kind === 'stepBack') {
      const statement = (t.granularity ?? this.granularity) === 'statement';
      for (let i = from - 1; i > 0; i--) {
        const p = this.timeline[i];
        if (p.pid === t.pid && (!statement || p.frames[0][1] === 'user')) { to = i; reason = 'step'; break; }
      }
    } else if (t.kind === 'reverseContinue') {
      for (let i = from - 1; i > 0; i--) {
        const hit = this.isBreak(i);
        if (hit.length) { to = i; ids = hit; reason = this.timeline[i].frames[0][1] === 'user' ? 'breakpoint' : 'function breakpoint'; break; }
      }
    } else {
      reason = 'goto';
      const g = t.target;
      if (g.kind === 'step') to = Math.min(g.step, this.timeline.length - 1);
      else if (g.kind === 'event') {
        const at = this.eventPositions(g);
        const pick = g.direction === 'back' ? at.filter((i) => i <= from).pop() : at.find((i) => i > from);
        if (pick === undefined) return { ...this.stop('goto', this.timeline[from]?.pid), message: `no ${g.event} of pid ${g.pid} ${g.direction === 'back' ? 'before' : 'after'} step ${from}` };
        to = pick;
      }
    }
    this.replayTo(to);
    const stop = this.stop(reason, t.kind === 'stepBack' && this.tasksById.has(t.pid) ? t.pid : this.timeline[to].pid, ids);
    if (to < from) stop.travelled = 'back';
    return stop;
  }

  pause(): void { this.paused = true; }

  /** Terminal input typed so far (null: end of input). */
  readonly inputs: Array<string | null> = [];
  input(text: string | null): void { this.inputs.push(text); }
  /** Travel intents as asked, for the adapter tests to check the translation. */
  readonly travels: Array<{ kind: 'stepBack'; pid: number; granularity?: Granularity } | { kind: 'reverseContinue' } | { kind: 'goto'; target: GotoTarget }> = [];
  private ask(t: Travel, forward = false): void {
    if (!this.historyOn && !forward) throw new Error('going back needs history (historyBytes is 0)');
    if (t.kind === 'stepBack' && !this.tasksById.has(t.pid)) throw new Error(`no task has pid ${t.pid}`);
    this.travels.push(t);
    this.travel = t;
  }
  stepBack(pid: number, granularity?: Granularity): void { this.ask({ kind: 'stepBack', pid, granularity }); }
  reverseContinue(): void { this.ask({ kind: 'reverseContinue' }); }
  /** As the machine's: a target later than now runs on to it, with or without history. */
  goto(target: GotoTarget): void {
    const forward = (target.kind === 'event' && target.direction === 'forward') || (target.kind === 'step' && target.step >= this.pos)
      || (target.kind === 'time' && target.time > this.pos * 1000);
    this.ask({ kind: 'goto', target }, forward);
  }
  moment(): Moment { return { step: this.pos, time: this.pos * 1000 }; }
  history(): HistoryInfo {
    return { enabled: this.historyOn, checkpoints: this.historyOn ? 1 : 0, bytes: 0, budgetBytes: this.historyOn ? 1 << 28 : 0, frontier: { step: this.frontier, time: this.frontier * 1000 } };
  }

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
    this.watches = watches.map((w) => ({ id: this.nextId++, w, last: this.fieldText(w.pid, w.field) }));
    return this.watches.map((w) => ({ id: w.id, verified: true }));
  }

  tasks(): TaskRow[] {
    return [...this.tasksById.values()].sort((a, b) => a.pid - b.pid).map((t) => ({
      pid: t.pid, tgid: t.tgid, ppid: t.ppid, comm: t.comm,
      state: t.exit_state ? 'Z' : t.__state === TASK_NEW ? 'D' : this.timeline[this.pos]?.pid === t.pid ? 'R' : 'S',
      stateName: t.exit_state ? 'EXIT_ZOMBIE' : 'TASK_RUNNING', flags: t.flags, kthread: (t.flags & PF_KTHREAD) !== 0,
      threadGroupLeader: t.pid, exitCode: t.exit_code, exitSignal: t.exit_signal, zombieSinceStep: t.exit_state ? t.zombie_since : undefined,
      cpu: 0, vruntime: t.pid * 1000, onRunqueue: !t.exit_state, nice: 0, running: this.timeline[this.pos]?.pid === t.pid,
      policy: 'SCHED_OTHER', rtPriority: 0, prio: 120, cpusAllowed: '0',
    }));
  }

  stack(pid: number): FrameInfo[] {
    for (let i = this.pos; i >= 0; i--) if (this.timeline[i]?.pid === pid) return this.framesAt(i, pid);
    return this.tasksById.has(pid) && pid >= 3 ? this.framesAt(0, pid).map((f) => ({ ...f, line: 3 })) : [];
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

  // ---- inspection (fakeInspect.ts) ------------------------------------------------------------

  frameOf(frameId: number): { pid: number; index: number } {
    const f = this.frameIds.get(frameId);
    if (!f) throw new Error(`Frame ${frameId} does not exist (any more).`);
    return f;
  }

  defaultPid(): number { return this.lastPid; }

  scopes(frameId: number): DebugScope[] { return this.inspector.scopes(frameId); }
  variables(ref: number, start = 0, count = 0, filter?: 'indexed' | 'named'): DebugVariable[] { return this.inspector.variables(ref, start, count, filter); }
  evaluate(expr: string, frameId?: number, context: EvalContext = 'watch'): EvalResult { return this.inspector.evaluate(expr, frameId, context); }
  completions(text: string, column: number): CompletionItem[] { return this.inspector.completions(text, column); }
  dataTarget(name: string, ref?: number): DataTarget { return this.inspector.dataTarget(name, ref); }

  sendSignal(pid: number, sig: number): number {
    const t = this.tasksById.get(pid);
    if (!t) return -3;
    t.pending |= 1 << (sig - 1);
    this.invalidate();
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
  if (opts.source.includes('many children')) for (let pid = 10; pid < 260; pid++) machine.mk(pid, `kid${pid}`, 1);
  return { machine, diagnostics: [] };
}
