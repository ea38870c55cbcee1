// The values of C's numeric literals: integers in every base (suffixes u, l), and floating ones,
// decimal (1.5, 1e9, .5, 2.) and hexadecimal (0x1.8p1), suffixes f and l; NaN for a malformed one.

/** Whether a number's text is a floating literal (1.5, 1e9, .5, 0x1p3) rather than an integer. */
export function isFloatingText(s: string): boolean {
  return isHexPrefixed(s, 0) ? /[pP.]/.test(s) : /[.eE]/.test(s);
}

/**
 * A hexadecimal floating literal's value (0x1.8p1 is 3): its digits as one exact integer scaled
 * by a power of two, which is exact whenever the digits fit a double's 53 bits.
 */
function hexFloatValue(body: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(body);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return NaN; // `0x.p1` has no digits
  const frac = m[2] ?? '';
  const digits = BigInt(`0x${m[1]}${frac}`);
  let exp = Number(m[3]) - 4 * frac.length;
  let v = Number(digits);
  // Scale in steps so that 2^exp itself never overflows or underflows on the way.
  while (exp > 0) { const e = Math.min(exp, 1000); v *= 2 ** e; exp -= e; }
  while (exp < 0) { const e = Math.max(exp, -1000); v *= 2 ** e; exp -= e; }
  return v;
}

/** Parses the numeric value of a C integer or floating literal's text (suffixes ignored). */
export function numberValue(s: string): number {
  if (isFloatingText(s)) {
    const body = s.replace(/[fFlL]$/, '');
    if (isHexPrefixed(body, 0)) return hexFloatValue(body);
    return /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(body) ? Number(body) : NaN;
  }
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1) | 0x20;
    if (c === 0x75 /* u */ || c === 0x6c /* l */) end--;
    else break;
  }
  const body = s.slice(0, end);
  if (body.length > 1 && body.charCodeAt(0) === 48) {
    const x = body.charCodeAt(1) | 0x20;
    if (x === 0x78) return /^0[xX][0-9a-fA-F]+$/.test(body) ? parseInt(body.slice(2), 16) : NaN;
    if (x === 0x62) return /^0[bB][01]+$/.test(body) ? parseInt(body.slice(2), 2) : NaN;
    if (/^[0-7]+$/.test(body)) return parseInt(body, 8);
  }
  return /^[0-9]+$/.test(body) ? Number(body) : NaN;
}

export function isHexPrefixed(text: string, at: number): boolean {
  return text.charCodeAt(at) === 48 && (text.charCodeAt(at + 1) | 0x20) === 0x78;
}
