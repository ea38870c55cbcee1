// Every line the debugger highlights in a kernel frame is one the displayed C can reach from the
// line highlighted before it: every example is stepped at kernel granularity with a slice of one
// step, so that every step point of every task is a stop; every kernel frame of every task is
// followed from its push to its pop, and each move is checked against the graph of the function's
// displayed text (test/kernel/linecfg.ts), with the conditions the frame's shown variables decide.
// The displayed copy_process, do_exit and do_wait are also checked against Linux 6.x's order.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { boot, KMachine } from '../../sim-core/machine';
import type { task_struct } from '../../sim-core/kernel/task';
import type { KFrame, KFunction } from '../../sim-core/kernel/frame';
import { relativeLines } from '../../sim-core/kernel/frame';
import { kernelCatalog } from '../../sim-core/machine/sources';
import type { FairPolicySetting, FunctionBreakpointRequest, KEvent, Machine, MachineSettings } from '../../sim-core/machine-types';
import { exampleFiles } from '../fidelity/simulated';
import { allowed, buildCfg, call, canReturn, cleanC, COPY_PROCESS_ORDER, ladderProblems, orderProblems, type CfgNode, type Decide, type LineCfg } from './linecfg';

type AnyFn = KFunction<object>;

/** A function's graph, its step lines, where its text starts in its file and its first cleanup label. */
interface FnInfo { cfg: LineCfg | null; marked: Set<number>; base: number; text: string[]; ladder: number }

const infos = new Map<AnyFn, FnInfo>();

function infoOf(fn: AnyFn, report: Report): FnInfo {
  let i = infos.get(fn);
  if (i) return i;
  const span = kernelCatalog().files.find((f) => f.path === fn.file)?.spans.get(fn);
  const base = span ? span[0] : 0;
  let cfg: LineCfg | null = null;
  try {
    cfg = buildCfg(fn.text, fn.name);
  } catch (e) {
    report.add(`text ${fn.name}`, `${fn.name} (${fn.file}): the displayed C cannot be read: ${e instanceof Error ? e.message : String(e)}`, '');
  }
  const ladder = cleanC(fn.text).findIndex((l) => /^\s*(bad_fork_\w+|fork_out):/.test(l));
  i = { cfg, marked: new Set(relativeLines(fn)), base, text: fn.text.split('\n'), ladder: ladder < 0 ? Infinity : ladder };
  infos.set(fn, i);
  return i;
}

/** Every distinct violation once, with the scenarios that showed it. */
class Report {
  readonly found = new Map<string, { message: string; where: Set<string> }>();
  add(key: string, message: string, where: string): void {
    const v = this.found.get(key) ?? { message, where: new Set<string>() };
    if (where) v.where.add(where);
    this.found.set(key, v);
  }
  text(): string {
    return [...this.found.values()].map((v) => {
      const w = [...v.where];
      return `- ${v.message}${w.length ? `\n    seen in: ${w.slice(0, 4).join(', ')}${w.length > 4 ? ` and ${w.length - 4} more` : ''}` : ''}`;
    }).join('\n');
  }
}

/** A line of a function as the editor shows it: file:line and its text. */
function show(fn: AnyFn, info: FnInfo, rel: number): string {
  return `${fn.file}:${info.base + rel + 1} '${(info.text[rel] ?? '').trim()}'`;
}

/** Decides conditions for one move, and says what it read. */
type Decider = Decide & { explain: (n: CfgNode) => string };

/** One kernel frame from its push to its pop: the line it showed last, whether it was on top, the cleanup lines it showed. */
interface Activation { fn: AnyFn; last: number; top: boolean; ladder?: Set<number> }

type Task = task_struct;

/** The kernel's task of a pid (this test follows the kernel's own frames). */
function taskOf(m: Machine, pid: number): Task | undefined {
  return m instanceof KMachine ? m.engine.k.pid_hash.get(pid) : undefined;
}

/** The debugger's id of frame `index` of task pid's stack at this stop. */
function frameId(m: Machine, pid: number, index: number): number | undefined {
  return m.stack(pid)[index]?.id;
}

