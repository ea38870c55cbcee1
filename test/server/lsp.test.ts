// The built server (dist/server.js --stdio) driven by a real LSP client, as an editor drives it.
import { strict as assert } from 'node:assert';
import {
  CodeLensRequest, CompletionRequest, CompletionResolveRequest, DefinitionRequest, DocumentSymbolRequest, ErrorCodes,
  FoldingRangeRequest, HoverRequest, ReferencesRequest, ResponseError, SemanticTokensRequest, SignatureHelpRequest,
  type CompletionList, type DocumentSymbol, type MarkupContent,
} from 'vscode-languageserver/node';
import { LspClient } from './client';
import { BROKEN, USER, posOf } from './fixtures';

const URI = 'file:///work/scenario.kproc';

async function rejects(p: Promise<unknown>, code: number): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ResponseError, String(e));
    assert.equal(e.code, code, e.message);
    return;
  }
  assert.fail('expected an error response');
}

describe('language server over stdio', function () {
  this.timeout(20000);
  let c: LspClient;

  before(async () => {
    c = new LspClient();
    const init = await c.initialize();
    const caps = init.capabilities;
    assert.ok(caps.completionProvider && caps.hoverProvider && caps.definitionProvider && caps.referencesProvider);
    assert.ok(caps.documentSymbolProvider && caps.foldingRangeProvider && caps.codeLensProvider && caps.signatureHelpProvider);
    assert.ok(caps.semanticTokensProvider?.legend.tokenModifiers.includes('kthreadFunction'));
  });

  after(async () => {
    await c.close();
    assert.equal(c.exitCode, 0, c.stderr);
  });

  it('publishes diagnostics for a document with errors, then clears them when it is fixed', async () => {
    const v = await c.open('file:///work/broken.kproc', BROKEN);
    const d = await c.diagnostics('file:///work/broken.kproc', v);
    assert.equal(d.version, 1);
    const byCode = new Map(d.diagnostics.map((x) => [x.code, x]));
    assert.deepEqual(byCode.get('unknown-constant')?.range, { start: { line: 3, character: 14 }, end: { line: 3, character: 20 } });
    assert.match(byCode.get('unknown-constant')?.message ?? '', /SIGKILL/);
    assert.ok(byCode.has('syntax') && byCode.has('arg-count') && byCode.has('undefined-name'));
    const v2 = await c.change('file:///work/broken.kproc', [{ text: 'int main(void)\n{\n    return 0;\n}\n' }]);
    const d2 = await c.diagnostics('file:///work/broken.kproc', v2);
    assert.deepEqual(d2.diagnostics, []);
  });

  it('applies incremental edits and publishes only for the latest version of a burst', async () => {
    const uri = 'file:///work/burst.kproc';
    await c.open(uri, 'int main(void)\n{\n    return 0;\n}\n');
    await c.diagnostics(uri, 1);
    // All edits in one write, so they reach the server's queue together, as when the user types fast.
    const frames: string[] = [];
    const last = 21;
    for (let version = 2; version <= last; version++) {
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didChange', params: {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } }, text: 'x;' }],
      } });
      frames.push(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
    const before = c.publishCount.get(uri) ?? 0;
    c.proc.stdin.write(frames.join(''));
    const d = await c.diagnostics(uri, last);
    assert.equal(d.version, last);
    assert.equal(d.diagnostics.filter((x) => x.code === 'undefined-name').length, 20);
    assert.equal((c.publishCount.get(uri) ?? 0) - before, 1, 'the stale versions of the burst are skipped');
  });

  describe('on an open scenario', () => {
    before(async () => {
      const v = await c.open(URI, USER);
      const d = await c.diagnostics(URI, v);
      assert.deepEqual(d.diagnostics, []);
    });

    it('completes signals in kill and documents them on resolve', async () => {
      const text = USER.replace('    int wstatus;', '    kill(0, SIGU');
      const v = await c.change(URI, [{ text }]);
      await c.diagnostics(URI, v);
      const list = await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: posOf(text, 'SIGU', 4) }) as CompletionList;
      const item = list.items.find((i) => i.label === 'SIGUSR1');
      assert.ok(item);
      const resolved = await c.conn.sendRequest(CompletionResolveRequest.type, item);
      assert.match((resolved.documentation as MarkupContent).value, /10 \(0xa\)/);
      await c.change(URI, [{ text: USER }]);
    });

    it('hovers fork with its kernel path', async () => {
      const h = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: posOf(USER, 'fork()') });
      assert.match((h?.contents as MarkupContent).value, /kernel_clone/);
    });

    it('goes to a definition and finds references', async () => {
      const d = await c.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: URI }, position: posOf(USER, 'on_usr1);') });
      assert.deepEqual(d, { uri: URI, range: { start: posOf(USER, 'on_usr1(int'), end: posOf(USER, 'on_usr1(int', 7) } });
      const r = await c.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: URI }, position: posOf(USER, 'tid;'), context: { includeDeclaration: true } });
      assert.equal(r?.length, 3);
    });

    it('lists symbols, folding ranges, code lenses, semantic tokens and signature help', async () => {
      const td = { textDocument: { uri: URI } };
      const syms = await c.conn.sendRequest(DocumentSymbolRequest.type, td) as DocumentSymbol[];
      assert.ok(syms.some((s) => s.name === 'main') && syms.some((s) => s.name === '/bin/worker'));
      const folds = await c.conn.sendRequest(FoldingRangeRequest.type, td);
      assert.ok((folds ?? []).length >= 5);
      const lenses = await c.conn.sendRequest(CodeLensRequest.type, td);
      assert.deepEqual(lenses?.map((l) => l.command?.arguments), [[URI], [URI]]);
      const tokens = await c.conn.sendRequest(SemanticTokensRequest.type, td);
      assert.ok(tokens && tokens.data.length > 0 && tokens.data.length % 5 === 0);
      const sig = await c.conn.sendRequest(SignatureHelpRequest.type, { ...td, position: posOf(USER, 'NULL, spin') });
      assert.equal(sig?.activeParameter, 1);
      assert.match(sig?.signatures[0].label ?? '', /pthread_create/);
    });

    it('answers requests on unknown documents with empty results', async () => {
      const h = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///nope.kproc' }, position: { line: 0, character: 0 } });
      assert.equal(h, null);
    });
  });

  it('answers malformed requests with errors and keeps serving', async () => {
    await rejects(c.conn.sendRequest('textDocument/hover', { textDocument: 42 }), ErrorCodes.InvalidParams);
    await rejects(c.conn.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: -1, character: 'x' } }), ErrorCodes.InvalidParams);
    await rejects(c.conn.sendRequest('textDocument/documentSymbol', null), ErrorCodes.InvalidParams);
    await rejects(c.conn.sendRequest('completionItem/resolve', 7), ErrorCodes.InvalidParams);
    await rejects(c.conn.sendRequest('kproc/noSuchMethod', {}), ErrorCodes.MethodNotFound);
    // Garbage on the wire: a frame whose body is not JSON.
    c.proc.stdin.write('Content-Length: 9\r\n\r\n{garbage}');
    const uri = 'file:///work/after-garbage.kproc';
    await c.open(uri, USER);
    const h = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: posOf(USER, 'fork()') });
    assert.ok(h);
    assert.equal(c.exited, false);
  });
});
