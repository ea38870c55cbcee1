// The timeline's words and its SVG export: times as people read them, what a screen reader says
// for each event, and the window on screen written out as a standalone SVG picture.
import {
  arrowOf, cpuBars, laneBars, laneGlyphs, timeToX, visibleRows, type Geometry, type Glyph, type Row, type TimelineIndex, type View,
} from './timelineLayout';
import type { LaneState, Mark, MarkKind } from './timelineTypes';
import { legendHeight, legendSvg, timelineLegend } from './graphLegend';

/** Virtual nanoseconds in the largest unit that keeps a number of 1 or more. */
export function formatTime(ns: number): string {
  const a = Math.abs(ns);
  const fix = (n: number): string => String(Number(n.toPrecision(4)));
  if (a >= 1e9) return `${fix(ns / 1e9)} s`;
  if (a >= 1e6) return `${fix(ns / 1e6)} ms`;
  if (a >= 1e3) return `${fix(ns / 1e3)} µs`;
  return `${fix(ns)} ns`;
}

export const STATE_NAMES: Record<LaneState, string> = {
  running: 'running', runnable: 'runnable (TASK_RUNNING, queued)', sleeping: 'sleeping (TASK_INTERRUPTIBLE)',
  'disk-sleep': 'sleeping (TASK_UNINTERRUPTIBLE)', stopped: 'stopped (TASK_STOPPED)', zombie: 'zombie (EXIT_ZOMBIE)',
  alive: 'alive (run without the scheduler tracepoints: when it ran is not known)',
};

export function rowLabel(r: Row): string {
  return r.kind === 'cpu' ? `CPU ${r.cpu}` : `${r.thread ? '  ' : ''}${r.lane.pid} ${r.lane.comm}`;
}

/** What a row's label element is: its classes, text, name for screen readers and data (as the page's label column makes it). */
export function rowElement(r: Row): { className: string; text: string; aria: string; data: Record<string, string> } {
  if (r.kind === 'cpu') return { className: 'row cpu', text: rowLabel(r).trim(), aria: `CPU ${r.cpu}: which task ran when`, data: { cpu: String(r.cpu) } };
  const gone = r.lane.gone !== undefined ? `, gone at ${formatTime(r.lane.gone)}` : '';
  return {
    className: r.thread ? 'row lane thread' : 'row lane',
    text: rowLabel(r).trim(),
    aria: `task ${r.lane.pid} ${r.lane.comm}${r.thread ? `, thread of ${r.lane.tgid}` : ''}, born at ${formatTime(r.lane.born)}${gone}`,
    data: { pid: String(r.lane.pid), lane: String(r.laneIndex), tgid: String(r.lane.tgid), comm: r.lane.comm },
  };
}

/** A mark as hover text and as a screen reader reads it. */
export function markText(m: Mark): string {
  return `${m.label} (${m.fn}) at ${formatTime(m.time)}, step ${m.step}`;
}

/** A cluster of marks too close to tell apart at this zoom. */
export function clusterText(first: Mark, count: number, kinds: readonly MarkKind[]): string {
  return `${count} events from ${formatTime(first.time)} (${kinds.join(', ')}${count > 64 ? ', ...' : ''}): zoom in to see each`;
}

/** Colours the SVG is drawn in: the theme's, resolved by the webview, or these defaults. */
export interface Palette {
  background: string;
  foreground: string;
  grid: string;
  now: string;
  states: Record<LaneState, string>;
  marks: Record<MarkKind, string>;
  cpu: string[];
}

/**
 * The palette's own colours, each from a VS Code theme variable (this default where the theme has
 * none); the rest of the palette (marks, CPU rows) repeats them.
 */
export const PALETTE_VARS = {
  background: ['--vscode-editor-background', '#1e1e1e'], foreground: ['--vscode-editor-foreground', '#cccccc'],
  grid: ['--vscode-editorWidget-border', '#444444'], now: ['--vscode-editorError-foreground', '#f14c4c'],
  running: ['--vscode-charts-green', '#89d185'], runnable: ['--vscode-charts-yellow', '#cca700'],
  sleeping: ['--vscode-charts-blue', '#3794ff'], 'disk-sleep': ['--vscode-charts-orange', '#d18616'],
  stopped: ['--vscode-charts-purple', '#b180d7'], zombie: ['--vscode-charts-red', '#f14c4c'],
  alive: ['--vscode-charts-lines', '#808080'], deliver: ['--vscode-terminal-ansiCyan', '#4fc1ff'],
} as const satisfies Record<string, readonly [string, string]>;
export type PaletteKey = keyof typeof PALETTE_VARS;

