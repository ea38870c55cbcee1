// Timeline webview benchmark, in the headless Chromium the extension tests use: the panel's own
// page and script (served from a local origin with the same Content-Security-Policy) opened with
// the fork example's model as the panel gives it (first paint, over fresh pages); updates after a step with 100 tasks, from a real run
// (hundred.kproc, recorded as the adapter records it, its deltas made by the adapter at consecutive
// stops) and from a heavier generated model advanced as a step advances it (diffed as whole models), each delivered as the page gets it
// (window.postMessage, so the structured clone counts) the old way (the whole model) and the new
// (what changed since the last stop), applied and drawn; and a generated run of 10,000 tasks and
// 1,000,000 events zoomed and panned frame by frame, each frame drawn at once and timed to its paint.
// usage: npx tsx bench/timeline-webview/run.ts [--sections 1,2,3] [--frames N] [--opens N]
//   [--baseline DIR (another checkout's page: its markup, style and script for first paint, its script for zoom and pan)]
//   [--trace-gc (what the slow frames spent their time on)] [--alloc (what the frames allocated)].
// Prints milliseconds; asserts nothing.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { boot } from '../../sim-core/machine';
import type { KEvent } from '../../sim-core/machine-types';
import { buildTimeline, knownTask, type TimelineModel } from '../../sim-core/viz/model';
import { TimelineLog } from '../../extension/adapter/timeline';
import type { TimelineDelta } from '../../extension/client/timelineDelta';
import { diffTimeline } from '../../test/extension-unit/timelineDiff';
import { timelinePage } from '../../extension/client/timelinePage';
import { firstFrameMarkup, type PlotSize } from '../../extension/client/timelineFirstFrame';

/** A checkout's page markup (its panel's timelinePage). */
type PageOf = typeof timelinePage;
import { launchChromium } from '../../test/extension/browser';

const ROOT = path.resolve(__dirname, '../..');
const arg = (name: string): string | undefined => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const FRAMES = Number(arg('--frames') ?? 40);
/** Which sections to run (1 first paint, 2 updates, 3 zoom and pan), by default all. */
const SECTIONS = new Set((arg('--sections') ?? '1,2,3').split(',').map(Number));
/** Record a trace of section 3 and say which frames a garbage collection fell in. */
const TRACE_GC = process.argv.includes('--trace-gc');

const median = (xs: number[]): number => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };
const fmt = (xs: number[]): string => `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} frames)`;

/** A scenario run to its end with the scheduler's tracepoints, as the adapter records it. */
export function exampleModel(name: string, stopAtStep?: number): TimelineModel {
  const file = path.join(ROOT, 'examples', name);
  const { machine } = boot({ file, source: fs.readFileSync(file, 'utf8'), traceSched: true });
  if (!machine) throw new Error(`${name} does not boot`);
  const tasks = machine.tasks().map(knownTask);
  const events: KEvent[] = [];
  for (;;) {
    const s = machine.run(stopAtStep ?? 100_000);
    events.push(...s.events);
    if (s.reason !== 'yield' || stopAtStep !== undefined) break;
  }
  const now = machine.moment();
  return buildTimeline(events, { now: now.time, nowStep: now.step, tasks });
}

/** A model of `lanes` tasks (four threads to a process) with `marks` events, built in the page. */
export function generate(lanes: number, marks: number): TimelineModel {
  let seed = 12345;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const END = 10_000_000_000;
  const states = ['running', 'runnable', 'sleeping', 'disk-sleep', 'stopped', 'sleeping'] as const;
  const kinds = ['fork', 'exec', 'signal', 'reparent', 'exit', 'zombie', 'reap'] as const;
  const per = Math.ceil(marks / lanes);
  const out: TimelineModel = { start: 0, end: END, now: END * 0.6, nowStep: 0, lanes: [], marks: [], cpus: [], sched: true, cpuCount: 4 };
  for (let i = 0; i < lanes; i++) {
    const leader = i - (i % 4);
    const born = Math.floor(rnd() * END * 0.1);
    const spans: TimelineModel['lanes'][number]['spans'] = [];
    let t = born;
    for (let k = 0; k < per; k++) {
      const to = k === per - 1 ? END : Math.min(END, t + Math.max(1, Math.floor(rnd() * ((END - born) / per) * 2)));
      if (to > t) spans.push({ from: t, to, state: states[(i + k) % states.length] });
      t = to;
    }
    out.lanes.push({ pid: 100 + i, tgid: 100 + leader, comm: `task${i}`, spans, born, parent: 100 + Math.max(0, leader - 4), leaderLane: leader, kthread: false, boot: false });
  }
  for (let i = 0; i < lanes; i++) {
    for (const s of out.lanes[i].spans) {
      if (out.marks.length >= marks) break;
      const kind = kinds[out.marks.length % kinds.length];
      const other = (i + 1) % lanes;
      out.marks.push({ time: s.from, step: 0, kind, pid: 100 + i, other: 100 + other, label: `${kind} of ${100 + i}`, fn: 'kernel_clone', lane: i, otherLane: other });
    }
  }
  out.marks.sort((a, b) => a.time - b.time);
  out.marks.forEach((m, k) => { m.step = k * 10; });
  out.nowStep = out.marks[Math.floor(out.marks.length * 0.6)]?.step ?? 0;
  for (let cpu = 0; cpu < 4; cpu++) {
    let t = 0;
    while (t < END) {
      const to = Math.min(END, t + Math.floor(rnd() * 400_000) + 1);
      out.cpus.push({ cpu, from: t, to, pid: rnd() < 0.1 ? null : 100 + Math.floor(rnd() * lanes) });
      t = to;
    }
  }
  return out;
}

