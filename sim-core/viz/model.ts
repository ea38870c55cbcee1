// The process timeline, built from the kernel event log in one linear pass: a lane per task with
// its state over virtual time, marks for fork/exec/exit/zombie/reap/reparent, signals sent and
// delivered (each naming the kernel function behind it), and per-CPU rows of which task ran when.
import type { KEvent, SignalAction, TaskRow } from '../machine-types';
import { CLONE_PARENT, CLONE_THREAD } from '../kernel/consts';
import { exitText, REPARENT_WHY } from './labels';

export { exitText, markGotoTarget } from './labels';

/**
 * A lane's state. The first six are the states a task shows in ps (R running on a CPU, R runnable
 * on a run queue, S, D, T, Z). 'alive' is for a log without the scheduler's tracepoints: the task
 * exists and has not exited, but when it ran, waited or slept is not in the log.
 */
export type LaneState = 'running' | 'runnable' | 'sleeping' | 'disk-sleep' | 'stopped' | 'zombie' | 'alive';

export interface Span { from: number; to: number; state: LaneState }

export interface Lane {
  pid: number;
  tgid: number;
  /** The last name the task had in the log (exec and prctl rename it; a forked child starts with its parent's). */
  comm: string;
  /** Consecutive, non-overlapping, from `born` to `gone` (or the end); no zero-length spans. */
  spans: Span[];
  born: number;
  /** The step of its fork (absent for a task there from the start). */
  bornStep?: number;
  /** When release_task freed it (reaped): the lane ends there; and the step of that reap. */
  gone?: number;
  goneStep?: number;
  /** real_parent's pid when it was born (before any reparenting); null when the log does not say. */
  parent: number | null;
  /** Index in `lanes` of that parent's lane (a pid can be reused, the index cannot). */
  parentLane?: number;
  /** Index in `lanes` of its thread group leader's lane (itself for a leader). */
  leaderLane: number;
  /** Born of kernel_thread (kthreadd's children). */
  kthread: boolean;
  /** Born before the log starts (init, kthreadd, the scenario's first task). */
  boot: boolean;
}

export type MarkKind = 'fork' | 'exec' | 'exit' | 'zombie' | 'reap' | 'reparent' | 'signal' | 'deliver';

export interface Mark {
  time: number;
  step: number;
  kind: MarkKind;
  /** The task the mark is about: fork and reap put the mark on the actor below. */
  pid: number;
  /**
   * The other end of its arrow: fork, the child; reap, the reaper (none when the task released
   * itself); reparent, the new parent; zombie, the parent that must reap it; signal (sent, on the
   * receiver's lane), the sender (0 for the kernel); exec by a non-leader thread (de_thread), the
   * thread's old tid. A deliver mark (get_signal dequeued the signal in `pid`) has none.
   */
  other?: number;
  /** One line for a hover: what happened. */
  label: string;
  /** The kernel function behind the mark. */
  fn: string;
  /** Index in `lanes` of `pid`'s lane, and of `other`'s when it has one. */
  lane: number;
  otherLane?: number;
  /** reparent: the parent it had before. */
  from?: number;
  /** signal and deliver: its number. */
  sig?: number;
}

export interface CpuRun { cpu: number; from: number; to: number; pid: number | null }

export interface TimelineModel {
  start: number;
  end: number;
  now: number;
  nowStep: number;
  /** Lanes grouped by process: each thread group leader (in order of birth) followed by its other threads. */
  lanes: Lane[];
  /** In the order of the log (so by time). */
  marks: Mark[];
  /** Per CPU (cpu 0 first), in time order; empty unless the log has sched_switch events. */
  cpus: CpuRun[];
  /** True when the log had the scheduler's tracepoints, so lanes show running/runnable/sleeping. */
  sched: boolean;
  /** Number of CPUs seen in the log (0 without sched_switch events). */
  cpuCount: number;
}

/**
 * A task known before the log starts, as Machine.tasks() describes it: with its state then (the
 * letter ps prints) and whether it was on a CPU (rq->curr, and which), its lane starts in that
 * state instead of a guess.
 */
export interface KnownTask {
  pid: number; tgid: number; comm: string; ppid?: number; kthread?: boolean;
  state?: string; running?: boolean; cpu?: number;
}

/** The KnownTask of a row of Machine.tasks(). */
export function knownTask(r: Pick<TaskRow, 'pid' | 'tgid' | 'comm' | 'ppid' | 'kthread' | 'state' | 'running' | 'cpu'>): KnownTask {
  return { pid: r.pid, tgid: r.tgid, comm: r.comm, ppid: r.ppid, kthread: r.kthread, state: r.state, running: r.running, cpu: r.cpu };
}

