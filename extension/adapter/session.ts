// The DAP session: launches a scenario on the machine and translates between the two. Tasks are
// threads, kernel frames sit above user frames, and every stop stops all tasks. What a stopped
// session shows (stacks, variables, console) and the breakpoints live here; running is in core.ts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { KERNEL_FUNCTIONS_REQUEST, SEND_SIGNAL_REQUEST, SIGNALS_FROM_VIEWS, TASKS_EVENT, TIMELINE_REQUEST, type SendSignalArgs } from '../../sim-core/debug/protocol';
import { parseGotoCommand } from '../../sim-core/debug/goto';
import { formatVirtualTime, GOTO_REQUEST, type MomentBody } from '../../sim-core/debug/moment';
import type { FrameInfo, GotoTarget, Machine, Moment, Stop } from '../../sim-core/machine-types';
import { KprocSessionCore, UserError } from './core';
import type { TimelineArgs } from './timeline';
import { exceptionInfo } from './inspect';
import { threadName } from './rows';
import { gotoMissed, gotoTargetOf, GotoSyntaxError, machineGranularity, reachedText } from './travel';

export { UserError, type KprocSessionOptions } from './core';

/** A console line that ends the terminal's input (Ctrl-D on a real terminal). */
export const EOF_LINE = '^D';

/**
 * A goto target later than `now`: the run gets there by running on, which needs no history (an
 * event target says its direction; a step or a time lies where it lies; the start is back).
 */
function gotoForward(target: GotoTarget, now: Moment): boolean {
  switch (target.kind) {
    case 'event': return target.direction === 'forward';
    case 'step': return target.step >= now.step;
    case 'time': return target.time > now.time;
    default: return false;
  }
}

function targetText(t: GotoTarget): string {
  switch (t.kind) {
    case 'step': return `step ${t.step}`;
    case 'time': return `${formatVirtualTime(t.time)}`;
    case 'start': return 'the start';
    default: return `the ${t.event} of pid ${t.pid} before now`;
  }
}

function fail(message: string): never {
  throw new GotoSyntaxError(message);
}

