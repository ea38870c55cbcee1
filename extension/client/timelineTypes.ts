// The timeline model as the adapter's 'kproc/timeline' request answers it (the shape built by
// sim-core/viz/model.ts): plain data, no imports, so the webview's bundle can use it as it is.

export type LaneState = 'running' | 'runnable' | 'sleeping' | 'disk-sleep' | 'stopped' | 'zombie';
export interface Span { from: number; to: number; state: LaneState }
export interface Lane { pid: number; tgid: number; comm: string; spans: Span[]; born: number; gone?: number }
export type MarkKind = 'fork' | 'exec' | 'exit' | 'zombie' | 'reap' | 'reparent' | 'signal';
export interface Mark {
  time: number;
  step: number;
  kind: MarkKind;
  pid: number;
  other?: number;
  label: string;
  /** The kernel function behind the event (kernel_clone, begin_new_exec, do_exit, release_task...). */
  fn: string;
}
export interface CpuRun { cpu: number; from: number; to: number; pid: number | null }
export interface TimelineModel {
  start: number;
  end: number;
  now: number;
  nowStep: number;
  lanes: Lane[];
  marks: Mark[];
  cpus: CpuRun[];
}

/** The custom request the panel asks the adapter for the model with. */
export const TIMELINE_REQUEST = 'kproc/timeline';
/** The custom request that travels to a moment ({step} or {target}). */
export const GOTO_REQUEST = 'kproc/goto';
export const MOMENT_EVENT = 'kproc/moment';
