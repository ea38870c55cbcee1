// The recorder behind line-sequence.test.ts: steps a scenario one kernel step point per stop and
// follows every kernel frame from its push to its pop, checking each move of its highlighted line
// against the graph of the function's displayed C (linecfg.ts); violations are gathered, once each.

import type { task_struct } from '../../sim-core/kernel/task';
import { relativeLines, type KFrame, type KFunction } from '../../sim-core/kernel/frame';
import { boot, KMachine } from '../../sim-core/machine';
import { kernelCatalog } from '../../sim-core/machine/sources';
import type { FairPolicySetting, FunctionBreakpointRequest, KEvent, Machine, MachineSettings } from '../../sim-core/machine-types';
import { allowed, buildCfg, canReturn, cleanC, type CfgNode, type Decide, type LineCfg } from './linecfg';

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
export class Report {
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

export interface Scenario {
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
export function stepScenario(s: Scenario, report: Report): { stops: number; end: string; failures: string[]; ladder: number } {
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
