// The timeline as a standalone SVG document (for reports and slides): a time axis in virtual ms
// (long idle stretches cut out), per-CPU rows, a lane per task coloured by state, marks with hover
// text naming the kernel function, fork/reap/reparent arrows, the current moment and a legend.
// Its size stays bounded: lanes, marks and arrows are aggregated to the pixel when they are many.
import { formatMs } from './graph';
import type { CpuRun, LaneState, Mark, MarkKind, TimelineModel } from './model';
import { MARK_COLOUR, MARK_KINDS, MARK_MEANING, STATE_COLOUR, STATE_MEANING, STATES, taskColour } from './palette';
import { axisBreaks, timeScale, type TimeScale } from './scale';

export interface SvgOptions {
  /** Total width in pixels (default 1200). */
  width?: number;
  /** At most this many rows of lanes; more lanes share rows (default 400). */
  maxRows?: number;
  /** At most about this many state and CPU rects in all (default 30,000): busy rows are drawn coarser. */
  maxRects?: number;
  /** At most this many mark glyphs and arrows; the rest are counted in the legend (defaults 5,000 and 2,000). */
  maxMarks?: number;
  maxArrows?: number;
  /** Shown at the top (the scenario's name). */
  title?: string;
}

const LABEL_W = 180;
const PAD_R = 24;
const ROW_H = 14;
const BAR_H = 10;

/** Text and attribute values: the five characters XML reserves, and no control characters. */
export function xmlText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, '?').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Which state a pixel shared by several shows: the most active one. */
const PRIORITY: readonly LaneState[] = ['running', 'runnable', 'disk-sleep', 'sleeping', 'stopped', 'zombie', 'alive'];
const RANK = new Map<LaneState, number>(PRIORITY.map((s, i) => [s, PRIORITY.length - i]));

interface Row { label: string; lanes: number[]; thread: boolean; title: string }

/** Lane rows: one per lane, or when there are more than maxRows, runs of consecutive lanes sharing one. */
function laneRows(model: TimelineModel, maxRows: number): { rows: Row[]; rowOfLane: Int32Array; shared: number } {
  const n = model.lanes.length;
  const per = Math.max(1, Math.ceil(n / Math.max(1, maxRows)));
  const rows: Row[] = [];
  const rowOfLane = new Int32Array(n);
  for (let i = 0; i < n; i += per) {
    const idx: number[] = [];
    for (let j = i; j < Math.min(n, i + per); j++) { idx.push(j); rowOfLane[j] = rows.length; }
    const first = model.lanes[idx[0]];
    if (idx.length === 1) {
      const thread = first.leaderLane !== idx[0];
      const name = first.kthread ? `[${first.comm}]` : first.comm;
      const life = `born ${formatMs(first.born)} ms${first.gone !== undefined ? `, reaped ${formatMs(first.gone)} ms` : ''}`;
      rows.push({ label: `${first.pid} ${name}`, lanes: idx, thread, title: `pid ${first.pid} (tgid ${first.tgid}) ${name}: ${life}` });
    } else {
      const last = model.lanes[idx[idx.length - 1]];
      rows.push({ label: `${idx.length} tasks ${first.pid}..${last.pid}`, lanes: idx, thread: false, title: `${idx.length} tasks share this row (pids ${first.pid} to ${last.pid}); each pixel shows the most active state among them` });
    }
  }
  return { rows, rowOfLane, shared: per };
}

/** Pixel runs of one raster row as rects: [start, length, value]. */
function runs(px: Uint8Array | Int32Array): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  let i = 0;
  while (i < px.length) {
    const v = px[i];
    let j = i + 1;
    while (j < px.length && px[j] === v) j++;
    if (v !== 0) out.push([i, j - i, v]);
    i = j;
  }
  return out;
}

/**
 * The runs of a raster row, at most about `limit` of them: while there are more, pixels are taken
 * in ever wider buckets, each showing the value of its heaviest pixel (the most active state, the
 * task that ran longest), so a row that changes at every pixel still costs a bounded number of rects.
 */
