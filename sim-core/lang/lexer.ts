// Turns scenario text into tokens with char-code scanning (no regexes, no per-character strings),
// and splits off preprocessor lines, evaluating the simple #if/#ifdef forms as it goes.
import type { Diagnostic } from './ast';

export const enum T {
  EOF = 0,
  Ident = 1,
  Number = 2,
  String = 3,
  Char = 4,
  Punct = 5,
}

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

export class Tokens {
  kind: T[] = [];
  start: number[] = [];
  end: number[] = [];
  /** Identifier or number text, punctuator, or a string literal's decoded value. */
  val: string[] = [];
  /** Numeric value of numbers and character literals. */
  num: number[] = [];
  /** True when a newline lies between this token and the previous one. */
  nl: boolean[] = [];
  get length(): number {
    return this.kind.length;
  }
}

const PUNCT3 = ['<<=', '>>=', '...'];
const PUNCT2 = ['->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=',
  '&=', '|=', '^=', '##'];
const PUNCT1 = '()[]{};,.?:+-*/%<>=!~&|^#';

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}
function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Parses the numeric value of a C integer or floating literal's text (suffixes ignored). */
function numberValue(s: string): number {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1) | 0x20;
    if (c === 0x75 /* u */ || c === 0x6c /* l */) end--;
    else break;
  }
  const body = s.slice(0, end);
  if (body.length > 1 && body.charCodeAt(0) === 48) {
    const x = body.charCodeAt(1) | 0x20;
    if (x === 0x78) return parseInt(body.slice(2), 16);
    if (x === 0x62) return parseInt(body.slice(2), 2);
    if (/^[0-7]+$/.test(body)) return parseInt(body, 8);
  }
  return Number(body);
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
  private readonly tokens = new Tokens();
  private readonly directives: RawDirective[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly conds: Cond[] = [];
  private readonly defined = new Set<string>();

  /**
   * @param limit lex up to this offset; `directiveMode` lexes the body of one directive line, where
   *   `#` is an ordinary punctuator and lines never start a new directive.
   */
  constructor(private readonly text: string, start = 0, private readonly limit = text.length,
    private readonly directiveMode = false, private readonly knownNames?: (name: string) => boolean) {
    this.pos = start;
  }

  private diag(start: number, end: number, message: string, severity: Diagnostic['severity'] = 'error', code = 'syntax'): void {
    this.diagnostics.push({ range: { start, end: Math.max(end, start) }, severity, message, code });
  }

  private get active(): boolean {
    return this.conds.length === 0 || this.conds[this.conds.length - 1].active;
  }

  run(): LexResult {
    const text = this.text;
    const limit = this.limit;
    const tk = this.tokens;
    let lineStart = true;
    let sawNewline = true;
    while (this.pos < limit) {
      const c = text.charCodeAt(this.pos);
      // Whitespace and line breaks.
      if (c === 10 || c === 13) {
        this.pos++;
        lineStart = true;
        sawNewline = true;
        continue;
      }
      if (c === 32 || c === 9 || c === 11 || c === 12) {
        this.pos++;
        continue;
      }
      if (c === 92 /* \ */ && (text.charCodeAt(this.pos + 1) === 10 || text.charCodeAt(this.pos + 1) === 13)) {
        this.pos += text.charCodeAt(this.pos + 1) === 13 && text.charCodeAt(this.pos + 2) === 10 ? 3 : 2;
        continue;
      }
      // Comments.
      if (c === 47 /* / */) {
        const d = text.charCodeAt(this.pos + 1);
        if (d === 47) {
          while (this.pos < limit && text.charCodeAt(this.pos) !== 10 && text.charCodeAt(this.pos) !== 13) this.pos++;
          continue;
        }
        if (d === 42) {
          const close = text.indexOf('*/', this.pos + 2);
          if (close < 0 || close + 2 > limit) {
            this.diag(this.pos, this.pos + 2, 'unterminated comment');
            this.pos = limit;
          } else this.pos = close + 2;
          continue;
        }
      }
      if (c === 35 /* # */ && lineStart && !this.directiveMode) {
        this.directive();
        lineStart = true;
        sawNewline = true;
        continue;
      }
      lineStart = false;
      if (this.token(c, sawNewline)) sawNewline = false;
    }
    if (!this.directiveMode) {
      for (const cond of this.conds) this.diag(cond.start, cond.end, 'unterminated conditional directive');
    }
    tk.kind.push(T.EOF);
    tk.start.push(limit);
    tk.end.push(limit);
    tk.val.push('');
    tk.num.push(0);
    tk.nl.push(true);
    return { tokens: tk, directives: this.directives, diagnostics: this.diagnostics };
  }

  /** Scans one token at pos (not whitespace or a comment); returns whether one was emitted. */
  private token(c: number, sawNewline: boolean): boolean {
    const text = this.text;
    const limit = this.limit;
    const tk = this.tokens;
  const start = this.pos;
  if (!this.active) {
    this.skipInactiveToken(c);
    return false;
  }
  let kind: T;
  let val: string;
  let num = 0;
  if (isIdStart(c)) {
    let p = this.pos + 1;
    while (p < limit && isIdPart(text.charCodeAt(p))) p++;
    // L"..." and u8"..." prefixes are not C the lectures use; treat the letters as an identifier.
    kind = T.Ident;
    val = text.slice(start, p);
    this.pos = p;
  } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(this.pos + 1)))) {
    let p = this.pos + 1;
    while (p < limit) {
      const e = text.charCodeAt(p);
      if (isIdPart(e) || e === 46) p++;
      else if ((e === 43 || e === 45) && ((text.charCodeAt(p - 1) | 0x20) === 0x65) && !/^0x/i.test(text.slice(start, start + 2))) p++;
      else break;
    }
    kind = T.Number;
    val = text.slice(start, p);
    num = numberValue(val);
    if (Number.isNaN(num)) {
      this.diag(start, p, `invalid number '${val}'`);
      num = 0;
    } else if (val.includes('.') || (!/^0x/i.test(val) && /e/i.test(val))) {
      this.diag(start, p, 'floating-point numbers are not supported; the simulator has integers only');
    }
    this.pos = p;
  } else if (c === 34 /* " */) {
    kind = T.String;
    val = this.quoted(34);
  } else if (c === 39 /* ' */) {
    kind = T.Char;
    val = this.quoted(39);
    if (val.length !== 1) {
      this.diag(start, this.pos, val.length === 0 ? 'empty character constant' : 'multi-character constant');
    }
    num = val.length > 0 ? val.charCodeAt(0) : 0;
  } else {
    kind = T.Punct;
    val = '';
    const s3 = text.substr(this.pos, 3);
    const s2 = s3.slice(0, 2);
    if (PUNCT3.includes(s3)) val = s3;
    else if (PUNCT2.includes(s2)) val = s2;
    else if (PUNCT1.includes(s3[0])) val = s3[0];
    if (val === '') {
      // Any other character: report it once and skip it, so the parser never sees it.
      const ch = String.fromCodePoint(text.codePointAt(this.pos) ?? c);
      this.diag(start, start + ch.length, `stray '${ch === '\0' ? '\\0' : ch}' in program`);
      this.pos += ch.length;
      return false;
    }
    this.pos += val.length;
  }
  tk.kind.push(kind);
  tk.start.push(start);
  tk.end.push(this.pos);
  tk.val.push(val);
  tk.num.push(num);
  tk.nl.push(sawNewline);
    return true;
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
        const r = this.escape(p);
        out += r.s;
        p = r.next;
        segStart = p;
        continue;
      }
      p++;
    }
    this.pos = p;
    return out;
  }

  private escape(p: number): { s: string; next: number } {
    const text = this.text;
    const e = text.charCodeAt(p + 1);
    switch (e) {
      case 110: return { s: '\n', next: p + 2 };
      case 116: return { s: '\t', next: p + 2 };
      case 114: return { s: '\r', next: p + 2 };
      case 97: return { s: '\x07', next: p + 2 };
      case 98: return { s: '\b', next: p + 2 };
      case 102: return { s: '\f', next: p + 2 };
      case 118: return { s: '\v', next: p + 2 };
      case 101: return { s: '\x1b', next: p + 2 };
      case 92: return { s: '\\', next: p + 2 };
      case 39: return { s: '\'', next: p + 2 };
      case 34: return { s: '"', next: p + 2 };
      case 63: return { s: '?', next: p + 2 };
      case 120: { // \xHH
        let q = p + 2;
        let v = 0;
        while (q < this.limit && /[0-9a-fA-F]/.test(text[q])) v = v * 16 + parseInt(text[q++], 16);
        if (q === p + 2) this.diag(p, q, '\\x used with no following hex digits');
        return { s: String.fromCharCode(v & 0xff), next: q };
      }
      case 10: case 13: // line continuation inside a literal
        return { s: '', next: p + (e === 13 && text.charCodeAt(p + 2) === 10 ? 3 : 2) };
      default:
        if (e >= 48 && e <= 55) { // octal, up to three digits
          let q = p + 1;
          let v = 0;
          while (q < p + 4 && q < this.limit && text.charCodeAt(q) >= 48 && text.charCodeAt(q) <= 55) v = v * 8 + text.charCodeAt(q++) - 48;
          return { s: String.fromCharCode(v & 0xff), next: q };
        }
        if (p + 1 >= this.limit) return { s: '', next: p + 1 };
        this.diag(p, p + 2, `unknown escape sequence '\\${text[p + 1]}'`, 'warning');
        return { s: text[p + 1], next: p + 2 };
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
        if (c === 13 && text.charCodeAt(q - 1) === 92) { q++; continue; }
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
    const body = this.text.slice(d.bodyStart, d.end).replace(/\/\*.*?\*\/|\/\/.*$/g, '').trim();
    const top = this.conds[this.conds.length - 1];
    switch (d.name) {
      case 'if': case 'ifdef': case 'ifndef': {
        const parentActive = this.active;
        const value = this.evalCondition(d, body);
        this.conds.push({ active: parentActive && value, taken: value, parentActive, start: d.start, end: d.end });
        return true;
      }
      case 'elif': case 'else': {
        if (!top) {
          this.diag(d.start, d.end, `#${d.name} without #if`);
          return true;
        }
        const value = d.name === 'else' ? true : this.evalCondition(d, body);
        top.active = top.parentActive && !top.taken && value;
        top.taken = top.taken || value;
        return true;
      }
      case 'endif':
        if (!top) this.diag(d.start, d.end, '#endif without #if');
        else this.conds.pop();
        return true;
      default:
        return false;
    }
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

/** Lexes a whole scenario. `knownNames` answers #ifdef for names the file does not define. */
export function lex(text: string, knownNames?: (name: string) => boolean): LexResult {
  return new Lexer(text, 0, text.length, false, knownNames).run();
}

/** Lexes part of the text (a directive's body) as ordinary tokens with absolute offsets. */
export function lexRange(text: string, start: number, end: number): LexResult {
  return new Lexer(text, start, end, true).run();
}
