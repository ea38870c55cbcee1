// The colours and words of the timeline and graph pictures: one colour per lane state and per mark
// kind, and what each means, shared by the SVG and the graph exports (and their legends).
import type { LaneState, MarkKind } from './model';

export const STATE_COLOUR: Record<LaneState, string> = {
  running: '#2e9d4f',
  runnable: '#9ad27a',
  sleeping: '#6fa8dc',
  'disk-sleep': '#1f4e9c',
  stopped: '#e69138',
  zombie: '#b03a2e',
  alive: '#9aa5b1',
};

/** What each state is in the kernel's words, for legends and hovers. */
export const STATE_MEANING: Record<LaneState, string> = {
  running: 'running on a CPU (TASK_RUNNING, rq->curr)',
  runnable: 'runnable, waiting on a run queue (TASK_RUNNING)',
  sleeping: 'sleeping, interruptible (TASK_INTERRUPTIBLE)',
  'disk-sleep': 'sleeping, uninterruptible (TASK_UNINTERRUPTIBLE)',
  stopped: 'stopped by a signal (__TASK_STOPPED)',
  zombie: 'exited, waiting to be reaped (EXIT_ZOMBIE)',
  alive: 'alive; run state not traced (no sched_switch events)',
};

export const STATES: readonly LaneState[] = ['running', 'runnable', 'sleeping', 'disk-sleep', 'stopped', 'zombie', 'alive'];

export const MARK_COLOUR: Record<MarkKind, string> = {
  fork: '#1b7f3b',
  exec: '#5b3fa8',
  exit: '#222222',
  zombie: '#b03a2e',
  reap: '#7a4b12',
  reparent: '#c2185b',
  signal: '#d4a000',
  deliver: '#0b7fa8',
};

export const MARK_KINDS: readonly MarkKind[] = ['fork', 'exec', 'exit', 'zombie', 'reap', 'reparent', 'signal', 'deliver'];

/** What each mark is and the kernel function that does it (the marks name theirs one by one). */
export const MARK_MEANING: Record<MarkKind, string> = {
  fork: 'fork/clone: kernel_clone -> copy_process',
  exec: 'execve: begin_new_exec',
  exit: 'exit: do_exit',
  zombie: 'became a zombie: exit_notify',
  reap: 'reaped: release_task (from wait_task_zombie)',
  reparent: 'reparented: forget_original_parent',
  signal: 'signal sent: send_signal_locked',
  deliver: 'signal delivered: get_signal',
};

/** A reaped task, faded in the graph. */
export const REAPED_COLOUR = { fill: '#eeeeee', stroke: '#bbbbbb', text: '#999999' };

/** A steady colour per task for the CPU rows (golden-angle hues, so neighbours differ). */
export function taskColour(pid: number): string {
  const hue = Math.round((pid * 137.508) % 360);
  return `hsl(${hue},55%,55%)`;
}
