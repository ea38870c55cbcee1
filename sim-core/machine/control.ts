// Run control: the caller's intent (entry, continue, a step) and the checks the engine's run loop
// asks at each point (breakpoints, logpoints, step ends, data watches, event filters).
import * as C from '../kernel/consts';
import type { KFrame, KFunction } from '../kernel/frame';
import type { Kernel } from '../kernel/kernel';
import { NS_ZERO, type task_struct } from '../kernel/task';
import { enterFirstStatement, VmRegs, type Image, type Trap } from '../vm';
import type { Granularity, KEvent, StepAction, Stop } from '../machine-types';
import { hitConditionMet, type BreakpointTables, type Bp } from './breakpoints';
import type { StopChecks } from './engine-types';
import { SCHED_PATH_FUNCTIONS } from './sched-path';
import { userDepth } from './inspect';
import type { VmPort } from './vmport';

/** A step as asked: task, action, granularity, and the task's call depth when it was asked. */
export interface StepIntent {
  kind: 'step';
  pid: number;
  action: StepAction;
  granularity: Granularity;
  depth: number;
}

/** What run() is to do next; a stop ends it, and the default is to continue. */
export type Intent = { kind: 'entry' } | { kind: 'continue' } | StepIntent;

export const CONTINUE: Intent = { kind: 'continue' };

export type Pending = Omit<Stop, 'events'>;

/** What the checks need from the machine: conditions and logpoint messages in a task's context. */
export interface ControlHost {
  /** The condition's truth in task t's top frame; throws with a readable message. */
  test(expr: string, t: task_struct): boolean;
  /** A logpoint's message with `{expr}` replaced by values in task t's top frame. */
  message(template: string, t: task_struct): string;
}

/** True when task t is in a kernel frame (its next step is a kernel step). */
export function inKernel(t: task_struct): boolean {
  const n = t.stack.length;
  return n > 0 && (t.vm_base < 0 || n > t.vm_base);
}

/** A task's call depth: kernel frames, the scenario's frames, and the kernel frames below them. */
export function depthOf(t: task_struct): number {
  const kdepth = t.vm_base < 0 ? t.stack.length : Math.max(0, t.stack.length - t.vm_base);
  return kdepth + (t.vm_base >= 0 ? userDepth(t) : 0) + (t.vm_base > 0 ? t.vm_base : 0);
}

export class RunControl implements StopChecks {
  intent: Intent = CONTINUE;
  callsTo: Uint8Array | null = null;
  /** A breakpoint names or lies in a function of the tick or switch path (see sched-path.ts). */
  schedPath = false;
  /** The task whose switches away run as frames: one stepped into at kernel granularity in the kernel (-1: none). */
  switchPid = -1;
  /** The stop a check found (taken by the machine when the engine reports a stop). */
  private pending: Pending | null = null;
  /** Events before this index of k.events have been matched against the event filters. */
  private filterScan = 0;
  /** The step being carried out (null: none), read on every check. */
  private step: StepIntent | null = null;
  /** The task a stop on a panic or deadlock event names (the machine's last stopped task). */
  lastPid: number | undefined;
  /**
   * A dry run looks for where it would stop without changing anything: no hit counts, no
   * logpoints, no entering the function of a function breakpoint, and a step whose task does
   * not exist yet stays asked (going back searches the past this way).
   */
  dry = false;

  constructor(
    private readonly k: Kernel, private readonly port: VmPort, private readonly bps: BreakpointTables,
    private readonly image: Image, private readonly host: ControlHost,
  ) {}

  /** Sets the VM's traps for the intent and breakpoints; the checks for the engine, or null. */
  prepare(): StopChecks | null {
    const i = this.intent;
    this.step = i.kind === 'step' ? i : null;
    this.configureVm();
    if (this.step === null && !this.bps.any()) return null;
    // Function breakpoints alone need a look only where a step called a function.
    const b = this.bps;
    this.callsTo = this.step === null && b.kernelPoints.size === 0 && b.watches.length === 0 && b.filters.size === 0 ? b.kernelFnFlags : null;
    this.schedPath = namesSchedPath(b.kernelFns.keys()) || namesSchedPath(b.kernelPoints.keys());
    this.switchPid = this.step === null ? -1 : this.switchOf(this.step);
    return this;
  }