/**
 * Follows the kernel frames of every task over one run. A task is identified by its task_struct
 * (a pid can change hands: a thread that execs takes its leader's), a frame by the KFrame object
 * on the task's stack: one popped and pushed again is a new activation.
 */
class Recorder {
  private readonly acts = new Map<KFrame, Activation>();
  /** Per task: the frames seen at the last look, and the pcs they had. */
  private readonly seen = new Map<Task, { frames: KFrame[]; pcs: number[] }>();
  private first = true;
  /** The most lines of copy_process's cleanup ladder one activation showed (a failing fork unwinding). */
  ladderShown = 0;

  constructor(private readonly m: Machine, private readonly scenario: string, private readonly report: Report) {}

  /** Looks at every task's kernel stack, as the debugger shows it at this stop. */
  look(): void {
    const live = new Set<Task>();
    for (const row of this.m.tasks()) {
      const t = taskOf(this.m, row.pid);
      if (!t) continue;
      live.add(t);
      const frames = t.stack as KFrame[];
      const before = this.seen.get(t);
      if (before && sameStack(before, frames)) continue;
      this.observe(row.pid, frames, before?.frames ?? []);
      this.seen.set(t, { frames: frames.slice(), pcs: frames.map((f) => f.pc) });
    }
    // A task that is gone (released) keeps its last frames: nothing returned.
    for (const t of [...this.seen.keys()]) {
      if (live.has(t)) continue;
      for (const f of this.seen.get(t)?.frames ?? []) this.acts.delete(f);
      this.seen.delete(t);
    }
    this.first = false;
  }

  private observe(pid: number, frames: KFrame[], previous: KFrame[]): void {
    const full = this.m.stack(pid);
    const shown = full.map((f, index) => ({ line: f.line, kind: f.kind, index })).filter((f) => f.kind === 'kernel');
    if (shown.length !== frames.length) {
      this.report.add(`harness ${pid}`, `stack(${pid}) shows ${shown.length} kernel frames for ${frames.length} on the task's stack`, this.scenario);
      return;
    }
    const still = new Set(frames);
    for (const f of previous) {
      if (still.has(f)) continue;
      const a = this.acts.get(f);
      this.acts.delete(f);
      if (a) this.ended(a, pid);
    }
    // stack() lists the top frame first; the task's stack has it last.
    frames.forEach((f, i) => {
      const fn = f.fn as AnyFn;
      const info = infoOf(fn, this.report);
      const at = shown[frames.length - 1 - i];
      let line = at.line;
      if (at.index === 0 && f.pc < fn.lines.length && line !== fn.lines[f.pc]) {
        // The top frame shows the step about to run. When it does not, say so once, and check the
        // moves on the step the table runs, so that the rest of the list is about the tables.
        const next = fn.lines[f.pc] - info.base;
        const task = this.m.tasks().find((r) => r.pid === pid);
        this.report.add(`top ${task?.kthread ? 'kthread' : 'task'}`, `stack(${pid}) (${task?.comm ?? '?'}) shows its top kernel frame, ${fn.name}, at ${show(fn, info, line - info.base)}, but the step about to run is ${show(fn, info, next)} (the first such stop; every later one is checked on the step about to run)`, `${this.scenario} pid ${pid}`);
        line = fn.lines[f.pc];
      }
      const rel = line - info.base;
      const top = i === frames.length - 1;
      let a = this.acts.get(f);
      if (!a) {
        a = { fn, last: rel, top };
        this.acts.set(f, a);
        // Frames already on a stack at boot were pushed before anyone could look.
        if (!this.first) this.move(a, info, 'entry', rel, pid, this.decider(pid, f, at.index));
        return;
      }
      // The tick and the switch push their frames above the task's as an interrupt does: the
      // frame below shows the step it will run next, a move like any other, not a call.
      const interrupted = !top && INTERRUPTS.has(frames[i + 1].fn.name);
      if (a.last !== rel && a.top && !top && !interrupted) {
        // It has just called a function: the call is on the line it showed.
        const callee = at.index > 0 ? full[at.index - 1].name : frames[i + 1].fn.name;
        this.report.add(`call ${fn.name} ${a.last} ${rel}`, `${fn.name}: called ${callee}() from ${show(fn, info, a.last)}, but shows ${show(fn, info, rel)} while it runs`, `${this.scenario} pid ${pid}`);
      } else if (a.last !== rel) {
        this.move(a, info, a.last, rel, pid, this.decider(pid, f, at.index));
      }
      a.last = rel;
      a.top = top;
      if (rel >= info.ladder) {
        a.ladder ??= new Set();
        a.ladder.add(rel);
        this.ladderShown = Math.max(this.ladderShown, a.ladder.size);
      }
    });
  }

