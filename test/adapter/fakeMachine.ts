// A scripted machine for testing the adapter on its own: a fixed timeline of positions (task,
// frames) over plain task records, answering the machine's contract with plain values, so
// translation bugs show up without the simulator. The real machine is tested through
// dist/adapter.js in the other files, and its inspection in test/machine.

import { complete } from '../../sim-core/debug/complete';
import { decodeExitState, decodeFlags, decodeState, decodeWaitStatus, hex } from '../../sim-core/debug/decode';
import { bt, infoThreads, lxDmesg, lxPs, lxPstree } from '../../sim-core/debug/lx';
import { dataId, type CompletionItem, type DataTarget, type DebugScope, type DebugVariable, type EvalContext, type EvalResult } from '../../sim-core/debug/protocol';
import type {
  BootOptions, BootResult, BreakpointResult, DataWatch, EventFilterId, ExitStatus, FrameInfo, FunctionBreakpointRequest,
  Granularity, GotoTarget, HistoryInfo, KEvent, Moment, LineBreakpointRequest, Machine, StepAction, Stop, TaskRow,
} from '../../sim-core/machine-types';

type Travel = { kind: 'stepBack'; pid: number; granularity?: Granularity } | { kind: 'reverseContinue' } | { kind: 'goto'; target: GotoTarget };

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

// The kernel's values of the few constants the script uses.
const PF_KTHREAD = 0x00200000, PF_EXITING = 0x4, TASK_RUNNING = 0, TASK_NEW = 0x800, EXIT_ZOMBIE = 0x20, SIGCHLD = 17;

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

interface Pos {
  pid: number;
  frames: Array<[string, 'kernel' | 'user', string, number]>;
  effect?: (f: FakeMachine) => void;
}

type Ref = { kind: 'locals'; pid: number; frame: number } | { kind: 'task'; pid: number } | { kind: 'children'; pid: number } | { kind: 'globals'; pid: number };

