// Constant folding and the compiler's recursion limit: C's integer constant expressions (#defines
// included) folded once per node, sizeof, and the level count every recursive walk of an
// expression goes through. ExprCompiler builds on it.
import type { Expr, Range } from '../lang/ast';
import { lookupConstant, DYNAMIC_CONSTANTS } from '../lang/builtins';
import { MAX_MACRO_DEPTH } from '../lang/check-values';
import { FnBuilder } from './builder';
import { bytesOf, CHAR_PTR, DOUBLE, FLOAT, INT, promote, typeName, ULONG, type CType } from './ctypes';
import { constantType, convertConst, convertValue, foldBinary, foldFloatBinary, literalType, literalValue, type Folded } from './fold';
import { isFloatingText } from '../lang/lexer';
import { norm } from './int64';
import type { LocalVar } from './image';
import { fieldBytes } from './byte-image';

/**
 * Levels of expression the compiler descends (its own recursion, #define bodies included). The
 * parser bounds a statement's tree (nesting and operator limits); macro expansion can stack trees,
 * so the compiler counts too and stops with one located error instead of overflowing the stack.
 */
export const MAX_EXPR_LEVELS = 1000;

export abstract class FoldingBuilder extends FnBuilder {
  protected readonly expanding = new Set<string>();
  /** Recursion depth of expr/place/fold, checked against MAX_EXPR_LEVELS. */
  protected level = 0;
  private tooDeep = false;
  /**
   * Constant-folding results per node: expr() folds before it compiles and folding recurses, so
   * without this a chain would be folded once per level. Names resolve by scope, so any change of
   * scope clears it; nodes inside a #define body (shared by every use) are not kept.
   */
  private readonly folded = new Map<Expr, Folded | null>();

  override pushScope(): void { this.folded.clear(); super.pushScope(); }
  override popScope(): void { this.folded.clear(); super.popScope(); }
  override declare(name: string, type: CType, cells: number): LocalVar { this.folded.clear(); return super.declare(name, type, cells); }
  override bindLocal(v: LocalVar): void { this.folded.clear(); super.bindLocal(v); }

  /** Enters one level of expression; false (after one error) when the limit is reached. */
  protected enterLevel(range: Range): boolean {
    if (this.level >= MAX_EXPR_LEVELS) {
      if (!this.tooDeep) this.m.error(range, `expression nested too deeply (more than ${MAX_EXPR_LEVELS} levels, #define expansions included)`, 'too-deep');
      this.tooDeep = true;
      return false;
    }
    this.level++;
    return true;
  }

  isVariable(name: string): boolean {
    return this.lookupLocal(name) !== undefined || this.m.globals.has(name);
  }

  /** Folds an integer constant expression (or a string literal); undefined when not constant. */
  fold(e: Expr): Folded | undefined {
    const known = this.folded.get(e);
    if (known !== undefined) return known ?? undefined;
    if (this.level >= MAX_EXPR_LEVELS) return undefined;
    this.level++;
    let f: Folded | undefined;
    try { f = this.foldNode(e); } finally { this.level--; }
    if (this.expanding.size === 0) this.folded.set(e, f ?? null);
    return f;
  }

  /** Folds an integer constant expression: undefined for a floating one too (`int a[2.5]`). */
  foldInt(e: Expr): Folded | undefined {
    const f = this.fold(e);
    return f && f.t.k === 'float' ? undefined : f;
  }

