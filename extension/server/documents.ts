// The open documents: didOpen/didChange/didClose parameters checked before they touch a document,
// edits clamped to the document, and one analysis per document version (or none above the size
// limit), with the results of the cheap features remembered for that version.
import { performance } from 'node:perf_hooks';
import type { Analysis } from './features/analysis';
import { ParamsError } from './guard';
import { ChunkedText, type TextChange } from './text';

/** Documents longer than this (in UTF-16 code units, about 1 MB of text) are not analysed. */
export const MAX_ANALYSED_CHARS = 1_000_000;

type Outcome = { ok: true; analysis: Analysis } | { ok: false; error: unknown };

/** One open document at one version. */
export interface OpenDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: ChunkedText;
}

interface Entry {
  doc: OpenDocument;
  /** The analysis of doc.version (or the error it raised), computed on first use. */
  outcome?: Outcome;
  /** Results of features for doc.version, by feature name. */
  memo: Map<string, unknown>;
  /** Milliseconds the document's latest analysis took (of this version or an earlier one). */
  cost: number;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isPosition(p: unknown): p is { line: number; character: number } {
  return isObject(p) && Number.isSafeInteger(p.line) && Number.isSafeInteger(p.character);
}

/** A textDocument parameter's uri and version, or a ParamsError naming what is wrong. */
function identifier(params: unknown, what: string): { uri: string; td: Record<string, unknown> } {
  const td = isObject(params) ? params.textDocument : undefined;
  if (!isObject(td)) throw new ParamsError(`${what} without a textDocument`);
  if (typeof td.uri !== 'string') throw new ParamsError(`${what} whose textDocument.uri is not a string`);
  return { uri: td.uri, td };
}

function version(td: Record<string, unknown>, what: string): number {
  if (!Number.isSafeInteger(td.version)) throw new ParamsError(`${what} whose textDocument.version is not an integer`);
  return td.version as number;
}

export class DocumentStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly analyze: (text: string) => Analysis,
    readonly maxAnalysedChars: number = MAX_ANALYSED_CHARS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** textDocument/didOpen; returns the uri and version opened. */
  open(params: unknown): { uri: string; version: number } {
    const { uri, td } = identifier(params, 'didOpen');
    const v = version(td, 'didOpen');
    if (typeof td.text !== 'string') throw new ParamsError('didOpen whose textDocument.text is not a string');
    this.entries.set(uri, { doc: { uri, version: v, text: new ChunkedText(td.text) }, memo: new Map(), cost: 0 });
    return { uri, version: v };
  }

  /** textDocument/didChange: every change is checked before any is applied; ranges are clamped to the document. */
  change(params: unknown): { uri: string; version: number } {
    const { uri, td } = identifier(params, 'didChange');
    const v = version(td, 'didChange');
    const entry = this.entries.get(uri);
    if (!entry) throw new ParamsError(`didChange of a document that is not open: ${uri.slice(0, 200)}`);
    const changes = isObject(params) ? params.contentChanges : undefined;
    if (!Array.isArray(changes)) throw new ParamsError('didChange whose contentChanges is not an array');
    const checked: TextChange[] = changes.map((c: unknown, i) => {
      if (!isObject(c) || typeof c.text !== 'string') throw new ParamsError(`didChange whose change ${i} has no text string`);
      if (c.range === undefined) return { text: c.text };
      const r = c.range;
      if (!isObject(r) || !isPosition(r.start) || !isPosition(r.end)) throw new ParamsError(`didChange whose change ${i} has a malformed range`);
      return { range: { start: r.start, end: r.end }, text: c.text };
    });
    // Positions past the end (or before the start) are moved onto the document, as an editor would.
    entry.doc.text.apply(checked);
    this.entries.set(uri, { doc: { uri, version: v, text: entry.doc.text }, memo: new Map(), cost: entry.cost });
    return { uri, version: v };
  }

  /** textDocument/didClose; returns the uri closed, if it was open. */
  close(params: unknown): string | undefined {
    const { uri } = identifier(params, 'didClose');
    return this.entries.delete(uri) ? uri : undefined;
  }

  get(uri: string): OpenDocument | undefined {
    return this.entries.get(uri)?.doc;
  }

  isTooLarge(uri: string): boolean {
    const doc = this.get(uri);
    return doc !== undefined && doc.text.length > this.maxAnalysedChars;
  }

  /**
   * The analysis of the document's current version: computed once per version, undefined for a
   * document that is not open or is too large to analyse. An analysis that threw rethrows the same
   * error for every request on that version rather than running again.
   */
  analysis(uri: string): Analysis | undefined {
    const entry = this.entries.get(uri);
    if (!entry || this.isTooLarge(uri)) return undefined;
    if (!entry.outcome) {
      const start = this.now();
      try {
        entry.outcome = { ok: true, analysis: this.analyze(entry.doc.text.getText()) };
      } catch (error) {
        entry.outcome = { ok: false, error };
      }
      entry.cost = this.now() - start;
    }
    if (!entry.outcome.ok) throw entry.outcome.error;
    return entry.outcome.analysis;
  }

  /** Milliseconds the document's latest analysis took; 0 before the first. */
  cost(uri: string): number {
    return this.entries.get(uri)?.cost ?? 0;
  }

  /** `compute`'s result for the document's current version, computed once per version. */
  memo<R>(uri: string, feature: string, compute: (a: Analysis) => R): R | undefined {
    const entry = this.entries.get(uri);
    const a = this.analysis(uri);
    if (!entry || !a) return undefined;
    if (!entry.memo.has(feature)) entry.memo.set(feature, compute(a));
    return entry.memo.get(feature) as R;
  }
}
