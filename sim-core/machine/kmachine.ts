// The machine a booted scenario runs on (machine.ts boots it): runs it until a stop (breakpoint,
// step, event, end), goes back in its history, and answers the debugger's inspection.
import * as C from '../kernel/consts';
import type { task_struct } from '../kernel/task';
import { builtinProgramPaths, createMemory, enterFirstStatement, VmRegs, type Image } from '../vm';
import { tty_input } from '../kernel/tty';
import type {
  BootOptions, BreakpointResult, CompletionItem, DataTarget, DataWatch, DebugScope, DebugVariable, DmesgLine,
  EvalContext, EvalResult, EventFilterId, ExitStatus, FrameInfo, FunctionBreakpointRequest, KernelFunctionLocation,
  KernelGlobals, KernelSource, LineBreakpointRequest, GotoTarget, HistoryInfo, Moment, Machine, Granularity, StepAction, Stop, TaskRow,
} from '../machine-types';
import type { Settings } from '../machine';
import { Engine } from './engine';
import { VmPort } from './vmport';
import { globalsOf, taskRow } from './inspect';
import { BreakpointTables } from './breakpoints';
import { CONTINUE, depthOf, inKernel, RunControl, type ControlHost, type Pending } from './control';
import { truthyValue } from '../debug/evaluate';
import { Inspector } from '../debug/inspector';
import type { EngineEnd, StopChecks } from './engine-types';
import { DEFAULT_HISTORY_BYTES } from './history';
import { comparePositions } from './position';
import { TimeTravel, type TravelHost } from './travel';
import { carryOut, runKeepingHistory, type TravelIntent } from './travel-run';
import { stopOfEnd } from './run-end';
import { displayedSources, dmesgLines, exitStatusOf, kernelFunctionLocations, kernelFunctionNames, logpointMessage, stdoutText } from './views';

export const DEFAULT_MAX_STEPS = 1_000_000;

/**
 * An error of the simulator itself raised while a task ran (a bug of ours): it names that task
 * (`pid`, absent when none was running). The machine has ended: a later run() returns its end.
 */
export class MachineError extends Error {
  constructor(message: string, readonly pid: number | undefined) {
    super(message);
    this.name = 'MachineError';
  }
}

export class KMachine implements Machine {
  readonly file: string;
  readonly engine: Engine;
  private readonly port: VmPort;
  private readonly bps: BreakpointTables;
  private readonly control: RunControl;
  private readonly controlHost: ControlHost;
  private readonly inspector: Inspector;
  private readonly maxSteps: number;
  /** Step granularity when step() names none. */
  private readonly granularity: Granularity;
  private paused = false;
  private ended: Pending | null = null;
  private lastPid: number | undefined;
  private mainPid = 3;
  /** The history going back uses (null: BootOptions.historyBytes 0). */
  private readonly tt: TimeTravel | null;
  /** A travel the next run() carries out (it replaces the run control's intent). */
  private travelIntent: TravelIntent | null = null;

  private readonly stdin: string;
  private readonly interactiveStdin: boolean;

  constructor(opts: BootOptions, readonly image: Image, settings: Settings) {
    this.file = opts.file;
    this.stdin = opts.stdin ?? '';
    this.interactiveStdin = opts.interactiveStdin === true;
    this.maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
    this.granularity = opts.granularity === 'kernel' ? 'kernel' : 'statement';
    this.port = new VmPort(image);
    this.engine = new Engine(
      { pidMax: Math.min(4194304, Math.max(301, settings.pidMax)), cpus: Math.max(1, Math.min(64, settings.cpus)), nproc: settings.nproc, uid: settings.uid, seed: settings.seed, sched: settings.sched },
      this.port, { run: (t, budget) => this.port.runUser(t, budget), left: () => this.port.budgetLeft() },
    );
    this.port.k = this.engine.k;
    if (opts.maxOutput !== undefined && opts.maxOutput >= 0) this.engine.output.limit = opts.maxOutput;
    this.engine.faultStops = opts.stopOnFault === true;
    this.engine.k.trace_sched = opts.traceSched === true;
    if (opts.schedStats === true) this.engine.k.sched_stats = [];
    this.bps = new BreakpointTables(image, opts.file);
    this.inspector = new Inspector({
      k: this.engine.k, image, file: opts.file, host: this.port.host, machine: this,
      lastPid: () => this.lastPid ?? this.mainPid,
    });
    this.controlHost = {
      test: (expr, t) => truthyValue(this.inspector.evaluateIn(expr, t.pid, 0)),
      message: (template, t) => logpointMessage(this.inspector, template, t.pid),
    };
    this.control = new RunControl(this.engine.k, this.port, this.bps, image, this.controlHost);
    if (opts.stopOnEntry) this.control.intent = { kind: 'entry' };
    const historyBytes = opts.historyBytes ?? DEFAULT_HISTORY_BYTES;
    this.tt = historyBytes > 0 ? new TimeTravel(this.travelHost(), historyBytes) : null;
  }

