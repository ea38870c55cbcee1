// Turns scenario text into tokens held in parallel typed arrays (kind codes, offsets, flags) with
// char-code scanning, and splits off preprocessor lines, evaluating simple #if/#ifdef forms.
import type { Diagnostic } from './ast';
import { CC, HASH_SEED, InternTable, KNOWN_NAMES, PUNCT_TEXT, T, hashStep } from './lexer-codes';
import { isHexPrefixed, numberValue } from './lexer-numbers';
import { takeSpareBuffer, Tokens } from './tokens';

export { T, K } from './lexer-codes';
export { isFloatingText } from './lexer-numbers';

/** A preprocessor line; its body is lexed later by the parser with `lexRange`. */
export interface RawDirective {
  name: string;
  nameStart: number;
  nameEnd: number;
  /** The `#`. */
  start: number;
  /** End of the line (before the newline), continuation lines included. */
  end: number;
  bodyStart: number;
}


export interface LexResult {
  tokens: Tokens;
  directives: RawDirective[];
  diagnostics: Diagnostic[];
}

interface Cond {
  /** This branch's tokens are kept. */
  active: boolean;
  /** Some branch of this #if chain has been taken. */
  taken: boolean;
  /** The enclosing region is active. */
  parentActive: boolean;
  start: number;
  end: number;
}

