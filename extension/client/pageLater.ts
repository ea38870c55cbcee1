// The Process Timeline page's second script (bundled into dist/timelineLater.js): the process
// tree view and the timeline's export, loaded by the page's main script once its first frame is
// painted (or when one of them is asked for first), so the first paint waits for none of this code.
/// <reference lib="dom" />
import { createGraphView } from './graphView';
import { exportTimeline } from './timelineExport';
import type { PageHost } from './pageState';

const host = (window as unknown as { kprocPage?: PageHost }).kprocPage;
if (host) host.loaded({ tree: createGraphView(host.api, host.status, host.keepTree, host.legend), exportTimeline });
