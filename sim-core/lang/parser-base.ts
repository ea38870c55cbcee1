// Token cursor, diagnostics and type parsing shared by the expression and statement parsers.
// Every method returns something usable on bad input; nothing here throws.
import type { Diagnostic, Range, Severity, TypeRef } from './ast';
import { T, type Tokens } from './lexer';

/** Type names the language knows without a typedef in the file. */
export const TYPEDEF_NAMES: ReadonlySet<string> = new Set([
  'pid_t', 'size_t', 'ssize_t', 'uid_t', 'gid_t', 'pthread_t', 'pthread_attr_t', 'sigset_t', 'siginfo_t',
  'sighandler_t', 'time_t', 'useconds_t', 'rlim_t', 'id_t', 'idtype_t', 'off_t', 'mode_t', 'FILE',
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t',
  'int8_t', 'int16_t', 'int32_t', 'int64_t', 'intptr_t', 'uintptr_t', 'spinlock_t', 'gfp_t', 'atomic_t',
  'bool', '_Bool', 'wait_queue_head_t',
]);

const BASE_WORDS: ReadonlySet<string> = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', 'float', 'double']);
const QUALIFIERS: ReadonlySet<string> = new Set(['const', 'volatile', 'inline', '__inline', '__inline__', 'register', 'auto',
  'restrict', '__restrict', '__init', '__exit', '__user', '__iomem', '__always_inline', 'noinline', '__maybe_unused',
  '__read_mostly', '__initdata', '__exitdata', '__must_check', '__noreturn', '_Noreturn']);

export const KEYWORDS: ReadonlySet<string> = new Set(['if', 'else', 'while', 'do', 'for', 'switch', 'case', 'default',
  'break', 'continue', 'return', 'goto', 'sizeof', 'struct', 'union', 'enum', 'typedef', 'static', 'extern',
  ...BASE_WORDS, ...QUALIFIERS]);

const MAX_DEPTH = 200;

export interface TypeSpec {
  type: TypeRef;
  storage?: 'static' | 'extern';
}

export class ParserBase {
  protected i = 0;
  protected depth = 0;
  private lastErrorAt = -1;
  /** Names of typedefs declared in the file, on top of TYPEDEF_NAMES. */
  protected readonly typedefs = new Set<string>();

  constructor(protected readonly text: string, protected readonly tk: Tokens, protected readonly diagnostics: Diagnostic[]) {}

  // ---- cursor ----
  protected get kind(): T { return this.tk.kind[this.i]; }
  protected get val(): string { return this.tk.val[this.i]; }
  protected get start(): number { return this.tk.start[this.i]; }
  protected get prevEnd(): number { return this.i > 0 ? this.tk.end[this.i - 1] : this.tk.start[0]; }
  protected peekVal(n = 1): string { return this.tk.val[Math.min(this.i + n, this.tk.length - 1)]; }
  protected peekKind(n = 1): T { return this.tk.kind[Math.min(this.i + n, this.tk.length - 1)]; }
  protected atEnd(): boolean { return this.tk.kind[this.i] === T.EOF; }
  protected advance(): void { if (this.tk.kind[this.i] !== T.EOF) this.i++; }
  protected range(start: number): Range { return { start, end: Math.max(start, this.prevEnd) }; }
  protected tokRange(): Range { return { start: this.tk.start[this.i], end: this.tk.end[this.i] }; }

  /** A punctuator test: `is('(')`. */
  protected is(p: string): boolean { return this.tk.kind[this.i] === T.Punct && this.tk.val[this.i] === p; }
  protected isWord(w: string): boolean { return this.tk.kind[this.i] === T.Ident && this.tk.val[this.i] === w; }

  protected eat(p: string): boolean {
    if (this.is(p)) { this.i++; return true; }
    return false;
  }

  /** Consumes `p` or reports it missing (at the end of the previous token, as gcc does). */
  protected expect(p: string, what?: string): boolean {
    if (this.eat(p)) return true;
    // Like gcc, point just past the last good token: that is where the missing text belongs.
    const at = this.i > 0 ? this.prevEnd : this.start;
    this.error({ start: at, end: at }, `expected '${p}'${what ? ` ${what}` : ''}${this.atEnd() ? ' at end of input' : this.tk.nl[this.i] ? '' : ` before ${this.describe()}`}`);
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
    if (range.start === this.lastErrorAt) return;
    this.lastErrorAt = range.start;
    this.report(range, message, 'error', code);
  }

