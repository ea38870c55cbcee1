// A scripted stand-in for the kproc debug adapter that speaks the client's contract (threads as
// tasks, kernel frames, `current`, the 'kproc/tasks' event and requests). It lets the client's
// tests run before, or independently of, the real adapter: KPROC_MOCK_ADAPTER=1 npm run test:vscode.
import * as fs from 'node:fs';
import {
  DebugSession, Event, InitializedEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TaskRow } from '../../../extension/client/taskModel';

interface Stop {
  reason: string;
  /** Function breakpoint name or 'line' for the fork() line breakpoint. */
  trigger: string;
  tid: number;
  frames: Array<{ name: string; kernel: boolean; line: number }>;
  tasks: TaskRow[];
  /** Where the stop is in the run (the kproc/moment event), and the script index after it. */
  step?: number;
  next?: number;
}

const row = (pid: number, ppid: number, comm: string, state: string, stateName: string, extra: Partial<TaskRow> = {}): TaskRow => ({
  pid, tgid: pid, ppid, comm, state, stateName, kthread: false, threadGroupLeader: true, onRunqueue: state === 'R',
  nice: 0, cpu: 0, vruntime: pid * 1000, ...extra,
});
const kthreadd = row(2, 0, 'kthreadd', 'S', 'TASK_INTERRUPTIBLE', { kthread: true });

function script(forkLine: number, waitLine: number): Stop[] {
  return [
    { reason: 'breakpoint', trigger: 'line', tid: 1, frames: [{ name: 'main', kernel: false, line: forkLine }],
      tasks: [row(1, 0, 'fork-wait', 'R', 'TASK_RUNNING'), kthreadd] },
    { reason: 'function breakpoint', trigger: 'copy_process', tid: 1, frames: [
      { name: 'copy_process', kernel: true, line: 20 }, { name: 'kernel_clone', kernel: true, line: 5 },
      { name: '__do_sys_clone', kernel: true, line: 2 }, { name: 'main', kernel: false, line: forkLine }],
    tasks: [row(1, 0, 'fork-wait', 'R', 'TASK_RUNNING'), kthreadd] },
    { reason: 'function breakpoint', trigger: 'wait_task_zombie', tid: 1, frames: [
      { name: 'wait_task_zombie', kernel: true, line: 40 }, { name: 'do_wait', kernel: true, line: 30 },
      { name: 'kernel_wait4', kernel: true, line: 25 }, { name: 'main', kernel: false, line: waitLine }],
    tasks: [row(1, 0, 'fork-wait', 'R', 'TASK_RUNNING'), kthreadd,
      row(3, 1, 'fork-wait', 'Z', 'EXIT_ZOMBIE', { onRunqueue: false, exitCode: 7 << 8, exitSignal: 17, zombieSinceStep: 50, zombieSteps: 4 })] },
  ];
}

const FUNCTIONS = ['kernel_clone', 'copy_process', 'do_exit', 'wait_task_zombie', 'release_task']
  .map((name, i) => ({ name, file: 'kernel/fork.c', line: 10 * (i + 1) }));

const KERNEL_SOURCE = Array.from({ length: 60 }, (_, i) => `/* kernel/fork.c, line ${i + 1} */`).join('\n');

