// Floating point as gcc -O0 computes it on x86-64: each row is a program the checker accepts,
// run to its exit in the VM; the expected text is what the same program printed when compiled
// with gcc and run on Linux (test/fidelity/cases has such programs compared live).
import { strict as assert } from 'node:assert';
import { check } from '../../sim-core/lang/check';
import { parse } from '../../sim-core/lang/parser';
import { main, output } from './helpers';

interface Row { name: string; body: string; out: string; prelude?: string }

const ROWS: Row[] = [
  {
    name: 'time per fork: a long difference divided by 1e9',
    body: 'long start = 1000000000L, end = 4567891234L; int n = 7; double t = (end - start) / 1e9; printf(\"%.3f s, %.6f s per fork, %g\\n\", t, t / n, t / n);',
    out: '3.568 s, 0.509699 s per fork, 0.509699\n',
  },
  {
    name: 'average of an int array through a float cast',
    body: 'int a[5] = { 3, 4, 4, 5, 7 }; int sum = 0; for (int i = 0; i < 5; i++) sum += a[i]; float avg = sum / (float)5; double avg2 = sum / 5; printf(\"%f %f %.10f\\n\", avg, avg2, (double)sum / 3);',
    out: '4.600000 4.000000 7.6666666667\n',
  },
  {
    name: 'float rounds at every operation, double does not',
    body: 'float f = 0.1f; double d = 0.1; float fs = 0; double ds = 0; for (int i = 0; i < 10; i++) { fs += f; ds += d; } printf(\"%.20f\\n%.20f\\n%d %d %d\\n\", fs, ds, fs == 1.0f, ds == 1.0, f == d);',
    out: '1.00000011920928955078\n0.99999999999999988898\n0 0 0\n',
  },
  {
    name: 'conversions to integers truncate toward zero',
    body: 'double v[6] = { 2.7, -2.7, 0.5, -0.5, 1e10, -1e10 }; for (int i = 0; i < 6; i++) printf(\"%d %ld %u %d|\", (int)v[i], (long)v[i], (unsigned)v[i], (short)v[i]); printf(\"\\n%d %d %lu\\n\", (int)(char)300.9, (unsigned char)-1.5, (unsigned long)-1.0);',
    out: '2 2 2 2|-2 -2 4294967294 -2|0 0 0 0|0 0 0 0|-2147483648 10000000000 1410065408 0|-2147483648 -10000000000 2884901888 0|\n127 0 0\n',
  },
  {
    name: 'integers to doubles and floats round to nearest',
    body: 'long big = 9007199254740993L; double d = big; float f = 16777217; unsigned long u = 18446744073709551615UL; printf(\"%.1f %.1f %.1f %.1f\\n\", d, f, (double)u, (float)u);',
    out: '9007199254740992.0 16777216.0 18446744073709551616.0 18446744073709551616.0\n',
  },
  {
    name: 'mixed arithmetic follows the usual conversions',
    body: 'int i = 7; unsigned u = 3; long l = -2; float f = 1.5f; double d = 2.25; printf(\"%g %g %g %g %g %d\\n\", i / 2 + f, u * d, l / f, i / 2.0, (float)1 / 3 + 0.0, 7 / 2 * 2.0 == 6.0);',
    out: '4.5 6.75 -1.33333 3.5 0.333333 1\n',
  },
  {
    name: 'division by zero gives inf and nan, no signal',
    body: 'double z = 0.0; double a = 1 / z, b = -1 / z, c = z / z; printf(\"%f %f %f %e %g %d %d\\n\", a, b, c, a, b, c == c, a > 1e308);',
    out: 'inf -inf -nan inf -inf 0 1\n',
  },
  {
    name: 'increment, decrement and compound assignment on doubles',
    body: 'double x = 0.5; x++; ++x; x--; x += 2; x *= 3; x /= 4; x -= 0.125; int k = 10; k *= 0.55; k += 1.9; float g = 1; g /= 3; printf(\"%g %d %.9g\\n\", x, k, g);',
    out: '2.5 6 0.333333343\n',
  },
  {
    name: 'comparisons and conditions on doubles',
    body: 'double a = 0.1 + 0.2, b = 0.3; double z = 0.0; printf(\"%d %d %d %d %d %d\\n\", a == b, a > b, !z, z ? 1 : 2, -0.0 == 0.0, (a > b) + (1.5 < 2));',
    out: '0 1 1 2 1 2\n',
  },
  {
    name: 'sizeof, pointers, arrays and struct members of double',
    prelude: 'struct sample { int n; double mean; float f; };',
    body: 'double arr[3] = { 1.5, 2.5, 3.5 }; double *p = arr; struct sample s = { 2, 0.75, 0.25f }; struct sample *sp = &s; *(p + 1) *= 2; sp->mean += arr[1]; printf(\"%zu %zu %zu %zu %g %g %g %g\\n\", sizeof(double), sizeof(float), sizeof arr, sizeof(struct sample), p[1], sp->mean, s.f * 2, *p);',
    out: '8 4 24 24 5 5.75 0.5 1.5\n',
  },
  {
    name: 'functions take and return doubles and floats',
    prelude: 'static double half(double x) { return x / 2; }\nstatic float twice(float x) { return x * 2; }\nstatic int trunc_it(double x) { return x; }\nstatic double avg(int *a, int n) { long s = 0; for (int i = 0; i < n; i++) s += a[i]; return (double)s / n; }',
    body: 'int v[4] = { 1, 2, 3, 5 }; printf(\"%g %g %d %g %g\\n\", half(5), twice(1.25f), trunc_it(-3.99), avg(v, 4), half(twice(3)));',
    out: '2.5 2.5 -3 2.75 3\n',
  },
  {
    name: 'printf conversions with flags, widths and precisions',
    body: 'double x = 3.14159265358979; printf(\"[%8.3f] [%-8.2e] [%+g] [%08.2f] [%.0f] [%#.0f] [%G] [%a] [%lf] [%5.1f%%]\\n\", x, x, x, -x, 2.5, 2.5, 1e-7, 1.0, x, 99.95);',
    out: '[   3.142] [3.14e+00] [+3.14159] [-0003.14] [2] [2.] [1E-07] [0x1p+0] [3.141593] [100.0%]\n',
  },
  {
    name: 'snprintf and sprintf format doubles',
    body: 'char buf[32]; int n = snprintf(buf, sizeof buf, \"%.2f|%e\", 2.675, 123.456); char small[6]; int m = snprintf(small, sizeof small, \"%f\", 3.5); sprintf(buf + n, \"!%g\", 0.0001); printf(\"%s %d %s %d\\n\", buf, n, small, m);',
    out: '2.67|1.234560e+02!0.0001 17 3.500 8\n',
  },
  {
    name: 'floating literals in every form',
    body: 'printf(\"%g %g %g %g %g %g %a\\n\", 1e3, .5, 2.f, 0x1p3, 0x1.8p1, 1.5e-3F, 0x1p-1074);',
    out: '1000 0.5 2 8 3 0.0015 0x0.0000000000001p-1022\n',
  },
  {
    name: 'constant expressions with doubles fold as they run',
    prelude: '#define SCALE (1.0 / 3)\nstatic double g = SCALE * 3;\nstatic int gi = 2.9;\nstatic float gf = 16777217;',
    body: 'printf(\"%.17g %d %.1f %d\\n\", g, gi, gf, (int)(SCALE * 300));',
    out: '1 2 16777216.0 100\n',
  },
  {
    name: 'rand() / (double)RAND_MAX and the library',
    prelude: '#include <stdlib.h>\n#include <math.h>',
    body: 'srand(42); double r = rand() / (double)RAND_MAX; char *end; double v = strtod(\" 6.02e23 moles\", &end); printf(\"%.6f %g [%s] %g %g %g %g\\n\", r, v, end, atof(\"-1.5x\"), sqrt(16), floor(-0.5), fmod(-7, 3));',
    out: '0.033470 6.02e+23 [ moles] -1.5 4 -1 -1\n',
  },
  {
    name: 'strtod, strtof and atof: endptr, ERANGE, hexadecimal, inf and nan',
    prelude: '#include <stdlib.h>\n#include <errno.h>',
    body: 'const char *in[] = { "  3.5kg", "-0x1.8p1z", "1e400", "-1e-400", "4e-320", "infinity!", "-INF", ".e5", "0x", "+.5e-1", "1e", "abc" }; for (int i = 0; i < 12; i++) { char *end; errno = 0; double v = strtod(in[i], &end); printf("%g %d %ld|", v, errno == ERANGE, (long)(end - in[i])); } const char *n = "nan(123)x"; char *e; double v = strtod(n, &e); errno = 0; float f = strtof("1e39", NULL); printf("\\n%d %ld %f %d %.9g %g\\n", v != v, (long)(e - n), f, errno == ERANGE, strtof("0.1", NULL), atof("  -2.5e2x"));',
    out: '3.5 0 5|-3 0 8|inf 1 5|-0 1 7|3.99996e-320 1 6|inf 0 8|-inf 0 4|0 0 0|0 0 1|0.05 0 6|1 0 1|0 0 0|\n1 8 inf 1 0.100000001 -250\n',
  },
];

