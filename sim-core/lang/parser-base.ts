// Token cursor, diagnostics and type parsing shared by the expression and statement parsers.
// Every method returns something usable on bad input; nothing here throws.
import type { Diagnostic, Range, Severity, TypeRef } from './ast';
import { T } from './lexer';
import type { Tokens } from './tokens';
import { K, PUNCT_TEXT, isBaseWord, isKeyword, isQualifier } from './lexer-codes';

export { KEYWORDS, TYPEDEF_NAMES } from './lexer-codes';

const MAX_DEPTH = 200;
/**
 * Operators the expressions of one statement may hold: binary operators (`1 + 1 + ... + 1`), commas,
 * and postfix operators (`x++`, `a[0]`, `f()`, `.n`, `->n`). Each makes the tree one level deeper,
 * parentheses stack chains, and the checker, the compiler and the editor features walk trees
 * recursively: with MAX_DEPTH for the levels the parser recurses itself, this bounds how deep
 * any later walk goes (statement nesting + MAX_DEPTH + MAX_CHAIN).
 */
export const MAX_CHAIN = 500;

export interface TypeSpec {
  type: TypeRef;
  storage?: 'static' | 'extern';
}

export class ParserBase {
  protected i = 0;
  protected depth = 0;
  /** Binary operators read so far in the current statement or top-level declaration. */
  protected ops = 0;
  /** Whether the current statement has had its MAX_CHAIN error (one per statement). */
  protected chainReported = false;
  private lastErrorAt = -1;
  /** Set by a nesting limit: the rest of the file is not read, and no error follows it. */
  private stopped = false;

  constructor(protected readonly text: string, protected readonly tk: Tokens, protected readonly diagnostics: Diagnostic[]) {}

  // ---- cursor ----
  protected get kind(): T { return this.tk.kind[this.i]; }
  /** Identifier code of the current token (K.None unless it is a known word). */
  protected get kw(): K { return this.kwAt(this.i); }
  /**
   * Types the file names with `typedef`, by name: what each stands for (base name and `*`s). The
   * parser substitutes them where they are written, so the checker and the compiler see C's types.
   */
  protected readonly typedefs = new Map<string, TypeRef>();

  /**
   * Opens a scope for typedef names: a local typedef ends with its block, and a variable or
   * parameter named like a typedef hides it there (`int count = 0; count++;` after `typedef int
   * count;`). Returns the closer, which puts back the names as they were.
   */
  protected typedefScope(): () => void {
    if (this.typedefs.size === 0) return () => { this.typedefs.clear(); };
    const saved = new Map(this.typedefs);
    return () => {
      this.typedefs.clear();
      for (const [k, v] of saved) this.typedefs.set(k, v);
    };
  }

  /** An ordinary identifier declared in the current scope hides a typedef of the same name. */
  protected hideTypedef(name: string): void {
    if (this.typedefs.size > 0) this.typedefs.delete(name);
  }
  /** The tag keyword (`struct`, `union`, `enum`) the last type specifier was written with. */
  protected tagWord = '';
  /** The word code of token j, with the file's own typedef names read as type names. */
  protected kwAt(j: number): K {
    const k: K = this.tk.kw[j];
    if (k === K.None && this.typedefs.size > 0 && this.tk.kind[j] === T.Ident && this.typedefs.has(this.tk.val(j))) return K.TypedefName;
    return k;
  }
  protected get val(): string { return this.tk.val(this.i); }
  protected get start(): number { return this.tk.start[this.i]; }
  protected get prevEnd(): number { return this.i > 0 ? this.tk.end[this.i - 1] : this.tk.start[0]; }
  protected peekKind(n = 1): T { return this.tk.kind[Math.min(this.i + n, this.tk.length - 1)]; }
  protected atEnd(): boolean { return this.tk.kind[this.i] === T.EOF; }
  protected advance(): void { if (this.tk.kind[this.i] !== T.EOF) this.i++; }
  protected range(start: number): Range { return { start, end: Math.max(start, this.prevEnd) }; }
  protected tokRange(): Range { return { start: this.tk.start[this.i], end: this.tk.end[this.i] }; }

  /** A token test by kind: `is(T.LParen)`. */
  protected is(k: T): boolean { return this.tk.kind[this.i] === k; }
  /** A known word: `isWord(K.Else)` (only identifiers carry word codes). */
  protected isWord(k: K): boolean { return this.kwAt(this.i) === k; }
  /** An identifier that is not a keyword. */
  protected isName(): boolean { return this.tk.kind[this.i] === T.Ident && !isKeyword(this.tk.kw[this.i]); }