  private travelHost(): TravelHost {
    return {
      engine: this.engine, port: this.port, image: this.image, file: this.file, bps: this.bps, control: this.control,
      controlHost: this.controlHost,
      saveFields: () => ({ paused: this.paused, ended: this.ended, lastPid: this.lastPid, mainPid: this.mainPid }),
      restoreFields: (f) => {
        this.paused = f.paused as boolean;
        this.ended = f.ended as Pending | null;
        this.lastPid = f.lastPid as number | undefined;
        this.mainPid = f.mainPid as number;
        this.inspector.invalidate();
      },
    };
  }

  start(main: { memory: ReturnType<typeof createMemory>; regs: VmRegs; comm: string }, moduleInit: string | undefined): void {
    const programs = [...builtinProgramPaths(), ...this.image.programs.keys()];
    const t = this.engine.boot(main, { moduleInit, programs, stdin: this.stdin, interactiveStdin: this.interactiveStdin });
    this.mainPid = t.pid;
    this.k.main_pid = t.pid;
    this.setLastPid(t.pid);
    // The boot is the first checkpoint, kept whatever the budget: the start is always reachable.
    // With an entry stop, the start is as that stop shows it (taken by the first run()).
    if (this.control.intent.kind !== 'entry') this.tt?.checkpoint(true);
  }

  private get k() { return this.engine.k; }

  private setLastPid(pid: number | undefined): void {
    this.lastPid = pid;
    this.control.lastPid = pid;
  }

  // ---- intents and the run --------------------------------------------------------------------

  step(pid: number, action: StepAction, granularity?: Granularity): void {
    const t = this.k.pid_hash.get(pid);
    if (!t) throw new Error(`no task has pid ${pid}`);
    const kernel = granularity === 'kernel' || inKernel(t) || (granularity === undefined && this.granularity === 'kernel');
    // A task that is exiting has no statement left to stop at: the step runs on like continue.
    this.control.intent = t.exit_state ? CONTINUE : { kind: 'step', pid, action, granularity: kernel ? 'kernel' : 'statement', depth: depthOf(t) };
    this.setLastPid(pid);
  }

  continue(): void {
    this.control.intent = CONTINUE;
  }

  pause(): void {
    if (!this.ended) this.paused = true;
  }

  input(text: string | null): void {
    this.tt?.changedFromOutside();
    tty_input(this.k, text);
    // Re-execution cannot type it again: the moment after it is kept as a checkpoint.
    this.tt?.checkpoint(true);
  }

  // ---- time travel (sim-core/machine/travel.ts) -------------------------------------------

  private travelling(): TimeTravel {
    if (this.tt === null) throw new Error('going back needs the run\'s history, which is off (history 0)');
    return this.tt;
  }

  stepBack(pid: number, granularity?: Granularity): void {
    this.travelling();
    if (!this.k.pid_hash.get(pid)) throw new Error(`no task has pid ${pid}`);
    this.travelIntent = { kind: 'stepBack', pid, granularity };
  }

  reverseContinue(): void {
    this.travelling();
    this.travelIntent = { kind: 'reverse' };
  }

  goto(target: GotoTarget): void {
    if (target.kind === 'time' && !Number.isFinite(target.time)) throw new Error(`a time to go to is a number of nanoseconds (got ${target.time})`);
    const forward = (target.kind === 'event' && target.direction === 'forward') || (target.kind === 'step' && target.step >= this.k.steps)
      || (target.kind === 'time' && target.time > this.k.clock);
    if (!forward) this.travelling();
    this.travelIntent = { kind: 'goto', target };
  }

