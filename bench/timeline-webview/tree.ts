// Process tree view benchmark, in the headless Chromium the extension tests use: the panel's page
// and script (stand-in origin, same Content-Security-Policy) switched to the tree, given the fork
// example's model, then a generated run of 10,000 tasks (a random tree, a quarter of them reaped),
// its layout and first frame timed, then panned and zoomed frame by frame.
// usage: npx tsx bench/timeline-webview/tree.ts [--frames N]. Prints milliseconds; asserts nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { boot } from '../../sim-core/machine';
import type { KEvent } from '../../sim-core/machine-types';
import { buildTimeline, type TimelineModel } from '../../sim-core/viz/model';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../test/extension/browser';
import { bundles, openPage } from './run';

const ROOT = path.resolve(__dirname, '../..');
const FRAMES = (() => { const i = process.argv.indexOf('--frames'); return i >= 0 ? Number(process.argv[i + 1]) : 40; })();

const median = (xs: number[]): number => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };
const fmt = (xs: number[]): string => `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} frames)`;

function exampleModel(name: string): TimelineModel {
  const file = path.join(ROOT, 'examples', name);
  const { machine } = boot({ file, source: fs.readFileSync(file, 'utf8'), traceSched: true });
  if (!machine) throw new Error(`${name} does not boot`);
  const tasks = machine.tasks().map((t) => ({ pid: t.pid, tgid: t.tgid, comm: t.comm, ppid: t.ppid, kthread: t.kthread }));
  const events: KEvent[] = [];
  for (;;) {
    const s = machine.run(100_000);
    events.push(...s.events);
    if (s.reason !== 'yield') break;
  }
  const now = machine.moment();
  return buildTimeline(events, { now: now.time, nowStep: now.step, tasks });
}

/** A random tree of `n` tasks: each forked by an earlier one, every fourth reaped before now. */
export function randomTree(n: number): TimelineModel {
  let seed = 777;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const END = 1_000_000_000;
  const m: TimelineModel = { start: 0, end: END, now: END, nowStep: n * 10, lanes: [], marks: [], cpus: [], sched: false, cpuCount: 1 };
  for (let i = 0; i < n; i++) {
    const parentLane = i === 0 ? undefined : Math.floor(rnd() * i);
    const born = i * 10;
    const gone = i > 0 && i % 4 === 0 ? END - 1 : undefined;
    m.lanes.push({
      pid: i + 1, tgid: i + 1, comm: `task${i}`, spans: [{ from: born, to: gone ?? END, state: i % 7 === 0 ? 'zombie' : 'alive' }], born,
      bornStep: i === 0 ? undefined : i * 10, gone, goneStep: gone === undefined ? undefined : n * 10 - 1,
      parent: parentLane === undefined ? null : parentLane + 1, parentLane, leaderLane: i, kthread: false, boot: i === 0,
    });
  }
  return m;
}

interface Handle { setModel(m: TimelineModel): number; drawNow(): number }

/** The tree view (the page's second script) loads after the page's first frame, or when its tab is chosen: chosen here. */
async function treeLoaded(page: Page): Promise<void> {
  await page.click('#tabTree');
  await page.waitForFunction(() => 'kprocTree' in window);
}

async function main(): Promise<void> {
  const { script, css } = await bundles();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openPage(page, script, css);
    await treeLoaded(page);
    const fork = exampleModel('fork-wait.kproc');
    const small = await page.evaluate((m) => {
      const ms = (window as unknown as { kprocTree: Handle }).kprocTree.setModel(m);
      const nodes = Array.from(document.querySelectorAll('#treeSvg .node'), (e) => e.getAttribute('aria-label'));
      return { ms, nodes };
    }, fork);
    console.log(`fork-wait tree: ${small.ms.toFixed(1)} ms to lay out and draw; ${small.nodes.length} boxes:\n  ${small.nodes.join('\n  ')}`);

    const big = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await openPage(big, script, css);
    await treeLoaded(big);
    const out = await big.evaluate(({ src, n }) => {
      const gen = new Function(`return (${src})`)() as (n: number) => TimelineModel;
      const m = gen(10_000);
      const h = (window as unknown as { kprocTree: Handle }).kprocTree;
      const load = h.setModel(m);
      const port = document.getElementById('treeView') as HTMLElement;
      const box = port.getBoundingClientRect();
      const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
      const frame = (ev: Event): number => { const t0 = performance.now(); port.dispatchEvent(ev); h.drawNow(); return performance.now() - t0; };
      const wheel = (deltaY: number, ctrlKey: boolean, shiftKey = false): WheelEvent => new WheelEvent('wheel', { deltaY, ctrlKey, shiftKey, clientX: cx, clientY: cy, bubbles: true, cancelable: true });
      const res: Record<string, number[]> = { 'zoomed out, pan (shift+wheel)': [], 'zoom in (ctrl+wheel)': [], 'pan (wheel)': [], 'pan sideways (shift+wheel)': [], 'zoom out (ctrl+wheel)': [] };
      const boxes: number[] = [];
      for (let i = 0; i < n; i++) res['zoomed out, pan (shift+wheel)'].push(frame(wheel(40, false, true)));
      for (let i = 0; i < n; i++) { res['zoom in (ctrl+wheel)'].push(frame(wheel(-120, true))); boxes.push(Number(port.dataset.boxes)); }
      for (let i = 0; i < n; i++) res['pan (wheel)'].push(frame(wheel(200, false)));
      for (let i = 0; i < n; i++) res['pan sideways (shift+wheel)'].push(frame(wheel(400, false, true)));
      for (let i = 0; i < n; i++) res['zoom out (ctrl+wheel)'].push(frame(wheel(120, true)));
      return { load, res, maxBoxes: Math.max(...boxes), elements: document.querySelectorAll('#treeSvg *').length };
    }, { src: randomTree.toString(), n: FRAMES });
    console.log(`10,000 tasks (history off): layout + first frame ${out.load.toFixed(1)} ms; at most ${out.maxBoxes} boxes in the DOM while zooming; ${out.elements} SVG elements at the end`);
    for (const [name, xs] of Object.entries(out.res)) console.log(`  ${name}: ${fmt(xs)}`);
  } finally {
    await browser.close();
  }
}

if (require.main === module) main().catch((e: unknown) => { console.error(e); process.exit(1); });
