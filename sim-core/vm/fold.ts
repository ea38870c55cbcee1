// Constant folding by C's rules, exact to 64 bits: the value and type of an integer literal and
// of a named constant, conversion of a folded value to an integer type, and the operators on
// two folded integers as gcc folds them (wrap-around, the usual arithmetic conversions), and the
// CONV instruction a conversion between two integer types needs.
import { arith, DOUBLE, FLOAT, INT, LONG, promote, UINT, ULONG, type CType } from './ctypes';
import { FOp, fop, intToFloat, toLong } from './float';
import { Kind, norm } from './int64';
import { Conv } from './opcodes';

export { Kind };

export interface Folded { v: number | bigint | string; t: CType }

export function kindOf(t: CType): Kind {
  if (t.k !== 'int') return Kind.LONG;
  if (t.bytes <= 4) return t.unsigned ? Kind.UINT : Kind.INT;
  return t.unsigned ? Kind.ULONG : Kind.LONG;
}

/** An integer literal's exact value, or null when it does not fit in 64 bits (or is malformed). */
export function literalValue(text: string): bigint | null {
  const body = text.replace(/[uUlL]+$/, '');
  let v: bigint;
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(body) || /^0[bB][01]+$/.test(body)) v = BigInt(body);
    else if (/^0[0-7]+$/.test(body)) v = BigInt(`0o${body.slice(1)}`);
    else if (/^[0-9]+$/.test(body)) v = BigInt(body);
    else return null;
  } catch {
    return null;
  }
  return v < 2n ** 64n ? v : null;
}

/**
 * A literal's type (C11 6.4.4.1 on x86-64, where long and long long are both 64 bits): the first
 * of int, long (decimal) or int, unsigned int, long, unsigned long (hex, octal) that holds it,
 * restricted by its u and l suffixes; a decimal too large for long is unsigned long, as gcc makes it.
 */
export function literalType(text: string, value: bigint): CType {
  const suffix = /[uUlL]*$/.exec(text)?.[0].toLowerCase() ?? '';
  const unsigned = suffix.includes('u'), long = suffix.includes('l');
  const decimal = !/^0[0-7xXbB]/.test(text);
  if (!long && value <= (unsigned ? 0xffffffffn : 0x7fffffffn)) return unsigned ? UINT : INT;
  if (!long && !unsigned && !decimal && value <= 0xffffffffn) return UINT;
  if (!unsigned && value <= 2n ** 63n - 1n) return LONG;
  return ULONG;
}

/** The type of a named constant from its value: int when it fits, as the headers define them. */
export function constantType(v: number | bigint): CType {
  if (typeof v === 'number' && (v | 0) === v) return INT;
  return v >= 0 && v <= 0xffffffff ? UINT : v >= 2n ** 63n ? ULONG : LONG;
}

/** C's conversion of an exact integer to an integer type. */
export function convertBig(v: bigint, t: CType): bigint {
  if (t.k !== 'int') return BigInt.asIntN(64, v);
  if (t.name === 'bool' || t.name === '_Bool') return v === 0n ? 0n : 1n;
  const bits = t.bytes * 8;
  return t.unsigned ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v);
}

/** Applies C's conversion to an integer type on a folded value. */
export function convertValue(v: number | bigint, t: CType): number | bigint {
  return norm(convertBig(BigInt(v), t));
}

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

/**
 * Folds `a op b` of the given types as gcc does; undefined where it leaves the operation to run
 * time (a zero divisor, which traps there).
 */
export function foldBinary(op: string, a0: number | bigint, b0: number | bigint, ta: CType, tb: CType): Folded | undefined {
  if (op === '&&' || op === '||') {
    const r = op === '&&' ? a0 != 0 && b0 != 0 : a0 != 0 || b0 != 0;
    return { v: r ? 1 : 0, t: INT };
  }
  const shift = op === '<<' || op === '>>';
  const t = shift ? promote(ta) : arith(promote(ta), promote(tb));
  // Both operands converted to the operation's type (for a shift, the left one only).
  const a = convertBig(BigInt(a0), t), b = shift ? BigInt(b0) : convertBig(BigInt(b0), t);
  if (COMPARE.has(op)) {
    const r = op === '==' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    return { v: r ? 1 : 0, t: INT };
  }
  let v: bigint;
  switch (op) {
    case '+': v = a + b; break;
    case '-': v = a - b; break;
    case '*': v = a * b; break;
    case '/': if (b === 0n) return undefined; v = a / b; break;
    case '%': if (b === 0n) return undefined; v = a % b; break;
    case '<<': case '>>': {
      // gcc folds a count past the width to 0 (or the sign, for >>), and masks a negative one
      // as the shift instruction would.
      const width = BigInt(t.k === 'int' ? Math.max(4, t.bytes) * 8 : 64);
      const c = b < 0n ? BigInt.asUintN(width === 32n ? 5 : 6, b) : b;
      if (c >= width) v = op === '<<' || a >= 0n ? 0n : -1n;
      else v = op === '<<' ? a << c : a >> c;
      break;
    }
    case '&': v = a & b; break;
    case '|': v = a | b; break;
    case '^': v = a ^ b; break;
    default: return undefined;
  }
  return { v: norm(convertBig(v, t)), t };
}

