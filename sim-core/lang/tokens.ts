// The lexer's output: tokens in parallel typed arrays over one buffer (kind codes, offsets,
// flags), with the literal table beside them, and the buffer reuse between whole-file parses.
import { PUNCT_TEXT, T } from './lexer-codes';

/** Bytes per token in a Tokens buffer: start, end, ref (4 each), kind, kw, nl (1 each). */
const BYTES_PER_TOKEN = 15;
/** A buffer given back by the last finished parse, reused by the next whole-file lex. */
let spare: ArrayBuffer | null = null;

/** The buffer the last finished parse gave back (see Tokens.recycle), at most once. */
export function takeSpareBuffer(): ArrayBuffer | null {
  const b = spare;
  spare = null;
  return b;
}

/**
 * The token stream, one entry per token in typed arrays over one buffer; the last token is always
 * `T.EOF`. Text is not stored per token: `ref` points into the interned names or the literal table.
 */
export class Tokens {
  kind!: Uint8Array;
  /** Identifier code (keywords, type words); 0 for ordinary names and for other tokens. */
  kw!: Uint8Array;
  /** 1 when a newline lies between this token and the previous one. */
  nl!: Uint8Array;
  start!: Int32Array;
  end!: Int32Array;
  /** Identifiers: index in `names`; numbers, strings, characters: index in `lits`. */
  ref!: Int32Array;
  length = 0;
  private buffer!: ArrayBuffer;
  /** Number text, or a string or character literal's decoded value. */
  readonly lits: string[] = [];
  /** Numeric value of each literal (numbers and characters; 0 for strings). */
  readonly litNums: number[] = [];

  constructor(capacity: number, readonly names: readonly string[], reuse: ArrayBuffer | null = null) {
    this.use(reuse && reuse.byteLength >= capacity * BYTES_PER_TOKEN ? reuse : new ArrayBuffer(capacity * BYTES_PER_TOKEN));
  }

  private use(buf: ArrayBuffer): void {
    const cap = Math.floor(buf.byteLength / BYTES_PER_TOKEN);
    this.buffer = buf;
    this.start = new Int32Array(buf, 0, cap);
    this.end = new Int32Array(buf, cap * 4, cap);
    this.ref = new Int32Array(buf, cap * 8, cap);
    this.kind = new Uint8Array(buf, cap * 12, cap);
    this.kw = new Uint8Array(buf, cap * 13, cap);
    this.nl = new Uint8Array(buf, cap * 14, cap);
  }

  /** Identifier or number text, a literal's decoded value, or the punctuator; '' at the end. */
  val(i: number): string {
    const k = this.kind[i];
    if (k === T.Ident) return this.names[this.ref[i]];
    if (k >= T.LParen || k === T.EOF) return PUNCT_TEXT[k];
    return this.lits[this.ref[i]];
  }

  /** Numeric value of a number or character token. */
  num(i: number): number {
    const k = this.kind[i];
    return k === T.Number || k === T.Char ? this.litNums[this.ref[i]] : 0;
  }

  grow(): void {
    const n = this.length;
    const { start, end, ref, kind, kw, nl } = this;
    this.use(new ArrayBuffer(this.kind.length * 2 * BYTES_PER_TOKEN));
    this.start.set(start.subarray(0, n));
    this.end.set(end.subarray(0, n));
    this.ref.set(ref.subarray(0, n));
    this.kind.set(kind.subarray(0, n));
    this.kw.set(kw.subarray(0, n));
    this.nl.set(nl.subarray(0, n));
  }

  /** Hands the buffer to the next whole-file lex; these tokens must not be read afterwards. */
  recycle(): void {
    spare = this.buffer;
    this.length = 0;
  }
}
