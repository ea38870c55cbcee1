// The scanf family's conversions as glibc's __vfscanf_internal reads them: whitespace in the
// format skips any run of input whitespace, %d %i %u %x %o (with hh, h, l, ll), %s, %c, %[...],
// %n and %%, a width and * to skip the assignment. The result counts the assignments made, or
// is EOF when the input ends before the first conversion. The input is a string that may not
// hold everything yet: when a conversion needs a character past its end and more may come, the
// scan says so instead of finishing, and runs again once more has been read.
import type { VmMemory } from './memory';
import type { Value } from './types';
import { norm } from './int64';

export type ScanResult =
  | { kind: 'done'; result: number; used: number }
  | { kind: 'more' }
  | { kind: 'fault'; message: string };

const SPACE = /[ \t\n\v\f\r]/;

class NeedMore extends Error {}

/** An assignment to make once the scan is known to be complete (so a rerun stores nothing twice). */
type Store = { addr: number; cells: Value[] };

/**
 * Scans `input` by `fmt`. `eof`: nothing follows the input (a string, or a stream at its end).
 * args are the pointer arguments. Stores into memory only when the scan completes.
 */
export function scan(fmt: string, input: string, eof: boolean, args: readonly Value[], mem: VmMemory): ScanResult {
  let pos = 0, ai = 0, count = 0, convs = 0;
  const stores: Store[] = [];
  const peek = (): string | null => {
    if (pos < input.length) return input[pos];
    if (eof) return null;
    throw new NeedMore();
  };
  let inputFailure = false;
  try {
    for (let i = 0; i < fmt.length; i++) {
      const f = fmt[i];
      if (SPACE.test(f)) {
        for (let c = peek(); c !== null && SPACE.test(c); c = peek()) pos++;
        continue;
      }
      if (f !== '%' || fmt[i + 1] === '%') {
        if (f === '%') {
          i++;
          for (let c = peek(); c !== null && SPACE.test(c); c = peek()) pos++;
        }
        const c = peek();
        if (c === null) { inputFailure = true; break; }
        if (c !== f) break;
        pos++;
        continue;
      }
      const m = /^%(\*)?(\d+)?(hh|h|ll|l|j|z|t|L|q)?([diuxXoscn[])/.exec(fmt.slice(i));
      if (!m) break;
      i += m[0].length - 1;
      const skip = m[1] === '*', width = m[2] ? Number(m[2]) : 0, size = m[3] ?? '', conv = m[4];
      let set: ((c: string) => boolean) | null = null;
      if (conv === '[') {
        const parsed = scanset(fmt, i + 1);
        if (!parsed) break;
        set = parsed.test;
        i = parsed.end;
      }
      const dest = (): number => { const a = args[ai++]; return typeof a === 'number' ? a : 0; };
      if (conv === 'n') { if (!skip) stores.push({ addr: dest(), cells: [pos] }); continue; }
      if (conv !== 'c' && conv !== '[') {
        for (let c = peek(); c !== null && SPACE.test(c); c = peek()) pos++;
      }
      if (peek() === null) { inputFailure = true; break; }
      convs++;
      if (conv === 'c' || conv === 's' || conv === '[') {
        const max = width > 0 ? width : conv === 'c' ? 1 : Infinity;
        let text = '';
        for (let c = peek(); c !== null && text.length < max; c = text.length < max ? peek() : null) {
          if (conv === 's' && SPACE.test(c)) break;
          if (set && !set(c)) break;
          text += c;
          pos++;
        }
        if (text.length === 0) break;
        if (!skip) {
          const cells: Value[] = [...text].map((ch) => (ch.charCodeAt(0) << 24) >> 24);
          if (conv !== 'c') cells.push(0);
          stores.push({ addr: dest(), cells });
          count++;
        }
        continue;
      }
      const n = number(conv, width, peek, () => { pos++; });
      if (n === null) break;
      if (!skip) { stores.push({ addr: dest(), cells: [sized(n, size, conv)] }); count++; }
    }
  } catch (e) {
    if (e instanceof NeedMore) return { kind: 'more' };
    throw e;
  }
  for (const s of stores) {
    for (let k = 0; k < s.cells.length; k++) {
      if (!mem.store(s.addr + k, s.cells[k])) return { kind: 'fault', message: 'scanf: bad pointer argument' };
    }
  }
  return { kind: 'done', result: inputFailure && convs === 0 ? -1 : count, used: pos };
}

/** %[...]: the set's test and the index of its closing bracket, or null when it is not closed. */
function scanset(fmt: string, start: number): { test: (c: string) => boolean; end: number } | null {
  let i = start;
  const negate = fmt[i] === '^';
  if (negate) i++;
  const chars = new Set<string>();
  let first = true;
  for (; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === ']' && !first) break;
    first = false;
    if (fmt[i + 1] === '-' && fmt[i + 2] !== undefined && fmt[i + 2] !== ']') {
      for (let k = c.charCodeAt(0); k <= fmt.charCodeAt(i + 2); k++) chars.add(String.fromCharCode(k));
      i += 2;
    } else chars.add(c);
  }
  if (i >= fmt.length) return null;
  return { test: (c) => chars.has(c) !== negate, end: i };
}

/** strtol's reading of an integer conversion, at most `width` characters; null when none matched. */
function number(conv: string, width: number, peek: () => string | null, take: () => void): bigint | null {
  let left = width > 0 ? width : Infinity;
  let text = '';
  const next = (): string | null => (left > 0 ? peek() : null);
  const eat = (c: string): void => { text += c; take(); left--; };
  let c = next();
  if (c === '+' || c === '-') { eat(c); c = next(); }
  let base = conv === 'x' || conv === 'X' ? 16 : conv === 'o' ? 8 : conv === 'i' ? 0 : 10;
  let digits = '';
  if ((base === 0 || base === 16) && c === '0') {
    eat(c); digits = '0'; c = next();
    if (c === 'x' || c === 'X') { eat(c); c = next(); base = 16; digits = ''; } else if (base === 0) base = 8;
  }
  if (base === 0) base = 10;
  const ok = (ch: string): boolean => { const d = parseInt(ch, 36); return !Number.isNaN(d) && d < base; };
  for (; c !== null && ok(c); c = next()) { digits += c; eat(c); }
  if (digits === '') return null;
  const neg = text.startsWith('-');
  const v = BigInt(base === 16 ? `0x${digits}` : base === 8 ? `0o${digits}` : digits);
  return neg ? -v : v;
}

/** The value as the destination's size keeps it (an int's 32 bits, a char's 8...). */
function sized(n: bigint, size: string, conv: string): Value {
  const unsigned = conv === 'u' || conv === 'x' || conv === 'X' || conv === 'o';
  const bits = size === 'hh' ? 8 : size === 'h' ? 16 : size === '' ? 32 : 64;
  const v = unsigned && bits < 64 ? BigInt.asUintN(bits, n) : BigInt.asIntN(bits, n);
  return bits === 64 ? norm(v) : Number(v);
}