export class MockKprocSession extends DebugSession {
  private stops: Stop[] = [];
  private next = 0;
  private current: Stop | undefined;
  private program = '';
  private lineBps = new Set<number>();
  private fnBps = new Set<string>();
  /** The stops shown so far, for Step Back; the furthest step reached. */
  private shown: Stop[] = [];
  private frontier = 0;

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = { supportsConfigurationDoneRequest: true, supportsFunctionBreakpoints: true, supportsStepBack: true };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments & { program: string }): void {
    this.program = args.program;
    const lines = fs.readFileSync(args.program, 'utf8').split('\n');
    const find = (re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
    this.stops = script(find(/\bfork\s*\(\s*\)\s*;/), find(/\bwaitpid\s*\(\s*\w/));
    if (args.noDebug) { this.lineBps.clear(); this.fnBps.clear(); }
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    if (args.source.path === this.program || !this.program) this.lineBps = new Set((args.breakpoints ?? []).map((b) => b.line));
    response.body = { breakpoints: (args.breakpoints ?? []).map((b) => ({ verified: true, line: b.line })) };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.fnBps = new Set(args.breakpoints.map((b) => b.name));
    response.body = { breakpoints: args.breakpoints.map(() => ({ verified: true })) };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.resume();
  }

  private resume(): void {
    while (this.next < this.stops.length) {
      const stop = this.stops[this.next++];
      const hit = stop.trigger === 'line' ? this.lineBps.has(stop.frames[0].line) : this.fnBps.has(stop.trigger);
      if (!hit) continue;
      this.show({ ...stop, step: 1000 * this.next, next: this.next });
      return;
    }
    this.current = { reason: 'exited', trigger: '', tid: 1, frames: [], tasks: [row(1, 0, 'fork-wait', 'X', 'EXIT_DEAD'), kthreadd] };
    this.sendEvent(new Event('kproc/tasks', { tasks: this.current.tasks }));
    this.sendEvent(new TerminatedEvent());
  }

  /** Shows a stop: the task table, its moment, then the stopped event. */
  private show(stop: Stop, back = false): void {
    if (!back) this.shown.push(stop);
    this.current = stop;
    const step = stop.step ?? 0;
    this.frontier = Math.max(this.frontier, step);
    this.sendEvent(new Event('kproc/tasks', { tasks: stop.tasks }));
    const past = step < this.frontier ? { frontier: { step: this.frontier, time: this.frontier * 1000 }, travelled: 'back' } : {};
    this.sendEvent(new Event('kproc/moment', { step, time: step * 1000, ...(back ? past : {}) }));
    const ev = new StoppedEvent(stop.reason, stop.tid) as DebugProtocol.StoppedEvent;
    ev.body.allThreadsStopped = true;
    this.sendEvent(ev);
  }

  /** A statement step in main: the next line, with the child forked when the step leaves fork(). */
  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.sendResponse(response);
    const at = this.current;
    if (!at) return;
    const line = (at.frames.find((f) => !f.kernel)?.line ?? 1) + 2;
    const child = row(3, 1, 'fork-wait', 'R', 'TASK_RUNNING');
    const tasks = at.tasks.some((t) => t.pid === 3) ? at.tasks : [...at.tasks, child];
    this.show({ reason: 'step', trigger: '', tid: at.tid, frames: [{ name: 'main', kernel: false, line }], tasks, step: (at.step ?? 0) + 10, next: at.next });
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.sendResponse(response);
    if (this.shown.length > 1) this.shown.pop();
    this.travelTo(this.shown[this.shown.length - 1]);
  }

  /** No breakpoint is hit before the first stop: back to the start of main. */
  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.sendResponse(response);
    const first = this.stops[0];
    this.shown = [];
    this.travelTo({ ...first, reason: 'entry', trigger: '', frames: [{ name: 'main', kernel: false, line: first.frames[0].line - 2 }], step: 0, next: 0 });
  }

  private travelTo(stop: Stop): void {
    this.next = stop.next ?? 0;
    if (!this.shown.includes(stop)) this.shown.push(stop);
    this.show(stop, true);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    this.resume();
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const tasks = this.current?.tasks ?? [row(1, 0, 'fork-wait', 'R', 'TASK_RUNNING')];
    response.body = { threads: tasks.map((t) => new Thread(t.pid, `${t.pid} ${t.comm} [${t.state}]`)) };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const frames = this.current && args.threadId === this.current.tid ? this.current.frames : [];
    response.body = {
      stackFrames: frames.map((f, i) => new StackFrame(args.threadId * 100 + i, f.name,
        f.kernel ? new Source('fork.c', undefined, 1) : new Source('fork-wait.kproc', this.program), f.line)),
      totalFrames: frames.length,
    };
    this.sendResponse(response);
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse): void {
    response.body = { content: KERNEL_SOURCE, mimeType: 'text/x-c' };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    response.body = { scopes: [new Scope('Locals', 1, false), new Scope('current', 2, false)] };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const task = (ref: number) => ({ name: 'current', value: '(struct task_struct *) 0xffff888000100000', variablesReference: ref });
    const fields = [
      { name: 'pid', value: '1', variablesReference: 0 }, { name: 'comm', value: '"fork-wait"', variablesReference: 0 },
      { name: '__state', value: 'TASK_RUNNING (0x0)', variablesReference: 0 },
      { name: 'real_parent', value: '(struct task_struct *) 0xffffffff82a0c940 <init_task>', variablesReference: 4 },
    ];
    const byRef: Record<number, DebugProtocol.Variable[]> = {
      1: [{ name: 'clone_flags', value: 'SIGCHLD', variablesReference: 0 }, { name: 'p', value: '0x0', variablesReference: 0 }],
      2: [task(3)], 3: fields, 4: [{ name: 'pid', value: '0', variablesReference: 0 }],
    };
    response.body = { variables: byRef[args.variablesReference] ?? [] };
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command === 'kproc/tasks') response.body = { tasks: this.current?.tasks ?? [] };
    else if (command === 'kproc/kernelFunctions') response.body = { functions: FUNCTIONS };
    else if (command === 'kproc/sendSignal') response.body = { sent: args };
    else { response.success = false; response.message = `unknown request ${command}`; }
    this.sendResponse(response);
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.sendResponse(response);
  }
}

/** The name the extension's inline adapter factory looks for. */
export { MockKprocSession as KprocDebugSession };

// Standalone (dist/adapter.js), it speaks DAP on stdio like the real program.
if (require.main === module) DebugSession.run(MockKprocSession);
