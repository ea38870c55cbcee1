// The library's cost model and allocator: memset, strlen, strcmp, write and printf charge
// instructions in proportion to their work (paid over the next slices before anything else runs),
// malloc and free stay cheap however many blocks are live, and the memory budget ends in ENOMEM.
import { strict as assert } from 'node:assert';
import { completeCall, type Trap } from '../../sim-core/vm';
import { CELLS_PER_INSTRUCTION, MALLOC_COST } from '../../sim-core/vm/cost';
import { cellArray, chunkCells, VmMemory } from '../../sim-core/vm/memory';
import { SEGMENT_SPAN } from '../../sim-core/vm/image';
import { formatCounted } from '../../sim-core/vm/printf';
import { runToExit, start, step, type Started } from './helpers';

/** Runs in slices of `slice` instructions until a system call; returns the call and the slices used. */
function slicesTo(s: Started, slice: number): { trap: Trap; slices: number } {
  for (let n = 1; n < 1e6; n++) {
    const t = step(s, slice);
    if (t.kind !== 'budget') return { trap: t, slices: n };
  }
  throw new Error('no trap');
}

const MB = 1 << 20;

describe('vm: cost of library calls', () => {
  it('a 1 MB memset is charged one instruction per 4 bytes: ~262 slices of 1,000 before the next call', () => {
    const s = start(`#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\nint main(void) { char *p = malloc(${MB}); memset(p, 1, ${MB}); getpid(); return p[${MB - 1}]; }`);
    const { trap, slices } = slicesTo(s, 1000);
    assert.equal(trap.kind === 'syscall' && trap.name, 'getpid');
    const charged = MB / CELLS_PER_INSTRUCTION;
    assert.ok(slices >= charged / 1000 && slices <= charged / 1000 + 2, `slices: ${slices}`);
    completeCall(s.regs, s.mem, 3);
    const end = runToExit(s);
    assert.deepEqual(end.trap.kind === 'syscall' && end.trap.args, [1]);
  });

  it('strlen reads the whole string (past 4,096 characters) and is charged for it', () => {
    const n = 300000;
    const s = start(`#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\nint main(void) { char *p = malloc(${n + 1}); memset(p, 'a', ${n}); getpid(); int k = strlen(p); getppid(); printf("%d\\n", k); return 0; }`);
    assert.equal(slicesTo(s, 1000).trap.kind === 'syscall' && 'getpid', 'getpid');
    completeCall(s.regs, s.mem, 3);
    const { trap, slices } = slicesTo(s, 1000);
    assert.equal(trap.kind === 'syscall' && trap.name, 'getppid');
    assert.ok(slices >= n / CELLS_PER_INSTRUCTION / 1000, `strlen's slices: ${slices}`);
    completeCall(s.regs, s.mem, 1);
    assert.equal(runToExit(s).out, `${n}\n`);
  });

  it('strlen stops at a 0 cell or a literal cell in a heap block, and reads the literal\'s characters', () => {
    const s = start('#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nint main(void) { char *p = malloc(64); memset(p, \'a\', 10); char **q = (char **)(p + 10); printf("%d ", (int)strlen(p)); *q = "xyz"; printf("%d %d\\n", (int)strlen(p), (int)strlen(p + 3)); return 0; }');
    assert.equal(runToExit(s).out, '10 13 10\n');
  });

  it('strcmp is charged for the characters it compares and compares past 4,096', () => {
    const n = 100000;
    const s = start(`#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nint main(void) { char *a = malloc(${n + 2}); char *b = malloc(${n + 2}); memset(a, 'x', ${n}); memset(b, 'x', ${n}); b[${n - 1}] = 'y'; printf("%d %d\\n", strcmp(a, b) < 0, strncmp(a, b, ${n - 1})); return 0; }`);
    assert.equal(runToExit(s).out, '1 0\n');
  });

  it('write sends count bytes of the buffer, not a string cut at 4,096 characters, and faults to EFAULT past the block', () => {
    const s = start(`#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\n#include <errno.h>\nint main(void) { char *p = malloc(10000); memset(p, 'z', 10000); write(1, p, 10000); int r = write(1, p, 10001); printf("|%d %d\\n", r, errno); return 0; }`);
    const out = runToExit(s).out;
    assert.equal(out.length, 10000 + '|-1 14\n'.length);
    assert.ok(out === `${'z'.repeat(10000)}|-1 14\n`, out.slice(9990));
  });

  it('printf\'s %s and puts print a string of 10,000 characters whole (no 4,096 cut)', () => {
    const s = start('#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nint main(void) { char *p = malloc(10001); memset(p, \'q\', 10000); puts(p); printf("[%s]\\n", p); return 0; }');
    const out = runToExit(s).out;
    assert.ok(out === `${'q'.repeat(10000)}\n[${'q'.repeat(10000)}]\n`, `${out.length} characters`);
  });

  it('printf fails with EOVERFLOW for a width past INT_MAX and writes nothing', () => {
    const s = start('#include <stdio.h>\n#include <errno.h>\nint main(void) { int r = printf("%3000000000d", 1); printf("%d %d\\n", r, errno); return 0; }');
    assert.equal(runToExit(s).out, '-1 75\n');
  });

  it('printf is charged for the characters it formats', () => {
    const s = start('#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf("%800000d", 7); getpid(); return 0; }');
    const isatty = step(s, 1000);
    assert.equal(isatty.kind === 'syscall' && isatty.name, 'ioctl');
    completeCall(s.regs, s.mem, 0);
    // The formatting is paid for before the write: whole 1024-byte blocks of it are written at
    // once, the last 256 characters (no newline yet) stay in the line buffer.
    const first = slicesTo(s, 1000);
    assert.equal(first.trap.kind === 'syscall' && first.trap.name, 'write');
    assert.equal(first.trap.kind === 'syscall' && String(first.trap.args[1]).length, 800000 - 800000 % 1024);
    completeCall(s.regs, s.mem, 800000 - 800000 % 1024);
    const { trap, slices } = slicesTo(s, 1000);
    assert.equal(trap.kind === 'syscall' && trap.name, 'getpid');
    assert.ok(first.slices + slices >= 800000 / CELLS_PER_INSTRUCTION / 1000, `slices: ${first.slices + slices}`);
  });
});