  protected eat(k: T): boolean {
    if (this.tk.kind[this.i] === k) { this.i++; return true; }
    return false;
  }

  /** Consumes `k` or reports it missing (at the end of the previous token, as gcc does). */
  protected expect(k: T, what?: string): boolean {
    if (this.eat(k)) return true;
    // Like gcc, point just past the last good token: that is where the missing text belongs.
    const at = this.i > 0 ? this.prevEnd : this.start;
    this.error({ start: at, end: at }, `expected '${PUNCT_TEXT[k]}'${what ? ` ${what}` : ''}${this.atEnd() ? ' at end of input' : this.tk.nl[this.i] ? '' : ` before ${this.describe()}`}`);
    return false;
  }

  protected describe(): string {
    switch (this.kind) {
      case T.EOF: return 'end of input';
      case T.Ident: return `'${this.val}'`;
      case T.Number: return 'numeric constant';
      case T.String: return 'string constant';
      case T.Char: return 'character constant';
      default: return `'${this.val}'`;
    }
  }

  protected report(range: Range, message: string, severity: Severity, code: string): void {
    this.diagnostics.push({ range, severity, message, code });
  }

  /** A syntax error; a second one at the same place is dropped to avoid cascades. */
  protected error(range: Range, message: string, code = 'syntax'): void {
    if (range.start === this.lastErrorAt || this.stopped) return;
    this.lastErrorAt = range.start;
    this.report(range, message, 'error', code);
  }

  /**
   * Guards recursion: returns false when nesting is too deep to continue. That ends the parse
   * (the cursor moves to the end), so the levels below unwind without an error each.
   */
  protected enter(): boolean {
    if (this.depth >= MAX_DEPTH) {
      this.error(this.tokRange(), `nesting too deep (more than ${MAX_DEPTH} levels); the rest of the file is not read`, 'too-deep');
      this.stopped = true;
      this.i = this.tk.length - 1;
      return false;
    }
    this.depth++;
    return true;
  }
  protected leave(): void { this.depth--; }

  /**
   * Counts one chaining operator against the statement's MAX_CHAIN; false past the limit (one
   * error, at the first operator beyond it), when the caller reads the operand but builds no node.
   */
  protected chain(at: Range): boolean {
    if (++this.ops <= MAX_CHAIN) return true;
    if (!this.chainReported) this.error(at, `more than ${MAX_CHAIN} operators in one statement; split it`, 'too-deep');
    this.chainReported = true;
    return false;
  }

  /**
   * Reads one of several sibling expressions (call arguments, initializer items): siblings do not
   * deepen each other's tree, so each starts from the count before the first and the statement
   * keeps the largest.
   */
  protected sibling<E>(from: number, read: () => E): { value: E; ops: number } {
    this.ops = from;
    const value = read();
    return { value, ops: this.ops };
  }

  /** Skips a balanced ( ), [ ] or { } group starting at the current opening token. */
  protected skipBalanced(): void {
    const kinds = this.tk.kind;
    const open = kinds[this.i];
    const close = open === T.LParen ? T.RParen : open === T.LBracket ? T.RBracket : T.RBrace;
    let level = 0;
    for (let k = kinds[this.i]; k !== T.EOF; k = kinds[++this.i]) {
      if (k === open) level++;
      else if (k === close) { level--; if (level === 0) { this.i++; return; } }
    }
  }

  // ---- types ----
  /** True when the current token (or the one n ahead) begins a type (a declaration or a cast). */
  protected startsType(n = 0): boolean {
    const j = Math.min(this.i + n, this.tk.length - 1);
    if (this.tk.kind[j] !== T.Ident) return false;
    const k: K = this.kwAt(j);
    if (k === K.None) return false;
    if (isBaseWord(k) || isQualifier(k) || k === K.Struct || k === K.Union || k === K.Enum
      || k === K.Static || k === K.Extern || k === K.Attribute) return true;
    if (k !== K.TypedefName) return false;
    // `pid_t = 3` or `size_t(...)`: a type name used where a value belongs is not a declaration;
    // but `size_t (*len)(const char *)` declares a function pointer.
    const next = this.peekKind(n + 1);
    if (next === T.LParen && this.peekKind(n + 2) === T.Star) return true;
    return !(next === T.Assign || next === T.LParen || next === T.RParen || next === T.Comma || next === T.Semi
      || next === T.LBracket || next === T.Dot || next === T.Arrow || next === T.PlusPlus || next === T.MinusMinus
      || (next >= T.PlusEq && next <= T.CaretEq));
  }

