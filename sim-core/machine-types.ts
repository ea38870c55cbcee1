// The machine's public contract: what the CLI, the debug adapter and the tests may ask of a booted
// scenario. Everything here is plain data or a synchronous, value-returning call.

import type { Diagnostic } from './lang/ast';
import type { CompletionItem, DataTarget, DebugScope, DebugVariable, EvalContext, EvalResult } from './debug/protocol';

export type { CompletionItem, DataTarget, DebugScope, DebugVariable, EvalContext, EvalResult } from './debug/protocol';

/** Scenario settings; these override the scenario's `#pragma kproc` lines. */
export interface MachineSettings {
  /** /proc/sys/kernel/pid_max (default 32768, at most 4194304). */
  pidMax?: number;
  /** Simulated CPUs, each with its own CFS run queue (default 1). */
  cpus?: number;
  /** RLIMIT_NPROC of the scenario's user (default 4096). */
  nproc?: number;
  /** The scenario user's uid (default 1000; 0 makes it root, which RLIMIT_NPROC does not bind). */
  uid?: number;
  /** Seed of the PRNG used wherever the kernel's choice is not fixed (default 1). */
  seed?: number;
}

/** The fair class: 'eevdf' (Linux 6.6 and later, the default) or 'cfs' (2.6.23 to 6.5). */
export type FairPolicySetting = 'eevdf' | 'cfs';

export interface BootOptions {
  /** Path of the scenario file, as frames and diagnostics report it. */
  file: string;
  source: string;
  settings?: MachineSettings;
  /** The fair class, over the scenario's `#pragma kproc sched` (default eevdf). */
  sched?: FairPolicySetting;
  /** Step budget for the whole run (default 1,000,000 kernel + user steps). */
  maxSteps?: number;
  /** The first run() reports an 'entry' stop before anything runs (unless an intent replaced it). */
  stopOnEntry?: boolean;
  /** How far a step goes when step() names no granularity (default 'statement'). */
  granularity?: Granularity;
  /**
   * Characters the run may write in all, stdout, stderr and printk (default 64 MiB): the write
   * that reaches it is cut there and the run ends with an 'output' stop.
   */
  maxOutput?: number;
  /**
   * Stop with reason 'fault' when a task's user code faults (SIGSEGV, SIGFPE, SIGILL), at the
   * faulting line, before the signal is delivered (the debugger's exception stop; default false).
   */
  stopOnFault?: boolean;
  /**
   * Record the scheduler's tracepoints, sched_switch and sched_wakeup, in the event log (as
   * enabling events/sched in tracefs does; default false: a busy run switches often).
   */
  traceSched?: boolean;
  /** Keep each task's scheduler statistics when it is released (for `kproc run --sched-stats`). */
  schedStats?: boolean;
  /**
   * What the scenario's terminal holds as input (its standard input); after it, a read returns
   * 0 (end of file) unless interactiveStdin.
   */
  stdin?: string;
  /**
   * The terminal is interactive: once its text is read, a reader sleeps in n_tty_read and, when
   * nothing else can run, run() returns a Stop with reason 'input'; input() gives it more.
   */
  interactiveStdin?: boolean;
  /**
   * Memory for the history of checkpoints that going back uses (default 256 MiB; 0: no
   * history). Old checkpoints are thinned to stay within it; older moments then cost more
   * re-execution, never become unreachable.
   */
  historyBytes?: number;
}

export interface BootResult {
  /** Absent when the scenario has errors. */
  machine?: Machine;
  diagnostics: Diagnostic[];
  /** The module_init function of a kernel-side scenario (one with no main). */
  moduleInit?: string;
}

export type Granularity = 'statement' | 'kernel';

export type StepAction = 'in' | 'over' | 'out';