describe('vm: printf\'s bounded formatting', () => {
  it('counts a huge width or precision without building past its limit', () => {
    const none = () => null;
    const w = formatCounted('a%100000000db', [7], none, 10);
    assert.deepEqual(w, { text: 'a         ', length: 100000002, overflow: false });
    const p = formatCounted('%-.50000000x|', [255], none, 4);
    assert.deepEqual(p, { text: '0000', length: 50000001, overflow: false });
    assert.equal(formatCounted('%#.5x %#x %05d|%-4d|', [0x1a, 0, -42, 7], none).text, '0x0001a 0 -0042|7   |');
    assert.equal(formatCounted('%2147483648d', [1], none).overflow, true);
    assert.equal(formatCounted('%1073741824d%1073741824d', [1, 2], none, 0).overflow, true);
  });
});

describe('vm: the allocator', () => {
  it('charges glibc\'s chunk for a block: at least 32, the request plus a header rounded to 16', () => {
    assert.equal(chunkCells(1), 32);
    assert.equal(chunkCells(24), 32);
    assert.equal(chunkCells(25), 48);
    assert.equal(chunkCells(1000), 1008);
  });

  it('gives the lowest free address again after free, in any order of frees', () => {
    const s = start(`#include <stdio.h>\n#include <stdlib.h>\nint main(void) {
      char *p[6]; for (int i = 0; i < 6; i++) p[i] = malloc(16);
      free(p[4]); free(p[1]); free(p[3]);
      char *a = malloc(8), *b = malloc(8), *c = malloc(8), *d = malloc(8);
      printf("%d %d %d %d\\n", a == p[1], b == p[3], c == p[4], d > p[5]);
      return 0; }`);
    assert.equal(runToExit(s).out, '1 1 1 1\n');
  });

  it('300,000 malloc and free calls stay cheap (no scan of every block; the timeout is a hang guard)', function () {
    this.timeout(30000);
    const s = start(`#include <stdio.h>\n#include <stdlib.h>\nint main(void) {
      long n = 0; char *last = 0;
      for (int i = 0; i < 300000; i++) { char *p = malloc(16); if (p) { n++; last = p; } }
      for (int i = 0; i < 1000; i++) { free(last); last = malloc(16); }
      printf("%ld\\n", n); return 0; }`);
    assert.equal(runToExit(s, {}, 1e7).out, '300000\n');
  });

  it('malloc returns NULL with ENOMEM once the memory budget is spent, and free gives the cells back', () => {
    const s = start(`#include <stdio.h>\n#include <stdlib.h>\n#include <errno.h>\nint main(void) {
      char *p[200]; int n = 0;
      while (n < 200 && (p[n] = malloc(16)) != NULL) n++;
      int e = errno;
      free(p[0]);
      char *q = malloc(16);
      printf("%d %d %d\\n", n, e, q == p[0]);
      return 0; }`);
    const budget = { used: 0, limit: 0 };
    s.mem.attach(budget);
    (budget as { limit: number }).limit = budget.used + 100 * 32;
    assert.equal(runToExit(s).out, '100 12 1\n');
  });

  it('maps the lowest free segment, as a linear search would, over random mallocs and frees (and in a fork\'s copy)', () => {
    let seed = 7;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const mem = new VmMemory(cellArray([0]));
    const live: number[] = [];
    const lowestFree = (m: VmMemory): number => { let s = 1; while (s < m.segs.length && m.segs[s] !== null) s++; return s; };
    let copy: VmMemory | null = null;
    for (let i = 0; i < 5000; i++) {
      if (live.length > 0 && rand(3) === 0) {
        const k = rand(live.length);
        assert.ok(mem.freeBlock(live[k] * SEGMENT_SPAN));
        live.splice(k, 1);
      } else {
        const want = lowestFree(mem);
        const got = mem.newBlock(1 + rand(40));
        assert.equal(got, want, `allocation ${i}`);
        live.push(got);
      }
      if (i === 2500) copy = mem.clone();
    }
    const c = copy as VmMemory;
    for (let i = 0; i < 200; i++) {
      const want = lowestFree(c);
      assert.equal(c.newBlock(4), want, `copy's allocation ${i}`);
    }
  });

  it('charges malloc a constant, whatever the number of live blocks', () => {
    const s = start('#include <stdlib.h>\n#include <unistd.h>\nint main(void) { for (int i = 0; i < 1000; i++) malloc(16); getpid(); return 0; }');
    const { slices } = slicesTo(s, 1000);
    assert.ok(slices >= (1000 * MALLOC_COST) / 1000 && slices < (1000 * (MALLOC_COST + 20)) / 1000, `slices: ${slices}`);
  });
});