  /** Guards recursion: returns false (after reporting) when nesting is too deep to continue. */
  protected enter(): boolean {
    if (this.depth >= MAX_DEPTH) {
      this.error(this.tokRange(), 'nesting too deep', 'too-deep');
      return false;
    }
    this.depth++;
    return true;
  }
  protected leave(): void { this.depth--; }

  /** Skips a balanced ( ), [ ] or { } group starting at the current opening token. */
  protected skipBalanced(): void {
    const open = this.val;
    const close = open === '(' ? ')' : open === '[' ? ']' : '}';
    let level = 0;
    while (!this.atEnd()) {
      if (this.kind === T.Punct) {
        if (this.val === open) level++;
        else if (this.val === close) { level--; if (level === 0) { this.advance(); return; } }
      }
      this.advance();
    }
  }

  // ---- types ----
  protected isTypeName(name: string): boolean {
    return TYPEDEF_NAMES.has(name) || this.typedefs.has(name);
  }

  /** True when the current token begins a type (a declaration or a cast). */
  protected startsType(n = 0): boolean {
    if (this.peekKind(n) !== T.Ident) return false;
    const v = this.peekVal(n);
    if (BASE_WORDS.has(v) || QUALIFIERS.has(v) || v === 'struct' || v === 'union' || v === 'enum'
      || v === 'static' || v === 'extern' || v === '__attribute__') return true;
    return this.isTypeName(v) && !(this.peekKind(n + 1) === T.Punct && ['=', '(', ')', ',', ';', '[', '.', '->'].includes(this.peekVal(n + 1)));
  }

  private skipAttribute(): void {
    this.advance();
    if (this.is('(')) this.skipBalanced();
  }

  /** Parses declaration specifiers: storage, qualifiers, base type. Returns null if none. */
  protected parseTypeSpec(): TypeSpec | null {
    const start = this.start;
    const words: string[] = [];
    let storage: 'static' | 'extern' | undefined;
    let named = '';
    for (;;) {
      if (this.kind !== T.Ident) break;
      const v = this.val;
      if (v === 'static' || v === 'extern') { storage = v; this.advance(); continue; }
      if (QUALIFIERS.has(v)) { this.advance(); continue; }
      if (v === '__attribute__') { this.skipAttribute(); continue; }
      if (named || words.length > 0) {
        if (BASE_WORDS.has(v) && !named) { words.push(v); this.advance(); continue; }
        break;
      }
      if (BASE_WORDS.has(v)) { words.push(v); this.advance(); continue; }
      if (v === 'struct' || v === 'union' || v === 'enum') {
        this.advance();
        if (this.kind === T.Ident && !KEYWORDS.has(this.val)) {
          named = `${v} ${this.val}`;
          this.advance();
        } else {
          if (!this.is('{')) this.error(this.tokRange(), `expected a ${v} name`);
          named = `${v} <anonymous>`;
        }
        continue;
      }
      if (this.isTypeName(v)) { named = v; this.advance(); continue; }
      break;
    }
    if (!named && words.length === 0) {
      if (storage && this.i > 0) {
        // `static x = 1;` is implicit int: accepted by old compilers, not by us.
        this.error(this.tokRange(), 'type specifier missing');
        return { type: { kind: 'Type', name: 'int', pointer: 0, range: this.range(start) }, storage };
      }
      return null;
    }
    let name = named;
    if (!name) {
      const w = words.length > 1 && words.includes('int') && words.some((x) => x === 'long' || x === 'short')
        ? words.filter((x) => x !== 'int') : words;
      name = w.join(' ');
    }
    const type: TypeRef = { kind: 'Type', name, pointer: 0, range: this.range(start) };
    return storage ? { type, storage } : { type };
  }

  /** `*`s with their qualifiers (`char *const *p`). */
  protected parsePointers(): number {
    let n = 0;
    for (;;) {
      if (this.eat('*')) { n++; continue; }
      if (n > 0 && this.kind === T.Ident && QUALIFIERS.has(this.val)) { this.advance(); continue; }
      return n;
    }
  }

  /** A type name in a cast or sizeof: specifiers, `*`s and an optional abstract function-pointer part. */
  protected parseTypeName(): TypeRef | null {
    const spec = this.parseTypeSpec();
    if (!spec) return null;
    let pointer = this.parsePointers();
    if (this.is('(') && this.peekVal() === '*') { // void (*)(int)
      this.skipBalanced();
      if (this.is('(')) this.skipBalanced();
      pointer++;
    }
    while (this.is('[')) { this.skipBalanced(); pointer++; }
    return { ...spec.type, pointer: spec.type.pointer + pointer, range: this.range(spec.type.range.start) };
  }
}
