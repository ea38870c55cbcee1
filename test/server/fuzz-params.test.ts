// Random parameters for every method the built server advertises (its initialize result decides the
// list): nulls, wrong types, huge and negative numbers, random and deeply nested document texts,
// long lines. After each message the server must still answer a probe on a normal document, and
// every error it answers must be one line. Seeded and bounded; run npm run build first.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DocumentSymbolRequest, ResponseError, type DocumentSymbol, type ServerCapabilities } from 'vscode-languageserver/node';
import { LspClient } from './client';
import { USER } from './fixtures';

const PROBE = 'file:///work/probe.kproc';
const FUZZ_URIS = ['file:///fuzz/a.kproc', 'file:///fuzz/b.kproc', 'file:///fuzz/c.kproc'];

/** The methods a capability brings in; a capability missing here fails the test, so each gets fuzzed. */
const METHODS: Record<string, (cap: Record<string, unknown>) => string[]> = {
  textDocumentSync: (cap) => ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', ...(cap.save ? ['textDocument/didSave'] : [])],
  completionProvider: (cap) => ['textDocument/completion', ...(cap.resolveProvider ? ['completionItem/resolve'] : [])],
  hoverProvider: () => ['textDocument/hover'],
  signatureHelpProvider: () => ['textDocument/signatureHelp'],
  definitionProvider: () => ['textDocument/definition'],
  referencesProvider: () => ['textDocument/references'],
  documentSymbolProvider: () => ['textDocument/documentSymbol'],
  foldingRangeProvider: () => ['textDocument/foldingRange'],
  codeLensProvider: (cap) => ['textDocument/codeLens', ...(cap.resolveProvider ? ['codeLens/resolve'] : [])],
  semanticTokensProvider: (cap) => [
    ...(cap.full ? ['textDocument/semanticTokens/full'] : []),
    ...(typeof cap.full === 'object' && cap.full !== null && (cap.full as { delta?: boolean }).delta ? ['textDocument/semanticTokens/full/delta'] : []),
    ...(cap.range ? ['textDocument/semanticTokens/range'] : []),
  ],
};

function methodsOf(caps: ServerCapabilities): string[] {
  const out: string[] = [];
  for (const [key, cap] of Object.entries(caps)) {
    const of = METHODS[key];
    assert.ok(of, `capability ${key} has no fuzzed methods: add them to METHODS`);
    out.push(...of(typeof cap === 'object' && cap !== null ? cap as Record<string, unknown> : {}));
  }
  return out;
}

// Values of the wrong kind anywhere a parameter is expected.
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.constantFrom(2 ** 31, -(2 ** 31), 2 ** 53, -1, 1e308, -0.5, 3.25),
  fc.string({ maxLength: 20 }), fc.constant([]), fc.constant({}), fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { maxKeys: 3 }),
);
const num = fc.oneof(fc.nat({ max: 60 }), fc.integer({ min: -(2 ** 31), max: -1 }), fc.constantFrom(2 ** 31 - 1, 2 ** 53 - 1, 1e21), junk);
const position = fc.oneof({ weight: 4, arbitrary: fc.record({ line: num, character: num }) }, { weight: 1, arbitrary: junk });
const range = fc.oneof(fc.record({ start: position, end: position }), junk);

const SOUP = ['int main(void) {', '}', '{', '(', ')', '[', ']', ';', ',', 'fork()', 'x++', '#define A A', '#pragma kproc ', '/*', '"',
  'struct s { int a; };', 'pid_t p = ', 'return 0;', '\n', '\r\n', '\ud800', '\0', '99999999999999999999999', 'waitpid(', '->'];
