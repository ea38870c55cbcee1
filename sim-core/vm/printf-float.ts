// printf's floating conversions (%f %F %e %E %g %G %a %A) as glibc prints them: from the exact
// binary value of the double, rounded once to the digits asked for, ties to even (2.675 is
// 2.67499999999999982236431605997495353221893310546875, so %.2f gives 2.67; %.0f of 0.5 is 0).
// Every digit is computed with BigInt from the double's bits, so 1e22 with %f prints all of its
// digits and precisions past JavaScript's 100-digit limits are exact too.

/**
 * The parts of a formatted number: its sign ('-', '+', ' ' or ''), its digits, then `zeros`
 * zeros and `tail` (the exponent): a precision past every digit a double has is zeros, counted
 * rather than built.
 */
export interface FloatText { sign: string; body: string; zeros: number; tail: string; finite: boolean }

/**
 * Fractional digits past which every digit of a double is 0 (the smallest subnormal, 2^-1074,
 * has 1074 of them); larger precisions are computed at this one and the rest are zeros.
 */
const EXACT_DIGITS = 1100;

/** x as m * 2^e with m a non-negative integer (x finite, sign dropped). */
function decompose(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return { m: frac, e: -1074 };
  return { m: frac | (1n << 52n), e: exp - 1075 };
}

/** round(m * 2^e * 10^s), ties to even (s may be negative). */
function scaledRound(m: bigint, e: number, s: number): bigint {
  let num = m, den = 1n;
  if (e >= 0) num <<= BigInt(e); else den <<= BigInt(-e);
  if (s >= 0) num *= 10n ** BigInt(s); else den *= 10n ** BigInt(-s);
  const q = num / den, r = num - q * den;
  const twice = 2n * r;
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** Digits with a decimal point `p` places from the right (p >= 0), as %f writes them. */
function pointed(digits: string, p: number, alt: boolean): string {
  if (p === 0) return alt ? `${digits}.` : digits;
  const d = digits.padStart(p + 1, '0');
  return `${d.slice(0, d.length - p)}.${d.slice(d.length - p)}`;
}

function fixed(x: number, prec: number, alt: boolean): string {
  if (x === 0) return pointed('0', prec, alt);
  const { m, e } = decompose(x);
  return pointed(scaledRound(m, e, prec).toString(), prec, alt);
}

/** The digits (prec + 1 of them) and the decimal exponent of x as %e rounds it. */
function scientific(x: number, prec: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(prec + 1), exp: 0 };
  const { m, e } = decompose(x);
  // A first guess from the magnitude, corrected until the digits number prec + 1.
  let exp = Math.floor(Math.log10(x));
  for (;;) {
    const q = scaledRound(m, e, prec - exp);
    const s = q.toString();
    if (s.length > prec + 1) { exp++; continue; }
    if (s.length < prec + 1) { exp--; continue; }
    return { digits: s, exp };
  }
}