  moment(): Moment {
    return { step: this.k.steps, time: this.k.clock };
  }

  history(): HistoryInfo {
    const tt = this.tt;
    const events = this.k.event_seq;
    if (tt === null) return { enabled: false, checkpoints: 0, bytes: 0, budgetBytes: 0, frontier: this.moment(), events };
    const f = tt.behind() ? { step: tt.frontier[0], time: tt.frontierTime } : this.moment();
    return { enabled: true, checkpoints: tt.history.count, bytes: tt.history.bytes, budgetBytes: tt.history.budgetBytes, frontier: f, events };
  }

  private travel(ti: TravelIntent): Stop {
    const tt = this.tt;
    if (tt !== null && tt.history.count === 0) tt.checkpoint(true);
    const from = this.engine.position();
    let p: Pending;
    try {
      p = carryOut(ti, {
        tt, engine: this.engine, image: this.image, file: this.file, granularity: this.granularity, mainPid: this.mainPid,
        lastPid: this.lastPid, maxSteps: this.maxSteps, finalEnd: () => this.ended, forward: (checks, limit) => this.forward(Infinity, checks, limit),
        ended: (end) => this.endOf(end),
        fastPort: () => { this.port.stopAtStatements = false; this.port.stopLines = null; this.port.callTraps = false; },
      });
    } finally {
      this.control.intent = CONTINUE;
      this.control.configureVm();
      tt?.resyncWatches();
      this.inspector.invalidate();
    }
    const stop = this.finish(p);
    if (comparePositions(this.engine.position(), from) < 0) stop.travelled = 'back';
    if (tt !== null && tt.behind()) stop.frontier = { step: tt.frontier[0], time: tt.frontierTime };
    return stop;
  }

  /**
   * The engine loop with the history kept (see runKeepingHistory). `limit` is the run's step
   * budget, or a goto's step.
   */
  private forward(budget: number, checks: StopChecks | null, limit = this.maxSteps): EngineEnd {
    return this.tt === null ? this.engine.run(budget, limit, checks) : runKeepingHistory(this.tt, this.engine, this.control, budget, checks, limit);
  }

  run(budget = Infinity): Stop {
    // Whatever inspection handed out describes the state before this run.
    this.inspector.invalidate();
    if (this.travelIntent !== null) {
      const ti = this.travelIntent;
      this.travelIntent = null;
      return this.guarded(() => this.travel(ti));
    }
    // The end is final: asking again returns the same stop (with no new events), never more steps.
    if (this.ended) return this.finish(this.ended);
    const c = this.control;
    if (this.paused) {
      this.paused = false;
      c.intent = CONTINUE;
      return this.finish({ reason: 'pause', pid: this.lastPid });
    }
    if (c.intent.kind === 'entry') {
      c.intent = CONTINUE;
      // The entry stop shows main's first statement, the line that runs next (not its definition).
      const regs = this.k.pid_hash.get(this.mainPid)?.thread.regs;
      if (regs instanceof VmRegs && regs.image === this.image) enterFirstStatement(regs);
      if (this.tt !== null && this.tt.history.count === 0) this.tt.checkpoint(true);
      return this.finish({ reason: 'entry', pid: this.mainPid });
    }
    return this.guarded(() => this.finish(this.endOf(this.forward(budget, c.prepare()))));
  }

  /** Runs `f`; a bug of ours on the way ends the machine, naming the task that ran. */
  private guarded(f: () => Stop): Stop {
    try {
      return f();
    } catch (e) {
      // A bug of ours while a task ran: the machine ends, naming that task, so a debugger shows it
      // (not pid 1) and a continue does not run into the same error again.
      const t = this.engine.current;
      this.engine.current = null;
      const what = e instanceof Error ? e.message : String(e);
      const who = t ? ` while pid ${t.pid} (${t.comm}) ran` : '';
      this.ended = { reason: 'panic', message: `internal error in the simulator${who}: ${what}`, pid: t?.pid };
      this.control.intent = CONTINUE;
      if (t) this.setLastPid(t.pid);
      const err = new MachineError(what, t?.pid);
      if (e instanceof Error) { err.name = e.name; if (e.stack) err.stack = e.stack; }
      throw err;
    }
  }

