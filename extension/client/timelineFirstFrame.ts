// The timeline's first frame as markup, written into the page by the panel with the model: the
// same picture the page's canvas draws of a fitted run (axis, grid, bars, arrows, glyphs, the
// current moment, the row labels), its x in percent of the plot's width so that it fits whatever
// width the panel has. The browser paints it while it parses the page; the page's script draws its
// canvas after that first paint and takes this out. Colours are the legend's classes. Pure.
import {
  arrowsEach, clampView, cpuBarsEach, fitView, indexTimeline, laneBarsEach, laneGlyphs, timeToX, visibleRows, xToTime,
  type Geometry, type Glyph, type TimelineIndex,
} from './timelineLayout';
import { AXIS, ROW } from './timelineElements';
import { formatTime, paletteFrom, rowElement, type Palette } from './timelineText';
import { FIRST_FRAME_ID, FIRST_ROWS } from './timelinePage';
import type { TimelineModel } from './timelineTypes';

/** The plot's size the picture is laid out for. */
export interface PlotSize { width: number; height: number }
/**
 * Before any page has said its size: a narrow plot. Laid out narrower than it shows, the picture
 * has its axis' times further apart and its close events clustered a little more than the canvas
 * will; laid out wider, its times could run into each other.
 */
export const DEFAULT_PLOT: PlotSize = { width: 480, height: 900 };


/** A bigger picture than this is not written in: the page draws it from the model as before. */
const MAX_CHARS = 400_000;

/** The palette whose colours are their own names: a colour's class is lg-fill-<name>. */
const NAMED: Palette = paletteFrom((k) => k);

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Whether a page with this saved state shows its model fitted, in the timeline tab: the first
 * frame written into the page is that picture (a page that kept a window of the run, or shows the
 * tree, draws from the model instead).
 */
export function fittedPage(state: unknown): boolean {
  if (typeof state !== 'object' || state === null) return true;
  const s = state as { fitted?: unknown; tree?: { view?: unknown } };
  return s.fitted !== false && s.tree?.view !== 'tree';
}

/**
 * The first frame of `model` fitted to a plot of about `size`: the row labels (for the label
 * column) and the picture (for the plot), or undefined when it would be too big to be worth it.
 */
