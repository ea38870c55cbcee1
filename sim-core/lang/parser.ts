// The scenario parser: top-level declarations and statements over the token stream, with error
// recovery at statement and declaration boundaries. `parse` never throws.
import { LIST_LOOP_MACROS, listLoop } from './parser-klist';
import type {
  Declarator, Diagnostic, Directive, Expr, FunctionDef, MacroDecl, Param, ParseResult, Program, Range, Stmt, TopLevel, VarDecl,
} from './ast';
import { lex, lexRange, T } from './lexer';
import { K, isKeyword, isStmtKeyword } from './lexer-codes';
import { relocate } from './parser-expr';
import { DeclParser } from './parser-decl';
import type { TypeSpec } from './parser-base';
import { parseDirectives } from './parser-directives';
import { expandText, type FnMacro } from './macros';
import { CONSTANT_TABLE, isBuiltinName } from './builtins';

type Block = Extract<Stmt, { kind: 'Block' }>;

/** Stands in for a range that is set once the node's last token is known. */
const PENDING: Range = { start: 0, end: 0 };

/** Declaration macros that define a variable (a storage class may come before them). */
const DEFINING_MACROS: ReadonlySet<string> = new Set(['LIST_HEAD', 'DEFINE_SPINLOCK']);

export class Parser extends DeclParser {
  parseProgram(directives: Directive[]): Program {
    const items: TopLevel[] = [];
    for (const d of directives) {
      if (d.kind === 'Define' && d.value?.kind === 'String') this.stringMacros.set(d.name, d.value.value);
    }
    while (!this.atEnd()) {
      const before = this.i;
      this.parseTopLevel(items);
      if (this.i === before) this.advance();
    }
    items.push(...this.localStructs.splice(0));
    if (this.enumDefines.length) {
      directives = [...directives, ...this.enumDefines].sort((a, b) => a.range.start - b.range.start);
    }
    return { kind: 'Program', items, directives, range: { start: 0, end: this.text.length } };
  }

  private parseTopLevel(items: TopLevel[]): void {
    const start = this.start;
    this.ops = 0;
    this.chainReported = false;
    if (this.eat(T.Semi)) return;
    if (this.isWord(K.Typedef)) {
      this.parseTypedef(items);
      return;
    }
    if (this.isName() && this.peekKind() === T.LParen && !this.startsType()) {
      items.push(this.parseMacroDecl());
      return;
    }
    // `static LIST_HEAD(name);`, `static DEFINE_SPINLOCK(name);`: the macros define a variable,
    // and the storage class written before them applies to it.
    if (this.isWord(K.Static) && this.peekKind() === T.Ident && this.peekKind(2) === T.LParen && DEFINING_MACROS.has(this.tk.val(this.i + 1))) {
      this.advance();
      items.push(this.parseMacroDecl());
      return;
    }
    const spec = this.parseTypeSpec();
    if (!spec) {
      this.error(this.tokRange(), `expected a declaration before ${this.describe()}`);
      this.syncTopLevel();
      return;
    }
    if (this.is(T.LBrace)) {
      const def = this.parseTagBody(spec.type, start);
      if (def) items.push(def);
      if (this.eat(T.Semi)) return;
    }
    if (this.eat(T.Semi)) return; // `struct x;` or a lone type
    const first = this.parseDeclarator(spec.type);
    if (!first) { this.syncTopLevel(); return; }
    if (this.is(T.LParen)) {
      const at = items.length;
      items.push(this.parseFunction(spec, first, start));
      // Structs defined inside the function body are laid out before the function.
      if (this.localStructs.length) items.splice(at, 0, ...this.localStructs.splice(0));
      return;
    }
    items.push(this.finishVarDecl(spec, first, start));
  }

