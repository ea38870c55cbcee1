// The Process Timeline in VS Code for the web, driven in Chromium as a student uses it: debug the
// fork example to the line after waitpid, open the timeline from the debug toolbar, read its lanes
// and events in the webview's DOM and its legend, move between events with the keyboard, click the
// fork event (the session is asked to go to its step), click empty time on a lane (the session
// goes to the first tick at or past that moment), export SVG, switch to the process tree (the reaped
// child only in its history, faded; Enter on it travels to its fork), export the tree, and reload
// the window (the panel returns, in the tree view, its legend hidden as it was left).
// Runs the extension from this folder (extensionDevelopmentPath): nothing to package.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import * as sax from 'sax';
import { launchChromium } from './browser';
import { freshProfile, ROOT, startServer, type RunningServer } from './codeServer';
import { answerInput, callStack, clickGutter, eventually, lineOf, openFile, runCommand, runSteps, TIMEOUT, waitForWorkbench } from './workbench';

const EXAMPLE = 'fork-wait.kproc';

export interface TimelineUiResult {
  ok: boolean;
  steps: Array<{ name: string; ok: boolean; error?: string }>;
}

interface Ctx {
  page: Page;
  shots: string;
  workspace: string;
  forkStep?: string;
  parent?: number;
  child?: number;
}

