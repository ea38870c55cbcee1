// Declarations for the scenario parser: declarators, struct and union bodies, enum constants and
// typedefs, with the recovery they share with statements. `Parser` (parser.ts) builds on this.
import type { Declarator, Define, Expr, Range, StructDef, StructField, TopLevel, TypeRef, VarDecl } from './ast';
import { isFloatingText, T } from './lexer';
import { K, isStmtKeyword } from './lexer-codes';
import { ExprParser } from './parser-expr';
import type { TypeSpec } from './parser-base';

/** The value of a literal (`5`, `-1`), or undefined for any other expression. */
function literalValue(e: Expr): number | undefined {
  if (e.kind === 'Number' || e.kind === 'Char') return e.value;
  if (e.kind === 'Unary' && e.op === '-' && (e.operand.kind === 'Number' || e.operand.kind === 'Char')) return -e.operand.value;
  return undefined;
}

/** An integer literal with the value n, written as C would (`-2` is minus applied to 2). */
function numberExpr(n: number, range: Range): Expr {
  const lit: Expr = { kind: 'Number', value: Math.abs(n), text: String(Math.abs(n)), range };
  return n < 0 ? { kind: 'Unary', op: '-', operand: lit, range } : lit;
}

export class DeclParser extends ExprParser {
  /** Enumerators read so far, given to the program as named constants. */
  protected readonly enumDefines: Define[] = [];
  /** Structs defined inside the function being read, placed before it. */
  protected readonly localStructs: StructDef[] = [];

  /** Skips to the end of a broken top-level declaration: past `;` or a balanced `}`. */
  protected syncTopLevel(): void {
    while (!this.atEnd()) {
      if (this.is(T.Semi)) { this.advance(); return; }
      if (this.is(T.LBrace)) { this.skipBalanced(); if (this.is(T.Semi)) this.advance(); return; }
      if (this.is(T.RBrace)) { this.advance(); return; }
      this.advance();
      if (this.tk.nl[this.i] && this.startsType()) return;
    }
  }

  /** The `{...}` after `struct x`, `union x` or `enum x`: a struct layout, or enum constants. */
  protected parseTagBody(type: TypeRef, start: number): StructDef | null {
    if (type.name.startsWith('enum ')) { this.parseEnumBody(); return null; }
    if (!type.name.startsWith('struct ')) { this.skipBalanced(); return null; }
    const union = this.tagWord === 'union';
    const def = this.parseStructBody(type, start);
    if (def && union) def.union = true;
    return def;
  }

  /**
   * `{ RED, GREEN = 5, BLUE }`: each enumerator becomes a named constant, as a `#define` would be,
   * numbered from 0 or from the last value written (C's rule); enum types are int.
   */
  protected parseEnumBody(): void {
    this.advance(); // {
    let base: Expr | null = null;
    let next = 0;
    while (!this.is(T.RBrace) && !this.atEnd()) {
      if (!this.isName()) {
        this.error(this.tokRange(), `expected an enumerator name before ${this.describe()}`);
        while (!this.atEnd() && !this.is(T.Comma) && !this.is(T.RBrace)) this.advance();
        if (!this.eat(T.Comma)) break;
        continue;
      }
      const name = this.val;
      const nameRange = this.tokRange();
      this.advance();
      let value: Expr;
      if (this.eat(T.Assign)) {
        value = this.parseConditional();
        const lit = value.kind === 'Unary' && value.op === '-' ? value.operand : value;
        if (lit.kind === 'Number' && isFloatingText(lit.text)) {
          this.error(value.range, `enumerator value for '${name}' is not an integer constant`);
          value = numberExpr(next, nameRange);
        }
        const n = literalValue(value);
        base = n === undefined ? value : null;
        next = n === undefined ? 1 : n + 1;
      } else {
        const num = numberExpr(next, nameRange);
        value = base ? { kind: 'Binary', op: '+', left: base, right: num, range: nameRange } : num;
        next++;
      }
      this.enumDefines.push({ kind: 'Define', name, nameRange, value, range: this.range(nameRange.start) });
      if (!this.eat(T.Comma)) break;
    }
    this.expect(T.RBrace);
  }

  /**
   * `typedef T NAME;`, `typedef struct {...} NAME;`, `typedef void (*NAME)(int);`: NAME stands for
   * the type where it is written afterwards. An anonymous struct takes NAME as its tag.
   */
  protected parseTypedef(items: TopLevel[]): void {
    const start = this.start;
    this.advance(); // typedef
    const spec = this.parseTypeSpec();
    if (!spec) {
      this.error(this.tokRange(), `expected a type after 'typedef' before ${this.describe()}`);
      this.syncTopLevel();
      return;
    }
    let base = spec.type;
    let def: StructDef | null = null;
    if (this.is(T.LBrace)) {
      def = this.parseTagBody(base, start);
      if (def) items.push(def);
    }
    for (;;) {
      const d = this.parseDeclarator(base);
      if (!d) { this.syncTopLevel(); return; }
      if (def && def.name === '<anonymous>') {
        def.name = d.name;
        def.nameRange = d.nameRange;
        base = { ...base, name: `struct ${d.name}` };
      }
      if (d.arraySize !== undefined || this.is(T.LParen)) {
        this.error(d.nameRange, `typedef of ${d.arraySize !== undefined ? 'an array' : 'a function'} type is not supported by the simulator; write the type out`, 'unsupported');
        if (this.is(T.LParen)) this.skipBalanced();
      }
      // Even a refused typedef names a type from here on, so its uses add no errors of their own.
      this.typedefs.set(d.name, { ...base, pointer: base.pointer + d.pointer });
      if (!this.eat(T.Comma)) break;
    }
    this.expect(T.Semi, 'after the typedef');
  }

