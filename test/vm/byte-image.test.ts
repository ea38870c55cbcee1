// read and write of typed data: the bytes x86-64 memory holds for ints, doubles and structs kept
// in cells (byte-image.ts), as the system calls see them.
import { strict as assert } from 'node:assert';
import { completeCall, type Trap } from '../../sim-core/vm';
import { start, step } from './helpers';

const H = '#include <stdio.h>\n#include <unistd.h>\n';

/** Runs to the end; each write's bytes; each read is answered with the next of `reads`. */
function run(body: string, reads: string[] = []): { writes: string[]; out: string } {
  const s = start(`${H}struct rec { char tag; int n; double x; };\nint main(void) {\n${body}\nreturn 0; }`);
  const writes: string[] = [];
  let out = '';
  for (let i = 0; i < 100000; i++) {
    const t: Trap = step(s);
    if (t.kind === 'budget') continue;
    if (t.kind !== 'syscall' || t.name === 'exit_group') return { writes, out };
    if (t.name === 'write') {
      const text = String(t.args[1]);
      if (t.args[0] === 1) out += text; else writes.push(text);
      completeCall(s.regs, s.mem, text.length);
    } else if (t.name === 'read') {
      const data = (reads.shift() ?? '').slice(0, t.args[2] as number);
      s.mem.storeBytes(t.args[1] as number, data);
      completeCall(s.regs, s.mem, data.length);
    } else completeCall(s.regs, s.mem, t.name === 'ioctl' ? -25 : t.name === 'fcntl' ? 2 : 0); // fcntl(F_GETFL): O_RDWR
  }
  throw new Error('did not end');
}

const bytes = (...b: number[]): string => String.fromCharCode(...b);

describe('vm: typed data through read and write', () => {
  it('fwrite sends records as their bytes; fread puts them back together (glibc reads a buffer at a time)', () => {
    const r = run('FILE *f = fdopen(5, "w"); struct rec q[2] = { { \'a\', 1, 0.5 }, { \'b\', -1, 2.0 } }; fwrite(q, sizeof q[0], 2, f); fflush(f);\n'
      + 'FILE *g = fdopen(3, "r"); int n[2]; size_t k = fread(n, sizeof(int), 2, g); printf("%zu %d %d\\n", k, n[0], n[1]);',
    [bytes(1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f)]);
    assert.deepEqual(r.writes, [bytes(0x61, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xe0, 0x3f, 0x62, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x40)]);
    assert.equal(r.out, '2 1 2147483647\n');
  });

  it('write sends an int as 4 little-endian bytes, a long array as 8 each, a struct with its padding', () => {
    const r = run('int n = -2; write(5, &n, sizeof n); long a[2] = { 1, 256 }; write(5, a, sizeof a); struct rec q = { \'A\', 7, 1.0 }; write(5, &q, sizeof q); char c[2] = "hi"; write(5, c, 2);');
    assert.deepEqual(r.writes, [
      bytes(0xfe, 0xff, 0xff, 0xff),
      bytes(1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0),
      bytes(0x41, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f),
      'hi',
    ]);
  });

  it('read puts bytes back together into ints and structs; a short read changes only the bytes it brings', () => {
    const r = run('int n = 0; read(3, &n, 4); struct rec q; read(3, &q, sizeof q); int m = 0x11111111; read(3, &m, 4);\nprintf("%d %c %d %.1f %x\\n", n, q.tag, q.n, q.x, m);',
      [bytes(0x39, 0x30, 0, 0), bytes(0x42, 9, 9, 9, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0x04, 0x40), bytes(0xaa, 0xbb)]);
    assert.equal(r.out, '12345 B -1 2.5 1111bbaa\n');
  });
});