/** The pages served, by id, from one local server (started with the first page, not keeping the process alive). */
const served = new Map<string, { html: string; script: string; css: string }>();
/** The plot's size the last page said (the panel lays out the next page's first frame for it). */
let plotSize: PlotSize | undefined;
/** The page's second script (this checkout's: the tree view, the export), which every page loads after its first frame. */
let laterScript = '';
let origin: Promise<string> | undefined;

function serve(): Promise<string> {
  origin ??= new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      const [, id, file] = (req.url ?? '').split('/');
      const p = served.get(id);
      const body = !p ? undefined : file === 'timeline.js' ? p.script : file === 'timelineLater.js' ? laterScript : file === 'timeline.css' ? p.css : file === 'index.html' ? p.html : undefined;
      if (body === undefined) { res.writeHead(404).end(); return; }
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html';
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(body);
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      const a = server.address();
      resolve(typeof a === 'object' && a ? `http://127.0.0.1:${a.port}` : 'http://127.0.0.1');
    });
  });
  return origin;
}

/**
 * Opens the panel's page (its markup and Content-Security-Policy, script and style) served from a
 * local server, as the editor serves a webview's resources (not intercepted request by request,
 * which costs the harness tens of milliseconds a resource); resolves when the page says it is
 * ready, with that time in ms after navigation.
 */
/**
 * Opens the page: `inline` (the default) writes the script and the style sheet into it, as the
 * panel does; false has the page fetch them by address, as the panel did before. `answer` is the
 * model the panel has for it: written into the page (`embed`, as the panel does when the session
 * answers while the panel opens), or posted when the page says it is ready.
 */
export async function openPage(page: Page, script: string, css: string, answer?: TimelineModel, inline = true, embed = false, pageOf: PageOf = timelinePage): Promise<number> {
  const ORIGIN = await serve();
  const id = `p${served.size}`;
  const initial = answer && embed ? JSON.stringify({ model: answer, version: 0 }) : undefined;
  // As the panel writes it: with the model, its first frame, laid out for the plot's size a page said last.
  const first = answer && embed ? firstFrameMarkup(answer, plotSize) : undefined;
  const html = pageOf({ cspSource: ORIGIN, nonce: 'benchnonce', script: `${ORIGIN}/${id}/timeline.js`, style: `${ORIGIN}/${id}/timeline.css`, later: `${ORIGIN}/${id}/timelineLater.js`, inline: inline ? { script, style: css } : undefined, initial, first });
  if (embed) answer = undefined;
  served.set(id, { html, script, css });
  // tsx keeps function names with a helper that functions sent to the page call: give it one.
  await page.addInitScript('globalThis.__name = (f) => f;');
  // The panel's side: the page's state kept, and (`answer`) the model posted as soon as the page
  // says it is ready, as the panel posts it; when the page has handled it and when the browser
  // has painted that frame (a message posted from the next animation-frame callback runs after
  // the paint) are noted.
  await page.addInitScript((answer) => {
    type W = { acquireVsCodeApi: unknown; posted: unknown[]; readyAt?: number; drawnAt?: number; paintedAt?: number; state: unknown };
    const w = window as unknown as W;
    w.posted = [];
    let answered = false;
    w.acquireVsCodeApi = () => ({
      postMessage: (m: { type: string }) => {
        w.posted.push(m);
        if (m.type !== 'ready') return;
        w.readyAt ??= performance.now();
        if (answer && !answered) { answered = true; window.postMessage({ type: 'model', model: answer, version: 0 }, '*'); }
      },
      getState: () => w.state,
      setState: (s: unknown) => { w.state = s; },
    });
    if (!answer) return;
    // This listener runs before the page's (added first): the task after this one runs once the
    // page has handled the message, and the next animation frame is the one that paints it.
    window.addEventListener('message', (e) => {
      if ((e.data as { type?: string } | null)?.type !== 'model' || w.drawnAt !== undefined) return;
      setTimeout(() => { w.drawnAt = performance.now(); }, 0);
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { w.paintedAt = performance.now(); };
        ch.port2.postMessage(0);
      });
    });
  }, answer);
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('404')) console.error(`page console: ${m.text()}`); });
  await page.goto(`${ORIGIN}/${id}/index.html`);
  await page.waitForFunction(() => (window as unknown as { readyAt?: number }).readyAt !== undefined);
  return page.evaluate(() => (window as unknown as { readyAt: number }).readyAt);
}