export function firstFrameMarkup(model: TimelineModel, size: PlotSize = DEFAULT_PLOT): { labels: string; plot: string } | undefined {
  const index = indexTimeline(model);
  const g: Geometry = { width: Math.max(100, Math.round(size.width)), height: Math.max(ROW, Math.round(size.height) - AXIS), rowHeight: ROW };
  const v = clampView(fitView(model), model, g, index.rows.length);
  const [first, end] = visibleRows(v, g, index.rows.length);
  if (end <= first) return undefined;
  const W = g.width;
  const pc = (x: number): string => `${Number(((x / W) * 100).toFixed(4))}%`;
  const yOf = (row: number): number => AXIS + row * ROW - v.top;
  const h = yOf(end);
  const out: string[] = [
    `<svg id="${FIRST_FRAME_ID}" aria-hidden="true" focusable="false" width="100%" height="${h}" font-family="sans-serif" font-size="11">`,
    // A mark's diamond (a cluster's bigger), and an arrow's head pointing down or up.
    '<defs><path id="ffD" d="M0 -5L4 0L0 5L-4 0"/><path id="ffC" d="M0 -6L4.8 0L0 6L-4.8 0"/><path id="ffDown" d="M-3 -5L0 -1L3 -5" fill="none"/><path id="ffUp" d="M-3 5L0 1L3 5" fill="none"/></defs>',
  ];
  out.push(`<rect class="lg-fill-background" width="100%" height="${h}"/>`);
  // The axis: ticks and the times under them, as the canvas spaces them.
  const ticks = Math.max(2, Math.floor(W / 120));
  out.push('<g class="lg-fill-foreground" dominant-baseline="middle">');
  for (let k = 0; k <= ticks; k++) {
    const x = (k / ticks) * W;
    const anchor = k === 0 ? 'start' : k === ticks ? 'end' : 'middle';
    out.push(`<rect x="${pc(Math.round(x))}" y="${AXIS - 5}" width="1" height="5"/><text x="${pc(x)}" y="${AXIS / 2 - 1}" text-anchor="${anchor}">${esc(formatTime(xToTime(x, v, W)))}</text>`);
  }
  out.push('</g>');
  const labels = [`<div class="${FIRST_ROWS}">`];
  const glyphsOf: Array<[number, Glyph[]]> = [];
  for (let i = first; i < end; i++) {
    const r = index.rows[i];
    const y = yOf(i);
    const e = rowElement(r);
    const data = Object.entries(e.data).map(([k, val]) => ` data-${k}="${esc(val)}"`).join('');
    labels.push(`<div role="listitem" class="${e.className}"${data} aria-label="${esc(e.aria)}">${esc(e.text)}</div>`);
    out.push(`<rect class="lg-fill-grid" x="0" y="${y + ROW - 0.5}" width="100%" height="0.5"/>`);
    // Bars at the pixels the canvas fills (a bar narrower than a pixel still shows).
    const bar = (top: number, height: number) => (x0: number, x1: number, colour: string): void => {
      const a = Math.max(0, Math.round(x0));
      const b = Math.min(W, Math.max(a + 1, Math.round(x1)));
      if (a < W) out.push(`<rect class="lg-fill-${colour}" x="${pc(a)}" y="${top}" width="${pc(b - a)}" height="${height}"/>`);
    };
    if (r.kind === 'cpu') {
      const put = bar(y + 4, ROW - 8);
      cpuBarsEach(index.runsOf.get(r.cpu) ?? [], v, W, (x0, x1, pid) => put(x0, x1, NAMED.cpu[pid % NAMED.cpu.length]));
    } else {
      const put = bar(y + 6, ROW - 12);
      laneBarsEach(r.lane.spans, v, W, (x0, x1, s) => put(x0, x1, NAMED.states[s]));
      glyphsOf.push([i, laneGlyphs(index.marksOf[r.laneIndex] ?? [], v, W)]);
    }
  }
  labels.push('</div>');
  arrows(out, index, glyphsOf, yOf, first, end, pc);
  for (const [row, glyphs] of glyphsOf) {
    for (const gl of glyphs) {
      const single = gl.count === 1;
      out.push(`<use href="#${single ? 'ffD' : 'ffC'}" class="lg-fill-${single ? NAMED.marks[gl.first.kind] : 'foreground'}" x="${pc(gl.x)}" y="${yOf(row) + ROW / 2}"/>`);
    }
  }
  const nx = timeToX(model.now, v, W);
  if (nx >= 0 && nx <= W) out.push(`<rect class="lg-fill-now" x="${pc(Math.round(nx) - 1)}" y="0" width="2" height="${Math.min(h, yOf(index.rows.length))}"/>`);
  out.push('</svg>');
  const plot = out.join('');
  const rows = labels.join('');
  return plot.length + rows.length <= MAX_CHARS ? { labels: rows, plot } : undefined;
}

/** Fork, reap, reparent and signal arrows between the rows of single marks, as the canvas draws them. */
function arrows(out: string[], index: TimelineIndex, glyphsOf: ReadonlyArray<[number, Glyph[]]>, yOf: (row: number) => number, first: number, end: number, pc: (x: number) => string): void {
  arrowsEach(index, glyphsOf.map(([, g]) => g), yOf, ROW, first, end, (gx, y0, y1, gl) => {
    const cls = `lg-stroke-${NAMED.marks[gl.first.kind]}`;
    const x = pc(gx);
    out.push(`<line class="${cls}" x1="${x}" x2="${x}" y1="${y0}" y2="${y1}"/><use href="#${y1 > y0 ? 'ffDown' : 'ffUp'}" class="${cls}" x="${x}" y="${y1}"/>`);
  });
}