/** The timeline's page: VS Code nests each webview's document in an inner frame. */
function timeline(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Arriving at a moment shows its source over the panel: bring the panel back in front. */
async function panelInFront(page: Page, probe: string): Promise<void> {
  const t = timeline(page);
  await eventually('the panel in front', async () => {
    if (await t.locator(probe).isVisible().catch(() => false)) return true;
    await page.locator('.tab', { hasText: 'Process Timeline' }).first().click().catch(() => undefined);
    return undefined;
  });
}

/** The tree's boxes in the page's DOM: pid, name, state and what a screen reader says. */
async function treeNodes(page: Page): Promise<Array<{ pid: number; comm: string; state: string; label: string; opacity: number }>> {
  return timeline(page).locator('#treeSvg .node').evaluateAll((els) => els.map((e) => {
    const d = (e as SVGElement).dataset;
    return { pid: Number(d.pid), comm: d.comm ?? '', state: d.state ?? '', label: e.getAttribute('aria-label') ?? '', opacity: Number(getComputedStyle(e).opacity) };
  }));
}

/** A time as the panel and the status bar write it ("850 ns", "12.5 µs", "1.234 ms", "1 s"), in nanoseconds. */
function nanos(text: string): number {
  const m = /([\d.]+) (ns|µs|ms|s)$/.exec(text.trim());
  if (!m) throw new Error(`not a time: ${text}`);
  return Number(m[1]) * { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 }[m[2] as 'ns' | 'µs' | 'ms' | 's'];
}

/** The session's moment as the status bar shows it ("step 1,234 · 1.000 s"). */
async function statusMoment(page: Page): Promise<{ step: number; time: number } | undefined> {
  const text = (await page.locator('.statusbar-item', { hasText: /step [\d,]+ · / }).first().textContent({ timeout: 2000 }).catch(() => '')) ?? '';
  const m = /step ([\d,]+) · ([\d.]+ (?:ns|µs|ms|s))/.exec(text);
  return m ? { step: Number(m[1].replace(/,/g, '')), time: nanos(m[2]) } : undefined;
}

/** The panel's status line, the panel brought back in front first (a travel shows the moment's source over it). */
async function panelStatus(page: Page): Promise<string> {
  const t = timeline(page);
  if (!(await t.locator('#status').isVisible().catch(() => false))) {
    await page.locator('.tab', { hasText: 'Process Timeline' }).first().click().catch(() => undefined);
  }
  return (await t.locator('#status').textContent({ timeout: 2000 }).catch(() => '')) ?? '';
}

const steps: Array<[string, (ctx: Ctx) => Promise<void>]> = [
  ['debug the fork example to the line after waitpid', async (ctx) => {
    await openFile(ctx.page, EXAMPLE);
    const line = lineOf(path.join(ctx.workspace, EXAMPLE), /printf\(.*WEXITSTATUS\(status\)/);
    await clickGutter(ctx.page, line);
    await ctx.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await ctx.page.keyboard.press('F5');
    await ctx.page.locator('.debug-toolbar').waitFor({ timeout: TIMEOUT });
    await eventually('a stop in main', async () => ((await callStack(ctx.page)).some((r) => r.startsWith('main')) ? true : undefined), 30_000);
  }],
  ['the debug toolbar opens the Process Timeline', async (ctx) => {
    const action = ctx.page.locator('.debug-toolbar .action-label[aria-label^="Show Process Timeline"]');
    await action.waitFor({ timeout: TIMEOUT });
    const clicked = await ctx.page.evaluate(() => performance.timeOrigin + performance.now());
    await action.click();
    await ctx.page.locator('.tab[aria-label^="Process Timeline"]').waitFor({ timeout: TIMEOUT });
    // How long the panel took to open and paint its first model in this VS Code (a figure for the log, not a check).
    type Times = { navigation: number; ready: number; drawn?: number; painted?: number; canvas?: number; markup?: boolean };
    const times = await eventually('the timeline\'s first paint, then its canvas', async () => {
      const t = await timeline(ctx.page).locator('body').evaluate(() => (window as unknown as { kprocTimeline: { times(): Times } }).kprocTimeline.times());
      return t.painted === undefined || t.canvas === undefined ? undefined : t;
    });
    const after = (at: number | undefined): string => `${((at ?? NaN) - clicked).toFixed(0)} ms`;
    console.log(`    Timeline panel after the toolbar click: page navigation ${after(times.navigation)}, script ready ${after(times.ready)}, first picture (${times.markup ? 'written into the page' : 'drawn by the script'}) in place ${after(times.drawn)} and painted ${after(times.painted)}, canvas painted ${after(times.canvas)}.`);
    // Opened during a stop, the page's first frame came in its markup, and the canvas took its place.
    if (!times.markup || (times.canvas ?? 0) < (times.painted ?? Infinity)) throw new Error(`the first frame was not painted from the markup before the canvas: ${JSON.stringify(times)}`);
    const left = await timeline(ctx.page).locator('#firstFrame, .first-rows').count();
    if (left !== 0) throw new Error(`the first frame written into the page is still there under the canvas (${left} elements)`);
    const csp = await timeline(ctx.page).locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content', { timeout: TIMEOUT });
    if (!csp?.includes("default-src 'none'") || !/script-src 'nonce-[A-Za-z0-9]+'/.test(csp)) throw new Error(`weak Content-Security-Policy: ${csp}`);
    // The page's script and styles are written into it (no fetch before the first paint), with the
    // nonce; the one script fetched is its second (the tree view, the export), loaded after the first paint, with it too.
    const page = timeline(ctx.page);
    const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(csp)?.[1];
    const links = await page.locator('link[rel="stylesheet"]').count();
    const written = await page.locator(`script[nonce="${nonce}"]:not([src])`).count();
    // (VS Code adds a style element of its own, the theme's defaults.)
    const ownStyles = await page.locator(`style[nonce="${nonce}"]`).count();
    const fetched = await page.locator('script[src]').evaluateAll((els) => els.map((e) => `${(e as HTMLScriptElement).nonce ? 'nonce ' : ''}${(e.getAttribute('src') ?? '').replace(/^.*\//, '')}`));
    if (links !== 0 || written !== 1 || ownStyles !== 2) throw new Error(`the page's script and styles are not written in with the nonce: ${links} style sheets fetched, ${written} scripts and ${ownStyles} styles written with it`);
    if (fetched.some((f) => f !== 'nonce timelineLater.js')) throw new Error(`the page fetched other scripts than its second, with the nonce: ${fetched.join(', ')}`);
    // Opened during a stop, the page came with that stop's model written into it, as data.
    const data = await page.locator('script#kprocInitial[type="application/json"]').textContent({ timeout: TIMEOUT }).catch(() => null);
    const lanes = data ? (JSON.parse(data) as { model?: { lanes?: unknown[] } }).model?.lanes?.length ?? 0 : 0;
    if (lanes < 2) throw new Error(`the page did not come with the stop's model written into it: ${data?.slice(0, 200) ?? 'no data element'}`);
  }],
  ['its DOM has a lane per task and the fork, exit, zombie and reap events', async (ctx) => {
    const t = timeline(ctx.page);
    const lanes = await eventually('two fork-wait lanes', async () => {
      const pids = await t.locator('#labels .row.lane[data-comm="fork-wait"]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.pid)));
      return pids.length === 2 ? pids : undefined;
    });
    const [parent, child] = lanes.sort((a, b) => a - b);
    ctx.parent = parent;
    ctx.child = child;
    await t.locator('#labels .row.lane[data-pid="1"]').waitFor({ timeout: TIMEOUT });
    const fork = t.locator(`#marks .mark[data-kind="fork"][data-pid="${parent}"][data-other="${child}"]`);
    await fork.waitFor({ timeout: TIMEOUT });
    ctx.forkStep = (await fork.getAttribute('data-step')) ?? undefined;
    const kinds = new Set((await t.locator(`#marks .mark[data-pid="${child}"]`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kinds ?? ''))).join(' ').split(' '));
    for (const k of ['exit', 'zombie', 'reap']) if (!kinds.has(k)) throw new Error(`no ${k} event on the child's lane: ${[...kinds].join(', ')}`);
    const label = (await fork.getAttribute('aria-label')) ?? '';
    if (!/kernel_clone/.test(label) || !/step \d+/.test(label)) throw new Error(`the fork event's label does not say its kernel function and step: ${label}`);
    // The legend: shown at first, the timeline's key in words (the tree's hidden while the lanes show).
    if ((await t.locator('#legendToggle').getAttribute('aria-expanded')) !== 'true') throw new Error('the legend is not shown at first');
    const key = await t.locator('#legendTimeline li').evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.key}=${e.textContent}`));
    for (const want of ['lane-zombie=zombie', 'mark-fork=fork', 'mark-reap=reaped', 'now=now (the current stop)']) {
      if (!key.includes(want)) throw new Error(`the timeline's legend lacks ${want}: ${key.join(', ')}`);
    }
    if (await t.locator('#legendTree').isVisible()) throw new Error("the tree's legend shows beside the timeline");
    await ctx.page.screenshot({ path: path.join(ctx.shots, 'timeline-1-open.png') });
    if (process.env.KPROC_UPDATE_SCREENSHOT === '1') {
      // The picture for the README: the panel alone, as it looks during the session.
      await ctx.page.locator('iframe.webview.ready').screenshot({ path: path.join(ROOT, 'media', 'timeline.png') });
    }
  }],
  ['the arrow keys move between events, each read out with its kernel function', async (ctx) => {
    const t = timeline(ctx.page);
    await t.locator('#marks .mark[data-kind="fork"]').first().focus();
    const heard: string[] = [];
    for (let i = 0; i < 10; i++) {
      heard.push(await t.locator(':focus').getAttribute('aria-label', { timeout: TIMEOUT }) ?? '');
      await t.locator(':focus').press('ArrowRight');
    }
    for (const fn of ['kernel_clone', 'do_exit', 'release_task']) {
      if (!heard.some((h) => h.includes(`(${fn})`))) throw new Error(`no event naming ${fn} among: ${heard.join(' | ')}`);
    }
  }],
  ['a click on the fork event asks the session to go to its step', async (ctx) => {
    const t = timeline(ctx.page);
    const step = ctx.forkStep ?? '';
    // Moving between events panned the window to the last ones: show the whole run again.
    await t.locator('#fit').click();
    await t.locator('#marks .mark[data-kind="fork"]').first().click();
    const status = await eventually('the panel to report the request', async () => {
      // Arriving shows the moment's source in the editor group the panel is in: back to the panel.
      if (!(await t.locator('#status').isVisible().catch(() => false))) {
        await ctx.page.locator('.tab', { hasText: 'Process Timeline' }).first().click().catch(() => undefined);
      }
      const s = (await t.locator('#status').textContent({ timeout: 2000 }).catch(() => '')) ?? '';
      return s.includes(`step ${step}`) && !s.startsWith('Going') ? s : undefined;
    });
    // The session went back to the fork's moment.
    if (!new RegExp(`^Went to step ${step}\\b`).test(status)) throw new Error(`unexpected status: ${status}`);
    console.log(`    ${status}`);
  }],
  ['a click on empty time in a lane takes the session to the first tick at or past that moment', async (ctx) => {
    const t = timeline(ctx.page);
    await panelInFront(ctx.page, '#plot');
    await t.locator('#fit').click();
    // The parent's lane while the child sleeps (from the fork to the child's exit): no event there.
    // Measured in the page (no named functions inside: the test's compiler would wrap them).
    const position = await eventually('a point of the parent\'s lane away from the events', () => t.locator('#canvas').evaluate((canvas, who) => {
      const marks = Array.from(document.querySelectorAll<HTMLElement>('#marks .mark')).map((e) => ({ d: e.dataset, r: e.getBoundingClientRect() }));
      const fork = marks.find((m) => m.d.kind === 'fork' && m.d.pid === who.parent && m.d.other === who.child);
      const exit = marks.find((m) => m.d.pid === who.child && (m.d.kinds ?? '').split(' ').includes('exit'));
      const row = document.querySelector(`#labels .row.lane[data-pid="${who.parent}"]`)?.getBoundingClientRect();
      if (!fork || !exit || !row) return undefined;
      const c = canvas.getBoundingClientRect();
      const y = row.y + row.height / 2;
      const x0 = fork.r.x + fork.r.width / 2, x1 = exit.r.x + exit.r.width / 2;
      for (const f of [0.5, 0.4, 0.6, 0.3, 0.7]) {
        const x = x0 + f * (x1 - x0);
        if (!marks.some((m) => Math.abs(m.r.x + m.r.width / 2 - x) < 12 && Math.abs(m.r.y + m.r.height / 2 - y) < 12)) return { x: x - c.x, y: y - c.y };
      }
      return undefined;
    }, { parent: String(ctx.parent), child: String(ctx.child) }));
    // Hovering says what is there: the lane's state at that time, not an event.
    await t.locator('#canvas').hover({ position });
    const tip = await eventually('the hover on the lane', async () => {
      const s = (await t.locator('#tip').textContent()) ?? '';
      return (await t.locator('#tip').isVisible()) && s.startsWith(`${ctx.parent} fork-wait at `) ? s : undefined;
    });
    if (!tip.endsWith('Click to go to this moment.')) throw new Error(`the hover is not on empty time: ${tip}`);
    const before = await eventually('the session\'s moment in the status bar', () => statusMoment(ctx.page));
    await t.locator('#canvas').click({ position });
    // "Went to step 212 at 1.000 s: the moment at 500.2 ms." (the fork's status before it said no moment).
    let said = '';
    const m = await eventually('the panel to report the travel', async () => {
      said = await panelStatus(ctx.page);
      return /^Went to step (\d+) at ([\d.]+ (?:ns|µs|ms|s)): the moment at ([\d.]+ (?:ns|µs|ms|s))\.$/.exec(said) ?? undefined;
    }).catch((e: unknown) => { throw new Error(`${e instanceof Error ? e.message : String(e)}; the status said: ${said}`); });
    const status = m[0];
    const reached = { step: Number(m[1]), time: nanos(m[2]) };
    const clicked = nanos(m[3]);
    // The clicked moment lies between the fork and the child's exit, both on the run's ticks.
    if (!(reached.step > Number(ctx.forkStep)) || reached.step === before.step) throw new Error(`the session did not move on from the fork (step ${before.step}): ${status}`);
    // The moment reached is at or past the one clicked (the panel writes four digits of it).
    if (!(reached.time >= clicked * (1 - 5e-4))) throw new Error(`the session stopped before the moment clicked: ${status}`);
    // The session itself (the status bar) and the panel's picture (its now line) are at that step.
    await eventually(`the status bar at step ${reached.step}`, async () => ((await statusMoment(ctx.page))?.step === reached.step ? true : undefined));
    await eventually(`the timeline's now at step ${reached.step}`, async () =>
      ((await t.locator('#plot').getAttribute('aria-label'))?.includes(`now at step ${reached.step} (`) ? true : undefined));
    // The first such tick: one step earlier, the clock was still before the moment clicked.
    await runCommand(ctx.page, 'Linux Process Lab: Go to Step...');
    await answerInput(ctx.page, String(reached.step - 1));
    const prior = await eventually(`the status bar at step ${reached.step - 1}`, async () => {
      const now = await statusMoment(ctx.page);
      return now?.step === reached.step - 1 ? now : undefined;
    });
    if (!(prior.time < clicked * (1 + 5e-4))) throw new Error(`step ${prior.step} is already at ${prior.time} ns, past the moment clicked (${clicked} ns): step ${reached.step} is not the first tick there`);
    console.log(`    ${status} Step ${prior.step} was at ${prior.time} ns.`);
  }],
  ['the Process tree tab shows the tasks now, and the reaped child only in the history, faded', async (ctx) => {
    const t = timeline(ctx.page);
    const fork = Number(ctx.forkStep);
    // From the fork's moment on to the line after waitpid again: the child has been reaped there.
    await ctx.page.locator('.debug-toolbar .action-label[aria-label^="Continue"]').click();
    await panelInFront(ctx.page, '#tabTree');
    await t.locator('#tabTree').click();
    if ((await t.locator('#tabTree').getAttribute('aria-selected')) !== 'true') throw new Error('the tree tab is not selected');
    if (await t.locator('#plot').isVisible()) throw new Error('the timeline still shows beside the tree');
    if (await t.locator('#treeHistory').getAttribute('aria-pressed') === 'true') await t.locator('#treeNow').click();
    const now = await eventually('the tree after the reap', async () => {
      const heading = (await t.locator('#treeHeading').textContent()) ?? '';
      const step = Number(/step (\d+)/.exec(heading)?.[1]);
      const nodes = await treeNodes(ctx.page);
      return step > fork && nodes.some((n) => n.pid === ctx.parent) ? nodes : undefined;
    });
    const parent = now.find((n) => n.pid === ctx.parent);
    if (parent?.comm !== 'fork-wait' || !/^(running|runnable|alive)$/.test(parent.state)) throw new Error(`the parent's box: ${JSON.stringify(parent)}`);
    if (!now.some((n) => n.pid === 1 && n.comm === 'init')) throw new Error(`no init box: ${now.map((n) => n.label).join(' | ')}`);
    if (now.some((n) => n.pid === ctx.child)) throw new Error('the reaped child is still in the tree of the moment');
    if (!parent.label.startsWith(`task ${ctx.parent} fork-wait, `) || !parent.label.includes('parent 1')) throw new Error(`the parent's label: ${parent.label}`);
    await t.locator('#treeHistory').click();
    const child = await eventually('the reaped child in the history', async () => (await treeNodes(ctx.page)).find((n) => n.pid === ctx.child));
    // The legend follows the view: the tree's key, the timeline's hidden.
    if (!(await t.locator('#legendTree li[data-key="reaped"]').isVisible()) || await t.locator('#legendTimeline').isVisible()) throw new Error("the legend is not the tree's");
    if (child.state !== 'reaped' || !(child.opacity < 1)) throw new Error(`the reaped child is not faded: ${JSON.stringify(child)}`);
    if (!child.label.startsWith(`task ${ctx.child} fork-wait, reaped, parent ${ctx.parent}, forked at step ${fork}`)) throw new Error(`the child's label: ${child.label}`);
    await ctx.page.screenshot({ path: path.join(ctx.shots, 'timeline-3-tree.png') });
    if (process.env.KPROC_UPDATE_SCREENSHOT === '1') {
      await ctx.page.locator('iframe.webview.ready').screenshot({ path: path.join(ROOT, 'media', 'process-tree.png') });
    }
  }],
  ["Enter on the child's box takes the session to its fork", async (ctx) => {
    const t = timeline(ctx.page);
    const box = t.locator(`#treeSvg .node[data-pid="${ctx.child}"]`);
    await box.focus();
    await box.press('Enter');
    const status = await eventually('the panel to report the travel', async () => {
      if (!(await t.locator('#status').isVisible().catch(() => false))) {
        await ctx.page.locator('.tab', { hasText: 'Process Timeline' }).first().click().catch(() => undefined);
      }
      const s = (await t.locator('#status').textContent({ timeout: 2000 }).catch(() => '')) ?? '';
      return s.includes(`the fork of task ${ctx.child}`) ? s : undefined;
    });
    if (!status.startsWith(`Went to step ${ctx.forkStep}: `)) throw new Error(`unexpected status: ${status}`);
    // At the fork's moment the child is alive: the tree of that stop shows it under its parent.
    await eventually('the tree of the fork moment', async () => {
      const heading = (await t.locator('#treeHeading').textContent()) ?? '';
      const child = (await treeNodes(ctx.page)).find((n) => n.pid === ctx.child);
      return heading.includes(`step ${ctx.forkStep} `) && child && child.state !== 'reaped' && child.label.includes(`parent ${ctx.parent}`) ? true : undefined;
    });
    console.log(`    ${status}`);
    await panelInFront(ctx.page, '#tabTimeline');
    await t.locator('#tabTimeline').click();
    await t.locator('#plot').waitFor({ timeout: TIMEOUT });
  }],
  ['Export SVG and PNG write the picture through the save dialog', async (ctx) => {
    const t = timeline(ctx.page);
    // The dialog offers timeline.svg in the workspace folder: the test accepts that name (typing
    // over VS Code's simple file dialog races its own completion of the path).
    const saved = path.join(ctx.workspace, 'timeline.svg');
    fs.rmSync(saved, { force: true });
    // The goto before showed the moment's kernel source over the panel: bring the panel back.
    await eventually('the panel in front', async () => {
      if (await t.locator('#exportSvg').isVisible().catch(() => false)) return true;
      await ctx.page.locator('.tab', { hasText: 'Process Timeline' }).first().click().catch(() => undefined);
      return undefined;
    });
    await t.locator('#exportSvg').click();
    const input = ctx.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    await eventually('the dialog to offer timeline.svg', async () => ((await input.inputValue()).endsWith('timeline.svg') ? true : undefined));
    await ctx.page.keyboard.press('Enter');
    await eventually('the exported file', async () => (fs.existsSync(saved) ? true : undefined));
    const svg = fs.readFileSync(saved, 'utf8');
    // Parsed as XML (strict): an <svg> root in the SVG namespace, naming the scenario's tasks.
    let root: { name: string; attributes: Record<string, string> } | undefined;
    const parser = sax.parser(true, {});
    parser.onopentag = (tag) => { root ??= tag as { name: string; attributes: Record<string, string> }; };
    parser.write(svg).close();
    if (root?.name !== 'svg' || root.attributes.xmlns !== 'http://www.w3.org/2000/svg' || !svg.includes('fork-wait')) {
      throw new Error(`not the timeline's SVG: ${svg.slice(0, 200)}`);
    }
    // Export PNG: the window on screen with its lane names and the legend under the lanes, so
    // taller for its width than the lanes alone.
    const png = path.join(ctx.workspace, 'timeline.png');
    fs.rmSync(png, { force: true });
    await panelInFront(ctx.page, '#exportPng');
    const rows = await t.locator('#labels .row').count();
    const plotWidth = await t.locator('#plot').evaluate((e) => e.clientWidth);
    await t.locator('#exportPng').click();
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    await eventually('the dialog to offer timeline.png', async () => ((await input.inputValue()).endsWith('timeline.png') ? true : undefined));
    await ctx.page.keyboard.press('Enter');
    await eventually('the exported PNG', async () => (fs.existsSync(png) && fs.statSync(png).size > 0 ? true : undefined));
    const bytes = fs.readFileSync(png);
    if (bytes.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('the timeline export is not a PNG');
    const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    const lanesOnly = (20 + rows * 22) / (160 + plotWidth);
    if (!(h / w > lanesOnly * 1.2)) throw new Error(`the timeline PNG (${w}x${h}) has no room for the legend under its ${rows} rows`);
  }],
  ['in the tree view, Export SVG and PNG save the whole process tree', async (ctx) => {
    const t = timeline(ctx.page);
    const saved = path.join(ctx.workspace, 'process-tree.svg');
    fs.rmSync(saved, { force: true });
    await panelInFront(ctx.page, '#tabTree');
    await t.locator('#tabTree').click();
    await t.locator('#exportSvg').click();
    const input = ctx.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    await eventually('the dialog to offer process-tree.svg', async () => ((await input.inputValue()).endsWith('process-tree.svg') ? true : undefined));
    await ctx.page.keyboard.press('Enter');
    await eventually('the exported tree', async () => (fs.existsSync(saved) ? true : undefined));
    const svg = fs.readFileSync(saved, 'utf8');
    const pids: number[] = [];
    const states = new Set<string>();
    const keys = new Set<string>();
    let root: string | undefined;
    const parser = sax.parser(true, {});
    parser.onopentag = (tag) => {
      root ??= tag.name;
      const a = tag.attributes as Record<string, string>;
      if (tag.name === 'g' && a.class === 'node') { pids.push(Number(a['data-pid'])); states.add(a['data-state']); }
      if (tag.name === 'g' && a.class === 'legend-item') keys.add(a['data-key']);
    };
    parser.write(svg).close();
    if (root !== 'svg' || !pids.includes(1) || !pids.includes(ctx.parent ?? -1) || !pids.includes(ctx.child ?? -1)) {
      throw new Error(`not the process tree's SVG (boxes ${pids.join(', ')}): ${svg.slice(0, 200)}`);
    }
    // Its legend names each state its boxes are in, in words.
    const unnamed = [...states].filter((st) => !keys.has(st === 'reaped' ? 'reaped' : `state-${st}`));
    if (!keys.has('process') || unnamed.length) throw new Error(`the exported tree's legend (${[...keys].join(', ')}) does not name ${unnamed.join(', ') || 'the process box'}`);
    // Export PNG: the same tree drawn through an image under the page's policy.
    const png = path.join(ctx.workspace, 'process-tree.png');
    fs.rmSync(png, { force: true });
    await panelInFront(ctx.page, '#exportPng');
    await timeline(ctx.page).locator('#exportPng').click();
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    await eventually('the dialog to offer process-tree.png', async () => ((await input.inputValue()).endsWith('process-tree.png') ? true : undefined));
    await ctx.page.keyboard.press('Enter');
    await eventually('the exported PNG', async () => (fs.existsSync(png) && fs.statSync(png).size > 0 ? true : undefined));
    const head = fs.readFileSync(png).subarray(0, 8).toString('hex');
    if (head !== '89504e470d0a1a0a') throw new Error(`not a PNG: ${head}`);
  }],
  ['after a window reload the panel is back, in the tree view, its legend hidden as it was left', async (ctx) => {
    await panelInFront(ctx.page, '#legendToggle');
    await timeline(ctx.page).locator('#legendToggle').click();
    if ((await timeline(ctx.page).locator('#legendToggle').getAttribute('aria-expanded')) !== 'false' || await timeline(ctx.page).locator('#legendBar').isVisible()) throw new Error('the Legend button did not hide the legend');
    await ctx.page.keyboard.press('Shift+F5');
    await ctx.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: TIMEOUT });
    // Reload Window, not the browser's reload: the workbench then saves its state (the webview's
    // with it) before it goes, as a reload of the desktop window does.
    const reloaded = ctx.page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(ctx.page, 'Developer: Reload Window');
    await reloaded;
    await waitForWorkbench(ctx.page);
    await ctx.page.locator('.tab[aria-label^="Process Timeline"]').waitFor({ timeout: 60_000 });
    await ctx.page.locator('.tab[aria-label^="Process Timeline"]').click();
    const t = timeline(ctx.page);
    await t.locator('#tree').waitFor({ timeout: 60_000 });
    if ((await t.locator('#tabTree').getAttribute('aria-selected')) !== 'true') throw new Error('the tree view did not come back');
    if ((await t.locator('#treeHistory').getAttribute('aria-pressed')) !== 'true') throw new Error('the history choice did not come back');
    if (await t.locator('#plot').isVisible()) throw new Error('the timeline shows instead of the tree');
    if ((await t.locator('#legendToggle').getAttribute('aria-expanded')) !== 'false' || await t.locator('#legendBar').isVisible()) throw new Error('the hidden legend came back shown');
    await ctx.page.screenshot({ path: path.join(ctx.shots, 'timeline-2-reloaded.png') });
  }],
];

