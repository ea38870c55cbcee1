// The C that course exercises write beyond the basics (casts to type names, typedef, enum, ...):
// each row is checked (no error from the parser or the checker) and then run to its exit.
import { strict as assert } from 'node:assert';
import { check } from '../../sim-core/lang/check';
import { parse } from '../../sim-core/lang/parser';
import { main, output } from './helpers';

interface Row { name: string; body: string; out: string; prelude?: string }

const ROWS: Row[] = [
  {
    name: 'casts to typedef names', body: 'long big = 4294967297L; pid_t p = (pid_t)big; size_t n = (size_t)-1; printf("%d %zu %d\\n", p, n, (int)(uid_t)-1);',
    out: '1 18446744073709551615 -1\n',
  },
  {
    name: 'sizeof of type names and expressions', body: 'int a[7]; long long x = 0; printf("%zu %zu %zu %zu %zu %zu %zu\\n", sizeof(pid_t), sizeof(size_t), sizeof a, sizeof(a[0]), sizeof x, sizeof(char), sizeof(unsigned long long));',
    out: '4 8 28 4 8 1 8\n',
  },
  {
    name: 'char arithmetic', body: 'char c = \'a\'; c = c + 2; char up = c - \'a\' + \'A\'; int d = \'7\' - \'0\'; printf("%c %c %d %d\\n", c, up, d, (char)(c + 200));',
    out: 'c C 7 43\n',
  },
  {
    name: 'long long and unsigned long long are 64-bit', body: 'long long a = 1LL << 62; unsigned long long u = (unsigned long long)-1; long long b = a * 2; printf("%lld %llu %lld %llu\\n", a, u, b, u / 3);',
    out: '4611686018427387904 18446744073709551615 -9223372036854775808 6148914691236517205\n',
  },
];

function run(row: Row): string {
  const src = main(`${row.body}\nreturn 0;`, `#include <sys/types.h>\n#include <string.h>\n${row.prelude ?? ''}`);
  const parsed = parse(src);
  const errors = [...parsed.diagnostics, ...check(parsed.program, src)].filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], 'the checker accepts it');
  return output(src).out;
}

describe('vm: the language of course exercises', () => {
  for (const row of ROWS) it(row.name, () => assert.equal(run(row), row.out));
});
