// The timeline's lanes while the log is read: a lane per task (a reused pid gets a new one), its
// state spans as they grow, the live lanes by pid and by thread group, and the final order
// (each leader by birth, its threads under it).
import type { KnownTask, Lane, LaneState, Span } from './model-types';

/**
 * A lane as it is built: its group (the leader lane's index), current state and since when, its
 * index, and the fewest spans it has had since `low` was last set (a change in no time takes the
 * span before back), so what changed since then is known without comparing.
 */
export interface LaneBuild extends Lane {
  group: number;
  state: LaneState;
  since: number;
  order: number;
  low: number;
}

/** The run state a task leaves the CPU in, from the letter of sched_switch's prev_state (or ps's). */
export function prevState(s: string): LaneState | null {
  switch (s[0]) {
    case 'R': return 'runnable';
    case 'S': case 'I': return 'sleeping';
    case 'D': return 'disk-sleep';
    case 'T': case 't': return 'stopped';
    case 'Z': return 'zombie';
    default: return null; // X: dead, released
  }
}

/**
 * The state a task there from the start is in, as Machine.tasks() saw it: running when it was on
 * a CPU, else what its ps letter says (R: runnable). Without the scheduler's tracepoints only a
 * stop and a zombie can be told from 'alive', since nothing later would say when they changed.
 */
function bootState(k: KnownTask, sched: boolean): LaneState {
  const s = prevState(k.state ?? '');
  if (!sched) return s === 'stopped' || s === 'zombie' ? s : 'alive';
  if (k.running === true) return 'running';
  return s ?? 'runnable';
}

export class LaneBook {
  readonly lanes: LaneBuild[] = [];
  /** pid -> its live lane (born, not yet released). */
  readonly live = new Map<number, LaneBuild>();
  /** pid -> the last lane it had (live or gone), for marks about a pid already released. */
  readonly lastLane = new Map<number, LaneBuild>();
  /** group (leader lane index) -> live lanes of that thread group. */
  readonly groups = new Map<number, Set<LaneBuild>>();
  /** The tasks there before the log, by pid. */
  private readonly known = new Map<number, KnownTask>();
  /** The state a task forked during the log starts in. */
  readonly birthState: LaneState;
  /** The tasks there from the start, leaders first so their threads find their group. */
  readonly boot: readonly KnownTask[];

  constructor(private readonly start: number, private readonly sched: boolean, tasks: readonly KnownTask[]) {
    this.birthState = sched ? 'runnable' : 'alive';
    for (const t of tasks) this.known.set(t.pid, t);
    this.boot = [...this.known.values()].filter((k) => k.pid > 0)
      .sort((a, b) => (a.pid === a.tgid ? 0 : 1) - (b.pid === b.tgid ? 0 : 1) || a.pid - b.pid);
    for (const k of this.boot) this.laneOf(k.pid);
  }

  newLane(pid: number, tgid: number, comm: string, born: number, parent: number | null, group: number | null, kthread: boolean, boot: boolean,
    state: LaneState = this.birthState): LaneBuild {
    const order = this.lanes.length;
    const g = group ?? order;
    const parentLane = parent === null ? undefined : this.lastLane.get(parent)?.order;
    const lane: LaneBuild = {
      pid, tgid, comm, spans: [], born, parent, leaderLane: g, kthread, boot,
      group: g, state, since: born, order, low: 0,
    };
    if (parentLane !== undefined) lane.parentLane = parentLane;
    this.lanes.push(lane);
    this.live.set(pid, lane);
    this.lastLane.set(pid, lane);
    let set = this.groups.get(g);
    if (!set) { set = new Set(); this.groups.set(g, set); }
    set.add(lane);
    return lane;
  }

