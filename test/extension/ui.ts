// The user-level UI test: the packaged .vsix installed into VS Code for the web, driven in
// Chromium the way a student works: open the fork example, click the gutter, F5, add a function
// breakpoint on copy_process, continue, read the Call Stack, Variables, Tasks and Zombies.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from './browser';
import { freshProfile, installVsix, ROOT, startServer, type RunningServer } from './codeServer';
import {
  answerInput, callStack, clickGutter, eventually, expandPane, lineOf, openFile, runCommand, treeRows, waitForWorkbench, TIMEOUT,
  runSteps,
} from './workbench';

export interface UiResult {
  ok: boolean;
  steps: Array<{ name: string; ok: boolean; error?: string }>;
}

const EXAMPLE = 'fork-wait.kproc';

/** A scratch copy of examples/, so the run never writes into the repository's files. */
function workspace(dir: string): string {
  const ws = path.join(dir, 'workspace');
  fs.rmSync(ws, { recursive: true, force: true });
  fs.cpSync(process.env.KPROC_EXAMPLES_DIR ?? path.join(ROOT, 'examples'), ws, { recursive: true });
  return ws;
}

/** State shared by the steps: what one step learns, the next one checks. */
interface Ctx {
  page: Page;
  shots: string;
  workspace: string;
  parentPid?: number;
  forkLine?: number;
  activationMs?: number;
}

async function shot(ctx: Ctx, name: string): Promise<void> {
  await ctx.page.screenshot({ path: path.join(ctx.shots, `ui-${name}.png`) });
}

async function waitForStopIn(ctx: Ctx, fn: string): Promise<string[]> {
  return eventually(`the Call Stack to show ${fn}`, async () => {
    const rows = await callStack(ctx.page);
    return rows.some((r) => r.startsWith(fn) || r.includes(` ${fn} `) || r.includes(`${fn}(`)) ? rows : undefined;
  }, 30_000);
}

/** The pid of the thread row ("3 child [R]") nearest above a frame row of the Call Stack. */
function threadAbove(rows: string[], frame: number): number | undefined {
  const thread = rows.slice(0, Math.max(0, frame)).reverse().find((r) => /^\d+ \S+ \[[A-Za-z]\]/.test(r));
  return thread ? Number(thread.split(' ')[0]) : undefined;
}

async function showViews(ctx: Ctx): Promise<void> {
  await runCommand(ctx.page, 'View: Show Linux Process Lab');
  await expandPane(ctx.page, 'Tasks');
  await expandPane(ctx.page, 'Zombies');
}

