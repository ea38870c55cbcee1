// The timeline page's canvas (part of the page script): one frame of the visible window drawn
// on it, the axis, the grid, the lanes' and CPU rows' bars, the arrows between lanes, the mark
// glyphs, the selected mark's box and the current moment's line.
/// <reference lib="dom" />
import { arrowsEach, cpuBarsEach, laneBarsEach, laneGlyphs, timeToX, visibleRows, type Geometry, type Glyph, type TimelineIndex, type View } from './timelineLayout';
import { Axis, Batch, glyphPath, Strips } from './timelineCanvas';
import { AXIS, ROW } from './timelineElements';
import { DEFAULT_PALETTE, pidColour, type Palette } from './timelineText';
import type { LaneState, Mark } from './timelineTypes';

/**
 * How many rows the canvas has room for, given the room it has and the rows there are now: the
 * rows exactly at first (a run of a few tasks draws, and hands the compositor, a strip the height
 * of its rows: the pixels, not the drawing, were most of the cost of the panel's first frame);
 * doubled when a growing run outgrows it, so its resizes (each makes a later frame slower) are
 * few; the rows exactly again when a new run has far fewer.
 */
export function canvasRoom(room: number, rows: number): number {
  const need = Math.max(1, rows);
  if (room <= 0 || need * 4 < room) return need;
  return need <= room ? room : Math.max(need, room * 2);
}

/** Where a mark is drawn in a frame: its glyph (alone or in a cluster) and that glyph's row. */
export function glyphOf(index: TimelineIndex, drawn: ReadonlyMap<number, Glyph[]>, m: Mark | undefined): { row: number; glyph: Glyph } | undefined {
  if (!m) return undefined;
  const row = index.rowOfLane[m.lane];
  const i = index.marksOf[m.lane]?.indexOf(m) ?? -1;
  const glyph = drawn.get(row)?.find((g) => i >= g.firstIndex && i < g.firstIndex + g.count);
  return glyph ? { row, glyph } : undefined;
}

/** A frame drawn: the glyphs by row (what hover, click and the mark buttons use), the rows shown and each row's top. */
export interface Frame { drawn: Map<number, Glyph[]>; first: number; end: number; yOf: (row: number) => number }

export class TimelinePainter {
  private readonly ctx: CanvasRenderingContext2D;
  /** The rows the canvas has room for (0: none yet). */
  private room = 0;
  private readonly strips = new Strips();
  private readonly axis = new Axis();
  private palette: Palette = DEFAULT_PALETTE;
  /** The bars of the line being drawn, straight into its pixels. */
  private readonly cpuBar = (x0: number, x1: number, pid: number): void => this.strips.bar(x0, x1, pidColour(this.palette, pid));
  private readonly stateBar = (x0: number, x1: number, s: LaneState): void => this.strips.bar(x0, x1, this.palette.states[s]);

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { alpha: false }) ?? (() => { throw new Error('no 2d canvas'); })();
  }

  /** Draws the window `v` of the model indexed (or, without one, the background); `selected` gets a box around its glyph. */
  paint(index: TimelineIndex | undefined, v: View | undefined, g: Geometry, palette: Palette, selected: Mark | undefined): Frame | undefined {
    const { ctx, canvas } = this;
    this.palette = palette;
    const dpr = window.devicePixelRatio || 1;
    // Without a model, the panel's height: the first model drawn is usually a whole run's.
    if (index) this.room = canvasRoom(this.room, index.rows.length);
    const h = index ? Math.min(g.height, this.room * ROW) + AXIS : g.height + AXIS;
    if (canvas.width !== Math.round(g.width * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(g.width * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${g.width}px`;
      canvas.style.height = `${h}px`;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = palette.background;
    ctx.fillRect(0, 0, g.width, h);
    if (!index || !v) return undefined;
    const drawn = new Map<number, Glyph[]>();
    const [first, end] = visibleRows(v, g, index.rows.length);
    this.axis.draw(ctx, v, g, AXIS, palette);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, AXIS, g.width, g.height);
    ctx.clip();
    const yOf = (row: number): number => AXIS + row * ROW - v.top;
    const bars = new Batch();
    const strips = this.strips;
    strips.begin(g.width, dpr, end - first);
    for (let i = first; i < end; i++) {
      const r = index.rows[i];
      const y = yOf(i);
      bars.path(palette.grid).rect(0, y + ROW - 0.5, g.width, 0.5);
      if (r.kind === 'cpu') {
        strips.line(i - first, y + 4, ROW - 8);
        cpuBarsEach(index.runsOf.get(r.cpu) ?? [], v, g.width, this.cpuBar);
        continue;
      }
      strips.line(i - first, y + 6, ROW - 12);
      laneBarsEach(r.lane.spans, v, g.width, this.stateBar);
      drawn.set(i, laneGlyphs(index.marksOf[r.laneIndex] ?? [], v, g.width));
    }
    bars.fill(ctx);
    strips.draw(ctx, g.width);
    this.arrows(index, drawn, yOf, first, end);
    const glyphs = new Batch();
    for (const [row, gs] of drawn) for (const gl of gs) glyphPath(glyphs, gl, yOf(row) + ROW / 2, palette);
    glyphs.fill(ctx);
    const sel = glyphOf(index, drawn, selected);
    if (sel) {
      ctx.strokeStyle = palette.foreground;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(sel.glyph.x - 7, yOf(sel.row) + ROW / 2 - 8, 14, 16);
    }
    ctx.restore();
    const nx = timeToX(index.model.now, v, g.width);
    if (nx >= 0 && nx <= g.width) {
      ctx.fillStyle = palette.now;
      // Down to the last lane's bottom (the canvas may have room for a few more rows).
      ctx.fillRect(Math.round(nx) - 1, 0, 2, Math.min(h, yOf(index.rows.length)));
    }
    return { drawn, first, end, yOf };
  }

  /** Fork, reap, reparent and signal arrows between the lanes of single (not clustered) marks. */
  private arrows(index: TimelineIndex, drawn: ReadonlyMap<number, Glyph[]>, yOf: (row: number) => number, first: number, end: number): void {
    const lines = new Batch();
    arrowsEach(index, drawn.values(), yOf, ROW, first, end, (x, y0, y1, gl) => {
      const p = lines.path(this.palette.marks[gl.first.kind]);
      p.moveTo(x, y0); p.lineTo(x, y1);
      const dir = Math.sign(y1 - y0);
      p.moveTo(x - 3, y1 - dir * 5); p.lineTo(x, y1 - dir * 1); p.lineTo(x + 3, y1 - dir * 5);
    });
    lines.stroke(this.ctx, 1);
  }
}
