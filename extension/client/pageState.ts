// The Process Timeline page's saved state, shared by its two scripts: the timeline's fields and,
// under `tree`, the tree view's (tabs, legend, the tree's window). The second script, with the
// tree view, loads after the first frame: until it hands over its state, the saved one is kept.
/// <reference lib="dom" />
import type { GraphView } from './graphView';
import type { LegendView } from './graphLegendView';
import type { exportTimeline } from './timelineExport';

/** What the page's second script brings: the tree view, and the timeline's export. */
export interface Later { tree: GraphView; exportTimeline: typeof exportTimeline }

export interface VsCodeApi { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void }

/** What the page's main script lends the tree view's script when it loads. */
export interface PageHost {
  /** The page's API, its saves keeping the tree's state. */
  api: VsCodeApi;
  status: HTMLElement;
  /** The legend, wired by the page: the tree view says which key to show. */
  legend: LegendView;
  /** The tree's state object, kept (by reference) in every save from now on. */
  keepTree(state: object): void;
  /** The second script has run: the page hands the tree the model shown, and does what was asked for meanwhile. */
  loaded(later: Later): void;
}

export interface SharedState extends VsCodeApi {
  keepTree(state: object): void;
  /** The tree's part of the state as it stands (the saved one, or the tree view's own once it has handed it over), to read or change before a save. */
  tree(): Record<string, unknown>;
}

/** The API with the tree's part of the state kept in each save, the saved one until the tree hands over its own. */
export function sharedState(api: VsCodeApi): SharedState {
  const saved = (api.getState() as { tree?: unknown } | undefined)?.tree;
  let tree: Record<string, unknown> = typeof saved === 'object' && saved !== null ? saved as Record<string, unknown> : {};
  return {
    postMessage: (m: unknown) => api.postMessage(m),
    getState: () => api.getState(),
    setState: (s: unknown) => api.setState({ ...((s ?? {}) as object), tree }),
    keepTree(state: object): void { tree = state as Record<string, unknown>; },
    tree: () => tree,
  };
}