function run(row: Row): string {
  const src = main(`${row.body}\nreturn 0;`, `#include <sys/types.h>\n#include <string.h>\n${row.prelude ?? ''}`);
  const parsed = parse(src);
  const errors = [...parsed.diagnostics, ...check(parsed.program, src)].filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], 'the checker accepts it');
  return output(src).out;
}

describe('vm: float and double as gcc computes them', () => {
  for (const row of ROWS) it(row.name, () => assert.equal(run(row), row.out));
});

describe('vm: what C refuses of floating operands is refused, once, where it is written', () => {
  const errors = (body: string, prelude = ''): string[] => {
    const src = main(`${body}\nreturn 0;`, prelude);
    const parsed = parse(src);
    const diags = [...parsed.diagnostics, ...check(parsed.program, src)];
    let compiled: string[] = [];
    try { output(src); } catch (e) { compiled = [e instanceof Error ? e.message : String(e)]; }
    return [...diags.filter((d) => d.severity === 'error').map((d) => `${d.message} @${src.slice(d.range.start, d.range.end)}`), ...compiled];
  };
  it('long double, in a declaration and as a literal suffix', () => {
    assert.deepEqual(errors('long double x = 1;'), ["'long double' is not supported by the simulator: it computes in float and double only @double"]);
    assert.match(errors('double y = 1.5L;').join(), /'long double' is not supported/);
  });
  it('%, <<, ~ and & on doubles, a double subscript, a double switch', () => {
    assert.match(errors('double d = 5; int r = d % 2;').join(), /invalid operands to binary %/);
    assert.match(errors('double d = 5; int r = d << 1;').join(), /invalid operands to binary <</);
    assert.match(errors('double d = 5; double r = ~d;').join(), /bit-complement/);
    assert.match(errors('double d = 5; int r = d & 1;').join(), /invalid operands to binary &/);
    assert.match(errors('int a[3] = { 0 }; double d = 1; int r = a[d];').join(), /array subscript is not an integer/);
    assert.match(errors('int a[3] = { 0 }; int r = a[1.0];').join(), /array subscript is not an integer/);
    assert.match(errors('double d = 1; switch (d) { default: break; }').join(), /switch quantity not an integer/);
    assert.match(errors('int a[3] = { 0 }; int *p = a + 1.5;').join(), /invalid operands to binary \+/);
  });
});