export type StopReason =
  | 'entry'
  | 'breakpoint'
  | 'function breakpoint'
  | 'data breakpoint'
  | 'step'
  | 'event'
  | 'pause'
  /**
   * Not a stop: run()'s budget of steps is used and the intent is still pending; call run()
   * again to carry on. (The run's own step budget, maxSteps, ends it with 'budget'.)
   */
  | 'yield'
  | 'exited'
  | 'deadlock'
  | 'budget'
  | 'panic'
  /** The run's output reached its limit (BootOptions.maxOutput): the run is over. */
  | 'output'
  /**
   * With BootOptions.interactiveStdin: no task can run and one waits reading the terminal
   * (pid). Give it a line with input() (or end the input with input(null)) and run() again.
   */
  | 'input'
  /**
   * With BootOptions.stopOnFault: a task's user code faulted (the stop's pid, at the faulting
   * line; `signal` names it). The signal is pending: continuing delivers it.
   */
  | 'fault'
  /** A goto() intent arrived at its moment (or, with `message`, found no such moment). */
  | 'goto';

export interface Stop {
  reason: StopReason;
  /** The task the stop concerns (the stepping task, the one at the breakpoint). */
  pid?: number;
  breakpointIds?: number[];
  /** For reason 'event': the event that matched a filter. */
  event?: KEvent;
  /** For reason 'fault': the signal the fault raises (SIGSEGV, SIGFPE, SIGILL). */
  signal?: string;
  message?: string;
  /**
   * Every event since the previous stop, in order, that the run had not produced before: after
   * going back in time, events replayed up to the furthest moment already reached are left out.
   */
  events: KEvent[];
  /** Where the stop is: the machine's step count and virtual time. */
  moment?: Moment;
  /**
   * The run went back in time to reach this stop: every task, field, view and output now shows
   * that earlier moment; output after it is in the future (`frontier` is how far the run has been).
   */
  travelled?: 'back';
  /** The furthest moment the run has reached, when the stop is before it (after going back). */
  frontier?: Moment;
}

/** A moment of the run: the step count (k.steps) and the virtual clock (nanoseconds). */
export interface Moment {
  step: number;
  time: number;
}

/** Kernel events goto() can look for, each about task `pid`. */
export type GotoEvent = 'fork' | 'exec' | 'exit' | 'zombie' | 'reparent' | 'reap' | 'signal';

/**
 * Where goto() travels: a step number (back or forward as it lies), a virtual time, the start of
 * the run, or the nearest moment (before or after now) when an event about `pid` happened:
 * 'fork' (pid was created), 'exec', 'exit', 'zombie', 'reparent', 'reap', 'signal' (pid was sent
 * signal `sig`, any signal when absent: the moment it was generated, the 'signal' event, whether
 * or not it is ever delivered). The stop is right after the event.
 *
 * A time (nanoseconds of the virtual clock) is reached at the first tick boundary whose clock is
 * at or past it: the clock moves only between ticks (NS_PER_STEP per tick, or straight to the next
 * timer when every CPU was idle), so a time inside such a jump lands right after the jump, and a
 * time at or before the boot's clock is the start. Like a step, it lies back or forward: back is
 * a checkpoint restored and the run re-executed from it; forward runs on, stopping at nothing on
 * the way (no breakpoints). The end of the run (exit, deadlock, budget), when it comes first or
 * is that very tick, is the stop instead, as a run to it would report it.
 */
export type GotoTarget =
  | { kind: 'step'; step: number }
  | { kind: 'time'; time: number }
  | { kind: 'start' }
  | { kind: 'event'; event: GotoEvent; pid: number; sig?: number; direction: 'back' | 'forward' };

/** The history that makes going back possible, as it stands. */
export interface HistoryInfo {
  /** False when BootOptions.historyBytes is 0: stepBack, reverseContinue and goto back refuse. */
  enabled: boolean;
  /** Whole-machine checkpoints kept, and their estimated size in bytes. */
  checkpoints: number;
  bytes: number;
  budgetBytes: number;
  /** The furthest moment reached. */
  frontier: Moment;
  /**
   * How many kernel events the run had emitted (and stops handed out) up to now: after going back,
   * the number of those before this moment, where a change from outside (input, a signal from the
   * views) cuts the future already seen.
   */
  events?: number;
}

