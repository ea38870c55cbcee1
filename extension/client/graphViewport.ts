// The tree view's window onto the laid-out tree: where the viewport's top-left corner is in layout
// pixels and the scale, fitted, zoomed about a point, panned, kept over the tree, and moved to
// show one box. Pure, so the page and the tests share it.
import { NODE_H, NODE_W } from './graphLayout';

export interface Port { x: number; y: number; k: number }
export interface Size { w: number; h: number }
export interface Extent { width: number; height: number }

/** Larger than this, a box is larger than it needs to be. */
export const MAX_SCALE = 3;
const FIT_MAX = 1.25;

export function fitScale(e: Extent, s: Size): number {
  return Math.min(s.w / e.width, s.h / e.height, FIT_MAX);
}

/** The whole tree in view, centred. */
export function fitPort(e: Extent, s: Size): Port {
  const k = fitScale(e, s);
  return { k, x: (e.width - s.w / k) / 2, y: (e.height - s.h / k) / 2 };
}

/** Keeps the scale between half the fit (or half of 1) and MAX_SCALE, and part of the tree in view. */
export function clampPort(p: Port, e: Extent, s: Size): Port {
  const minK = Math.min(fitScale(e, s), 1) / 2;
  const k = Math.min(Math.max(Number.isFinite(p.k) ? p.k : 1, minK), MAX_SCALE);
  const vw = s.w / k, vh = s.h / k;
  // A tree narrower than the view may sit anywhere in it; a wider one keeps a quarter of the view covered.
  const range = (span: number, room: number): [number, number] => (span <= room ? [span - room, 0] : [-room / 4, span - room * 3 / 4]);
  const [ax, bx] = range(e.width, vw), [ay, by] = range(e.height, vh);
  const x = Number.isFinite(p.x) ? p.x : 0, y = Number.isFinite(p.y) ? p.y : 0;
  return { k, x: Math.min(Math.max(x, ax), bx), y: Math.min(Math.max(y, ay), by) };
}

/** Zoom by `f` keeping the layout point under (px, py) of the viewport where it is. */
export function zoomPort(p: Port, f: number, px: number, py: number, e: Extent, s: Size): Port {
  const lx = p.x + px / p.k, ly = p.y + py / p.k;
  const k = clampPort({ ...p, k: p.k * f }, e, s).k;
  return clampPort({ k, x: lx - px / k, y: ly - py / k }, e, s);
}

/** Pan by screen pixels. */
export function panPort(p: Port, dx: number, dy: number, e: Extent, s: Size): Port {
  return clampPort({ k: p.k, x: p.x + dx / p.k, y: p.y + dy / p.k }, e, s);
}

/** The same port when the box at (bx, by) is wholly in view, else one centred on it (same scale). */
export function revealBox(p: Port, bx: number, by: number, e: Extent, s: Size): Port {
  const vw = s.w / p.k, vh = s.h / p.k;
  let { x, y } = p;
  if (bx < x || bx + NODE_W > x + vw) x = bx + NODE_W / 2 - vw / 2;
  if (by < y || by + NODE_H > y + vh) y = by + NODE_H / 2 - vh / 2;
  return x === p.x && y === p.y ? p : clampPort({ k: p.k, x, y }, e, s);
}