  private move(a: Activation, info: FnInfo, from: number | 'entry', to: number, pid: number, decide: Decider): void {
    if (!info.cfg) return;
    if (allowed(info.cfg, info.marked, from, to, decide)) return;
    const after = from === 'entry' ? `the entry of ${a.fn.name}()` : show(a.fn, info, from);
    if (allowed(info.cfg, info.marked, from, to)) {
      // The decided conditions on the way, with the values they read.
      const cfg = info.cfg;
      const conds = cfg.nodes.filter((n) => n.cond !== undefined && decide(n) !== undefined && n.first !== to
        && allowed(cfg, info.marked, from, n.first) && allowed(cfg, info.marked, n.first, to)).map((n) => decide.explain(n));
      this.report.add(`branch ${a.fn.name} ${from} ${to}`, `${a.fn.name}: ${show(a.fn, info, to)} follows ${after}, in a branch its frame's own variables say is not taken: ${conds.join(', ')}`, `${this.scenario} pid ${pid}`);
      return;
    }
    const what = from === 'entry' ? 'is the first line shown, but the entry does not reach it without another step line'
      : 'follows it, but the displayed C cannot go there without another step line';
    this.report.add(`move ${a.fn.name} ${from} ${to}`, `${a.fn.name}: ${show(a.fn, info, to)} ${what} (after ${after})`, `${this.scenario} pid ${pid}`);
  }

  /**
   * Decides the conditions of the displayed C that read only variables the debugger shows for
   * the frame (and constants), with the machine's evaluator, as the Variables pane and a watch
   * would: a line inside a branch those values say is not taken is not a line that runs.
   */
  private decider(pid: number, f: KFrame, index: number): Decider {
    const memo = new Map<number, boolean | undefined>();
    const decide = (n: CfgNode): boolean | undefined => {
      if (!memo.has(n.id)) memo.set(n.id, this.evalCond(n.cond ?? '', pid, f, index));
      return memo.get(n.id);
    };
    const explain = (n: CfgNode): string => {
      const names = [...new Set((n.cond ?? '').split(' ').filter((t) => f.fn.shown.includes(t)))];
      const values = names.map((v) => { const r = this.m.evaluate(v, frameId(this.m, pid, index)); return r.error === undefined ? `${v} = ${r.value}` : v; });
      return `(${n.cond}) is ${decide(n) ? 'true' : 'false'} with ${values.join(', ')}`;
    };
    return Object.assign(decide, { explain });
  }

  private evalCond(cond: string, pid: number, f: KFrame, index: number): boolean | undefined {
    const expr = cond.replace(/\b(?:un)?likely \(/g, '(');
    const toks = expr.split(' ');
    const locals = f.locals as Record<string, unknown>;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (!/^[A-Za-z_]\w*$/.test(t) || toks[i - 1] === '->' || toks[i - 1] === '.') continue;
      if (toks[i + 1] === '(') return undefined;
      if (/^[A-Z][A-Z0-9_]*$/.test(t)) continue;
      if (!f.fn.shown.includes(t) || !Object.prototype.hasOwnProperty.call(locals, t)) return undefined;
    }
    // `!!` makes every value (a number, a task, any kernel object or NULL) a C truth value.
    const v = this.m.evaluate(`!!(${expr})`, frameId(this.m, pid, index));
    if (v.error !== undefined) return undefined;
    return v.value === '1' ? true : v.value === '0' ? false : undefined;
  }

  private ended(a: Activation, pid: number): void {
    const info = infoOf(a.fn, this.report);
    if (!info.cfg || canReturn(info.cfg, info.marked, a.last)) return;
    this.report.add(`return ${a.fn.name} ${a.last}`, `${a.fn.name}: returned from ${show(a.fn, info, a.last)}, a line from which the displayed C reaches its return only through another step line`, `${this.scenario} pid ${pid}`);
  }
}