export type ForkVia = 'fork' | 'vfork' | 'clone' | 'clone3' | 'kthread';
export type ReparentWhy = 'subreaper' | 'init' | 'thread group';
export type SignalAction = 'handler' | 'terminate' | 'stop' | 'continue' | 'ignore' | 'core';

/** Kernel events; `time` is the virtual clock in nanoseconds, `step` the machine step count. */
export type KEvent = { time: number; step: number } & (
  | { kind: 'fork'; parent: number; child: number; flags: number; via: ForkVia }
  | { kind: 'fork-failed'; pid: number; errno: 'EAGAIN' | 'ENOMEM' | 'EINVAL' | 'EPERM' | 'ENOSPC'; limit: 'pid_max' | 'RLIMIT_NPROC' | 'flags' | 'memory' | 'pidns' }
  | { kind: 'exec'; pid: number; path: string; comm: string; oldPid?: number }
  /** `comm`: the task's name as it exits (the CLI names a task killed by a signal with it). */
  | { kind: 'exit'; pid: number; code: number; comm?: string }
  | { kind: 'zombie'; pid: number; parent: number }
  | { kind: 'reparent'; pid: number; from: number; to: number; why: ReparentWhy }
  | { kind: 'reap'; pid: number; by: number | null; status?: number }
  /**
   * A signal generated for task `to` (the signal_generate tracepoint, in send_signal_locked), sent
   * by task `from` (0: the kernel). `action` is what it will do as things stand ('ignore' when
   * it is dropped at once); it may never be delivered (blocked, or the task exits first).
   */
  | { kind: 'signal'; from: number; to: number; sig: number; name: string; action: SignalAction }
  /**
   * get_signal() in task `pid` dequeued `sig` (the signal_deliver tracepoint), or found its group
   * dying (SIGKILL); `action` is what it does now, `handler` the function a handler action runs.
   */
  | { kind: 'signal_deliver'; pid: number; sig: number; name: string; action: SignalAction; handler?: string }
  | { kind: 'stopped'; pid: number; sig: number }
  | { kind: 'continued'; pid: number }
  | { kind: 'wakeup'; pid: number; by: number }
  /** A task moved to another CPU (the sched_migrate_task tracepoint's fields). */
  | { kind: 'sched_migrate_task'; comm: string; pid: number; prio: number; orig_cpu: number; dest_cpu: number }
  /** A context switch (the sched_switch tracepoint; only with traceSched). */
  | { kind: 'sched_switch'; cpu: number; prev_comm: string; prev_pid: number; prev_prio: number; prev_state: string; next_comm: string; next_pid: number; next_prio: number }
  /** A task made runnable (the sched_wakeup tracepoint; only with traceSched). */
  | { kind: 'sched_wakeup'; comm: string; pid: number; prio: number; target_cpu: number }
  | { kind: 'echild'; pid: number }
  | { kind: 'printk'; pid: number; text: string }
  | { kind: 'output'; pid: number; fd: number; text: string }
  | { kind: 'panic'; message: string }
  | { kind: 'deadlock'; sleeping: number[] }
  /** A logpoint's message (the debugger's, not the kernel's): printed, and the run goes on. */
  | { kind: 'log'; pid: number; id: number; text: string }
);

export type KEventKind = KEvent['kind'];

/** Exception-filter ids the adapter offers. */
export type EventFilterId = 'zombie' | 'reparent' | 'fork-failed' | 'echild' | 'signal' | 'signal-sent' | 'stopped' | 'panic';

