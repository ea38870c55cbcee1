// The timeline page's drawing helpers: the theme's palette, shapes batched per colour, the time
// axis, mark glyphs, and pooled DOM elements (the page reuses them from frame to frame).
/// <reference lib="dom" />
import { xToTime, type Geometry, type Glyph, type View } from './timelineLayout';
import { formatTime, PALETTE_VARS, paletteFrom, type Palette } from './timelineText';

/** The theme's colours, from the CSS variables VS Code sets on the page. */
export function readPalette(): Palette {
  const s = getComputedStyle(document.documentElement);
  return paletteFrom((k) => s.getPropertyValue(PALETTE_VARS[k][0]).trim() || PALETTE_VARS[k][1]);
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

/** The time axis: ticks and their times along the top of the page's canvas. */
export class Axis {
  draw(ctx: CanvasRenderingContext2D, v: View, g: Geometry, axis: number, palette: Palette): void {
    ctx.fillStyle = palette.foreground;
    ctx.font = AXIS_FONT;
    ctx.textBaseline = 'middle';
    const ticks = Math.max(2, Math.floor(g.width / 120));
    for (let k = 0; k <= ticks; k++) {
      const x = (k / ticks) * g.width;
      ctx.fillRect(Math.round(x), axis - 5, 1, 5);
      ctx.textAlign = k === 0 ? 'left' : k === ticks ? 'right' : 'center';
      ctx.fillText(formatTime(xToTime(x, v, g.width)), x, axis / 2 - 1);
    }
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


/**
 * Rows of bars drawn as one line of pixels each: the frame's rows filled into one image, put
 * once, and each line stretched to its row's bar height. A zoomed-out frame holds thousands of
 * bars a pixel or two wide; this costs a write per pixel instead of a path per bar.
 */
export class Strips {
  private readonly canvas = document.createElement('canvas');
  private readonly sctx = this.canvas.getContext('2d') ?? (() => { throw new Error('no 2d canvas'); })();
  private image: ImageData | undefined;
  private pixels = new Uint32Array(0);
  private readonly colours = new Map<string, number>();
  private readonly rows: Array<{ line: number; y: number; h: number }> = [];
  private columns = 1;
  private scale = 1;
  /** The current line's first pixel, and how many lines the frame uses. */
  private base = 0;
  private lines = 0;

  /** A frame of `lines` rows, `width` CSS pixels wide at `dpr` device pixels each. */
  begin(width: number, dpr: number, lines: number): void {
    const w = Math.max(1, Math.round(width * dpr)), h = Math.max(1, lines);
    if (!this.image || this.image.width !== w || this.image.height < h) {
      this.image = new ImageData(w, Math.max(h, this.image?.height ?? 0));
      this.pixels = new Uint32Array(this.image.data.buffer);
      this.canvas.width = w;
      this.canvas.height = this.image.height;
    } else {
      this.pixels.fill(0, 0, w * h);
    }
    this.columns = w;
    this.scale = dpr;
    this.rows.length = 0;
    this.lines = 0;
  }

  /** Line `line` holds `bars` (x in CSS pixels), drawn at y with height h. A bar narrower than a pixel still shows. */
  row<S>(line: number, bars: ReadonlyArray<{ x0: number; x1: number; value: S }>, colourOf: (s: S) => string, y: number, h: number): void {
    this.line(line, y, h);
    for (const b of bars) this.bar(b.x0, b.x1, colourOf(b.value));
  }

  /** Starts line `line`, drawn at y with height h: the bars that follow (bar) are its. */
  line(line: number, y: number, h: number): void {
    this.base = line * this.columns;
    this.rows.push({ line, y, h });
    if (line + 1 > this.lines) this.lines = line + 1;
  }

  /** A bar of the current line, x in CSS pixels. A bar narrower than a pixel still shows. */
  bar(x0: number, x1: number, colour: string): void {
    const c = this.rgba(colour);
    let a = Math.max(0, Math.round(x0 * this.scale));
    const e = Math.min(this.columns, Math.max(a + 1, Math.round(x1 * this.scale)));
    if (a >= this.columns) return;
    const base = this.base;
    for (; a < e; a++) this.pixels[base + a] = c;
  }

  /** The lines, put once and stretched into their rows, unsmoothed so neighbouring lines do not bleed. */
  draw(ctx: CanvasRenderingContext2D, width: number): void {
    if (!this.image || !this.rows.length) return;
    this.sctx.putImageData(this.image, 0, 0, 0, 0, this.columns, this.lines);
    const smooth = ctx.imageSmoothingEnabled;
    ctx.imageSmoothingEnabled = false;
    for (const r of this.rows) ctx.drawImage(this.canvas, 0, r.line, this.columns, 1, 0, r.y, width, r.h);
    ctx.imageSmoothingEnabled = smooth;
  }

  /** A CSS colour as the image's 32-bit pixel (an opaque hex or rgb() colour read here; any other resolved by a canvas). */
  private rgba(colour: string): number {
    let c = this.colours.get(colour);
    if (c !== undefined) return c;
    c = opaquePixel(colour, LITTLE_ENDIAN) ?? this.probe(colour);
    this.colours.set(colour, c);
    return c;
  }

  private probeCtx: CanvasRenderingContext2D | null | undefined;

  private probe(colour: string): number {
    this.probeCtx ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    const probe = this.probeCtx;
    if (!probe) return 0;
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = '#000000';
    probe.fillStyle = colour;
    probe.fillRect(0, 0, 1, 1);
    return new Uint32Array(probe.getImageData(0, 0, 1, 1).data.buffer)[0];
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * An opaque colour written #rgb, #rrggbb, #rrggbbff or rgb(r, g, b) (as the theme's variables
 * give them) as an RGBA pixel read as one 32-bit number in the machine's byte order; undefined
 * for any other form (named colours, transparency), which the caller resolves otherwise.
 */
export function opaquePixel(colour: string, littleEndian: boolean): number | undefined {
  const s = colour.trim().toLowerCase();
  let r: number, g: number, b: number;
  let m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(s);
  if (m) {
    [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h + h, 16));
  } else if ((m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})(ff)?$/.exec(s))) {
    [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h, 16));
  } else if ((m = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(s))) {
    [r, g, b] = [m[1], m[2], m[3]].map(Number);
    if (r > 255 || g > 255 || b > 255) return undefined;
  } else {
    return undefined;
  }
  return littleEndian ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}
