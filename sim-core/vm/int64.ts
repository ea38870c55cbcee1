// C's integer arithmetic on exact values, as gcc compiles it for x86-64: two's complement, int
// wrapping at 32 bits and long at 64, unsigned types modulo 2^32 and 2^64, shift counts masked
// as the shift instructions mask them. An integer cell holds its value in one canonical form: a
// number when it is a safe integer, a bigint only beyond 2^53 - 1 (norm), so that equality stays
// `===` and small values never leave the number paths; bigints appear only near the 64-bit limits.
import type { Value } from './types';

const MAX = Number.MAX_SAFE_INTEGER;
const MAXN = BigInt(MAX);

/** Operand kind of MUL/DIV/MOD/SHL/SHR: the C type the operator computes in. */
export const enum Kind { LONG = 0, INT = 1, UINT = 2, ULONG = 3 }

/** The canonical form of an exact integer. */
export function norm(x: bigint): number | bigint {
  return x >= -MAXN && x <= MAXN ? Number(x) : x;
}

/**
 * The exact integer a cell holds. Values that are not integers (a string literal, a kernel
 * handle, nothing) count as 0 here; the operators that give them a meaning (pointer arithmetic
 * on a string literal, equality of handles) test for them before.
 */
export function big(v: Value | undefined): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  return 0n;
}

/** An integer as a number, for the places that need one (counts, sizes): exact when safe. */
export function toNumber(v: Value | undefined): number {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) + 0 : 0;
  return typeof v === 'bigint' ? Number(v) : 0;
}

export function wrapI64(x: bigint): number | bigint { return norm(BigInt.asIntN(64, x)); }
export function wrapU64(x: bigint): number | bigint { return norm(BigInt.asUintN(64, x)); }

/** Conversion to int (the low 32 bits, signed), for values off the `v | 0` path. */
export function toI32(v: Value | undefined): number {
  return typeof v === 'number' ? v | 0 : Number(BigInt.asIntN(32, big(v)));
}

export function toU32(v: Value | undefined): number {
  return typeof v === 'number' ? v >>> 0 : Number(BigInt.asUintN(32, big(v)));
}

/** Conversion to long: the value modulo 2^64, signed. */
export function toI64(v: Value | undefined): number | bigint {
  if (typeof v === 'number' && v <= MAX && v >= -MAX) return Math.trunc(v) + 0;
  return wrapI64(big(v));
}

/** Conversion to unsigned long: the value modulo 2^64. */
export function toU64(v: Value | undefined): number | bigint {
  if (typeof v === 'number' && v >= 0 && v <= MAX) return Math.trunc(v);
  return wrapU64(big(v));
}

/** `a + b` on two integers (the 64-bit wrap only matters off the number path). */
export function addInt(a: Value | undefined, b: Value | undefined): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return wrapI64(big(a) + big(b));
}

export function subInt(a: Value | undefined, b: Value | undefined): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return wrapI64(big(a) - big(b));
}

export function neg(a: Value | undefined): number | bigint {
  return typeof a === 'number' && a <= MAX && a >= -MAX ? 0 - a : wrapI64(-big(a));
}

export function bnot(a: Value | undefined): number | bigint {
  if (typeof a === 'number' && (a | 0) === a) return ~a;
  return wrapI64(~big(a));
}

/** AND, OR, XOR (op: 0, 1, 2) on 64-bit two's complement values. */
export function bits(op: 0 | 1 | 2, a: Value | undefined, b: Value | undefined): number | bigint {
  if (typeof a === 'number' && typeof b === 'number' && (a | 0) === a && (b | 0) === b) return op === 0 ? a & b : op === 1 ? a | b : a ^ b;
  const x = big(a), y = big(b);
  return wrapI64(op === 0 ? x & y : op === 1 ? x | y : x ^ y);
}

/** `a * b` computed in kind k. */
export function mul(k: number, a: Value | undefined, b: Value | undefined): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    if (k === Kind.INT) return Math.imul(a, b);
    if (k === Kind.UINT) return Math.imul(a, b) >>> 0;
    const r = a * b;
    // A product of safe integers that is within the safe range is exact (`+ 0`: no -0).
    if (r <= MAX && r >= -MAX && (k === Kind.LONG || r >= 0)) return r + 0;
  }
  if (k === Kind.INT) return toI32(wrapI64(big(a) * big(b)));
  if (k === Kind.UINT) return toU32(wrapI64(big(a) * big(b)));
  const p = big(a) * big(b);
  return k === Kind.ULONG ? wrapU64(p) : wrapI64(p);
}

/** The operands of DIV and MOD converted to kind k (C's usual arithmetic conversions). */
function operand(k: number, v: Value | undefined): number | bigint {
  return k === Kind.INT ? toI32(v) : k === Kind.UINT ? toU32(v) : k === Kind.ULONG ? toU64(v) : toI64(v);
}

const I64_MIN = -(2n ** 63n);

/**
 * `a / b` (div) or `a % b` in kind k, truncating toward zero, the remainder taking the
 * dividend's sign; a string naming the fault where x86's div/idiv traps (SIGFPE): a zero
 * divisor, or the one quotient that does not fit (INT_MIN / -1, LONG_MIN / -1, and their %).
 */
export function divmod(div: boolean, k: number, a0: Value | undefined, b0: Value | undefined): number | bigint | string {
  const a = operand(k, a0), b = operand(k, b0);
  if (b === 0) return 'integer divide by zero';
  if (typeof a === 'number' && typeof b === 'number') {
    if (k === Kind.INT && a === -2147483648 && b === -1) return 'integer overflow in division';
    // `a % b` is exact on doubles, and then so is the division of the exact multiple a - a % b.
    const r = a % b;
    return div ? (a - r) / b + 0 : r + 0;
  }
  const x = big(a), y = big(b);
  if (k === Kind.LONG && x === I64_MIN && y === -1n) return 'integer overflow in division';
  return norm(div ? x / y : x % y);
}

/**
 * `a << c` (left) or `a >> c` in kind k (the promoted left operand's type). The count is masked
 * to the width as x86's shift instructions mask it; `>>` is arithmetic for signed kinds and
 * logical for unsigned ones.
 */
export function shift(left: boolean, k: number, a: Value | undefined, c0: Value | undefined): number | bigint {
  if (k === Kind.INT || k === Kind.UINT) {
    const c = typeof c0 === 'number' ? c0 : Number(BigInt.asUintN(5, big(c0)));
    if (k === Kind.INT) { const x = toI32(a); return left ? x << c : x >> c; }
    const x = toU32(a);
    return left ? (x << c) >>> 0 : x >>> c;
  }
  const c = typeof c0 === 'number' && (c0 | 0) === c0 ? c0 & 63 : Number(BigInt.asUintN(6, big(c0)));
  const x = k === Kind.ULONG ? toU64(a) : toI64(a);
  if (typeof x === 'number') {
    if (!left) return Math.floor(x / 2 ** c) + 0;
    const r = x * 2 ** c;
    if (r <= MAX && r >= -MAX) return r + 0;
  }
  const y = big(x), n = BigInt(c);
  if (!left) return norm(y >> n);
  return k === Kind.ULONG ? wrapU64(y << n) : wrapI64(y << n);
}
