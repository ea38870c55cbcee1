// printf formatting against the strings glibc prints for the same format and arguments.
import { strict as assert } from 'node:assert';
import { format, type Value } from '../../sim-core/vm';

const ROWS: Array<[string, Value[], string]> = [
  ['%d %i', [42, -7], '42 -7'],
  ['[%5d] [%-5d] [%05d]', [42, 42, 42], '[   42] [42   ] [00042]'],
  ['[%+d] [% d] [%+d]', [5, 5, -5], '[+5] [ 5] [-5]'],
  ['[%.3d] [%8.3d] [%-8.3d] [%08.3d]', [7, 7, -7, 7], '[007] [     007] [-007    ] [     007]'],
  ['[%.0d] [%5.0d]', [0, 0], '[] [     ]'],
  ['%u %u', [-1, 4294967295], '4294967295 4294967295'],
  ['%ld %lu', [-1, -1], '-1 18446744073709551615'],
  ['%x %X %#x %#X %#o %o', [255, 255, 255, 255, 8, 8], 'ff FF 0xff 0XFF 010 10'],
  ['%#x %#o', [0, 0], '0 0'],
  ['%lx %x', [-1, -1], 'ffffffffffffffff ffffffff'],
  ['[%08x] [%-8x]', [0xbeef, 0xbeef], '[0000beef] [beef    ]'],
  ['%p %p', [0, 0x1000010], '(nil) 0x1000010'],
  // A kernel handle prints as the task_struct's kernel address, as printk's %p would show it.
  ['%p', [{ kref: 'task', id: 0xffff888000116800 }], '0xffff888000116800'],
  ['%s|%5s|%-5s|%.2s', ['abc', 'abc', 'abc', 'abc'], 'abc|  abc|abc  |ab'],
  ['%s', [0], '(null)'],
  ['%c%c%c', [72, 105, 33], 'Hi!'],
  ['%*d|%-*d|%.*d', [4, 1, 4, 2, 3, 3], '   1|2   |003'],
  ['100%% done', [], '100% done'],
  ['%d', [2147483648], '-2147483648'],
  ['%hd %hhd %hu', [65537, 255, -1], '1 -1 65535'],
  ['%zu %lld', [8, -3], '8 -3'],
  // 64-bit values past 2^53 are bigints in a cell; each conversion reads the bits glibc reads.
  ['%ld %ld %lu', [2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n], '9223372036854775807 -9223372036854775808 18446744073709551615'],
  ['%ld %lx %llu %lo', [2n ** 63n, -(2n ** 63n), -1, 2n ** 63n], '-9223372036854775808 8000000000000000 18446744073709551615 1000000000000000000000'],
  ['%d %u %x %hhd', [2n ** 63n - 1n, 2n ** 64n - 2n, -(2n ** 63n) + 255n, 2n ** 60n + 200n], '-1 4294967294 ff -56'],
  ['[%25ld] [%-+22ld] [%.20lu]', [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 60n], '[     -9223372036854775808] [+9223372036854775807  ] [01152921504606846976]'],
  ['%p %c', [2n ** 63n, 2n ** 60n + 65n], '0x8000000000000000 A'],
];

describe('vm: printf', () => {
  for (const [fmt, args, want] of ROWS) {
    it(JSON.stringify(fmt), () => {
      assert.equal(format(fmt, args, (v) => (typeof v === 'string' ? v : null)), want);
    });
  }
});