  /**
   * Step Into at kernel granularity in a kernel frame goes into the switch that follows when the
   * step puts the task to sleep (do_wait's schedule() reaching __schedule): that task's switches
   * away run as frames. In the kernel a task only leaves its CPU by sleeping, so its ticks and
   * other steps are not slowed down.
   */
  private switchOf(s: StepIntent): number {
    if (s.granularity !== 'kernel' || s.action !== 'in') return -1;
    const t = this.k.pid_hash.get(s.pid);
    return t && inKernel(t) ? s.pid : -1;
  }

  configureVm(): void {
    const stepping = this.intent.kind === 'step';
    this.port.stopAtStatements = stepping || this.bps.userLines.size > 0;
    // Line breakpoints alone: the VM stops only at statements on their lines.
    this.port.stopLines = stepping ? null : this.bps.userLineFlags;
    this.port.callTraps = this.bps.userFns.size > 0;
  }

  /** The stop the checks found; the intent ends with it. */
  take(): Pending {
    const p = this.pending ?? { reason: 'pause' };
    this.pending = null;
    this.intent = CONTINUE;
    this.step = null;
    return p;
  }

  /** k.events was handed out: the filters start again at its beginning. */
  eventsTaken(): void {
    this.filterScan = 0;
  }

  /** The events already in k.events are not looked at by the filters. */
  skipEvents(): void {
    this.filterScan = this.k.events.length;
  }

  /** A dry run's find: the stop a check found, leaving the intent as it is. */
  found(): Pending | null {
    const p = this.pending;
    this.pending = null;
    return p;
  }

  // ---- the checks ---------------------------------------------------------------------------

  /** The engine reached a statement or a scenario function's entry: stop before it runs? */
  user(t: task_struct, trap: Trap): boolean {
    if (trap.kind === 'call') {
      if (!this.hit('function breakpoint', this.bps.userFns.get(trap.fn), t)) return false;
      // Stopped as the function is entered: it shows its first statement, the line that runs next.
      if (!this.dry && t.thread.regs instanceof VmRegs) enterFirstStatement(t.thread.regs);
      return true;
    }
    if (trap.kind !== 'statement' || !(t.thread.regs instanceof VmRegs) || t.thread.regs.image !== this.image) return false;
    const bps = this.bps.userLines.get(trap.line);
    if (bps !== undefined && this.hit('breakpoint', bps, t)) return true;
    if (this.step !== null && this.stepDone(t, false)) { this.pending = { reason: 'step', pid: t.pid }; return true; }
    return false;
  }

  /** Is task t (which just ran on `cpu`) about to run a kernel step the debugger stops at? */
  kernel(t: task_struct, depthBefore: number): boolean {
    if (this.step !== null) this.dropFinishedStep();
    const n = t.stack.length;
    if (n === 0 || (t.vm_base >= 0 && n <= t.vm_base)) return false;
    const f = t.stack[n - 1] as KFrame<object>;
    // A function breakpoint is looked up only at the first step of a frame pushed just now.
    if (f.pc === 0 && n > depthBefore && this.bps.kernelFns.size > 0 && this.hit('function breakpoint', this.bps.kernelFns.get(f.fn), t)) return true;
    if (this.bps.kernelPoints.size > 0) {
      const at = this.bps.kernelPoints.get(f.fn);
      if (at !== undefined && this.hit('breakpoint', at[f.pc], t)) return true;
    }
    if (this.step !== null && this.stepDone(t, true)) { this.pending = { reason: 'step', pid: t.pid }; return true; }
    return false;
  }

