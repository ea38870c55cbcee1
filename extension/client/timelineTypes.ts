// The timeline model as the adapter's 'kproc/timeline' request answers it (built by
// sim-core/viz/model.ts; types only, so the webview's bundle takes nothing else from it), and
// the names of the custom requests and events the panel uses.
export type { CpuRun, Lane, LaneState, Mark, MarkKind, Span, TimelineModel } from '../../sim-core/viz/model';

export { TIMELINE_REQUEST } from '../../sim-core/debug/protocol';
/** The custom request that travels to a moment ({step}, {time} in virtual nanoseconds, or {target}). */
export const GOTO_REQUEST = 'kproc/goto';
/** The custom event the adapter sends after every stop with the moment it stands at. */
export const MOMENT_EVENT = 'kproc/moment';
