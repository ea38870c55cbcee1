// The tree view's export: the whole laid-out process tree (not just the part on screen) as a
// standalone SVG document in the theme's colours resolved to values, so it reads the same outside
// the editor. Pure text, shared by the page (Export SVG, and PNG through an image) and the tests.
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

export function graphSvg(l: GraphLayout, palette: Palette, tasksLabel?: string): string {
  const w = Math.ceil(l.width), h = Math.ceil(l.height + HEAD);
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
  // The first parents' labels over the boxes, haloed in the background colour.
  for (const e of l.edges) {
    if (e.edge.kind !== 'original-parent') continue;
    out.push(`<text x="${e.lx}" y="${e.ly}" text-anchor="middle" font-size="10" fill="${xmlText(palette.states['disk-sleep'])}" stroke="${xmlText(palette.background)}" stroke-width="3" paint-order="stroke">parent until reparented</text>`);
  }
  out.push('</g></svg>');
  return `${out.join('\n')}\n`;
}