describe('vm: floating constants where C needs an integer constant', () => {
  const diagnostics = (body: string): string[] => {
    const src = main(`${body}\nreturn 0;`, '');
    const parsed = parse(src);
    let compiled: string[] = [];
    try { output(src); } catch (e) { compiled = [e instanceof Error ? e.message : String(e)]; }
    return [...parsed.diagnostics.map((d) => d.message), ...compiled];
  };
  it('reports an array size, a case label and an enumerator that are floating, without crashing', () => {
    assert.match(diagnostics('int a[2.5]; a[0] = 1;').join(), /array size must be a constant/);
    assert.match(diagnostics('int x = 1; switch (x) { case 1.5: break; }').join(), /case label does not reduce to an integer constant/);
    assert.match(diagnostics('enum e { A = 2.5, B }; int x = B;').join(), /enumerator value for 'A' is not an integer constant/);
  });
});

describe('checker: floating operands C refuses are reported before the run, as kproc check reports them', () => {
  const errors = (body: string): string[] => {
    const src = main(`${body}\nreturn 0;`, '');
    const parsed = parse(src);
    return [...parsed.diagnostics, ...check(parsed.program, src)].filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
  };
  it('%, shifts, bitwise operators, ~, a subscript, a switch, a case label, an array size, a pointer offset', () => {
    assert.deepEqual(errors('double d = 5; int r = d % 2;'), ['operand-type: invalid operands to binary % (a floating value and an integer)']);
    assert.deepEqual(errors('float f = 1; int r = 1 << f;'), ['operand-type: invalid operands to binary << (an integer and a floating value)']);
    assert.deepEqual(errors('double d = 5; int r = (int)d & 1 | (d ^ 1);'), ['operand-type: invalid operands to binary ^ (a floating value and an integer)']);
    assert.deepEqual(errors('double d = 5; long r = ~(long)d + ~d;'), ['operand-type: wrong type argument to bit-complement (a floating value)']);
    assert.deepEqual(errors('int a[3] = { 0 }; double i = 1; int r = a[i] + a[(int)i];'), ['operand-type: array subscript is not an integer']);
    assert.deepEqual(errors('double d = 1; switch (d) { default: break; }'), ['operand-type: switch quantity not an integer']);
    assert.deepEqual(errors('int x = 1; switch (x) { case 1.5: break; case 2: break; }'), ['operand-type: case label does not reduce to an integer constant']);
    assert.deepEqual(errors('int a[2.5];'), ["operand-type: size of array 'a' has non-integer type"]);
    assert.deepEqual(errors('char *p = "abc"; char *q = p + 1.0;'), ['operand-type: invalid operands to binary + (a pointer and a floating value)']);
  });
  it('accepts what C accepts: arithmetic, comparisons, arrays of double, casts back to integers', () => {
    assert.deepEqual(errors('double a[3] = { 1, 2, 3 }; double d = a[1] * 2 - 1 / 3.0; int i = (int)d % 2; long k = (long)a[0] << 1; int c = d > 1 && !d; d++; d += a[2];'), []);
  });
});