export interface LineBreakpointRequest {
  /** 0-based. */
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface FunctionBreakpointRequest {
  name: string;
  condition?: string;
  hitCondition?: string;
}

export interface BreakpointResult {
  id: number;
  verified: boolean;
  /** 0-based, after moving to the next step point. */
  line?: number;
  message?: string;
}

export interface DataWatch {
  pid: number;
  /** A task_struct field: '__state', 'exit_state', 'real_parent', 'flags', 'exit_code', ... */
  field: string;
}

export interface TaskRow {
  pid: number;
  tgid: number;
  /** real_parent's pid (0 for init and kthreadd). */
  ppid: number;
  comm: string;
  /** As `ps` prints it: R S D T t Z X I. */
  state: string;
  /** Kernel name: TASK_RUNNING, TASK_INTERRUPTIBLE, EXIT_ZOMBIE, TASK_NEW... */
  stateName: string;
  flags: number;
  kthread: boolean;
  threadGroupLeader: number;
  exitCode: number;
  exitSignal: number;
  zombieSinceStep?: number;
  cpu: number;
  vruntime: number;
  onRunqueue: boolean;
  nice: number;
  /** True for the task running on its CPU right now. */
  running: boolean;
  /** The user address of the futex word the task sleeps on in futex_wait (a mutex, a join...). */
  futex?: number;
  /** The function a task sleeping on a file waits in (pipe_read, pipe_write, n_tty_read, do_sys_poll, do_select), as ps's WCHAN. */
  wchan?: string;
  /** Its pid inside its own pid namespace, when that is not the initial one (pid stays global). */
  nsPid?: number;
  /** Under EEVDF, while queued: the virtual deadline (the tree's key) and whether it is eligible. */
  deadline?: number;
  eligible?: boolean;
  /** The scheduling policy as <sched.h> names it (SCHED_OTHER, SCHED_FIFO, SCHED_RR...). */
  policy: string;
  /** 1..99 under SCHED_FIFO and SCHED_RR, else 0. */
  rtPriority: number;
  /** The effective priority: 0..99 real time (99 - rtPriority), 100..139 fair (120 + nice). */
  prio: number;
  /** The CPUs it may run on (cpus_mask within the machine's), as a list: "0-1", "1". */
  cpusAllowed: string;
}

export interface FrameInfo {
  /** Names the frame in scopes() and evaluate() until the machine runs again. */
  id: number;
  name: string;
  kind: 'kernel' | 'user';
  /** The scenario file, or a displayed kernel source path such as 'kernel/fork.c'. */
  file: string;
  /** 0-based. */
  line: number;
  locals: Array<{ name: string; value: string }>;
}

export interface KernelSource {
  path: string;
  text: string;
}

export interface DmesgLine {
  /** Seconds since boot, as dmesg prints `[    0.000123]`. */
  time: number;
  level: number;
  text: string;
}

export interface RunQueueInfo {
  cpu: number;
  /** pid of rq->curr (0 for the idle task). */
  curr: number;
  min_vruntime: number;
  nr_running: number;
  /** Runnable pids, leftmost (smallest vruntime) first. */
  queued: number[];
}

export interface KernelGlobals {
  nr_threads: number;
  total_forks: number;
  pid_max: number;
  last_pid: number;
  nr_cpus: number;
  runqueues: RunQueueInfo[];
  /** Virtual clock in nanoseconds. */
  clock: number;
  steps: number;
}

/** How the run ended: once run() has returned a final stop, nothing runs again. */
export interface ExitStatus {
  /** True after the final stop: 'exited', 'deadlock', 'budget', 'panic' or 'output'. */
  finished: boolean;
  /** Why it ended (set when finished). */
  reason?: StopReason;
  message?: string;
  /**
   * For 'exited' only: the scenario's main task's status as a shell's $? shows it, the exit
   * status (WEXITSTATUS) of a normal exit or 128 + the signal number of a fatal signal.
   */
  exitCode?: number;
}

/** Where a kernel function is defined in the displayed sources (line 0-based). */
export interface KernelFunctionLocation {
  name: string;
  file: string;
  line: number;
}

export interface Machine {
  readonly file: string;
  /**
   * Intent: step task `pid` in, over or out. Without a granularity the machine takes the boot
   * option's, and 'kernel' whenever the task is in a kernel frame. Throws for a pid no task has.
   */
  step(pid: number, action: StepAction, granularity?: Granularity): void;
  /** Intent: run until a breakpoint, a watched change, a filtered event or the end. */
  continue(): void;
  /** The next run() stops with reason 'pause' before it runs anything. */
  pause(): void;
  /**
   * Intent: go back to the moment task `pid` last stood at a step boundary before now (a
   * statement at the same or a shallower call depth; with granularity 'kernel', a kernel step
   * too). Stepping back out of a kernel call lands on the user line that made it; a task that
   * did not exist then lands in its parent before the fork. The stop's reason is 'step', or
   * 'entry' at the start of the run. Throws when history is off or for an unknown pid.
   */
  stepBack(pid: number, granularity?: Granularity): void;
  /**
   * Intent: go back to the last moment before now where a breakpoint, function breakpoint, data
   * breakpoint or event filter would have stopped (conditions are evaluated there; hit counts
   * and logpoints are not replayed), or to the start ('entry'). Throws when history is off.
   */
  reverseContinue(): void;
  /** Intent: travel to a moment (see GotoTarget); the stop's reason is 'goto'. */
  goto(target: GotoTarget): void;
  /** The moment the machine stands at. */
  moment(): Moment;
  history(): HistoryInfo;
  /**
   * Types text at the scenario's terminal (null: Ctrl-D, the end of input) and wakes a task
   * waiting to read it.
   */
  input(text: string | null): void;
  /**
   * Carries out the pending intent (continue when none is) for at most `budget` steps (default:
   * no limit but the run's own). Returns the stop, or reason 'yield' with the intent still
   * pending. A stop ends the intent; the final stops ('exited', 'deadlock', 'budget', 'panic', 'output')
   * are returned again, with no events, by every later call.
   */
  run(budget?: number): Stop;

