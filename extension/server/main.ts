// The scenario language server: wires the pure features in ./features to an LSP connection
// (stdio with --stdio, node IPC when started by the extension). It holds no logic of its own.
import {
  createConnection, ErrorCodes, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind,
  type CompletionParams, type Connection, type TextDocumentPositionParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Analysis, analyzeText } from './features/analysis';
import { completion, resolveCompletion } from './features/completion';
import { lspDiagnostics } from './features/diagnostics';
import { hover } from './features/hover';
import { definition, documentSymbols, references } from './features/navigation';
import { LEGEND, semanticTokens } from './features/semanticTokens';
import { codeLenses, foldingRanges, signatureHelp } from './features/structure';

const connection: Connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new Map<string, { version: number; analysis: Analysis }>();
/** Latest version whose diagnostics are due; a newer edit makes an older pending run moot. */
const pending = new Map<string, number>();

function analysisOf(doc: TextDocument): Analysis {
  const hit = cache.get(doc.uri);
  if (hit && hit.version === doc.version) return hit.analysis;
  const analysis = analyzeText(doc.getText());
  cache.set(doc.uri, { version: doc.version, analysis });
  return analysis;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Rejects requests whose parameters are not what the protocol says, instead of throwing deep inside. */
function checkParams(p: unknown, position: boolean): void {
  const td = isObject(p) ? p.textDocument : undefined;
  if (!isObject(td) || typeof td.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'textDocument.uri must be a string');
  if (position) {
    const pos = isObject(p) ? p.position : undefined;
    if (!isObject(pos) || !Number.isInteger(pos.line) || !Number.isInteger(pos.character) || (pos.line as number) < 0 || (pos.character as number) < 0) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'position must hold non-negative integer line and character');
    }
  }
}

function withDoc<P, R>(position: boolean, empty: R, run: (a: Analysis, p: P, uri: string) => R): (p: P) => R {
  return (p: P) => {
    checkParams(p, position);
    const uri = (p as unknown as TextDocumentPositionParams).textDocument.uri;
    const doc = documents.get(uri);
    return doc ? run(analysisOf(doc), p, uri) : empty;
  };
}

connection.onInitialize(() => ({
  capabilities: {
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
  },
  serverInfo: { name: 'kproc-language-server', version: '0.1.0' },
}));

function publish(uri: string, version: number): void {
  // A later edit has arrived (or the document closed) since this run was scheduled: skip it.
  if (pending.get(uri) !== version) return;
  pending.delete(uri);
  const doc = documents.get(uri);
  if (!doc || doc.version !== version) return;
  void connection.sendDiagnostics({ uri, version, diagnostics: lspDiagnostics(analysisOf(doc)) });
}

documents.onDidChangeContent((e) => {
  const { uri, version } = e.document;
  pending.set(uri, version);
  // The connection handles one queued message per event-loop turn: waiting two turns lets the next
  // queued edit land first and supersede this one, so a burst of edits is analysed once, at its end.
  setImmediate(() => setImmediate(() => publish(uri, version)));
});

documents.onDidClose((e) => {
  cache.delete(e.document.uri);
  pending.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onCompletion(withDoc(true, null, (a, p: CompletionParams) => completion(a, p.position, p.context?.triggerCharacter)));
connection.onCompletionResolve((item) => {
  if (!isObject(item) || typeof item.label !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'a completion item needs a label');
  return resolveCompletion(item);
});
connection.onHover(withDoc(true, null, (a, p: TextDocumentPositionParams) => hover(a, p.position)));
connection.onSignatureHelp(withDoc(true, null, (a, p: TextDocumentPositionParams) => signatureHelp(a, p.position)));
connection.onDefinition(withDoc(true, null, (a, p: TextDocumentPositionParams, uri) => definition(a, uri, p.position)));
connection.onReferences(withDoc(true, [], (a, p: TextDocumentPositionParams & { context?: { includeDeclaration?: boolean } }, uri) =>
  references(a, uri, p.position, p.context?.includeDeclaration !== false)));
connection.onDocumentSymbol(withDoc(false, [], (a) => documentSymbols(a)));
connection.onFoldingRanges(withDoc(false, [], (a) => foldingRanges(a)));
connection.onCodeLens(withDoc(false, [], (a, _p, uri) => codeLenses(a, uri)));
connection.languages.semanticTokens.on(withDoc(false, { data: [] }, (a) => semanticTokens(a)));

documents.listen(connection);
connection.listen();
