// The Process Timeline page's fixed parts as markup, written into the page by the panel so the
// browser builds them while it parses (no script has to): the tabs, the Legend button and its
// strip with both keys, and the tree view's frame. The legend's swatches take the theme's colours
// through CSS classes (legendCss), so they follow a theme change with no script either. Pure.
import { timelineLegend, treeLegend, SWATCH_H, SWATCH_W, xmlText, type LegendGroup, type Shape } from './graphLegend';
import { PALETTE_VARS, paletteFrom, type PaletteKey } from './timelineText';

const COLOUR_ATTRS = new Set(['fill', 'stroke']);

/** A swatch shape as SVG markup, each named colour turned into a class (lg-fill-running...). */
function shapeMarkup(s: Shape): string {
  const classes: string[] = [];
  let attrs = '';
  for (const [k, v] of Object.entries(s.attrs)) {
    if (COLOUR_ATTRS.has(k) && v.startsWith('@')) classes.push(`lg-${k}-${v.slice(1)}`);
    else attrs += ` ${k}="${xmlText(v)}"`;
  }
  const cls = classes.length ? ` class="${classes.join(' ')}"` : '';
  return s.text === undefined ? `<${s.tag}${cls}${attrs}/>` : `<${s.tag}${cls}${attrs}>${xmlText(s.text)}</${s.tag}>`;
}

const slug = (s: string): string => s.toLowerCase().replace(/\W+/g, '-');

/** One view's key: its groups, each a heading and a list of swatches with their words (read by a screen reader; the swatches hidden from it). */
function legendList(id: string, title: string, groups: readonly LegendGroup[], hidden: boolean): string {
  // A palette whose colours are the names of its own colours, marked, for classes to stand in for.
  const named = paletteFrom((k) => `@${k}`);
  const out = [`<div id="${id}" class="legend-view" role="group" aria-label="${xmlText(title)}"${hidden ? ' hidden=""' : ''}>`];
  for (const g of groups) {
    const head = `${id}-${slug(g.title)}`;
    out.push(`<div class="legend-group"><span class="legend-head" id="${head}">${xmlText(g.title)}</span><ul aria-labelledby="${head}">`);
    for (const it of g.items) {
      const shapes = it.swatch(named).map(shapeMarkup).join('');
      out.push(`<li data-key="${xmlText(it.key)}"><svg class="swatch" width="${SWATCH_W}" height="${SWATCH_H}" viewBox="0 0 ${SWATCH_W} ${SWATCH_H}" aria-hidden="true" focusable="false">${shapes}</svg><span>${xmlText(it.text)}</span></li>`);
    }
    out.push('</ul></div>');
  }
  out.push('</div>');
  return out.join('');
}

/** The strip under the toolbar, open, with the timeline's key shown and the tree's hidden. */
export function legendMarkup(): string {
  return `<div id="legendBar" role="region" aria-label="Legend">${legendList('legendTimeline', 'Timeline legend', timelineLegend(), false)}${legendList('legendTree', 'Process tree legend', treeLegend(), true)}</div>`;
}

/** The colour classes of the legend's swatches: each the theme's variable, else the default. */
export function legendCss(): string {
  return (Object.keys(PALETTE_VARS) as PaletteKey[])
    .map((k) => {
      const [name, fallback] = PALETTE_VARS[k];
      return `.lg-fill-${k}{fill:var(${name},${fallback})}.lg-stroke-${k}{stroke:var(${name},${fallback})}`;
    })
    .join('');
}

/** The tabs, at the start of the toolbar, the timeline's selected. */
export const TABS_MARKUP = '<div role="tablist" id="viewTabs" aria-label="View">'
  + '<button role="tab" id="tabTimeline" aria-controls="main" aria-selected="true" tabindex="0">Timeline</button>'
  + '<button role="tab" id="tabTree" aria-controls="tree" aria-selected="false" tabindex="-1">Process tree</button></div>';

/** The Legend button, before the toolbar's status. */
export const LEGEND_BUTTON_MARKUP = '<button id="legendToggle" title="Show or hide what the colours, shapes and lines mean" aria-controls="legendBar" aria-expanded="true">Legend</button>';

/** The tree view's frame, hidden until its tab is chosen: its bar (heading, now/history) and the SVG the script fills. */
export const TREE_MARKUP = '<div id="tree" role="tabpanel" aria-labelledby="tabTree" hidden="">'
  + '<div id="treeBar"><h2 id="treeHeading">Process tree</h2><div role="group" aria-label="Which tasks">'
  + '<button id="treeNow" title="The tasks that exist at the current moment" aria-pressed="true">now</button>'
  + '<button id="treeHistory" title="Every task born so far: reaped ones faded, first parents of reparented ones dashed" aria-pressed="false">history</button></div></div>'
  + '<div id="treeView" tabindex="0" role="group" aria-label="Process tree: arrow keys pan, plus and minus zoom, Tab goes to the tasks">'
  + '<svg id="treeSvg"><g><g class="edges" aria-hidden="true"></g><g class="bulk" aria-hidden="true"></g><g class="nodes" role="tree" aria-label="Tasks"></g><g class="edge-labels" aria-hidden="true"></g></g></svg>'
  + '<div id="treeTip" role="tooltip" hidden=""></div></div></div>';
