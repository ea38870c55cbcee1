// The Process Timeline page's legend (part of the page script): the toolbar's Legend button shows
// or hides the strip under the toolbar, which holds the key to the picture in front, the
// timeline's or the process tree's. Both keys are in the page's markup (timelineMarkup.ts), their
// swatches coloured by the theme through CSS, so this only switches them.
/// <reference lib="dom" />

export interface LegendView {
  /** Shows the key to this view's picture. */
  show(view: 'timeline' | 'tree'): void;
}

function byId(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the timeline page has no #${id}`);
  return e;
}

/** Wires the page's legend: `open` is whether it starts shown; `toggled` hears each change. */
export function createLegend(open: boolean, toggled: (open: boolean) => void): LegendView {
  const button = byId('legendToggle');
  const bar = byId('legendBar');
  const lists = { timeline: byId('legendTimeline'), tree: byId('legendTree') };
  const setOpen = (o: boolean): void => {
    if (bar.hidden === !o) return;
    bar.hidden = !o;
    button.setAttribute('aria-expanded', String(o));
  };
  button.addEventListener('click', () => { setOpen(bar.hidden); toggled(!bar.hidden); });
  setOpen(open);
  return {
    show(view): void {
      lists.timeline.hidden = view !== 'timeline';
      lists.tree.hidden = view !== 'tree';
    },
  };
}
