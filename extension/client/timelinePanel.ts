// The "Process Timeline" webview panel: asks the kproc session for the timeline at every stop (the
// whole model first, then what changed since, as the adapter makes it), hands it to the page,
// sends the page's clicks to the session as 'kproc/goto', writes the page's exports through a
// save dialog, and comes back after a window reload.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyTimelineDelta, type TimelineDelta } from './timelineDelta';
import { timelinePage, type PageParts } from './timelinePage';
import { firstFrameMarkup, fittedPage, type PlotSize } from './timelineFirstFrame';
import { formatVirtualTime } from '../../sim-core/debug/moment';
import type { Moment } from '../../sim-core/machine-types';
import { GOTO_REQUEST, MOMENT_EVENT, TIMELINE_REQUEST, type TimelineModel } from './timelineTypes';

/** The adapter's versioned answer to the timeline request: the whole model, or the delta from `base`. */
type TimelineAnswer = { version: number; model?: TimelineModel; base?: number; delta?: TimelineDelta };

export const TIMELINE_VIEW_TYPE = 'kproc.timeline';
/**
 * How long opening the panel waits at most for the first model to write into the page (ms): a
 * guard against an adapter that does not answer, not a deadline. The page would need that same
 * answer before its first picture anyway; only its loading, not overlapped with the wait, is lost
 * when the answer is slow.
 */
const OPEN_WAIT = 5000;
/** The largest first model (as JSON) written into the page; a bigger one is posted once the page is up. */
const INITIAL_MAX_CHARS = 4_000_000;
export const TIMELINE_COMMAND = 'kproc.showTimeline';

type FromPage =
  /** The page is up, holding the model numbered `holds` (written into it), or none (-1). */
  | { type: 'ready'; holds?: number }
  /** The plot's size, for the first frame of the next page. */
  | { type: 'size'; width: number; height: number }
  | { type: 'resync' }
  /** A click: on an event (its step), or on empty time (the virtual time under the pointer, ns). */
  | { type: 'goto'; step?: number; time?: number; what?: string }
  | { type: 'export'; format: 'svg' | 'png'; data: string; view?: 'timeline' | 'tree' };

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars.charAt(Math.floor(Math.random() * chars.length));
  return s;
}

/** The page's script and style sheet, read once: written into the page, they spare it two fetches before its first paint. */
let pageAssets: { script: string; style: string } | null | undefined;

function inlineAssets(extensionUri: vscode.Uri): { script: string; style: string } | undefined {
  if (pageAssets === undefined) {
    try {
      pageAssets = {
        script: fs.readFileSync(path.join(extensionUri.fsPath, 'dist', 'timelineWebview.js'), 'utf8'),
        style: fs.readFileSync(path.join(extensionUri.fsPath, 'media', 'timeline.css'), 'utf8'),
      };
    } catch {
      pageAssets = null; // not on this file system: the page fetches them by address
    }
  }
  return pageAssets ?? undefined;
}

/** The page: scripts only with the nonce, styles only from the extension or with the nonce, nothing remote. */
export function timelineHtml(webview: vscode.Webview, extensionUri: vscode.Uri, initial?: string, first?: PageParts['first']): string {
  return timelinePage({
    initial,
    first,
    cspSource: webview.cspSource,
    nonce: nonce(),
    script: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'timelineWebview.js')).toString(),
    style: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'timeline.css')).toString(),
    later: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'timelineLater.js')).toString(),
    inline: inlineAssets(extensionUri),
  });
}

/** The plot's size in the last page that said (the first frame of the next page is laid out for it), kept across window reloads. */
let lastPlot: PlotSize | undefined;
let keepPlot: ((size: PlotSize) => void) | undefined;
const PLOT_KEY = 'kproc.timeline.plotSize';

