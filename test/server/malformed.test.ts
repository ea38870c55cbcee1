// The built server (dist/server.js --stdio) against malformed notifications and requests, inputs
// that overflow the stack in the analysis, and a document above the size limit: it answers or
// ignores each, logs what it ignored, and keeps serving. Run npm run build first.
import { strict as assert } from 'node:assert';
import { DocumentSymbolRequest, ErrorCodes, HoverRequest, ResponseError, type DocumentSymbol } from 'vscode-languageserver/node';
import { MAX_ANALYSED_CHARS } from '../../extension/server/documents';
import { LspClient } from './client';
import { USER } from './fixtures';

const SMALL = 'int main(void)\n{\n    return 0;\n}\n';

async function symbolNames(c: LspClient, uri: string): Promise<string[]> {
  const r = await c.alive(c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
  return r.map((s) => s.name);
}

describe('language server on malformed input', function () {
  this.timeout(60000);
  let c: LspClient;
  const probe = 'file:///work/probe.kproc';

  before(async () => {
    c = new LspClient();
    await c.initialize();
    await c.diagnostics(probe, await c.open(probe, USER));
  });

  after(async () => {
    await c.close();
    assert.equal(c.exitCode, 0, c.stderr);
  });

  /** The server is up and still serves the probe document. */
  async function stillServing(): Promise<void> {
    assert.ok((await symbolNames(c, probe)).includes('main'), c.stderr);
    assert.equal(c.exited, false, c.stderr);
  }

  it('ignores and logs didOpen, didChange and didClose with malformed parameters', async () => {
    const uri = 'file:///work/m.kproc';
    const send = (method: string, params: unknown): Promise<void> => c.conn.sendNotification(method, params);
    await send('textDocument/didOpen', { textDocument: { uri, languageId: 'kproc', version: 1, text: null } });
    await send('textDocument/didOpen', {});
    await send('textDocument/didOpen', null);
    await send('textDocument/didOpen', { textDocument: { uri: 42, version: 1, text: SMALL } });
    await send('textDocument/didOpen', { textDocument: { uri, version: 'one', text: SMALL } });
    await stillServing();
    assert.equal(c.published.has(uri), false, 'nothing was opened');
    await send('textDocument/didOpen', { textDocument: { uri, languageId: 'kproc', version: 1, text: SMALL } });
    await c.diagnostics(uri, 1);
    for (const params of [
      { textDocument: { uri, version: 2 }, contentChanges: 'int x;' },
      { textDocument: { uri, version: 2 }, contentChanges: null },
      { textDocument: { uri, version: 2 }, contentChanges: [{ text: 5 }] },
      { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'x', range: { start: { line: 'a', character: 0 }, end: null } }] },
      { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'int a;' }, null] },
      { textDocument: { uri: 'file:///not-open.kproc', version: 2 }, contentChanges: [{ text: 'x' }] },
      { textDocument: { uri }, contentChanges: [{ text: 'x' }] },
    ]) await send('textDocument/didChange', params);
    await send('textDocument/didClose', { textDocument: 7 });
    await send('textDocument/didClose', 'garbage');
    await stillServing();
    // None of those changed the document: a valid edit still applies to the text as opened.
    assert.deepEqual(await symbolNames(c, uri), ['main']);
    assert.ok(c.logs.some((l) => /didOpen ignored: didOpen whose textDocument.text is not a string/.test(l)), c.logs.join('\n'));
    assert.ok(c.logs.some((l) => /didChange ignored: didChange whose contentChanges is not an array/.test(l)), c.logs.join('\n'));
    assert.ok(c.logs.every((l) => !l.includes('\n    at ')), 'no stack in the log');
  });

  it('moves an edit whose range lies outside the document onto it, as an editor would', async () => {
    const uri = 'file:///work/outside.kproc';
    await c.diagnostics(uri, await c.open(uri, SMALL));
    const far = { line: 1_000_000, character: 5 };
    let v = await c.change(uri, [{ range: { start: far, end: far }, text: 'int after(void) { return 1; }\n' }]);
    await c.diagnostics(uri, v);
    const before = { line: -5, character: -3 };
    v = await c.change(uri, [{ range: { start: before, end: before }, text: 'int first(void) { return 2; }\n' }]);
    const d = await c.diagnostics(uri, v);
    assert.deepEqual(d.diagnostics, []);
    assert.deepEqual(await symbolNames(c, uri), ['first', 'main', 'after']);
  });

  it('answers requests with missing or malformed positions and uris, and on unknown documents', async () => {
    const rejects = async (method: string, params: unknown): Promise<void> => {
      await assert.rejects(c.conn.sendRequest(method, params), (e: unknown) => e instanceof ResponseError && e.code === ErrorCodes.InvalidParams);
    };
    await rejects('textDocument/hover', { textDocument: { uri: probe } });
    await rejects('textDocument/hover', { textDocument: { uri: probe }, position: 'x' });
    await rejects('textDocument/hover', { textDocument: { uri: probe }, position: { line: 1.5, character: 0 } });
    await rejects('textDocument/definition', { textDocument: { uri: { path: '/x' } }, position: { line: 0, character: 0 } });
    await rejects('textDocument/semanticTokens/full', { textDocument: [] });
    // A far-away position is answered (nothing there), as is an unknown document.
    assert.equal(await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: probe }, position: { line: 2 ** 31, character: 2 ** 31 } }), null);
    assert.deepEqual(await symbolNames(c, 'file:///work/never-opened.kproc'), []);
    await stillServing();
  });

  // The parser bounds these; whatever it does, the server must survive them.
  for (const [name, text] of [
    ['10,000 commas on one line', `int main(void)\n{\n    int x = 0;\n    x = (0${',0'.repeat(10_000)});\n    return x;\n}\n`],
    ['10,000 postfix operators', `int main(void)\n{\n    int x = 0;\n    x${'++'.repeat(10_000)};\n    return x;\n}\n`],
    ['3,000 nested initializer braces', `int a[] = ${'{'.repeat(3000)}1${'}'.repeat(3000)};\nint main(void)\n{\n    return 0;\n}\n`],
  ] as const) {
    it(`survives ${name}: answers, publishes diagnostics, and serves later edits`, async () => {
      const uri = `file:///work/deep-${name.replace(/\W+/g, '-')}.kproc`;
      const d = await c.diagnostics(uri, await c.open(uri, text));
      assert.ok(d.diagnostics.length <= 100);
      await c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }).catch((e: unknown) => {
        assert.ok(e instanceof ResponseError && e.code === ErrorCodes.InternalError && !e.message.includes('\n'), String(e));
      });
      await stillServing();
      const v = await c.change(uri, [{ text: SMALL }]);
      assert.deepEqual((await c.diagnostics(uri, v)).diagnostics, []);
      assert.deepEqual(await symbolNames(c, uri), ['main']);
    });
  }

  it(`does not analyse a document of more than ${MAX_ANALYSED_CHARS} characters: one diagnostic says so`, async () => {
    const uri = 'file:///work/huge.kproc';
    // A valid scenario padded past the limit with functions that each fork and never wait.
    const fn = (i: number): string => `int f${i}(void)\n{\n    return fork();\n}\n`;
    let text = SMALL;
    for (let i = 0; text.length <= MAX_ANALYSED_CHARS; i++) text += fn(i);
    const d = await c.diagnostics(uri, await c.open(uri, text));
    assert.equal(d.diagnostics.length, 1, JSON.stringify(d.diagnostics.slice(0, 3)));
    assert.equal(d.diagnostics[0].code, 'too-large');
    assert.equal(d.diagnostics[0].range.start.line, 0);
    assert.deepEqual(await symbolNames(c, uri), []);
    await stillServing();
  });
});