export class KprocDebugSession extends KprocSessionCore {
  // ---- state ------------------------------------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const rows = this.machine && this.phase !== 'ended' ? this.rows() : [];
    response.body = { threads: rows.map((r) => new Thread(r.pid, threadName(r))) };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.guard(response, () => {
      this.inspect();
      const pid = this.threadOf(args.threadId);
      const all = this.machine?.stack(pid) ?? [];
      const start = Math.max(0, args.startFrame ?? 0);
      const levels = args.levels && args.levels > 0 ? args.levels : all.length;
      const frames = all.slice(start, start + levels).map((f) => {
        const sf: DebugProtocol.StackFrame = {
          id: f.id, name: f.name, source: this.sourceOf(f),
          line: this.convertDebuggerLineToClient(f.line), column: this.convertDebuggerColumnToClient(0),
        };
        return sf;
      });
      response.body = { stackFrames: frames, totalFrames: all.length };
      this.sendResponse(response);
    });
  }

  private readonly exists = new Map<string, boolean>();

  private fileExists(p: string): boolean {
    let e = this.exists.get(p);
    if (e === undefined) {
      e = path.isAbsolute(p) && fs.existsSync(p);
      this.exists.set(p, e);
    }
    return e;
  }

  private sourceOf(f: FrameInfo): DebugProtocol.Source {
    if (this.kfiles && f.kind === 'user' && f.file.startsWith('userland/')) {
      // A built-in program (/bin/sh...): its source is written beside the kernel's, read-only.
      return { ...this.kfiles.source(f.file, (p) => this.convertDebuggerPathToClient(p)), origin: 'built-in program (read-only)' };
    }
    if (f.kind === 'kernel' && this.kfiles) {
      return { ...this.kfiles.source(f.file, (p) => this.convertDebuggerPathToClient(p)), origin: 'simulated kernel (read-only)' };
    }
    if (this.machine && f.file !== this.machine.file && !this.fileExists(f.file)) {
      // A program image the scenario exec'd by name (no file behind it): shown, but not opened.
      return { name: f.file, presentationHint: 'deemphasize', origin: 'program image (no source file)' };
    }
    return { name: path.basename(f.file), path: this.convertDebuggerPathToClient(f.file) };
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.guard(response, () => {
      response.body = { scopes: this.inspect().scopes(args.frameId) };
      this.sendResponse(response);
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.guard(response, () => {
      response.body = { variables: this.inspect().variables(args) };
      this.sendResponse(response);
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const goto = args.context === 'repl' ? parseGotoCommand(args.expression) : undefined;
    if (goto) {
      // `lx-goto zombie 5`: the console's answer is the moment reached (or why there is none).
      this.guard(response, () => this.goto(response, 'error' in goto ? fail(goto.error) : goto.target, (stop, moment) => {
        const where = stop.reason === 'goto' && stop.message ? `${stop.message}: ` : '';
        response.body = { result: `${where}${reachedText(moment)}`, variablesReference: 0 };
      }));
      return;
    }
    if (args.context === 'repl' && this.phase === 'stopped' && this.lastStop?.reason === 'input' && this.machine) {
      // A task waits reading its terminal: the console line is what the user typed there.
      const m = this.machine;
      this.guard(response, () => {
        const cut = this.timeline.beforeChange(m);
        m.input(args.expression === EOF_LINE ? null : `${args.expression}\n`);
        cut();
        m.continue();
        response.body = { result: '', variablesReference: 0 };
        this.sendResponse(response);
        this.resume();
      });
      return;
    }
    this.guard(response, () => {
      response.body = this.inspect().evaluate(args);
      this.sendResponse(response);
    });
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    this.guard(response, () => {
      response.body = { targets: this.inspect().completions(args) };
      this.sendResponse(response);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.guard(response, () => {
      this.inspect();
      this.threadOf(args.threadId);
      const body = this.lastStop ? exceptionInfo(this.lastStop) : undefined;
      if (!body) throw new UserError(`Thread ${args.threadId} did not stop on a kernel event.`);
      response.body = body;
      this.sendResponse(response);
    });
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    this.guard(response, () => {
      const ref = args.source?.sourceReference ?? args.sourceReference;
      const text = this.kfiles?.text(ref, args.source?.path);
      if (text === undefined) throw new UserError(`No source for reference ${ref}: kernel sources are files under ${this.kfiles?.root ?? 'the adapter\'s cache folder'}.`);
      response.body = { content: text, mimeType: 'text/x-c' };
      this.sendResponse(response);
    });
  }

  // ---- going back -------------------------------------------------------------------------------

  private needHistory(m: Machine): void {
    if (!m.history().enabled) {
      throw new UserError('Going back needs the run\'s history, and this session keeps none: launch it with "history" above 0 (MiB; the default is 256).');
    }
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.guard(response, () => {
      const m = this.needStopped();
      const pid = this.threadOf(args.threadId);
      this.needHistory(m);
      m.stepBack(pid, machineGranularity(args.granularity));
      this.lastPid = pid;
      this.sendResponse(response);
      this.resume(true);
    });
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.guard(response, () => {
      const m = this.needStopped();
      this.needHistory(m);
      m.reverseContinue();
      this.sendResponse(response);
      this.resume(true);
    });
  }

  /**
   * Travels to `target` and answers `response` when the stop is known: `fill` sets its body, or it
   * fails with the machine's message when no such moment exists (nothing then changed).
   */
  private goto(response: DebugProtocol.Response, target: GotoTarget, fill: (stop: Stop, moment: MomentBody) => void): void {
    const m = this.needStopped();
    const before = m.moment();
    if (!m.history().enabled && !gotoForward(target, before)) {
      throw new UserError(`Cannot go to ${targetText(target)}: it is not later than now (step ${before.step}), and going back needs the run's history, `
        + 'which this session keeps none of: launch it with "history" above 0 (MiB; the default is 256).');
    }
    m.goto(target);
    this.travelThenAnswer(response, (stop, moment) => {
      if (gotoMissed(stop, before, moment)) return this.fail(response, stop.message ?? 'no such moment');
      fill(stop, moment);
      this.sendResponse(response);
    });
  }

  // ---- breakpoints --------------------------------------------------------------------------------

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, () => {
      this.need();
      response.body = { breakpoints: this.book.setLines(args, (l) => this.convertClientLineToDebugger(l), (l) => this.convertDebuggerLineToClient(l)) };
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.guard(response, () => {
      this.need();
      response.body = { breakpoints: this.book.setFunctions(args, (l) => this.convertDebuggerLineToClient(l)) };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.guard(response, () => {
      this.need();
      response.body = { breakpoints: this.book.setFilters(args) };
      this.sendResponse(response);
    });
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.guard(response, () => {
      response.body = this.inspect().dataBreakpointInfo(args);
      this.sendResponse(response);
    });
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.guard(response, () => {
      this.need();
      response.body = { breakpoints: this.book.setData(args) };
      this.inspector?.markWatched(this.book.watchedKeys());
      this.sendResponse(response);
    });
  }

  // ---- the views' custom requests ---------------------------------------------------------------

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.guard(response, () => {
      switch (command) {
        case TASKS_EVENT:
          this.need();
          response.body = { tasks: this.taskTable() };
          break;
        case TIMELINE_REQUEST: {
          // {deltas: true, since}: a versioned answer (the delta from `since` when it can); else the whole model.
          const a = (args ?? {}) as TimelineArgs;
          if (a.since !== undefined && !Number.isSafeInteger(a.since)) throw new UserError(`since must be a version number (got ${JSON.stringify(a.since)})`);
          response.body = a.deltas === true ? this.timeline.answer(this.need(), a.since) : this.timeline.model(this.need());
          break;
        }
        case KERNEL_FUNCTIONS_REQUEST:
          this.need();
          response.body = { functions: this.book.kernelFunctionList() };
          break;
        case GOTO_REQUEST:
          this.goto(response, gotoTargetOf((args ?? {}) as { target?: unknown; step?: unknown; time?: unknown }), (_stop, moment) => {
            response.body = { step: moment.step, time: moment.time };
          });
          return;
        case SEND_SIGNAL_REQUEST: {
          const m = this.needStopped();
          const a = args as SendSignalArgs;
          // An own property only: 'toString' or '__proto__' must not reach the machine as a signal.
          const sig = Object.prototype.hasOwnProperty.call(SIGNALS_FROM_VIEWS, a.signal) ? SIGNALS_FROM_VIEWS[a.signal] : undefined;
          if (typeof sig !== 'number') throw new UserError(`signal must be SIGKILL, SIGSTOP, SIGCONT or SIGTERM (got ${JSON.stringify(a.signal)})`);
          this.threadOf(a.pid);
          const cut = this.timeline.beforeChange(m);
          const rc = m.sendSignal(a.pid, sig);
          if (rc === 0) cut();
          if (rc < 0) throw new UserError(`kill(${a.pid}, ${a.signal}) failed with ${rc === -3 ? 'ESRCH' : rc === -1 ? 'EPERM' : rc}`);
          // The signal is queued now and acted on when the task next runs, as with kill(2).
          this.rowsCache = undefined;
          response.body = { pid: a.pid, signal: a.signal };
          this.sendResponse(response);
          this.sendTasks(true);
          return;
        }
        default:
          throw new UserError(`Unknown request '${command}'.`);
      }
      this.sendResponse(response);
    });
  }
}
