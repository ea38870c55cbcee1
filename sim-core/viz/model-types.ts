// The timeline model's shapes: lanes with their state spans, marks, CPU rows, and the tasks known
// before the log starts (model.ts builds it; the webview takes these types alone).
import type { TaskRow } from '../machine-types';

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