  protected parseStructBody(type: TypeRef, start: number): StructDef | null {
    const name = type.name.slice(type.name.indexOf(' ') + 1);
    const nameRange = { start: Math.max(type.range.start, type.range.end - name.length), end: type.range.end };
    this.advance(); // {
    const fields: StructField[] = [];
    while (!this.is(T.RBrace) && !this.atEnd()) {
      const before = this.i;
      const fstart = this.start;
      const spec = this.parseTypeSpec();
      if (!spec) {
        this.error(this.tokRange(), `expected a field declaration before ${this.describe()}`);
        while (!this.atEnd() && !this.is(T.Semi) && !this.is(T.RBrace)) this.advance();
        this.eat(T.Semi);
      } else {
        for (;;) {
          const d = this.parseDeclarator(spec.type);
          if (!d) break;
          const f: StructField = {
            type: { ...spec.type, pointer: spec.type.pointer + d.pointer }, name: d.name, nameRange: d.nameRange, range: this.range(fstart),
          };
          if (d.arraySize !== undefined) f.arraySize = d.arraySize;
          if (d.dims) f.dims = d.dims;
          fields.push(f);
          if (!this.eat(T.Comma)) break;
        }
        this.expect(T.Semi, 'after a field');
      }
      if (this.i === before) this.advance();
    }
    this.expect(T.RBrace);
    return { kind: 'Struct', name, nameRange, fields, range: this.range(start) };
  }

  /**
   * One declarator: `*`s, a name (or `(*name)(params)` for a function pointer), array suffixes.
   * The pointer count on the result is relative to the base type.
   */
  protected parseDeclarator(base: TypeRef): Declarator | null {
    const start = this.start;
    let pointer = this.parsePointers();
    let name = '';
    let nameRange: Range | null = null;
    let inner: { arraySize: Expr | null; dims?: Expr[] } | null = null;
    if (this.is(T.LParen) && this.peekKind() === T.Star) {
      this.advance();
      pointer += this.parsePointers() ;
      if (this.kind === T.Ident) { name = this.val; nameRange = this.tokRange(); this.advance(); }
      // `(*table[N])(params)`: an array of function pointers.
      if (name && this.is(T.LBracket)) inner = this.parseArraySuffix();
      this.expect(T.RParen);
      if (this.is(T.LParen)) this.skipBalanced();
      else if (this.is(T.LBracket)) {
        this.error(this.tokRange(), 'a pointer to an array (`int (*p)[N]`) is not supported by the simulator; use a pointer to the first element', 'unsupported');
        while (this.is(T.LBracket)) this.skipBalanced();
      }
    } else if (this.isName()) {
      name = this.val;
      nameRange = this.tokRange();
      this.advance();
    }
    if (!name || !nameRange) {
      this.error(this.tokRange(), `expected an identifier after '${base.name}' before ${this.describe()}`);
      return null;
    }
    const suffix = inner ?? (this.is(T.LBracket) ? this.parseArraySuffix() : null);
    const arraySize = suffix ? suffix.arraySize : undefined;
    const dimsOf = suffix?.dims;
    while (this.isWord(K.Attribute)) { this.advance(); if (this.is(T.LParen)) this.skipBalanced(); }
    const d: Declarator = { name, nameRange, pointer, range: this.range(start) };
    if (arraySize !== undefined) d.arraySize = arraySize;
    if (dimsOf) d.dims = dimsOf;
    return d;
  }

  /** `[N][M]...` after a declarator's name: the first size (null for `[]`) and the rest. */
  private parseArraySuffix(): { arraySize: Expr | null; dims?: Expr[] } {
    this.advance();
    const arraySize = this.is(T.RBracket) ? null : this.parseAssign();
    this.expect(T.RBracket);
    const dims: Expr[] = [];
    while (this.is(T.LBracket)) {
      if (this.peekKind() === T.RBracket) {
        this.error(this.tokRange(), 'array type has incomplete element type: only the first size may be left out');
        this.skipBalanced();
        continue;
      }
      this.advance();
      dims.push(this.parseAssign());
      this.expect(T.RBracket);
    }
    return dims.length ? { arraySize, dims } : { arraySize };
  }

  protected finishVarDecl(spec: TypeSpec, first: Declarator, start: number): VarDecl {
    const declarators: Declarator[] = [];
    let d: Declarator | null = first;
    while (d) {
      if (this.eat(T.Assign)) {
        d.init = this.is(T.LBrace) ? this.parseInitList() : this.parseAssign();
        d.range = this.range(d.range.start);
      }
      declarators.push(d);
      if (!this.eat(T.Comma)) break;
      d = this.parseDeclarator(spec.type);
    }
    if (!this.expect(T.Semi, 'after the declaration')) this.syncStatement();
    const decl: VarDecl = { kind: 'VarDecl', type: spec.type, declarators, range: this.range(start) };
    if (spec.storage) decl.storage = spec.storage;
    return decl;
  }

  /** After a statement-level error: skip to the next `;` (consumed) or before `}`. */
  protected syncStatement(): void {
    while (!this.atEnd() && !this.is(T.RBrace)) {
      if (this.is(T.Semi)) { this.advance(); return; }
      if (this.is(T.LBrace)) { this.skipBalanced(); return; }
      this.advance();
      if (this.tk.nl[this.i] && this.kind === T.Ident && (isStmtKeyword(this.kw) || this.startsType())) return;
    }
  }

  protected endStatement(): void {
    if (!this.expect(T.Semi, 'after the statement')) this.syncStatement();
  }
}