  private parseMacroDecl(): MacroDecl {
    const start = this.start;
    const name = this.val;
    const nameRange = this.tokRange();
    this.advance();
    this.advance(); // (
    const args: Expr[] = [];
    while (!this.is(T.RParen) && !this.atEnd() && !this.is(T.Semi) && !this.is(T.LBrace)) {
      const before = this.i;
      args.push(this.parseAssign());
      if (!this.eat(T.Comma) || this.i === before) break;
    }
    this.expect(T.RParen);
    if (this.is(T.LBrace)) {
      this.error(nameRange, `'${name}' has no return type; write one, like 'int ${name}(...)'`);
      this.skipBalanced();
    } else this.expect(T.Semi, `after '${name}(...)'`);
    return { kind: 'MacroDecl', name, nameRange, args, range: this.range(start) };
  }

  private parseFunction(spec: TypeSpec, d: Declarator, start: number): FunctionDef {
    this.advance(); // (
    const params: Param[] = [];
    let variadic = false;
    if (this.isWord(K.Void) && this.peekKind() === T.RParen) this.advance();
    while (!this.is(T.RParen) && !this.atEnd() && !this.is(T.LBrace) && !this.is(T.Semi)) {
      const before = this.i;
      const pstart = this.start;
      if (this.eat(T.Ellipsis)) { variadic = true; break; }
      const pspec = this.parseTypeSpec();
      if (!pspec) {
        this.error(this.tokRange(), `expected a parameter type before ${this.describe()}`);
        while (!this.atEnd() && !this.is(T.Comma) && !this.is(T.RParen) && !this.is(T.LBrace) && !this.is(T.Semi)) this.advance();
      } else {
        let pointer = this.parsePointers();
        let pd: Declarator | null = null;
        if (this.isName() || (this.is(T.LParen) && this.peekKind() === T.Star)) {
          pd = this.parseDeclarator(pspec.type);
          if (pd) pointer += pd.pointer + (pd.arraySize !== undefined ? 1 : 0);
        } else if (this.is(T.LBracket)) { this.skipBalanced(); pointer++; }
        else if (this.is(T.LParen)) { this.skipBalanced(); if (this.is(T.LParen)) this.skipBalanced(); pointer++; }
        const p: Param = { type: { ...pspec.type, pointer: pspec.type.pointer + pointer }, range: this.range(pstart) };
        if (pd?.dims && pd.arraySize !== undefined) p.type.dims = pd.dims;
        if (pd) {
          p.name = pd.name;
          p.nameRange = pd.nameRange;
        }
        params.push(p);
      }
      if (!this.eat(T.Comma)) break;
      if (this.i === before) break;
    }
    this.expect(T.RParen, 'to close the parameter list');
    while (this.kind === T.Ident && (this.kw === K.Attribute || isKeyword(this.kw) && !isStmtKeyword(this.kw))) {
      this.advance();
      if (this.is(T.LParen)) this.skipBalanced();
    }
    const fn: FunctionDef = {
      kind: 'Function', name: d.name, nameRange: d.nameRange,
      returnType: { ...spec.type, pointer: spec.type.pointer + d.pointer }, params, variadic, range: PENDING,
    };
    if (spec.storage) fn.storage = spec.storage;
    if (this.is(T.LBrace)) {
      const close = this.typedefScope();
      for (const p of params) if (p.name) this.hideTypedef(p.name);
      try { fn.body = this.parseBlock(); } finally { close(); }
    } else if (!this.eat(T.Semi)) {
      this.expect(T.Semi, 'after the function declaration');
      this.syncTopLevel();
    }
    fn.range = this.range(start);
    return fn;
  }

  // ---- statements ----
  private parseBlock(): Block {
    const start = this.start;
    this.advance(); // {
    const body: Stmt[] = [];
    const close = this.typedefScope();
    try {
      while (!this.is(T.RBrace) && !this.atEnd()) {
        const before = this.i;
        body.push(this.parseStatement());
        if (this.i === before) this.advance();
      }
    } finally { close(); }
    this.expect(T.RBrace, 'to close the block');
    return { kind: 'Block', body, range: this.range(start) };
  }

