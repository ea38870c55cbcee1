// The tree view's export: the whole laid-out process tree (not just the part on screen) as a
// standalone SVG document in the theme's colours resolved to values, with a legend of what that
// tree shows under it, so it reads the same outside the editor (pure text, shared by the page and
// the tests), and that SVG drawn as a PNG in the page.
/// <reference lib="dom" />
import { EDGE_LABEL, LABEL_FONT } from './graphLabels';
import { legendHeight, legendMinWidth, legendSvg, treeLegend, xmlText } from './graphLegend';
import { graphHeading, NODE_H, NODE_W, nodeSubtitle, nodeTitle, type GraphLayout, type PlacedNode } from './graphLayout';
import type { Palette } from './timelineText';

const HEAD = 28;
/** The heading's font (monospace, 13 pixels): a generous width per character. */
const HEAD_CHAR_W = 8;

export { xmlText };

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

/** The exported picture's size in pixels: the heading, the layout, and the legend under it (never narrower than the heading or the legend's widest item). */
export function graphSvgSize(l: GraphLayout, heading = graphHeading(l.graph, l.nodes.length)): { w: number; h: number } {
  const groups = treeLegend(l);
  const w = Math.ceil(Math.max(l.width, legendMinWidth(groups), heading.length * HEAD_CHAR_W + 24));
  return { w, h: Math.ceil(l.height + HEAD) + legendHeight(groups, w) };
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
    img.onerror = () => reject(new Error('the SVG picture did not load as an image'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  });
}

export function graphSvg(l: GraphLayout, palette: Palette, tasksLabel?: string): string {
  const heading = tasksLabel ?? graphHeading(l.graph, l.nodes.length);
  const { w, h } = graphSvgSize(l, heading);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="monospace" font-size="11">`);
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
    // A thread's box is dotted, as on the page (a reaped one keeps its group's dashes).
    const dotted = n.thread && !c.dash ? ' stroke-dasharray="1 2"' : '';
    out.push(`<rect x="${p.x}" y="${p.y}" width="${NODE_W}" height="${NODE_H}" rx="${rx}" fill="${xmlText(c.fill)}" stroke="${xmlText(c.stroke)}"${dotted}/>`);
    out.push(`<text x="${p.x + 8}" y="${p.y + 15}" fill="${xmlText(c.text)}" font-weight="bold">${xmlText(fitText(nodeTitle(n)))}</text>`);
    out.push(`<text x="${p.x + 8}" y="${p.y + 30}" fill="${xmlText(c.text)}">${xmlText(fitText(nodeSubtitle(n)))}</text>`);
    out.push('</g>');
  }
  // The first parents' labels, placed clear of the boxes, haloed in the background colour.
  for (const e of l.edges) {
    if (e.edge.kind !== 'original-parent') continue;
    if (e.leader) out.push(`<path class="edge-leader" d="${e.leader}" fill="none" stroke="${xmlText(palette.states['disk-sleep'])}" stroke-width="1" stroke-dasharray="1 2"/>`);
    out.push(`<text class="edge-label" x="${e.lx}" y="${e.ly}" text-anchor="middle" font-size="${LABEL_FONT}" fill="${xmlText(palette.states['disk-sleep'])}" stroke="${xmlText(palette.background)}" stroke-width="3" paint-order="stroke">${EDGE_LABEL}</text>`);
  }
  out.push('</g>');
  // What the colours and shapes mean, for the ones this tree shows.
  out.push(`<g transform="translate(0,${Math.ceil(l.height + HEAD)})">`);
  out.push(legendSvg(treeLegend(l), palette, w).svg);
  out.push('</g></svg>');
  return `${out.join('\n')}\n`;
}