interface Handle { setModel(m: TimelineModel, version?: number): number; drawNow(): number }

/**
 * Consecutive stops of a scenario, `steps` machine steps apart, recorded through the adapter's
 * TimelineLog: at each, the adapter's answer to a client holding the last one (timed: folding the
 * stop's events in and making the delta), and the whole model (outside the timing) for the old way.
 */
export function stops(name: string, steps: number, count: number, skip: number): { models: TimelineModel[]; deltas: TimelineDelta[]; answerMs: number[]; wholeMs: number[] } {
  const file = path.join(ROOT, name);
  const { machine } = boot({ file, source: fs.readFileSync(file, 'utf8'), traceSched: true });
  if (!machine) throw new Error(`${name} does not boot`);
  const log = new TimelineLog();
  log.reset(machine);
  const models: TimelineModel[] = [];
  const deltas: TimelineDelta[] = [];
  const answerMs: number[] = [];
  const wholeMs: number[] = [];
  log.record(machine.run(skip).events);
  let held = log.answer(machine);
  models.push(log.model(machine));
  for (let i = 0; i < count; i++) {
    const s = machine.run(steps);
    log.record(s.events);
    const t0 = performance.now();
    const a = log.answer(machine, held.version);
    answerMs.push(performance.now() - t0);
    if (!('delta' in a)) throw new Error(`stop ${i}: the adapter answered the whole model`);
    deltas.push(a.delta);
    held = a;
    const t1 = performance.now();
    models.push(log.model(machine));
    wholeMs.push(performance.now() - t1);
    if (s.reason !== 'yield') break;
  }
  return { models, deltas, answerMs, wholeMs };
}

/**
 * The generated model one step later, as a step changes a run: time moves on, the live lanes'
 * and CPUs' last spans grow to the new end, and now and then a span, a mark or a CPU run is
 * added. The arrays of `m` are left as they are (the next model shares what did not change).
 */
export function advance(m: TimelineModel, i: number): TimelineModel {
  const dt = 50_000;
  const end = m.end + dt;
  const lanes = m.lanes.map((l, k) => {
    const last = l.spans[l.spans.length - 1];
    if (l.gone !== undefined || !last || last.to !== m.end) return l;
    const spans = l.spans.slice(0, -1);
    if ((k + i) % 20 === 0) spans.push(last, { from: m.end, to: end, state: last.state === 'running' ? 'sleeping' : 'running' });
    else spans.push({ ...last, to: end });
    return { ...l, spans };
  });
  const marks = m.marks.slice();
  if (i % 3 === 0) {
    const lane = i % lanes.length;
    marks.push({ time: m.end, step: m.nowStep + 1, kind: 'signal', pid: lanes[lane].pid, other: 0, label: `SIGUSR1 to ${lanes[lane].pid}`, fn: 'send_signal_locked', lane });
  }
  const cpus: TimelineModel['cpus'] = [];
  for (let c = 0; c < m.cpuCount; c++) {
    const runs = m.cpus.filter((r) => r.cpu === c);
    const last = runs.pop();
    if (last) {
      if ((c + i) % 2 === 0) runs.push({ ...last, to: end });
      else runs.push(last, { cpu: c, from: last.to, to: end, pid: 100 + ((i * 7 + c) % lanes.length) });
    }
    for (const r of runs) cpus.push(r);
  }
  return { ...m, end, now: end, nowStep: m.nowStep + 5, lanes, marks, cpus };
}


/**
 * Updates delivered to a fresh page as the panel posts them: the first model whole, then each
 * stop whole (old) or as its delta (new). Times from posting the message to the page's handler
 * having applied it and drawn the frame. The page rebuilds each stop's whole model from the
 * deltas outside the timing, so one set of small payloads serves both ways.
 */
