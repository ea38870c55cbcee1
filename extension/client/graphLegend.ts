// The keys to the Process Timeline panel's two pictures: what each colour, shape and line of the
// timeline's lanes and of the process tree stands for, as items of words and a small swatch.
// Swatches are a few SVG shapes in a palette's colours, so the page (the theme's colours) and the
// tree's export (the same colours, resolved) draw one and the same legend. Pure.
import type { NodeState } from '../../sim-core/viz/graph';
import { EDGE_LABEL } from './graphLabels';
import { STATE_WORDS, type GraphLayout } from './graphLayout';
import type { Palette } from './timelineText';
import type { LaneState, MarkKind } from './timelineTypes';

/**
 * A plain box filled with one colour (or the diamond inside such a box): the shapes a page can
 * draw as CSS boxes rather than SVG.
 */
export interface Box { x: number; y: number; w: number; h: number; diamond?: boolean }

/** One SVG shape of a swatch, its colours resolved; `box` when it is a plain filled box or diamond. */
export interface Shape { tag: 'rect' | 'path' | 'text'; attrs: Record<string, string>; text?: string; box?: Box }

export interface LegendItem {
  /** Stable name (data-key in the page). */
  key: string;
  text: string;
  swatch: (p: Palette) => Shape[];
}

export interface LegendGroup { title: string; items: LegendItem[] }

/** A swatch's size in pixels. */
export const SWATCH_W = 24;
export const SWATCH_H = 14;

const LANE_STATES: readonly LaneState[] = ['running', 'runnable', 'sleeping', 'disk-sleep', 'stopped', 'zombie', 'alive'];
const MARKS: ReadonlyArray<[MarkKind, string]> = [
  ['fork', 'fork'], ['exec', 'exec'], ['exit', 'exit'], ['zombie', 'became a zombie'], ['reap', 'reaped'],
  ['reparent', 'reparented'], ['signal', 'signal sent'], ['deliver', 'signal delivered'],
];

const stateText = (s: NodeState): string => (s === 'alive' ? 'alive (run state not traced)' : STATE_WORDS[s]);

const rect = (x: number, y: number, w: number, h: number, attrs: Record<string, string>): Shape => ({
  tag: 'rect', attrs: { x: String(x), y: String(y), width: String(w), height: String(h), ...attrs },
  box: Object.keys(attrs).every((k) => k === 'fill') ? { x, y, w, h } : undefined,
});
const path = (d: string, attrs: Record<string, string>): Shape => ({ tag: 'path', attrs: { d, fill: 'none', ...attrs } });
/** A mark's diamond, as the timeline draws it (radius 5, a cluster's 6). */
const diamond = (r: number, fill: string): Shape => ({
  tag: 'path', attrs: { d: `M12 ${7 - r}L${12 + r * 0.8} 7L12 ${7 + r}L${12 - r * 0.8} 7Z`, fill },
  box: { x: 12 - r * 0.8, y: 7 - r, w: r * 1.6, h: r * 2, diamond: true },
});

/** The timeline tab's legend: lane colours, event marks, and the lines drawn over them. */
export function timelineLegend(): LegendGroup[] {
  return [
    {
      title: 'Lane states',
      items: LANE_STATES.map((s) => ({ key: `lane-${s}`, text: stateText(s), swatch: (p) => [rect(1, 3, 22, 8, { fill: p.states[s] })] })),
    },
    {
      title: 'Events',
      items: [
        ...MARKS.map(([k, text]): LegendItem => ({ key: `mark-${k}`, text, swatch: (p) => [diamond(5, p.marks[k])] })),
        { key: 'cluster', text: 'several events (zoom in)', swatch: (p) => [diamond(6, p.foreground)] },
      ],
    },
    {
      title: 'Lines',
      items: [
        { key: 'arrow', text: 'arrow: to the child, from the reaper, to the new parent, from the sender', swatch: (p) => [path('M4 7H19M15 4L19 7L15 10', { stroke: p.marks.fork, 'stroke-width': '1.2' })] },
        { key: 'now', text: 'now (the current stop)', swatch: (p) => [rect(11, 0, 2, 14, { fill: p.now })] },
        { key: 'cpu', text: 'CPU rows: a colour per task', swatch: (p) => [0, 1, 2].map((i) => rect(1 + i * 7.5, 3, 7, 8, { fill: p.cpu[i % p.cpu.length] })) },
      ],
    },
  ];
}

const box = (attrs: Record<string, string>, rx = 2): Shape => rect(1.5, 1.5, 21, 11, { rx: String(rx), ...attrs });

/**
 * The process tree's legend. With a layout, only what that tree shows (the export's legend);
 * without, everything the tree can show (the page's, the same at every stop).
 */