  /** The stop an engine run's end makes (final ones end the machine). */
  private endOf(end: EngineEnd): Pending {
    if (end.reason === 'stop') return this.control.take();
    const s = stopOfEnd(this.k, end, this.lastPid, this.maxSteps, this.engine.output.limit);
    return s.final ? this.end(s.pending) : s.pending;
  }

  private end(p: Pending): Pending {
    this.ended = p;
    this.control.intent = CONTINUE;
    return p;
  }

  private finish(p: Pending): Stop {
    const k = this.k;
    const events = k.events;
    // Handed out: the machine keeps no event history, so a long run's memory stays flat.
    k.events = [];
    this.control.eventsTaken();
    if (p.pid !== undefined) this.setLastPid(p.pid);
    const tt = this.tt;
    if (tt === null) return { ...p, events, moment: this.moment() };
    // After going back, what the run had handed out before is not handed out again.
    const fresh = tt.handOut(events);
    if (p.reason !== 'yield' && !tt.behind()) tt.atStop();
    return { ...p, events: fresh, moment: this.moment() };
  }

  // ---- breakpoints ----------------------------------------------------------------------------

  setLineBreakpoints(file: string, bps: LineBreakpointRequest[]): BreakpointResult[] {
    const r = this.bps.setLines(file, bps);
    this.control.configureVm();
    return r;
  }

  setFunctionBreakpoints(bps: FunctionBreakpointRequest[]): BreakpointResult[] {
    const r = this.bps.setFunctions(bps);
    this.control.configureVm();
    return r;
  }

  setEventFilters(ids: EventFilterId[]): void {
    this.bps.setFilters(ids);
  }

  setDataWatches(watches: DataWatch[]): BreakpointResult[] {
    return this.bps.setWatches(watches, (pid) => this.task(pid));
  }

  // ---- inspection -----------------------------------------------------------------------------

  tasks(): TaskRow[] {
    return this.k.allTasks().filter((t) => t.pid > 0).map((t) => taskRow(this.k, t));
  }

  private task(pid: number): task_struct | undefined {
    return pid === 0 ? this.k.init_task : this.k.pid_hash.get(pid);
  }

  stack(pid: number): FrameInfo[] {
    return this.inspector.stack(pid);
  }

  scopes(frameId: number): DebugScope[] {
    return this.inspector.scopes(frameId);
  }

  variables(ref: number, start = 0, count = 0, filter?: 'indexed' | 'named'): DebugVariable[] {
    return this.inspector.variables(ref, start, count, filter);
  }

  evaluate(expr: string, frameId?: number, context?: EvalContext): EvalResult {
    return this.inspector.evaluate(expr, frameId, context);
  }

  completions(text: string, column: number, frameId?: number): CompletionItem[] {
    return this.inspector.completions(text, column, frameId);
  }

  dataTarget(name: string, ref?: number, frameId?: number): DataTarget {
    return this.inspector.dataTarget(name, ref, frameId);
  }

  /** The kernel's displayed sources and, under userland/, those of the built-in programs. */
  kernelSources(): KernelSource[] {
    return displayedSources();
  }

  kernelFunctions(): string[] {
    return kernelFunctionNames();
  }

  /** Where each kernel function is defined in the displayed sources (0-based line). */
  kernelFunctionLocations(): KernelFunctionLocation[] {
    return kernelFunctionLocations();
  }

  globals(): KernelGlobals {
    return globalsOf(this.k);
  }

  dmesg(): DmesgLine[] {
    return dmesgLines(this.k);
  }

  output(): string {
    return stdoutText(this.k);
  }

  /** Everything written, with the writer and descriptor (stdout and stderr interleaved). */
  writes(): ReadonlyArray<{ pid: number; fd: number; text: string }> {
    return this.k.out;
  }

  exitStatus(): ExitStatus {
    return exitStatusOf(this.k, this.ended);
  }

  sendSignal(pid: number, sig: number): number {
    const t = this.task(pid);
    if (!t || pid === 0 || t.exit_state) return -C.ESRCH;
    if (sig < 0 || sig > 64) return -C.EINVAL;
    this.inspector.invalidate();
    if (sig !== 0) {
      this.tt?.changedFromOutside();
      this.k.send_signal(sig, null, t, true);
      // Re-execution cannot send it again: the moment after it is kept as a checkpoint.
      this.tt?.checkpoint(true);
    }
    return 0;
  }
}