export async function runTimelineUi(resultsDir: string): Promise<TimelineUiResult> {
  const dir = path.join(os.tmpdir(), `kproc-timeline-ui-${process.pid}`);
  const profile = freshProfile(dir, { 'kproc.stopOnEntry': false, 'workbench.colorTheme': 'Default Dark Modern' });
  const ws = path.join(dir, 'workspace');
  fs.cpSync(process.env.KPROC_EXAMPLES_DIR ?? path.join(ROOT, 'examples'), ws, { recursive: true });
  let server: RunningServer | undefined;
  const browser = await launchChromium();
  const result: TimelineUiResult = { ok: true, steps: [] };
  try {
    server = await startServer(profile, path.join(resultsDir, 'code-server-timeline.log'));
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // The workbench's console (the extension host's and the webview's messages) goes to a file.
    const consoleLog = fs.createWriteStream(path.join(resultsDir, 'timeline-console.txt'));
    page.on('console', (m) => consoleLog.write(`${m.type()} ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`pageerror ${e.message}\n`));
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${ROOT}`]]);
    await page.goto(`${server.base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`);
    await waitForWorkbench(page);
    const ctx: Ctx = { page, shots: resultsDir, workspace: ws };
    await runSteps(steps, ctx, page, result, path.join(resultsDir, 'timeline-failure.png'));
  } finally {
    await browser.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