const steps: Array<[string, (ctx: Ctx) => Promise<void>]> = [
  ['the Getting Started walkthrough offers the fork tour', async (ctx) => {
    await runCommand(ctx.page, 'Welcome: Open Walkthrough...');
    const pick = ctx.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Linux Process Lab' }).first();
    await pick.waitFor({ timeout: TIMEOUT });
    await pick.click();
    for (const title of ['Open the fork example', 'Break in copy_process', 'Start debugging', 'Watch the tasks']) {
      await ctx.page.locator('.getting-started-step .step-title', { hasText: title }).first().waitFor({ timeout: TIMEOUT });
    }
    await shot(ctx, '0-walkthrough');
    await ctx.page.keyboard.press('Control+W');
  }],
  ['open the fork example: it is in the kproc language with Run and Debug buttons', async (ctx) => {
    await openFile(ctx.page, EXAMPLE);
    const mode = ctx.page.locator('.statusbar-item[id="status.editor.mode"]');
    await eventually('the language in the status bar', async () => /kproc/i.test((await mode.textContent()) ?? '') || undefined);
    await ctx.page.locator('.editor-actions .action-label[aria-label^="Run Scenario"]').waitFor({ timeout: TIMEOUT });
    await ctx.page.locator('.editor-actions .action-label[aria-label^="Debug Scenario"]').waitFor({ timeout: TIMEOUT });
    await shot(ctx, '1-open');
  }],
  ['set a breakpoint on the fork() line by clicking the gutter', async (ctx) => {
    ctx.forkLine = lineOf(path.join(ctx.workspace, EXAMPLE), /\bfork\s*\(\s*\)\s*;/);
    await clickGutter(ctx.page, ctx.forkLine);
    await ctx.page.locator('.editor-instance .glyph-margin-widgets .codicon-debug-breakpoint, .editor-instance .codicon-debug-breakpoint')
      .first().waitFor({ timeout: TIMEOUT });
  }],
  ['press F5 with no launch.json: the session stops at the breakpoint', async (ctx) => {
    await ctx.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await ctx.page.keyboard.press('F5');
    await ctx.page.locator('.debug-toolbar').waitFor({ timeout: TIMEOUT });
    const rows = await waitForStopIn(ctx, 'main');
    ctx.parentPid = threadAbove(rows, rows.findIndex((r) => r.startsWith('main')));
    await eventually('the stopped line to be the fork() line', async () =>
      (await ctx.page.locator(`.debug-call-stack .monaco-list-row .line-number`).allTextContents()).some((t) => t.includes(String(ctx.forkLine))) || undefined);
    await shot(ctx, '2-breakpoint');
  }],
  ['Step Back and Reverse Continue are in the debug toolbar: a step over fork() then Step Back returns to the fork() line', async (ctx) => {
    const button = (label: string) => ctx.page.locator(`.debug-toolbar .action-label[aria-label^="${label}"]`).first();
    await button('Step Back').waitFor({ timeout: TIMEOUT });
    await button('Reverse').waitFor({ timeout: TIMEOUT });
    // The line of the scenario's main frame in the Call Stack: its row reads "main fork-wait.kproc 28".
    const stoppedLine = async () => {
      const row = (await callStack(ctx.page)).find((r) => r.startsWith('main ') && r.includes(EXAMPLE));
      const m = row ? /(\d+)(?::\d+)?$/.exec(row) : null;
      return m ? Number(m[1]) : undefined;
    };
    const status = ctx.page.locator('.statusbar-item', { hasText: /step [\d,]+ · / }).first();
    await status.waitFor({ timeout: TIMEOUT });
    const stepNow = async () => Number((/step ([\d,]+)/.exec((await status.textContent()) ?? '')?.[1] ?? 'NaN').replace(/,/g, ''));
    const atFork = await stepNow();
    await ctx.page.keyboard.press('F10');
    await eventually('the stop to move past the fork() line', async () => {
      const line = await stoppedLine();
      return line !== undefined && line !== ctx.forkLine ? line : undefined;
    }, 30_000);
    await button('Step Back').click();
    await eventually('the stop to be back at the fork() line, in the past', async () =>
      ((await stoppedLine()) === ctx.forkLine && /\(past\)/.test((await status.textContent()) ?? '')) || undefined, 30_000);
    await shot(ctx, '2b-step-back');
    // No breakpoint is hit before this one, so Reverse Continue goes back to the start of the run;
    // F5 then runs forward to the same breakpoint at the same step.
    await button('Reverse').click();
    await eventually('the run to go back to its start', async () => ((await stepNow()) < atFork) || undefined, 30_000);
    // F5 only once the session is stopped there (the toolbar offers Continue, not Pause): pressed
    // while the stop was still arriving, it could be lost.
    await button('Continue').waitFor({ timeout: TIMEOUT });
    await ctx.page.keyboard.press('F5');
    await eventually('the breakpoint on the fork() line again, at the same step', async () =>
      ((await stoppedLine()) === ctx.forkLine && (await stepNow()) === atFork) || undefined, 30_000);
  }],
  ['add a function breakpoint on copy_process and continue: copy_process is above the scenario frame', async (ctx) => {
    await runCommand(ctx.page, 'Add Function Breakpoint');
    await answerInput(ctx.page, 'copy_process');
    await ctx.page.locator('.debug-breakpoints .monaco-list-row', { hasText: 'copy_process' }).waitFor({ timeout: TIMEOUT });
    await ctx.page.keyboard.press('F5');
    await waitForStopIn(ctx, 'copy_process');
    let rows: string[] = [];
    const below = () => rows.findIndex((r, i) => i > rows.findIndex((k) => k.startsWith('copy_process')) && /^main /.test(r) && r.includes('.kproc'));
    // VS Code fetches the top frame first; the rest arrive later or behind "Load More Stack Frames".
    let lastClick = Date.now();
    await eventually('the scenario frame below copy_process', async () => {
      rows = await callStack(ctx.page);
      if (below() > 0) return true;
      const more = ctx.page.locator('.debug-call-stack .monaco-list-row', { hasText: 'Load More Stack Frames' }).first();
      // Give VS Code's own delayed fetch a chance first, then click as a user would, not too often.
      if (Date.now() - lastClick > 3000 && await more.count()) {
        lastClick = Date.now();
        await more.click();
      }
      return undefined;
    }, 30_000).catch(() => { throw new Error(`no scenario frame below copy_process: ${rows.join(' | ')}`); });
    const kernel = rows.findIndex((r) => r.startsWith('copy_process'));
    console.log(`    Call Stack: ${rows.slice(kernel, below() + 1).map((r) => r.split(' ')[0]).join(' < ')}`);
    ctx.parentPid = threadAbove(rows, kernel) ?? ctx.parentPid;
  }],
  ['expand current in Variables down to real_parent', async (ctx) => {
    // Rows are labelled "name, value ..." for screen readers (the visible name reads "current =").
    // `current` may be a variable inside a scope or a scope of its own; open whichever is there.
    const row = (label: string) => ctx.page.locator(`.debug-variables .monaco-list-row[aria-label^="${label}"]`).first();
    await eventually('current->real_parent in Variables', async () => {
      if (await row('real_parent, value').count()) return true;
      for (const label of ['current, value', 'Scope current']) {
        const r = row(label);
        if (!await r.count()) continue;
        if ((await r.getAttribute('aria-expanded')) === 'false') {
          await r.locator('.monaco-tl-twistie').click();
        } else {
          // The list is virtual: rows below the fold do not exist until scrolled to. Typing a
          // name in a focused tree jumps to the matching row, as a user would do.
          // Focus the tree on a leaf (a click on a scope would fold it), then type.
          await ctx.page.locator('.debug-variables .monaco-list-row[aria-level="2"]:not([aria-expanded])').first().click();
          await ctx.page.keyboard.type('real_parent', { delay: 20 });
        }
        return undefined;
      }
      const closed = ctx.page.locator('.debug-variables .monaco-list-row[aria-level="1"][aria-expanded="false"]').first();
      if (await closed.count()) await closed.locator('.monaco-tl-twistie').click();
      return undefined;
    });
    await shot(ctx, '3-copy_process');
  }],
  ['Tasks shows the parent and the new child; Zombies lists the child after it exits', async (ctx) => {
    // Done with the fork() line: the child returns from fork() at that statement too.
    await openFile(ctx.page, EXAMPLE);
    await clickGutter(ctx.page, ctx.forkLine ?? 0);
    await ctx.page.locator('.debug-breakpoints .monaco-list-row', { hasText: EXAMPLE }).waitFor({ state: 'detached', timeout: TIMEOUT });
    // This time through the extension's searchable list of modelled kernel functions.
    await runCommand(ctx.page, 'Kproc: Add Kernel Function Breakpoint...');
    await ctx.page.locator('.quick-input-list .monaco-list-row', { hasText: 'copy_process' }).first().waitFor({ timeout: TIMEOUT });
    await answerInput(ctx.page, 'wait_task_zombie');
    // The list draws only the rows in view, and the exception filters come first: scroll to its end.
    await runCommand(ctx.page, 'Run and Debug: Focus on Breakpoints View');
    await ctx.page.keyboard.press('End');
    await ctx.page.locator('.debug-breakpoints .monaco-list-row', { hasText: 'wait_task_zombie' }).waitFor({ timeout: TIMEOUT });
    await ctx.page.keyboard.press('F5');
    await waitForStopIn(ctx, 'wait_task_zombie');
    await showViews(ctx);
    const parent = ctx.parentPid ?? 1;
    const tasks = treeRows(ctx.page, 'Tasks');
    const [parentRow, childRow] = await eventually('the parent and its child in Tasks', async () => {
      const labels = (await tasks.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      const p = labels.find((l) => l.includes(`(${parent})`));
      const c = labels.find((l) => / Z /.test(` ${l} `) || /EXIT_ZOMBIE/.test(l));
      return p && c ? [p, c] : undefined;
    });
    const zombies = treeRows(ctx.page, 'Zombies');
    const zombie = await eventually('the child in Zombies', async () =>
      (await zombies.allInnerTexts()).find((t) => t.includes(`(${parent})`)));
    console.log(`    Tasks: ${parentRow} / ${childRow}; Zombies: ${zombie}`);
    await shot(ctx, '4-zombie');
  }],
  ['a live task offers the signals in its context menu; a zombie does not', async (ctx) => {
    const parent = ctx.parentPid ?? 1;
    const tasks = treeRows(ctx.page, 'Tasks');
    const menuItems = async (row: string) => {
      await tasks.filter({ hasText: row }).first().click({ button: 'right' });
      const menu = ctx.page.locator('.context-view .monaco-menu');
      await menu.waitFor({ timeout: TIMEOUT });
      const items = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      return items;
    };
    const live = await menuItems(`(${parent})`);
    for (const sig of ['SIGKILL', 'SIGSTOP', 'SIGCONT', 'SIGTERM']) {
      if (!live.includes(`Send ${sig}`)) throw new Error(`no "Send ${sig}" in ${live.join(', ')}`);
    }
    // SIGCONT to a running task changes nothing, so the run goes on as before.
    // The Tasks view may re-render under an open menu when a task table arrives; a menu item that
    // never settles for Playwright's stability check is clicked without waiting for it.
    const cont = ctx.page.locator('.context-view .monaco-menu .action-label', { hasText: 'Send SIGCONT' });
    await cont.click({ timeout: 5000 }).catch(() => undefined);
    const menu = ctx.page.locator('.context-view .monaco-menu');
    if (await menu.isVisible()) {
      // Fall back to the keyboard, as a user would: move the focus to the item and press Enter.
      for (let i = 0; i < 8; i++) {
        const focused = await menu.locator('.action-item.focused .action-label').allInnerTexts();
        if (focused[0]?.trim() === 'Send SIGCONT') break;
        await ctx.page.keyboard.press('ArrowDown');
      }
      await ctx.page.keyboard.press('Enter');
    }
    await menu.waitFor({ state: 'hidden', timeout: TIMEOUT });
    const dead = await menuItems('EXIT_ZOMBIE');
    await ctx.page.keyboard.press('Escape');
    if (dead.some((t) => t.startsWith('Send SIG'))) throw new Error(`a zombie offers signals: ${dead.join(', ')}`);
    if (!dead.includes('Show task_struct')) throw new Error(`no "Show task_struct" for a zombie: ${dead.join(', ')}`);
    // Going back is offered on every task during the session, the zombie included.
    for (const [items, want] of [[live, 'Run Back to When It Was Forked'], [dead, 'Run Back to When It Became a Zombie'], [dead, 'Run Forward to When It Was Reparented']] as const) {
      if (!items.includes(want)) throw new Error(`no "${want}" in ${items.join(', ')}`);
    }
  }],
  ['Run and Debug shows the same Tasks and Zombies next to the Call Stack', async (ctx) => {
    // More room for the side bar: hide the bottom panel that the session opened.
    const hide = ctx.page.locator('.part.panel .action-label[aria-label^="Hide Panel"]').first();
    if (await hide.isVisible()) await hide.click();
    await ctx.page.keyboard.press('Control+Shift+D');
    // A wider side bar, so that the screenshot shows whole rows: drag its edge as a user would.
    const bar = await ctx.page.locator('.part.sidebar').boundingBox();
    if (bar) {
      const y = bar.y + bar.height / 2;
      await ctx.page.mouse.move(bar.x + bar.width + 1, y);
      await ctx.page.mouse.down();
      await ctx.page.mouse.move(bar.x + bar.width + 220, y, { steps: 5 });
      await ctx.page.mouse.up();
    }
    await expandPane(ctx.page, 'Tasks (kproc)');
    await expandPane(ctx.page, 'Zombies (kproc)');
    await eventually('the zombie in the Run and Debug copy of Zombies', async () =>
      (await treeRows(ctx.page, 'Zombies (kproc)').allInnerTexts()).find((t) => t.includes(`(${ctx.parentPid ?? 1})`)));
    // The session so far raised no error pop-up (requests racing a step once showed stale-frame errors).
    const toasts = await ctx.page.locator('.notifications-toasts .notification-toast').allInnerTexts();
    const errors = toasts.filter((t) => /does not exist|Internal error|Debug adapter/i.test(t));
    if (errors.length) throw new Error(`error notifications are showing: ${errors.join(' | ')}`);
    await shot(ctx, '5-debug-views');
    if (process.env.KPROC_UPDATE_SCREENSHOT === '1') {
      fs.copyFileSync(path.join(ctx.shots, 'ui-5-debug-views.png'), path.join(ROOT, 'media', 'screenshot.png'));
    }
  }],
  ['VS Code reports the activation time (Developer: Show Running Extensions)', async (ctx) => {
    await runCommand(ctx.page, 'Developer: Show Running Extensions');
    const row = ctx.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Linux Process Lab' }).first();
    await row.waitFor({ timeout: TIMEOUT });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    const ms = /(\d+)\s*ms/.exec(text);
    if (!ms) throw new Error(`no activation time in "${text}"`);
    ctx.activationMs = Number(ms[1]);
    console.log(`    activation as VS Code measures it: ${ms[1]} ms (${text})`);
    fs.writeFileSync(path.join(ctx.shots, 'activation.json'), JSON.stringify({ activationMs: ctx.activationMs, row: text }, null, 2));
    await ctx.page.keyboard.press('Control+W');
  }],
  ['stop debugging', async (ctx) => {
    await ctx.page.keyboard.press('Shift+F5');
    await ctx.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: TIMEOUT });
  }],
];

export async function runUiTest(resultsDir: string): Promise<UiResult> {
  const dir = path.join(ROOT, '.vscode-web/run/ui');
  const profile = freshProfile(dir, { 'kproc.stopOnEntry': false, 'workbench.colorTheme': 'Default Dark Modern' });
  const vsix = path.join(ROOT, 'linux-process-lab.vsix');
  installVsix(profile, vsix);
  const ws = workspace(dir);
  let server: RunningServer | undefined;
  const browser = await launchChromium();
  const result: UiResult = { ok: true, steps: [] };
  try {
    server = await startServer(profile, path.join(resultsDir, 'code-server-ui.log'));
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${server.base}/?folder=${encodeURIComponent(ws)}`);
    await waitForWorkbench(page);
    const ctx: Ctx = { page, shots: resultsDir, workspace: ws };
    await runSteps(steps, ctx, page, result, path.join(resultsDir, 'ui-failure.png'));
  } finally {
    await browser.close();
    await server?.stop();
  }
  return result;
}