/**
 * The CONV that converts a value of one type to another, or null when every value keeps its
 * meaning: truncation to a narrower integer type, a signed value meeting an unsigned type (modulo
 * 2^32 or 2^64), an unsigned long meeting long, anything meeting _Bool.
 */
export function conversion(from: CType, to: CType): Conv | null {
  if (to.k !== 'int' || from.k !== 'int') return null;
  if (to.name === 'bool' || to.name === '_Bool') return Conv.BOOL;
  if (to.bytes === 8) {
    if (to.unsigned && !from.unsigned) return Conv.U64;
    return !to.unsigned && from.unsigned && from.bytes === 8 ? Conv.I64 : null;
  }
  // Widening keeps the value unless a negative signed value meets an unsigned type.
  if (from.bytes < to.bytes && (from.unsigned || !to.unsigned)) return null;
  if (from.bytes === to.bytes && from.unsigned === to.unsigned) return null;
  return to.bytes === 4 ? (to.unsigned ? Conv.U32 : Conv.I32) : to.bytes === 2 ? (to.unsigned ? Conv.U16 : Conv.I16)
    : to.unsigned ? Conv.U8 : Conv.I8;
}

/**
 * The CONVs (none, one or two) that convert a value to or from a floating type: integer to
 * double or float rounded to nearest (int and narrower convert exactly and need none into
 * double), double to float, floating to an integer truncated toward zero as cvttsd2si does
 * (then narrowed, for short and char, as gcc narrows the int it gives).
 */
export function floatConversions(from: CType, to: CType): Conv[] {
  if (to.k === 'float') {
    if (from.k === 'float') return from.bytes > to.bytes ? [Conv.D2F] : [];
    if (from.k === 'int' && (to.bytes === 8 ? from.bytes <= 4 : from.bytes <= 2)) return [];
    return [to.bytes === 8 ? Conv.F64 : Conv.F32];
  }
  if (from.k !== 'float') return [];
  if (to.k !== 'int') return [Conv.FI64];
  if (to.name === 'bool' || to.name === '_Bool') return [Conv.FBOOL];
  if (to.bytes === 8) return [to.unsigned ? Conv.FU64 : Conv.FI64];
  if (to.bytes === 4) return [to.unsigned ? Conv.FU32 : Conv.FI32];
  const narrow = conversion(INT, to);
  return narrow === null ? [Conv.FI32] : [Conv.FI32, narrow];
}

/**
 * A folded arithmetic value of type `from` converted to `to`: as the CONVs above would, except
 * for a floating constant out of an integer type's range, which gcc folds to the range's limit.
 */
export function convertConst(v: number | bigint, from: CType, to: CType): number | bigint {
  if (to.k === 'float') {
    if (from.k === 'float') return to.bytes === 4 ? Math.fround(Number(v)) : Number(v);
    return to.bytes === 4 ? intToFloat(v) : Number(v);
  }
  if (from.k === 'float') {
    const x = Number(v);
    if (to.k !== 'int') return toLong(x);
    if (to.name === 'bool' || to.name === '_Bool') return x === 0 ? 0 : 1;
    // gcc folds a constant out of the target's range to its nearest limit (NaN to 0), where the
    // instruction would give 0x80000000...: `(char)300.9` is 127, `(unsigned)-1.5` is 0.
    if (Number.isNaN(x)) return 0;
    const bits = BigInt(to.bytes * 8);
    const min = to.unsigned ? 0n : -(1n << (bits - 1n)), max = to.unsigned ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
    if (!Number.isFinite(x)) return norm(x > 0 ? max : min);
    const t = BigInt(Math.trunc(x));
    return norm(t < min ? min : t > max ? max : t);
  }
  return to.k === 'int' ? convertValue(v, to) : v;
}

const FLOAT_OPS: Readonly<Record<string, FOp>> = { '+': FOp.ADD, '-': FOp.SUB, '*': FOp.MUL, '/': FOp.DIV };

/** The FOP operand for `op` computed in t (a floating type), or undefined for an operator floats lack. */
export function floatOp(op: string, t: CType): number | undefined {
  const k = FLOAT_OPS[op];
  return k === undefined ? undefined : k | (t.k === 'float' && t.bytes === 4 ? FOp.F32 : 0);
}

/**
 * Folds `a op b` where an operand is floating, as the instructions would compute it; undefined
 * for an operator floating operands do not have (the compiler reports it).
 */
export function foldFloatBinary(op: string, a0: number | bigint, b0: number | bigint, ta: CType, tb: CType): Folded | undefined {
  const t = arith(ta, tb);
  const a = Number(convertConst(a0, ta, t)), b = Number(convertConst(b0, tb, t));
  if (COMPARE.has(op)) {
    const r = op === '==' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    return { v: r ? 1 : 0, t: INT };
  }
  const k = floatOp(op, t);
  return k === undefined ? undefined : { v: fop(k, a, b), t: t.k === 'float' && t.bytes === 4 ? FLOAT : DOUBLE };
}

