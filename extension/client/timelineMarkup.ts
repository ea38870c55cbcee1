// The Process Timeline page's fixed parts as markup, written into the page by the panel so the
// browser builds them while it parses (no script has to): the tabs, the Legend button and its
// strip with both keys, and the tree view's frame. The legend's swatches take the theme's colours
// through CSS classes (legendCss), so they follow a theme change with no script either; those
// made only of plain boxes and diamonds are CSS boxes, not SVG (each SVG root cost the page's
// first frame about a millisecond). Pure.
import { timelineLegend, treeLegend, SWATCH_H, SWATCH_W, xmlText, type Box, type LegendGroup, type Shape } from './graphLegend';
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

/** A box's place and size as a class name (sw-r-1-3-22-8, a diamond's sw-d-...), its rule made by legendCss. */
const boxClass = (b: Box): string => `sw-${b.diamond ? 'd' : 'r'}-${[b.x, b.y, b.w, b.h].map((n) => String(px(n)).replace('.', '_')).join('-')}`;
/** A length rounded to a hundredth of a pixel. */
const px = (n: number): number => Number(n.toFixed(2));

/** A swatch whose shapes are all boxes of named colours, as CSS boxes; else undefined. */
function boxesMarkup(shapes: readonly Shape[]): string | undefined {
  if (!shapes.every((s) => s.box && s.attrs.fill?.startsWith('@'))) return undefined;
  const boxes = shapes.map((s) => `<i class="lg-bg-${(s.attrs.fill ?? '').slice(1)} ${s.box ? boxClass(s.box) : ''}"></i>`);
  return `<span class="swatch" aria-hidden="true">${boxes.join('')}</span>`;
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
      const shapes = it.swatch(named);
      const swatch = boxesMarkup(shapes)
        ?? `<svg class="swatch" width="${SWATCH_W}" height="${SWATCH_H}" viewBox="0 0 ${SWATCH_W} ${SWATCH_H}" aria-hidden="true" focusable="false">${shapes.map(shapeMarkup).join('')}</svg>`;
      out.push(`<li data-key="${xmlText(it.key)}">${swatch}<span>${xmlText(it.text)}</span></li>`);
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

/**
 * The legend's rules: the colour classes of its swatches (each the theme's variable, else the
 * default: lg-fill- and lg-stroke- for SVG shapes, lg-bg- for CSS boxes), and each CSS box's place.
 */
export function legendCss(): string {
  const colours = (Object.keys(PALETTE_VARS) as PaletteKey[]).map((k) => {
    const c = `var(${PALETTE_VARS[k][0]},${PALETTE_VARS[k][1]})`;
    return `.lg-fill-${k}{fill:${c}}.lg-stroke-${k}{stroke:${c}}.lg-bg-${k}{background:${c}}`;
  });
  const named = paletteFrom((k) => `@${k}`);
  const boxes = new Map<string, string>();
  for (const g of [...timelineLegend(), ...treeLegend()]) {
    for (const it of g.items) {
      for (const { box: b } of it.swatch(named)) {
        if (!b) continue;
        const diamond = b.diamond ? ';clip-path:polygon(50% 0,100% 50%,50% 100%,0 50%)' : '';
        boxes.set(boxClass(b), `left:${px(b.x)}px;top:${px(b.y)}px;width:${px(b.w)}px;height:${px(b.h)}px${diamond}`);
      }
    }
  }
  const swatch = `span.swatch{position:relative;display:inline-block;flex:none;width:${SWATCH_W}px;height:${SWATCH_H}px}span.swatch>i{position:absolute}`;
  return [...colours, swatch, ...[...boxes].map(([cls, rule]) => `.${cls}{${rule}}`)].join('');
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