function expText(exp: number): string {
  const a = Math.abs(exp);
  return `${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
}

function exponential(x: number, prec: number, alt: boolean): string {
  const { digits, exp } = scientific(x, prec);
  const mant = prec === 0 ? (alt ? `${digits}.` : digits) : `${digits[0]}.${digits.slice(1)}`;
  return `${mant}e${expText(exp)}`;
}

/** Whether x < 10^p, exactly. */
function belowPowerOfTen(x: number, p: number): boolean {
  const { m, e } = decompose(x);
  return e >= 0 ? m << BigInt(e) < 10n ** BigInt(p) : m < 10n ** BigInt(p) << BigInt(-e);
}

/** %g: %e or %f by the exponent, trailing zeros removed unless '#'. */
function general(x: number, prec: number, alt: boolean): string {
  const p = prec === 0 ? 1 : prec;
  const exp = x === 0 ? 0 : scientific(x, p - 1).exp;
  let s: string;
  if (p > exp && exp >= -4) s = fixed(x, p - 1 - exp, alt);
  // glibc picks %f by the exponent before rounding; when rounding then carries to 10^P it
  // writes the exponent form with the digits %f had after the point, none (%#.3g of 999.98
  // is 1.e+03, not 1.00e+03).
  else if (exp === p && belowPowerOfTen(x, p)) s = exponential(x, 0, alt);
  else s = exponential(x, p - 1, alt);
  if (!alt) {
    const at = s.indexOf('e');
    let mant = at < 0 ? s : s.slice(0, at);
    const tail = at < 0 ? '' : s.slice(at);
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    s = mant + tail;
  }
  return s;
}

/**
 * %a: 0x1.<hex>p<exp> for a normal double (0x0.<hex>p-1022 for a subnormal one), as many hex
 * digits as the value needs, or `prec` of them rounded to nearest, ties to even.
 */
function hex(x: number, prec: number, alt: boolean): string {
  if (x === 0) return `0x0${prec > 0 ? `.${'0'.repeat(prec)}` : alt ? '.' : ''}p+0`; // prec <= 13 here
  const { m, e } = decompose(x);
  const subnormal = m < (1n << 52n);
  let lead = subnormal ? 0n : 1n;
  let frac = m & ((1n << 52n) - 1n); // 13 hex digits
  const exp = subnormal ? -1022 : e + 52;
  let digits: string;
  if (prec < 0) digits = frac.toString(16).padStart(13, '0').replace(/0+$/, '');
  else {
    if (prec < 13) {
      const drop = BigInt(4 * (13 - prec));
      const q = frac >> drop, r = frac & ((1n << drop) - 1n), half = 1n << (drop - 1n);
      const odd = ((prec === 0 ? lead : q) & 1n) === 1n; // the last digit kept decides a tie
      frac = r > half || (r === half && odd) ? q + 1n : q;
      if (frac >> BigInt(4 * prec) !== 0n) { lead += 1n; frac &= (1n << BigInt(4 * prec)) - 1n; }
      digits = prec === 0 ? '' : frac.toString(16).padStart(prec, '0');
    } else digits = frac.toString(16).padStart(13, '0');
  }
  const point = digits !== '' || alt ? '.' : '';
  return `0x${lead.toString(16)}${point}${digits}p${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
}

/**
 * One floating conversion of x: conv is one of f F e E g G a A, prec the precision (-1 when none
 * was given), flags printf's flag characters.
 */
export function formatFloat(x: number, conv: string, prec: number, flags: string): FloatText {
  const lower = conv.toLowerCase();
  const upper = conv !== lower;
  const alt = flags.includes('#');
  // Every NaN the VM holds is x86's default NaN, whose sign bit is set (vm/float.ts).
  const negative = Number.isNaN(x) || x < 0 || Object.is(x, -0);
  const sign = negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  if (!Number.isFinite(x)) {
    const body = Number.isNaN(x) ? 'nan' : 'inf';
    return { sign, body: upper ? body.toUpperCase() : body, zeros: 0, tail: '', finite: false };
  }
  const a = Math.abs(x);
  const p = prec < 0 ? (lower === 'a' ? -1 : 6) : prec;
  const extra = Math.max(0, p - EXACT_DIGITS);
  let body: string, tail = '';
  switch (lower) {
    case 'f': body = fixed(a, p - extra, alt); break;
    case 'e': {
      body = exponential(a, p - extra, alt);
      if (extra > 0) { tail = body.slice(body.indexOf('e')); body = body.slice(0, body.indexOf('e')); }
      break;
    }
    case 'g': body = general(a, p - extra, alt); break;
    default: {
      body = hex(a, Math.min(p, 13), alt);
      if (p > 13) { tail = body.slice(body.indexOf('p')); body = body.slice(0, body.indexOf('p')); }
      break;
    }
  }
  const zeros = lower === 'f' || lower === 'e' ? extra : lower === 'a' ? Math.max(0, p - 13) : 0;
  return upper ? { sign, body: body.toUpperCase(), zeros, tail: tail.toUpperCase(), finite: true } : { sign, body, zeros, tail, finite: true };
}
