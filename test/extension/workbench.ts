// Small helpers that drive the VS Code for the web workbench the way a user does: the command
// palette, the editor gutter, the debug panes and the custom tree views. Selectors are the ones
// VS Code 1.100 renders.
import * as fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';

export const TIMEOUT = 20_000;

export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The status bar fills in once the extension host is up.
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
}

/** Runs a palette command by its exact title (clicks the matching row, not the first one). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }),
  }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.click();
}

/** Answers an input box opened by a command (Add Function Breakpoint asks for a name). */
export async function answerInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input, .debug-breakpoints .monaco-inputbox input').first();
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.click();
  await page.locator(`.tab[aria-label^="${name}"]`).waitFor({ timeout: TIMEOUT });
  await page.locator('.monaco-editor .view-line').first().waitFor({ timeout: TIMEOUT });
}

/** 1-based number of the first line of a file whose text matches (read from disk, not the DOM). */
export function lineOf(file: string, pattern: RegExp): number {
  const idx = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => pattern.test(l));
  if (idx < 0) throw new Error(`no line of ${file} matches ${pattern}`);
  return idx + 1;
}

/** Go to Line (Ctrl+G), which also scrolls the line into view. */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
}

/** Clicks the glyph margin of a line, as a user sets a breakpoint. */
export async function clickGutter(page: Page, line: number): Promise<void> {
  const num = page.locator('.editor-instance .monaco-editor .line-numbers', { hasText: new RegExp(`^${line}$`) }).first();
  let box = null;
  // The editor scrolls after Go to Line; on a loaded machine the line may not be drawn yet, and a
  // second Go to Line brings it back if focus moved meanwhile.
  for (let attempt = 0; attempt < 3 && !box; attempt++) {
    await goToLine(page, line);
    box = await num.waitFor({ state: 'visible', timeout: 5_000 }).then(() => num.boundingBox(), () => null);
  }
  const margin = await page.locator('.editor-instance .monaco-editor .glyph-margin').first().boundingBox();
  if (!box || !margin) throw new Error(`line ${line} is not visible`);
  await page.mouse.move(margin.x + margin.width / 2, box.y + box.height / 2);
  await page.mouse.click(margin.x + margin.width / 2, box.y + box.height / 2);
}

export function callStackRows(page: Page): Locator {
  return page.locator('.debug-call-stack .monaco-list-row');
}

/** Texts of the Call Stack's rows, top to bottom. */
export async function callStack(page: Page): Promise<string[]> {
  return (await callStackRows(page).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

export function treeRows(page: Page, viewTitle: string): Locator {
  const pane = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${escapeRe(viewTitle)}`, 'i') }) });
  return pane.locator('.customview-tree .monaco-list-row');
}

/** Expands a collapsed pane (a view section) by its title when it is collapsed. */
export async function expandPane(page: Page, title: string): Promise<void> {
  const header = page.locator('.pane-header', { hasText: new RegExp(`^\\s*${escapeRe(title)}`, 'i') }).first();
  await header.waitFor({ timeout: TIMEOUT });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
}

/** Polls `probe` until it returns a value, for UI that updates asynchronously; fails at the deadline. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = TIMEOUT): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** What a user-level test reports: each step's name and whether it passed. */
export interface StepsResult {
  ok: boolean;
  steps: Array<{ name: string; ok: boolean; error?: string }>;
}

/**
 * Runs the steps in order into `result`: after a failure the rest are reported skipped, and the
 * page's picture at the failure is saved as `failureShot`.
 */
export async function runSteps<C>(steps: ReadonlyArray<[string, (ctx: C) => Promise<void>]>, ctx: C, page: Page, result: StepsResult, failureShot: string): Promise<void> {
  for (const [name, run] of steps) {
    if (!result.ok) { result.steps.push({ name, ok: false, error: 'skipped after an earlier failure' }); continue; }
    try {
      await run(ctx);
      result.steps.push({ name, ok: true });
    } catch (e) {
      result.ok = false;
      result.steps.push({ name, ok: false, error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
      await page.screenshot({ path: failureShot }).catch(() => undefined);
    }
  }
}