  parseStatement(): Stmt {
    if (!this.enter()) {
      const start = this.start;
      this.syncStatement();
      return { kind: 'ErrorStmt', range: this.range(start) };
    }
    // Each statement's expressions have their own operator budget (see MAX_CHAIN).
    const outer = this.ops, reported = this.chainReported;
    this.ops = 0;
    this.chainReported = false;
    try { return this.statement(); } finally { this.leave(); this.ops = outer; this.chainReported = reported; }
  }

  private condition(): Expr {
    this.expect(T.LParen);
    const e = this.parseExpr();
    this.expect(T.RParen);
    return e;
  }

  /**
   * A statement that is a call of a macro expanding to statements (`do { ... } while (0)`, a
   * block, an `if`): the expansion is parsed as statements in its place. Null when the macro
   * expands to an expression (the expression parser takes it) or cannot be expanded.
   */
  private macroStatement(start: number): Stmt | null {
    let j = this.i + 1;
    for (let depth = 0; j < this.tk.length && this.tk.kind[j] !== T.EOF; j++) {
      if (this.tk.kind[j] === T.LParen) depth++;
      else if (this.tk.kind[j] === T.RParen && --depth === 0) break;
    }
    if (this.tk.kind[j] !== T.RParen) return null;
    let text: string;
    try { text = expandText(this.text.slice(start, this.tk.end[j]), this.fnMacros); } catch { return null; }
    let lexed = lexRange(text, 0, text.length);
    const k0 = lexed.tokens.kind[0];
    const word = lexed.tokens.val(0);
    if (k0 !== T.LBrace && !(k0 === T.Ident && ['do', 'if', 'while', 'for', 'switch', 'return'].includes(word))) return null;
    const range = { start, end: this.tk.end[j] };
    this.i = j + 1;
    const n = lexed.tokens.length - 1; // the EOF token's index
    if (k0 === T.Ident && word !== 'do' && word !== 'return' && n > 0 && lexed.tokens.kind[n - 1] === T.RParen) {
      // `#define REPEAT(n) for (...)`: the statement the macro's head governs is outside it.
      this.error(range, `a macro that expands to the head of '${word}' without its body is not supported by the simulator`, 'unsupported');
      this.syncStatement();
      return { kind: 'ErrorStmt', range: this.range(start) };
    }
    if (this.eat(T.Semi)) {
      text += ' ;';
      range.end = this.prevEnd;
      lexed = lexRange(text, 0, text.length);
    }
    const found: Diagnostic[] = [...lexed.diagnostics];
    const sub = new Parser(text, lexed.tokens, found);
    sub.noExpand = true;
    sub.stringMacros = this.stringMacros;
    for (const [k, v] of this.typedefs) sub.typedefs.set(k, v);
    sub.depth = this.depth;
    const body: Stmt[] = [];
    while (!sub.atEnd()) {
      const before = sub.i;
      body.push(sub.parseStatement());
      if (sub.i === before) sub.advance();
    }
    for (const d of found) this.diagnostics.push({ ...d, range, message: `in the expansion of a macro: ${d.message}` });
    this.localStructs.push(...sub.localStructs);
    const s: Stmt = body.length === 1 ? body[0] : { kind: 'Block', body, range };
    relocate(s, range);
    return s;
  }

  /**
   * `LIST_HEAD(name);` or `DEFINE_SPINLOCK(name);` in a function (`static` may come first): the
   * variable they define, a struct list_head (empty) or a spinlock_t (unlocked).
   */
  private localDefiningMacro(): Stmt | null {
    const st = this.isWord(K.Static) ? 1 : 0;
    const name = this.tk.kind[this.i + st] === T.Ident ? this.tk.val(this.i + st) : '';
    if (!DEFINING_MACROS.has(name) || this.fnMacros.has(name) || this.peekKind(st + 1) !== T.LParen
      || this.peekKind(st + 2) !== T.Ident || this.peekKind(st + 3) !== T.RParen) return null;
    const start = this.start;
    for (let n = 0; n < st + 2; n++) this.advance();
    const v = this.val, nameRange = this.tokRange();
    this.advance();
    this.advance();
    this.expect(T.Semi, `after ${name}(${v})`);
    const range = this.range(start);
    const decl: VarDecl = {
      kind: 'VarDecl', type: { kind: 'Type', name: name === 'LIST_HEAD' ? 'struct list_head' : 'spinlock_t', pointer: 0, range },
      declarators: [{ name: v, nameRange, pointer: 0, range }], range,
    };
    if (st) decl.storage = 'static';
    return decl;
  }

