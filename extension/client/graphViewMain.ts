// The Process Timeline page's second script (bundled into dist/timelineTree.js): the tabs' tree
// view, loaded by the page's main script once its first frame is painted (or when the tree is
// asked for first), so the timeline's first paint does not wait for this code.
/// <reference lib="dom" />
import { createGraphView } from './graphView';
import type { PageHost } from './pageState';

const host = (window as unknown as { kprocPage?: PageHost }).kprocPage;
if (host) host.loaded(createGraphView(host.api, host.status, host.keepTree, host.legend));