  /** Data watches and event filters: what changed, or which event happened, since the last look. */
  changed(): boolean {
    const k = this.k;
    const b = this.bps;
    for (const w of b.watches) {
      const t = k.pid_hash.get(w.pid);
      const now: unknown = t ? (t as unknown as Record<string, unknown>)[w.field] : undefined;
      if (now !== w.last) {
        const before = w.last;
        w.last = now;
        if (!t && !this.dry) b.watches = b.watches.filter((x) => x !== w);
        this.pending = { reason: 'data breakpoint', pid: w.pid, breakpointIds: [w.id], message: `task ${w.pid}: ${w.field} changed from ${show(before)} to ${t ? show(now) : '(task released)'}` };
        return true;
      }
    }
    if (b.filters.size > 0) {
      for (; this.filterScan < k.events.length; this.filterScan++) {
        const ev = k.events[this.filterScan];
        if (b.filters.has(ev.kind)) {
          this.filterScan++;
          this.pending = { reason: 'event', pid: eventPid(ev) ?? (ev.kind === 'panic' || ev.kind === 'deadlock' ? this.lastPid : undefined), event: ev };
          return true;
        }
      }
    }
    return false;
  }

  private stepDone(t: task_struct, kernelPoint: boolean): boolean {
    const s = this.step;
    if (s === null || s.pid !== t.pid) return false;
    if (kernelPoint && s.granularity === 'statement') return false;
    const d = depthOf(t);
    return s.action === 'in' || (s.action === 'over' ? d <= s.depth : d < s.depth);
  }

  /** A step of a task that is exiting or gone has nothing left to stop at: the run goes on. */
  private dropFinishedStep(): void {
    const s = this.step;
    if (s === null || this.dry) return;
    const st = this.k.pid_hash.get(s.pid);
    if (!st || st.exit_state || st.flags & C.PF_EXITING) {
      this.step = null;
      this.intent = CONTINUE;
    }
  }

  /**
   * Conditions and hit counts of the breakpoints at a point. Logpoints that fire print their
   * message as a 'log' event and do not stop; the others that fire make the pending stop.
   */
  private hit(reason: 'breakpoint' | 'function breakpoint', list: Bp[] | undefined, t: task_struct): boolean {
    if (list === undefined || list.length === 0) return false;
    let ids: number[] | null = null;
    let message: string | undefined;
    for (const b of list) {
      // Looking back, a logpoint has nothing to find and hit counts are not replayed.
      if (this.dry && b.logMessage !== undefined) continue;
      if (b.condition) {
        try {
          if (!this.host.test(b.condition, t)) continue;
        } catch (err) {
          message = `breakpoint condition '${b.condition}' could not be evaluated: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
      if (this.dry) { (ids ??= []).push(b.id); continue; }
      b.hits++;
      const ok = hitConditionMet(b.hitCondition, b.hits);
      if (typeof ok === 'string') message = ok;
      else if (!ok) continue;
      if (b.logMessage !== undefined && typeof ok !== 'string') {
        this.k.emit({ time: NS_ZERO, step: 0, kind: 'log', pid: t.pid, id: b.id, text: `${this.host.message(b.logMessage, t)}\n` });
        continue;
      }
      (ids ??= []).push(b.id);
    }
    if (ids === null) return false;
    this.pending = { reason, pid: t.pid, breakpointIds: ids, message };
    return true;
  }
}

function eventPid(ev: KEvent): number | undefined {
  switch (ev.kind) {
    case 'signal': return ev.to;
    case 'panic': case 'deadlock': return undefined;
    default: return 'pid' in ev ? ev.pid : undefined;
  }
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'object') {
    const o = v as { type?: unknown; pid?: unknown; addr?: unknown };
    if (o.type === 'task_struct') return `task ${String(o.pid)}`;
    if (typeof o.addr === 'number') return `0x${o.addr.toString(16)}`;
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function namesSchedPath(fns: Iterable<KFunction<object>>): boolean {
  for (const f of fns) if (SCHED_PATH_FUNCTIONS.has(f)) return true;
  return false;
}
