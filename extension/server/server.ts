// Wires the pure features in ./features to an LSP connection: every handler goes through one Guard,
// documents through the DocumentStore (checked parameters, one analysis per version, a size limit),
// and diagnostics are published once per burst of edits, for its last version only.
import { performance } from 'node:perf_hooks';
import {
  DiagnosticSeverity, ErrorCodes, ResponseError, TextDocumentSyncKind,
  type CompletionParams, type Connection, type PublishDiagnosticsParams, type Diagnostic, type InitializeResult, type TextDocumentPositionParams,
} from 'vscode-languageserver';
import { type Analysis, analyzeText } from './features/analysis';
import { completion, resolveCompletion } from './features/completion';
import { lspDiagnostics } from './features/diagnostics';
import { hover } from './features/hover';
import { definition, documentSymbols, references } from './features/navigation';
import { LEGEND, semanticTokens } from './features/semanticTokens';
import { codeLenses, foldingRanges, signatureHelp } from './features/structure';
import { DocumentStore, MAX_ANALYSED_CHARS } from './documents';
import { Guard, oneLine } from './guard';

/** The features the server calls, replaceable so tests can make one fail. */
export const FEATURES = {
  analyze: analyzeText, diagnostics: lspDiagnostics, completion, resolveCompletion, hover, signatureHelp, definition,
  references, documentSymbols, foldingRanges, codeLenses, semanticTokens,
};
export type Features = typeof FEATURES;

export interface ServerOptions {
  features?: Partial<Features>;
  /** Longest document (UTF-16 code units) that is analysed; MAX_ANALYSED_CHARS unless given. */
  maxAnalysedChars?: number;
  /** The clock that times analyses and the timer that waits for edits to settle (tests replace them). */
  clock?: { now(): number; setTimeout(run: () => void, ms: number): void };
}

/** Documents whose analysis takes at least this long wait as long again for the edits to settle... */
export const SETTLE_FROM_MS = 200;
/** ...but never longer than this. */
export const MAX_SETTLE_MS = 1000;

export const CAPABILITIES: InitializeResult['capabilities'] = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  completionProvider: { triggerCharacters: ['|', '.', '>', '#', '<'], resolveProvider: true },
  hoverProvider: true,
  signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
  definitionProvider: true,
  referencesProvider: true,
  documentSymbolProvider: true,
  foldingRangeProvider: true,
  codeLensProvider: { resolveProvider: false },
  semanticTokensProvider: { legend: LEGEND, full: true, range: false },
};

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Rejects requests whose parameters are not what the protocol says, instead of throwing deep inside. */
function checkParams(p: unknown, position: boolean): string {
  const td = isObject(p) ? p.textDocument : undefined;
  if (!isObject(td) || typeof td.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'textDocument.uri must be a string');
  if (position) {
    const pos = isObject(p) ? p.position : undefined;
    if (!isObject(pos) || !Number.isSafeInteger(pos.line) || !Number.isSafeInteger(pos.character) || (pos.line as number) < 0 || (pos.character as number) < 0) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'position must hold non-negative integer line and character');
    }
  }
  return td.uri;
}

function triggerOf(p: CompletionParams): string | undefined {
  const t: unknown = isObject(p.context) ? p.context.triggerCharacter : undefined;
  return typeof t === 'string' ? t : undefined;
}

const ORIGIN = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The one diagnostic of a document above the size limit. */
export function tooLargeDiagnostic(chars: number, limit: number): Diagnostic {
  const mb = (n: number): string => `${(n / 1_000_000).toFixed(1)} MB`;
  return {
    range: ORIGIN, severity: DiagnosticSeverity.Warning, code: 'too-large', source: 'kproc',
    message: `This file is too large to analyse (${mb(chars)}; the limit is ${mb(limit)}): no diagnostics, completion, hover or other language features for it.`,
  };
}