function sameStack(before: { frames: KFrame[]; pcs: number[] }, now: KFrame[]): boolean {
  if (before.frames.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) if (before.frames[i] !== now[i] || before.pcs[i] !== now[i].pc) return false;
  return true;
}

interface Scenario {
  name: string;
  source: string;
  settings?: MachineSettings;
  /** The failure its forks must meet (a scenario that no longer fails checks nothing). */
  fails?: string;
  /** Runs without looking while this holds: the part before is the same fork over and over. */
  skipWhile?: (m: Machine) => boolean;
  /** Stops looking this many stops after the first failed fork (what follows is reaping). */
  lookAfterFailure?: number;
  sched?: FairPolicySetting;
  /** Function breakpoints set before the run (ones that never stop can still change the paths taken). */
  breakpoints?: FunctionBreakpointRequest[];
  /** Step points looked at, when fewer than MAX_STOPS. */
  maxStops?: number;
}

/**
 * Step points looked at per scenario at most. Every step point of every task is a stop here (a
 * slice of one step), so a long example is cut: the kernel paths it takes repeat long before.
 */
const MAX_STOPS = 60_000;

/** Steps the scenario at kernel granularity, one step point per stop, looking at every stop. */
function stepScenario(s: Scenario, report: Report): { stops: number; end: string; failures: string[]; ladder: number } {
  const { machine, diagnostics } = boot({ file: `/scenarios/${s.name}`, source: s.source, settings: s.settings, ...(s.sched ? { sched: s.sched } : {}) });
  if (!machine) throw new Error(`${s.name}: ${diagnostics.map((d) => d.message).join('; ')}`);
  if (s.breakpoints) machine.setFunctionBreakpoints(s.breakpoints);
  const maxStops = s.maxStops ?? MAX_STOPS;
  // As the debug adapter does at launch: the displayed files are assembled before the first stop.
  machine.kernelSources();
  const failures: string[] = [];
  const note = (events: KEvent[]): void => {
    for (const e of events) if (e.kind === 'fork-failed') failures.push(`${e.errno} ${e.limit}`);
  };
  while (s.skipWhile?.(machine) && !machine.exitStatus().finished) { machine.continue(); note(machine.run(100).events); }
  const rec = new Recorder(machine, s.name, report);
  rec.look();
  let pid = machine.tasks().find((t) => !t.kthread && t.pid > 2)?.pid ?? 1;
  let stops = 0;
  let after = 0;
  for (; stops < maxStops; stops++) {
    const t = taskOf(machine, pid);
    if (t && !t.exit_state) machine.step(pid, 'in', 'kernel');
    else machine.continue();
    const stop = machine.run(1);
    note(stop.events);
    rec.look();
    if (stop.pid !== undefined && stop.reason === 'step') pid = stop.pid;
    const ladder = rec.ladderShown;
    if (['exited', 'deadlock', 'budget', 'panic'].includes(stop.reason)) return { stops, end: stop.reason, failures, ladder };
    if (failures.length > 0 && s.lookAfterFailure !== undefined && ++after > s.lookAfterFailure) return { stops, end: `cut ${s.lookAfterFailure} stops after the failing fork`, failures, ladder };
  }
  return { stops, end: `cut after ${maxStops} stops`, failures, ladder: rec.ladderShown };
}

/** Frames pushed above a task's frames as an interrupt's are (see sched-path.ts). */
const INTERRUPTS = new Set(['sched_tick', '__schedule']);

/** Examples stepped once more with the tick and switch paths as frames: fair, nice and RR tasks. */
const STEPPED_SCHED = ['fork-wait.kproc', 'nice-share.kproc', 'rr-pair.kproc'];

const TWO_CPUS = ['threads-exit-group.kproc', 'exec-multithreaded.kproc', 'leader-exits-first.kproc', 'orphan.kproc', 'subreaper.kproc', 'producer-consumer.kproc'];

