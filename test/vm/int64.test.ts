// C's integer types exact to 64 bits: long and unsigned long at their limits, wrap-around of
// int and unsigned int, conversions on assignment, cast and argument passing, literal types,
// the <limits.h> constants, mixed-sign comparisons, the traps of idiv, and the same arithmetic
// through the fused instructions of hot loops. Each expected text is what gcc's program prints on x86-64.
import { strict as assert } from 'node:assert';
import { parse } from '../../sim-core/lang/parser';
import { compile } from '../../sim-core/vm';
import { main, output, runToExit, start } from './helpers';

interface Row { name: string; body: string; out: string; prelude?: string }

const ROWS: Row[] = [
  { name: 'LONG_MAX + 1 wraps to LONG_MIN', body: 'long a = LONG_MAX; a = a + 1; printf("%ld %ld %d\\n", LONG_MAX, a, a < 0);', out: '9223372036854775807 -9223372036854775808 1\n' },
  { name: 'long multiplication wraps at 64 bits', body: 'long a = 1000000000000000000L; long b = a * 1000; printf("%ld\\n", b);', out: '3875820019684212736\n' },
  { name: 'long keeps values past 2^53 exactly', body: 'long a = 9007199254740993; long b = a + 2; printf("%ld %ld %d\\n", a, b, b - a == 2);', out: '9007199254740993 9007199254740995 1\n' },
  { name: 'INT_MAX + 1 is INT_MIN', body: 'int i = INT_MAX; i = i + 1; printf("%d %d\\n", i, i == INT_MIN);', out: '-2147483648 1\n' },
  { name: 'unsigned u = -1 prints 4294967295', body: 'unsigned u = -1; printf("%u %u %d\\n", u, u + 1, u == UINT_MAX);', out: '4294967295 0 1\n' },
  { name: 'unsigned long wraps modulo 2^64', body: 'unsigned long u = 0; u = u - 1; printf("%lu %lu %lu\\n", u, u + 2, ULONG_MAX * ULONG_MAX);', out: '18446744073709551615 1 1\n' },
  { name: 'conversions truncate to the destination', body: 'char c = 300; unsigned char uc = (unsigned char)-1; short s = 70000; int i = LONG_MAX; long l = (unsigned)-1; printf("%d %d %d %d %ld\\n", c, uc, s, i, l);', out: '44 255 4464 -1 4294967295\n' },
  {
    name: 'arguments convert to the parameter type', prelude: 'unsigned long id(unsigned long x) { return x; }\nint narrow(int x) { return x; }',
    body: 'printf("%lu %d\\n", id(-1), narrow(4294967297));', out: '18446744073709551615 1\n',
  },
  { name: 'shifts: 1 << 31, 1L << 63, >> on signed and unsigned', body: 'int m = -16; unsigned int u = 0x80000000; long l = LONG_MIN; unsigned long ul = 1UL << 63; printf("%d %ld %d %u %ld %lu\\n", 1 << 31, 1L << 63, m >> 2, u >> 31, l >> 62, ul >> 62);', out: '-2147483648 -9223372036854775808 -4 1 -2 2\n' },
  { name: 'shift counts are masked as the instruction masks them', body: 'int n = 33; long k = 65; printf("%d %ld\\n", 1 << n, 1L << k);', out: '2 2\n' },
  { name: 'division truncates, % follows the dividend, in 64 bits', body: 'long a = -9223372036854775807L; printf("%ld %ld %lu\\n", a / 10, a % 10, ULONG_MAX / 3);', out: '-922337203685477580 -7 6148914691236517205\n' },
  { name: 'a signed operand meets an unsigned one as unsigned', body: 'int m = -1; unsigned int u = 1; long l = -1; printf("%d %d %d %u %d\\n", m < u, m == 4294967295u, l < 1UL, m / 2u, l < u);', out: '0 1 0 2147483647 1\n' },
  { name: 'the condition of a loop compares mixed types as C does', body: 'int n = 0; for (int i = -1; i < 3u; i++) n++; printf("%d\\n", n);', out: '0\n' },
  { name: 'literal types follow C\'s rules', body: 'printf("%ld %ld %ld %ld %ld %ld\\n", sizeof(2147483647), sizeof(2147483648), sizeof(0xffffffff), sizeof(1L), sizeof(1U), sizeof(0x100000000));', out: '4 8 4 8 4 8\n' },
  { name: 'a hex literal past INT_MAX is unsigned int', body: 'printf("%d %d\\n", 0xffffffff > 0, -1 == 0xffffffff);', out: '1 1\n' },
  { name: 'limits of <limits.h>', body: 'printf("%d %d %u %ld %ld %lu %lld %llu\\n", INT_MIN, INT_MAX, UINT_MAX, LONG_MIN, LONG_MAX, ULONG_MAX, LLONG_MIN, ULLONG_MAX);', out: '-2147483648 2147483647 4294967295 -9223372036854775808 9223372036854775807 18446744073709551615 -9223372036854775808 18446744073709551615\n' },
  { name: 'unary minus and ~ at the limits', body: 'long l = LONG_MIN; unsigned long u = 1; printf("%ld %ld %lu %lu\\n", -l, ~l, -u, ~u);', out: '-9223372036854775808 9223372036854775807 18446744073709551615 18446744073709551614\n' },
  { name: 'bit operators on 64-bit values', body: 'long a = LONG_MIN; unsigned long b = ULONG_MAX; printf("%ld %lx %lx %ld\\n", a | 1, b & 0xff00000000000000UL, b ^ 1, a & -a);', out: '-9223372036854775807 ff00000000000000 fffffffffffffffe -9223372036854775808\n' },
  { name: 'increments wrap in their type', body: 'long l = LONG_MAX; unsigned char c = 255; unsigned long u = ULONG_MAX; l++; c++; u++; printf("%ld %d %lu\\n", l, c, u);', out: '-9223372036854775808 0 0\n' },
  { name: 'constant folding wraps as gcc folds', body: 'printf("%d %d %ld\\n", INT_MAX + 1, -2147483647 - 1, LONG_MAX + 1);', out: '-2147483648 -2147483648 -9223372036854775808\n' },
  {
    name: 'hot loops wrap a long past LONG_MAX (fused instructions)',
    body: 'long s = LONG_MAX - 5; for (int i = 0; i < 10; i++) s += 1; long t = 1; for (int i = 0; i < 70; i++) t = t * 3; printf("%ld %ld\\n", s, t);', out: '-9223372036854775804 2293070008301402073\n',
  },
  {
    name: 'hot int loops still wrap at 32 bits', body: 'int h = 0; for (int i = 0; i < 1000; i++) h = h * 31 + 7; unsigned int g = 1; for (int i = 0; i < 40; i++) g = g + g; printf("%d %u\\n", h, g);', out: '-2104384128 0\n',
  },
  { name: 'atol gives strtol\'s exact value, saturated at the limits', body: 'printf("%ld %ld %d\\n", atol("9223372036854775807"), atol("-99999999999999999999"), atoi("99999999999"));', out: '9223372036854775807 -9223372036854775808 1215752191\n' },
  { name: 'the arms of ?: convert to their common type', body: 'int c = 1; long x = c ? -1 : 0u; long y = !c ? 0u : -1; long z = c ? -1 : 0UL; printf("%ld %ld %ld\\n", x, y, z);', out: '4294967295 4294967295 -1\n' },
  { name: 'case values convert to the controlling type, to 64 bits', body: 'unsigned long w = -1; long g = LONG_MAX; switch (w) { case ULONG_MAX: printf("umax "); break; default: printf("other "); } switch (g) { case LONG_MAX: printf("max\\n"); break; default: printf("other\\n"); }', out: 'umax max\n' },
  { name: 'a character constant is a signed char widened to int, like the bytes of a string', body: 'char s[3] = "\\xff\\x80"; unsigned char u[2] = "\\xff"; printf("%d %d %d %d %d\\n", \'\\xff\', s[0], s[1], u[0], s[0] == \'\\xff\');', out: '-1 -1 -128 255 1\n' },
  { name: 'globals are initialised with converted, exact values', prelude: 'long g = LONG_MAX; unsigned long h = -1; unsigned int gu = -1; char gc = 300; long ga[2] = { LONG_MIN, -1 };', body: 'printf("%ld %lu %u %d %ld %ld\\n", g, h, gu, gc, ga[0], ga[1]);', out: '9223372036854775807 18446744073709551615 4294967295 44 -9223372036854775808 -1\n' },
  { name: 'two places in one string literal differ by the characters between them', body: 'char *s = "hello"; char *p = s; while (*p) p++; printf("%ld %ld %ld\\n", p - s, s - p, (s + 2) - s);', out: '5 -5 2\n' },
  { name: 'abs and labs wrap at the most negative value, as glibc\'s do', body: 'int i = INT_MIN; long l = LONG_MIN; printf("%d %d %ld %ld\\n", abs(i), abs(-5), labs(l), labs(l + 1));', out: '-2147483648 5 -9223372036854775808 9223372036854775807\n' },
  { name: 'a string literal read through an unsigned char pointer gives unsigned bytes', body: 'unsigned char *p = (unsigned char *)"\\xff\\x80z"; char *q = "\\xff"; printf("%d %d %d %d\\n", p[0], *(p + 1), p[2], *q);', out: '255 128 122 -1\n' },
  { name: 'printf reinterprets an int for %u and %x, and reads the length modifiers', body: 'int m = -1; printf("%u %x %o %hd %hhd %hu %hhu %zd %zu\\n", m, m, 8, 70000, 300, -1, -1, (long)-5, sizeof(int));', out: '4294967295 ffffffff 10 4464 44 65535 255 -5 4\n' },
];