/** Registers every handler on connection; returns the guard, for failures outside any handler. */
export function startServer(connection: Connection, options: ServerOptions = {}): Guard {
  const f: Features = { ...FEATURES, ...options.features };
  const guard = new Guard(connection.console);
  const clock = options.clock ?? { now: () => performance.now(), setTimeout: (run: () => void, ms: number) => { setTimeout(run, ms); } };
  const store = new DocumentStore((text) => f.analyze(text), options.maxAnalysedChars ?? MAX_ANALYSED_CHARS, () => clock.now());
  /** Latest version whose diagnostics are due; a newer edit makes an older pending run moot. */
  const pending = new Map<string, number>();

  function diagnosticsOf(uri: string): Diagnostic[] {
    const doc = store.get(uri);
    if (!doc) return [];
    if (store.isTooLarge(uri)) return [tooLargeDiagnostic(doc.text.length, store.maxAnalysedChars)];
    try {
      return store.memo(uri, 'diagnostics', (a) => f.diagnostics(a)) ?? [];
    } catch (e) {
      guard.report('diagnostics', e);
      return [{
        range: ORIGIN, severity: DiagnosticSeverity.Error, code: 'internal', source: 'kproc',
        message: `The language server could not analyse this file (${oneLine(e)}); please report it with the file.`,
      }];
    }
  }

  /** Sends diagnostics; a connection that fails to send them has its failure logged, not thrown. */
  function send(p: PublishDiagnosticsParams): void {
    connection.sendDiagnostics(p).catch((e: unknown) => guard.report('diagnostics', e));
  }

  const publish = guard.notification('diagnostics', (uri: string, version: number): void => {
    // A later edit has arrived (or the document closed) since this run was scheduled: skip it.
    if (pending.get(uri) !== version) return;
    pending.delete(uri);
    if (store.get(uri)?.version !== version) return;
    send({ uri, version, diagnostics: diagnosticsOf(uri) });
  });

  function schedule(uri: string, version: number): void {
    pending.set(uri, version);
    // The connection handles one queued message per event-loop turn: waiting two turns lets the next
    // queued edit land first and supersede this one, so a burst of edits is analysed once, at its end.
    // A document slow to analyse also waits as long as its last analysis took, so typing in it
    // is analysed when the typing pauses rather than once per keystroke.
    setImmediate(() => setImmediate(() => {
      const cost = store.cost(uri);
      if (cost < SETTLE_FROM_MS) publish(uri, version);
      else clock.setTimeout(() => publish(uri, version), Math.min(cost, MAX_SETTLE_MS));
    }));
  }

  function withDoc<P, R>(feature: string, position: boolean, empty: R, run: (a: Analysis, p: P, uri: string) => R): (p: P) => Promise<R> {
    return guard.request(feature, (p: P): R => {
      const uri = checkParams(p, position);
      const a = store.analysis(uri);
      return a ? run(a, p, uri) : empty;
    });
  }

  /** A feature that reads only the document: computed once per version. */
  function memoized<R>(feature: string, empty: R, run: (a: Analysis, uri: string) => R): (p: unknown) => Promise<R> {
    return guard.request(feature, (p: unknown): R => {
      const uri = checkParams(p, false);
      return store.memo(uri, feature, (a) => run(a, uri)) ?? empty;
    });
  }

  connection.onInitialize(guard.request('initialize', () => ({
    capabilities: CAPABILITIES,
    serverInfo: { name: 'kproc-language-server', version: '0.1.0' },
  })));

  connection.onDidOpenTextDocument(guard.notification('didOpen', (p: unknown) => {
    const { uri, version } = store.open(p);
    schedule(uri, version);
  }));
  connection.onDidChangeTextDocument(guard.notification('didChange', (p: unknown) => {
    const { uri, version } = store.change(p);
    schedule(uri, version);
  }));
  connection.onDidCloseTextDocument(guard.notification('didClose', (p: unknown) => {
    const uri = store.close(p);
    if (uri === undefined) return;
    pending.delete(uri);
    send({ uri, diagnostics: [] });
  }));

  connection.onCompletion(withDoc('completion', true, null, (a, p: CompletionParams) => f.completion(a, p.position, triggerOf(p))));
  connection.onCompletionResolve(guard.request('completion resolve', (item: unknown) => {
    if (!isObject(item) || typeof item.label !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'a completion item needs a label');
    return f.resolveCompletion(item as { label: string });
  }));
  connection.onHover(withDoc('hover', true, null, (a, p: TextDocumentPositionParams) => f.hover(a, p.position)));
  connection.onSignatureHelp(withDoc('signature help', true, null, (a, p: TextDocumentPositionParams) => f.signatureHelp(a, p.position)));
  connection.onDefinition(withDoc('definition', true, null, (a, p: TextDocumentPositionParams, uri) => f.definition(a, uri, p.position)));
  connection.onReferences(withDoc('references', true, [], (a, p: TextDocumentPositionParams & { context?: { includeDeclaration?: boolean } }, uri) =>
    f.references(a, uri, p.position, p.context?.includeDeclaration !== false)));
  connection.onDocumentSymbol(memoized('document symbols', [], (a) => f.documentSymbols(a)));
  connection.onFoldingRanges(memoized('folding', [], (a) => f.foldingRanges(a)));
  connection.onCodeLens(memoized('code lenses', [], (a, uri) => f.codeLenses(a, uri)));
  connection.languages.semanticTokens.on(memoized('semantic tokens', { data: [] }, (a) => f.semanticTokens(a)));
  return guard;
}