  private statement(): Stmt {
    const start = this.start;
    if (this.is(T.LBrace)) return this.parseBlock();
    if (!this.noExpand && this.fnMacros.size > 0 && this.kind === T.Ident && this.peekKind() === T.LParen && this.fnMacros.has(this.val)) {
      const s = this.macroStatement(start);
      if (s) return s;
    }
    if (this.eat(T.Semi)) return { kind: 'Empty', range: this.range(start) };
    const local = this.localDefiningMacro();
    if (local) return local;
    const loop = this.kind === T.Ident && this.peekKind() === T.LParen && !this.fnMacros.has(this.val) ? LIST_LOOP_MACROS.get(this.val) : undefined;
    if (loop) {
      const name = this.val;
      const m = this.listMacroArgs(loop);
      return listLoop(name, m.args, this.parseStatement(), m.range);
    }
    if (this.kind === T.Ident) {
      switch (this.kw) {
        case K.If: {
          this.advance();
          const test = this.condition();
          const consequent = this.parseStatement();
          if (this.isWord(K.Else)) {
            this.advance();
            const alternate = this.parseStatement();
            return { kind: 'If', test, consequent, alternate, range: this.range(start) };
          }
          return { kind: 'If', test, consequent, range: this.range(start) };
        }
        case K.While: {
          this.advance();
          const test = this.condition();
          const body = this.parseStatement();
          return { kind: 'While', test, body, range: this.range(start) };
        }
        case K.Do: {
          this.advance();
          const body = this.parseStatement();
          if (this.isWord(K.While)) this.advance();
          else this.error(this.tokRange(), "expected 'while' after the do body");
          const test = this.condition();
          this.endStatement();
          return { kind: 'DoWhile', body, test, range: this.range(start) };
        }
        case K.For: return this.parseFor(start);
        case K.Switch: {
          this.advance();
          const test = this.condition();
          const body = this.parseStatement();
          return { kind: 'Switch', test, body, range: this.range(start) };
        }
        case K.Case: {
          this.advance();
          const value = this.parseConditional();
          this.expect(T.Colon, 'after the case label');
          return { kind: 'Case', value, range: this.range(start) };
        }
        case K.Default:
          this.advance();
          this.expect(T.Colon, "after 'default'");
          return { kind: 'Default', range: this.range(start) };
        case K.Break: this.advance(); this.endStatement(); return { kind: 'Break', range: this.range(start) };
        case K.Continue: this.advance(); this.endStatement(); return { kind: 'Continue', range: this.range(start) };
        case K.Return: {
          this.advance();
          if (this.eat(T.Semi)) return { kind: 'Return', range: this.range(start) };
          const value = this.parseExpr();
          this.endStatement();
          return { kind: 'Return', value, range: this.range(start) };
        }
        case K.Typedef: {
          this.parseTypedef(this.localStructs);
          return { kind: 'Empty', range: this.range(start) };
        }
        case K.Goto: {
          this.advance();
          if (!this.isName()) {
            this.error(this.tokRange(), `expected a label name after 'goto' before ${this.describe()}`);
            this.syncStatement();
            return { kind: 'ErrorStmt', range: this.range(start) };
          }
          const label = this.val;
          const labelRange = this.tokRange();
          this.advance();
          this.endStatement();
          return { kind: 'Goto', label, labelRange, range: this.range(start) };
        }
        case K.Else:
          this.error(this.tokRange(), "'else' without a previous 'if'");
          this.advance();
          return { kind: 'ErrorStmt', range: this.range(start) };
        default:
          if (this.startsType()) return this.parseLocalDecl(start);
          if (this.peekKind() === T.Colon && !isKeyword(this.kw)) {
            const name = this.val;
            const nameRange = this.tokRange();
            this.advance(); this.advance();
            return { kind: 'Label', name, nameRange, range: this.range(start) };
          }
      }
    }
    const before = this.i;
    const expr = this.parseExpr();
    if (expr.kind === 'ErrorExpr') {
      if (this.i === before) this.advance();
      this.syncStatement();
      return { kind: 'ErrorStmt', range: this.range(start) };
    }
    this.endStatement();
    return { kind: 'ExprStmt', expr, range: this.range(start) };
  }

