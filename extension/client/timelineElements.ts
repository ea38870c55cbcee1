// The timeline page's accessible elements over the canvas: a labelled row per visible lane or CPU
// in the label column, and focusable buttons over the drawn mark glyphs. Both are pooled and
// rewritten only when they stand for another row or event (a pan only moves them).
/// <reference lib="dom" />
import { pooled } from './timelineCanvas';
import type { Glyph, TimelineIndex } from './timelineLayout';
import { clusterText, markText, rowElement } from './timelineText';
import type { Mark } from './timelineTypes';

/** Row height and the time axis' height, in CSS pixels. */
export const ROW = 22;
export const AXIS = 20;
/** At most this many focusable mark elements at once (the canvas draws every glyph). */
const MAX_MARK_ELEMENTS = 600;

export const keyOf = (m: Mark): string => `${m.step}:${m.kind}:${m.pid}:${m.other ?? ''}`;

/** The label column: one element per visible row, each named for screen readers. */
export class RowLabels {
  private readonly pool: HTMLDivElement[] = [];
  /** What each label element shows (everything its text, data and name are made of) and where. */
  private readonly shown = new WeakMap<HTMLElement, { key: string; top: number }>();

  constructor(private readonly parent: HTMLElement) {}

  clear(): void {
    pooled(this.pool, 0, this.parent, () => document.createElement('div'));
  }

  sync(index: TimelineIndex, first: number, end: number, yOf: (row: number) => number): void {
    const els = pooled(this.pool, end - first, this.parent, () => {
      const el = document.createElement('div');
      el.setAttribute('role', 'listitem');
      return el;
    });
    for (let i = first; i < end; i++) {
      const r = index.rows[i];
      const el = els[i - first];
      const top = yOf(i) - AXIS;
      const was = this.shown.get(el);
      // A frame moves the labels; only a row showing something else (scrolled, or changed) rewrites one.
      const key = r.kind === 'cpu' ? `cpu ${r.cpu}` : `${r.laneIndex} ${r.lane.pid} ${r.lane.tgid} ${r.thread} ${r.lane.born} ${r.lane.gone} ${r.lane.comm}`;
      this.shown.set(el, { key, top });
      if (was?.top !== top) el.style.top = `${top}px`;
      if (was?.key === key) continue;
      const d = rowElement(r);
      el.className = d.className;
      el.textContent = d.text;
      for (const k of Object.keys(el.dataset)) delete el.dataset[k];
      Object.assign(el.dataset, d.data);
      el.setAttribute('aria-label', d.aria);
    }
  }
}

/** What a mark element stands for, read by the layer's listeners. */
export interface MarkSlot { row: number; glyph: Glyph; mark: Mark; holds: boolean; text: string; y: number }

const sameKinds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

/**
 * Focusable buttons over the drawn glyphs (up to a bound), in lane order then time. The button of
 * the glyph holding the selected mark speaks for that mark, even inside a cluster (events at the
 * same moment never separate however far one zooms), and Enter on it goes to that mark.
 */
export class MarkButtons {
  private readonly pool: HTMLButtonElement[] = [];
  private readonly slots = new WeakMap<HTMLElement, MarkSlot>();

  constructor(private readonly layer: HTMLElement) {}

  /** The slot an element of the layer stands for (undefined for anything else). */
  slotOf(target: EventTarget | null): MarkSlot | undefined {
    return target instanceof HTMLElement ? this.slots.get(target) : undefined;
  }

  clear(): void {
    pooled(this.pool, 0, this.layer, () => document.createElement('button'));
  }

  /**
   * `sel` is the selected mark and `at` the glyph (and row) drawn for it, when it is in view. At
   * most `limit` buttons (the selected glyph's, then the first rows'): true when there were more.
   */
  sync(drawn: ReadonlyMap<number, Glyph[]>, sel: Mark | undefined, at: { row: number; glyph: Glyph } | undefined, yOf: (row: number) => number, limit = MAX_MARK_ELEMENTS): boolean {
    const cap = Math.min(limit, MAX_MARK_ELEMENTS);
    let more = false;
    const hadFocus = document.activeElement instanceof HTMLElement && document.activeElement.parentElement === this.layer;
    const want: MarkSlot[] = [];
    const slot = (row: number, glyph: Glyph): MarkSlot => {
      const holds = at?.glyph === glyph && sel !== undefined;
      return { row, glyph, mark: holds ? sel : glyph.first, holds, text: '', y: yOf(row) };
    };
    if (at) want.push(slot(at.row, at.glyph));
    outer: for (const [row, glyphs] of drawn) {
      for (const gl of glyphs) {
        if (want.length >= cap) { more = cap < MAX_MARK_ELEMENTS; break outer; }
        if (gl !== at?.glyph) want.push(slot(row, gl));
      }
    }
    // Lane order, then time: the order Tab follows.
    want.sort((a, b) => a.row - b.row || a.glyph.x - b.glyph.x);
    const els = pooled(this.pool, want.length, this.layer, () => {
      const b = document.createElement('button');
      b.className = 'mark';
      // Placed by a transform: moving one repaints it without laying out the page again.
      b.style.left = '0';
      b.style.top = '0';
      return b;
    });
    let focusEl: HTMLButtonElement | undefined;
    want.forEach((w, i) => {
      const b = els[i];
      const was = this.slots.get(b);
      this.slots.set(b, w);
      if (w.holds) focusEl = b;
      // Panning moves the buttons; their names and data change only when they stand for other events.
      if (!was || was.glyph.x !== w.glyph.x || was.y !== w.y) b.style.transform = `translate(${w.glyph.x - 6}px, ${w.y + ROW / 2 - 6 - AXIS}px)`;
      if (was && was.mark === w.mark && was.holds === w.holds && was.glyph.count === w.glyph.count && sameKinds(was.glyph.kinds, w.glyph.kinds)) {
        w.text = was.text;
        return;
      }
      const { glyph, mark } = w;
      w.text = glyph.count === 1 ? markText(mark) : w.holds ? `${markText(mark)} (one of ${glyph.count} events here)` : clusterText(glyph.first, glyph.count, glyph.kinds);
      b.dataset.kind = glyph.count === 1 ? mark.kind : 'cluster';
      b.dataset.kinds = glyph.kinds.join(' ');
      b.dataset.pid = String(mark.pid);
      b.dataset.step = String(mark.step);
      b.dataset.key = keyOf(mark);
      if (mark.other !== undefined) b.dataset.other = String(mark.other); else delete b.dataset.other;
      b.setAttribute('aria-label', w.text);
      b.classList.toggle('selected', w.holds);
    });
    if (hadFocus && focusEl && document.activeElement !== focusEl) focusEl.focus({ preventScroll: true });
    return more;
  }
}