/** The whole palette from its own colours, however they are looked up (the theme's, the defaults, or names for CSS). */
export function paletteFrom(v: (key: PaletteKey) => string): Palette {
  const states: Record<LaneState, string> = {
    running: v('running'), runnable: v('runnable'), sleeping: v('sleeping'), 'disk-sleep': v('disk-sleep'),
    stopped: v('stopped'), zombie: v('zombie'), alive: v('alive'),
  };
  const fg = v('foreground');
  return {
    background: v('background'), foreground: fg, grid: v('grid'), now: v('now'), states,
    marks: {
      fork: states.running, exec: states.sleeping, exit: fg, zombie: states.zombie, reap: states.stopped,
      reparent: states['disk-sleep'], signal: states.runnable, deliver: v('deliver'),
    },
    cpu: [states.sleeping, states.running, states.runnable, states.stopped, states['disk-sleep'], states.zombie],
  };
}

export const DEFAULT_PALETTE: Palette = paletteFrom((k) => PALETTE_VARS[k][1]);

/** A stable colour per pid for the CPU rows. */
export function pidColour(p: Palette, pid: number): string {
  return p.cpu[pid % p.cpu.length];
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c] ?? c));

/**
 * The window on screen (its rows and its time span) as an SVG document: a label column, state
 * bars, marks with their text as <title>, and the current moment.
 */
export function timelineSvg(index: TimelineIndex, v: View, g: Geometry, labelWidth: number, p: Palette = DEFAULT_PALETTE): string {
  return timelineSvgSized(index, v, g, labelWidth, p).svg;
}

/** The gap between the lanes and the legend under them. */
const LEGEND_GAP = 8;

/**
 * The window on screen as a standalone SVG picture (lane names, the times at its edges, bars,
 * events and the current moment) with the timeline's legend under it, and the picture's size.
 */