/** Failing forks the examples do not all show (pid_max reached, RLIMIT_NPROC, no memory left), and error returns. */
const FAILING: Scenario[] = [
  {
    name: 'fork-fails-at-alloc_pid.kproc',
    settings: { pidMax: 301 },
    fails: 'EAGAIN pid_max',
    // Some 290 forks fill the pids up to 300; the last few and the failing one are looked at.
    skipWhile: (m) => m.globals().last_pid < 296,
    // Then init reaps some 300 zombies, each wait4 walking all of its children: not looked at.
    lookAfterFailure: 3000,
    // The children exit at once but are not reaped: their zombies hold every pid up to pid_max.
    source: `#include <unistd.h>
int main(void)
{
    for (int i = 0; i < 400; i++) {
        pid_t c = fork();
        if (c <= 0)
            return 0;
    }
}
`,
  },
  {
    name: 'fork-fails-at-rlimit.kproc',
    fails: 'EAGAIN RLIMIT_NPROC',
    source: `#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    struct rlimit rl = { 2, 2 };
    setrlimit(RLIMIT_NPROC, &rl);
    for (int i = 0; i < 3; i++)
        if (fork() == 0) { sleep(1); _exit(0); }
    while (wait(NULL) > 0)
        ;
    return 0;
}
`,
  },
  {
    name: 'fork-fails-with-enomem.kproc',
    fails: 'ENOMEM memory',
    source: `#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    char *big[12];
    for (int i = 0; i < 12; i++)
        big[i] = malloc(1 << 20);
    if (fork() == 0)
        _exit(0);
    while (wait(NULL) > 0)
        ;
    return 0;
}
`,
  },
  {
    // Without CAP_SYS_ADMIN: unshare and copy_namespaces refuse CLONE_NEWPID (EPERM).
    name: 'pidns-eperm.kproc',
    fails: 'EPERM pidns',
    source: `#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <unistd.h>
static char stack[8192];
int child(void *arg) { return 0; }
int main(void)
{
    unshare(CLONE_NEWPID);
    clone(child, stack + sizeof stack, CLONE_NEWPID | SIGCHLD, 0);
    return 0;
}
`,
  },
  {
    // As root: a second unshare (EINVAL), namespaces nested past MAX_PID_NS_LEVEL (ENOSPC), a
    // thread of another namespace (EINVAL), an init that dies with a zombie child and a task
    // inside, and a fork into the dead namespace (ENOMEM).
    name: 'pidns-errors.kproc',
    fails: 'ENOMEM pidns',
    settings: { uid: 0 },
    source: `#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static char stack[8192];
void *worker(void *arg) { return arg; }
int nest(void *arg)
{
    if (clone(nest, stack + sizeof stack, CLONE_NEWPID | SIGCHLD, 0) > 0)
        wait(NULL);
    return 0;
}
int main(void)
{
    pthread_t th;
    if (fork() == 0) { nest(0); _exit(0); }
    wait(NULL);
    unshare(CLONE_NEWPID);
    unshare(CLONE_NEWPID);
    pthread_create(&th, NULL, worker, NULL);
    pid_t init = fork();
    if (init == 0) {
        if (fork() == 0)
            _exit(1);
        if (fork() == 0)
            pause();
        usleep(1000);
        _exit(0);
    }
    waitpid(init, NULL, 0);
    fork();
    return 0;
}
`,
  },
  {
    name: 'error-returns.kproc',
    source: `#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    struct rlimit rl;
    char *argv[] = { "nothing", NULL };
    pid_t c = fork();
    if (c == 0) { execvp("/no/such/program", argv); sleep(1); _exit(3); }
    waitpid(-1, NULL, WNOHANG);          /* the child runs: 0 */
    waitpid(c + 100, NULL, 0);           /* ECHILD */
    kill(c + 100, SIGTERM);              /* ESRCH */
    kill(c, 0);
    setpgid(c + 100, 0);                 /* ESRCH */
    getpgid(c + 100);
    getsid(c + 100);
    setsid();
    setsid();                            /* EPERM: already a session leader */
    prctl(PR_SET_PDEATHSIG, 99, 0, 0, 0); /* EINVAL */
    signal(SIGKILL, SIG_IGN);            /* EINVAL */
    nice(5);
    sched_yield();
    getrlimit(RLIMIT_NPROC, &rl);
    waitpid(c, NULL, 0);
    wait(NULL);                          /* ECHILD */
    return 0;
}
`,
  },
];