describe('checker: printf conversions and the arguments they get (gcc -Wformat)', () => {
  const warnings = (body: string): string[] => {
    const src = main(`${body}\nreturn 0;`, 'struct s { double mean; };');
    const parsed = parse(src);
    return check(parsed.program, src).filter((d) => d.code === 'format-type').map((d) => `${d.message} @${src.slice(d.range.start, d.range.end)}`);
  };
  it('warns of an integer for %f and a double for %d, where the value printed would not be the one passed', () => {
    assert.deepEqual(warnings('double d = 1; printf("%f %d %*.*e\\n", 7 / 2, d, 8, 2, 3);'), [
      "format '%f' expects argument of type 'double', but argument 2 has type 'int' @7 / 2",
      "format '%d' expects an integer argument, but argument 3 has type 'double' @d",
      "format '%*.*e' expects argument of type 'double', but argument 6 has type 'int' @3",
    ]);
  });
  it('says nothing of matching arguments or of values whose type it does not know', () => {
    assert.deepEqual(warnings('int n = 2; double d = 1; struct s v = { 1 }; char b[8]; printf("%f %d %.2f %g %5.1f%%\\n", d / n, n, (double)n, v.mean / 2, 1.5f); snprintf(b, 8, "%e", d);'), []);
  });
});
