// Conversions between C's arithmetic types as the compiler emits them: integer narrowing and
// signedness (CONV), the floating conversions, the usual arithmetic conversions of two operands
// before a comparison or a floating operator, and the floating operators themselves (FOP).
import type { Range } from '../lang/ast';
import { FoldingBuilder } from './compile-fold';
import { arith, isArithmetic, promote, typeName, type CType } from './ctypes';
import { conversion, floatConversions, floatOp } from './fold';
import { Conv, Op } from './opcodes';

export abstract class ConvertingBuilder extends FoldingBuilder {
  /**
   * Converts the value on top from one type to another: truncation to a narrower integer type,
   * a signed value meeting an unsigned type (modulo 2^32 or 2^64), an unsigned long meeting long.
   */
  convert(from: CType, to: CType): void {
    for (const c of this.conversions(from, to)) this.emit(Op.CONV, c);
  }

  /** The CONVs from one type to another (integer ones, or those to or from a floating type). */
  protected conversions(from: CType, to: CType): Conv[] {
    if (from.k === 'float' || to.k === 'float') return floatConversions(from, to);
    const c = conversion(from, to);
    return c === null ? [] : [c];
  }

  /**
   * Converts the two operands on top (l below r) to their common type t: the right one in place,
   * the left one through a temporary. Nothing is emitted for an operand already of type t.
   */
  protected convertOperands(l: CType, r: CType, t: CType): void {
    this.convert(r, t);
    const cl = this.conversions(l, t);
    if (cl.length === 0) return;
    const tmp = this.temp();
    this.emit(Op.STORELP, tmp);
    for (const c of cl) this.emit(Op.CONV, c);
    this.emit(Op.LOADL, tmp);
  }

  /**
   * Wraps the result of an operator without a kind operand to its type: int and unsigned int at
   * 32 bits, unsigned long modulo 2^64 (the operators themselves wrap at 64 bits, signed).
   */
  wrap(t: CType): void {
    if (t.k !== 'int') return;
    if (t.bytes === 4) this.emit(Op.CONV, t.unsigned ? Conv.U32 : Conv.I32);
    else if (t.bytes === 8 && t.unsigned) this.emit(Op.CONV, Conv.U64);
  }

  /**
   * Before a comparison of the two integers on top: converts them to their common type where
   * that changes a value (`-1 < 0u` compares 4294967295 with 0, as C does).
   */
  protected compareOperands(l: CType, r: CType): void {
    if ((l.k === 'float' && isArithmetic(r)) || (r.k === 'float' && isArithmetic(l))) {
      this.convertOperands(l, r, arith(l, r));
      return;
    }
    if (l.k !== 'int' || r.k !== 'int') return;
    const pl = promote(l), pr = promote(r), t = arith(pl, pr);
    if (t.k !== 'int' || !t.unsigned) return;
    // A constant that is not negative keeps its value (`u < 10` needs no conversion).
    const k = this.pushedConstant();
    if (k === undefined || k < 0) this.convert(pr, t);
    if (pl.k === 'int' && !pl.unsigned) {
      // The left operand sits under the right one.
      const tmp = this.temp();
      this.emit(Op.STORELP, tmp);
      this.convert(pl, t);
      this.emit(Op.LOADL, tmp);
    }
  }

  /** `l op r` where an operand is floating: both converted to the common type, one FOP. */
  protected floatArithmetic(op: string, l: CType, r: CType, range: Range): CType {
    if (!isArithmetic(l) || !isArithmetic(r)) {
      this.m.error(range, `invalid operands to binary ${op} (have '${typeName(l)}' and '${typeName(r)}')`, 'vm-type');
      this.emit(Op.POP);
      return l.k === 'float' ? l : r;
    }
    const t = arith(l, r);
    this.convertOperands(promote(l), promote(r), t);
    const k = floatOp(op, t);
    if (k === undefined) {
      this.m.error(range, `invalid operands to binary ${op} (have '${typeName(l)}' and '${typeName(r)}'): it needs integers`, 'vm-type');
      this.emit(Op.POP);
      return t;
    }
    this.emit(Op.FOP, k);
    return t;
  }
}