function boundedRuns(px: Uint8Array | Int32Array, weight: ArrayLike<number>, limit: number): Array<[number, number, number]> {
  let out = runs(px);
  for (let bucket = 2; out.length > limit && bucket < px.length * 2; bucket *= 2) {
    const coarse = px instanceof Uint8Array ? new Uint8Array(px.length) : new Int32Array(px.length);
    for (let b = 0; b < px.length; b += bucket) {
      let best = b;
      const end = Math.min(px.length, b + bucket);
      for (let p = b + 1; p < end; p++) if (weight[p] > weight[best]) best = p;
      coarse.fill(px[best], b, end);
    }
    out = runs(coarse);
  }
  return out;
}

function glyph(kind: MarkKind, x: number, y: number): string {
  const c = MARK_COLOUR[kind];
  const f = (n: number): string => n.toFixed(1);
  switch (kind) {
    case 'fork': return `<circle cx="${f(x)}" cy="${f(y)}" r="3.5" fill="${c}" stroke="#fff" stroke-width="0.8"/>`;
    case 'exec': return `<path d="M${f(x)} ${f(y - 4.5)}L${f(x + 4.5)} ${f(y)}L${f(x)} ${f(y + 4.5)}L${f(x - 4.5)} ${f(y)}Z" fill="${c}" stroke="#fff" stroke-width="0.8"/>`;
    case 'exit': return `<rect x="${f(x - 3.5)}" y="${f(y - 3.5)}" width="7" height="7" fill="${c}" stroke="#fff" stroke-width="0.8"/>`;
    case 'zombie': return `<path d="M${f(x - 4)} ${f(y - 3.5)}L${f(x + 4)} ${f(y - 3.5)}L${f(x)} ${f(y + 4)}Z" fill="${c}" stroke="#fff" stroke-width="0.8"/>`;
    case 'reap': return `<path d="M${f(x - 3.5)} ${f(y - 3.5)}L${f(x + 3.5)} ${f(y + 3.5)}M${f(x + 3.5)} ${f(y - 3.5)}L${f(x - 3.5)} ${f(y + 3.5)}" stroke="${c}" stroke-width="2.2" fill="none"/>`;
    case 'reparent': return `<path d="M${f(x - 4)} ${f(y + 3.5)}L${f(x + 4)} ${f(y + 3.5)}L${f(x)} ${f(y - 4)}Z" fill="${c}" stroke="#fff" stroke-width="0.8"/>`;
    case 'signal': return `<circle cx="${f(x)}" cy="${f(y)}" r="3" fill="#fff" stroke="${c}" stroke-width="2"/>`;
    case 'deliver': return `<circle cx="${f(x)}" cy="${f(y)}" r="3.5" fill="${c}" stroke="#fff" stroke-width="0.8"/><circle cx="${f(x)}" cy="${f(y)}" r="1.2" fill="#fff"/>`;
  }
}

/** Where arrows go: fork parent -> child, reaper -> reaped, reparented task -> its new parent. */
function arrowEnds(m: Mark): [number, number] | null {
  if (m.otherLane === undefined) return null;
  if (m.kind === 'fork' || m.kind === 'reparent') return [m.lane, m.otherLane];
  if (m.kind === 'reap') return [m.otherLane, m.lane];
  return null;
}

function markTitle(m: Mark, count: number): string {
  const head = `${m.kind} of ${m.pid} at ${formatMs(m.time)} ms (step ${m.step}): ${m.label} [${m.fn}]`;
  return count > 1 ? `${count} ${m.kind} marks in this pixel; the first: ${head}` : head;
}