/** One panel at a time; it follows the active kproc session. */
export class TimelinePanel implements vscode.Disposable {
  static current: TimelinePanel | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private ready = false;
  private refreshing: Promise<void> | undefined;
  private again = false;
  /** The last model shown (a later end of the session leaves it on screen; Export SVG draws it). */
  private shown: TimelineModel | undefined;
  private title = 'Process timeline';
  /**
   * What the page holds: the model as last posted, its number for the page, and the session and
   * the adapter's version of it, from which the adapter answers the next stop as a delta.
   */
  private base: { model: TimelineModel; version: number; session: string; adapter: number } | undefined;
  private version = 0;
  /** Messages posted to the page, kept for the extension-host tests. */
  readonly posted: Array<{ type: string }> = [];
  /** Until the page's markup is set (it waits a moment for the first model, to carry it). */
  private opening: Promise<void> | undefined;
  private disposed = false;

  static show(extensionUri: vscode.Uri): TimelinePanel {
    if (TimelinePanel.current) {
      TimelinePanel.current.panel.reveal(undefined, true);
      return TimelinePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, 'Process Timeline', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
    return new TimelinePanel(panel, extensionUri);
  }

  /** `restored`: the state the page saved, when the panel comes back after a window reload. */
  constructor(readonly panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, private readonly restored?: unknown) {
    TimelinePanel.current = this;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'kproc.svg');
    this.opening = this.open().finally(() => { this.opening = undefined; });
    this.subs.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromPage) => { void this.onMessage(m); }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type === 'kproc' && (e.event === MOMENT_EVENT || e.event === 'kproc/tasks')) this.refresh();
      }),
      vscode.debug.onDidChangeActiveStackItem(() => this.refresh()),
      vscode.debug.onDidChangeActiveDebugSession(() => this.refresh()),
      vscode.debug.registerDebugAdapterTrackerFactory('kproc', {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (m: { type?: string; event?: string }) => {
            if (m.type === 'event' && m.event === 'stopped') this.refresh();
          },
        }),
      }),
    );
  }

  /**
   * Sets the page's markup, with the current stop's model written into it: the page then draws
   * it as its script runs, instead of saying it is ready and waiting for the answer to come back
   * as a message. The panel's own frame is made meanwhile. Without a stopped session (the request
   * fails at once) or an answer within OPEN_WAIT, the page asks, as after a reload.
   */
  private async open(): Promise<void> {
    let initial: string | undefined;
    let first: PageParts['first'];
    const s = this.session();
    if (s) {
      const asked = Promise.resolve(s.customRequest(TIMELINE_REQUEST, { deltas: true })).then((a: unknown) => a as TimelineAnswer | undefined, () => undefined);
      const a = await Promise.race([asked, new Promise<undefined>((resolve) => setTimeout(resolve, OPEN_WAIT))]);
      if (a && typeof a.version === 'number' && a.model && Array.isArray(a.model.lanes)) {
        const version = ++this.version;
        const text = JSON.stringify({ model: a.model, version });
        // A very big model goes as a message, as it would after a reload: the page's markup stays small.
        if (text.length <= INITIAL_MAX_CHARS) {
          initial = text;
          if (fittedPage(this.restored)) first = firstFrameMarkup(a.model, lastPlot);
          this.base = { model: a.model, version, session: s.id, adapter: a.version };
          this.shown = a.model;
          this.title = `Process timeline of ${s.name}`;
        }
      }
    }
    if (this.disposed) return;
    this.panel.webview.html = timelineHtml(this.panel.webview, this.extensionUri, initial, first);
  }

  private session(): vscode.DebugSession | undefined {
    const s = vscode.debug.activeDebugSession;
    return s?.type === 'kproc' ? s : undefined;
  }

  private post(m: { type: string; [k: string]: unknown }): void {
    this.posted.push({ type: m.type });
    if (this.posted.length > 100) this.posted.splice(0, 50);
    void this.panel.webview.postMessage(m);
  }

  /** Asks for the model again; stops that arrive during a request fold into one more request. */
  refresh(): void {
    if (!this.ready) return;
    if (this.refreshing) { this.again = true; return; }
    this.refreshing = this.load().finally(() => {
      this.refreshing = undefined;
      if (this.again) { this.again = false; this.refresh(); }
    });
  }

  /** Settles once the page has the model of the current stop (for tests). */
  async settled(): Promise<void> {
    while (this.opening || this.refreshing) await (this.opening ?? this.refreshing);
  }

  private async load(): Promise<void> {
    const s = this.session();
    if (!s) {
      // A finished run's last picture stays, as the task views keep their last table.
      if (this.shown) this.post({ type: 'status', text: 'The debug session has ended: this is its last picture.' });
      else this.post({ type: 'empty', text: 'Waiting for a stop of a Linux Process Lab debug session.' });
      return;
    }
    try {
      const since = this.base?.session === s.id ? this.base.adapter : undefined;
      const a = (await s.customRequest(TIMELINE_REQUEST, { deltas: true, since })) as TimelineAnswer | undefined;
      if (a && typeof a.version === 'number' && 'delta' in a && a.delta && this.base && this.base.session === s.id && a.base === this.base.adapter) {
        this.postDelta(a.delta, a.version);
      } else if (a && typeof a.version === 'number' && 'model' in a && a.model && Array.isArray(a.model.lanes)) {
        this.postModel(a.model, s.id, a.version);
      } else if (a && typeof a.version === 'number' && 'delta' in a) {
        // A delta from a version the page no longer holds (it reloaded meanwhile): ask again for the whole.
        this.base = undefined;
        this.again = true;
        return;
      } else {
        this.post({ type: 'status', text: 'The debug adapter answered the timeline request with no model.' });
        return;
      }
      this.title = `Process timeline of ${s.name}`;
    } catch (e) {
      // Running (no stop yet) or ended: the page keeps the last picture and says why it is old.
      this.post({ type: 'status', text: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Posts a stop's whole model (the first, or after a resync, or when the delta would not be much smaller). */
  private postModel(model: TimelineModel, session: string, adapter: number): void {
    const version = ++this.version;
    this.post({ type: 'model', model, version });
    this.base = { model, version, session, adapter };
    this.shown = model;
  }

  /**
   * Posts what changed since the model the page holds (posting copies it), then applies it to the
   * panel's own copy of that model, which Export SVG draws and the next delta applies to.
   */
  private postDelta(delta: TimelineDelta, adapter: number): void {
    const base = this.base;
    if (!base) return;
    const version = ++this.version;
    this.post({ type: 'delta', delta, base: base.version, version });
    applyTimelineDelta(base.model, delta);
    base.version = version;
    base.adapter = adapter;
    this.shown = base.model;
  }

  private async onMessage(m: FromPage): Promise<void> {
    switch (m.type) {
      case 'ready':
        // A new page (first, or reloaded) holds the model written into it, or none: unless that is
        // the one last given, the next one goes whole.
        if (m.holds === undefined || m.holds !== this.base?.version) this.base = undefined;
        this.ready = true;
        this.refresh();
        return;
      case 'size':
        if (Number.isFinite(m.width) && Number.isFinite(m.height) && m.width > 0 && m.height > 0) {
          lastPlot = { width: m.width, height: m.height };
          keepPlot?.(lastPlot);
        }
        return;
      case 'resync':
        this.base = undefined;
        this.refresh();
        return;
      case 'goto': return typeof m.time === 'number' ? this.gotoTime(m.time, m.what) : this.goto(m.step ?? -1, m.what);
      case 'export': return this.export(m.format, m.data, m.view === 'tree');
      default: return;
    }
  }

  /** A click on an event: the session travels to its step (the page says if it cannot). */
  private async goto(step: number, what: string | undefined): Promise<void> {
    if (!Number.isSafeInteger(step) || step < 0) return;
    await this.travel({ step }, `step ${step}`, () => `Went to step ${step}${what ? `: ${what}` : ''}.`);
  }

  /**
   * A click on empty time: the session travels to exactly that moment, the first tick whose
   * virtual clock is at or past it (the clock jumps over idle stretches: a click inside one lands
   * right after it).
   */
  private async gotoTime(time: number, what: string | undefined): Promise<void> {
    if (!Number.isFinite(time)) return;
    const at = formatVirtualTime(Math.max(0, time));
    await this.travel({ time }, at, (reached) => {
      const where = reached ? `step ${reached.step} at ${formatVirtualTime(reached.time)}` : at;
      return `Went to ${where}${what ? `: ${what}` : ''}.`;
    });
  }

  private async travel(args: { step: number } | { time: number }, target: string, said: (reached: Moment | undefined) => string): Promise<void> {
    const s = this.session();
    if (!s) { this.post({ type: 'status', text: 'No Linux Process Lab debug session to travel in.' }); return; }
    try {
      // The stop shows its source in the active editor group: let that be another than the
      // panel's, so the picture stays in view beside the code it points at.
      if (this.panel.viewColumn !== undefined && this.panel.viewColumn !== vscode.ViewColumn.One) {
        await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
      }
      const body: unknown = await s.customRequest(GOTO_REQUEST, args);
      const b = body as Partial<Moment> | undefined;
      this.post({ type: 'status', text: said(typeof b?.step === 'number' && typeof b.time === 'number' ? { step: b.step, time: b.time } : undefined) });
    } catch (e) {
      this.post({ type: 'status', text: `Could not go to ${target}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /**
   * SVG: the whole run as the command line's export draws it (sim-core/viz/svg.ts), or the page's
   * own picture of its window when there is no model; PNG: the page's canvas. From the tree view,
   * the page's picture of the whole process tree, in either format.
   */
  private async export(format: 'svg' | 'png', data: string, tree = false): Promise<void> {
    if (format !== 'svg' && format !== 'png') return;
    let svg = data;
    if (format === 'svg' && this.shown && !tree) {
      const { timelineSvg } = await import('../../sim-core/viz/svg');
      svg = timelineSvg(this.shown, { title: this.title });
    }
    const bytes = format === 'svg' ? new TextEncoder().encode(svg) : pngBytes(data);
    if (!bytes) { this.post({ type: 'status', text: 'The picture could not be made.' }); return; }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({
      title: `Export the ${tree ? 'process tree' : 'timeline'} as ${format.toUpperCase()}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${tree ? 'process-tree' : 'timeline'}.${format}`) : undefined,
      filters: format === 'svg' ? { 'SVG picture': ['svg'] } : { 'PNG picture': ['png'] },
    });
    if (!uri) return;
    try {
      await vscode.workspace.fs.writeFile(uri, bytes);
      this.post({ type: 'status', text: `Saved ${uri.path.split('/').pop() ?? uri.toString()}.` });
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not save ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (TimelinePanel.current === this) TimelinePanel.current = undefined;
    vscode.Disposable.from(...this.subs).dispose();
    this.subs.length = 0;
    this.panel.dispose();
  }
}

/** The bytes of a PNG data URL (canvas.toDataURL), or undefined when it is not one. */
export function pngBytes(dataUrl: string): Uint8Array | undefined {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  return m ? Uint8Array.from(Buffer.from(m[1], 'base64')) : undefined;
}

/** The command, and the serializer that brings the panel back after a window reload. */
export function registerTimeline(context: vscode.ExtensionContext): void {
  const kept = context.globalState.get<PlotSize>(PLOT_KEY);
  if (kept && Number.isFinite(kept.width) && Number.isFinite(kept.height)) lastPlot = kept;
  keepPlot = (size) => { void context.globalState.update(PLOT_KEY, size); };
  context.subscriptions.push(
    vscode.commands.registerCommand(TIMELINE_COMMAND, () => TimelinePanel.show(context.extensionUri)),
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        TimelinePanel.current?.dispose();
        new TimelinePanel(panel, context.extensionUri, state);
      },
    }),
    { dispose: () => TimelinePanel.current?.dispose() },
  );
}
