// The timeline page's drawing helpers: the theme's palette, shapes batched per colour, the time
// axis, mark glyphs, and pooled DOM elements (the page reuses them from frame to frame).
/// <reference lib="dom" />
import { xToTime, type Geometry, type Glyph, type View } from './timelineLayout';
import { DEFAULT_PALETTE, formatTime, type Palette } from './timelineText';
import type { LaneState, MarkKind } from './timelineTypes';

/** The theme's colours, from the CSS variables VS Code sets on the page. */
export function readPalette(): Palette {
  const s = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => s.getPropertyValue(name).trim() || fallback;
  const d = DEFAULT_PALETTE;
  const states: Record<LaneState, string> = {
    running: v('--vscode-charts-green', d.states.running), runnable: v('--vscode-charts-yellow', d.states.runnable),
    sleeping: v('--vscode-charts-blue', d.states.sleeping), 'disk-sleep': v('--vscode-charts-orange', d.states['disk-sleep']),
    stopped: v('--vscode-charts-purple', d.states.stopped), zombie: v('--vscode-charts-red', d.states.zombie),
    alive: v('--vscode-charts-lines', d.states.alive),
  };
  const fg = v('--vscode-editor-foreground', d.foreground);
  const marks: Record<MarkKind, string> = {
    fork: states.running, exec: states.sleeping, exit: fg, zombie: states.zombie, reap: states.stopped, reparent: states['disk-sleep'], signal: states.runnable,
  };
  return {
    background: v('--vscode-editor-background', d.background), foreground: fg, grid: v('--vscode-editorWidget-border', d.grid),
    now: v('--vscode-editorError-foreground', d.now), states, marks,
    cpu: [states.sleeping, states.running, states.runnable, states.stopped, states['disk-sleep'], states.zombie],
  };
}

/** Shapes gathered per colour and filled (or stroked) once each: a frame changes colour a few times, not per shape. */
export class Batch {
  private readonly paths = new Map<string, Path2D>();
  path(colour: string): Path2D {
    let p = this.paths.get(colour);
    if (!p) { p = new Path2D(); this.paths.set(colour, p); }
    return p;
  }
  fill(ctx: CanvasRenderingContext2D): void {
    for (const [colour, p] of this.paths) { ctx.fillStyle = colour; ctx.fill(p); }
  }
  stroke(ctx: CanvasRenderingContext2D, width: number): void {
    ctx.lineWidth = width;
    for (const [colour, p] of this.paths) { ctx.strokeStyle = colour; ctx.stroke(p); }
  }
}

const AXIS_FONT = '11px sans-serif';

export function drawAxis(ctx: CanvasRenderingContext2D, v: View, g: Geometry, axis: number, palette: Palette): void {
  ctx.fillStyle = palette.foreground;
  // Setting a font makes the page resolve styles (and lay out whatever a frame moved): only when it differs.
  if (ctx.font !== AXIS_FONT) ctx.font = AXIS_FONT;
  ctx.textBaseline = 'middle';
  const ticks = Math.max(2, Math.floor(g.width / 120));
  for (let k = 0; k <= ticks; k++) {
    const x = (k / ticks) * g.width;
    ctx.fillRect(Math.round(x), axis - 5, 1, 5);
    ctx.textAlign = k === 0 ? 'left' : k === ticks ? 'right' : 'center';
    ctx.fillText(formatTime(xToTime(x, v, g.width)), x, axis / 2 - 1);
  }
}

/** A mark as a diamond in its kind's colour; a cluster as a larger one in the text colour. */
export function glyphPath(batch: Batch, gl: Glyph, cy: number, palette: Palette): void {
  const single = gl.count === 1;
  const p = batch.path(single ? palette.marks[gl.first.kind] : palette.foreground);
  const r = single ? 5 : 6;
  // Filling closes each diamond; an explicit closePath costs as much as the rest of the shape.
  p.moveTo(gl.x, cy - r); p.lineTo(gl.x + r * 0.8, cy); p.lineTo(gl.x, cy + r); p.lineTo(gl.x - r * 0.8, cy);
}

/** Keeps `n` pooled elements in a container, in order, creating or detaching as needed. */
export function pooled<E extends HTMLElement>(pool: E[], n: number, parent: HTMLElement, make: () => E): E[] {
  while (pool.length < n) pool.push(make());
  for (let i = 0; i < pool.length; i++) {
    const e = pool[i];
    if (i < n && e.parentElement !== parent) parent.appendChild(e);
    else if (i >= n && e.parentElement) e.remove();
  }
  return pool.slice(0, n);
}

