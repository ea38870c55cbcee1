// Superinstructions (fuse.ts) change speed only: the same programs run with and without them, cut
// by every budget and stopped at every statement, reach the same registers, memory and traps.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { completeCall, execEntry, run, type Image, type Trap, type VmMemory, type VmRegs } from '../../sim-core/vm';
import { fuse } from '../../sim-core/vm/fuse';
import { Op } from '../../sim-core/vm/opcodes';
import { build, host, main } from './helpers';

/** The same image with every function dispatching on its plain code. */
function plain(image: Image): Image {
  return { ...image, functions: image.functions.map((f) => ({ ...f, fast: undefined })) };
}

interface Thread { image: Image; regs: VmRegs; mem: VmMemory }

function enter(image: Image): Thread {
  const e = execEntry(image, 'main', ['main']);
  if (!e) throw new Error('no main');
  return { image, regs: e.regs, mem: e.memory };
}

/** Everything a run leaves behind that a later run or the kernel reads. */
function state(t: Thread): unknown {
  const r = t.regs;
  return { fn: r.fn, pc: r.pc, bp: r.bp, sp: r.sp, stmt: r.stmt, stack: r.stack, frames: r.frames, errno: r.errno, pending: r.pending, segs: t.mem.segs };
}

/** Advances a thread by one run with `budget`, answering writes; returns the trap. */
function advance(t: Thread, budget: number, stopAtStatements: boolean, stopLines: Uint8Array | null): Trap {
  const trap = run(t.image, t.regs, t.mem, host, { budget, stopAtStatements, stopLines });
  if (trap.kind === 'syscall' && trap.name !== 'exit_group') completeCall(t.regs, t.mem, 0);
  return trap;
}

/**
 * Runs src fused and plain in lock step with the budgets in turn; asserts equal state after each
 * run. Returns how many statement traps there were.
 */
function lockstep(src: string, budgets: number[], stopAtStatements = false, stopLines: Uint8Array | null = null): number {
  const image = build(src);
  const a = enter(image), b = enter(plain(image));
  let stops = 0;
  for (let i = 0; i < 200_000; i++) {
    const budget = budgets[i % budgets.length];
    const ta = advance(a, budget, stopAtStatements, stopLines), tb = advance(b, budget, stopAtStatements, stopLines);
    assert.deepEqual(ta, tb, `run ${i} (budget ${budget})`);
    assert.deepEqual(state(a), state(b), `run ${i} (budget ${budget})`);
    if (ta.kind === 'statement') stops++;
    if ((ta.kind === 'syscall' && ta.name === 'exit_group') || ta.kind === 'fault') return stops;
  }
  throw new Error('the program did not end');
}

const PROGRAMS: Array<[string, string, string?]> = [
  ['a counting loop over sum += i & 7', 'long sum = 0; for (int i = 0; i < 300; i++) sum += i & 7; printf("%ld\\n", sum); return 0;'],
  ['a loop bound in a local and compound operators', 'int n = 57, x = 3; unsigned u = 7; for (int i = 0; i < n; i++) { x ^= i | 5; x -= i - 2; u += i * 3; x = x + (i & 3); } printf("%d %u\\n", x, u); return x < 0;'],
  ['int wrapping in fused operators', 'int x = 2147483600; for (int i = 0; i < 100; i++) x += i + 1; int y = x < 0; printf("%d %d\\n", x, y); return 0;'],
  ['arrays, calls and comparisons', 'int t[8] = { 5, 1, 4, 2, 8, 6, 3, 7 }; long s = 0; for (int i = 0; i < 80; i++) { s += weight(t[i & 7]); if (s > 100 && i != 3) s -= 1; } printf("%ld\\n", s); return 0;',
    'int weight(int x) { return x * 3 + 1; }'],
  ['pointer arithmetic on a string literal', 'const char *s = "hello"; int n = 0; for (int i = 0; i < 5; i++) n += *(s + i) & 15; printf("%d\\n", n); return 0;'],
  ['an endless loop cut by the budget', 'long n = 0; for (int i = 0; i < 2147483647; i++) { n += i & 1; if (n == 400) return 7; } return 0;'],
  ['a fault inside a loop', 'int *p = 0; int s = 0; for (int i = 0; i < 10; i++) s += i & 2; return s + *p;'],
  // LOOP: whole iterations of a loop whose body is one arithmetic statement over locals.
  ['LOOP with a local bound and a pair body', 'int n = 301, x = 5; for (int i = 0; i < n; i++) x = x ^ i; int y = 0; for (int j = 3; j < 90; j += 4) y += j; printf("%d %d\\n", x, y); return 0;'],
  ['LOOP with int wrapping and a long accumulator', 'int x = 2147483000; long s = 0; for (int i = 0; i < 500; i++) x += i | 3; for (int i = 0; i < 400; i++) s -= i & 5; printf("%d %ld\\n", x, s); return 0;'],
  ['LOOP that never runs and one that runs once', 'int x = 1; for (int i = 9; i < 3; i++) x += i & 1; for (int i = 0; i < 1; i++) x = x + 7; printf("%d\\n", x); return 0;'],
  ['LOOP over a string pointer (no fault, same values)', 'const char *s = "abc"; long n = 0; for (int i = 0; i < 40; i++) n += i & 1; s = s + 1; printf("%ld %c\\n", n, *s); return 0;'],
];

