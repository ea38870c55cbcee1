// Constant folding by C's rules: the type of a literal or a named constant, conversion of a
// folded value to an integer type, and the binary operators on two folded integers.
import { arith, INT, LONG, promote, UINT, ULONG, type CType } from './ctypes';

export interface Folded { v: number | string; t: CType }

/** Operand of MUL/DIV/MOD/SHL/SHR: which integer rules apply. */
export const enum Kind { LONG = 0, INT = 1, UINT = 2 }

export function kindOf(t: CType): Kind {
  return t.k === 'int' && t.bytes <= 4 ? (t.unsigned ? Kind.UINT : Kind.INT) : Kind.LONG;
}

export function literalType(text: string, value: number): CType {
  const t = text.toLowerCase();
  const unsigned = t.includes('u') && !t.startsWith('0x') || /u/.test(t.replace(/^0x[0-9a-f]*/, ''));
  if (/l/.test(t.replace(/^0x/, '')) || value > 0xffffffff) return unsigned ? ULONG : LONG;
  if (unsigned) return UINT;
  if (value > 0x7fffffff) return /^0x|^0[0-7]/.test(t) ? UINT : LONG;
  return INT;
}

export function constantType(v: number): CType {
  return (v | 0) === v ? INT : v >= 0 && v <= 0xffffffff ? UINT : LONG;
}

/** Applies C's conversion to an integer type on a folded value. */
export function convertValue(v: number, t: CType): number {
  if (t.k !== 'int') return v;
  switch (t.bytes) {
    case 4: return t.unsigned ? v >>> 0 : v | 0;
    case 2: return t.unsigned ? v & 0xffff : (v << 16) >> 16;
    case 1: return t.name === 'bool' || t.name === '_Bool' ? (v ? 1 : 0) : t.unsigned ? v & 0xff : (v << 24) >> 24;
    default: return Math.trunc(v) + 0;
  }
}

/** Folds `a op b` of the given types; undefined when C leaves it undefined (division by zero). */
export function foldBinary(op: string, a: number, b: number, ta: CType, tb: CType): Folded | undefined {
  if (['==', '!=', '<', '<=', '>', '>=', '&&', '||'].includes(op)) {
    const r = op === '==' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b
      : op === '>' ? a > b : op === '>=' ? a >= b : op === '&&' ? a !== 0 && b !== 0 : a !== 0 || b !== 0;
    return { v: r ? 1 : 0, t: INT };
  }
  const t = op === '<<' || op === '>>' ? promote(ta) : arith(promote(ta), promote(tb));
  const big = (f: (x: bigint, y: bigint) => bigint): number => Number(BigInt.asIntN(64, f(BigInt(a), BigInt(b))));
  // C leaves a shift by the width or more undefined. gcc folds a constant one as if all the bits
  // went out (0, or -1 for a negative value shifted right) and a negative count modulo the width;
  // either way no 100-million-bit number is built for `1 << 100000000`.
  const width = kindOf(t) === Kind.LONG ? 64 : 32;
  const count = (): bigint => BigInt(Math.trunc(b)) & BigInt(width - 1);
  let v: number;
  switch (op) {
    case '+': v = a + b; break;
    case '-': v = a - b; break;
    case '*': v = kindOf(t) === Kind.LONG ? a * b : Math.imul(a, b); break;
    case '/': if (b === 0) return undefined; v = Math.trunc(a / b); break;
    case '%': if (b === 0) return undefined; v = a % b; break;
    case '<<': v = b >= width ? 0 : Number(BigInt.asIntN(64, BigInt(a) << count())); break;
    case '>>': v = b >= width ? (a < 0 ? -1 : 0) : Number(BigInt.asIntN(64, BigInt(a) >> count())); break;
    case '&': v = big((x, y) => x & y); break;
    case '|': v = big((x, y) => x | y); break;
    case '^': v = big((x, y) => x ^ y); break;
    default: return undefined;
  }
  return { v: convertValue(v, t), t };
}
