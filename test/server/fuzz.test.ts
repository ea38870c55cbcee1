// Random edits (insertions, deletions, garbage, token soup) to an open document, with every request
// the server offers after each edit: each must be answered, and the server must never exit.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  CodeLensRequest, CompletionRequest, DefinitionRequest, DocumentSymbolRequest, FoldingRangeRequest, HoverRequest,
  ReferencesRequest, SemanticTokensRequest, SignatureHelpRequest, type Position, type Range,
} from 'vscode-languageserver/node';
import { analyzeText } from '../../extension/server/features/analysis';
import { completion } from '../../extension/server/features/completion';
import { lspDiagnostics } from '../../extension/server/features/diagnostics';
import { hover } from '../../extension/server/features/hover';
import { definition, documentSymbols, references } from '../../extension/server/features/navigation';
import { semanticTokens } from '../../extension/server/features/semanticTokens';
import { codeLenses, foldingRanges, signatureHelp } from '../../extension/server/features/structure';
import { LspClient } from './client';
import { KERNEL, USER } from './fixtures';

const URI = 'file:///work/fuzz.kproc';
const SOUP = ['fork()', 'vfork', 'clone(', 'CLONE_VM |', 'SIGCHLD', 'waitpid(', '#pragma kproc ', '#pragma kproc program "/bin/x" ',
  '#include <', '#define X ', '/*', '*/', '//', '"', "'", '\\', '{', '}', '(', ')', '[', ']', ';', ',', '->', '.', '|', '&',
  'int ', 'pid_t p = ', 'if (', 'else', 'switch (p) { case 0:', 'module_init(', 'kthread_run(', 'current->', '\n', '\r\n', '\t',
  'exit(300);', 'execl("/bin/true", NULL);', '\u00e9', '\ud83d\ude00', '\ud800', '\0', '0x', '99999999999999999999'];

interface Edit { kind: 'insert' | 'delete' | 'replace'; at: number; len: number; text: string }

const textArb = fc.oneof(
  fc.array(fc.constantFrom(...SOUP), { maxLength: 8 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
);
const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  at: fc.nat(),
  len: fc.nat({ max: 40 }),
  text: textArb,
});
const posArb = fc.record({ line: fc.nat({ max: 80 }), character: fc.nat({ max: 100 }) });

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length - 1;
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return { line, character: offset - (lastBreak + 1) };
}

describe('language features on random text', function () {
  this.timeout(120000);
  it('never throw, and keep every range inside the document', () => {
    const docArb = fc.oneof(
      fc.array(fc.constantFrom(...SOUP, ' ', 'x', 'main', 'int main(void) {', '}', 'return 0;'), { maxLength: 60 }).map((a) => a.join('')),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.tuple(fc.constantFrom(USER, KERNEL), fc.nat(), fc.nat({ max: 200 }), textArb).map(([t, at, len, ins]) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + ins + t.slice(Math.min(t.length, i + len));
      }),
    );
    fc.assert(fc.property(docArb, posArb, (text, pos) => {
      const a = analyzeText(text);
      const end = a.lines.positionAt(text.length);
      const inside = (r: Range): boolean => r.start.line >= 0 && r.start.line <= end.line && r.end.line <= end.line
        && (r.end.line > r.start.line || r.end.character >= r.start.character);
      for (const d of lspDiagnostics(a)) assert.ok(inside(d.range), JSON.stringify(d));
      completion(a, pos);
      hover(a, pos);
      signatureHelp(a, pos);
      const def = definition(a, 'file:///f', pos);
      if (def) assert.ok(inside(def.range));
      for (const r of references(a, 'file:///f', pos, true)) assert.ok(inside(r.range));
      documentSymbols(a);
      for (const f of foldingRanges(a)) assert.ok(f.startLine < f.endLine && f.endLine <= end.line);
      codeLenses(a, 'file:///f');
      assert.equal(semanticTokens(a).data.length % 5, 0);
    }), { seed: 7, numRuns: 2000 });
  });
});

describe('language server fuzz', function () {
  this.timeout(120000);
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    await c.initialize();
  });
  after(async () => {
    await c.close();
  });

  it('answers every request after random edits and never exits', async () => {
    let requests = 0;
    await fc.assert(fc.asyncProperty(fc.constantFrom(USER, KERNEL, ''), fc.array(fc.tuple(editArb, posArb), { minLength: 1, maxLength: 12 }),
      async (start, steps) => {
        const uri = `${URI}#${requests}`;
        await c.open(uri, start);
        let text = start;
        for (const [e, pos] of steps) {
          // The client tracks the text as an editor does, and sends the edit as an incremental change.
          const at = text.length === 0 ? 0 : e.at % (text.length + 1);
          const end = e.kind === 'insert' ? at : Math.min(text.length, at + e.len);
          const range: Range = { start: positionAt(text, at), end: positionAt(text, end) };
          const insert = e.kind === 'delete' ? '' : e.text;
          text = text.slice(0, at) + insert + text.slice(end);
          await c.change(uri, [{ range, text: insert }]);
          const td = { textDocument: { uri } };
          const tdp = { ...td, position: pos };
          await Promise.all([
            c.conn.sendRequest(CompletionRequest.type, tdp),
            c.conn.sendRequest(HoverRequest.type, tdp),
            c.conn.sendRequest(SignatureHelpRequest.type, tdp),
            c.conn.sendRequest(DefinitionRequest.type, tdp),
            c.conn.sendRequest(ReferencesRequest.type, { ...tdp, context: { includeDeclaration: true } }),
            c.conn.sendRequest(DocumentSymbolRequest.type, td),
            c.conn.sendRequest(FoldingRangeRequest.type, td),
            c.conn.sendRequest(CodeLensRequest.type, td),
            c.conn.sendRequest(SemanticTokensRequest.type, td),
          ]);
          requests += 9;
        }
        const version = await c.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }]);
        const d = await c.diagnostics(uri, version);
        assert.equal(d.version, version);
        for (const x of d.diagnostics) assert.ok(x.range.start.line >= 0 && x.range.end.line >= x.range.start.line, JSON.stringify(x));
        assert.equal(c.exited, false, c.stderr);
      }), { seed: 20250601, numRuns: 150 });
    assert.ok(requests > 1000, `only ${requests} requests`);
    assert.equal(c.exited, false, c.stderr);
  });
});