const U = (line: number): [string, 'user', string, number] => ['main', 'user', '', line];

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
  private steps = 0;
  private lastPid = 3;
  // Handles: frames and variable references live until the next run.
  private frameIds = new Map<number, { pid: number; index: number }>();
  private nextFrame = 1;
  private refs = new Map<number, Ref>();
  private refKeys = new Map<string, number>();
  private nextRef = 1;
  private epoch = 0;
  private readonly seen = new Map<string, { value: string; epoch: number; changed: boolean }>();
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
    this.timeline = [
      { pid: 3, frames: [U(2)] },
      { pid: 3, frames: [['kernel_clone', 'kernel', 'kernel/fork.c', 3], U(2)] },
      { pid: 3, frames: [['copy_process', 'kernel', 'kernel/fork.c', 9], ['kernel_clone', 'kernel', 'kernel/fork.c', 3], U(2)] },
      { pid: 3, frames: [['copy_process', 'kernel', 'kernel/fork.c', 10], ['kernel_clone', 'kernel', 'kernel/fork.c', 3], U(2)],
        effect: (f) => { f.mk(4, 'fake', 3).__state = TASK_NEW; f.emit({ kind: 'fork', parent: 3, child: 4, flags: SIGCHLD, via: 'fork' }); } },
      { pid: 3, frames: [['kernel_clone', 'kernel', 'kernel/fork.c', 4], U(2)], effect: (f) => { const c = f.tasksById.get(4); if (c) c.__state = TASK_RUNNING; } },
      { pid: 3, frames: [U(6)], effect: (f) => f.emit({ kind: 'output', pid: 3, fd: 1, text: 'parent\n' }) },
      { pid: 4, frames: [U(3)] },
      { pid: 4, frames: [U(4)], effect: (f) => f.emit({ kind: 'printk', pid: 4, text: 'child exiting' }) },
      { pid: 3, frames: [['do_wait', 'kernel', 'kernel/exit.c', 3], U(6)], effect: (f) => {
        const c = f.tasksById.get(4);
        if (c) { c.exit_state = EXIT_ZOMBIE; c.exit_code = 7 << 8; c.flags |= PF_EXITING; c.zombie_since = f.steps; }
        f.emit({ kind: 'zombie', pid: 4, parent: 3 });
      } },
      { pid: 3, frames: [U(7)], effect: (f) => { f.tasksById.delete(4); f.emit({ kind: 'reap', pid: 4, by: 3, status: 7 << 8 }); } },
    ];
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
    this.refs.clear();
    this.refKeys.clear();
    this.epoch++;
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
        const v = this.valueIn(expr.trim(), pid);
        return typeof v === 'object' ? this.taskText(v) : String(v);
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
    const v = this.valueIn(c, pid);
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

  // ---- inspection over plain records ----------------------------------------------------------

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

  private taskText(t: FakeTask): string {
    return `(struct task_struct *) ${hex(t.addr)} (pid ${t.pid}, "${t.comm}")`;
  }

  private taskVar(name: string, pid: number, key: string): DebugVariable {
    const t = this.tasksById.get(pid);
    const value = t ? this.taskText(t) : '(struct task_struct *) 0x0';
    return { name, value, type: 'struct task_struct *', ref: t ? this.ref({ kind: 'task', pid }, `task/${pid}`) : 0, changed: this.changed(key, value) };
  }

  private frameOf(frameId: number): { pid: number; index: number } {
    const f = this.frameIds.get(frameId);
    if (!f) throw new Error(`Frame ${frameId} does not exist (any more).`);
    return f;
  }

  scopes(frameId: number): DebugScope[] {
    const { pid, index } = this.frameOf(frameId);
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
      case 'locals': return this.stack(r.pid)[r.frame]?.locals.map((l) => (l.name === 'p' ? this.taskVar('p', 4, 'locals.p') : { name: l.name, value: l.value, ref: 0, changed: false })) ?? [];
      case 'globals': return [
        this.taskVar('current', r.pid, 'globals.current'), this.taskVar('init_task', 1, 'globals.init_task'),
        { name: 'nr_threads', value: String(this.tasksById.size), type: 'int', ref: 0, changed: this.changed('globals.nr_threads', String(this.tasksById.size)) },
      ];
      case 'task': return this.taskFields(r.pid);
      case 'children': {
        const kids = [...this.tasksById.values()].filter((t) => t.ppid === r.pid);
        const end = count > 0 ? Math.min(kids.length, start + count) : Math.min(kids.length, 100);
        const out: DebugVariable[] = [];
        for (let i = start; i < end; i++) out.push(this.taskVar(`[${i}]`, kids[i].pid, `children/${r.pid}/${i}`));
        return out;
      }
    }
  }

  private taskFields(pid: number): DebugVariable[] {
    const t = this.tasksById.get(pid);
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
    const kids = [...this.tasksById.values()].filter((k) => k.ppid === pid).length;
    const v: DebugVariable = { name: 'children', value: `(struct list_head) ${kids} ${kids === 1 ? 'entry' : 'entries'}`, type: 'struct list_head', ref: this.ref({ kind: 'children', pid }, `children/${pid}`), changed: false };
    if (kids > 100) v.indexed = kids;
    out.push(v);
    return out;
  }

  /** A tiny evaluator for the script: numbers, ==, !=, a few names, and task->field chains. */
  private valueIn(expr: string, pid: number): number | string | FakeTask {
    const e = expr.trim().replace(/^\$lx_current\(\)/, 'current').replace(/^\$lx_task_by_pid\(/, 'find_task_by_vpid(');
    let m: RegExpExecArray | null;
    if ((m = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(e))) return (this.valueIn(m[1], pid) === this.valueIn(m[3], pid)) === (m[2] === '==') ? 1 : 0;
    if (/^-?\d+$/.test(e)) return Number(e);
    if (e === 'pid') return pid;
    if (e === 'nr_threads') return this.tasksById.size;
    if (e === 'c') return pid === 4 ? 0 : 4;
    let base: number | string | FakeTask | undefined;
    let rest = e;
    if (e.startsWith('current')) { base = this.tasksById.get(pid); rest = e.slice(7); }
    else if ((m = /^find_task_by_vpid\((\d+)\)/.exec(e))) { base = this.tasksById.get(Number(m[1])); rest = e.slice(m[0].length); }
    else throw new Error(`No symbol "${e}" in current context.`);
    for (const part of rest.split(/->|\./).filter(Boolean)) {
      if (base === undefined || typeof base !== 'object') throw new Error(`cannot read ${part}`);
      if (part === 'real_parent') { base = this.tasksById.get(base.ppid); continue; }
      if (!(part in base)) throw new Error(`There is no member named ${part}.`);
      base = (base as unknown as Record<string, number | string>)[part];
    }
    if (base === undefined) throw new Error('Cannot access memory at address 0x0');
    return base;
  }

  evaluate(expr: string, frameId?: number, context: EvalContext = 'watch'): EvalResult {
    try {
      const pid = frameId !== undefined ? this.frameOf(frameId).pid : this.lastPid;
      let e = expr.trim();
      if (context === 'repl') {
        const addr = (p: number) => this.tasksById.get(p)?.addr;
        const commands: Record<string, () => string> = {
          'lx-ps': () => lxPs(this, addr), 'lx-pstree': () => lxPstree(this), 'lx-dmesg': () => lxDmesg(this),
          bt: () => bt(this, pid), 'info threads': () => infoThreads(this, pid),
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
    const { items, start } = complete(text, column, { names: ['current', 'init_task', 'nr_threads', 'c'], fields: [...TASK_FIELDS, 'real_parent', 'children'], functions: this.kernelFunctions() });
    return items.map((i) => ({ label: i.label, type: i.type, detail: i.detail, start: i.start ?? start, length: column - (i.start ?? start) }));
  }

  dataTarget(name: string, ref?: number): DataTarget {
    const r = ref !== undefined && ref > 0 ? this.refs.get(ref) : undefined;
    if (r?.kind !== 'task') return { dataId: null, description: 'Data breakpoints watch fields of a task_struct.' };
    if (!(TASK_FIELDS as readonly string[]).includes(name)) return { dataId: null, description: `${name} is not a field a data breakpoint can watch.` };
    return { dataId: dataId(r.pid, name), description: `task ${r.pid}: ${name}` };
  }

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