export function timelineSvgSized(index: TimelineIndex, v: View, g: Geometry, labelWidth: number, p: Palette = DEFAULT_PALETTE): { svg: string; width: number; height: number } {
  const [first, end] = visibleRows(v, g, index.rows.length);
  const axis = 20;
  const W = labelWidth + g.width;
  const lanesH = axis + (end - first) * g.rowHeight;
  const legend = timelineLegend();
  const H = lanesH + LEGEND_GAP + legendHeight(legend, W);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<title>Process timeline, ${esc(formatTime(v.t0))} to ${esc(formatTime(v.t1))}</title>`,
    `<rect width="${W}" height="${H}" fill="${p.background}"/>`,
    `<text x="${labelWidth + 2}" y="14" fill="${p.foreground}">${esc(formatTime(v.t0))}</text>`,
    `<text x="${W - 2}" y="14" fill="${p.foreground}" text-anchor="end">${esc(formatTime(v.t1))}</text>`,
  ];
  const bar = 0.6;
  const rowY = (row: number): number => axis + (Math.min(Math.max(row, first - 1), end) - first) * g.rowHeight + g.rowHeight / 2;
  /** Each visible lane's glyphs, drawn over the arrows, which are drawn over the bars (as on screen). */
  const glyphsOf: Array<[row: number, glyphs: Glyph[]]> = [];
  for (let i = first; i < end; i++) {
    const r = index.rows[i];
    const y = axis + (i - first) * g.rowHeight;
    const by = y + (g.rowHeight * (1 - bar)) / 2;
    const bh = g.rowHeight * bar;
    out.push(`<g class="${r.kind}" data-row="${i}">`);
    out.push(`<text x="4" y="${y + g.rowHeight * 0.7}" fill="${p.foreground}">${esc(rowLabel(r))}</text>`);
    out.push(`<line x1="${labelWidth}" x2="${W}" y1="${y + g.rowHeight}" y2="${y + g.rowHeight}" stroke="${p.grid}" stroke-width="0.5"/>`);
    if (r.kind === 'cpu') {
      for (const b of cpuBars(index.runsOf.get(r.cpu) ?? [], v, g.width)) {
        out.push(`<rect x="${labelWidth + b.x0}" y="${by}" width="${b.x1 - b.x0}" height="${bh}" fill="${pidColour(p, b.value)}"><title>pid ${b.value}</title></rect>`);
      }
    } else {
      for (const b of laneBars(r.lane.spans, v, g.width)) {
        out.push(`<rect x="${labelWidth + b.x0}" y="${by}" width="${b.x1 - b.x0}" height="${bh}" fill="${p.states[b.value]}"/>`);
      }
      glyphsOf.push([i, laneGlyphs(index.marksOf[r.laneIndex] ?? [], v, g.width)]);
    }
    out.push('</g>');
  }
  // Fork, reap, reparent and signal arrows between the lanes (to the edge when the other lane is out of view).
  let budget = 2000;
  out.push('<g class="arrows" fill="none" stroke-width="1">');
  for (const [, glyphs] of glyphsOf) {
    for (const gl of glyphs) {
      const a = gl.count === 1 ? arrowOf(gl.first) : undefined;
      const from = a ? index.rowOfLane[a.from] ?? -1 : -1;
      const to = a ? index.rowOfLane[a.to] ?? -1 : -1;
      if (from < 0 || to < 0 || from === to || budget-- <= 0) continue;
      const x = labelWidth + gl.x;
      const [y0, y1] = [rowY(from), rowY(to)];
      const dir = Math.sign(y1 - y0);
      out.push(`<path d="M${x} ${y0}V${y1}M${x - 3} ${y1 - dir * 5}L${x} ${y1 - dir}L${x + 3} ${y1 - dir * 5}" stroke="${p.marks[gl.first.kind]}"/>`);
    }
  }
  out.push('</g>');
  for (const [row, glyphs] of glyphsOf) {
    out.push(`<g class="marks" data-row="${row}">`);
    const cy = rowY(row);
    for (const gl of glyphs) {
      const cx = labelWidth + gl.x;
      const colour = gl.count === 1 ? p.marks[gl.first.kind] : p.foreground;
      const title = gl.count === 1 ? markText(gl.first) : clusterText(gl.first, gl.count, gl.kinds);
      out.push(`<path d="M${cx} ${cy - 5}L${cx + 4} ${cy}L${cx} ${cy + 5}L${cx - 4} ${cy}Z" fill="${colour}" stroke="${p.background}" data-kind="${gl.count === 1 ? gl.first.kind : 'cluster'}"><title>${esc(title)}</title></path>`);
    }
    out.push('</g>');
  }
  const nx = timeToX(index.model.now, v, g.width);
  if (nx >= 0 && nx <= g.width) {
    out.push(`<line x1="${labelWidth + nx}" x2="${labelWidth + nx}" y1="${axis}" y2="${lanesH}" stroke="${p.now}" stroke-width="1.5"><title>now: step ${index.model.nowStep}, ${esc(formatTime(index.model.now))}</title></line>`);
  }
  out.push(`<g transform="translate(0,${lanesH + LEGEND_GAP})" font-family="monospace">`, legendSvg(legend, p, W).svg, '</g>');
  out.push('</svg>');
  return { svg: out.join('\n'), width: W, height: H };
}

/** Hover text for a point of a row: which task a CPU ran, or a task's state then. */
export function describePoint(index: TimelineIndex, row: number, time: number): string {
  const r = index.rows[row];
  if (r.kind === 'cpu') {
    const runs = index.runsOf.get(r.cpu) ?? [];
    const run = runs.find((c) => c.from <= time && time < c.to);
    const lane = run && run.pid !== null ? index.model.lanes.find((l) => l.pid === run.pid) : undefined;
    return `CPU ${r.cpu} at ${formatTime(time)}: ${run?.pid != null ? `pid ${run.pid}${lane ? ` (${lane.comm})` : ''}` : 'idle'}`;
  }
  const span = r.lane.spans.find((s) => s.from <= time && time < s.to);
  const state = span ? `${STATE_NAMES[span.state]} from ${formatTime(span.from)} to ${formatTime(span.to)}` : 'not alive';
  return `${r.lane.pid} ${r.lane.comm} at ${formatTime(time)}: ${state}. Click to go to this moment.`;
}
