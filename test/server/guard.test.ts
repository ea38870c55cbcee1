// Every handler of the server goes through one guard: a feature that throws answers its request with
// a one-line InternalError, logged once, and everything else keeps working, later edits included.
// The server runs in this process (startServer over in-memory streams) so a test can break a feature.
import { strict as assert } from 'node:assert';
import {
  CodeLensRequest, CompletionRequest, CompletionResolveRequest, DefinitionRequest, DocumentSymbolRequest, ErrorCodes,
  FoldingRangeRequest, HoverRequest, ReferencesRequest, ResponseError, SemanticTokensRequest, SignatureHelpRequest,
  type DocumentSymbol,
} from 'vscode-languageserver/node';
import { analyzeText } from '../../extension/server/features/analysis';
import { Guard, ParamsError } from '../../extension/server/guard';
import { FEATURES, MAX_SETTLE_MS, SETTLE_FROM_MS, type Features } from '../../extension/server/server';
import { InProcessSession } from './client';
import { USER, posOf } from './fixtures';

const URI = 'file:///work/guarded.kproc';
const TD = { textDocument: { uri: URI } };
const AT = { ...TD, position: posOf(USER, 'fork()') };

/** Each feature that answers a request, with the request that reaches it. */
const REQUESTS: Array<[keyof Features, (s: InProcessSession) => Promise<unknown>]> = [
  ['completion', (s) => s.conn.sendRequest(CompletionRequest.type, AT)],
  ['resolveCompletion', (s) => s.conn.sendRequest(CompletionResolveRequest.type, { label: 'fork' })],
  ['hover', (s) => s.conn.sendRequest(HoverRequest.type, AT)],
  ['signatureHelp', (s) => s.conn.sendRequest(SignatureHelpRequest.type, AT)],
  ['definition', (s) => s.conn.sendRequest(DefinitionRequest.type, AT)],
  ['references', (s) => s.conn.sendRequest(ReferencesRequest.type, { ...AT, context: { includeDeclaration: true } })],
  ['documentSymbols', (s) => s.conn.sendRequest(DocumentSymbolRequest.type, TD)],
  ['foldingRanges', (s) => s.conn.sendRequest(FoldingRangeRequest.type, TD)],
  ['codeLenses', (s) => s.conn.sendRequest(CodeLensRequest.type, TD)],
  ['semanticTokens', (s) => s.conn.sendRequest(SemanticTokensRequest.type, TD)],
];

async function failure(p: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ResponseError, String(e));
    return e;
  }
  assert.fail('expected an error response');
}

/** A failure with a multi-line message, as a stack overflow or a bug deep in a feature gives. */
function broken(): never {
  const e = new TypeError('feature exploded\n    at secretFrame (/src/feature.ts:1:1)');
  throw e;
}

async function symbols(s: InProcessSession, uri = URI): Promise<string[]> {
  const r = await s.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }) as DocumentSymbol[];
  return r.map((x) => x.name);
}

describe('the guard', () => {
  const logger = (): { errors: string[]; warnings: string[]; error(m: string): void; warn(m: string): void } => {
    const l = { errors: [] as string[], warnings: [] as string[], error: (m: string) => { l.errors.push(m); }, warn: (m: string) => { l.warnings.push(m); } };
    return l;
  };

  it('turns a throw or a rejection into one InternalError line, logs each distinct failure once, at most 20 per feature', async () => {
    const log = logger();
    const g = new Guard(log);
    const sync = g.request('hover', (n: number): number => { throw new RangeError(`bad ${n}\n    at deep (x.ts:1:1)`); });
    const later = g.request('hover', async (): Promise<number> => { await Promise.resolve(); throw new Error('x'.repeat(1000)); });
    const e1 = await failure(sync(1));
    assert.equal(e1.code, ErrorCodes.InternalError);
    assert.equal(e1.message, 'hover failed: RangeError: bad 1');
    await failure(sync(1));
    const e2 = await failure(later());
    assert.ok(e2.message.length <= 200 && e2.message.endsWith('...'), e2.message);
    assert.equal(log.errors.length, 2);
    for (let i = 2; i < 50; i++) await failure(sync(i));
    assert.equal(log.errors.length, 20);
    // Another feature still gets its failures logged.
    await failure(g.request('folding', () => { throw new Error('other'); })());
    assert.equal(log.errors.length, 21);
    assert.ok(log.errors.every((m) => !m.includes('\n')));
  });

  it('answers ParamsError and ResponseError as given, and logs an ignored notification as a warning', async () => {
    const log = logger();
    const g = new Guard(log);
    const e = await failure(g.request('hover', () => { throw new ParamsError('position is missing'); })());
    assert.equal(e.code, ErrorCodes.InvalidParams);
    const r = await failure(g.request('hover', () => { throw new ResponseError(ErrorCodes.ServerNotInitialized, "not yet"); })());
    assert.equal(r.code, ErrorCodes.ServerNotInitialized);
    g.notification('didOpen', () => { throw new ParamsError('no text'); })();
    g.notification('didOpen', () => { throw new TypeError('boom'); })();
    assert.deepEqual(log.warnings, ['kproc language server: didOpen ignored: no text']);
    assert.deepEqual(log.errors, ['kproc language server: didOpen failed: TypeError: boom (please report this with the file that caused it)']);
  });
});

