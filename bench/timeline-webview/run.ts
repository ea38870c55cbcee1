// Timeline webview benchmark, in the headless Chromium the extension tests use: the panel's own
// page and script (served under a stand-in origin with the same Content-Security-Policy) given
// the fork example's model (first paint), a 100-task model updated step by step, and a generated
// run of 10,000 tasks and 1,000,000 events zoomed and panned frame by frame.
// usage: npx tsx bench/timeline-webview/run.ts [--frames N]. Prints milliseconds; asserts nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { boot } from '../../sim-core/machine';
import type { KEvent } from '../../sim-core/machine-types';
import { buildTimeline, knownTask, type TimelineModel } from '../../sim-core/viz/model';
import { timelinePage } from '../../extension/client/timelinePage';
import { launchChromium } from '../../test/extension/browser';

const ROOT = path.resolve(__dirname, '../..');
const ORIGIN = 'https://timeline.invalid';
const FRAMES = (() => { const i = process.argv.indexOf('--frames'); return i >= 0 ? Number(process.argv[i + 1]) : 40; })();

const median = (xs: number[]): number => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };
const fmt = (xs: number[]): string => `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} frames)`;

/** A scenario run to its end with the scheduler's tracepoints, as the adapter records it. */
function exampleModel(name: string, stopAtStep?: number): TimelineModel {
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

async function openPage(page: Page, script: string, css: string): Promise<number> {
  const html = timelinePage({ cspSource: ORIGIN, nonce: 'benchnonce', script: `${ORIGIN}/timeline.js`, style: `${ORIGIN}/timeline.css` });
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = route.request().url();
    if (url.endsWith('/timeline.js')) return route.fulfill({ body: script, contentType: 'text/javascript' });
    if (url.endsWith('/timeline.css')) return route.fulfill({ body: css, contentType: 'text/css' });
    return route.fulfill({ body: html, contentType: 'text/html' });
  });
  // tsx keeps function names with a helper that functions sent to the page call: give it one.
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.addInitScript(() => {
    const w = window as unknown as { acquireVsCodeApi: unknown; posted: unknown[]; readyAt?: number };
    w.posted = [];
    w.acquireVsCodeApi = () => ({
      postMessage: (m: { type: string }) => { w.posted.push(m); if (m.type === 'ready') w.readyAt = performance.now(); },
      getState: () => undefined,
      setState: () => undefined,
    });
  });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.error(`page console: ${m.text()}`); });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { readyAt?: number }).readyAt !== undefined);
  return page.evaluate(() => (window as unknown as { readyAt: number }).readyAt);
}

interface Handle { setModel(m: TimelineModel): number; drawNow(): number }

async function main(): Promise<void> {
  const bundle = await build({
    entryPoints: [path.join(ROOT, 'extension/client/timelineWebview.ts')], bundle: true, platform: 'browser', format: 'iife',
    target: 'es2022', minify: true, write: false, logLevel: 'warning',
  });
  const script = bundle.outputFiles[0].text;
  const css = fs.readFileSync(path.join(ROOT, 'media/timeline.css'), 'utf8');
  const browser = await launchChromium();
  try {
    // 1. First paint of the fork example: the page opens, says it is ready, gets the model, draws.
    const fork = exampleModel('fork-wait.kproc');
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const ready = await openPage(page, script, css);
    const first = await page.evaluate((m) => {
      const h = (window as unknown as { kprocTimeline: Handle }).kprocTimeline;
      const ms = h.setModel(m);
      return { ms, at: performance.now(), lanes: document.querySelectorAll('#labels .row.lane').length, marks: document.querySelectorAll('#marks .mark').length };
    }, fork);
    console.log(`fork-wait: ${fork.lanes.length} lanes, ${fork.marks.length} marks`);
    console.log(`  page ready (script parsed and run) ${ready.toFixed(1)} ms after navigation; model to painted frame ${first.ms.toFixed(1)} ms; painted ${first.at.toFixed(1)} ms after navigation (${first.lanes} lane rows, ${first.marks} mark elements)`);

    // 2. An update after a step with 100 tasks: a new model of the same run, one step later.
    const hundred = generate(100, 5000);
    await page.evaluate((m) => (window as unknown as { kprocTimeline: Handle }).kprocTimeline.setModel(m), hundred);
    // The model travels once; each update re-indexes and redraws it as a stop does.
    const upd = await page.evaluate(({ m, n }) => {
      const h = (window as unknown as { kprocTimeline: Handle }).kprocTimeline;
      const xs: number[] = [];
      for (let i = 0; i < n; i++) xs.push(h.setModel({ ...m, now: m.now + i, nowStep: m.nowStep + i }));
      return xs;
    }, { m: hundred, n: FRAMES });
    console.log(`100 tasks, 5,000 marks: update after a step (index + draw) ${fmt(upd)}`);

    // 3. 10,000 tasks and 1,000,000 events, generated in the page (the model is ~150 MB as JSON).
    const big = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openPage(big, script, css);
    const gen = generate.toString();
    const setup = await big.evaluate(({ src }) => {
      const g = new Function(`return (${src})`)() as (l: number, m: number) => TimelineModel;
      const t0 = performance.now();
      const m = g(10_000, 1_000_000);
      const t1 = performance.now();
      const ms = (window as unknown as { kprocTimeline: Handle }).kprocTimeline.setModel(m);
      return { gen: t1 - t0, load: ms, lanes: m.lanes.length, marks: m.marks.length, cpus: m.cpus.length };
    }, { src: gen });
    console.log(`generated ${setup.lanes} lanes, ${setup.marks} marks, ${setup.cpus} CPU runs in ${setup.gen.toFixed(0)} ms; index + first frame ${setup.load.toFixed(1)} ms`);
    const frames = await big.evaluate((n) => {
      const h = (window as unknown as { kprocTimeline: Handle }).kprocTimeline;
      const plot = document.getElementById('plot') as HTMLElement;
      const box = plot.getBoundingClientRect();
      const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
      const frame = (ev: Event): number => { const t0 = performance.now(); plot.dispatchEvent(ev); h.drawNow(); return performance.now() - t0; };
      const wheel = (deltaY: number, ctrlKey: boolean, shiftKey = false): WheelEvent => new WheelEvent('wheel', { deltaY, ctrlKey, shiftKey, clientX: cx, clientY: cy, bubbles: true, cancelable: true });
      const key = (k: string): KeyboardEvent => new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
      const out: Record<string, number[]> = { 'zoom in (ctrl+wheel)': [], 'zoom out (ctrl+wheel)': [], 'pan in time (arrow keys)': [], 'scroll lanes (wheel)': [], 'pan zoomed out (shift+wheel)': [] };
      for (let i = 0; i < n; i++) out['pan zoomed out (shift+wheel)'].push(frame(wheel(40, false, true)));
      for (let i = 0; i < n; i++) out['zoom in (ctrl+wheel)'].push(frame(wheel(-120, true)));
      for (let i = 0; i < n; i++) out['pan in time (arrow keys)'].push(frame(key('ArrowRight')));
      for (let i = 0; i < n; i++) out['scroll lanes (wheel)'].push(frame(wheel(400, false)));
      for (let i = 0; i < n; i++) out['zoom out (ctrl+wheel)'].push(frame(wheel(120, true)));
      return out;
    }, FRAMES);
    for (const [name, xs] of Object.entries(frames)) console.log(`  ${name}: ${fmt(xs)}`);
  } finally {
    await browser.close();
  }
}

if (require.main === module) main().catch((e: unknown) => { console.error(e); process.exit(1); });