/** Renders the model as an SVG document. */
export function timelineSvg(model: TimelineModel, opts: SvgOptions = {}): string {
  const width = Math.max(400, Math.floor(opts.width ?? 1200));
  const plotW = width - LABEL_W - PAD_R;
  const x0 = LABEL_W;
  const scale: TimeScale = timeScale(model.start, model.end, plotW, axisBreaks(model, plotW));
  const X = (t: number): number => x0 + scale.x(t);
  const { rows, rowOfLane, shared } = laneRows(model, opts.maxRows ?? 400);
  const maxMarks = opts.maxMarks ?? 5000;
  const maxArrows = opts.maxArrows ?? 2000;
  const cpuCount = model.cpus.length ? model.cpuCount : 0;
  const rowLimit = Math.max(16, Math.floor((opts.maxRects ?? 30000) / Math.max(1, rows.length + cpuCount)));

  const parts: string[] = [];
  let y = 8;
  parts.push(`<text x="8" y="${y + 12}" font-size="14" font-weight="bold">${xmlText(opts.title ? `Process timeline: ${opts.title}` : 'Process timeline')}</text>`);
  y += 22;
  parts.push(`<text x="8" y="${y + 10}" fill="#555">${xmlText(`virtual time, ms; now: step ${model.nowStep} at ${formatMs(model.now)} ms`)}</text>`);
  // Axis.
  const axisY = y + 38;
  parts.push(`<line x1="${x0}" y1="${axisY}" x2="${x0 + plotW}" y2="${axisY}" stroke="#444"/>`);
  for (const tk of scale.ticks()) {
    const x = X(tk).toFixed(1);
    parts.push(`<line x1="${x}" y1="${axisY - 4}" x2="${x}" y2="${axisY}" stroke="#444"/><text x="${x}" y="${axisY - 6}" text-anchor="middle" font-size="9" fill="#333">${xmlText(formatMs(tk))}</text>`);
  }
  const top = axisY + 6;
  y = top;

  // Per-CPU rows: which task ran, the longest in each pixel.
  if (cpuCount) {
    const byCpu: CpuRun[][] = Array.from({ length: cpuCount }, () => []);
    for (const r of model.cpus) byCpu[r.cpu]?.push(r);
    const comm = new Map<number, string>();
    for (const l of model.lanes) comm.set(l.pid, l.comm);
    for (let c = 0; c < cpuCount; c++) {
      const who = new Int32Array(plotW);
      const cover = new Float64Array(plotW);
      for (const r of byCpu[c]) {
        if (r.pid === null) continue;
        const a = scale.x(r.from), b = scale.x(r.to);
        const p0 = Math.max(0, Math.floor(a)), p1 = Math.min(plotW, Math.max(p0 + 1, Math.ceil(b)));
        for (let p = p0; p < p1; p++) {
          const cov = Math.min(b, p + 1) - Math.max(a, p);
          if (cov > cover[p] || who[p] === 0) { cover[p] = cov; who[p] = r.pid + 1; }
        }
      }
      const ry = y + (ROW_H - BAR_H) / 2;
      parts.push(`<g><title>${xmlText(`CPU ${c}: the task it ran (blank: its idle task, swapper/${c})`)}</title><text x="8" y="${y + 11}" font-weight="bold">CPU ${c}</text></g>`);
      parts.push(`<rect x="${x0}" y="${ry}" width="${plotW}" height="${BAR_H}" fill="#f4f4f4"/>`);
      for (const [p, len, v] of boundedRuns(who, cover, rowLimit)) {
        const pid = v - 1;
        const span = `${formatMs(scale.t(p))}..${formatMs(scale.t(p + len))} ms`;
        parts.push(`<rect x="${x0 + p}" y="${ry}" width="${len}" height="${BAR_H}" fill="${taskColour(pid)}"><title>${xmlText(`CPU ${c}: ${pid} ${comm.get(pid) ?? ''} ran, ${span}`)}</title></rect>`);
      }
      y += ROW_H;
    }
    y += 8;
  }

  // Lanes.
  const laneTop = y;
  const rowY = (r: number): number => laneTop + r * ROW_H;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const ry = rowY(r);
    if (r % 2 === 1) parts.push(`<rect x="0" y="${ry}" width="${width}" height="${ROW_H}" fill="#fafafa"/>`);
    parts.push(`<g><title>${xmlText(row.title)}</title><text x="${row.thread ? 22 : 8}" y="${ry + 11}"${row.thread ? ' fill="#555"' : ''}>${xmlText(row.label)}</text></g>`);
    const px = new Uint8Array(plotW);
    for (const li of row.lanes) {
      for (const s of model.lanes[li].spans) {
        const a = scale.x(s.from), b = scale.x(s.to);
        const p0 = Math.max(0, Math.floor(a)), p1 = Math.min(plotW, Math.max(p0 + 1, Math.ceil(b)));
        const v = RANK.get(s.state) ?? 0;
        for (let p = p0; p < p1; p++) if (v > px[p]) px[p] = v;
      }
    }
    const by = ry + (ROW_H - BAR_H) / 2;
    for (const [p, len, v] of boundedRuns(px, px, rowLimit)) {
      const state = PRIORITY[PRIORITY.length - v];
      parts.push(`<rect x="${x0 + p}" y="${by}" width="${len}" height="${BAR_H}" fill="${STATE_COLOUR[state]}"><title>${xmlText(`${state}, ${formatMs(scale.t(p))}..${formatMs(scale.t(p + len))} ms`)}</title></rect>`);
    }
  }
  const lanesBottom = rowY(rows.length);

  // Axis breaks: a band across the rows where time was cut out.
  for (const b of scale.breaks) {
    const a = X(b.from), w = Math.max(1, X(b.to) - a);
    parts.push(`<g><title>${xmlText(`nothing happens for ${formatMs(b.to - b.from)} ms (${formatMs(b.from)}..${formatMs(b.to)} ms): the axis is cut here`)}</title><rect x="${a.toFixed(1)}" y="${axisY - 16}" width="${w.toFixed(1)}" height="${lanesBottom - axisY + 16}" fill="#ffffff" fill-opacity="0.7" stroke="#999" stroke-dasharray="2 2"/><text x="${(a + w / 2).toFixed(1)}" y="${axisY + 4}" text-anchor="middle" font-size="12" fill="#666">~</text></g>`);
  }

  // Arrows, then marks on top, each aggregated to one per pixel (and row, and kind).
  const arrowSeen = new Set<string>();
  const arrows: string[] = [];
  let arrowsLeft = 0;
  const markAt = new Map<string, { m: Mark; n: number }>();
  const markOrder: string[] = [];
  let marksLeft = 0;
  for (const m of model.marks) {
    const p = Math.min(plotW - 1, Math.max(0, Math.floor(scale.x(m.time))));
    const row = rowOfLane[m.lane];
    const ends = arrowEnds(m);
    if (ends) {
      const ra = rowOfLane[ends[0]], rb = rowOfLane[ends[1]];
      const key = `${m.kind}:${p}:${ra}:${rb}`;
      if (ra !== rb && !arrowSeen.has(key)) {
        arrowSeen.add(key);
        if (arrows.length < maxArrows) {
          const xa = (x0 + p + 0.5).toFixed(1);
          const ya = rowY(ra) + ROW_H / 2, yb = rowY(rb) + ROW_H / 2;
          const yEnd = yb + (yb > ya ? -4 : 4);
          arrows.push(`<line x1="${xa}" y1="${ya}" x2="${xa}" y2="${yEnd}" stroke="${MARK_COLOUR[m.kind]}" stroke-width="1" marker-end="url(#arrow-${m.kind})"/>`);
        } else arrowsLeft++;
      }
    }
    const key = `${row}:${p}:${m.kind}`;
    const seen = markAt.get(key);
    if (seen) { seen.n++; continue; }
    if (markOrder.length >= maxMarks) { marksLeft++; continue; }
    markAt.set(key, { m, n: 1 });
    markOrder.push(key);
  }
  parts.push(...arrows);
  for (const key of markOrder) {
    const { m, n } = markAt.get(key) as { m: Mark; n: number };
    const p = Math.min(plotW - 1, Math.max(0, Math.floor(scale.x(m.time))));
    const cy = rowY(rowOfLane[m.lane]) + ROW_H / 2;
    parts.push(`<g><title>${xmlText(markTitle(m, n))}</title>${glyph(m.kind, x0 + p + 0.5, cy)}</g>`);
  }

  // The current moment.
  const nx = X(model.now).toFixed(1);
  parts.push(`<g><title>${xmlText(`now: step ${model.nowStep}, ${formatMs(model.now)} ms`)}</title><line x1="${nx}" y1="${axisY}" x2="${nx}" y2="${lanesBottom}" stroke="#d0021b" stroke-width="1.5" stroke-dasharray="4 2"/></g>`);

  // Legend.
  let ly = lanesBottom + 18;
  parts.push(`<text x="8" y="${ly}" font-weight="bold">Lane colours</text>`);
  ly += 6;
  for (const s of STATES) {
    if (s === 'alive' && model.sched) continue;
    if (s !== 'alive' && s !== 'stopped' && s !== 'zombie' && !model.sched) continue;
    parts.push(`<rect x="8" y="${ly + 2}" width="18" height="${BAR_H}" fill="${STATE_COLOUR[s]}"/><text x="32" y="${ly + 11}">${xmlText(`${s}: ${STATE_MEANING[s]}`)}</text>`);
    ly += ROW_H;
  }
  if (cpuCount) {
    parts.push(`<text x="8" y="${ly + 11}">${xmlText('CPU rows: one colour per task (hover for which); blank: the CPU was idle')}</text>`);
    ly += ROW_H;
  }
  ly += 20;
  parts.push(`<text x="8" y="${ly}" font-weight="bold">Marks (hover one for the event and its kernel function)</text>`);
  ly += 6;
  for (const k of MARK_KINDS) {
    parts.push(`${glyph(k, 17, ly + 7)}<text x="32" y="${ly + 11}">${xmlText(`${k}: ${MARK_MEANING[k]}`)}</text>`);
    ly += ROW_H;
  }
  parts.push(`<line x1="8" y1="${ly + 7}" x2="26" y2="${ly + 7}" stroke="#d0021b" stroke-width="1.5" stroke-dasharray="4 2"/><text x="32" y="${ly + 11}">${xmlText('now: the moment the run is at')}</text>`);
  ly += ROW_H;
  const notes: string[] = [];
  if (!model.sched) notes.push('The log has no sched_switch events: lanes show when tasks lived, not when they ran (kproc run --timeline traces them).');
  if (scale.breaks.length) notes.push(`The time axis is cut where nothing happens for long (${scale.breaks.length} cut${scale.breaks.length === 1 ? '' : 's'}, shaded).`);
  notes.push('Arrows: fork, from parent to child; reap, from the reaper; reparent, to the new parent.');
  if (shared > 1) notes.push(`${model.lanes.length} tasks: ${shared} share each row.`);
  if (marksLeft) notes.push(`${marksLeft} more marks not drawn.`);
  if (arrowsLeft) notes.push(`${arrowsLeft} more arrows not drawn.`);
  for (const n of notes) {
    ly += 4;
    parts.push(`<text x="8" y="${ly + 11}" fill="#444">${xmlText(n)}</text>`);
    ly += ROW_H;
  }
  const height = Math.ceil(ly + 12);

  const defs = MARK_KINDS.filter((k) => k === 'fork' || k === 'reap' || k === 'reparent').map((k) =>
    `<marker id="arrow-${k}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0 0L8 4L0 8Z" fill="${MARK_COLOUR[k]}"/></marker>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11" role="img">
<title>${xmlText(opts.title ? `Process timeline of ${opts.title}` : 'Process timeline')}</title>
<desc>${xmlText(`${model.lanes.length} tasks, ${model.marks.length} events, ${formatMs(model.start)} to ${formatMs(model.end)} ms of virtual time`)}</desc>
<defs>${defs}</defs>
<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>
${parts.join('\n')}
</svg>
`;
}
