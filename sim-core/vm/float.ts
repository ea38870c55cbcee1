// Floating point as gcc -O0 computes it on x86-64 (SSE2, FLT_EVAL_METHOD 0): double is IEEE
// binary64, float is binary32, each operation rounded to its own type.
//
// Representation. A cell of type double or float holds a plain JS number (a float's value is
// always one Math.fround gives, so it is exact as a double). The VM does not tag cells: what a
// cell means is its C type, which the compiler knows statically, exactly as a register or a
// memory word means what the instructions that use it say. So a double 3.0 is the number 3 in a
// cell, and it stays a double because only the floating instructions below (FOP) and the
// floating conversions (CONV F64 ... FBOOL) ever read it as such. The integer representation
// (int64.ts: a safe-integer number, or a bigint beyond 2^53) is never produced from a double
// without a CONV that truncates toward zero as cvttsd2si does, and a double is never produced
// from an integer without one that rounds as cvtsi2sd does. A double may therefore be a number
// that is integral and beyond 2^53 (1e22), -0, Infinity or NaN; integer code never sees one.
//
// NaN. x86's invalid operations (0.0/0.0, inf - inf, 0 * inf) produce the "default NaN", whose
// sign bit is set: glibc prints it as "-nan". JS numbers do not keep a NaN's sign, so every NaN
// in the VM stands for that default NaN (printf shows "-nan"); a NaN of the other sign (the
// negation of a default NaN, strtod("nan")) is shown as "-nan" too.
import { big } from './int64';
import type { Value } from './types';

/** The operator of an FOP instruction; F32 added when the operation is of type float. */
export const enum FOp { ADD = 0, SUB = 1, MUL = 2, DIV = 3, NEG = 4, F32 = 8 }

/** A cell as a double: a floating cell is a number already; anything else counts as 0. */
export function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

/** `a op b` in double, or in float when k has F32 (the exact double result rounded once). */
export function fop(k: number, a: Value | undefined, b: Value | undefined): number {
  const x = num(a), y = num(b);
  let r: number;
  switch (k & 7) {
    case FOp.ADD: r = x + y; break;
    case FOp.SUB: r = x - y; break;
    case FOp.MUL: r = x * y; break;
    case FOp.DIV: r = x / y; break;
    default: r = -x; break;
  }
  // Rounding the double result of +, -, *, / of two floats to float is the correctly rounded
  // float result: a double has more than twice float's precision plus two bits.
  return k & FOp.F32 ? Math.fround(r) : r;
}

/** An exact integer rounded to the nearest float (ties to even), as cvtsi2ss does. */
export function intToFloat(v: Value | undefined): number {
  if (typeof v === 'number') return Math.fround(v); // exact: |v| <= 2^53
  const b = big(v);
  const neg = b < 0n, m = neg ? -b : b;
  const len = m.toString(2).length;
  if (len <= 24) return Math.fround(Number(b));
  const sh = BigInt(len - 24);
  let q = m >> sh;
  const rem = m & ((1n << sh) - 1n), half = 1n << (sh - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
  const r = Math.fround(Number(q) * 2 ** Number(sh));
  return neg ? -r : r;
}

const TWO63 = 2 ** 63;
const INT64_MIN = -(2n ** 63n);

/**
 * cvttsd2si to 64 bits: truncation toward zero, and for NaN or a value out of range the
 * "integer indefinite" 0x8000000000000000.
 */
export function toLong(x: number): number | bigint {
  if (!(x >= -TWO63 && x < TWO63)) return INT64_MIN;
  const t = Math.trunc(x) + 0;
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

/** (int)x: cvttsd2si to 32 bits, 0x80000000 when out of range or NaN. */
export function toInt(x: number): number {
  return x > -2147483649 && x < 2147483648 ? Math.trunc(x) | 0 : -2147483648;
}

/** (unsigned int)x: gcc converts to long and keeps the low 32 bits. */
export function toUint(x: number): number {
  const l = toLong(x);
  return typeof l === 'number' ? l >>> 0 : Number(BigInt.asUintN(32, l));
}

/**
 * (unsigned long)x as gcc emits it: values below 2^63 (and NaN) through cvttsd2si, larger ones
 * by subtracting 2^63 first and setting the top bit after.
 */
export function toUlong(x: number): number | bigint {
  const l = x < TWO63 || Number.isNaN(x) ? big(toLong(x)) : big(toLong(x - TWO63)) ^ (1n << 63n);
  const u = BigInt.asUintN(64, l);
  return u <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(u) : u;
}
