// The tree view's export: the whole laid-out process tree (not just the part on screen) as a
// standalone SVG document in the theme's colours resolved to values, so it reads the same outside
// the editor (pure text, shared by the page and the tests), and that SVG drawn as a PNG in the page.
/// <reference lib="dom" />
import { EDGE_LABEL, LABEL_FONT } from './graphLabels';
import { graphHeading, NODE_H, NODE_W, nodeSubtitle, nodeTitle, type GraphLayout, type PlacedNode } from './graphLayout';
import type { Palette } from './timelineText';

const HEAD = 28;

export function xmlText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '?').replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Fill, stroke and text colour of a box; a reaped task is drawn hollow and dashed. */
export function boxColours(p: PlacedNode, palette: Palette): { fill: string; stroke: string; text: string; dash?: string; opacity?: string } {
  const s = p.node.state;
  if (s === 'reaped') return { fill: palette.background, stroke: palette.foreground, text: palette.foreground, dash: '5 3', opacity: '0.45' };
  return { fill: palette.states[s], stroke: palette.foreground, text: '#000000' };
}

/** A text that fits a box's width in the export's monospace font (about 7 pixels a character). */
export function fitText(s: string): string {
  const max = Math.floor((NODE_W - 12) / 7);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The exported picture's size in pixels: the layout and the heading above it. */
export function graphSvgSize(l: GraphLayout): { w: number; h: number } {
  return { w: Math.ceil(l.width), h: Math.ceil(l.height + HEAD) };
}

/** The PNG's scale: twice the size for sharpness, less for a tree beyond 16,000 pixels a side or 100 megapixels (a canvas's limits). */
export function pngScale(w: number, h: number): number {
  return Math.min(2, 16_000 / w, 16_000 / h, Math.sqrt(100e6 / (w * h)));
}

/**
 * A PNG data URL of the SVG text, drawn through an image (a data: URL, which the page's
 * Content-Security-Policy allows for images) onto a canvas. Runs in the page.
 */
export function svgToPng(text: string, w: number, h: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const scale = pngScale(w, h);
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = Math.max(1, Math.floor(w * scale));
      c.height = Math.max(1, Math.floor(h * scale));
      const ctx = c.getContext('2d');
      if (!ctx) { reject(new Error('no 2d canvas')); return; }
      ctx.drawImage(img, 0, 0, c.width, c.height);
      resolve(c.toDataURL('image/png'));
    };
    img.onerror = () => reject(new Error('the tree\'s SVG did not load as an image'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  });
}

export function graphSvg(l: GraphLayout, palette: Palette, tasksLabel?: string): string {
  const { w, h } = graphSvgSize(l);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="monospace" font-size="11">`);
  const heading = tasksLabel ?? graphHeading(l.graph, l.nodes.length);
  out.push(`<title>${xmlText(heading)}</title>`);
  out.push(`<rect x="0" y="0" width="${w}" height="${h}" fill="${xmlText(palette.background)}"/>`);
  out.push(`<text x="12" y="18" fill="${xmlText(palette.foreground)}" font-size="13">${xmlText(heading)}</text>`);
  out.push(`<g transform="translate(0,${HEAD})">`);
  for (const e of l.edges) {
    const kind = e.edge.kind;
    const dash = kind === 'thread' ? ' stroke-dasharray="2 3"' : kind === 'original-parent' ? ' stroke-dasharray="6 4"' : '';
    const op = kind === 'original-parent' ? ' stroke-opacity="0.6"' : '';
    out.push(`<path class="edge ${kind}" d="${e.d}" fill="none" stroke="${xmlText(kind === 'original-parent' ? palette.states['disk-sleep'] : palette.foreground)}" stroke-width="1.2"${dash}${op}/>`);
  }
  for (const p of l.nodes) {
    const c = boxColours(p, palette);
    const n = p.node;
    const rx = n.thread ? 14 : 3;
    const attrs = `${c.dash ? ` stroke-dasharray="${c.dash}"` : ''}${c.opacity ? ` opacity="${c.opacity}"` : ''}`;
    out.push(`<g class="node" data-pid="${n.pid}" data-state="${n.state}"${attrs}>`);
    out.push(`<rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="${rx}" fill="${xmlText(c.fill)}" stroke="${xmlText(c.stroke)}"/>`);
    out.push(`<text x="${p.x + 8}" y="${p.y + 15}" fill="${xmlText(c.text)}" font-weight="bold">${xmlText(fitText(nodeTitle(n)))}</text>`);
    out.push(`<text x="${p.x + 8}" y="${p.y + 30}" fill="${xmlText(c.text)}">${xmlText(fitText(nodeSubtitle(n)))}</text>`);
    out.push('</g>');
  }
  // The first parents' labels, placed clear of the boxes, haloed in the background colour.
  for (const e of l.edges) {
    if (e.edge.kind !== 'original-parent') continue;
    out.push(`<text class="edge-label" x="${e.lx}" y="${e.ly}" text-anchor="middle" font-size="${LABEL_FONT}" fill="${xmlText(palette.states['disk-sleep'])}" stroke="${xmlText(palette.background)}" stroke-width="3" paint-order="stroke">${EDGE_LABEL}</text>`);
  }
  out.push('</g></svg>');
  return `${out.join('\n')}\n`;
}