export async function updates(page: Page, first: TimelineModel, deltas: TimelineDelta[], whole: boolean): Promise<number[]> {
  type W = { bench: { post(m: unknown): Promise<number>; state: TimelineModel; deltas: TimelineDelta[]; apply: (m: TimelineModel, d: TimelineDelta) => unknown } };
  await page.evaluate(async ({ first, deltas, apply }) => {
    // Made before the first await: the page's policy allows no eval, but a protocol call's first turn is exempt.
    const applyDelta = new Function(`return (${apply})`)() as W['bench']['apply'];
    const handled = (): Promise<number> => new Promise((resolve) => {
      const f = (): void => { window.removeEventListener('message', f); resolve(performance.now()); };
      window.addEventListener('message', f);
    });
    const post = async (m: unknown): Promise<number> => {
      const done = handled();
      const t0 = performance.now();
      window.postMessage(m, '*');
      return (await done) - t0;
    };
    await post({ type: 'model', model: first, version: 0 });
    (window as unknown as W).bench = { post, state: structuredClone(first), deltas, apply: applyDelta };
  }, { first, deltas, apply: APPLY });
  // The setup's garbage (the arguments above, the first model) is collected before the timing, as
  // the page's idle time would collect it between a stop and the next.
  await collect(page);
  // And the page's own idle work done (as between two stops): an idle callback, then a frame.
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => requestAnimationFrame(() => setTimeout(resolve, 0)))));
  return page.evaluate(async (whole) => {
    const { post, state, deltas, apply } = (window as unknown as W).bench;
    const xs: number[] = [];
    for (let i = 0; i < deltas.length; i++) {
      if (whole) {
        apply(state, structuredClone(deltas[i]));
        xs.push(await post({ type: 'model', model: state, version: i + 1 }));
      } else {
        xs.push(await post({ type: 'delta', delta: deltas[i], base: i, version: i + 1 }));
      }
    }
    return xs;
  }, whole);
}

/** A full garbage collection in the page (Chromium's own, through the DevTools protocol). */
async function collect(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.detach();
}

/** Samples the page's allocations; the function returned stops and names the functions that allocated most (kB). */
async function startSampling(page: Page): Promise<() => Promise<string[]>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return async () => {
    const { profile } = await cdp.send('HeapProfiler.stopSampling');
    await cdp.detach();
    const by = new Map<string, number>();
    type N = typeof profile.head;
    const walk = (n: N): void => {
      const k = `${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
      by.set(k, (by.get(k) ?? 0) + n.selfSize);
      for (const c of n.children) walk(c);
    };
    walk(profile.head);
    return [...by].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${(v / 1024).toFixed(0)} kB ${k}`);
  };
}

/** The page's JavaScript heap in use, in bytes. */
async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/** applyTimelineDelta as page source (the page rebuilds the old way's whole models with it). */
let APPLY = '';

/** The page's script, its style, and the delta's apply as page source (set into APPLY). */
/** The page's script and style sheet built from a checkout (this one's also builds the page's second script, which the pages load later). */
export async function bundles(root = ROOT): Promise<{ script: string; css: string; page: PageOf }> {
  const bundle = await build({
    entryPoints: [path.join(root, 'extension/client/timelineWebview.ts')], bundle: true, platform: 'browser', format: 'iife',
    target: 'es2022', minify: true, write: false, logLevel: 'warning',
  });
  const script = bundle.outputFiles[0].text;
  const laterEntry = path.join(root, 'extension/client/pageLater.ts');
  if (root === ROOT && fs.existsSync(laterEntry)) {
    const later = await build({ entryPoints: [laterEntry], bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: true, write: false, logLevel: 'warning' });
    laterScript = later.outputFiles[0].text;
  }
  const apply = await build({
    stdin: { contents: `export { applyTimelineDelta } from './extension/client/timelineDelta';`, resolveDir: ROOT, loader: 'ts' },
    bundle: true, platform: 'browser', format: 'iife', globalName: '__delta', target: 'es2022', write: false, logLevel: 'warning',
  });
  APPLY = `(() => { ${apply.outputFiles[0].text}; return __delta.applyTimelineDelta; })()`;
  // The checkout's own markup and style sheet, as its panel writes the page.
  const { timelinePage: page } = await import(path.join(root, 'extension/client/timelinePage.ts')) as { timelinePage: PageOf };
  return { script, css: fs.readFileSync(path.join(root, 'media/timeline.css'), 'utf8'), page };
}

const FRAME_KINDS = ['pan zoomed out (shift+wheel)', 'zoom in (ctrl+wheel)', 'pan in time (arrow keys)', 'scroll lanes (wheel)', 'zoom out (ctrl+wheel)'] as const;
interface Frames { sync: number[]; paint: number[] }

