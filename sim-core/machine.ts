// The one entry point: boot() parses, checks and compiles a scenario and boots the simulated
// kernel; the Machine runs it until a stop (breakpoint, step, event, end) and answers inspection.
import * as C from './kernel/consts';
import { checkInvariants as kernelInvariants } from './kernel/invariants';
import type { KFrame } from './kernel/frame';
import { NS_ZERO, type task_struct } from './kernel/task';
import { analyze } from './lang/check';
import type { Diagnostic, Program } from './lang/ast';
import { compile, createMemory, execEntry, VmRegs, type Image, type Trap } from './vm';
import type {
  BootOptions, BootResult, BreakpointResult, CompletionItem, DataTarget, DataWatch, DebugScope, DebugVariable, DmesgLine,
  EvalContext, EvalResult, EventFilterId, ExitStatus, FrameInfo, FunctionBreakpointRequest, KernelFunctionLocation,
  KernelGlobals, KernelSource, KEvent, LineBreakpointRequest, Machine, MachineSettings, RunMode, Stop, StopReason, TaskRow,
} from './machine-types';
import { Engine } from './machine/engine';
import { VmPort } from './machine/vmport';
import { kernelCatalog, kernelSourceList } from './machine/sources';
import { globalsOf, taskRow, userDepth } from './machine/inspect';
import { BreakpointTables, hitConditionMet, type Bp } from './machine/breakpoints';
import { truthyValue } from './debug/evaluate';
import { Inspector } from './debug/inspector';

export const DEFAULT_MAX_STEPS = 1_000_000;

interface StepState {
  pid: number;
  action: 'in' | 'over' | 'out';
  granularity: 'statement' | 'kernel';
  depth: number;
}

type Pending = Omit<Stop, 'events'>;