describe('a failing feature', function () {
  this.timeout(20000);
  // Every feature the server calls for a request has an entry above.
  it('covers every request feature', () => {
    const listed = new Set(REQUESTS.map(([name]) => name));
    for (const name of Object.keys(FEATURES)) if (name !== 'analyze' && name !== 'diagnostics') assert.ok(listed.has(name as keyof Features), name);
  });

  for (const [name, send] of REQUESTS) {
    it(`${name}: answers an InternalError of one line, logs once, and the server keeps serving`, async () => {
      const s = new InProcessSession({ features: { [name]: broken } });
      try {
        await s.initialize();
        const v = await s.open(URI, USER);
        await s.diagnostics(URI, v);
        for (let i = 0; i < 3; i++) {
          const e = await failure(send(s));
          assert.equal(e.code, ErrorCodes.InternalError);
          assert.match(e.message, /^[a-z ]+ failed: TypeError: feature exploded$/);
        }
        const logged = s.logs.filter((l) => l.includes('feature exploded'));
        assert.equal(logged.length, 1, s.logs.join('\n'));
        assert.doesNotMatch(logged[0], /secretFrame|\n/);
        // Other features, and later edits of the same document, are still served.
        const h = await s.conn.sendRequest(FoldingRangeRequest.type, TD).catch(() => 'folding is the broken one');
        assert.ok(h);
        const v2 = await s.change(URI, [{ text: USER.replace('int counter = 0;', 'int counter = 0;\nint extra(void) { return 1; }') }]);
        assert.deepEqual((await s.diagnostics(URI, v2)).diagnostics, []);
        if (name !== 'documentSymbols') assert.ok((await symbols(s)).includes('extra'));
      } finally {
        s.close();
      }
    });
  }

  it('diagnostics: publishes one located internal error instead, and the other features still answer', async () => {
    const s = new InProcessSession({ features: { diagnostics: broken } });
    try {
      await s.initialize();
      const d = await s.diagnostics(URI, await s.open(URI, USER));
      assert.equal(d.diagnostics.length, 1);
      const [only] = d.diagnostics;
      assert.equal(only.code, 'internal');
      assert.deepEqual(only.range.start, { line: 0, character: 0 });
      assert.match(only.message, /^The language server could not analyse this file \(TypeError: feature exploded\); please report it/);
      assert.ok((await symbols(s)).includes('main'));
    } finally {
      s.close();
    }
  });

  it('the analysis itself: that document answers errors until an edit it can analyse, others are unaffected', async () => {
    let runs = 0;
    const analyze: Features['analyze'] = (text) => {
      runs++;
      if (text.includes('OVERFLOW')) throw new RangeError('Maximum call stack size exceeded');
      return analyzeText(text);
    };
    const s = new InProcessSession({ features: { analyze } });
    try {
      await s.initialize();
      const other = 'file:///work/other.kproc';
      await s.diagnostics(other, await s.open(other, USER));
      const d = await s.diagnostics(URI, await s.open(URI, `${USER}\n/* OVERFLOW */\n`));
      assert.equal(d.diagnostics[0].code, 'internal');
      const runsBefore = runs;
      for (const [, send] of REQUESTS.filter(([n]) => n !== 'resolveCompletion')) {
        const e = await failure(send(s));
        assert.equal(e.code, ErrorCodes.InternalError);
        assert.match(e.message, /RangeError: Maximum call stack size exceeded$/);
      }
      assert.equal(runs, runsBefore, 'a failed analysis is not run again for the same version');
      assert.ok((await symbols(s, other)).includes('main'));
      const d2 = await s.diagnostics(URI, await s.change(URI, [{ text: USER }]));
      assert.deepEqual(d2.diagnostics, []);
      assert.ok((await symbols(s)).includes('main'));
    } finally {
      s.close();
    }
  });
});