/**
 * Zoom and pan, `n` frames of each kind, measured twice: the event handled and the frame drawn
 * synchronously (drawNow), and the event dispatched alone, from it to the browser having rendered
 * the frame the page asked for (the page's requestAnimationFrame draw, then style, layout, paint
 * and the canvas' flush; a message posted from a later animation-frame callback runs after them).
 * Each frame is marked for a trace (performance.mark f<kind>:<i>:s and :e).
 */
async function zoomAndPan(page: Page, n: number): Promise<Record<string, Frames>> {
  return page.evaluate(async ({ n, kinds }) => {
    const h = (window as unknown as { kprocTimeline: Handle }).kprocTimeline;
    const plot = document.getElementById('plot') as HTMLElement;
    const box = plot.getBoundingClientRect();
    const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
    const wheel = (deltaY: number, ctrlKey: boolean, shiftKey = false): WheelEvent => new WheelEvent('wheel', { deltaY, ctrlKey, shiftKey, clientX: cx, clientY: cy, bubbles: true, cancelable: true });
    const key = (k: string): KeyboardEvent => new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
    const make: Array<(i: number) => Event> = [
      () => wheel(40, false, true), () => wheel(-120, true), () => key('ArrowRight'), () => wheel(400, false), () => wheel(120, true),
    ];
    const painted = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve(performance.now());
      ch.port2.postMessage(0);
    }));
    const out: Record<string, { sync: number[]; paint: number[] }> = {};
    await painted();
    for (let k = 0; k < kinds.length; k++) {
      const f = out[kinds[k]] = { sync: [] as number[], paint: [] as number[] };
      // The synchronous measure (as the page would draw with no browser frame in between) ...
      const replay = h as unknown as { view?(): unknown; setView?(v: unknown): void };
      if (replay.view && replay.setView) {
        const from = replay.view();
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          plot.dispatchEvent(make[k](i));
          h.drawNow();
          f.sync.push(performance.now() - t0);
        }
        // ... then the same frames again from the same window, each to its paint.
        replay.setView(from);
        await painted();
      }
      for (let i = 0; i < n; i++) {
        performance.mark(`f${k}:${i}:s`);
        const t0 = performance.now();
        plot.dispatchEvent(make[k](i));
        const t1 = await painted();
        performance.mark(`f${k}:${i}:e`);
        f.paint.push(t1 - t0);
      }
    }
    return out;
  }, { n, kinds: FRAME_KINDS as unknown as string[] });
}

export interface TraceEvent { name: string; cat: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: Record<string, unknown> }

/** Starts a trace of the page (main-thread tasks, paint, garbage collection, user timing); the function returned stops it. */
export async function startTrace(page: Page): Promise<() => Promise<TraceEvent[]>> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => { for (const x of e.value) events.push(x as unknown as TraceEvent); });
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['devtools.timeline', 'v8', 'blink.user_timing', 'disabled-by-default-v8.gc', 'disabled-by-default-devtools.timeline', 'cc', 'blink'] },
  });
  return async () => {
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await done;
    await cdp.detach();
    return events;
  };
}

/** The traced events a slow frame is explained by: script, style, layout, paint, the commit (with the canvas' raster) and garbage collection. */
const SHOWN = /^(FunctionCall|EventDispatch|Document::recalcStyle|Layout|Paint|Commit|MajorGC|MinorGC|V8.GC_MC_INCREMENTAL.*|V8.GC_MC_MARK|V8.GC_MC_MARK_ROOTS|V8.GC_MC_EVACUATE|V8.GC_MC_SWEEP|V8.GCIncrementalMarking|V8.GCFinalizeMC|CanvasRenderingContext2D::FinalizeFrame|Canvas2DResourceProvider::WritePixels)$/;

/** For the frames of one kind that took 30 ms or more to paint: the traced events of 3 ms or more within them. */
function slowFrames(kind: string, f: Frames, events: TraceEvent[]): string[] {
  const k = FRAME_KINDS.indexOf(kind as typeof FRAME_KINDS[number]);
  const at = (name: string): TraceEvent | undefined => events.find((e) => e.name === name && e.cat.includes('user_timing'));
  const out: string[] = [];
  f.paint.forEach((ms, i) => {
    if (ms < 30) return;
    const s = at(`f${k}:${i}:s`), e = at(`f${k}:${i}:e`);
    if (!s || !e) return;
    const inside = events.filter((x) => x.ph === 'X' && (x.dur ?? 0) >= 2000 && SHOWN.test(x.name) && x.ts < e.ts && x.ts + (x.dur ?? 0) > s.ts && x.tid === s.tid);
    const names = inside.map((x) => `${x.name} ${((x.dur ?? 0) / 1000).toFixed(0)}`).join(', ');
    out.push(`frame ${i} ${ms.toFixed(0)} ms: ${names}`);
  });
  return out;
}

