// The floating-point calls of the C library: strtod, strtof and atof as glibc parses (white
// space, sign, decimal or hexadecimal digits with an exponent, inf, infinity and nan, endptr,
// ERANGE on overflow and underflow), and the <math.h> functions whose results IEEE 754 defines
// exactly (sqrt, fabs, floor, ceil, trunc, round, fmod), which therefore agree with glibc's libm
// to the last bit. pow agrees wherever the result is exact (integer powers that fit, halves,
// square roots of powers) and is within one unit in the last place elsewhere.
import type { CallSite } from './image';
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Value } from './types';
import { cellCost } from './cost';
import { cstring } from './cstring';
import { num } from './float';
import { Fault } from './libc-fault';
import { ptrAdd } from './libc-string';

const ERANGE = 34;
const MAX_STRING = 1 << 28;
/** DBL_MIN: below it a nonzero result is subnormal (glibc reports ERANGE). */
const DBL_MIN = 2.2250738585072014e-308;
const FLT_MIN = 1.1754943508222875e-38;

/** The calls this file answers, evaluated inside the VM. */
export const MATH_CALLS: readonly string[] = ['atof', 'strtod', 'strtof', 'sqrt', 'fabs', 'floor', 'ceil', 'trunc', 'round', 'fmod', 'pow'];

/** The value of hexadecimal digits with an optional point, scaled by 2^exp. */
function hexValue(int: string, frac: string, exp: number): number {
  let v = Number(BigInt(`0x${int}${frac}`)); // the pattern below gives at least one digit
  let e = exp - 4 * frac.length;
  while (e > 0) { const s = Math.min(e, 1000); v *= 2 ** s; e -= s; }
  while (e < 0) { const s = Math.max(e, -1000); v *= 2 ** s; e -= s; }
  return v;
}

/**
 * strtod's parse of s: the value and how many characters it used (0 when no number starts
 * there), and whether the digits were nonzero (for underflow).
 */
export function parseDouble(s: string): { value: number; used: number; nonzero: boolean; word: boolean } {
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i])) i++;
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') { if (s[i] === '-') sign = -1; i++; }
  const rest = s.slice(i);
  const word = /^(infinity|inf|nan(\([0-9A-Za-z_]*\))?)/i.exec(rest);
  if (word) {
    const inf = word[1].toLowerCase().startsWith('inf');
    return { value: inf ? sign * Infinity : NaN, used: i + word[0].length, nonzero: true, word: true };
  }
  const hex = /^0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?/.exec(rest);
  if (hex) {
    const int = hex[1] ?? '', frac = hex[2] ?? hex[3] ?? '';
    const exp = hex[4] === undefined ? 0 : Math.max(-100000, Math.min(100000, Number(hex[4])));
    return { value: sign * hexValue(int, frac, exp), used: i + hex[0].length, nonzero: /[1-9a-fA-F]/.test(int + frac), word: false };
  }
  const dec = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(rest);
  // "0x" with no hex digit after it is the number 0 followed by "x".
  if (!dec) return { value: 0, used: 0, nonzero: false, word: false };
  // JavaScript's decimal conversion is correctly rounded, as glibc's is.
  return { value: sign * Number(dec[0]), used: i + dec[0].length, nonzero: /[1-9]/.test(dec[0].replace(/[eE].*$/, '')), word: false };
}

/** sqrt and the others: exact IEEE operations (pow aside, see the header). */
function mathCall(fn: string, x: number, y: number): number {
  switch (fn) {
    case 'sqrt': return Math.sqrt(x);
    case 'fabs': return Math.abs(x);
    case 'floor': return Math.floor(x);
    case 'ceil': return Math.ceil(x);
    case 'trunc': return Math.trunc(x);
    // C's round: halfway cases away from zero (Math.round goes up).
    case 'round': { // halfway cases away from zero (Math.round would go up); x - trunc(x) is exact
      const t = Math.trunc(x);
      return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
    }
    case 'fmod': return x % y; // exact, the sign of x, NaN for y == 0
    default: return x ** y;
  }
}

/** The calls of MATH_CALLS; undefined for any other. */
export function mathLibCall(site: CallSite, a: Value[], mem: VmMemory, regs: VmRegs): Value | Fault | undefined {
  const fn = site.name;
  switch (fn) {
    case 'atof': case 'strtod': case 'strtof': {
      const s = cstring(mem, a[0], MAX_STRING);
      if (s === null) return new Fault('SIGSEGV', `${fn}(NULL): NULL pointer dereference`);
      const r = parseDouble(s);
      regs.owed += cellCost(r.used + 1);
      const v = fn === 'strtof' ? Math.fround(r.value) : r.value;
      if (fn !== 'atof') {
        const min = fn === 'strtof' ? FLT_MIN : DBL_MIN;
        // Overflow to infinity, or a nonzero number that comes out subnormal or zero.
        if ((!r.word && !Number.isFinite(v)) || (r.nonzero && Math.abs(v) < min)) regs.errno = ERANGE;
        if (num(a[1]) !== 0 && !mem.store(num(a[1]), ptrAdd(a[0], r.used))) return new Fault('SIGSEGV', `${fn}: bad endptr`);
      }
      return v;
    }
    default:
      if (!MATH_CALLS.includes(fn)) return undefined;
      regs.owed += fn === 'pow' || fn === 'fmod' ? 20 : 1;
      return mathCall(fn, num(a[0]), num(a[1]));
  }
}
