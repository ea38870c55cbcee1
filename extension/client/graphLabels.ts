// Where the process tree puts the words on its first-parent edges ("parent until reparented"):
// on the edge's curve where the words cover no task's box, else beside the curve, else in the
// strip above the top row (no box is ever there). Boxes are looked up by row and by x (binary
// search), labels already placed by a coarse grid, so a tree of thousands of tasks places its
// labels in a few milliseconds. Pure: shared by the page, the export and the tests.
import type { PlacedNode } from './graphLayout';

export const EDGE_LABEL = 'parent until reparented';
/** The label's font size, and a generous width per character of a monospace font that size. */
export const LABEL_FONT = 10;
const CHAR_W = 6.2;
/** The label's box: from 9 pixels above its baseline to 3 below, plus the halo around the glyphs. */
export const LABEL_H = 12;
const ASCENT = 9;
/** Room kept between a label and a box. */
const PAD = 2;

export interface Rect { x: number; y: number; w: number; h: number }

export function labelWidth(text: string): number {
  return Math.ceil(text.length * CHAR_W) + 6;
}

/** The rectangle of a label drawn centred (text-anchor middle) at x on baseline y. */
export function labelRect(text: string, x: number, y: number): Rect {
  const w = labelWidth(text);
  return { x: x - w / 2, y: y - ASCENT, w, h: LABEL_H };
}

/** True when the two rectangles share more than an edge. */
export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The boxes of a layout, by row (their top) and, in each row, by left edge. */
export class BoxIndex {
  private readonly tops: number[];
  private readonly rows = new Map<number, number[]>();

  constructor(nodes: readonly PlacedNode[], private readonly w: number, private readonly h: number) {
    for (const p of nodes) {
      let xs = this.rows.get(p.y);
      if (!xs) this.rows.set(p.y, (xs = []));
      xs.push(p.x);
    }
    for (const xs of this.rows.values()) xs.sort((a, b) => a - b);
    this.tops = [...this.rows.keys()].sort((a, b) => a - b);
  }

  /** Whether a rectangle, grown by PAD on each side, meets a box. */
  hits(r: Rect): boolean {
    const x0 = r.x - PAD, x1 = r.x + r.w + PAD, y0 = r.y - PAD, y1 = r.y + r.h + PAD;
    // Rows whose top is in (y0 - h, y1): their boxes reach into the rectangle's height.
    for (let i = firstAbove(this.tops, y0 - this.h); i < this.tops.length && this.tops[i] < y1; i++) {
      const xs = this.rows.get(this.tops[i]) as number[];
      const j = firstAbove(xs, x0 - this.w);
      if (j < xs.length && xs[j] < x1) return true;
    }
    return false;
  }
}

/** Index of the first value strictly greater than v in an ascending list. */
function firstAbove(list: readonly number[], v: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] <= v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** The labels placed so far, in cells of a coarse grid. */
export class LabelGrid {
  private readonly cells = new Map<string, Rect[]>();
  private static readonly CW = 200;
  private static readonly CH = 40;

  private keys(r: Rect): string[] {
    const out: string[] = [];
    for (let i = Math.floor(r.x / LabelGrid.CW); i <= Math.floor((r.x + r.w) / LabelGrid.CW); i++) {
      for (let j = Math.floor(r.y / LabelGrid.CH); j <= Math.floor((r.y + r.h) / LabelGrid.CH); j++) out.push(`${i},${j}`);
    }
    return out;
  }

  add(r: Rect): void {
    for (const k of this.keys(r)) {
      const list = this.cells.get(k);
      if (list) list.push(r); else this.cells.set(k, [r]);
    }
  }

  hits(r: Rect): boolean {
    return this.keys(r).some((k) => this.cells.get(k)?.some((o) => overlaps(o, r)) ?? false);
  }
}

/** Points along the curve (as fractions of it), and moves off it, in the order they are tried. */
const TRIES: ReadonlyArray<{ t: number; dy: number }> = (() => {
  const out: Array<{ t: number; dy: number; cost: number }> = [];
  for (let t = 0.1; t < 0.95; t += 0.1) {
    for (let dy = -96; dy <= 96; dy += 6) out.push({ t, dy, cost: Math.abs(dy) + 50 * Math.abs(t - 0.5) + (dy > 0 ? 0.5 : 0) });
  }
  return out.sort((a, b) => a.cost - b.cost).map(({ t, dy }) => ({ t, dy }));
})();

/**
 * The baseline point of a label for a curve (point at fraction t given by `at`): the first try
 * whose label meets no box and no label placed before, else the first that meets no box, else
 * the strip above the top row. The label stays inside the picture (width x height).
 */
export interface LabelPlace {
  /** The middle of the label's baseline. */
  x: number; y: number;
  rect: Rect;
  /** The point of the curve it belongs to, and a short line from there to the label when it had to move off the curve. */
  ax: number; ay: number;
  leader?: string;
}

export function placeLabel(text: string, at: (t: number) => [number, number], boxes: BoxIndex, placed: LabelGrid, width: number, height: number, top: number): LabelPlace {
  const w = labelWidth(text);
  const clampX = (x: number): number => Math.min(Math.max(x, w / 2 + 1), Math.max(w / 2 + 1, width - w / 2 - 1));
  const clampY = (y: number): number => Math.min(Math.max(y, ASCENT + 1), Math.max(ASCENT + 1, height - (LABEL_H - ASCENT) - 1));
  let boxFree: LabelPlace | undefined;
  for (const { t, dy } of TRIES) {
    const [px, py] = at(t);
    // The curve's point is the label's middle: its baseline is a little lower.
    const x = clampX(px), y = clampY(py + dy + LABEL_H / 2 - (LABEL_H - ASCENT));
    const rect = labelRect(text, x, y);
    if (boxes.hits(rect)) continue;
    const place = withLeader({ x, y, rect, ax: px, ay: py });
    if (!placed.hits(rect)) { placed.add(rect); return place; }
    boxFree ??= place;
  }
  // No box lies above the top row (its margin is taller than a label): the last resort.
  const [ax, ay] = at(0.5);
  const x = clampX(ax), y = Math.max(ASCENT + 1, top - PAD - (LABEL_H - ASCENT) - 1);
  const last = boxFree ?? withLeader({ x, y, rect: labelRect(text, x, y), ax, ay });
  placed.add(last.rect);
  return last;
}

/** A label off its curve gets a line from the curve's point to the nearest point of its box. */
function withLeader(p: LabelPlace): LabelPlace {
  const { rect: r, ax, ay } = p;
  const nx = Math.min(Math.max(ax, r.x), r.x + r.w), ny = Math.min(Math.max(ay, r.y), r.y + r.h);
  if (Math.hypot(nx - ax, ny - ay) < 3) return p;
  const f = (n: number): string => String(Math.round(n * 10) / 10);
  return { ...p, leader: `M${f(ax)},${f(ay)}L${f(nx)},${f(ny)}` };
}
