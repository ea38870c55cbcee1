// The scenario parser: top-level declarations and statements over the token stream, with error
// recovery at statement and declaration boundaries. `parse` never throws.
import type {
  Declarator, Diagnostic, Directive, Expr, FunctionDef, MacroDecl, Param, ParseResult, Program, Stmt, StructDef,
  StructField, TopLevel, TypeRef, VarDecl,
} from './ast';
import { lex, T } from './lexer';
import { ExprParser } from './parser-expr';
import { KEYWORDS, type TypeSpec } from './parser-base';
import { parseDirectives } from './parser-directives';
import { CONSTANT_TABLE, isBuiltinName } from './builtins';

type Block = Extract<Stmt, { kind: 'Block' }>;

const STMT_KEYWORDS: ReadonlySet<string> = new Set(['if', 'while', 'do', 'for', 'switch', 'case', 'default', 'break',
  'continue', 'return', 'goto']);

export class Parser extends ExprParser {
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
    return { kind: 'Program', items, directives, range: { start: 0, end: this.text.length } };
  }

  /** Skips to the end of a broken top-level declaration: past `;` or a balanced `}`. */
  private syncTopLevel(): void {
    while (!this.atEnd()) {
      if (this.is(';')) { this.advance(); return; }
      if (this.is('{')) { this.skipBalanced(); if (this.is(';')) this.advance(); return; }
      if (this.is('}')) { this.advance(); return; }
      this.advance();
      if (this.tk.nl[this.i] && this.startsType()) return;
    }
  }

  private parseTopLevel(items: TopLevel[]): void {
    const start = this.start;
    if (this.eat(';')) return;
    if (this.isWord('typedef')) {
      this.error(this.tokRange(), 'typedef is not supported in scenarios; write the type out', 'unsupported');
      this.syncTopLevel();
      return;
    }
    if (this.kind === T.Ident && !KEYWORDS.has(this.val) && !this.startsType() && this.peekVal() === '(') {
      items.push(this.parseMacroDecl());
      return;
    }
    const spec = this.parseTypeSpec();
    if (!spec) {
      this.error(this.tokRange(), `expected a declaration before ${this.describe()}`);
      this.syncTopLevel();
      return;
    }
    if (spec.type.name.startsWith('struct ') && this.is('{')) {
      const def = this.parseStructBody(spec.type, start);
      if (def) items.push(def);
      if (this.eat(';')) return;
    } else if (spec.type.name.startsWith('enum ') && this.is('{')) {
      this.error(this.tokRange(), 'enum is not supported in scenarios; use #define for named constants', 'unsupported');
      this.syncTopLevel();
      return;
    }
    if (this.eat(';')) return; // `struct x;` or a lone type
    const first = this.parseDeclarator(spec.type);
    if (!first) { this.syncTopLevel(); return; }
    if (this.is('(')) {
      items.push(this.parseFunction(spec, first, start));
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
    while (!this.is(')') && !this.atEnd() && !this.is(';') && !this.is('{')) {
      const before = this.i;
      args.push(this.parseAssign());
      if (!this.eat(',') || this.i === before) break;
    }
    this.expect(')');
    if (this.is('{')) {
      this.error(nameRange, `'${name}' has no return type; write one, like 'int ${name}(...)'`);
      this.skipBalanced();
    } else this.expect(';', `after '${name}(...)'`);
    return { kind: 'MacroDecl', name, nameRange, args, range: this.range(start) };
  }

  private parseStructBody(type: TypeRef, start: number): StructDef | null {
    const name = type.name.slice(7);
    const nameRange = { start: Math.max(type.range.start, type.range.end - name.length), end: type.range.end };
    this.advance(); // {
    const fields: StructField[] = [];
    while (!this.is('}') && !this.atEnd()) {
      const before = this.i;
      const fstart = this.start;
      const spec = this.parseTypeSpec();
      if (!spec) {
        this.error(this.tokRange(), `expected a field declaration before ${this.describe()}`);
        while (!this.atEnd() && !this.is(';') && !this.is('}')) this.advance();
        this.eat(';');
      } else {
        for (;;) {
          const d = this.parseDeclarator(spec.type);
          if (!d) break;
          const f: StructField = {
            type: { ...spec.type, pointer: spec.type.pointer + d.pointer }, name: d.name, nameRange: d.nameRange, range: this.range(fstart),
          };
          if (d.arraySize !== undefined) f.arraySize = d.arraySize;
          fields.push(f);
          if (!this.eat(',')) break;
        }
        this.expect(';', 'after a field');
      }
      if (this.i === before) this.advance();
    }
    this.expect('}');
    return { kind: 'Struct', name, nameRange, fields, range: this.range(start) };
  }

  /**
   * One declarator: `*`s, a name (or `(*name)(params)` for a function pointer), array suffixes.
   * The pointer count on the result is relative to the base type.
   */
  private parseDeclarator(base: TypeRef): Declarator | null {
    const start = this.start;
    let pointer = this.parsePointers();
    let name = '';
    let nameRange = this.tokRange();
    if (this.is('(') && this.peekVal() === '*') {
      this.advance();
      pointer += this.parsePointers() ;
      if (this.kind === T.Ident) { name = this.val; nameRange = this.tokRange(); this.advance(); }
      this.expect(')');
      if (this.is('(')) this.skipBalanced();
    } else if (this.kind === T.Ident && !KEYWORDS.has(this.val)) {
      name = this.val;
      nameRange = this.tokRange();
      this.advance();
    }
    if (!name) {
      this.error(this.tokRange(), `expected an identifier after '${base.name}' before ${this.describe()}`);
      return null;
    }
    const d: Declarator = { name, nameRange, pointer, range: this.range(start) };
    if (this.is('[')) {
      this.advance();
      d.arraySize = this.is(']') ? null : this.parseAssign();
      this.expect(']');
      while (this.is('[')) {
        this.error(this.tokRange(), 'arrays of arrays are not supported', 'unsupported');
        this.skipBalanced();
      }
    }
    while (this.kind === T.Ident && this.val === '__attribute__') { this.advance(); if (this.is('(')) this.skipBalanced(); }
    d.range = this.range(start);
    return d;
  }

  private finishVarDecl(spec: TypeSpec, first: Declarator, start: number): VarDecl {
    const declarators: Declarator[] = [];
    let d: Declarator | null = first;
    while (d) {
      if (this.eat('=')) {
        d.init = this.is('{') ? this.parseInitList() : this.parseAssign();
        d.range = this.range(d.range.start);
      }
      declarators.push(d);
      if (!this.eat(',')) break;
      d = this.parseDeclarator(spec.type);
    }
    if (!this.expect(';', 'after the declaration')) this.syncStatement();
    const decl: VarDecl = { kind: 'VarDecl', type: spec.type, declarators, range: this.range(start) };
    if (spec.storage) decl.storage = spec.storage;
    return decl;
  }

  private parseFunction(spec: TypeSpec, d: Declarator, start: number): FunctionDef {
    this.advance(); // (
    const params: Param[] = [];
    let variadic = false;
    if (this.isWord('void') && this.peekVal() === ')') this.advance();
    while (!this.is(')') && !this.atEnd() && !this.is('{') && !this.is(';')) {
      const before = this.i;
      const pstart = this.start;
      if (this.eat('...')) { variadic = true; break; }
      const pspec = this.parseTypeSpec();
      if (!pspec) {
        this.error(this.tokRange(), `expected a parameter type before ${this.describe()}`);
        while (!this.atEnd() && !this.is(',') && !this.is(')') && !this.is('{') && !this.is(';')) this.advance();
      } else {
        let pointer = this.parsePointers();
        const p: Param = { type: pspec.type, range: this.range(pstart) };
        if (this.kind === T.Ident && !KEYWORDS.has(this.val) || (this.is('(') && this.peekVal() === '*')) {
          const pd = this.parseDeclarator(pspec.type);
          if (pd) {
            pointer += pd.pointer + (pd.arraySize !== undefined ? 1 : 0);
            p.name = pd.name;
            p.nameRange = pd.nameRange;
          }
        } else if (this.is('[')) { this.skipBalanced(); pointer++; }
        else if (this.is('(')) { this.skipBalanced(); if (this.is('(')) this.skipBalanced(); pointer++; }
        p.type = { ...pspec.type, pointer: pspec.type.pointer + pointer };
        p.range = this.range(pstart);
        params.push(p);
      }
      if (!this.eat(',')) break;
      if (this.i === before) break;
    }
    this.expect(')', 'to close the parameter list');
    while (this.kind === T.Ident && (this.val === '__attribute__' || KEYWORDS.has(this.val) && !STMT_KEYWORDS.has(this.val))) {
      this.advance();
      if (this.is('(')) this.skipBalanced();
    }
    const fn: FunctionDef = {
      kind: 'Function', name: d.name, nameRange: d.nameRange,
      returnType: { ...spec.type, pointer: spec.type.pointer + d.pointer }, params, variadic, range: this.range(start),
    };
    if (spec.storage) fn.storage = spec.storage;
    if (this.is('{')) {
      fn.body = this.parseBlock();
    } else if (!this.eat(';')) {
      this.expect(';', 'after the function declaration');
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
    while (!this.is('}') && !this.atEnd()) {
      const before = this.i;
      body.push(this.parseStatement());
      if (this.i === before) this.advance();
    }
    this.expect('}', 'to close the block');
    return { kind: 'Block', body, range: this.range(start) };
  }

  /** After a statement-level error: skip to the next `;` (consumed) or before `}`. */
  private syncStatement(): void {
    while (!this.atEnd() && !this.is('}')) {
      if (this.is(';')) { this.advance(); return; }
      if (this.is('{')) { this.skipBalanced(); return; }
      this.advance();
      if (this.tk.nl[this.i] && this.kind === T.Ident && (STMT_KEYWORDS.has(this.val) || this.startsType())) return;
    }
  }

  private endStatement(): void {
    if (!this.expect(';', 'after the statement')) this.syncStatement();
  }

  parseStatement(): Stmt {
    if (!this.enter()) {
      const start = this.start;
      this.syncStatement();
      return { kind: 'ErrorStmt', range: this.range(start) };
    }
    try { return this.statement(); } finally { this.leave(); }
  }

  private condition(): Expr {
    this.expect('(');
    const e = this.parseExpr();
    this.expect(')');
    return e;
  }

  private statement(): Stmt {
    const start = this.start;
    if (this.kind === T.Punct) {
      if (this.is('{')) return this.parseBlock();
      if (this.eat(';')) return { kind: 'Empty', range: this.range(start) };
    }
    if (this.kind === T.Ident) {
      switch (this.val) {
        case 'if': {
          this.advance();
          const test = this.condition();
          const consequent = this.parseStatement();
          if (this.isWord('else')) {
            this.advance();
            const alternate = this.parseStatement();
            return { kind: 'If', test, consequent, alternate, range: this.range(start) };
          }
          return { kind: 'If', test, consequent, range: this.range(start) };
        }
        case 'while': {
          this.advance();
          const test = this.condition();
          const body = this.parseStatement();
          return { kind: 'While', test, body, range: this.range(start) };
        }
        case 'do': {
          this.advance();
          const body = this.parseStatement();
          if (this.isWord('while')) this.advance();
          else this.error(this.tokRange(), "expected 'while' after the do body");
          const test = this.condition();
          this.endStatement();
          return { kind: 'DoWhile', body, test, range: this.range(start) };
        }
        case 'for': return this.parseFor(start);
        case 'switch': {
          this.advance();
          const test = this.condition();
          const body = this.parseStatement();
          return { kind: 'Switch', test, body, range: this.range(start) };
        }
        case 'case': {
          this.advance();
          const value = this.parseConditional();
          this.expect(':', 'after the case label');
          return { kind: 'Case', value, range: this.range(start) };
        }
        case 'default':
          this.advance();
          this.expect(':', "after 'default'");
          return { kind: 'Default', range: this.range(start) };
        case 'break': this.advance(); this.endStatement(); return { kind: 'Break', range: this.range(start) };
        case 'continue': this.advance(); this.endStatement(); return { kind: 'Continue', range: this.range(start) };
        case 'return': {
          this.advance();
          if (this.eat(';')) return { kind: 'Return', range: this.range(start) };
          const value = this.parseExpr();
          this.endStatement();
          return { kind: 'Return', value, range: this.range(start) };
        }
        case 'goto':
          this.error(this.tokRange(), 'goto is not supported in scenarios', 'unsupported');
          this.syncStatement();
          return { kind: 'ErrorStmt', range: this.range(start) };
        case 'else':
          this.error(this.tokRange(), "'else' without a previous 'if'");
          this.advance();
          return { kind: 'ErrorStmt', range: this.range(start) };
        default:
          if (this.startsType()) return this.parseLocalDecl(start);
          if (this.peekVal() === ':' && this.peekKind() === T.Punct && !KEYWORDS.has(this.val)) {
            this.error(this.tokRange(), 'labels are not supported in scenarios', 'unsupported');
            this.advance(); this.advance();
            return { kind: 'ErrorStmt', range: this.range(start) };
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
    if (this.is('{')) {
      this.error(this.tokRange(), 'define structs at file scope, not inside a function', 'unsupported');
      this.skipBalanced();
      this.syncStatement();
      return { kind: 'ErrorStmt', range: this.range(start) };
    }
    if (this.eat(';')) return { kind: 'Empty', range: this.range(start) };
    const first = this.parseDeclarator(spec.type);
    if (!first) {
      this.syncStatement();
      return { kind: 'ErrorStmt', range: this.range(start) };
    }
    if (this.is('(')) {
      this.error(this.tokRange(), 'functions cannot be declared inside a function');
      this.skipBalanced();
      this.syncStatement();
      return { kind: 'ErrorStmt', range: this.range(start) };
    }
    return this.finishVarDecl(spec, first, start);
  }

  private parseFor(start: number): Stmt {
    this.advance();
    this.expect('(');
    let init: VarDecl | { kind: 'ExprStmt'; expr: Expr; range: { start: number; end: number } } | undefined;
    if (!this.eat(';')) {
      const istart = this.start;
      if (this.startsType()) {
        const d = this.parseLocalDecl(istart);
        if (d.kind === 'VarDecl') init = d;
      } else {
        const expr = this.parseExpr();
        init = { kind: 'ExprStmt', expr, range: this.range(istart) };
        this.expect(';');
      }
    }
    const test = this.is(';') ? undefined : this.parseExpr();
    this.expect(';');
    const update = this.is(')') ? undefined : this.parseExpr();
    this.expect(')');
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
    const directives = parseDirectives(text, lexed.directives, diagnostics);
    const program = new Parser(text, lexed.tokens, diagnostics).parseProgram(directives);
    diagnostics.sort((a, b) => a.range.start - b.range.start);
    return { program, diagnostics };
  } catch (e) {
    // A parser bug must not take the editor or the runner down; report it where it can be seen.
    diagnostics.push({ range: { start: 0, end: 0 }, severity: 'error', code: 'internal', message: `internal parser error: ${String(e)}` });
    return { program: { kind: 'Program', items: [], directives: [], range: { start: 0, end: text.length } }, diagnostics };
  }
}