export function treeLegend(l?: GraphLayout): LegendGroup[] {
  const nodes = l?.nodes.map((p) => p.node);
  const has = (test: () => boolean): boolean => !l || test();
  const states = (['running', 'runnable', 'sleeping', 'disk-sleep', 'stopped', 'zombie', 'alive'] as const).filter((s) => has(() => nodes?.some((n) => n.state === s) ?? false));
  const shapes: LegendItem[] = [];
  shapes.push({ key: 'process', text: 'process: pid and name over its state', swatch: (p) => [box({ fill: p.background, stroke: p.foreground })] });
  if (has(() => nodes?.some((n) => n.thread) ?? false)) {
    shapes.push({ key: 'thread', text: 'thread, hung from its leader by a dotted line', swatch: (p) => [box({ fill: p.background, stroke: p.foreground, 'stroke-dasharray': '1 2' }, 6)] });
  }
  if (has(() => nodes?.some((n) => n.kthread) ?? false)) {
    shapes.push({ key: 'kthread', text: 'kernel thread: [name], as ps shows it', swatch: (p) => [{ tag: 'text', attrs: { x: '12', y: '11', 'text-anchor': 'middle', 'font-size': '11', 'font-style': 'italic', fill: p.foreground }, text: '[k]' }] });
  }
  if (has(() => nodes?.some((n) => n.state === 'reaped') ?? false)) {
    shapes.push({ key: 'reaped', text: 'reaped (history): hollow, dashed, faded', swatch: (p) => [box({ fill: p.background, stroke: p.foreground, 'stroke-dasharray': '5 3', opacity: '0.45' })] });
  }
  if (has(() => l?.edges.some((e) => e.edge.kind === 'original-parent') ?? false)) {
    shapes.push({ key: 'first-parent', text: `${EDGE_LABEL} (history)`, swatch: (p) => [path('M1 11Q12 -1 23 11', { stroke: p.states['disk-sleep'], 'stroke-width': '1.2', 'stroke-dasharray': '4 2' })] });
  }
  const groups: LegendGroup[] = [];
  if (states.length) groups.push({ title: 'States', items: states.map((s) => ({ key: `state-${s}`, text: stateText(s), swatch: (p) => [box({ fill: p.states[s], stroke: p.foreground })] })) });
  groups.push({ title: 'Shapes', items: shapes });
  return groups;
}

// ---- the legend as part of an exported SVG picture ---------------------------------------------

/** The export's font (monospace, 11 pixels): a generous width per character. */
const CHAR_W = 6.8;
const ROW_H = 18;
const GAP = 14;

export function xmlText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '?').replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function shapeSvg(s: Shape): string {
  const attrs = Object.entries(s.attrs).map(([k, v]) => ` ${k}="${xmlText(v)}"`).join('');
  return s.text === undefined ? `<${s.tag}${attrs}/>` : `<${s.tag}${attrs}>${xmlText(s.text)}</${s.tag}>`;
}

interface Placed { x: number; y: number; w: number; head: boolean; text: string; item?: LegendItem }

/** Each group's title, then its items flowed into rows no wider than `width`, the rows of a group indented past the titles. */
function flow(groups: readonly LegendGroup[], width: number): { placed: Placed[]; height: number } {
  const shown = groups.filter((g) => g.items.length);
  const headW = (g: LegendGroup): number => Math.ceil((g.title.length + 1) * CHAR_W);
  const indent = 12 + Math.max(0, ...shown.map(headW)) + GAP;
  const placed: Placed[] = [];
  let y = 0;
  for (const g of shown) {
    placed.push({ x: 12, y, w: headW(g), head: true, text: `${g.title}:` });
    let x = indent;
    for (const it of g.items) {
      const w = SWATCH_W + 6 + Math.ceil(it.text.length * CHAR_W);
      if (x > indent && x + w > width - 12) { x = indent; y += ROW_H; }
      placed.push({ x, y, w, head: false, text: it.text, item: it });
      x += w + GAP;
    }
    y += ROW_H;
  }
  return { placed, height: placed.length ? y + 6 : 0 };
}

/** The width a legend needs so that its widest item fits on a row. */
export function legendMinWidth(groups: readonly LegendGroup[]): number {
  return flow(groups, 0).placed.reduce((m, p) => Math.max(m, p.x + p.w + 12), 0);
}

/** The height of the legend's rows at that width. */
export function legendHeight(groups: readonly LegendGroup[], width: number): number {
  return flow(groups, width).height;
}

/** The legend's rows as SVG (a <g class="legend"> at the origin), and their height. */
export function legendSvg(groups: readonly LegendGroup[], palette: Palette, width: number): { svg: string; height: number } {
  const { placed, height } = flow(groups, width);
  const out = ['<g class="legend">'];
  for (const p of placed) {
    const base = p.y + 12;
    if (p.head) {
      out.push(`<text x="${p.x}" y="${base}" fill="${xmlText(palette.foreground)}" font-weight="bold">${xmlText(p.text)}</text>`);
      continue;
    }
    out.push(`<g class="legend-item" data-key="${xmlText(p.item?.key ?? '')}" transform="translate(${p.x},${p.y + 1})">`);
    for (const s of p.item?.swatch(palette) ?? []) out.push(shapeSvg(s));
    out.push(`<text x="${SWATCH_W + 6}" y="11" fill="${xmlText(palette.foreground)}">${xmlText(p.text)}</text>`);
    out.push('</g>');
  }
  out.push('</g>');
  return { svg: out.join('\n'), height };
}