  private parseLocalDecl(start: number): Stmt {
    const spec = this.parseTypeSpec();
    if (!spec) return { kind: 'ErrorStmt', range: this.range(start) };
    if (this.is(T.LBrace)) {
      const def = this.parseTagBody(spec.type, start);
      if (def) this.localStructs.push(def);
    }
    if (this.eat(T.Semi)) return { kind: 'Empty', range: this.range(start) };
    const first = this.parseDeclarator(spec.type);
    if (!first) {
      this.syncStatement();
      return { kind: 'ErrorStmt', range: this.range(start) };
    }
    if (this.is(T.LParen)) {
      this.error(this.tokRange(), 'functions cannot be declared inside a function');
      this.skipBalanced();
      this.syncStatement();
      return { kind: 'ErrorStmt', range: this.range(start) };
    }
    const decl = this.finishVarDecl(spec, first, start);
    for (const d of decl.declarators) this.hideTypedef(d.name);
    return decl;
  }

  private parseFor(start: number): Stmt {
    this.advance();
    this.expect(T.LParen);
    let init: VarDecl | { kind: 'ExprStmt'; expr: Expr; range: { start: number; end: number } } | undefined;
    if (!this.eat(T.Semi)) {
      const istart = this.start;
      if (this.startsType()) {
        const d = this.parseLocalDecl(istart);
        if (d.kind === 'VarDecl') init = d;
      } else {
        const expr = this.parseExpr();
        init = { kind: 'ExprStmt', expr, range: this.range(istart) };
        this.expect(T.Semi);
      }
    }
    const test = this.is(T.Semi) ? undefined : this.parseExpr();
    this.expect(T.Semi);
    const update = this.is(T.RParen) ? undefined : this.parseExpr();
    this.expect(T.RParen);
    const body = this.parseStatement();
    const s: Stmt = { kind: 'For', body, range: this.range(start) };
    if (init) s.init = init;
    if (test) s.test = test;
    if (update) s.update = update;
    return s;
  }
}

/** Parses a scenario. Never throws: bad input gives diagnostics and placeholder nodes. */
export function parse(text: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    const lexed = lex(text, (n) => isBuiltinName(n) || CONSTANT_TABLE.has(n));
    diagnostics.push(...lexed.diagnostics);
    const fnMacros = new Map<string, FnMacro>();
    const directives = parseDirectives(text, lexed.directives, diagnostics, fnMacros);
    const parser = new Parser(text, lexed.tokens, diagnostics);
    parser.fnMacros = fnMacros;
    const program = parser.parseProgram(directives);
    // Nothing in the result refers to the tokens, so their buffer can serve the next parse.
    lexed.tokens.recycle();
    diagnostics.sort((a, b) => a.range.start - b.range.start);
    return { program, diagnostics };
  } catch (e) {
    // A parser bug must not take the editor or the runner down; report it where it can be seen.
    diagnostics.push({ range: { start: 0, end: 0 }, severity: 'error', code: 'internal', message: `internal parser error: ${String(e)}` });
    return { program: { kind: 'Program', items: [], directives: [], range: { start: 0, end: text.length } }, diagnostics };
  }
}