export class Lexer {
  private pos: number;
  private readonly tokens: Tokens;
  private readonly names = new InternTable(KNOWN_NAMES);
  private readonly directives: RawDirective[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly conds: Cond[] = [];
  /** Whether tokens here are kept (no #if, or every enclosing branch taken). */
  private active = true;
  private readonly defined = new Set<string>();

  /**
   * @param limit lex up to this offset; `directiveMode` lexes the body of one directive line, where
   *   `#` is an ordinary punctuator and lines never start a new directive.
   */
  constructor(private readonly text: string, start = 0, private readonly limit = text.length,
    private readonly directiveMode = false, private readonly knownNames?: (name: string) => boolean) {
    this.pos = start;
    // About one token per four characters in typical C; the arrays double when that is short.
    // A whole file reuses the buffer of the previous parse (see Tokens.recycle).
    const reuse = directiveMode ? null : takeSpareBuffer();
    this.tokens = new Tokens(((limit - start) >> 2) + 16, this.names.names, reuse);
  }

  private diag(start: number, end: number, message: string, severity: Diagnostic['severity'] = 'error', code = 'syntax'): void {
    this.diagnostics.push({ range: { start, end: Math.max(end, start) }, severity, message, code });
  }

  private push(kind: T, start: number, end: number, ref: number, nl: boolean, kw = 0): number {
    const tk = this.tokens;
    const n = tk.length;
    if (n === tk.kind.length) tk.grow();
    tk.kind[n] = kind;
    tk.start[n] = start;
    tk.end[n] = end;
    tk.ref[n] = ref;
    tk.kw[n] = kw;
    tk.nl[n] = nl ? 1 : 0;
    tk.length = n + 1;
    return n;
  }

  /** Records a literal's text or value and its number; returns its index for `Tokens.ref`. */
  private literalRef(val: string, num: number): number {
    const tk = this.tokens;
    tk.lits.push(val);
    tk.litNums.push(num);
    return tk.lits.length - 1;
  }

  run(): LexResult {
    const text = this.text;
    const limit = this.limit;
    const tk = this.tokens;
    let pos = this.pos;
    let lineStart = true;
    let sawNewline = true;
    while (pos < limit) {
      const c = text.charCodeAt(pos);
      // Whitespace and line breaks.
      if (c === 32 || c === 9 || c === 11 || c === 12) { pos++; continue; }
      if (c === 10 || c === 13) { pos++; lineStart = true; sawNewline = true; continue; }
      const start = pos;
      if (c < 128 && (CC[c] & 1) !== 0) {
        if (!this.active) { pos++; lineStart = false; continue; }
        // Identifiers are hashed as they are scanned, then interned: known names cost no string.
        let h = hashStep(HASH_SEED, c);
        let p = pos + 1;
        while (p < limit) {
          const d = text.charCodeAt(p);
          if (d >= 128 || (CC[d] & 2) === 0) break;
          h = hashStep(h, d);
          p++;
        }
        const id = this.names.intern(text, start, p, h);
        this.push(T.Ident, start, p, id, sawNewline, this.names.code);
        pos = p;
        lineStart = false;
        sawNewline = false;
        continue;
      }
      if (c === 92 /* \ */) {
        const d = text.charCodeAt(pos + 1);
        if (d === 10 || d === 13) {
          pos += d === 13 && text.charCodeAt(pos + 2) === 10 ? 3 : 2;
          continue;
        }
      }
      // Comments.
      if (c === 47 /* / */) {
        const d = text.charCodeAt(pos + 1);
        if (d === 47) {
          pos += 2;
          while (pos < limit) {
            const e = text.charCodeAt(pos);
            if (e === 10 || e === 13) break;
            pos++;
          }
          continue;
        }
        if (d === 42) {
          const close = text.indexOf('*/', pos + 2);
          if (close < 0 || close + 2 > limit) {
            this.diag(pos, pos + 2, 'unterminated comment');
            pos = limit;
          } else pos = close + 2;
          continue;
        }
      }
      if (c === 35 /* # */ && lineStart && !this.directiveMode) {
        this.pos = pos;
        this.directive();
        pos = this.pos;
        lineStart = true;
        sawNewline = true;
        continue;
      }
      lineStart = false;
      if (!this.active) {
        this.pos = pos;
        this.skipInactiveToken(c);
        pos = this.pos;
        continue;
      }
      const punct = punctuator(text, pos, c);
      if (punct !== T.EOF) {
        pos += PUNCT_TEXT[punct].length;
        this.push(punct, start, pos, 0, sawNewline);
        sawNewline = false;
        continue;
      }
      this.pos = pos;
      if (this.literal(c, sawNewline)) sawNewline = false;
      pos = this.pos;
    }
    this.pos = pos;
    if (!this.directiveMode) {
      for (const cond of this.conds) this.diag(cond.start, cond.end, 'unterminated conditional directive');
    }
    this.push(T.EOF, limit, limit, 0, true);
    return { tokens: tk, directives: this.directives, diagnostics: this.diagnostics };
  }

  /** A number, string or character literal at pos, or a stray character; returns whether a token was emitted. */
  private literal(c: number, sawNewline: boolean): boolean {
    const text = this.text;
    const start = this.pos;
    if ((c >= 48 && c <= 57) || (c === 46 && text.charCodeAt(start + 1) >= 48 && text.charCodeAt(start + 1) <= 57)) {
      this.number(start, sawNewline);
      return true;
    }
    if (c === 34 /* " */) {
      const val = this.quoted(34);
      this.push(T.String, start, this.pos, this.literalRef(val, 0), sawNewline);
      return true;
    }
    if (c === 39 /* ' */) {
      const val = this.quoted(39);
      if (val.length !== 1) {
        this.diag(start, this.pos, val.length === 0 ? 'empty character constant' : 'multi-character constant');
      }
      this.push(T.Char, start, this.pos, this.literalRef(val, val.length > 0 ? val.charCodeAt(0) : 0), sawNewline);
      return true;
    }
    // Any other character: report it once and skip it, so the parser never sees it.
    const ch = String.fromCodePoint(text.codePointAt(start) ?? c);
    this.diag(start, start + ch.length, `stray '${ch === '\0' ? '\\0' : ch}' in program`);
    this.pos += ch.length;
    return false;
  }

  private number(start: number, sawNewline: boolean): void {
    const text = this.text;
    const limit = this.limit;
    // Plain decimal integers (the common case) are valued while scanned; the rest go to numberValue.
    let plain = text.charCodeAt(start) !== 48;
    let value = 0;
    let p = start;
    while (p < limit) {
      const e = text.charCodeAt(p);
      if (e >= 48 && e <= 57) { value = value * 10 + (e - 48); p++; }
      else if ((e < 128 && CC[e] !== 0) || e === 46) { plain = false; p++; }
      else if ((e === 43 || e === 45) && ((text.charCodeAt(p - 1) | 0x20) === (isHexPrefixed(text, start) ? 0x70 : 0x65))) { plain = false; p++; }
      else break;
    }
    const val = text.slice(start, p);
    let num: number;
    if (p - start === 1 || (plain && p - start <= 15)) num = value;
    else {
      num = numberValue(val);
      if (Number.isNaN(num)) {
        this.diag(start, p, `invalid number '${val}'`);
        num = 0;
      }
    }
    this.pos = p;
    this.push(T.Number, start, p, this.literalRef(val, num), sawNewline);
  }

  /** Inside a skipped #if region: step over strings and characters without reporting anything. */
  private skipInactiveToken(c: number): void {
    if (c === 34 || c === 39) {
      const save = this.diagnostics.length;
      this.quoted(c);
      this.diagnostics.length = save;
    } else this.pos++;
  }

  /** Reads a string or char literal starting at pos and returns its decoded value. */
  private quoted(q: number): string {
    const text = this.text;
    const start = this.pos;
    let p = this.pos + 1;
    let out = '';
    let segStart = p;
    for (;;) {
      if (p >= this.limit || text.charCodeAt(p) === 10 || text.charCodeAt(p) === 13) {
        out += text.slice(segStart, p);
        this.diag(start, p, q === 34 ? 'missing terminating " character' : 'missing terminating \' character');
        break;
      }
      const c = text.charCodeAt(p);
      if (c === q) {
        out += text.slice(segStart, p);
        p++;
        break;
      }
      if (c === 92) {
        out += text.slice(segStart, p);
        this.pos = p;
        out += this.escape(p);
        p = this.pos;
        segStart = p;
        continue;
      }
      p++;
    }
    this.pos = p;
    return out;
  }

  /** Decodes the escape sequence at p; leaves pos just after it. */
  private escape(p: number): string {
    const text = this.text;
    const e = text.charCodeAt(p + 1);
    this.pos = p + 2;
    switch (e) {
      case 110: return '\n';
      case 116: return '\t';
      case 114: return '\r';
      case 97: return '\x07';
      case 98: return '\b';
      case 102: return '\f';
      case 118: return '\v';
      case 101: return '\x1b';
      case 92: return '\\';
      case 39: return '\'';
      case 34: return '"';
      case 63: return '?';
      case 120: { // \xHH
        let q = p + 2;
        let v = 0;
        for (; q < this.limit; q++) {
          const d = hexDigit(text.charCodeAt(q));
          if (d < 0) break;
          v = v * 16 + d;
        }
        if (q === p + 2) this.diag(p, q, '\\x used with no following hex digits');
        this.pos = q;
        return String.fromCharCode(v & 0xff);
      }
      case 10: case 13: // line continuation inside a literal
        this.pos = p + (e === 13 && text.charCodeAt(p + 2) === 10 ? 3 : 2);
        return '';
      default:
        if (e >= 48 && e <= 55) { // octal, up to three digits
          let q = p + 1;
          let v = 0;
          while (q < p + 4 && q < this.limit && text.charCodeAt(q) >= 48 && text.charCodeAt(q) <= 55) v = v * 8 + text.charCodeAt(q++) - 48;
          this.pos = q;
          return String.fromCharCode(v & 0xff);
        }
        if (p + 1 >= this.limit) { this.pos = p + 1; return ''; }
        this.diag(p, p + 2, `unknown escape sequence '\\${text[p + 1]}'`, 'warning');
        return text[p + 1];
    }
  }

  /** Reads one `#...` line; conditionals are handled here, the rest is recorded for the parser. */
  private directive(): void {
    const text = this.text;
    const start = this.pos;
    let p = this.pos + 1;
    while (p < this.limit && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    const nameStart = p;
    while (p < this.limit && isIdPart(text.charCodeAt(p))) p++;
    const name = text.slice(nameStart, p);
    // The line ends at a newline not preceded by a backslash; comments may hide newlines.
    let q = p;
    while (q < this.limit) {
      const c = text.charCodeAt(q);
      if (c === 10 || c === 13) {
        if (text.charCodeAt(q - 1) === 92) { q++; continue; }
        break;
      }
      if (c === 47 && text.charCodeAt(q + 1) === 42) {
        const close = text.indexOf('*/', q + 2);
        q = close < 0 ? this.limit : close + 2;
        continue;
      }
      if (c === 47 && text.charCodeAt(q + 1) === 47) {
        while (q < this.limit && text.charCodeAt(q) !== 10 && text.charCodeAt(q) !== 13) q++;
        break;
      }
      q++;
    }
    const end = Math.min(q, this.limit);
    this.pos = end;
    const d: RawDirective = { name, nameStart, nameEnd: nameStart + name.length, start, end, bodyStart: p };
    if (this.conditional(d)) return;
    if (!this.active) return;
    if (name === 'define') {
      const m = /^[ \t]*([A-Za-z_]\w*)/.exec(text.slice(p, end));
      if (m) this.defined.add(m[1]);
    } else if (name === 'undef') {
      const m = /^[ \t]*([A-Za-z_]\w*)/.exec(text.slice(p, end));
      if (m) this.defined.delete(m[1]);
      return;
    }
    this.directives.push(d);
  }

  /** Handles #if/#ifdef/#ifndef/#elif/#else/#endif; returns false for other directives. */
  private conditional(d: RawDirective): boolean {
    const name = d.name;
    if (name !== 'if' && name !== 'ifdef' && name !== 'ifndef' && name !== 'elif' && name !== 'else' && name !== 'endif') return false;
    const body = this.text.slice(d.bodyStart, d.end).replace(/\/\*.*?\*\/|\/\/.*$/g, '').trim();
    const top = this.conds[this.conds.length - 1];
    switch (name) {
      case 'if': case 'ifdef': case 'ifndef': {
        const parentActive = this.active;
        const value = this.evalCondition(d, body);
        this.conds.push({ active: parentActive && value, taken: value, parentActive, start: d.start, end: d.end });
        break;
      }
      case 'elif': case 'else': {
        if (!top) {
          this.diag(d.start, d.end, `#${name} without #if`);
          return true;
        }
        const value = name === 'else' ? true : this.evalCondition(d, body);
        top.active = top.parentActive && !top.taken && value;
        top.taken = top.taken || value;
        break;
      }
      default: // endif
        if (!top) this.diag(d.start, d.end, '#endif without #if');
        else this.conds.pop();
    }
    this.active = this.conds.length === 0 || this.conds[this.conds.length - 1].active;
    return true;
  }

  private evalCondition(d: RawDirective, body: string): boolean {
    const known = (n: string): boolean => this.defined.has(n) || (this.knownNames?.(n) ?? false);
    if (d.name === 'ifdef') return known(body);
    if (d.name === 'ifndef') return !known(body);
    if (/^\d+$/.test(body)) return Number(body) !== 0;
    const m = /^(!?)\s*defined\s*\(?\s*([A-Za-z_]\w*)\s*\)?$/.exec(body);
    if (m) return known(m[2]) !== (m[1] === '!');
    this.diag(d.start, d.end, `#${d.name} condition '${body}' is not evaluated by the simulator; the branch is kept`, 'warning', 'preprocessor');
    return true;
  }
}

function isIdPart(c: number): boolean {
  return c < 128 && CC[c] !== 0;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** The punctuator starting at pos (longest match), or T.EOF when c starts none. */
function punctuator(text: string, pos: number, c: number): T {
  const d = text.charCodeAt(pos + 1);
  switch (c) {
    case 40: return T.LParen;
    case 41: return T.RParen;
    case 91: return T.LBracket;
    case 93: return T.RBracket;
    case 123: return T.LBrace;
    case 125: return T.RBrace;
    case 59: return T.Semi;
    case 44: return T.Comma;
    case 63: return T.Question;
    case 58: return T.Colon;
    case 126: return T.Tilde;
    case 46:
      if (d >= 48 && d <= 57) return T.EOF; // .5 is a number
      return d === 46 && text.charCodeAt(pos + 2) === 46 ? T.Ellipsis : T.Dot;
    case 43: return d === 43 ? T.PlusPlus : d === 61 ? T.PlusEq : T.Plus;
    case 45: return d === 62 ? T.Arrow : d === 45 ? T.MinusMinus : d === 61 ? T.MinusEq : T.Minus;
    case 42: return d === 61 ? T.StarEq : T.Star;
    case 47: return d === 61 ? T.SlashEq : T.Slash;
    case 37: return d === 61 ? T.PercentEq : T.Percent;
    case 60:
      if (d === 60) return text.charCodeAt(pos + 2) === 61 ? T.ShlEq : T.Shl;
      return d === 61 ? T.Le : T.Lt;
    case 62:
      if (d === 62) return text.charCodeAt(pos + 2) === 61 ? T.ShrEq : T.Shr;
      return d === 61 ? T.Ge : T.Gt;
    case 61: return d === 61 ? T.EqEq : T.Assign;
    case 33: return d === 61 ? T.NotEq : T.Bang;
    case 38: return d === 38 ? T.AndAnd : d === 61 ? T.AmpEq : T.Amp;
    case 124: return d === 124 ? T.OrOr : d === 61 ? T.PipeEq : T.Pipe;
    case 94: return d === 61 ? T.CaretEq : T.Caret;
    case 35: return d === 35 ? T.HashHash : T.Hash;
    default: return T.EOF;
  }
}

/** Lexes a whole scenario. `knownNames` answers #ifdef for names the file does not define. */
export function lex(text: string, knownNames?: (name: string) => boolean): LexResult {
  return new Lexer(text, 0, text.length, false, knownNames).run();
}

/** Lexes part of the text (a directive's body) as ordinary tokens with absolute offsets. */
export function lexRange(text: string, start: number, end: number): LexResult {
  return new Lexer(text, start, end, true).run();
}