  protected foldNode(e: Expr): Folded | undefined {
    switch (e.kind) {
      case 'Number': {
        if (isFloatingText(e.text)) return this.floatLiteral(e);
        const v = literalValue(e.text);
        if (v === null) {
          this.m.error(e.range, 'integer constant is too large for its type (more than 64 bits)', 'vm-type');
          return { v: 0, t: INT };
        }
        return { v: norm(v), t: literalType(e.text, v) };
      }
      // A character constant is an int holding a char (signed on x86-64): '\xff' is -1.
      case 'Char': return { v: e.value >= 0 && e.value <= 0xff ? (e.value << 24) >> 24 : e.value, t: INT };
      case 'String': return { v: e.value, t: CHAR_PTR };
      case 'Ident': {
        if (this.isVariable(e.name)) return undefined;
        if (this.m.defines.has(e.name)) {
          const d = this.m.defines.get(e.name);
          if (!d || this.expanding.has(e.name) || this.expanding.size >= MAX_MACRO_DEPTH) return undefined;
          this.expanding.add(e.name);
          try { return this.fold(d); } finally { this.expanding.delete(e.name); }
        }
        if (DYNAMIC_CONSTANTS.has(e.name) || this.m.fnTypes.has(e.name)) return undefined;
        const c = lookupConstant(e.name);
        if (!c) return undefined;
        return typeof c.value === 'string' ? { v: c.value, t: CHAR_PTR } : { v: c.value, t: constantType(c.value) };
      }
      case 'Sizeof': return { v: this.sizeOf(e), t: ULONG };
      // offsetof(type, member) is an integer constant (an array size, a case label, a static's value).
      case 'Call': {
        const at = e.callee.kind === 'Ident' && e.callee.name === 'offsetof' && !this.m.defines.has('offsetof') ? this.memberOffset(e) : undefined;
        return at === undefined ? undefined : { v: at, t: ULONG };
      }
      case 'Cast': {
        const a = this.fold(e.operand);
        const t = this.m.types.resolve(e.type);
        if (!a || typeof a.v === 'string' || (t.k !== 'int' && t.k !== 'float')) return undefined;
        if (t.k === 'float' || a.t.k === 'float') return { v: convertConst(a.v, a.t, t), t };
        if (typeof a.v !== 'number') return undefined;
        return { v: convertValue(a.v, t), t };
      }
      case 'Unary': {
        const a = this.fold(e.operand);
        // A bigint is a 64-bit value past 2^53 (-9007199254740993L folds too).
        if (!a || typeof a.v === 'string') return undefined;
        const t = promote(a.t);
        if (t.k === 'float') {
          const x = Number(a.v);
          switch (e.op) {
            case '-': return { v: -x, t };
            case '+': return { v: x, t };
            case '!': return { v: x === 0 ? 1 : 0, t: INT };
            default: return undefined;
          }
        }
        switch (e.op) {
          case '-': return { v: convertValue(-BigInt(a.v), t), t };
          case '+': return { v: a.v, t };
          case '~': return { v: convertValue(~BigInt(a.v), t), t };
          case '!': return { v: a.v === 0 ? 1 : 0, t: INT };
          default: return undefined;
        }
      }
      case 'Binary': {
        const a = this.fold(e.left), b = this.fold(e.right);
        if (!a || !b || typeof a.v !== 'number' || typeof b.v !== 'number') return undefined;
        if ((a.t.k === 'float' || b.t.k === 'float') && e.op !== '&&' && e.op !== '||') return foldFloatBinary(e.op, a.v, b.v, a.t, b.t);
        return foldBinary(e.op, a.v, b.v, a.t, b.t);
      }
      case 'Conditional': {
        const c = this.fold(e.test);
        if (!c || typeof c.v !== 'number') return undefined;
        return this.fold(c.v !== 0 ? e.consequent : e.alternate);
      }
      default: return undefined;
    }
  }

  /**
   * A floating literal: double, or float with an f suffix (the decimal value rounded to double,
   * then to float). An l suffix makes it long double, which the simulator does not have.
   */
  private floatLiteral(e: Extract<Expr, { kind: 'Number' }>): Folded {
    const suffix = e.text[e.text.length - 1];
    if (suffix === 'l' || suffix === 'L') {
      this.m.error(e.range, "'long double' is not supported by the simulator: it computes in float and double only", 'unsupported');
    }
    if (suffix === 'f' || suffix === 'F') return { v: Math.fround(e.value), t: FLOAT };
    return { v: e.value, t: DOUBLE };
  }

  /** sizeof in bytes; a struct with no definition has none (an error, as in C). */
  /** offsetof's value as the parser gives it (a sizeof carrying the type, the member as a string), or undefined. */
  protected memberOffset(e: Extract<Expr, { kind: 'Call' }>): number | undefined {
    const [carrier, member] = e.args;
    if (carrier?.kind !== 'Sizeof' || !carrier.type || member?.kind !== 'String') return undefined;
    const t = this.m.types.resolve(carrier.type);
    if (t.k !== 'struct' || !t.layout || t.layout.kernel) return undefined;
    const at = t.layout.fields.findIndex((f) => f.name === member.value);
    return at < 0 ? undefined : fieldBytes(t)[at];
  }

  protected sizeOf(e: Extract<Expr, { kind: 'Sizeof' }>): number {
    const t = e.type ? this.m.types.resolve(e.type) : this.typeOf(e.operand as Expr);
    if (t.k === 'struct' && !t.layout && (!e.type || e.type.name.startsWith('struct '))) {
      this.m.error(e.range, `invalid application of 'sizeof' to incomplete type '${e.type ? e.type.name : typeName(t)}'`, 'vm-type');
    }
    return bytesOf(t);
  }

  /** The type of an expression without keeping its code (sizeof x). */
  typeOf(e: Expr): CType {
    const len = this.code.length, diags = this.m.diagnostics.length, stmts = this.stmts.length;
    const t = this.expr(e);
    this.code.length = len;
    this.m.diagnostics.length = diags;
    this.stmts.length = stmts;
    return t;
  }

  /** Compiles e leaving its rvalue on the operand stack (nothing when discard). */
  abstract expr(e: Expr, discard?: boolean): CType;
}