export interface TimelineOptions {
  now: number;
  nowStep: number;
  /** The end of the time axis (default: the later of the last event and `now`); later events are left out. */
  end?: number;
  /**
   * Tasks that exist when the log starts, as Machine.tasks() lists them right after boot: each gets
   * a lane from the start, with its name and parent (the log never forks them). Others the log
   * mentions without forking them get a lane from the start too, named `pid N` until it names them.
   */
  tasks?: readonly KnownTask[];
  /** The start of the time axis (default 0, the boot; earlier when the log starts before it). */
  start?: number;
  /** Whether the log has sched tracepoints (default: it has when any sched_switch is in it). */
  sched?: boolean;
}

/** What a delivered signal does, in words (the handler's name when the action runs one). */
const DELIVER_WORDS: Record<SignalAction, (handler?: string) => string> = {
  handler: (h) => `handler ${h ?? '(unknown)'} runs`,
  terminate: () => 'the process is killed (do_group_exit)',
  core: () => 'the process is killed, core dump (do_group_exit)',
  stop: () => 'the process stops (do_signal_stop)',
  continue: () => 'nothing more (SIGCONT continued the process when it was sent)',
  ignore: () => 'ignored, dropped',
};

/**
 * The state a task there from the start is in, as Machine.tasks() saw it: running when it was on
 * a CPU, else what its ps letter says (R: runnable). Without the scheduler's tracepoints only a
 * stop and a zombie can be told from 'alive', since nothing later would say when they changed.
 */
function bootState(k: KnownTask, sched: boolean): LaneState {
  const letter = k.state ?? '';
  const s = prevState(letter);
  if (!sched) return s === 'stopped' || s === 'zombie' ? s : 'alive';
  if (k.running === true) return 'running';
  return s ?? 'runnable';
}

/** The run state a task leaves the CPU in, from the letter of sched_switch's prev_state. */
function prevState(s: string): LaneState | null {
  switch (s[0]) {
    case 'R': return 'runnable';
    case 'S': case 'I': return 'sleeping';
    case 'D': return 'disk-sleep';
    case 'T': case 't': return 'stopped';
    case 'Z': return 'zombie';
    default: return null; // X: dead, released
  }
}

interface LaneBuild extends Lane {
  group: number;
  state: LaneState;
  since: number;
  order: number;
}

/**
 * Builds the timeline from the kernel event log (times in virtual ns), in one pass over the
 * events plus one over the lanes: every lookup is a Map by pid, so 1,000,000 events and 10,000
 * tasks take a fraction of a second.
 *
 * With sched_switch/sched_wakeup events (BootOptions.traceSched), each lane shows running (the
 * task is a switch's next), runnable (woken, or preempted with prev_state R), sleeping (S or I),
 * disk-sleep (D), stopped (T, t) and zombie (Z, or the zombie event), and `cpus` tells which task
 * ran on each CPU (pid null: the CPU's idle task). Without them the log only tells when a task
 * came and went: a lane is 'alive' from its fork (or the start) until its exit, 'stopped' between
 * a group stop and SIGCONT (the stopped and continued events), 'zombie' from exit_notify until
 * release_task, and it ends at its reap.
 */