  /** The lane of a pid the log mentions: its live lane, a boot lane when it was never seen, else its last lane. */
  laneOf(pid: number): LaneBuild | undefined {
    const l = this.live.get(pid);
    if (l) return l;
    const was = this.lastLane.get(pid);
    if (was) return was;
    if (pid <= 0) return undefined;
    const k = this.known.get(pid);
    let group: number | null = null;
    if (k && k.tgid !== pid) {
      const leader = this.live.get(k.tgid) ?? this.laneOf(k.tgid);
      if (leader) group = leader.group;
    }
    const parent = k?.ppid ?? null;
    return this.newLane(pid, k?.tgid ?? pid, k?.comm ?? `pid ${pid}`, this.start, parent === 0 ? null : parent, group, k?.kthread ?? false, true,
      k ? bootState(k, this.sched) : this.birthState);
  }

  /** The live lane of a pid a scheduler event names; none for a pid whose lane is gone. */
  schedLane(pid: number): LaneBuild | undefined {
    return this.live.get(pid) ?? (this.lastLane.has(pid) ? undefined : this.laneOf(pid));
  }

  /** The lane is in `state` from `t` on (a change in no time replaces the span before, or merges with it). */
  setState(l: LaneBuild, t: number, state: LaneState): void {
    if (l.gone !== undefined || l.state === state) return;
    const at = t < l.since ? l.since : t;
    if (at > l.since) {
      l.spans.push({ from: l.since, to: at, state: l.state });
    } else {
      const prev = l.spans.length ? l.spans[l.spans.length - 1] : undefined;
      if (prev && prev.to === l.since && prev.state === state) {
        l.spans.pop();
        if (l.spans.length < l.low) l.low = l.spans.length;
        l.since = prev.from;
        l.state = state;
        return;
      }
    }
    l.since = at;
    l.state = state;
  }

  /** The task was freed at `t`: its lane ends. */
  close(l: LaneBuild, t: number, step: number): void {
    if (l.gone !== undefined) return;
    const at = t < l.since ? l.since : t;
    if (at > l.since) l.spans.push({ from: l.since, to: at, state: l.state });
    l.gone = at;
    l.goneStep = step;
    if (this.live.get(l.pid) === l) this.live.delete(l.pid);
    this.groups.get(l.group)?.delete(l);
  }

  /**
   * The lanes in their final order: each leader (by birth), its threads after it; and, per build
   * index, the index in that order.
   */
  order(): { ordered: LaneBuild[]; index: Int32Array } {
    const lanes = this.lanes;
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
    return { ordered, index };
  }

  /**
   * The lanes as they stand with the axis ending at `end` (those still there drawn to it), in
   * their final order, and per build index the final index; what is kept is left as it is.
   */
  lanesTo(end: number): { lanes: Lane[]; index: Int32Array } {
    const { ordered, index } = this.order();
    const out: Lane[] = ordered.map((l) => outLane(l, index, spansTo(l, end)));
    return { lanes: out, index };
  }
}

/** A lane's spans with the axis ending at `end`: its current state drawn to it while the task is there. */
export function spansTo(l: LaneBuild, end: number): Span[] {
  const spans = l.spans.slice();
  const open = openSpan(l, end);
  if (open) spans.push(open);
  return spans;
}

/** The span of a lane's current state up to `end`, while the task is there (none once it is gone). */
export function openSpan(l: LaneBuild, end: number): Span | undefined {
  return l.gone === undefined && end > l.since ? { from: l.since, to: end, state: l.state } : undefined;
}

/** The model's lane of a built one, its lane indices the final ones (`index`, by build index). */
export function outLane(l: LaneBuild, index: Int32Array, spans: Span[]): Lane {
  const lane: Lane = {
    pid: l.pid, tgid: l.tgid, comm: l.comm, spans, born: l.born, parent: l.parent,
    leaderLane: index[l.leaderLane], kthread: l.kthread, boot: l.boot,
  };
  if (l.bornStep !== undefined) lane.bornStep = l.bornStep;
  if (l.gone !== undefined) { lane.gone = l.gone; if (l.goneStep !== undefined) lane.goneStep = l.goneStep; }
  if (l.parentLane !== undefined) lane.parentLane = index[l.parentLane];
  return lane;
}
