// Expressions with C precedence: assignment and comma by recursive descent, binary operators by
// precedence climbing, casts and sizeof decided by whether a type follows the parenthesis.
import { LIST_EXPR_MACROS, listExpr, type MacroArg } from './parser-klist';
import type { AssignOp, BinaryOp, Diagnostic, Expr, Range, UnaryOp } from './ast';
import { lexRange, T } from './lexer';
import { expandText, MacroError, type FnMacro } from './macros';
import { BINARY_PREC, K, isAssignOp, isUnaryOp } from './lexer-codes';
import { ParserBase } from './parser-base';
import { constantsInGroup } from './builtins';

const PRINTK_LEVELS: ReadonlyArray<[string, string]> = constantsInGroup('printk-level').map((c) => [c.name, String(c.value)]);

/** Whether an integer literal's text exceeds unsigned long long (64 bits), as gcc refuses it; false for floating literals. */
function integerTooLarge(text: string): boolean {
  const body = text.replace(/[uUlL]+$/, '');
  let digits: string;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) digits = body;
  else if (/^0[bB][01]+$/.test(body)) digits = body;
  else if (/^0[0-7]+$/.test(body)) digits = `0o${body.slice(1)}`;
  else if (/^[1-9][0-9]*$/.test(body)) digits = body;
  else return false;
  return BigInt(digits) > 0xffffffffffffffffn;
}

export class ExprParser extends ParserBase {
  /** String-valued names that C pastes onto a following literal (`KERN_INFO "msg"`). */
  protected stringMacros = new Map<string, string>(PRINTK_LEVELS);
  /** The file's function-like macros, expanded where they are called. */
  fnMacros: ReadonlyMap<string, FnMacro> = new Map();
  /** Set on the parser of an expansion: its text has no macro call left to expand. */
  protected noExpand = false;

  /**
   * `MAX(a, b)` where MAX is a function-like macro: the call's text is expanded as the C
   * preprocessor would and the result parsed in its place. What it becomes is located at the call.
   */
  protected macroCall(name: string): Expr {
    const start = this.start;
    let j = this.i + 1;
    for (let depth = 0; j < this.tk.length && this.tk.kind[j] !== T.EOF; j++) {
      if (this.tk.kind[j] === T.LParen) depth++;
      else if (this.tk.kind[j] === T.RParen && --depth === 0) break;
    }
    if (this.tk.kind[j] !== T.RParen) {
      const range = { start, end: this.tk.end[this.i] };
      this.error(range, `unterminated argument list invoking macro '${name}'`, 'macro');
      this.advance();
      return { kind: 'ErrorExpr', range };
    }
    const range = { start, end: this.tk.end[j] };
    this.i = j + 1;
    let text: string;
    try {
      text = expandText(this.text.slice(start, range.end), this.fnMacros);
    } catch (e) {
      if (!(e instanceof MacroError)) throw e;
      this.error(range, e.message, 'macro');
      return { kind: 'ErrorExpr', range };
    }
    const lexed = lexRange(text, 0, text.length);
    const found: Diagnostic[] = [...lexed.diagnostics];
    const sub = new ExprParser(text, lexed.tokens, found);
    sub.noExpand = true;
    sub.stringMacros = this.stringMacros;
    for (const [k, v] of this.typedefs) sub.typedefs.set(k, v);
    sub.depth = this.depth;
    sub.ops = this.ops;
    const e = sub.parseExpr();
    if (!sub.atEnd() && found.length === 0) {
      found.push({ range, severity: 'error', code: 'macro-body', message: `'${name}' does not expand to one expression here (it expands to '${text}')` });
    }
    this.ops = sub.ops;
    for (const d of found) this.diagnostics.push({ ...d, range, message: `in the expansion of macro '${name}': ${d.message}` });
    relocate(e, range);
    return e;
  }

  protected errorExpr(): Expr {
    const r = this.tokRange();
    this.error(r, `expected expression${this.atEnd() ? ' at end of input' : ` before ${this.describe()}`}`);
    return { kind: 'ErrorExpr', range: { start: r.start, end: r.end } };
  }

  /** expression: assignments separated by commas. */
  parseExpr(): Expr {
    let left = this.parseAssign();
    while (this.is(T.Comma)) {
      const at = this.tokRange();
      this.advance();
      const right = this.parseAssign();
      if (!this.chain(at)) continue;
      left = { kind: 'Comma', left, right, range: { start: left.range.start, end: right.range.end } };
    }
    return left;
  }