  /**
   * `(pid_t)` or `(Point *)` after `(` in a cast or `sizeof`: a type name followed by `)` is a
   * type there, where a declaration would have read it as a value.
   */
  protected startsTypeInParens(n = 0): boolean {
    if (this.startsType(n)) return true;
    const j = Math.min(this.i + n, this.tk.length - 1);
    return this.tk.kind[j] === T.Ident && this.kwAt(j) === K.TypedefName && this.peekKind(n + 1) === T.RParen;
  }

  /**
   * `long double` is x87's 80-bit format on x86-64; the simulator computes in IEEE double and
   * float only, so it is refused (one located error) rather than silently narrowed.
   */
  private refuseLongDouble(words: readonly string[] | null, k: K): void {
    if (!words) return;
    if ((k === K.Double && words.includes('long')) || (k === K.Long && words.includes('double'))) {
      this.error(this.tokRange(), "'long double' is not supported by the simulator: it computes in float and double only", 'unsupported');
    }
  }

  private skipAttribute(): void {
    this.advance();
    if (this.is(T.LParen)) this.skipBalanced();
  }

  /** Parses declaration specifiers: storage, qualifiers, base type. Returns null if none. */
  protected parseTypeSpec(): TypeSpec | null {
    const start = this.start;
    let words: string[] | null = null;
    let storage: 'static' | 'extern' | undefined;
    let named = '';
    let pointer = 0;
    for (;;) {
      if (this.kind !== T.Ident) break;
      const k = this.kw;
      if (k === K.None) break;
      if (k === K.Static || k === K.Extern) { storage = k === K.Static ? 'static' : 'extern'; this.advance(); continue; }
      if (isQualifier(k)) { this.advance(); continue; }
      if (k === K.Attribute) { this.skipAttribute(); continue; }
      if (named || words) {
        if (isBaseWord(k) && !named) { this.refuseLongDouble(words, k); (words ??= []).push(this.val); this.advance(); continue; }
        break;
      }
      if (isBaseWord(k)) {
        words = [this.val];
        this.advance();
        continue;
      }
      if (k === K.Struct || k === K.Union || k === K.Enum) {
        const v = this.val;
        this.tagWord = v;
        this.advance();
        // A union is laid out as a struct whose members all start at its first cell: the tag is
        // spelled `struct` from here on, and the definition carries the difference.
        if (this.isName()) {
          named = `${v === 'union' ? 'struct' : v} ${this.val}`;
          this.advance();
        } else {
          if (!this.is(T.LBrace)) this.error(this.tokRange(), `expected a ${v} name`);
          named = `${v === 'union' ? 'struct' : v} <anonymous>`;
        }
        continue;
      }
      if (k === K.TypedefName) {
        const target = this.typedefs.get(this.val);
        named = target ? target.name : this.val;
        pointer = target ? target.pointer : 0;
        this.advance();
        continue;
      }
      break;
    }
    if (!named && !words) {
      if (storage && this.i > 0) {
        // `static x = 1;` is implicit int: accepted by old compilers, not by us.
        this.error(this.tokRange(), 'type specifier missing');
        return { type: { kind: 'Type', name: 'int', pointer: 0, range: this.range(start) }, storage };
      }
      return null;
    }
    let name = named;
    if (!name && words) {
      if (words.length === 1) name = words[0];
      else {
        const w = words.includes('int') && words.some((x) => x === 'long' || x === 'short') ? words.filter((x) => x !== 'int') : words;
        name = w.join(' ');
      }
    }
    const type: TypeRef = { kind: 'Type', name, pointer, range: this.range(start) };
    return storage ? { type, storage } : { type };
  }

  /** `*`s with their qualifiers (`char *const *p`). */
  protected parsePointers(): number {
    let n = 0;
    for (;;) {
      if (this.eat(T.Star)) { n++; continue; }
      if (n > 0 && this.kind === T.Ident && isQualifier(this.kw)) { this.advance(); continue; }
      return n;
    }
  }

  /** A type name in a cast or sizeof: specifiers, `*`s and an optional abstract function-pointer part. */
  protected parseTypeName(): TypeRef | null {
    const spec = this.parseTypeSpec();
    if (!spec) return null;
    let pointer = this.parsePointers();
    if (this.is(T.LParen) && this.peekKind() === T.Star) { // void (*)(int)
      this.skipBalanced();
      if (this.is(T.LParen)) this.skipBalanced();
      pointer++;
    }
    while (this.is(T.LBracket)) { this.skipBalanced(); pointer++; }
    return { ...spec.type, pointer: spec.type.pointer + pointer, range: this.range(spec.type.range.start) };
  }
}
