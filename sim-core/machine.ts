// The one entry point: boot() parses, checks and compiles a scenario and boots the simulated
// kernel; the Machine runs it until a stop (breakpoint, step, event, end) and answers inspection.
import * as C from './kernel/consts';
import { checkInvariants as kernelInvariants } from './kernel/invariants';
import type { task_struct } from './kernel/task';
import { analyze } from './lang/check';
import type { Diagnostic, Program } from './lang/ast';
import { builtinProgramPaths, userlandSources, compile, createMemory, enterFirstStatement, execEntry, VmRegs, type Image } from './vm';
import { tty_input, tty_of } from './kernel/tty';
import type {
  BootOptions, BootResult, BreakpointResult, CompletionItem, DataTarget, DataWatch, DebugScope, DebugVariable, DmesgLine,
  EvalContext, EvalResult, EventFilterId, ExitStatus, FrameInfo, FunctionBreakpointRequest, KernelFunctionLocation,
  KernelGlobals, KernelSource, LineBreakpointRequest, GotoTarget, HistoryInfo, Moment, Machine, Granularity, MachineSettings, FairPolicySetting, StepAction, Stop, StopReason, TaskRow,
} from './machine-types';
import { Engine } from './machine/engine';
import { VmPort } from './machine/vmport';
import { kernelCatalog, kernelSourceList } from './machine/sources';
import { globalsOf, taskRow, userlandPath } from './machine/inspect';
import { BreakpointTables } from './machine/breakpoints';
import { CONTINUE, depthOf, inKernel, RunControl, type ControlHost, type Pending } from './machine/control';
import { truthyValue } from './debug/evaluate';
import { Inspector } from './debug/inspector';
import type { EngineEnd, StopChecks } from './machine/engine-types';
import { DEFAULT_HISTORY_BYTES } from './machine/history';
import { comparePositions } from './machine/position';
import { TimeTravel, type TravelHost } from './machine/travel';
import { carryOut, type TravelIntent } from './machine/travel-run';

export const DEFAULT_MAX_STEPS = 1_000_000;

/** strsignal's text for the signals a fault raises. */
const FAULT_TEXT: Readonly<Record<string, string>> = {
  SIGSEGV: 'Segmentation fault', SIGFPE: 'Floating point exception', SIGILL: 'Illegal instruction', SIGBUS: 'Bus error',
};

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


/** Settings from `#pragma kproc KEY VALUE`, overridden by the caller's. */
type Settings = Required<MachineSettings> & { sched: FairPolicySetting };

function settingsOf(program: Program, given: MachineSettings | undefined, sched: FairPolicySetting | undefined): Settings {
  const s: Settings = { pidMax: 32768, cpus: 1, nproc: 4096, uid: 1000, seed: 1, sched: 'eevdf' };
  const keys: Record<string, keyof MachineSettings> = { pid_max: 'pidMax', cpus: 'cpus', nproc: 'nproc', uid: 'uid', seed: 'seed' };
  for (const d of program.directives) {
    if (d.kind !== 'Pragma' || d.args.length !== 1) continue;
    const v = d.args[0].value;
    if (d.key === 'sched' && (v === 'cfs' || v === 'eevdf')) s.sched = v;
    else if (d.key in keys && typeof v === 'number') s[keys[d.key]] = v;
  }
  for (const [k, v] of Object.entries(given ?? {})) if (typeof v === 'number' && Number.isFinite(v)) s[k as keyof MachineSettings] = v;
  if (sched) s.sched = sched;
  return s;
}

function commOf(file: string): string {
  const base = file.replace(/\\/g, '/').slice(file.replace(/\\/g, '/').lastIndexOf('/') + 1);
  return base.replace(/\.[^.]*$/, '').slice(0, 15) || 'main';
}

export const boot = (opts: BootOptions): BootResult => {
  const { program, diagnostics } = analyze(opts.source);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const compiled = compile(program, opts.source);
  const all: Diagnostic[] = [...diagnostics, ...compiled.diagnostics];
  if (compiled.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: all };
  const image = compiled.image;
  const comm = commOf(opts.file);
  let memory, regs;
  if (image.fnIndex.has('main')) {
    const e = execEntry(image, 'main', [`./${comm}`]);
    if (!e) return { diagnostics: [...all, { range: { start: 0, end: 0 }, severity: 'error', message: 'main could not be started', code: 'boot' }] };
    memory = e.memory;
    regs = e.regs;
  } else if (image.moduleInit) {
    memory = createMemory(image);
    regs = new VmRegs(image, 0);
  } else {
    return { diagnostics: [...all, { range: { start: 0, end: 0 }, severity: 'error', message: 'the scenario has neither main() nor module_init()', code: 'boot' }] };
  }
  const machine = new KMachine(opts, image, settingsOf(program, opts.settings, opts.sched));
  const moduleInit = image.fnIndex.has('main') ? undefined : image.moduleInit;
  machine.start({ memory, regs, comm }, moduleInit);
  return moduleInit ? { machine, diagnostics: all, moduleInit } : { machine, diagnostics: all };
};

/** A wait status as the shell's $? shows it: the exit status, or 128 + the fatal signal. */
function shellStatus(status: number): number {
  const sig = status & 0x7f;
  return sig === 0 ? (status >> 8) & 0xff : 128 + sig;
}

