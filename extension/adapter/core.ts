// The DAP session's core: request checking, launch and restart, and running the machine in slices
// (tasks are threads; every stop stops all of them; the response always precedes the stop event).

import { ContinuedEvent, Event, ExitedEvent, InitializedEvent, OutputEvent, TerminatedEvent, ThreadEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { dmesgStamp } from '../../sim-core/debug/decode';
import { EVENT_FILTERS } from '../../sim-core/debug/events';
import type { BootFunction, KEvent, Machine, StepAction, Stop, TaskRow } from '../../sim-core/machine-types';
import { boot as machineBoot } from '../../sim-core/machine';
import { BreakpointBook } from './breakpoints';
import { KernelFiles } from './kernelFiles';
import { formatDiagnostics, LaunchError, planLaunch, type KprocLaunchArgs, type LaunchPlan } from './launch';
import { Inspector } from './inspect';
import { sameRows, viewRow } from './rows';
import { TASKS_EVENT, type ViewTaskRow } from '../../sim-core/debug/protocol';
import { checkArguments, unsupportedRequest } from './validate';
import { stoppedEvent } from './stops';
import { GuardedSession } from './guarded';
import { MOMENT_EVENT, type MomentBody } from '../../sim-core/debug/moment';
import { AnswerSlot, machineGranularity, momentBody, wentBackText } from './travel';
import { TimelineLog } from './timeline';

/**
 * A slice of the machine's run lasts about this long (its step count adapts), so a pause or
 * disconnect request waits at most a few milliseconds; kernel steps are far cheaper than the
 * user-code steps that run a thousand instructions each, so no fixed count suits both.
 */
const SLICE_MS = 2;
const SLICE_MIN = 256;
const SLICE_MAX = 1 << 20;

export interface KprocSessionOptions {
  boot?: BootFunction;
  readFile?: (p: string) => string;
}

type Phase = 'new' | 'initialized' | 'launched' | 'running' | 'stopped' | 'ended';

export class UserError extends Error {}

export abstract class KprocSessionCore extends GuardedSession {
  protected readonly bootFn: BootFunction;
  protected readonly readFile?: (p: string) => string;
  protected phase: Phase = 'new';
  protected machine?: Machine;
  protected plan?: LaunchPlan;
  protected launchArgs?: KprocLaunchArgs;
  protected kfiles?: KernelFiles;
  protected configured = false;
  /** Bumped when a run is abandoned (terminate, restart), so a pending slice does not resume it. */
  protected generation = 0;
  protected threads = new Set<number>();
  protected rowsCache?: TaskRow[];
  /** The task table the client has (the last 'kproc/tasks' event). */
  protected sentTasks?: ViewTaskRow[];
  protected lastStop?: Stop;
  protected lastPid?: number;
  protected stopCount = 0;
  readonly book = new BreakpointBook();
  protected inspector?: Inspector;
  /** Steps in the next slice, adapted to SLICE_MS. */
  protected sliceSteps = 4096;
  /** The travel request waiting for its stop. */
  private readonly pendingAnswer = new AnswerSlot();
  /** Every kernel event of the run so far, for the 'kproc/timeline' request. */
  protected readonly timeline = new TimelineLog();

  constructor(opts: KprocSessionOptions = {}) {
    super();
    this.bootFn = opts.boot ?? machineBoot;
    this.readFile = opts.readFile;
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
  }

  // ---- dispatch: every request is checked, and no exception escapes as a stack trace ----------

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    this.batched(() => this.dispatchChecked(request));
  }

  private dispatchChecked(request: DebugProtocol.Request): void {
    const response: DebugProtocol.Response = {
      seq: 0, type: 'response', request_seq: typeof request.seq === 'number' ? request.seq : 0,
      command: typeof request.command === 'string' ? request.command : String(request.command), success: true,
    };
    if (typeof request.command !== 'string') return this.fail(response, 'A request needs a "command" string.');
    const problem = checkArguments(request.command, request.arguments);
    if (problem) return this.fail(response, problem);
    const unsupported = unsupportedRequest(request.command);
    if (unsupported) return this.fail(response, `'${request.command}' is not supported: ${unsupported}.`);
    if (request.command === 'initialize' && this.phase !== 'new') return this.fail(response, 'The session is already initialized.');
    if (request.command !== 'initialize' && this.phase === 'new' && request.command !== 'disconnect') {
      return this.fail(response, `'${request.command}' before 'initialize': send initialize first.`);
    }
    if (this.plan?.trace) this.sendEvent(new OutputEvent(`--> ${request.command} ${JSON.stringify(request.arguments ?? {})}\n`, 'console'));
    try {
      if (request.command === 'initialize') {
        const args = (request.arguments ?? {}) as DebugProtocol.InitializeRequestArguments;
        this.baseDispatch({ ...request, arguments: { ...args, pathFormat: args.pathFormat ?? 'path' } });
      } else {
        this.baseDispatch(request);
      }
    } catch (e) {
      this.fail(response, e instanceof Error ? e.message : String(e));
    }
  }

  override sendResponse(response: DebugProtocol.Response): void {
    super.sendResponse(response);
    if (this.plan?.trace) this.sendEvent(new OutputEvent(`<-- ${response.command} ${response.success ? 'ok' : `failed: ${response.message ?? ''}`}\n`, 'console'));
  }

  protected need(): Machine {
    if (!this.machine || this.phase === 'initialized') throw new UserError('No scenario is running: send launch first.');
    if (this.phase === 'ended') throw new UserError('The scenario has ended.');
    return this.machine;
  }

  protected needStopped(): Machine {
    const m = this.need();
    if (this.phase === 'running') throw new UserError('The scenario is running: pause it first.');
    return m;
  }

  protected inspect(): Inspector {
    this.needStopped();
    if (!this.inspector) throw new UserError('No scenario is running: send launch first.');
    return this.inspector;
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.', '>', '$', '-'],
      supportsExceptionInfoRequest: true,
      exceptionBreakpointFilters: EVENT_FILTERS.map((f) => ({ filter: f.id, label: f.label, description: f.description, default: false })),
      supportsDataBreakpoints: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsSteppingGranularity: true,
      supportsStepBack: true,
      supportsDelayedStackTraceLoading: true,
      supportsSetVariable: false,
    };
    // Nothing in UNSUPPORTED is claimed: DAP reads a missing capability as false.
    this.phase = 'initialized';
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): void {
    if (this.phase !== 'initialized') return this.fail(response, 'The scenario is already launched; use restart to run it again.');
    const launch = args as unknown as KprocLaunchArgs;
    this.guard(response, () => {
      this.boot(launch);
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    });
  }

  /** Boots the machine; throws with diagnostics (file:line:col) when the scenario has errors. */
  protected boot(launch: KprocLaunchArgs): void {
    let plan: LaunchPlan;
    try {
      plan = planLaunch(launch, this.readFile);
    } catch (e) {
      throw new UserError(e instanceof LaunchError || e instanceof Error ? e.message : String(e));
    }
    // A fault in the scenario stops the debugger on its line (not when running without debugging).
    // The scheduler's tracepoints give the timeline its running/runnable/sleeping spans and CPU
    // rows; they cost little (the lifecycle benchmark runs within its noise with them on).
    const result = this.bootFn({ ...plan.boot, stopOnFault: !plan.noDebug, traceSched: true });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (!result.machine || errors.length) {
      const lines = formatDiagnostics(plan.boot.file, plan.boot.source, errors.length ? errors : result.diagnostics);
      for (const l of lines) this.sendEvent(new OutputEvent(`${l}\n`, 'stderr'));
      throw new UserError(`The scenario has errors:\n${lines.join('\n') || 'it could not be loaded'}`);
    }
    const warnings = formatDiagnostics(plan.boot.file, plan.boot.source, result.diagnostics.filter((d) => d.severity !== 'error'));
    for (const l of warnings) this.sendEvent(new OutputEvent(`${l}\n`, 'console'));
    this.machine = result.machine;
    this.plan = plan;
    this.launchArgs = launch;
    if (!this.kfiles) {
      this.kfiles = new KernelFiles(result.machine.kernelSources());
      for (const p of this.kfiles.problems) this.sendEvent(new OutputEvent(`${p}\n`, 'stderr'));
    }
    this.inspector = new Inspector(result.machine);
    this.timeline.reset(result.machine);
    this.book.attach(result.machine, this.kfiles, plan.noDebug);
    this.rowsCache = undefined;
    this.sentTasks = undefined;
    this.lastStop = undefined;
    this.lastPid = undefined;
    this.phase = 'launched';
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    if (this.phase !== 'launched') return this.fail(response, this.phase === 'initialized' ? 'configurationDone before launch.' : 'The session is already configured.');
    this.configured = true;
    this.sendResponse(response);
    this.begin();
  }

  /** After configuration (or a restart): run; a machine booted to stop on entry reports that stop first. */
  protected begin(): void {
    if (!this.machine || !this.plan) return;
    this.syncThreads();
    this.resume();
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    if (!this.launchArgs || !this.configured) return this.fail(response, 'Nothing to restart: launch a scenario first.');
    const next = (args?.arguments as unknown as KprocLaunchArgs | undefined) ?? this.launchArgs;
    this.guard(response, () => {
      this.generation++;
      this.pendingAnswer.abandon((r, why) => this.fail(r, why), 'the scenario restarted');
      for (const pid of [...this.threads]) this.threadExited(pid);
      this.boot(next);
      this.book.reapply((l) => this.convertClientLineToDebugger(l), (l) => this.convertDebuggerLineToClient(l));
      this.sendResponse(response);
      this.begin();
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.generation++;
    this.sendResponse(response);
    this.end();
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments, request?: DebugProtocol.Request): void {
    this.generation++;
    this.phase = 'ended';
    super.disconnectRequest(response, args, request);
  }

  protected end(): void {
    this.pendingAnswer.abandon((r, why) => this.fail(r, why), 'the session ended');
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    this.sendEvent(new TerminatedEvent());
  }

  // ---- running ----------------------------------------------------------------------------------

  /**
   * Carries out the machine's pending intent in slices, until it stops. A travel intent runs even
   * after a final stop (going back from a deadlock or a panic is how one finds its cause).
   */
  protected resume(travel = false): void {
    // After a deadlock, budget or panic stop the machine has ended: resuming ends the session.
    const status = this.machine?.exitStatus();
    if (status?.finished && !travel) {
      this.sendEvent(new ExitedEvent(status.exitCode ?? 1));
      this.end();
      return;
    }
    this.phase = 'running';
    this.rowsCache = undefined;
    this.slice(this.generation);
  }

  /**
   * One slice of the machine's run. A slice that ends with the intent still pending ('yield')
   * yields to the event loop, so a pause or disconnect request is read before the next one.
   */
  protected slice(gen: number): void {
    const m = this.machine;
    if (!m || gen !== this.generation || this.phase !== 'running') return;
    this.batched(() => {
      let stop: Stop;
      const t0 = performance.now();
      try {
        stop = m.run(this.sliceSteps);
      } catch (e) {
        // The machine names the task that ran (MachineError.pid) and has ended: a continue ends the session.
        const pid = typeof (e as { pid?: unknown }).pid === 'number' ? (e as { pid: number }).pid : undefined;
        const what = e instanceof Error ? e.message : String(e);
        const who = pid !== undefined ? ` while pid ${pid} ran` : '';
        this.sendEvent(new OutputEvent(`internal error in the simulator${who}: ${what} (please report it)\n`, 'stderr'));
        stop = { reason: 'panic', message: `internal error in the simulator${who}: ${what}`, pid, events: [] };
      }
      this.emitEvents(stop.events);
      this.timeline.record(stop.events);
      if (stop.reason === 'yield') {
        this.adaptSlice(performance.now() - t0);
        setImmediate(() => this.slice(gen));
        return;
      }
      this.onStop(stop);
    });
  }

  /** Doubles or halves the slice's step count towards SLICE_MS (the run's result does not depend on it). */
  private adaptSlice(ms: number): void {
    if (ms < SLICE_MS / 2 && this.sliceSteps < SLICE_MAX) this.sliceSteps *= 2;
    else if (ms > SLICE_MS * 2 && this.sliceSteps > SLICE_MIN) this.sliceSteps = Math.max(SLICE_MIN, this.sliceSteps >> 1);
  }

  /** Program output, the kernel log, and thread events in the order the kernel did things. */
  protected emitEvents(events: readonly KEvent[]): void {
    for (const e of events) {
      switch (e.kind) {
        case 'output': this.sendEvent(new OutputEvent(e.text, e.fd === 2 ? 'stderr' : 'stdout')); break;
        case 'printk': this.sendEvent(new OutputEvent(`${dmesgStamp(e.time / 1e9)} ${e.text}\n`, 'console')); break;
        case 'log': this.sendEvent(new OutputEvent(e.text, 'console')); break;
        case 'fork': this.threadStarted(e.child); break;
        case 'reap': this.threadExited(e.pid); break;
        case 'exec': if (e.oldPid !== undefined && e.oldPid !== e.pid) this.threadExited(e.oldPid); break;
        default: break;
      }
    }
  }

  protected threadStarted(pid: number): void {
    if (this.threads.has(pid)) return;
    this.threads.add(pid);
    this.sendEvent(new ThreadEvent('started', pid));
  }

  protected threadExited(pid: number): void {
    if (!this.threads.delete(pid)) return;
    this.sendEvent(new ThreadEvent('exited', pid));
  }

  protected rows(): TaskRow[] {
    if (!this.rowsCache) this.rowsCache = this.machine ? this.machine.tasks() : [];
    return this.rowsCache;
  }

  /** Thread events for tasks created and reaped since the last look. */
  protected syncThreads(): void {
    this.rowsCache = undefined;
    const rows = this.rows();
    // The events keep the threads in step as a rule: build a set only when they did not.
    for (const r of rows) this.threadStarted(r.pid);
    if (this.threads.size === rows.length) return;
    const now = new Set(rows.map((r) => r.pid));
    for (const pid of [...this.threads]) if (!now.has(pid)) this.threadExited(pid);
  }

  protected onStop(stop: Stop): void {
    const m = this.machine;
    if (!m) return;
    this.stopCount++;
    this.lastStop = stop;
    this.syncThreads();
    const moment = momentBody(stop, m.moment());
    this.pendingAnswer.settle(stop, moment);
    const pid = stop.pid !== undefined && this.threads.has(stop.pid) ? stop.pid : (this.lastPid !== undefined && this.threads.has(this.lastPid) ? this.lastPid : this.rows()[0]?.pid);
    if (stop.reason === 'exited' || (this.plan?.noDebug && stop.reason !== 'pause')) {
      const status = m.exitStatus();
      if (stop.reason !== 'exited') this.sendEvent(new OutputEvent(`${stop.message ?? status.message ?? stop.reason}\n`, 'stderr'));
      this.sendTasks();
      this.sendEvent(new ExitedEvent(status.exitCode ?? 1));
      this.end();
      return;
    }
    this.phase = 'stopped';
    this.lastPid = pid;
    this.reportBreakpointProblem(stop);
    if (stop.reason === 'input') {
      this.sendEvent(new OutputEvent(`pid ${stop.pid ?? pid} is reading its terminal: type a line in the debug console (^D alone ends the input)\n`, 'console'));
    }
    // Output printed after this moment stays in the Debug Console; say that it is now the future.
    if (moment.travelled === 'back') this.sendEvent(new OutputEvent(wentBackText(moment), 'console'));
    this.sendTasks();
    this.sendEvent(new Event(MOMENT_EVENT, moment));
    this.sendEvent(stoppedEvent(stop, pid));
  }

  /**
   * Starts a travel asked for by a request that VS Code does not know runs the scenario (a custom
   * request, a console command): it hears that the scenario continued, and the request is
   * answered by `answer` when the stop arrives, before the stopped event.
   */
  protected travelThenAnswer(response: DebugProtocol.Response, answer: (stop: Stop, moment: MomentBody) => void): void {
    this.pendingAnswer.wait(response, answer);
    this.sendEvent(new ContinuedEvent(this.lastPid ?? 0, true));
    this.resume(true);
  }

  /** Conditions that failed to evaluate, already reported. */
  private readonly reportedProblems = new Set<string>();

  /** A breakpoint condition that could not be evaluated at a hit: said once, not at every hit. */
  private reportBreakpointProblem(stop: Stop): void {
    if ((stop.reason !== 'breakpoint' && stop.reason !== 'function breakpoint') || !stop.message) return;
    if (this.reportedProblems.has(stop.message)) return;
    this.reportedProblems.add(stop.message);
    this.sendEvent(new OutputEvent(`${stop.message} (the breakpoint stops; this is reported once)\n`, 'stderr'));
  }

  /**
   * The task table for the views. At a stop it is sent only when it differs from the one sent last
   * (the client keeps the last table); `always` sends it anyway (after an action from the views).
   */
  protected sendTasks(always = false): void {
    const table = this.taskTable();
    if (!always && this.sentTasks && sameRows(this.sentTasks, table)) return;
    this.sentTasks = table;
    this.sendEvent(new Event(TASKS_EVENT, { tasks: table }));
  }

  protected taskTable(): ViewTaskRow[] {
    const rows = this.rows();
    // The step count is asked for only when a zombie's wait is to be shown.
    const steps = this.machine && rows.some((r) => r.zombieSinceStep !== undefined) ? this.machine.globals().steps : 0;
    return rows.map((r) => viewRow(r, steps));
  }

  protected threadOf(id: number): number {
    if (!this.rows().some((r) => r.pid === id)) throw new UserError(`Thread ${id} does not exist: no task has pid ${id} (it may have been reaped).`);
    return id;
  }

  /** States the step intent (the machine picks the granularity unless DAP asks for instructions). */
  protected step(response: DebugProtocol.Response, threadId: number, action: StepAction, granularity?: string): void {
    this.guard(response, () => {
      const m = this.needStopped();
      const pid = this.threadOf(threadId);
      m.step(pid, action, machineGranularity(granularity));
      this.lastPid = pid;
      this.sendResponse(response);
      this.resume();
    });
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.guard(response, () => {
      this.needStopped().continue();
      response.body = { allThreadsContinued: true };
      this.sendResponse(response);
      this.resume();
    });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.step(response, args.threadId, 'over', args.granularity);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.step(response, args.threadId, 'in', args.granularity);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.step(response, args.threadId, 'out', args.granularity);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.guard(response, () => {
      const m = this.need();
      if (this.phase === 'running') m.pause();
      this.sendResponse(response);
    });
  }

}