/** Settings from `#pragma kproc KEY VALUE`, overridden by the caller's. */
function settingsOf(program: Program, given: MachineSettings | undefined): Required<MachineSettings> {
  const s: Required<MachineSettings> = { pidMax: 32768, cpus: 1, nproc: 4096, uid: 1000, seed: 1 };
  const keys: Record<string, keyof MachineSettings> = { pid_max: 'pidMax', cpus: 'cpus', nproc: 'nproc', uid: 'uid', seed: 'seed' };
  for (const d of program.directives) {
    if (d.kind !== 'Pragma' || !(d.key in keys) || d.args.length !== 1 || typeof d.args[0].value !== 'number') continue;
    s[keys[d.key]] = d.args[0].value;
  }
  for (const [k, v] of Object.entries(given ?? {})) if (typeof v === 'number' && Number.isFinite(v)) s[k as keyof MachineSettings] = v;
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
  const machine = new KMachine(opts, image, settingsOf(program, opts.settings));
  machine.start({ memory, regs, comm }, image.fnIndex.has('main') ? undefined : image.moduleInit);
  return { machine, diagnostics: all };
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
  private readonly maxSteps: number;
  private step: StepState | null = null;
  private pending: Pending | null = null;
  private paused = false;
  private ended: Pending | null = null;
  private lastPid: number | undefined;
  private mainPid = 3;
  /** Events before this index of k.events have been matched against the event filters. */
  private filterScan = 0;
  private lastStop: Pending | null = null;
  private readonly inspector: Inspector;

  constructor(opts: BootOptions, readonly image: Image, settings: Required<MachineSettings>) {
    this.file = opts.file;
    this.maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
    this.port = new VmPort(image);
    this.engine = new Engine(
      { pidMax: Math.min(4194304, Math.max(301, settings.pidMax)), cpus: Math.max(1, Math.min(64, settings.cpus)), nproc: settings.nproc, uid: settings.uid, seed: settings.seed },
      this.port, (t, budget) => this.port.runUser(t, budget),
    );
    this.port.k = this.engine.k;
    this.bps = new BreakpointTables(image, opts.file);
    this.engine.userHook = (t, trap) => this.atUserPoint(t, trap);
    this.inspector = new Inspector({
      k: this.engine.k, image, file: opts.file, host: this.port.host, machine: this,
      lastPid: () => this.lastPid ?? this.mainPid,
    });
  }

  start(main: { memory: ReturnType<typeof createMemory>; regs: VmRegs; comm: string }, moduleInit: string | undefined): void {
    const t = this.engine.boot(main, { moduleInit });
    this.mainPid = t.pid;
    this.k.main_pid = t.pid;
    this.lastPid = t.pid;
  }

  private get k() { return this.engine.k; }

  // ---- running ------------------------------------------------------------------------------

  private configureVm(): void {
    const stepping = this.step !== null;
    this.port.stopAtStatements = stepping || this.bps.userLines.size > 0;
    // Line breakpoints alone: the VM stops only at statements on their lines.
    this.port.stopLines = stepping ? null : this.bps.userLineFlags;
    this.port.callTraps = this.bps.userFns.size > 0;
  }

  private sameStep(mode: RunMode): boolean {
    const s = this.step;
    if (!s || mode.kind !== 'step' || mode.pid !== s.pid || mode.action !== s.action || mode.granularity !== s.granularity) return false;
    const last = this.lastStop;
    if (!last) return false;
    // Only a stop the client passes over (a slice boundary, logpoints) continues a step.
    return last.reason === 'yield' || (last.reason === 'breakpoint' && (last.breakpointIds ?? []).every((id) => this.bps.logpoints.has(id)));
  }

  run(mode: RunMode, sliceSteps = Infinity): Stop {
    // Whatever inspection handed out describes the state before this run.
    this.inspector.invalidate();
    // The end is final: asking again returns the same stop (with no new events), never more steps.
    if (this.ended) return this.finish(this.ended);
    if (this.paused) { this.paused = false; return this.finish({ reason: 'pause', pid: this.lastPid }); }
    if (mode.kind === 'continue') this.step = null;
    else if (!this.sameStep(mode)) {
      const t = this.k.pid_hash.get(mode.pid);
      this.step = t && !t.exit_state ? { pid: mode.pid, action: mode.action, granularity: mode.granularity, depth: this.depthOf(t) } : null;
    }
    this.configureVm();
    const e = this.engine, k = this.k;
    const checks = this.step !== null || this.bps.any();
    e.kernelHook = checks ? this.kernelHook : null;
    // Function breakpoints alone need a look only where a step called a function.
    const b = this.bps;
    e.hookOnCallsTo = this.step === null && b.kernelPoints.size === 0 && b.watches.length === 0 && b.filters.size === 0 ? b.kernelFnFlags : null;
    // The slice counts step points: a tick, and each further kernel step a tick runs. It never
    // reaches past the step budget, so a run of kernel steps stops there too.
    e.budget = Math.max(1, Math.min(sliceSteps, this.maxSteps - k.steps));
    while (e.budget > 0) {
      if (e.suspendedCpu < 0) {
        if (k.panicked) return this.end({ reason: 'panic', message: `Kernel panic - not syncing: ${k.panicked}` });
        if (e.finished()) return this.end({ reason: 'exited' });
      }
      // Exact, even in the middle of a run of kernel steps (the budget above stops the run there).
      if (k.steps >= this.maxSteps) return this.end({ reason: 'budget', message: `step budget of ${this.maxSteps} steps used up (raise it with --max-steps)`, pid: this.lastPid });
      e.budget--;
      e.tick();
      if (this.pending) { const p = this.pending; this.pending = null; return this.finish(p); }
      // A batch of kernel steps that used up the slice: the tick resumes on the next call.
      if (e.suspendedCpu >= 0) break;
      if (checks) {
        const s = this.afterTick();
        if (s) return this.finish(s);
      }
      if (!this.anyRunnable() && !e.finished() && !k.panicked) {
        const sleeping: number[] = [];
        for (const t of k.pid_hash.values()) if (t.pid > 2 && !(t.flags & C.PF_KTHREAD) && !t.exit_state) sleeping.push(t.pid);
        sleeping.sort((a, b) => a - b);
        k.emit({ time: NS_ZERO, step: 0, kind: 'deadlock', sleeping });
        const names = sleeping.map((p) => { const t = k.pid_hash.get(p) as task_struct; return `${p} (${t.comm}, ${taskRow(k, t).stateName})`; });
        return this.end({ reason: 'deadlock', message: `deadlock: no task can run and none will be woken; sleeping: ${names.join(', ') || 'none'}` });
      }
    }
    return this.finish({ reason: 'yield', pid: this.lastPid });
  }

  private anyRunnable(): boolean {
    const k = this.k;
    if (k.timers.size > 0) return true;
    for (const rq of k.rq) if ((rq.curr !== null && rq.curr.se.on_rq) || rq.timeline.length > 0) return true;
    return false;
  }

  private end(p: Pending): Stop {
    this.ended = p;
    this.step = null;
    return this.finish(p);
  }

  private finish(p: Pending): Stop {
    const k = this.k;
    const events = k.events;
    // Handed out: the machine keeps no history, so a long run's memory stays flat.
    k.events = [];
    this.filterScan = 0;
    if (p.pid !== undefined) this.lastPid = p.pid;
    if (p.reason === 'step') this.step = null;
    this.lastStop = p;
    return { ...p, events };
  }

  pause(): void {
    if (!this.ended) this.paused = true;
  }

  // ---- stop checks ----------------------------------------------------------------------------

  private depthOf(t: task_struct): number {
    const kdepth = t.vm_base < 0 ? t.stack.length : Math.max(0, t.stack.length - t.vm_base);
    return kdepth + (t.vm_base >= 0 ? userDepth(t) : 0) + (t.vm_base > 0 ? t.vm_base : 0);
  }

  private stepDone(t: task_struct, kernelPoint: boolean): boolean {
    const s = this.step;
    if (!s || s.pid !== t.pid) return false;
    if (kernelPoint && s.granularity === 'statement') return false;
    const d = this.depthOf(t);
    return s.action === 'in' || (s.action === 'over' ? d <= s.depth : d < s.depth);
  }

  /** The engine reached a statement or a scenario function's entry: stop before it runs? */
  private atUserPoint(t: task_struct, trap: Trap): boolean {
    if (trap.kind === 'call') {
      const hit = this.fire(this.bps.userFns.get(trap.fn), t, 0);
      if (hit) { this.pending = { reason: 'function breakpoint', pid: t.pid, ...hit }; return true; }
      return false;
    }
    if (trap.kind !== 'statement' || !(t.thread.regs instanceof VmRegs) || t.thread.regs.image !== this.image) return false;
    const bps = this.bps.userLines.get(trap.line);
    if (bps !== undefined) {
      const hit = this.fire(bps, t, 0);
      if (hit) { this.pending = { reason: 'breakpoint', pid: t.pid, ...hit }; return true; }
    }
    if (this.step !== null && this.stepDone(t, false)) { this.pending = { reason: 'step', pid: t.pid }; return true; }
    return false;
  }

  /** Checks after a whole tick: kernel step points, function entries, steps, watches, filters. */
  private afterTick(): Pending | null {
    const e = this.engine, k = this.k;
    this.dropFinishedStep();
    for (let cpu = 0; cpu < k.rq.length; cpu++) {
      const t = e.ran[cpu];
      if (!t) continue;
      const s = this.atKernelPoint(t, cpu);
      if (s) return s;
    }
    return this.afterChange();
  }

  /** Between two kernel steps of one tick: the same checks as after a tick, for that CPU. */
  private readonly kernelHook = (t: task_struct, cpu: number): boolean => {
    if (this.step !== null) this.dropFinishedStep();
    let s = this.atKernelPoint(t, cpu);
    if (s === null && (this.bps.watches.length > 0 || this.bps.filters.size > 0)) s = this.afterChange();
    if (s === null) return false;
    this.pending = s;
    return true;
  };

  /** A step of a task that is exiting or gone has nothing left to stop at. */
  private dropFinishedStep(): void {
    if (this.step === null) return;
    const st = this.k.pid_hash.get(this.step.pid);
    if (!st || st.exit_state || st.flags & C.PF_EXITING) this.step = null;
  }

  /** Is task t (which just ran on `cpu`) about to run a kernel step the debugger stops at? */
  private atKernelPoint(t: task_struct, cpu: number): Pending | null {
    const n = t.stack.length;
    if (n === 0 || (t.vm_base >= 0 && n <= t.vm_base)) return null;
    const f = t.stack[n - 1] as KFrame<object>;
    // A function breakpoint is looked up only at the first step of a frame pushed just now.
    if (f.pc === 0 && n > this.engine.depthBefore[cpu] && this.bps.kernelFns.size > 0) {
      const hit = this.fire(this.bps.kernelFns.get(f.fn), t, 0);
      if (hit) return { reason: 'function breakpoint', pid: t.pid, ...hit };
    }
    if (this.bps.kernelPoints.size > 0) {
      const at = this.bps.kernelPoints.get(f.fn);
      const hit = at ? this.fire(at[f.pc], t, 0) : null;
      if (hit) return { reason: 'breakpoint', pid: t.pid, ...hit };
    }
    if (this.step !== null && this.stepDone(t, true)) return { reason: 'step', pid: t.pid };
    return null;
  }

  /** Data watches and event filters: what changed, or which event happened, since the last look. */
  private afterChange(): Pending | null {
    const k = this.k;
    for (const w of this.bps.watches) {
      const t = k.pid_hash.get(w.pid);
      const now: unknown = t ? (t as unknown as Record<string, unknown>)[w.field] : undefined;
      if (now !== w.last) {
        const before = w.last;
        w.last = now;
        if (!t) this.bps.watches = this.bps.watches.filter((x) => x !== w);
        return { reason: 'data breakpoint', pid: w.pid, breakpointIds: [w.id], message: `task ${w.pid}: ${w.field} changed from ${this.show(before)} to ${t ? this.show(now) : '(task released)'}` };
      }
    }
    if (this.bps.filters.size > 0) {
      for (; this.filterScan < k.events.length; this.filterScan++) {
        const ev = k.events[this.filterScan];
        if (this.bps.filters.has(ev.kind)) { this.filterScan++; return { reason: 'event', pid: this.eventPid(ev), event: ev }; }
      }
    }
    return null;
  }

  private eventPid(ev: KEvent): number | undefined {
    switch (ev.kind) {
      case 'signal': return ev.to;
      case 'panic': case 'deadlock': return this.lastPid;
      default: return 'pid' in ev ? ev.pid : undefined;
    }
  }

  private show(v: unknown): string {
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'object') {
      const o = v as { type?: unknown; pid?: unknown; addr?: unknown };
      if (o.type === 'task_struct') return `task ${String(o.pid)}`;
      if (typeof o.addr === 'number') return `0x${o.addr.toString(16)}`;
    }
    return typeof v === 'string' ? JSON.stringify(v) : String(v);
  }

  /** Conditions and hit counts of the breakpoints at a point; the ids that fire, or null. */
  private fire(list: Bp[] | undefined, t: task_struct, frame: number): { breakpointIds: number[]; message?: string } | null {
    if (list === undefined || list.length === 0) return null;
    let ids: number[] | null = null;
    let message: string | undefined;
    for (const b of list) {
      if (b.condition) {
        try {
          if (!truthyValue(this.inspector.evaluateIn(b.condition, t.pid, frame))) continue;
        } catch (err) {
          message = `breakpoint condition '${b.condition}' could not be evaluated: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
      b.hits++;
      const ok = hitConditionMet(b.hitCondition, b.hits);
      if (typeof ok === 'string') message = ok;
      else if (!ok) continue;
      (ids ??= []).push(b.id);
    }
    return ids ? { breakpointIds: ids, message } : null;
  }

  // ---- breakpoints ----------------------------------------------------------------------------

  setLineBreakpoints(file: string, bps: LineBreakpointRequest[]): BreakpointResult[] {
    const r = this.bps.setLines(file, bps);
    this.configureVm();
    return r;
  }

  setFunctionBreakpoints(bps: FunctionBreakpointRequest[]): BreakpointResult[] {
    const r = this.bps.setFunctions(bps);
    this.configureVm();
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

  kernelSources(): KernelSource[] {
    return kernelSourceList();
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

  sendSignal(pid: number, sig: number): number {
    const t = this.task(pid);
    if (!t || pid === 0 || t.exit_state) return -C.ESRCH;
    if (sig < 0 || sig > 64) return -C.EINVAL;
    if (sig !== 0) this.k.send_signal(sig, null, t, true);
    this.inspector.invalidate();
    return 0;
  }
}
