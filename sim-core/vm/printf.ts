// printf-family formatting with glibc's rules for the conversions scenarios use (%d %i %u %x %X
// %o %c %s %p %%, flags "-+ #0", width and precision, '*', and the hh/h/l/ll/q/z/j/t length modifiers).
import { big, toI32 } from './int64';
import type { Value } from './types';

/** Reads a C string: a literal held in one cell, or character cells from an address up to NUL. */
export type StringReader = (v: Value | undefined) => string | null;

/**
 * The digits of an integer argument: the value converted as glibc reads it for the conversion and
 * length modifier (an int reinterpreted as unsigned for %u, the low byte for %hhd, 64 bits for
 * %ld %lld %zu %jd %td), without sign for the unsigned conversions.
 */
function digits(v: Value | undefined, conv: string, length: string): string {
  const n = typeof v === 'number' || typeof v === 'bigint' ? big(v) : 0n;
  const long = length === 'l' || length === 'll' || length === 'z' || length === 'j' || length === 't' || length === 'L' || length === 'q';
  const bits = long ? 64 : length === 'hh' ? 8 : length === 'h' ? 16 : 32;
  if (conv === 'd' || conv === 'i') return BigInt.asIntN(bits, n).toString();
  const u = BigInt.asUintN(bits, n);
  return conv === 'u' ? u.toString() : conv === 'o' ? u.toString(8) : conv === 'X' ? u.toString(16).toUpperCase() : u.toString(16);
}

function pad(s: string, width: number, left: boolean, zero: boolean, prefixLen = 0): string {
  if (s.length >= width) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) return s.slice(0, prefixLen) + '0'.repeat(width - s.length) + s.slice(prefixLen);
  return ' '.repeat(width - s.length) + s;
}

/** Formats like printf; `next` yields the variadic arguments in order. */
export function format(fmt: string, args: ReadonlyArray<Value>, readString: StringReader): string {
  let out = '';
  let ai = 0;
  const next = (): Value | undefined => args[ai++];
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== '%') { out += ch; continue; }
    const m = /^([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|q|z|j|t|L)?([diuxXocspn%])/.exec(fmt.slice(i + 1));
    if (!m) { out += '%'; continue; }
    i += m[0].length;
    const flags = m[1];
    let width = m[2] === '*' ? toI32(next()) : m[2] ? Number(m[2]) : 0;
    let left = flags.includes('-');
    if (width < 0) { left = true; width = -width; }
    const prec = m[3] === undefined ? -1 : m[3] === '*' ? toI32(next()) : Number(m[3] || '0');
    const conv = m[5];
    switch (conv) {
      case '%': out += '%'; break;
      case 'n': next(); break;
      case 'c': {
        const v = next();
        out += pad(String.fromCharCode(Number(BigInt.asUintN(8, big(v)))), width, left, false);
        break;
      }
      case 's': {
        let s = readString(next()) ?? '(null)';
        if (prec >= 0) s = s.slice(0, prec);
        out += pad(s, width, left, false);
        break;
      }
      case 'p': {
        const v = next();
        const s = typeof v === 'object' ? `0x${v.id.toString(16)}` : big(v) !== 0n ? `0x${digits(v, 'x', 'l')}` : '(nil)';
        out += pad(s, width, left, false);
        break;
      }
      default: {
        const v = next();
        let body = digits(v, conv, m[4] ?? '');
        const neg = body.startsWith('-');
        if (neg) body = body.slice(1);
        if (prec >= 0) {
          if (prec === 0 && body === '0') body = '';
          if (body.length < prec) body = '0'.repeat(prec - body.length) + body;
        }
        let prefix = '';
        if (conv === 'd' || conv === 'i') {
          prefix = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
        } else if (flags.includes('#') && body !== '' && body !== '0') {
          if (conv === 'x') prefix = '0x';
          else if (conv === 'X') prefix = '0X';
          else if (conv === 'o' && !body.startsWith('0')) prefix = '0';
        }
        const zero = flags.includes('0') && !left && prec < 0;
        out += pad(prefix + body, width, left, zero, prefix.length);
      }
    }
  }
  return out;
}