  parseAssign(): Expr {
    if (!this.enter()) return { kind: 'ErrorExpr', range: this.tokRange() };
    try {
      const target = this.parseConditional();
      if (isAssignOp(this.kind)) {
        const op = this.val as AssignOp;
        this.advance();
        const value = this.parseAssign();
        return { kind: 'Assign', op, target, value, range: { start: target.range.start, end: value.range.end } };
      }
      return target;
    } finally { this.leave(); }
  }

  parseConditional(): Expr {
    const test = this.parseBinary(1);
    if (!this.is(T.Question)) return test;
    this.advance();
    const consequent = this.parseExpr();
    this.expect(T.Colon, 'in conditional expression');
    const alternate = this.parseConditionalGuarded();
    return { kind: 'Conditional', test, consequent, alternate, range: { start: test.range.start, end: alternate.range.end } };
  }

  private parseConditionalGuarded(): Expr {
    if (!this.enter()) return { kind: 'ErrorExpr', range: this.tokRange() };
    try { return this.parseConditional(); } finally { this.leave(); }
  }

  private parseBinary(minPrec: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const prec = BINARY_PREC[this.kind];
      if (prec === 0 || prec < minPrec) return left;
      const op = this.val as BinaryOp;
      const at = this.tokRange();
      this.advance();
      const right = this.parseBinary(prec + 1);
      // Past the limit the operands are still read (the parse stays in step) but not kept.
      if (!this.chain(at)) continue;
      left = { kind: 'Binary', op, left, right, range: { start: left.range.start, end: right.range.end } };
    }
  }

  parseUnary(): Expr {
    if (!this.enter()) { this.advance(); return { kind: 'ErrorExpr', range: { start: this.prevEnd, end: this.prevEnd } }; }
    try {
      const start = this.start;
      const k: T = this.kind;
      if (isUnaryOp(k)) {
        const v = this.val;
        this.advance();
        const operand = this.parseUnary();
        return { kind: 'Unary', op: v as UnaryOp, operand, range: { start, end: operand.range.end } };
      }
      if (k === T.LParen) {
        if (this.startsTypeInParens(1)) {
          this.advance();
          const type = this.parseTypeName();
          this.expect(T.RParen);
          if (type && this.is(T.LBrace)) { // compound literal: keep the braces as an initializer list
            const init = this.parseInitList();
            return { kind: 'Cast', type, operand: init, range: this.range(start) };
          }
          const operand = this.parseUnary();
          return type
            ? { kind: 'Cast', type, operand, range: { start, end: operand.range.end } }
            : operand;
        }
      } else if (k === T.Ident && this.kw === K.Sizeof) {
        this.advance();
        if (this.is(T.LParen) && this.startsTypeInParens(1)) {
          this.advance();
          const type = this.parseTypeName() ?? undefined;
          this.expect(T.RParen);
          return { kind: 'Sizeof', type, range: this.range(start) };
        }
        const operand = this.parseUnary();
        return { kind: 'Sizeof', operand, range: { start, end: operand.range.end } };
      }
      return this.parsePostfix(this.parsePrimary());
    } finally { this.leave(); }
  }

  private parsePostfix(first: Expr): Expr {
    let e = first;
    for (;;) {
      const k = this.kind;
      const start = e.range.start;
      if (k === T.LParen || k === T.LBracket || k === T.Dot || k === T.Arrow || k === T.PlusPlus || k === T.MinusMinus) {
        // Past the limit the rest of the chain is read and dropped: the tree stays shallow.
        const at = this.tokRange();
        const next = this.postfixOp(e, start);
        if (next === undefined) return e;
        if (this.chain(at)) e = next;
      } else return e;
    }
  }

  /** One postfix operator applied to e; undefined after a member operator with no name. */
  private postfixOp(e: Expr, start: number): Expr | undefined {
    const k = this.kind;
    if (k === T.LParen) {
      this.advance();
      const args: Expr[] = [];
      const from = this.ops;
      let most = from;
      if (!this.is(T.RParen)) {
        for (;;) {
          const before = this.i;
          const arg = this.sibling(from, () => this.parseAssign());
          most = Math.max(most, arg.ops);
          args.push(arg.value);
          if (this.eat(T.Comma)) continue;
          if (this.is(T.RParen) || this.i === before) break;
          if (this.is(T.Semi) || this.is(T.LBrace) || this.is(T.RBrace) || this.atEnd()) break;
          this.expect(T.Comma, 'between arguments');
          if (this.tk.nl[this.i]) break;
        }
      }
      this.ops = most;
      this.expect(T.RParen, 'to close the argument list');
      return { kind: 'Call', callee: e, args, range: this.range(start) };
    }
    if (k === T.LBracket) {
      this.advance();
      const index = this.parseExpr();
      this.expect(T.RBracket);
      return { kind: 'Index', object: e, index, range: this.range(start) };
    }
    if (k === T.Dot || k === T.Arrow) {
      const v = this.val;
      this.advance();
      if (this.peekKind(0) !== T.Ident) {
        this.error(this.tokRange(), `expected a field name after '${v}'`);
        return undefined;
      }
      const name = this.val;
      const nameRange = this.tokRange();
      this.advance();
      return { kind: 'Member', object: e, name, nameRange, arrow: k === T.Arrow, range: this.range(start) };
    }
    this.advance();
    return { kind: 'Postfix', op: k === T.PlusPlus ? '++' : '--', operand: e, range: this.range(start) };
  }

  protected parsePrimary(): Expr {
    const start = this.start;
    switch (this.kind) {
      case T.Number: {
        const e: Expr = { kind: 'Number', value: this.tk.num(this.i), text: this.val, range: this.tokRange() };
        if (e.text.length > 16 && integerTooLarge(e.text)) this.error(e.range, 'integer constant is too large for its type', 'constant-range');
        this.advance();
        return e;
      }
      case T.Char: {
        const e: Expr = { kind: 'Char', value: this.tk.num(this.i), range: this.tokRange() };
        this.advance();
        return e;
      }
      case T.String:
        return this.parseStrings('', start);
      case T.Ident: {
        const name = this.val;
        if (this.peekKind() === T.String && this.stringMacros.has(name)) {
          this.advance();
          return this.parseStrings(this.stringMacros.get(name) ?? '', start);
        }
        if (!this.noExpand && this.fnMacros.size > 0 && this.peekKind() === T.LParen && this.fnMacros.has(name)) return this.macroCall(name);
        const kinds = this.peekKind() === T.LParen && !this.fnMacros.has(name) ? LIST_EXPR_MACROS.get(name) : undefined;
        if (kinds && !this.stringTypeArg(kinds)) { const m = this.listMacroArgs(kinds); return listExpr(name, m.args, m.range); }
        if (this.kw !== K.TypedefName && this.startsType()) return this.errorExpr();
        const e: Expr = { kind: 'Ident', name, range: this.tokRange() };
        this.advance();
        return e;
      }
      case T.LParen: {
        this.advance();
        const inner = this.parseExpr();
        this.expect(T.RParen);
        // Parentheses are kept in the range so that hovers and carets cover what was written.
        // The node is fresh from parseExpr, so widening its range in place shares nothing.
        (inner as { range: Range }).range = this.range(start);
        return inner;
      }
      case T.LBrace:
        return this.parseInitList();
      default:
        return this.errorExpr();
    }
  }

  /**
   * True when the type argument of a list.h macro call is written as a string: the debugger's
   * console spells container_of that way (its own helper), and it is read as a plain call.
   */
  private stringTypeArg(kinds: ReadonlyArray<'expr' | 'type' | 'member'>): boolean {
    const at = kinds.indexOf('type');
    if (at < 0) return false;
    let arg = 0;
    for (let j = this.i + 2, depth = 0; j < this.tk.length && this.tk.kind[j] !== T.EOF; j++) {
      const k = this.tk.kind[j];
      if (k === T.LParen || k === T.LBracket || k === T.LBrace) depth++;
      else if (k === T.RParen || k === T.RBracket || k === T.RBrace) { if (depth-- === 0) return false; }
      else if (k === T.Comma && depth === 0 && ++arg === at) return this.tk.kind[j + 1] === T.String;
    }
    return false;
  }

  /**
   * The arguments of a list.h macro (parser-klist.ts): expressions, a type name (list_entry's
   * second), a member name (the last of the *_entry ones). The macro's name is the current token.
   */
  protected listMacroArgs(kinds: ReadonlyArray<'expr' | 'type' | 'member'>): { args: MacroArg[]; range: Range } {
    const start = this.start;
    const name = this.val;
    this.advance();
    this.expect(T.LParen);
    const args: MacroArg[] = [];
    for (let i = 0; i < kinds.length; i++) {
      if (i > 0 && !this.expect(T.Comma, `between the arguments of '${name}' (it takes ${kinds.length})`)) break;
      const k = kinds[i];
      if (k === 'expr') args.push({ expr: this.parseAssign() });
      else if (k === 'type') {
        const type = this.parseTypeName();
        if (type) args.push({ type });
        else { this.error(this.tokRange(), `'${name}' needs a type name here (such as struct task_struct)`); break; }
      } else if (this.kind === T.Ident) {
        args.push({ member: this.val, range: this.tokRange() });
        this.advance();
      } else { this.error(this.tokRange(), `'${name}' needs the name of a struct member here`); break; }
    }
    if (!this.is(T.RParen)) this.error(this.tokRange(), `'${name}' takes ${kinds.length} argument${kinds.length === 1 ? '' : 's'}`);
    while (!this.is(T.RParen) && !this.is(T.Semi) && !this.is(T.LBrace) && !this.atEnd()) this.advance();
    this.eat(T.RParen);
    return { args, range: this.range(start) };
  }

  /** Adjacent string literals are one string, as in C. */
  private parseStrings(prefix: string, start: number): Expr {
    let value = prefix;
    while (this.kind === T.String) {
      value += this.val;
      this.advance();
    }
    return { kind: 'String', value, range: this.range(start) };
  }

  /** `{ a, b, }`, `{ .field = v }` and `{ [2] = v }`; designators are recorded in `fields` and `indices`. */
  parseInitList(): Expr {
    const start = this.start;
    if (!this.enter()) return { kind: 'ErrorExpr', range: this.tokRange() };
    try {
      this.advance(); // {
      const items: Expr[] = [];
      const fields: Array<{ name: string; range: Range } | null> = [];
      const indices: Array<Expr | null> = [];
      let named = false, indexed = false;
      const from = this.ops;
      let most = from;
      while (!this.is(T.RBrace) && !this.atEnd() && !this.is(T.Semi)) {
        const before = this.i;
        let field: { name: string; range: Range } | null = null;
        let index: Expr | null = null;
        if (this.is(T.Dot) && this.peekKind() === T.Ident) {
          this.advance();
          field = { name: this.val, range: this.tokRange() };
          this.advance();
          named = true;
        } else if (this.is(T.LBracket)) {
          this.advance();
          index = this.parseConditionalGuarded();
          this.expect(T.RBracket);
          indexed = true;
        }
        if ((field || index) && (this.is(T.Dot) || this.is(T.LBracket))) {
          // `.a.b = v` and `[1][2] = v` name a member of a member: not in the scenario language.
          this.error(this.tokRange(), 'nested designators are not supported; initialise the inner object with its own braces', 'unsupported');
          while (!this.is(T.Assign) && !this.is(T.Comma) && !this.is(T.RBrace) && !this.atEnd() && !this.is(T.Semi)) this.advance();
        }
        if (field || index) this.expect(T.Assign);
        const item = this.sibling(from, () => (this.is(T.LBrace) ? this.parseInitList() : this.parseAssign()));
        most = Math.max(most, item.ops);
        items.push(item.value);
        fields.push(field);
        indices.push(index);
        if (!this.eat(T.Comma)) break;
        if (this.i === before) break;
      }
      this.ops = most;
      this.expect(T.RBrace, 'to close the initializer list');
      const e: Extract<Expr, { kind: 'InitList' }> = { kind: 'InitList', items, range: this.range(start) };
      if (named) e.fields = fields;
      if (indexed) e.indices = indices;
      return e;
    } finally { this.leave(); }
  }
}

/** Gives every range in an expansion's tree the call's range: the code came from there. */
export function relocate(node: unknown, r: Range): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) { for (const x of node) relocate(x, r); return; }
  const rec = node as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    const v = rec[k];
    if ((k === 'range' || k.endsWith('Range')) && v && typeof v === 'object' && 'start' in v) rec[k] = { start: r.start, end: r.end };
    else relocate(v, r);
  }
}