/** The kernel's invariants for a machine booted here (property tests call this after each step). */
export function checkInvariants(m: Machine): string[] {
  return m instanceof KMachine ? kernelInvariants(m.engine.k) : [];
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
      message: (template, t) => this.interpolate(template, t.pid),
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
   * The engine loop with the history kept: checkpoints when due, and, behind the frontier, a
   * change from outside still ahead (typed input, a signal from the views) taken again at its
   * moment. `limit` is the run's step budget, or a goto's step.
   */
  private forward(budget: number, checks: StopChecks | null, limit = this.maxSteps): EngineEnd {
    const tt = this.tt, e = this.engine, k = this.k;
    if (tt === null) return e.run(budget, limit, checks);
    if (tt.history.count === 0) tt.checkpoint(true);
    const start = k.steps;
    for (;;) {
      const ahead = tt.behind() ? tt.history.pinnedAfter(e.position()) : null;
      let lim = limit;
      if (ahead !== null) {
        if (k.steps >= ahead.pos[0] - 2) {
          const end = tt.crossTo(ahead, checks);
          if (end !== null) return end;
          if (checks === this.control) this.control.configureVm();
          continue;
        }
        lim = Math.min(limit, ahead.pos[0] - 2);
      }
      const slice = Math.max(1, Math.min(budget - (k.steps - start), tt.behind() ? Infinity : tt.dueIn()));
      const end = e.run(slice, lim, checks);
      if (end.reason === 'limit' && lim < limit && k.steps < limit) continue;
      if (end.reason !== 'slice') return end;
      const due = !tt.behind() && tt.history.isDue(k.steps);
      if (due) tt.checkpoint();
      if (k.steps - start >= budget || !due) return end;
    }
  }

  /** The task sleeping in n_tty_read (the first, when several are). */
  private inputPid(): number | undefined {
    const w = tty_of(this.k).read_wait;
    return w.length > 0 ? w[0].pid : this.lastPid;
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
    switch (end.reason) {
      case 'slice': return { reason: 'yield', pid: this.lastPid };
      // Only a goto to a time sets the engine's clock limit, and it takes this end itself.
      case 'clock': return { reason: 'goto', pid: this.lastPid };
      case 'stop': return this.control.take();
      case 'exited': return this.end({ reason: 'exited' });
      // A reader waits on the interactive terminal: input() gives it a line, run() goes on.
      case 'input': return { reason: 'input', pid: this.inputPid() };
      case 'limit': return this.end({ reason: 'budget', message: `step budget of ${this.maxSteps} steps used up (raise it with --max-steps)`, pid: this.lastPid });
      case 'panic': return this.end({ reason: 'panic', message: `Kernel panic - not syncing: ${end.message}` });
      case 'fault': {
        const t = this.k.pid_hash.get(end.pid);
        const text = FAULT_TEXT[end.signal] ?? end.signal;
        return { reason: 'fault', pid: end.pid, signal: end.signal, message: `pid ${end.pid} (${t?.comm ?? '?'}) received ${end.signal}, ${text}: ${end.message}` };
      }
      case 'output': return this.end({ reason: 'output', message: `output limit reached: the run wrote ${this.engine.output.limit} characters (raise it with --max-output)`, pid: end.pid });
      case 'deadlock': {
        const names = end.sleeping.map((p) => { const t = this.k.pid_hash.get(p) as task_struct; return `${p} (${t.comm}, ${taskRow(this.k, t).stateName})`; });
        return this.end({ reason: 'deadlock', message: `deadlock: no task can run and none will be woken; sleeping: ${names.join(', ') || 'none'}` });
      }
    }
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
    return [...kernelSourceList(), ...userlandSources().map((s) => ({ path: userlandPath(s.file), text: s.text }))];
  }

  kernelFunctions(): string[] {
    return [...kernelCatalog().byName.keys()].sort();
  }

  /** Where each kernel function is defined in the displayed sources (0-based line). */
  kernelFunctionLocations(): KernelFunctionLocation[] {
    const c = kernelCatalog();
    return [...c.byName.values()].map((f) => ({ name: f.name, file: f.file, line: f.defLine })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  globals(): KernelGlobals {
    return globalsOf(this.k);
  }

  dmesg(): DmesgLine[] {
    return this.k.dmesg.map((d) => ({ time: d.time, level: d.level, text: d.text }));
  }

  output(): string {
    let s = '';
    for (const o of this.k.out) if (o.fd === 1) s += o.text;
    return s;
  }

  /** Everything written, with the writer and descriptor (stdout and stderr interleaved). */
  writes(): ReadonlyArray<{ pid: number; fd: number; text: string }> {
    return this.k.out;
  }

  exitStatus(): ExitStatus {
    const e = this.ended;
    if (!e) return { finished: false };
    const s: ExitStatus = { finished: true, reason: e.reason as StopReason, message: e.message };
    if (e.reason === 'exited') s.exitCode = shellStatus(this.k.main_status ?? 0);
    return s;
  }

  /** A logpoint's message: `{expr}` becomes the expression's value; `{{` and `}}` stand for braces. */
  private interpolate(template: string, pid: number): string {
    return template.replace(/\{\{|\}\}|\{([^{}]+)\}/g, (whole, expr: string | undefined) => {
      if (whole === '{{') return '{';
      if (whole === '}}') return '}';
      try {
        return this.inspector.valueText(String(expr).trim(), pid);
      } catch (e) {
        return `<${e instanceof Error ? e.message : String(e)}>`;
      }
    });
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