  setLineBreakpoints(file: string, bps: LineBreakpointRequest[]): BreakpointResult[];
  setFunctionBreakpoints(bps: FunctionBreakpointRequest[]): BreakpointResult[];
  setEventFilters(ids: EventFilterId[]): void;
  setDataWatches(watches: DataWatch[]): BreakpointResult[];

  tasks(): TaskRow[];
  /** The task's frames, innermost first, each with an id valid until the machine runs again. */
  stack(pid: number): FrameInfo[];

  // Inspection: plain values, handles valid until the machine runs again (run(), sendSignal()).
  /** Locals of the frame, the frame task's task_struct, the kernel's globals. Throws for a stale id. */
  scopes(frameId: number): DebugScope[];
  /**
   * The children of a handle from scopes(), variables() or evaluate(); a list is paged with
   * `start` and `count` (count 0: to the end; a list longer than 100 gives its first 100).
   * `filter` keeps only the list's elements ('indexed') or only named fields ('named').
   * Throws for a stale handle.
   */
  variables(ref: number, start?: number, count?: number, filter?: 'indexed' | 'named'): DebugVariable[];
  /**
   * Evaluates a C expression in a frame (default: the top frame of the task of the last stop).
   * In the 'repl' context the console's commands are understood too (lx-ps, lx-pstree, bt, ...).
   * Never throws: a malformed expression gives a result with `error` set.
   */
  evaluate(expr: string, frameId?: number, context?: EvalContext): EvalResult;
  /** Console completions for `text` with the cursor at 0-based `column`. */
  completions(text: string, column: number, frameId?: number): CompletionItem[];
  /** What a data breakpoint on `name` (a field under handle `ref`, or `task->field`) would watch. */
  dataTarget(name: string, ref?: number, frameId?: number): DataTarget;
  kernelSources(): KernelSource[];
  kernelFunctions(): string[];
  /** kernelFunctions() with the file and line of each definition, sorted by name. */
  kernelFunctionLocations(): KernelFunctionLocation[];
  globals(): KernelGlobals;
  dmesg(): DmesgLine[];
  output(): string;
  /** Not finished while the scenario can still run; after the final stop, run() returns it again. */
  exitStatus(): ExitStatus;
  /** Sends a signal from outside (the views' "Send SIGKILL"), as kill(2) from pid 0 would. */
  sendSignal(pid: number, sig: number): number;
}

/** sim-core/machine.ts exports `boot` with this signature. */
export type BootFunction = (opts: BootOptions) => BootResult;
