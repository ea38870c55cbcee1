// printf's floating conversions against glibc: known results that JavaScript's own formatting
// gets wrong (exact binary values, ties to even, digits past 100), then random doubles, formats,
// flags, widths and precisions compared with what glibc's printf prints for the same bits (one
// helper compiled with gcc, fed every case in one process; skipped when gcc is missing).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { format } from '../../sim-core/vm';

const fmt1 = (f: string, x: number): string => format(f, [x], () => null);

describe('printf floating conversions', () => {
  const ROWS: Array<[string, number, string]> = [
    ['%.2f', 2.675, '2.67'], // 2.67499999999999982236431605997495353221893310546875
    ['%.0f', 0.5, '0'], ['%.0f', 1.5, '2'], ['%.0f', 2.5, '2'], ['%.1f', 0.25, '0.2'], ['%.1f', 0.35, '0.3'],
    ['%f', 1e22, '10000000000000000000000.000000'],
    ['%f', 1e23, '99999999999999991611392.000000'],
    ['%.20f', 0.1, '0.10000000000000000555'],
    ['%.3f', 1 / 3, '0.333'], ['%f', 3.5, '3.500000'], ['%f', -0, '-0.000000'],
    ['%e', 12345.678, '1.234568e+04'], ['%.0e', 5e-324, '5e-324'], ['%E', 1e-5, '1.000000E-05'], ['%e', 0, '0.000000e+00'],
    ['%.2e', 9.995, '9.99e+00'], ['%.2e', 9.9951, '1.00e+01'], ['%e', 1e100, '1.000000e+100'],
    ['%g', 0.0001, '0.0001'], ['%g', 0.00001, '1e-05'], ['%g', 123456, '123456'], ['%g', 1234567, '1.23457e+06'],
    ['%g', 100, '100'], ['%#g', 100, '100.000'], ['%g', 0, '0'], ['%.0g', 15, '2e+01'], ['%G', 1e-10, '1E-10'],
    ['%a', 1, '0x1p+0'], ['%a', 0.1, '0x1.999999999999ap-4'], ['%.1a', 1.96875, '0x2.0p+0'], ['%A', 3, '0X1.8P+1'],
    ['%a', 5e-324, '0x0.0000000000001p-1022'], ['%a', 0, '0x0p+0'], ['%010a', 1, '0x00001p+0'],
    ['%f', Infinity, 'inf'], ['%F', -Infinity, '-INF'], ['%5.1f', NaN, ' -nan'], ['%010f', Infinity, '       inf'],
    ['%+.1f', 2, '+2.0'], ['% .1f', 2, ' 2.0'], ['%-8.2f|', 3.14159, '3.14    |'], ['%08.2f', -3.14159, '-0003.14'],
    ['%#.0f', 3, '3.'], ['%#.0e', 3, '3.e+00'],
  ];
  for (const [f, x, want] of ROWS) {
    it(`${f} of ${Object.is(x, -0) ? '-0' : x} is ${JSON.stringify(want)}`, () => assert.equal(fmt1(f, x), want));
  }

  it('prints 1074 exact digits of the smallest subnormal and counts zeros past them', () => {
    const s = fmt1('%.1080f', 5e-324);
    assert.equal(s.length, 1082);
    assert.ok(s.startsWith(`0.${'0'.repeat(323)}49406564584124654`));
    assert.ok(s.endsWith('65533447265625000000'));
    assert.equal(format('%.5000f', [1], () => null).length, 5002);
  });
});

const HELPER = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
int main(void) {
  char fmt[64]; unsigned long long bits;
  while (scanf("%llx", &bits) == 1 && getchar() == ' ' && fgets(fmt, sizeof fmt, stdin)) {
    double x; memcpy(&x, &bits, 8);
    fmt[strcspn(fmt, "\\n")] = 0;
    printf(fmt, x); putchar('\\n');
  }
  return 0;
}
`;

function gccHelper(dir: string): string | null {
  const src = join(dir, 'fmt.c'), exe = join(dir, 'fmt');
  writeFileSync(src, HELPER);
  const r = spawnSync('gcc', ['-O0', '-o', exe, src], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? null : exe;
}

function bitsOf(x: number): string {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0).toString(16);
}

describe('printf floating conversions match glibc on random doubles', function () {
  this.timeout(120000);
  let dir = '';
  let exe: string | null = null;
  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'printf-float-'));
    exe = gccHelper(dir);
    if (!exe) { console.log('    (skipped: gcc is not available)'); this.skip(); }
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('gives glibc\'s text for %f %e %g %a with flags, widths and precisions', () => {
    // Doubles of every magnitude, plus ones near decimal ties (k/8, k/1000 and their halves).
    const value = fc.oneof(
      fc.double({ noNaN: true }),
      fc.integer({ min: -100000, max: 100000 }).map((k) => k / 8),
      fc.integer({ min: -1000000, max: 1000000 }).map((k) => k / 1000 + 0.0005),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    );
    const spec = fc.record({
      flags: fc.subarray(['-', '+', ' ', '#', '0']),
      width: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
      prec: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
      conv: fc.constantFrom('f', 'F', 'e', 'E', 'g', 'G', 'a', 'A'),
      long: fc.boolean(),
    }).map((s) => `%${s.flags.join('')}${s.width ?? ''}${s.prec === undefined ? '' : `.${s.prec}`}${s.long ? 'l' : ''}${s.conv}`);
    const cases = fc.sample(fc.tuple(spec, value), { numRuns: 4000, seed: 20261205 });
    const input = cases.map(([f, x]) => `${bitsOf(x)} ${f}`).join('\n') + '\n';
    const r = spawnSync(exe as string, [], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(r.status, 0, r.stderr);
    const want = r.stdout.split('\n');
    const bad: string[] = [];
    cases.forEach(([f, x], i) => {
      const got = fmt1(f, x);
      if (got !== want[i]) bad.push(`${f} of ${x} (bits ${bitsOf(x)}): got ${JSON.stringify(got)}, glibc ${JSON.stringify(want[i])}`);
    });
    assert.deepEqual(bad.slice(0, 10), []);
  });
});
