// Preprocessor lines the parser keeps: #include (recorded), object-like #define (value parsed as an
// expression) and `#pragma kproc KEY ARGS...`. Other pragmas are ignored, like gcc does.
import type { Define, Diagnostic, Directive, Include, Pragma, Range } from './ast';
import type { FnMacro } from './macros';
import { lexRange, T, type RawDirective } from './lexer';
import { K } from './lexer-codes';
import { ExprParser } from './parser-expr';

class DirectiveParser extends ExprParser {
  define(d: RawDirective): Define | null {
    if (this.kind !== T.Ident) {
      this.error(this.atEnd() ? { start: d.nameStart, end: d.nameEnd } : this.tokRange(), 'macro name must be an identifier');
      return null;
    }
    const name = this.val;
    const nameRange = this.tokRange();
    this.advance();
    if (this.is(T.LParen) && this.start === nameRange.end) {
      this.functionMacro(name, nameRange, d);
      return null;
    }
    const def: Define = { kind: 'Define', name, nameRange, range: { start: d.start, end: d.end } };
    if (this.atEnd()) return def;
    const value = this.parseExpr();
    if (!this.atEnd()) {
      this.error({ start: this.start, end: d.end }, `the value of '${name}' must be a single expression`, 'macro-body');
    }
    def.value = value;
    return def;
  }

  /** `#define NAME(a, b) body`: kept as text, expanded where it is called. */
  private functionMacro(name: string, nameRange: Range, d: RawDirective): void {
    this.advance(); // (
    const params: string[] = [];
    while (!this.is(T.RParen)) {
      if (this.is(T.Ellipsis)) {
        this.error(this.tokRange(), `variadic macro '${name}' is not supported by the simulator`, 'function-macro');
        return;
      }
      if (!this.isName() && !(this.kind === T.Ident)) {
        this.error(this.atEnd() ? { start: nameRange.start, end: d.end } : this.tokRange(), `expected a parameter name in the parameter list of macro '${name}'`, 'function-macro');
        return;
      }
      if (params.includes(this.val)) {
        this.error(this.tokRange(), `duplicate macro parameter '${this.val}'`, 'function-macro');
        return;
      }
      params.push(this.val);
      this.advance();
      if (!this.eat(T.Comma) && !this.is(T.RParen)) {
        this.error(this.atEnd() ? { start: nameRange.start, end: d.end } : this.tokRange(), `expected ',' or ')' in the parameter list of macro '${name}'`, 'function-macro');
        return;
      }
    }
    const bodyStart = this.tk.end[this.i];
    (this.fnMacros as Map<string, FnMacro>).set(name, { name, params, body: this.text.slice(bodyStart, d.end) });
  }

  pragma(d: RawDirective): Pragma | null {
    if (!this.isWord(K.Kproc)) return null;
    this.advance();
    if (this.kind !== T.Ident) {
      this.error(this.atEnd() ? { start: d.start, end: d.end } : this.tokRange(), "expected a setting name after '#pragma kproc'", 'pragma');
      return null;
    }
    const p: Pragma = { kind: 'Pragma', key: this.val, keyRange: this.tokRange(), args: [], range: { start: d.start, end: d.end } };
    this.advance();
    while (!this.atEnd()) {
      const start = this.start;
      if (this.is(T.Minus) && this.peekKind() === T.Number) {
        this.advance();
        p.args.push({ value: -this.tk.num(this.i), range: { start, end: this.tk.end[this.i] } });
      } else if (this.peekKind(0) === T.Number || this.peekKind(0) === T.Char) {
        p.args.push({ value: this.tk.num(this.i), range: this.tokRange() });
      } else if (this.peekKind(0) === T.String || this.peekKind(0) === T.Ident) {
        p.args.push({ value: this.val, range: this.tokRange() });
      } else {
        this.error(this.tokRange(), `unexpected ${this.describe()} in '#pragma kproc ${p.key}'`, 'pragma');
      }
      this.advance();
    }
    return p;
  }
}

function include(text: string, d: RawDirective, diagnostics: Diagnostic[]): Include | null {
  const body = text.slice(d.bodyStart, d.end);
  const m = /^\s*(?:<([^>\n]*)>|"([^"\n]*)")/.exec(body);
  if (!m) {
    diagnostics.push({ range: { start: d.start, end: d.end }, severity: 'error', code: 'syntax',
      message: '#include expects "FILENAME" or <FILENAME>' });
    return null;
  }
  return { kind: 'Include', path: m[1] ?? m[2], system: m[1] !== undefined, range: { start: d.start, end: d.end } };
}

export function parseDirectives(text: string, raw: RawDirective[], diagnostics: Diagnostic[], fnMacros = new Map<string, FnMacro>()): Directive[] {
  const out: Directive[] = [];
  for (const d of raw) {
    const range = { start: d.start, end: d.end };
    switch (d.name) {
      case 'include': {
        const inc = include(text, d, diagnostics);
        if (inc) out.push(inc);
        break;
      }
      case 'define':
      case 'pragma': {
        const lexed = lexRange(text, d.bodyStart, d.end);
        diagnostics.push(...lexed.diagnostics);
        const p = new DirectiveParser(text, lexed.tokens, diagnostics);
        p.fnMacros = fnMacros;
        const r = d.name === 'define' ? p.define(d) : p.pragma(d);
        if (r) out.push(r);
        break;
      }
      case '': case 'line': case 'ident':
        break;
      case 'error': case 'warning':
        diagnostics.push({ range, severity: d.name, code: 'preprocessor', message: `#${d.name}${text.slice(d.bodyStart, d.end)}` });
        break;
      default:
        diagnostics.push({ range: { start: d.start, end: d.nameEnd }, severity: 'warning', code: 'preprocessor',
          message: `unknown preprocessing directive '#${d.name}' is ignored` });
    }
  }
  return out;
}