describe('the lines the debugger highlights in kernel frames', function () {
  this.timeout(600_000);

  it('every displayed kernel function reads as C, and each step line is a statement its entry can reach', () => {
    const problems: string[] = [];
    for (const fn of kernelCatalog().byName.values()) {
      let cfg: LineCfg;
      try {
        cfg = buildCfg(fn.text, fn.name);
      } catch (e) {
        problems.push(`${fn.file}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      const text = fn.text.split('\n');
      for (const rel of new Set(relativeLines(fn))) {
        if (!cfg.byLine.has(rel)) problems.push(`${fn.name}: step line '${text[rel].trim()}' is no statement`);
        else if (!allowed(cfg, new Set(), 'entry', rel)) problems.push(`${fn.name}: step line '${text[rel].trim()}' cannot be reached from the entry`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('follow the displayed C in every example, in failing forks and in error returns', () => {
    const report = new Report();
    const examples = exampleFiles().map((f) => ({ name: basename(f), source: readFileSync(f, 'utf8') }));
    const scenarios: Scenario[] = [
      ...examples,
      // Tasks that exit, reap and reparent on two CPUs at once: their steps interleave otherwise.
      ...examples.filter((e) => TWO_CPUS.includes(e.name)).map((e) => ({ ...e, name: `${e.name} on 2 CPUs`, settings: { cpus: 2 } })),
      ...FAILING,
      // The tick and the switch run as frames when a breakpoint is in them (one that never stops
      // will do): every line of sched_tick's and __schedule's paths, under both policies.
      ...examples.filter((e) => STEPPED_SCHED.includes(e.name)).flatMap((e) => (['eevdf', 'cfs'] as const).map((sched) => ({
        ...e, name: `${e.name} (${sched}) with the tick and switch stepped`, sched, maxStops: 15_000,
        breakpoints: [{ name: 'sched_tick', hitCondition: '== 0' }, { name: '__schedule', hitCondition: '== 0' }],
      }))),
    ];
    const runs: string[] = [];
    for (const s of scenarios) {
      const r = stepScenario(s, report);
      runs.push(`${s.name}: ${r.stops} stops, ${r.end}${r.failures.length ? `, forks failed: ${[...new Set(r.failures)].join(', ')}` : ''}`);
      // A run that stops early (or never gets going) would check nothing.
      if (r.stops < 100 || ['deadlock', 'panic', 'budget'].includes(r.end)) report.add(`run ${s.name}`, `${s.name}: the run ended with ${r.end} after ${r.stops} stops`, '');
      // A failing fork unwinds visibly: its cleanup ladder is stepped, not done in one line.
      if (s.fails && r.ladder < 3) report.add(`ladder ${s.name}`, `${s.name}: the failing fork shows ${r.ladder} line(s) of copy_process's cleanup ladder (at least 3: a label's cleanup, bad_fork_free, the return)`, '');
      if (s.fails && !r.failures.includes(s.fails)) report.add(`scenario ${s.name}`, `${s.name}: no fork failed with ${s.fails} (${r.failures.join(', ') || 'none failed'})`, '');
    }
    assert.equal(report.found.size, 0, `${report.found.size} distinct violations:\n${report.text()}\n\nruns:\n${runs.join('\n')}`);
  });
});

function displayed(name: string): string | null {
  return kernelCatalog().byName.get(name)?.text ?? null;
}

describe('the displayed copy_process, do_exit and do_wait follow Linux 6.x', () => {
  it('copy_process: credentials, the RLIMIT_NPROC check, then each copy, then alloc_pid', () => {
    const problems = orderProblems('copy_process', displayed('copy_process'), COPY_PROCESS_ORDER);
    assert.deepEqual([...problems, ...ladderProblems(displayed('copy_process'))], []);
  });

  it('do_exit: exit_signals, the group count, exit_code, then mm, files, fs, exit_notify, do_task_dead', () => {
    assert.deepEqual(orderProblems('do_exit', displayed('do_exit'), [
      call('synchronize_group_exit', false), call('exit_signals'), ['the signal->live count', /atomic_dec_and_test\(&tsk->signal->live\)/, true],
      call('is_global_init', false), ['tsk->exit_code = code', /tsk->exit_code\s*=\s*code/, true], call('exit_mm'), call('exit_sem', false),
      call('exit_shm', false), call('exit_files'), call('exit_fs'), call('exit_task_namespaces', false), call('exit_task_work', false),
      call('exit_thread', false), call('cgroup_exit', false), call('exit_notify'), call('proc_exit_connector', false), call('do_task_dead'),
    ]), []);
  });

  it('exit_notify: reparent the children, become a zombie, tell the parent, then release the self-reaped', () => {
    assert.deepEqual(orderProblems('exit_notify', displayed('exit_notify'), [
      call('forget_original_parent'), ['EXIT_ZOMBIE', /exit_state\s*=\s*EXIT_ZOMBIE/, true], call('do_notify_parent'),
      ['EXIT_DEAD', /exit_state\s*=\s*EXIT_DEAD/, true], ['the de_thread wake-up', /notify_count\s*<\s*0/, false], call('release_task'),
    ]), []);
  });

  it('do_wait and __do_wait: queue, sleep state, scan, and the -ERESTARTSYS loop', () => {
    assert.deepEqual([
      ...orderProblems('do_wait', displayed('do_wait'), [
        call('add_wait_queue'), ['TASK_INTERRUPTIBLE', /\bset_current_state\(TASK_INTERRUPTIBLE\)/, true], call('__do_wait'),
        ['the -ERESTARTSYS test', /retval\s*!=\s*-ERESTARTSYS/, true], call('signal_pending', false), call('schedule'),
        ['TASK_RUNNING', /__set_current_state\(TASK_RUNNING\)/, true], call('remove_wait_queue'),
      ]),
      ...orderProblems('__do_wait', displayed('__do_wait'), [
        ['notask_error = -ECHILD', /notask_error\s*=\s*-ECHILD/, true], call('pid_has_task', false), call('read_lock', false),
        ['the children', /\b(do_wait_thread|list_for_each_entry)\(/, true], ['__WNOTHREAD', /__WNOTHREAD/, true],
        ['notask:', /^\s*notask:/, true], ['return -ERESTARTSYS', /return -ERESTARTSYS;/, true],
      ]),
    ], []);
  });
});

describe('the displayed scheduler paths follow Linux 6.x', () => {
  it('pick_eevdf: the one-entity shortcut, curr\'s eligibility, RUN_TO_PARITY, the leftmost, the heap search', () => {
    assert.deepEqual(orderProblems('pick_eevdf', displayed('pick_eevdf'), [
      call('__pick_first_entity'), ['nr_running == 1', /cfs_rq->nr_running == 1/, true],
      ['curr\'s eligibility', /!entity_eligible\(cfs_rq, curr\)/, true], ['RUN_TO_PARITY', /RUN_TO_PARITY/, true],
      ['the eligible leftmost', /if \(se && entity_eligible\(cfs_rq, se\)\)/, true], ['the heap search', /while \(node\)/, true],
      ['found:', /^\s*found:/, true], call('entity_before'), ['return best', /return best;/, true],
    ]), []);
  });

  it('check_preempt_wakeup_fair: update_curr, then pick_eevdf decides', () => {
    assert.deepEqual(orderProblems('check_preempt_wakeup_fair', displayed('check_preempt_wakeup_fair'), [
      ['se == pse', /se == pse/, true], call('update_curr'), call('pick_eevdf'), ['preempt:', /^\s*preempt:/, true], call('resched_curr'),
    ]), []);
  });

  it('sched_yield: do_sched_yield calls yield_task, then schedule; yield_task_fair moves the deadline', () => {
    assert.deepEqual([
      ...orderProblems('do_sched_yield', displayed('do_sched_yield'), [
        call('this_rq_lock_irq'), ['->yield_task', /->yield_task\(rq\)/, true], call('rq_unlock_irq'), call('schedule'),
      ]),
      ...orderProblems('yield_task_fair', displayed('yield_task_fair'), [
        ['nr_running == 1', /rq->nr_running == 1/, true], call('clear_buddies'), call('update_curr'),
        ['the deadline', /se->deadline \+= calc_delta_fair\(se->slice, se\)/, true],
      ]),
    ], []);
  });
});
