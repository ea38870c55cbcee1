// The Process Timeline page's markup and Content-Security-Policy: scripts run only with the
// page's nonce, styles come only from the extension (or carry the nonce), and nothing remote
// loads. No vscode import, so the benchmark serves the same page outside the editor. The page's
// fixed parts (tabs, legend, the tree's frame) are written in too, so no script builds them.
import { legendCss, legendMarkup, LEGEND_BUTTON_MARKUP, TABS_MARKUP, TREE_MARKUP } from './timelineMarkup';

export interface PageParts {
  /** The webview's own origin (webview.cspSource). */
  cspSource: string;
  nonce: string;
  /** The script's and the style sheet's addresses in the webview. */
  script: string;
  style: string;
  /** The address of the page's second script (the tree view, the export), which the page loads after its first frame. */
  later?: string;
  /**
   * The script and the style sheet themselves, written into the page with its nonce: the page
   * then runs as soon as it is parsed, without two more fetches through the webview (and the
   * layout of a page without its script that the wait lets the browser do).
   */
  inline?: { script: string; style: string };
  /**
   * The first model and the number the panel gave it, as JSON text, written into the page as
   * data (not run): the page draws it as soon as its script runs, with no message to wait for.
   */
  initial?: string;
  /**
   * The first model's first frame as markup (timelineFirstFrame.ts): its row labels and its
   * picture, painted as the page is parsed; the script draws its canvas after that paint.
   */
  first?: { labels: string; plot: string };
}

/** The id of the first frame's picture in the plot; its row labels' wrapper has the class FIRST_ROWS. */
export const FIRST_FRAME_ID = 'firstFrame';
export const FIRST_ROWS = 'first-rows';

/** The id of the element holding the first model's JSON. */
export const INITIAL_MODEL_ID = 'kprocInitial';

/**
 * JSON as the text of a script element: `<` written as its escape, so no `</script` or `<!--`
 * can end or change the element; JSON.parse reads it back the same.
 */
export const jsonInElement = (json: string): string => json.replace(/</g, '\\u003c');

export function timelineCsp(p: PageParts): string {
  return [`default-src 'none'`, `img-src ${p.cspSource} data:`, `style-src ${p.cspSource} 'nonce-${p.nonce}'`, `script-src 'nonce-${p.nonce}'`].join('; ');
}

/** Text that cannot close the element it is written in (`</script` or `</style`): `<\/` reads the same in JavaScript and CSS strings. */
const inElement = (text: string, tag: string): string => text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

export function timelinePage(p: PageParts): string {
  const csp = timelineCsp(p);
  const laterAttr = p.later ? ` data-later="${p.later.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}"` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${p.inline ? `<style nonce="${p.nonce}">${inElement(p.inline.style, 'style')}</style>` : `<link rel="stylesheet" href="${p.style}">`}
<style nonce="${p.nonce}">${legendCss()}</style>
<title>Process Timeline</title>
</head>
<body>
<div id="toolbar" role="toolbar" aria-label="Timeline actions">
  ${TABS_MARKUP}
  <button id="fit" title="Show the whole run (0)">Fit</button>
  <button id="zoomIn" title="Zoom in (+, Ctrl+wheel)" aria-label="Zoom in">+</button>
  <button id="zoomOut" title="Zoom out (-, Ctrl+wheel)" aria-label="Zoom out">&minus;</button>
  <button id="exportSvg" title="Save the window on screen as an SVG picture">Export SVG</button>
  <button id="exportPng" title="Save the window on screen as a PNG picture">Export PNG</button>
  ${LEGEND_BUTTON_MARKUP}
  <span id="status" role="status" aria-live="polite"></span>
</div>
${legendMarkup()}
<div id="main" role="tabpanel" aria-labelledby="tabTimeline">
  <div id="labels" role="list" aria-label="Tasks">${p.first?.labels ?? ''}</div>
  <div id="plot" tabindex="0" role="application" aria-label="Process timeline">
    <canvas id="canvas"></canvas>${p.first?.plot ?? ''}
    <div id="marks" role="group" aria-label="Kernel events"></div>
    <div id="tip" role="tooltip" hidden></div>
  </div>
</div>
${TREE_MARKUP}
<div id="empty"${p.first ? ' hidden=""' : ''}>Waiting for a stop of a Linux Process Lab debug session.</div>
${p.initial !== undefined ? `<script type="application/json" id="${INITIAL_MODEL_ID}">${jsonInElement(p.initial)}</script>\n` : ''}${p.inline ? `<script nonce="${p.nonce}"${laterAttr}>${inElement(p.inline.script, 'script')}</script>` : `<script nonce="${p.nonce}"${laterAttr} src="${p.script}"></script>`}
</body>
</html>`;
}