describe('vm: superinstructions', () => {
  it('fuse a counting loop, its body and an array read into single instructions', () => {
    const image = build(main('int t[4] = { 1, 2, 3, 4 }; long sum = 0; for (int i = 0; i < 100; i++) sum += t[i & 3] + (i & 7) + i * 5; return 0;'));
    const f = image.functions[0];
    const fused = (f.fast ?? []).filter((op, pc) => op !== f.code[pc]);
    for (const op of [Op.FOR_K, Op.JMP_FOR, Op.LTJZ_K, Op.LK_BIN32, Op.ADD_LOAD, Op.LK_MUL]) assert.ok(fused.includes(op), `no ${op} in ${fused.join(' ')}`);
    assert.deepEqual(fuse(f.code), f.fast);
  });

  for (const [name, body, prelude] of PROGRAMS) {
    it(`${name}: same state as the plain code, cut by every budget`, () => {
      const src = main(body, prelude);
      for (const budgets of [[1], [2], [3], [5], [7, 11, 13], [12], [13], [14], [15], [27, 28, 29], [1000]]) lockstep(src, budgets);
    });
    it(`${name}: same statement stops as the plain code`, () => {
      const src = main(body, prelude);
      for (const budgets of [[1000], [3, 4]]) lockstep(src, budgets, true);
    });
  }

  it('LOOP runs a loop with a one-statement arithmetic body, and stops at its lines like the plain code', () => {
    const src = main('long sum = 0;\nint k = 0;\nfor (int i = 0; i < 300; i++)\n  sum += i & 7;\nk = 1;\nreturn 0;');
    const image = build(src);
    assert.ok((image.functions[0].fast ?? []).includes(Op.LOOP), 'no LOOP');
    const lines = src.split('\n');
    for (const text of ['for (int i = 0; i < 300; i++)', '  sum += i & 7;', 'k = 1;']) {
      const flags = new Uint8Array(lines.length);
      flags[lines.indexOf(text)] = 1;
      const stops = lockstep(src, [1000], true, flags);
      // The for line: its init once, then the step before each of the 300 tests.
      assert.equal(stops, text === 'k = 1;' ? 1 : text.startsWith('for') ? 301 : 300, text);
      lockstep(src, [5, 14, 999], true, flags);
    }
  });

  it('line breakpoints stop at the same statements with and without superinstructions', () => {
    const src = main('long s = 0;\nfor (int i = 0; i < 50; i++)\n  s += weight(i & 3);\nreturn 0;', 'int weight(int x)\n{\n  return x * 3 + 1;\n}');
    const lines = src.split('\n');
    for (const text of ['  return x * 3 + 1;', 'for (int i = 0; i < 50; i++)', '  s += weight(i & 3);']) {
      const flags = new Uint8Array(lines.length);
      flags[lines.indexOf(text)] = 1;
      assert.ok(lockstep(src, [1000], true, flags) >= 50, text);
    }
  });

  it('`y = x op2 (a op1 n)` matches the plain code for random operands and operators (property)', () => {
    const ops = ['+', '-', '&', '|', '^', '<', '==', '>='];
    fc.assert(fc.property(
      fc.constantFrom('int', 'long', 'unsigned'), fc.constantFrom(...ops), fc.constantFrom(...ops),
      fc.integer(), fc.oneof(fc.integer(), fc.integer({ min: 2147482647, max: 2147483647 }), fc.integer({ min: -2147483648, max: -2147482648 })),
      fc.integer({ min: -1000, max: 1000 }),
      (t, op1, op2, x, a, n) => {
        lockstep(main(`${t} x = ${x}, a = ${a}, y; y = x ${op2} (a ${op1} ${n}); x ${op2 === '<' || op2 === '==' || op2 === '>=' ? '+' : op2}= a ${op1} ${n}; printf("%ld %ld\\n", (long)x, (long)y); return 0;`), [1000]);
      },
    ), { numRuns: 150 });
  });

  it('LOOP matches the plain code for random loop bodies, bounds, budgets and breakpoints (property)', () => {
    const ops = ['+', '-', '&', '|', '^', '<', '==', '>='];
    const compound = (op: string): string => (op === '<' || op === '==' || op === '>=' ? '+' : op);
    let looped = 0;
    fc.assert(fc.property(
      fc.constantFrom('int', 'long', 'unsigned'), fc.constantFrom(...ops), fc.constantFrom(...ops), fc.integer({ min: 0, max: 3 }),
      fc.oneof(fc.integer(), fc.integer({ min: 2147482647, max: 2147483647 })), fc.integer({ min: -1000, max: 1000 }),
      fc.integer({ min: -5, max: 120 }), fc.boolean(), fc.constantFrom(1, 1, 1, 2),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 3 }),
      (t, op1, op2, form, x, n, bound, localBound, step, budgets, flagged) => {
        const body = [
          `x ${compound(op2)}= i ${op1} ${n};`,
          `y = x ${op2} (i ${op1} ${n});`,
          `x = x ${op1} ${n};`,
          `y = x ${op1} i;`,
        ][form];
        const head = `for (int i = 0; i < ${localBound ? 'm' : bound}; i ${step === 1 ? '++' : `+= ${step}`})`;
        const src = main(`${t} x = ${x}, y = 0;\nint m = ${bound};\n${head}\n  ${body}\nprintf("%ld %ld\\n", (long)x, (long)y);\nreturn 0;`);
        const lines = src.split('\n');
        // No breakpoint, one on the loop's head, on its body, or on the line after it.
        const flags = new Uint8Array(lines.length);
        if (flagged > 0) flags[lines.indexOf([head, `  ${body}`, 'printf("%ld %ld\\n", (long)x, (long)y);'][flagged - 1])] = 1;
        if (build(src).functions.some((f) => (f.fast ?? []).includes(Op.LOOP))) looped++;
        lockstep(src, budgets);
        lockstep(src, budgets, true, flags);
      },
    ), { numRuns: 200 });
    // int and long loops stepping by one become LOOPs (unsigned ones and other steps do not).
    assert.ok(looped >= 60, `only ${looped} of 200 programs had a LOOP`);
  });
});