describe('work per document', function () {
  this.timeout(20000);

  it('analyses each version once, however many features ask, and a burst of edits once', async () => {
    let runs = 0;
    const s = new InProcessSession({ features: { analyze: (text) => { runs++; return analyzeText(text); } } });
    try {
      await s.initialize();
      await s.diagnostics(URI, await s.open(URI, USER));
      assert.equal(runs, 1);
      for (let i = 0; i < 3; i++) await Promise.all(REQUESTS.map(([, send]) => send(s)));
      assert.equal(runs, 1);
      // Twenty edits written at once: only the last version is analysed and published.
      const before = s.publishCount.get(URI) ?? 0;
      let v = 1;
      const sent: Array<Promise<number>> = [];
      for (let i = 0; i < 20; i++) sent.push(s.change(URI, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }]));
      for (const p of sent) v = await p;
      const d = await s.diagnostics(URI, v);
      assert.equal(d.version, 21);
      assert.equal((s.publishCount.get(URI) ?? 0) - before, 1);
      assert.equal(runs, 2);
    } finally {
      s.close();
    }
  });

  it('publishes a document slow to analyse once its edits settle, waiting as long as the analysis took', async () => {
    let time = 0;
    let runs = 0;
    const timers: Array<{ run: () => void; ms: number }> = [];
    const slow = 300;
    assert.ok(slow >= SETTLE_FROM_MS && slow < MAX_SETTLE_MS);
    const s = new InProcessSession({
      clock: { now: () => time, setTimeout: (run, ms) => { timers.push({ run, ms }); } },
      features: { analyze: (text) => { runs++; time += text.includes('VERY SLOW') ? 10 * MAX_SETTLE_MS : text.includes('SLOW') ? slow : 1; return analyzeText(text); } },
    });
    /** Lets the server handle what was sent and run what it scheduled on the following turns. */
    const settle = async (): Promise<void> => {
      await s.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: 'file:///work/none.kproc' } });
      for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
    };
    try {
      await s.initialize();
      // A quick document is published on the next turns, with no timer.
      await s.diagnostics(URI, await s.open(URI, `${USER}// SLOW\n`));
      assert.equal(timers.length, 0);
      // Its analysis took 300 ms (more than SETTLE_FROM_MS): each edit now waits 300 ms, and only the last is published.
      const before = s.publishCount.get(URI) ?? 0;
      let v = 0;
      for (let i = 0; i < 3; i++) {
        v = await s.change(URI, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }]);
        await settle();
      }
      assert.deepEqual(timers.map((t) => t.ms), [slow, slow, slow]);
      assert.equal(s.publishCount.get(URI) ?? 0, before, 'nothing published before the edits settle');
      const runsBefore = runs;
      for (const t of timers.splice(0)) t.run();
      const d = await s.diagnostics(URI, v);
      assert.equal(d.version, v);
      assert.equal((s.publishCount.get(URI) ?? 0) - before, 1);
      assert.equal(runs - runsBefore, 1, 'only the settled version is analysed');
      // A very slow analysis makes the next edits wait MAX_SETTLE_MS, no longer.
      v = await s.change(URI, [{ text: `${USER}// VERY SLOW\n` }]);
      await settle();
      timers.splice(0).forEach((t) => t.run());
      await s.diagnostics(URI, v);
      await s.change(URI, [{ text: `${USER}// VERY SLOW again\n` }]);
      await settle();
      assert.deepEqual(timers.map((t) => t.ms), [MAX_SETTLE_MS]);
    } finally {
      s.close();
    }
  });

  it('does not analyse a document above the limit: one diagnostic on line 1 says so, features answer empty', async () => {
    let runs = 0;
    const limit = USER.length - 1;
    const s = new InProcessSession({ maxAnalysedChars: limit, features: { analyze: (text) => { runs++; return analyzeText(text); } } });
    try {
      await s.initialize();
      const d = await s.diagnostics(URI, await s.open(URI, USER));
      assert.equal(runs, 0);
      assert.equal(d.diagnostics.length, 1);
      assert.equal(d.diagnostics[0].code, 'too-large');
      assert.deepEqual(d.diagnostics[0].range.start, { line: 0, character: 0 });
      assert.match(d.diagnostics[0].message, /too large to analyse/);
      assert.deepEqual(await symbols(s), []);
      assert.equal(await s.conn.sendRequest(HoverRequest.type, AT), null);
      assert.deepEqual(await s.conn.sendRequest(SemanticTokensRequest.type, TD), { data: [] });
      assert.equal(runs, 0);
      // Back under the limit, the document is analysed again.
      const v = await s.change(URI, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
      assert.deepEqual((await s.diagnostics(URI, v)).diagnostics, []);
      assert.ok((await symbols(s)).includes('main'));
    } finally {
      s.close();
    }
  });
});