const OPENS = Number(arg('--opens') ?? 7);

/**
 * The floor under the first paint: the same page (markup, style, the model written in) with a
 * script that draws nothing and only notes the times the page's script notes. What the browser
 * takes to open any page here, which no change to the page's script can take away.
 */
export const FLOOR_SCRIPT = `(() => {
  acquireVsCodeApi().postMessage({ type: 'ready' });
  const now = () => performance.timeOrigin + performance.now();
  const ready = now(), drawn = now();
  let painted;
  requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => { painted = now(); }; ch.port2.postMessage(0); });
  window.kprocTimeline = { times: () => ({ navigation: performance.timeOrigin, ready, drawn, painted }) };
})();`;

interface FirstPaint { loaded: number; ready: number; drawn: number; painted: number; canvas: number; frame: number; lanes: number; marks: number }

/**
 * The page opened and given the model as the panel gives it (`embed`: written into the page;
 * else posted when the page says it is ready): when its script had loaded, when it said it was
 * ready, when it had drawn the model's frame and when the browser had painted that frame, in ms
 * after navigation. The page's own times where it keeps them (a written-in model comes in no
 * message the harness could see), else the harness's, taken the same way.
 */
export async function firstPaint(page: Page, script: string, css: string, model: TimelineModel, inline = true, embed = false, pageOf: PageOf = timelinePage): Promise<FirstPaint> {
  const ready = await openPage(page, script, css, model, inline, embed, pageOf);
  type T = { navigation: number; drawn?: number; painted?: number; canvas?: number };
  type W = { paintedAt?: number; drawnAt?: number; kprocTimeline?: { times?: () => T } };
  await page.waitForFunction(() => {
    const w = window as unknown as W;
    const t = w.kprocTimeline?.times?.();
    // A page that paints a first frame from its markup says when its canvas took over (an older one does not).
    return t?.drawn !== undefined ? t.painted !== undefined && (t.canvas !== undefined || !('canvas' in t)) : w.paintedAt !== undefined && w.drawnAt !== undefined;
  });
  const r = await page.evaluate(() => {
    const w = window as unknown as W;
    const t = w.kprocTimeline?.times?.();
    const since = (at: number | undefined): number | undefined => (t && at !== undefined ? at - t.navigation : undefined);
    // The script's fetch, or (written into the page) the page's own.
    const js = (performance.getEntriesByType('resource').find((e) => e.name.endsWith('/timeline.js')) ?? performance.getEntriesByType('navigation')[0]) as PerformanceResourceTiming | undefined;
    const size = (window as unknown as { posted: Array<{ type: string; width?: number; height?: number }> }).posted.find((m) => m.type === 'size');
    return { size, canvas: since(t?.canvas) ?? since(t?.painted) ?? w.paintedAt ?? NaN, drawn: since(t?.drawn) ?? w.drawnAt ?? NaN, painted: since(t?.painted) ?? w.paintedAt ?? NaN, loaded: js?.responseEnd ?? NaN, lanes: document.querySelectorAll('#labels .row.lane').length, marks: document.querySelectorAll('#marks .mark').length };
  });
  if (r.size?.width && r.size.height) plotSize = { width: r.size.width, height: r.size.height };
  return { loaded: r.loaded, ready, drawn: r.drawn, painted: r.painted, canvas: r.canvas, frame: r.painted - r.drawn, lanes: r.lanes, marks: r.marks };
}

