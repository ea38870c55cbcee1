// The Process Timeline page's legend (part of the page script): a Legend button in the toolbar
// that shows or hides a strip under it, which holds the key to the picture in front, the
// timeline's or the process tree's. Words are text a screen reader reads; the swatches beside
// them are drawn in the theme's colours (read again when the theme changes) and hidden from it.
/// <reference lib="dom" />
import { SWATCH_H, SWATCH_W, timelineLegend, treeLegend, type LegendGroup } from './graphLegend';
import { readPalette } from './timelineCanvas';
import type { Palette } from './timelineText';

const SVG = 'http://www.w3.org/2000/svg';

export interface LegendView {
  /** Shows the key to this view's picture. */
  show(view: 'timeline' | 'tree'): void;
}

function list(id: string, title: string, groups: readonly LegendGroup[]): HTMLElement {
  const box = document.createElement('div');
  box.id = id;
  box.className = 'legend-view';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', title);
  for (const g of groups) {
    const group = document.createElement('div');
    group.className = 'legend-group';
    const head = document.createElement('span');
    head.className = 'legend-head';
    head.id = `${id}-${g.title.toLowerCase().replace(/\W+/g, '-')}`;
    head.textContent = g.title;
    const ul = document.createElement('ul');
    ul.setAttribute('aria-labelledby', head.id);
    for (const it of g.items) {
      const li = document.createElement('li');
      li.dataset.key = it.key;
      const sw = document.createElementNS(SVG, 'svg');
      sw.setAttribute('class', 'swatch');
      sw.setAttribute('width', String(SWATCH_W));
      sw.setAttribute('height', String(SWATCH_H));
      sw.setAttribute('viewBox', `0 0 ${SWATCH_W} ${SWATCH_H}`);
      sw.setAttribute('aria-hidden', 'true');
      sw.setAttribute('focusable', 'false');
      const words = document.createElement('span');
      words.textContent = it.text;
      li.append(sw, words);
      ul.append(li);
    }
    group.append(head, ul);
    box.append(group);
  }
  return box;
}

/**
 * Builds the legend into the page: the button before the toolbar's status, the strip right
 * under the toolbar. `open` is whether it starts shown; `toggled` hears each change.
 */
export function createLegend(toolbar: HTMLElement, open: boolean, toggled: (open: boolean) => void): LegendView {
  const button = document.createElement('button');
  button.id = 'legendToggle';
  button.textContent = 'Legend';
  button.title = 'Show or hide what the colours, shapes and lines mean';
  button.setAttribute('aria-controls', 'legendBar');
  const bar = document.createElement('div');
  bar.id = 'legendBar';
  bar.setAttribute('role', 'region');
  bar.setAttribute('aria-label', 'Legend');
  toolbar.insertBefore(button, document.getElementById('status'));
  toolbar.after(bar);

  /** Opens or closes the strip; `make`: the view in front's key made now if open (else at its first show). */
  const setOpen = (o: boolean, make = true): void => {
    bar.hidden = !o;
    button.setAttribute('aria-expanded', String(o));
    if (o && make) shown(current);
  };
  button.addEventListener('click', () => { setOpen(bar.hidden); toggled(!bar.hidden); });

  /** Each view's key, made the first time it is shown (the tree's, only if it ever is). */
  const lists: Partial<Record<'timeline' | 'tree', { el: HTMLElement; groups: readonly LegendGroup[] }>> = {};
  const made = (view: 'timeline' | 'tree'): HTMLElement => {
    const have = lists[view];
    if (have) return have.el;
    const groups = view === 'timeline' ? timelineLegend() : treeLegend();
    const el = view === 'timeline' ? list('legendTimeline', 'Timeline legend', groups) : list('legendTree', 'Process tree legend', groups);
    if (view === 'timeline') bar.prepend(el); else bar.append(el);
    lists[view] = { el, groups };
    paint(palette ?? readPalette(), el, groups);
    return el;
  };

  /** The swatches in the theme's colours: drawn when made and again when the theme changes. */
  let palette: Palette | undefined;
  new MutationObserver(() => {
    palette = readPalette();
    for (const l of Object.values(lists)) if (l) paint(palette, l.el, l.groups);
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });

  /** The view in front, whose key the strip holds (made when the strip is open). */
  let current: 'timeline' | 'tree' = 'timeline';
  const shown = (view: 'timeline' | 'tree'): void => {
    current = view;
    if (bar.hidden) return;
    made(view).hidden = false;
    const other = lists[view === 'timeline' ? 'tree' : 'timeline'];
    if (other) other.el.hidden = true;
  };
  setOpen(open, false);
  return { show: shown };
}

function paint(palette: Palette, el: HTMLElement, groups: readonly LegendGroup[]): void {
  const items = groups.flatMap((g) => g.items);
  el.querySelectorAll<SVGSVGElement>('li > svg.swatch').forEach((sw, i) => {
    sw.replaceChildren(...items[i].swatch(palette).map((s) => {
      const e = document.createElementNS(SVG, s.tag);
      for (const [k, v] of Object.entries(s.attrs)) e.setAttribute(k, v);
      if (s.text !== undefined) e.textContent = s.text;
      return e;
    }));
  });
}
