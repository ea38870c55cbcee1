// The timeline page's start (part of the page script): the first model the panel wrote into the
// page, and the page's second script (the tree view, the export), loaded when it is wanted.
/// <reference lib="dom" />
import type { Later } from './pageState';
import { INITIAL_MODEL_ID } from './timelinePage';
import type { TimelineModel } from './timelineTypes';

/** The model the panel wrote into the page with its number, drawn once the page is built; else undefined. */
export function initialModel(): { model: TimelineModel; version: number } | undefined {
  const text = document.getElementById(INITIAL_MODEL_ID)?.textContent;
  if (!text) return undefined;
  try {
    const d = JSON.parse(text) as { model?: TimelineModel; version?: unknown } | null;
    return d?.model && Array.isArray(d.model.lanes) && typeof d.version === 'number' ? { model: d.model, version: d.version } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The page's second script: the tabs' other picture (the process tree) and the timeline's export.
 * The page loads it after its first frame is painted (or at once when one of them is asked for,
 * or the tree was in front when the page was saved), so the first paint waits for none of it.
 * It is fetched from the address on the page script's element (data-later), with that element's nonce.
 */
export class LaterScript {
  /** What it brought, once it has run. */
  later: Later | undefined;
  /** Asked for before it had loaded: the tree view, an export. */
  treeAsked = false;
  exportAsked: 'svg' | 'png' | undefined;
  private loading = false;

  constructor(private readonly pageScript: HTMLScriptElement | null, private readonly status: HTMLElement) {}

  load(): void {
    const src = this.pageScript?.dataset.later;
    if (this.loading || !src) return;
    this.loading = true;
    const s = document.createElement('script');
    s.nonce = this.pageScript?.nonce ?? '';
    s.src = src;
    s.onerror = () => { this.status.textContent = 'The process tree and the export could not be loaded.'; };
    document.body.append(s);
  }
}