// Document texts: random code units, token soup, deep nesting, very long lines.
const docText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.constantFrom(...SOUP), { maxLength: 80 }).map((a) => a.join(' ')),
  fc.tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom(['(', ')'], ['[', ']'], ['{', '}']), fc.constantFrom('int a[] = ', 'int main(void) { int x = ', 'int main(void) ', ''))
    .map(([n, [open, close], head]) => `${head}${open.repeat(n)}1${close.repeat(n)};\n}\n`),
  fc.tuple(fc.integer({ min: 1000, max: 12_000 }), fc.constantFrom('x', ',0', '+1', '++', ' ', '{')).map(([n, unit]) => `int main(void) { int x = 0; x = (x${unit.repeat(n)}); }\n`),
  fc.constant(USER),
);
const uri = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FUZZ_URIS) }, { weight: 1, arbitrary: fc.oneof(fc.constant('file:///work/never-opened.kproc'), junk) });
const textDocument = fc.oneof(
  { weight: 5, arbitrary: fc.record({ uri, version: fc.oneof(fc.nat(), junk), text: fc.oneof({ weight: 4, arbitrary: docText }, { weight: 1, arbitrary: junk }), languageId: fc.constant('kproc') }, { requiredKeys: ['uri'] }) },
  { weight: 1, arbitrary: junk },
);
const change = fc.oneof(fc.record({ text: docText }), fc.record({ range, text: fc.oneof(docText, junk) }), junk);
const params: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    textDocument, position, range, contentChanges: fc.oneof(fc.array(change, { maxLength: 3 }), junk),
    context: fc.oneof(fc.record({ includeDeclaration: junk, triggerCharacter: fc.oneof(fc.constantFrom('.', '>', '#', '|'), junk), triggerKind: junk }, { requiredKeys: [] }), junk),
    label: fc.oneof(fc.constantFrom('fork', 'SIGKILL', 'waitpid'), junk), data: junk, previousResultId: junk,
  }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: junk },
);

describe('language server: random parameters for every advertised method', function () {
  this.timeout(120000);
  let c: LspClient;
  let methods: string[];

  before(async () => {
    c = new LspClient();
    methods = methodsOf((await c.initialize()).capabilities);
    await c.diagnostics(PROBE, await c.open(PROBE, USER));
    for (const u of FUZZ_URIS) await c.open(u, USER);
  });

  after(async () => {
    await c.close();
  });

  it('lists the methods from the capabilities', () => {
    for (const m of ['textDocument/didOpen', 'textDocument/didChange', 'textDocument/hover', 'textDocument/semanticTokens/full', 'completionItem/resolve']) {
      assert.ok(methods.includes(m), m);
    }
  });

  it('answers or ignores each message, errors in one line, and still serves the probe after each', async () => {
    const seen = new Set<string>();
    let messages = 0;
    const run = fc.tuple(fc.constantFrom(...FUZZ_URIS), docText, fc.array(fc.tuple(fc.constantFrom(...methods), params), { minLength: 1, maxLength: 4 }));
    await fc.assert(fc.asyncProperty(run, async ([target, text, steps]) => {
      // Each run starts from a random text in one of the fuzzed documents, then sends random messages.
      await c.open(target, text);
      for (const [method, p] of steps) {
        seen.add(method);
        messages++;
        if (method.startsWith('textDocument/did')) {
          await c.conn.sendNotification(method, p);
          continue;
        }
        try {
          await c.alive(c.conn.sendRequest(method, p));
        } catch (e) {
          assert.ok(e instanceof ResponseError, `${method}: ${String(e)}`);
          assert.ok(!e.message.includes('\n'), `${method} answered a multi-line error: ${e.message}`);
        }
      }
      const names = (await c.alive(c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: PROBE } })) as DocumentSymbol[]).map((s) => s.name);
      assert.ok(names.includes('main'), c.stderr);
      assert.equal(c.exited, false, c.stderr);
    }), { seed: 190519, numRuns: 250 });
    assert.deepEqual([...seen].sort(), [...methods].sort(), 'every method was sent');
    assert.ok(messages > 400, `only ${messages} messages`);
    // The diagnostics scheduled by the last edits are published too, and the server is still up.
    const last = 'file:///work/last.kproc';
    assert.deepEqual((await c.diagnostics(last, await c.open(last, USER))).diagnostics, []);
    assert.ok(c.logs.every((l) => !l.includes('\n    at ')), 'no stack in the log');
  });
});