async function main(): Promise<void> {
  const { script, css } = await bundles();
  const browser = await launchChromium();
  try {
    if (SECTIONS.has(1)) {
    // 1. First paint of the fork example: the page opens with the model written into it (as the
    // panel opens it during a stopped session), or says it is ready and gets the model posted.
    const fork = exampleModel('fork-wait.kproc');
    console.log(`fork-wait: ${fork.lanes.length} lanes, ${fork.marks.length} marks; ${OPENS} fresh pages each (median, max), ms after navigation`);
    const base = arg('--baseline');
    // [name, script, style, written into the page, model written in, markup]: this script as the
    // panel opens it, the same with the model posted at ready (as after a reload), the floor, and
    // the baseline's page (its own markup, style and script) opened the same way.
    type Variant = [string, string, string, boolean, boolean, PageOf];
    const variants: Variant[] = [['this', script, css, true, true, timelinePage], ['this, model posted at ready', script, css, true, false, timelinePage], ['floor', FLOOR_SCRIPT, css, true, true, timelinePage]];
    if (base) {
      const b = await bundles(path.resolve(base));
      variants.push(['baseline', b.script, b.css, true, true, b.page]);
    }
    const runs = new Map<string, FirstPaint[]>(variants.map(([name]) => [name, []]));
    // Interleaved, so a change in the machine's load falls on all alike.
    for (let i = 0; i < OPENS; i++) {
      for (const [name, src, style, inline, embed, pageOf] of variants) {
        const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
        runs.get(name)?.push(await firstPaint(page, src, style, fork, inline, embed, pageOf));
        await page.close();
      }
    }
    for (const [name, src] of variants) {
      const xs = runs.get(name) ?? [];
      const col = (k: keyof FirstPaint): string => `${median(xs.map((x) => x[k])).toFixed(0)}, ${Math.max(...xs.map((x) => x[k])).toFixed(0)}`;
      console.log(`  ${name} (script ${(src.length / 1024).toFixed(0)} KiB): script loaded ${col('loaded')}; ready ${col('ready')}; picture in place ${col('drawn')}; painted ${col('painted')} (in place to painted ${col('frame')}); canvas painted ${col('canvas')}`);
      const last = xs[xs.length - 1];
      if (last) console.log(`    ${last.lanes} lane rows, ${last.marks} mark elements`);
    }
    const floor = median((runs.get('floor') ?? []).map((x) => x.painted));
    const painted = median((runs.get('this') ?? []).map((x) => x.painted));
    console.log(`  this page's own share (painted, medians): ${(painted - floor).toFixed(0)} ms over the floor's ${floor.toFixed(0)} ms`);
    console.log(`  first paint, as the panel opens during a stop: ${painted.toFixed(0)} ms after navigation (median; the target is under 200 ms), ${(painted / floor).toFixed(2)}x the floor`);
    const canvas = median((runs.get('this') ?? []).map((x) => x.canvas));
    console.log(`  the canvas (zoom, pan, hover, click) painted over it: ${canvas.toFixed(0)} ms after navigation (median)`);
    if (base) {
      const a = runs.get('this') ?? [], b = runs.get('baseline') ?? [];
      console.log(`  baseline / this (medians, both with the model written in): ready ${(median(b.map((x) => x.ready)) / median(a.map((x) => x.ready))).toFixed(2)}x, painted ${(median(b.map((x) => x.painted)) / median(a.map((x) => x.painted))).toFixed(2)}x`);
    }
    }
    if (SECTIONS.has(2)) {
    // 2. An update after a step with 100 tasks: the old way (whole model) and the new (delta), in fresh pages.
    const pageFor = async (): Promise<Page> => { const p = await browser.newPage({ viewport: { width: 1600, height: 1000 } }); await openPage(p, script, css); return p; };
    /** `given`: the adapter's own deltas and how long it took to make each (else the extension diffs whole models, as it used to). */
    const compare = async (what: string, models: TimelineModel[], given?: { deltas: TimelineDelta[]; ms: number[] }): Promise<void> => {
      const diffMs: number[] = given?.ms ?? [], jsonWhole: number[] = [], jsonDelta: number[] = [];
      const deltas: TimelineDelta[] = given?.deltas ?? [];
      for (let i = 1; i < models.length; i++) {
        if (!given) {
          const t0 = performance.now();
          const d = diffTimeline(models[i - 1], models[i]);
          diffMs.push(performance.now() - t0);
          deltas.push(d);
        }
        jsonWhole.push(JSON.stringify(models[i]).length);
        jsonDelta.push(JSON.stringify(deltas[i - 1]).length);
      }
      const oldPage = await pageFor();
      const before = await updates(oldPage, models[0], deltas, true);
      await oldPage.close();
      const newPage = await pageFor();
      const after = await updates(newPage, models[0], deltas, false);
      await newPage.close();
      const m = models[models.length - 1];
      console.log(`${what}: ${m.lanes.length} lanes, ${m.marks.length} marks, ${m.lanes.reduce((n, l) => n + l.spans.length, 0)} spans, ${m.cpus.length} CPU runs; ${deltas.length} stops`);
      console.log(`  old, whole model posted, indexed, drawn: ${fmt(before)}`);
      console.log(`  new, delta posted, applied, drawn:       ${fmt(after)}`);
      console.log(`  old / new (medians): ${(median(before) / median(after)).toFixed(1)}x; ${given ? 'adapter side: events folded in, delta made' : 'extension side: diff'} ${fmt(diffMs)}; message ${(median(jsonWhole) / 1024).toFixed(0)} KiB whole vs ${(median(jsonDelta) / 1024).toFixed(1)} KiB delta (JSON, medians)`);
    };
    const real = stops('bench/timeline-webview/hundred.kproc', 500, FRAMES + 1, 30_000);
    console.log(`hundred.kproc: the adapter's whole model at a stop (TimelineLog.model) ${fmt(real.wholeMs)}`);
    await compare('100 tasks, a real run (hundred.kproc), stops 500 steps apart', real.models, { deltas: real.deltas, ms: real.answerMs });
    const synthetic: TimelineModel[] = [generate(100, 5000)];
    for (let i = 0; i < FRAMES; i++) synthetic.push(advance(synthetic[i], i));
    await compare('100 tasks, generated (5,000 marks, 200,000 CPU runs), advanced a step at a time', synthetic);
    }
    if (!SECTIONS.has(3)) return;
    // 3. 10,000 tasks and 1,000,000 events, generated in the page (the model is ~150 MB as JSON),
    // with this page script and (--baseline) the other checkout's, one page after the other.
    const base = arg('--baseline');
    const variants: Array<[string, string]> = [['this', script]];
    if (base) variants.push(['baseline', (await bundles(path.resolve(base))).script]);
    const results: Array<[string, Record<string, Frames>]> = [];
    for (const [name, src] of variants) {
      const big = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await openPage(big, src, css);
      const setup = await big.evaluate(({ src }) => {
        const g = new Function(`return (${src})`)() as (l: number, m: number) => TimelineModel;
        const t0 = performance.now();
        // Cloned as a posted message is (each string its own), the generator's model left to the collector.
        const m = structuredClone(g(10_000, 1_000_000));
        const t1 = performance.now();
        const ms = (window as unknown as { kprocTimeline: Handle }).kprocTimeline.setModel(m);
        return { gen: t1 - t0, load: ms, lanes: m.lanes.length, marks: m.marks.length, cpus: m.cpus.length };
      }, { src: generate.toString() });
      // The page's idle work on the model (sharing its strings) done first, as a person would look before zooming.
      const idle = await big.evaluate(async () => {
        const t0 = performance.now();
        const h = (window as unknown as { kprocTimeline: { compacting?(): boolean } }).kprocTimeline;
        while (h.compacting?.()) await new Promise((r) => setTimeout(r, 20));
        return performance.now() - t0;
      });
      console.log(`${name}: generated ${setup.lanes} lanes, ${setup.marks} marks, ${setup.cpus} CPU runs in ${setup.gen.toFixed(0)} ms (and cloned); index + first frame ${setup.load.toFixed(1)} ms; idle work after it ${idle.toFixed(0)} ms`);
      await collect(big);
      console.log(`  page heap after a full collection: ${(await heapUsed(big) / 2 ** 20).toFixed(0)} MiB`);
      const trace = TRACE_GC ? await startTrace(big) : undefined;
      const sampling = process.argv.includes('--alloc') ? await startSampling(big) : undefined;
      const frames = await zoomAndPan(big, FRAMES);
      if (sampling) for (const line of await sampling()) console.log(`  allocated: ${line}`);
      const events = trace ? await trace() : undefined;
      console.log('  each frame: sync = the event handled and the frame drawn at once (drawNow); to paint = from the event to the');
      console.log('  browser having rendered the frame the page asked for (its requestAnimationFrame draw, then style, layout, paint)');
      for (const [kind, f] of Object.entries(frames)) {
        console.log(`  ${kind}: sync ${f.sync.length ? fmt(f.sync) : '(not measured: the page cannot replay a window)'}`);
        console.log(`  ${' '.repeat(kind.length)}  to paint ${fmt(f.paint)}`);
        if (events) for (const line of slowFrames(kind, f, events)) console.log(`      ${line}`);
      }
      // The mark buttons, hidden while the window moved, are all back once it rests (as many as a frame drawn now places).
      const back = await big.evaluate(async () => {
        await new Promise((r) => setTimeout(r, 600));
        const layer = document.getElementById('marks') as HTMLElement;
        const rested = layer.hidden ? -1 : layer.querySelectorAll('.mark').length;
        (window as unknown as { kprocTimeline: Handle }).kprocTimeline.drawNow();
        return { rested, now: layer.querySelectorAll('.mark').length };
      });
      console.log(`  mark buttons once the window rested: ${back.rested < 0 ? 'still hidden' : back.rested}; after a frame drawn then: ${back.now}`);
      results.push([name, frames]);
      await big.close();
    }
    if (results.length === 2) {
      const all = (r: Record<string, Frames>): number[] => Object.values(r).flatMap((f) => f.paint);
      const [a, b] = [all(results[0][1]), all(results[1][1])];
      console.log(`  every frame to paint: this ${fmt(a)}; baseline ${fmt(b)}; frames over 50 ms: this ${a.filter((x) => x > 50).length}, baseline ${b.filter((x) => x > 50).length}`);
    }
  } finally {
    await browser.close();
  }
}

if (require.main === module) main().catch((e: unknown) => { console.error(e); process.exit(1); });
