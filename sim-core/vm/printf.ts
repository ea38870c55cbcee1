// printf-family formatting with glibc's rules for the conversions scenarios use (%d %i %u %x %X
// %o %c %s %p %%, the floating %f %F %e %E %g %G %a %A of printf-float.ts, flags "-+ #0", width
// and precision, '*', and the hh/h/l/ll/q/z/j/t/L length modifiers).
import { big, toI32 } from './int64';
import { num } from './float';
import { formatFloat } from './printf-float';
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

/**
 * The text a conversion produces, kept up to `limit` characters while `length` counts all of it:
 * a width of 100,000,000 is legal C, and its characters are counted (and charged) without being
 * built past the limit.
 */
class Sink {
  out = '';
  length = 0;
  constructor(private readonly limit: number) {}

  put(s: string): void {
    this.length += s.length;
    if (this.out.length >= this.limit) return;
    this.out += s.length <= this.limit - this.out.length ? s : s.slice(0, this.limit - this.out.length);
  }

  fill(ch: string, n: number): void {
    if (n <= 0) return;
    const room = this.limit - this.out.length;
    this.length += n;
    if (room > 0) this.out += ch.repeat(Math.min(n, room));
  }

  /** s padded to `width` as printf pads: spaces left or right, or zeros after the prefix. */
  pad(s: string, width: number, left: boolean, zero: boolean, prefixLen = 0): void {
    const n = width - s.length;
    if (n <= 0) this.put(s);
    else if (left) { this.put(s); this.fill(' ', n); }
    else if (zero) { this.put(s.slice(0, prefixLen)); this.fill('0', n); this.put(s.slice(prefixLen)); }
    else { this.fill(' ', n); this.put(s); }
  }
}

/** glibc's limit on what one printf produces: INT_MAX characters, beyond which it fails with EOVERFLOW. */
export const INT_MAX = 0x7fffffff;
/** Characters one call builds at most (the rest is counted, not built): 256 MiB. */
export const FORMAT_LIMIT = 1 << 28;

/** Formats like printf (text up to FORMAT_LIMIT characters). */
export function format(fmt: string, args: ReadonlyArray<Value>, readString: StringReader): string {
  return formatCounted(fmt, args, readString).text;
}

/**
 * Formats like printf: the text (its first `limit` characters) and the length of all of it, or
 * overflow when a width or precision, or the whole, passes INT_MAX (glibc's EOVERFLOW).
 */
export function formatCounted(fmt: string, args: ReadonlyArray<Value>, readString: StringReader, limit = FORMAT_LIMIT): { text: string; length: number; overflow: boolean } {
  const sink = new Sink(limit);
  let overflow = false;
  let ai = 0;
  const next = (): Value | undefined => args[ai++];
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== '%') { sink.put(ch); continue; }
    const m = /^([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|q|z|j|t|L)?([diuxXocspn%fFeEgGaA])/.exec(fmt.slice(i + 1));
    if (!m) { sink.put('%'); continue; }
    i += m[0].length;
    const flags = m[1];
    let width = m[2] === '*' ? toI32(next()) : m[2] ? Number(m[2]) : 0;
    let left = flags.includes('-');
    if (width < 0) { left = true; width = -width; }
    const prec = m[3] === undefined ? -1 : m[3] === '*' ? toI32(next()) : Number(m[3] || '0');
    if (width > INT_MAX || prec > INT_MAX) { overflow = true; break; }
    const conv = m[5];
    switch (conv) {
      case '%': sink.put('%'); break;
      case 'n': next(); break;
      case 'c': {
        const v = next();
        sink.pad(String.fromCharCode(Number(BigInt.asUintN(8, big(v)))), width, left, false);
        break;
      }
      case 's': {
        let s = readString(next()) ?? '(null)';
        if (prec >= 0) s = s.slice(0, prec);
        sink.pad(s, width, left, false);
        break;
      }
      case 'p': {
        const v = next();
        const s = typeof v === 'object' ? `0x${v.id.toString(16)}` : big(v) !== 0n ? `0x${digits(v, 'x', 'l')}` : '(nil)';
        sink.pad(s, width, left, false);
        break;
      }
      case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': {
        const f = formatFloat(num(next()), conv, prec, flags);
        // The 0 flag pads with zeros after the sign; inf and nan are padded with spaces.
        const n = width - (f.sign.length + f.body.length + f.zeros + f.tail.length);
        const zero = flags.includes('0') && !left && f.finite;
        if (n > 0 && !left && !zero) sink.fill(' ', n);
        // %a's 0x goes before the zeros, as the sign does.
        const lead = f.finite && (conv === 'a' || conv === 'A') ? 2 : 0;
        sink.put(f.sign + f.body.slice(0, lead));
        if (n > 0 && zero) sink.fill('0', n);
        sink.put(f.body.slice(lead));
        sink.fill('0', f.zeros);
        sink.put(f.tail);
        if (n > 0 && left) sink.fill(' ', n);
        break;
      }
      default: {
        const v = next();
        let body = digits(v, conv, m[4] ?? '');
        const neg = body.startsWith('-');
        if (neg) body = body.slice(1);
        // Zeros a precision asks for in front of the digits (counted, built only as far as kept).
        let zeros = 0;
        if (prec >= 0) {
          if (prec === 0 && body === '0') body = '';
          zeros = Math.max(0, prec - body.length);
        }
        let prefix = '';
        if (conv === 'd' || conv === 'i') {
          prefix = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
        } else if (flags.includes('#') && body !== '' && body !== '0') {
          if (conv === 'x') prefix = '0x';
          else if (conv === 'X') prefix = '0X';
          else if (conv === 'o' && !body.startsWith('0') && zeros === 0) prefix = '0';
        }
        const zero = flags.includes('0') && !left && prec < 0;
        const n = width - (prefix.length + zeros + body.length);
        if (n > 0 && !left && !zero) sink.fill(' ', n);
        sink.put(prefix);
        if (n > 0 && zero) sink.fill('0', n);
        sink.fill('0', zeros);
        sink.put(body);
        if (n > 0 && left) sink.fill(' ', n);
      }
    }
  }
  if (sink.length > INT_MAX) overflow = true;
  return { text: sink.out, length: sink.length, overflow };
}
