// An open document's text held in chunks of about 64 K code units, so an edit costs the size of the
// chunks it touches, not of the document: one flat 15 MB string is copied whole on every edit. LSP
// positions (0-based line, UTF-16 character) are mapped to offsets as vscode-languageserver-textdocument
// does: lines end at \n, \r\n or \r, and positions outside the document are moved onto it.

export interface TextPosition { line: number; character: number }

export interface TextChange {
  range?: { start: TextPosition; end: TextPosition };
  text: string;
}

const CHUNK = 64 * 1024;

/** Line breaks in s: \r\n counts once, a lone \r or \n once each. */
function breaksIn(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && s.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

export class ChunkedText {
  private chunks: string[] = [];
  /** Line breaks in each chunk; a \r\n pair is never split between two chunks. */
  private breaks: number[] = [];
  private total = 0;
  private flat: string | undefined;

  constructor(text: string, private readonly chunkSize: number = CHUNK) {
    this.replaceChunks(0, 0, text);
  }

  get length(): number {
    return this.total;
  }

  getText(): string {
    this.flat ??= this.chunks.join('');
    return this.flat;
  }

  /** Applies the changes in order, each against the text the previous ones left. */
  apply(changes: readonly TextChange[]): void {
    for (const c of changes) {
      if (!c.range) {
        this.replaceChunks(0, this.chunks.length, c.text);
        continue;
      }
      let start = this.offsetAt(c.range.start);
      let end = this.offsetAt(c.range.end);
      if (start > end) [start, end] = [end, start];
      this.replace(start, end, c.text);
    }
  }

  /** The offset of a position, moved onto the document: past the last line is the end, past a line's end is that end. */
  offsetAt(p: TextPosition): number {
    if (p.line < 0 || this.total === 0) return 0;
    // The chunk where line p.line starts, and the breaks before it.
    let seen = 0;
    let base = 0;
    let i = 0;
    while (i < this.chunks.length && seen + this.breaks[i] < p.line) {
      seen += this.breaks[i];
      base += this.chunks[i].length;
      i++;
    }
    if (i === this.chunks.length) return this.total;
    let at = 0;
    const chunk = this.chunks[i];
    for (let need = p.line - seen; need > 0; at++) {
      const c = chunk.charCodeAt(at);
      if (c === 10 || (c === 13 && chunk.charCodeAt(at + 1) !== 10)) need--;
    }
    const lineStart = base + at;
    if (p.character <= 0) return lineStart;
    // Walk at most `character` code units, stopping at the line's end.
    let off = lineStart;
    let rest = p.character;
    let k = i;
    let j = at;
    while (rest > 0 && k < this.chunks.length) {
      const s = this.chunks[k];
      while (rest > 0 && j < s.length) {
        const c = s.charCodeAt(j);
        if (c === 10 || c === 13) return off;
        j++;
        off++;
        rest--;
      }
      k++;
      j = 0;
    }
    return off;
  }

  /** Replaces [start, end) by text, rebuilding only the chunks around it. */
  private replace(start: number, end: number, text: string): void {
    if (this.chunks.length === 0) {
      this.replaceChunks(0, 0, text);
      return;
    }
    // Rebuild from one whole chunk before the edit to one whole chunk after it, so the first and
    // last code units of the rebuilt run are unchanged and no \r\n pair can straddle its edges.
    const first = Math.max(0, this.chunkOf(start) - 1);
    const last = Math.min(this.chunks.length - 1, this.chunkOf(end) + 1);
    let from = 0;
    for (let i = 0; i < first; i++) from += this.chunks[i].length;
    const run = this.chunks.slice(first, last + 1).join('');
    this.replaceChunks(first, last + 1, run.slice(0, start - from) + text + run.slice(end - from));
  }

  /** The first chunk whose span [start, end] holds offset. */
  private chunkOf(offset: number): number {
    let base = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      base += this.chunks[i].length;
      if (offset <= base) return i;
    }
    return this.chunks.length - 1;
  }

  /** Replaces chunks [from, to) by text cut into chunks, never between \r and \n. */
  private replaceChunks(from: number, to: number, text: string): void {
    const pieces: string[] = [];
    for (let at = 0; at < text.length;) {
      let cut = Math.min(text.length, at + this.chunkSize);
      if (text.charCodeAt(cut - 1) === 13 && text.charCodeAt(cut) === 10) cut++;
      pieces.push(text.slice(at, cut));
      at = cut;
    }
    for (let i = from; i < to; i++) this.total -= this.chunks[i].length;
    for (const p of pieces) this.total += p.length;
    this.chunks.splice(from, to - from, ...pieces);
    this.breaks.splice(from, to - from, ...pieces.map(breaksIn));
    this.flat = undefined;
  }
}
