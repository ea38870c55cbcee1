// The server's chunked document text against vscode-languageserver-textdocument as the reference:
// the same text after random edits (line breaks \n, \r\n and \r, split anywhere by tiny chunks) and
// the same offset for any position, inside the document or not.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ChunkedText, type TextChange } from '../../extension/server/text';

const text = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '\r', '\r\n', '\u00e9', '\ud83d\ude00'), { maxLength: 40 }).map((a) => a.join(''));
const coord = fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(2 ** 31, 1_000_000));
const position = fc.record({ line: coord, character: coord });
const change: fc.Arbitrary<TextChange> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ range: fc.record({ start: position, end: position }), text }) },
  { weight: 1, arbitrary: fc.record({ text }) },
);

describe('chunked document text', () => {
  it('applies edits and maps positions as the reference text document does', () => {
    fc.assert(fc.property(text, fc.integer({ min: 1, max: 8 }), fc.array(change, { maxLength: 8 }), fc.array(position, { maxLength: 6 }), (start, size, changes, probes) => {
      const mine = new ChunkedText(start, size);
      let ref = TextDocument.create('file:///r', 'kproc', 1, start);
      for (const c of changes) {
        mine.apply([c]);
        // The reference is given the positions already moved onto the document (it expects that).
        const clamp = (p: { line: number; character: number }): { line: number; character: number } => ref.positionAt(ref.offsetAt(p));
        ref = TextDocument.update(ref, [c.range ? { range: { start: clamp(c.range.start), end: clamp(c.range.end) }, text: c.text } : { text: c.text }], ref.version + 1);
        assert.equal(mine.getText(), ref.getText());
        assert.equal(mine.length, ref.getText().length);
      }
      for (const p of probes) assert.equal(mine.offsetAt(p), ref.offsetAt(p), JSON.stringify(p));
    }), { seed: 19, numRuns: 3000 });
  });

  it('applies several changes of one notification in order', () => {
    const t = new ChunkedText('ab\ncd\n', 2);
    t.apply([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } }, text: 'XY\nZ' }, { range: { start: { line: 2, character: 1 }, end: { line: 2, character: 1 } }, text: '!' }]);
    assert.equal(t.getText(), 'ab\nXY\nZ!\n');
  });

  it('edits a 15 MB text by rebuilding only the chunks around the edit', () => {
    const line = 'int x = 0; /* filler to make a long enough line */\n';
    const big = new ChunkedText(line.repeat(Math.ceil(15e6 / line.length)));
    const before = big.length;
    big.apply([{ range: { start: { line: 200_000, character: 4 }, end: { line: 200_000, character: 5 } }, text: 'yy' }]);
    assert.equal(big.length, before + 1);
    const at = big.offsetAt({ line: 200_000, character: 0 });
    assert.equal(big.getText().slice(at, at + 8), 'int yy =');
  });
});