export function buildTimeline(events: readonly KEvent[], opts: TimelineOptions): TimelineModel {
  let sched = opts.sched;
  if (sched === undefined) {
    sched = false;
    for (let i = 0; i < events.length; i++) if (events[i].kind === 'sched_switch') { sched = true; break; }
  }
  const start = Math.min(opts.start ?? 0, events.length ? events[0].time : opts.now, opts.now);
  const last = events.length ? events[events.length - 1].time : start;
  const end = Math.max(opts.end ?? Math.max(last, opts.now), start);

  const lanes: LaneBuild[] = [];
  /** pid -> its live lane (born, not yet released). */
  const live = new Map<number, LaneBuild>();
  /** pid -> the last lane it had (live or gone), for marks about a pid already released. */
  const lastLane = new Map<number, LaneBuild>();
  /** group (leader lane index) -> live lanes of that thread group. */
  const groups = new Map<number, Set<LaneBuild>>();
  /** pid -> parent pid, for tasks the log does not fork. */
  const known = new Map<number, KnownTask>();
  for (const t of opts.tasks ?? []) known.set(t.pid, t);
  const birthState: LaneState = sched ? 'runnable' : 'alive';
  const marks: Mark[] = [];

  const newLane = (pid: number, tgid: number, comm: string, born: number, parent: number | null, group: number | null, kthread: boolean, boot: boolean,
    state: LaneState = birthState): LaneBuild => {
    const order = lanes.length;
    const g = group ?? order;
    const parentLane = parent === null ? undefined : lastLane.get(parent)?.order;
    const lane: LaneBuild = {
      pid, tgid, comm, spans: [], born, parent, leaderLane: g, kthread, boot,
      group: g, state, since: born, order,
    };
    if (parentLane !== undefined) lane.parentLane = parentLane;
    lanes.push(lane);
    live.set(pid, lane);
    lastLane.set(pid, lane);
    let set = groups.get(g);
    if (!set) { set = new Set(); groups.set(g, set); }
    set.add(lane);
    return lane;
  };

  /** The lane of a pid the log mentions: its live lane, a boot lane when it was never seen, else its last lane. */
  const laneOf = (pid: number): LaneBuild | undefined => {
    const l = live.get(pid);
    if (l) return l;
    const was = lastLane.get(pid);
    if (was) return was;
    if (pid <= 0) return undefined;
    const k = known.get(pid);
    let group: number | null = null;
    if (k && k.tgid !== pid) {
      const leader = live.get(k.tgid) ?? laneOf(k.tgid);
      if (leader) group = leader.group;
    }
    const parent = k?.ppid ?? null;
    return newLane(pid, k?.tgid ?? pid, k?.comm ?? `pid ${pid}`, start, parent === 0 ? null : parent, group, k?.kthread ?? false, true,
      k ? bootState(k, sched) : birthState);
  };

  const setState = (l: LaneBuild, t: number, state: LaneState): void => {
    if (l.gone !== undefined || l.state === state) return;
    const at = t < l.since ? l.since : t;
    if (at > l.since) {
      l.spans.push({ from: l.since, to: at, state: l.state });
    } else {
      const prev = l.spans.length ? l.spans[l.spans.length - 1] : undefined;
      if (prev && prev.to === l.since && prev.state === state) {
        l.spans.pop();
        l.since = prev.from;
        l.state = state;
        return;
      }
    }
    l.since = at;
    l.state = state;
  };

  const closeLane = (l: LaneBuild, t: number, step: number): void => {
    if (l.gone !== undefined) return;
    const at = t < l.since ? l.since : t;
    if (at > l.since) l.spans.push({ from: l.since, to: at, state: l.state });
    l.gone = at;
    l.goneStep = step;
    if (live.get(l.pid) === l) live.delete(l.pid);
    groups.get(l.group)?.delete(l);
  };

  // The tasks there from the start, leaders first so their threads find their group.
  const boot = [...known.values()].filter((k) => k.pid > 0).sort((a, b) => (a.pid === a.tgid ? 0 : 1) - (b.pid === b.tgid ? 0 : 1) || a.pid - b.pid);
  for (const k of boot) laneOf(k.pid);

  const mark = (e: KEvent, kind: MarkKind, l: LaneBuild, label: string, fn: string, other?: number, otherLane?: LaneBuild): Mark => {
    const m: Mark = { time: e.time, step: e.step, kind, pid: l.pid, label, fn, lane: l.order };
    if (other !== undefined) m.other = other;
    if (otherLane) m.otherLane = otherLane.order;
    marks.push(m);
    return m;
  };

  // Per-CPU: the task on it since when.
  // Per CPU: since when (NaN: no switch seen yet) which task (0: its idle task) has been on it.
  const cpuFrom: number[] = [];
  const cpuPid: number[] = [];
  const cpuRuns: CpuRun[][] = [];
  let cpuCount = 0;
  const growCpus = (c: number): void => {
    if (c + 1 <= cpuCount) return;
    for (let k = cpuCount; k <= c; k++) { cpuFrom[k] = NaN; cpuPid[k] = 0; cpuRuns[k] = []; }
    cpuCount = c + 1;
  };
  // A task on a CPU when the log starts holds that CPU's row from the start.
  if (sched) {
    for (const k of boot) {
      if (k.running !== true || k.cpu === undefined || k.cpu < 0) continue;
      growCpus(k.cpu);
      cpuFrom[k.cpu] = start;
      cpuPid[k.cpu] = k.pid;
    }
  }
  /** The tgid of the thread release_task freed just before (for the zombie event it then emits for the leader). */
  let reapedTgid = -1;

  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const t = e.time;
    if (t > end) break; // the log is in time order
    switch (e.kind) {
      case 'fork': {
        const caller = laneOf(e.parent);
        const thread = (e.flags & CLONE_THREAD) !== 0;
        // CLONE_PARENT and CLONE_THREAD give the child the caller's own parent (copy_process).
        const realParent = (e.flags & (CLONE_PARENT | CLONE_THREAD)) !== 0 ? (caller?.parent ?? null) : e.parent;
        const old = live.get(e.child);
        if (old) closeLane(old, t, e.step);
        const child = newLane(e.child, thread && caller ? caller.tgid : e.child, caller?.comm ?? `pid ${e.child}`, t, realParent,
          thread && caller ? caller.group : null, e.via === 'kthread', false);
        child.bornStep = e.step;
        if (caller) {
          const what = e.via === 'kthread' ? 'kernel_thread() created kernel thread' : thread ? `${e.via}() created thread` : `${e.via}() created child`;
          mark(e, 'fork', caller, `${what} ${e.child} (copy_process)`, 'kernel_clone', e.child, child);
        }
        break;
      }
      case 'exec': {
        const l = laneOf(e.pid);
        if (!l) break;
        if (l.gone === undefined) setState(l, t, sched ? 'running' : 'alive');
        l.comm = e.comm;
        const de = e.oldPid !== undefined ? `; thread ${e.oldPid} took over pid ${e.pid} (de_thread)` : '';
        mark(e, 'exec', l, `execve ${e.path}: comm is now ${e.comm}${de}`, 'begin_new_exec', e.oldPid, e.oldPid === undefined ? undefined : lastLane.get(e.oldPid));
        break;
      }
      case 'exit': {
        const l = laneOf(e.pid);
        if (!l) break;
        if (e.comm !== undefined) l.comm = e.comm;
        // exit_notify makes a leader a zombie at once while other threads of its group live on.
        if (l.pid === l.tgid) {
          const g = groups.get(l.group);
          if (g && g.size > 1) setState(l, t, 'zombie');
        }
        mark(e, 'exit', l, `${exitText(e.code)} (exit_code ${e.code})`, 'do_exit');
        break;
      }
      case 'zombie': {
        const l = laneOf(e.pid);
        if (!l) break;
        setState(l, t, 'zombie');
        const viaRelease = reapedTgid === l.tgid;
        mark(e, 'zombie', l, viaRelease
          ? `zombie once its last thread was freed: waits for ${e.parent} to reap it`
          : `zombie (EXIT_ZOMBIE): waits for ${e.parent} to reap it`, viaRelease ? 'release_task' : 'exit_notify', e.parent, lastLane.get(e.parent));
        break;
      }
      case 'reap': {
        const l = laneOf(e.pid);
        if (!l) break;
        const by = e.by === null ? undefined : laneOf(e.by);
        const status = e.status === undefined ? '' : `, ${exitText(e.status)}`;
        mark(e, 'reap', l, e.by === null
          ? `released at once, never a zombie (autoreap)${status}`
          : `reaped by ${e.by} (wait_task_zombie)${status}`, 'release_task', e.by ?? undefined, by);
        closeLane(l, t, e.step);
        break;
      }
      case 'reparent': {
        const l = laneOf(e.pid);
        if (!l) break;
        const m = mark(e, 'reparent', l, `reparented from ${e.from} to ${e.to}: ${REPARENT_WHY[e.why] ?? e.why}`, 'forget_original_parent', e.to, laneOf(e.to));
        m.from = e.from;
        break;
      }
      case 'signal': {
        const l = laneOf(e.to);
        if (!l) break;
        const from = e.from === 0 ? 'the kernel' : `${e.from}`;
        const m = mark(e, 'signal', l, `${e.name} sent by ${from} (${e.action})`, 'send_signal_locked', e.from, e.from === 0 ? undefined : laneOf(e.from));
        m.sig = e.sig;
        break;
      }
      case 'signal_deliver': {
        const l = laneOf(e.pid);
        if (!l) break;
        const m = mark(e, 'deliver', l, `${e.name} delivered: ${DELIVER_WORDS[e.action](e.handler)}`, 'get_signal');
        m.sig = e.sig;
        break;
      }
      case 'stopped': {
        if (sched) break; // sched_switch's prev_state T says it, thread by thread
        const leader = laneOf(e.pid);
        const g = leader && groups.get(leader.group);
        if (g) for (const l of g) if (l.state !== 'zombie') setState(l, t, 'stopped');
        break;
      }
      case 'continued': {
        const leader = laneOf(e.pid);
        const g = leader && groups.get(leader.group);
        if (g) for (const l of g) if (l.state === 'stopped') setState(l, t, sched ? 'runnable' : 'alive');
        break;
      }
      case 'sched_wakeup': {
        const l = live.get(e.pid) ?? (lastLane.has(e.pid) ? undefined : laneOf(e.pid));
        if (l && l.state !== 'running' && l.state !== 'zombie') setState(l, t, 'runnable');
        break;
      }
      case 'sched_switch': {
        if (e.prev_pid > 0) {
          const p = live.get(e.prev_pid) ?? (lastLane.has(e.prev_pid) ? undefined : laneOf(e.prev_pid));
          if (p) {
            const s = prevState(e.prev_state);
            if (p.comm.startsWith('pid ')) p.comm = e.prev_comm;
            if (s !== null) setState(p, t, s);
          }
        }
        if (e.next_pid > 0) {
          const n = live.get(e.next_pid) ?? (lastLane.has(e.next_pid) ? undefined : laneOf(e.next_pid));
          if (n) {
            n.comm = e.next_comm;
            setState(n, t, 'running');
          }
        }
        const c = e.cpu;
        const next = e.next_pid > 0 ? e.next_pid : 0;
        growCpus(c);
        if (Number.isNaN(cpuFrom[c])) { cpuFrom[c] = t; cpuPid[c] = next; break; }
        if (cpuPid[c] === next) break;
        const runs = cpuRuns[c];
        if (t > cpuFrom[c]) runs.push({ cpu: c, from: cpuFrom[c], to: t, pid: cpuPid[c] || null });
        // A run that lasted no time at all leaves no row; the one before it goes on if it is the same task.
        const before = runs.length ? runs[runs.length - 1] : undefined;
        if (before && before.to === t && (before.pid ?? 0) === next) { runs.pop(); cpuFrom[c] = before.from; }
        else cpuFrom[c] = t;
        cpuPid[c] = next;
        break;
      }
      default:
        break;
    }
    if (e.kind === 'reap') { const r = lastLane.get(e.pid); reapedTgid = r && r.pid !== r.tgid ? r.tgid : -1; }
    else if (e.kind !== 'sched_switch' && e.kind !== 'sched_wakeup' && e.kind !== 'wakeup') reapedTgid = -1;
  }

  const cpus: CpuRun[] = [];
  for (let c = 0; c < cpuCount; c++) {
    const runs = cpuRuns[c];
    if (!Number.isNaN(cpuFrom[c]) && end > cpuFrom[c]) runs.push({ cpu: c, from: cpuFrom[c], to: end, pid: cpuPid[c] || null });
    for (const r of runs) cpus.push(r);
  }

  // Close the lanes still there at the end, then order them: each leader (by birth), its threads after it.
  for (const l of lanes) if (l.gone === undefined && end > l.since) l.spans.push({ from: l.since, to: end, state: l.state });
  const members = new Map<number, LaneBuild[]>();
  for (const l of lanes) {
    let m = members.get(l.group);
    if (!m) { m = []; members.set(l.group, m); }
    m.push(l);
  }
  const ordered: LaneBuild[] = [];
  for (const l of lanes) if (l.group === l.order) for (const m of members.get(l.group) ?? []) ordered.push(m);
  const index = new Int32Array(lanes.length);
  ordered.forEach((l, i) => { index[l.order] = i; });
  const out: Lane[] = ordered.map((l) => {
    const lane: Lane = {
      pid: l.pid, tgid: l.tgid, comm: l.comm, spans: l.spans, born: l.born, parent: l.parent,
      leaderLane: index[l.leaderLane], kthread: l.kthread, boot: l.boot,
    };
    if (l.bornStep !== undefined) lane.bornStep = l.bornStep;
    if (l.gone !== undefined) { lane.gone = l.gone; if (l.goneStep !== undefined) lane.goneStep = l.goneStep; }
    if (l.parentLane !== undefined) lane.parentLane = index[l.parentLane];
    return lane;
  });
  for (const m of marks) {
    m.lane = index[m.lane];
    if (m.otherLane !== undefined) m.otherLane = index[m.otherLane];
  }
  return { start, end, now: opts.now, nowStep: opts.nowStep, lanes: out, marks, cpus, sched, cpuCount };
}

/** The lane's state at virtual time `t` (a span holds [from, to)); undefined before its birth or once it is gone. */
export function stateAt(lane: Lane, t: number): LaneState | undefined {
  const s = lane.spans;
  if (!s.length || t < s[0].from) return undefined;
  let lo = 0, hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s[mid].from <= t) lo = mid; else hi = mid - 1;
  }
  if (t < s[lo].to) return s[lo].state;
  // The last instant of a lane still there at the end shows its last state.
  return lo === s.length - 1 && lane.gone === undefined && t === s[lo].to ? s[lo].state : undefined;
}
