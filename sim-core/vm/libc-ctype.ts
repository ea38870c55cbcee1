// <ctype.h> as glibc gives it in the C locale on x86-64: the is* macros read the class table
// (__ctype_b) and keep their class's bit, so isalpha('a') is 1024, not 1; toupper and tolower
// map through their tables for -128..255 and give any other value back unchanged.
import type { Value } from './types';

/** glibc's class bits as they sit in the little-endian table (_ISbit). */
const IS = {
  upper: 0x100, lower: 0x200, alpha: 0x400, digit: 0x800, xdigit: 0x1000, space: 0x2000,
  print: 0x4000, graph: 0x8000, blank: 0x1, cntrl: 0x2, punct: 0x4, alnum: 0x8,
} as const;

/** The class word of one character of the C locale (0 for EOF and the bytes 128..255). */
function classOf(c: number): number {
  if (c < 0 || c > 127) return 0;
  let m = 0;
  const upper = c >= 65 && c <= 90, lower = c >= 97 && c <= 122, digit = c >= 48 && c <= 57;
  if (upper) m |= IS.upper;
  if (lower) m |= IS.lower;
  if (upper || lower) m |= IS.alpha | IS.alnum;
  if (digit) m |= IS.digit | IS.alnum | IS.xdigit;
  if ((c >= 65 && c <= 70) || (c >= 97 && c <= 102)) m |= IS.xdigit;
  if (c === 32 || (c >= 9 && c <= 13)) m |= IS.space;
  if (c === 32 || c === 9) m |= IS.blank;
  if (c < 32 || c === 127) m |= IS.cntrl;
  if (c >= 32 && c < 127) m |= IS.print;
  if (c > 32 && c < 127) m |= IS.graph;
  if (c > 32 && c < 127 && !upper && !lower && !digit) m |= IS.punct;
  return m;
}

const CLASS_CALLS: Readonly<Record<string, number>> = {
  isupper: IS.upper, islower: IS.lower, isalpha: IS.alpha, isdigit: IS.digit, isxdigit: IS.xdigit,
  isspace: IS.space, isprint: IS.print, isgraph: IS.graph, isblank: IS.blank, iscntrl: IS.cntrl,
  ispunct: IS.punct, isalnum: IS.alnum,
};

/** The names of <ctype.h>'s calls. */
export const CTYPE_CALLS: readonly string[] = [...Object.keys(CLASS_CALLS), 'toupper', 'tolower'];

/** The int a character argument is: a char cell holds -128..127, an int anything. */
function asInt(v: Value | undefined): number {
  if (typeof v === 'number') return v | 0;
  if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
  return 0;
}

/**
 * A <ctype.h> call; undefined when `name` is not one. The table covers -128..255 (a signed char
 * indexes it as it is): -128..-2 are the bytes 128..255, which toupper and tolower give back as
 * those bytes; past the table the class is 0 (glibc would read outside it).
 */
export function ctypeCall(name: string, a: Value[]): Value | undefined {
  const c = asInt(a[0]);
  const bit = CLASS_CALLS[name];
  if (bit !== undefined && Object.prototype.hasOwnProperty.call(CLASS_CALLS, name)) return classOf(c) & bit;
  if (name !== 'toupper' && name !== 'tolower') return undefined;
  if (c < -128 || c > 255 || c === -1) return c;
  const b = c < 0 ? c + 256 : c;
  if (name === 'toupper') return b >= 97 && b <= 122 ? b - 32 : b;
  return b >= 65 && b <= 90 ? b + 32 : b;
}