describe('vm: 64-bit integers and conversions', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const { out } = output(main(`${row.body}\nreturn 0;`, `#include <limits.h>\n${row.prelude ?? ''}`));
      assert.equal(out, row.out);
    });
  }

  for (const [name, body] of [
    ['LONG_MIN / -1 traps like idiv', 'long a = LONG_MIN, b = -1; return (int)(a / b);'],
    ['LONG_MIN % -1 traps like idiv', 'long a = LONG_MIN, b = -1; return (int)(a % b);'],
    ['INT_MIN % -1 traps like idiv', 'int a = INT_MIN, b = -1; return a % b;'],
    ['a long divided by zero', 'long a = LONG_MAX, b = 0; return (int)(a / b);'],
  ]) {
    it(name, () => {
      const t = runToExit(start(main(body, '#include <limits.h>'))).trap;
      assert.equal(t.kind === 'fault' ? t.signal : t.kind, 'SIGFPE');
    });
  }

  it('unsigned division never traps on -1', () => {
    assert.equal(output(main('unsigned long a = 1UL << 63, b = -1; printf("%lu\\n", a / b); return 0;')).out, '0\n');
  });

  it('an integer constant wider than 64 bits is a located error, not a crash', () => {
    const src = main(`long x = ${'9'.repeat(300)};\nreturn 0;`);
    const { diagnostics } = compile(parse(src).program, src);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /too large/);
    assert.equal(src.slice(errors[0].range.start, errors[0].range.start + 3), '999');
  });
});
