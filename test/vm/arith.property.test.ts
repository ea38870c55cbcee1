// Property test: every integer operator on random operands of int, unsigned int, long and
// unsigned long gives what gcc's code gives on x86-64, over the whole range of each type. The
// reference is a BigInt model of the machine: two's complement at 32 or 64 bits, division
// truncating toward zero with the trap of idiv (zero divisor, MIN / -1), shift counts masked to
// the operand's width as the shift instructions mask them, >> arithmetic for signed types only.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { createMemory, entryRegs, run, type Image, type Value } from '../../sim-core/vm';
import { norm } from '../../sim-core/vm/int64';
import { build, host } from './helpers';

const OPS = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '<', '<=', '==', '!=', '>', '>='] as const;
type O = typeof OPS[number];
const TYPES = {
  int: { bits: 32, signed: true }, 'unsigned int': { bits: 32, signed: false },
  long: { bits: 64, signed: true }, 'unsigned long': { bits: 64, signed: false },
} as const;
type T = keyof typeof TYPES;
const COMPARE = new Set<O>(['<', '<=', '==', '!=', '>', '>=']);
/** Integer types a value converts to, by width and signedness. */
const CASTS: Array<[string, number, boolean]> = [
  ['char', 8, true], ['unsigned char', 8, false], ['short', 16, true], ['unsigned short', 16, false],
  ['int', 32, true], ['unsigned int', 32, false], ['long', 64, true], ['unsigned long', 64, false],
];

function name(t: T, op: O): string {
  return `f_${t.replace(' ', '_')}_${OPS.indexOf(op)}`;
}

const SRC = (Object.keys(TYPES) as T[]).flatMap((t) => OPS.map((op) => `${COMPARE.has(op) ? 'int' : t} ${name(t, op)}(${t} a, ${t} b) { return a ${op} b; }`))
  .concat(['int neg_int(int a) { return -a; }', 'long neg_long(long a) { return -a; }', 'unsigned long neg_ulong(unsigned long a) { return -a; }',
    'long not_long(long a) { return ~a; }', 'unsigned long not_ulong(unsigned long a) { return ~a; }', 'int not_int(int a) { return ~a; }'])
  .concat(CASTS.map(([t], i) => `long cast_${i}(unsigned long a) { ${t} x = a; return (long)x + 0 * (long)(${t})a; }`))
  .join('\n');

function wrap(v: bigint, t: T): bigint {
  const { bits, signed } = TYPES[t];
  return signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

/** gcc's x86-64 code's result, or 'SIGFPE' where it traps. */
function reference(t: T, op: O, x: bigint, y: bigint): bigint | 'SIGFPE' {
  const { bits, signed } = TYPES[t];
  switch (op) {
    case '+': return wrap(x + y, t);
    case '-': return wrap(x - y, t);
    case '*': return wrap(x * y, t);
    case '/': case '%': {
      if (y === 0n || (signed && x === -(2n ** BigInt(bits - 1)) && y === -1n)) return 'SIGFPE';
      return wrap(op === '/' ? x / y : x % y, t);
    }
    case '<<': return wrap(x << (y & BigInt(bits - 1)), t);
    case '>>': return wrap(x >> (y & BigInt(bits - 1)), t);
    case '&': return wrap(x & y, t);
    case '|': return wrap(x | y, t);
    case '^': return wrap(x ^ y, t);
    case '<': return x < y ? 1n : 0n;
    case '<=': return x <= y ? 1n : 0n;
    case '==': return x === y ? 1n : 0n;
    case '!=': return x !== y ? 1n : 0n;
    case '>': return x > y ? 1n : 0n;
    case '>=': return x >= y ? 1n : 0n;
  }
}

function call(image: Image, fn: string, args: Value[]): Value {
  const mem = createMemory(image);
  const regs = entryRegs(image, mem, fn, args, { stackSegment: mem.newStack(), onReturn: 'exit' });
  assert.ok(regs);
  const t = run(image, regs, mem, host, { budget: 1000, stopAtStatements: false });
  if (t.kind === 'fault') return t.signal;
  assert.equal(t.kind, 'syscall');
  return t.kind === 'syscall' ? t.args[0] : NaN;
}

/** Values of type t: anywhere in its range, and often at its edges and near the 2^53 boundary. */
function operand(t: T): fc.Arbitrary<bigint> {
  const { bits, signed } = TYPES[t];
  const min = signed ? -(2n ** BigInt(bits - 1)) : 0n, max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  const edges = [0n, 1n, 2n, min, max, min + 1n, max - 1n, ...(signed ? [-1n, -2n] : [])];
  if (bits === 64) edges.push(2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 32n, ...(signed ? [-(2n ** 53n), 1n - 2n ** 53n] : []));
  return fc.oneof(fc.bigInt({ min, max }), fc.constantFrom(...edges), fc.bigInt({ min: signed ? -1000n : 0n, max: 1000n }));
}

describe('vm: integer operators match gcc on x86-64 (property)', () => {
  const image = build(SRC);
  for (const t of Object.keys(TYPES) as T[]) {
    it(`${t}`, () => {
      const width = BigInt(TYPES[t].bits);
      fc.assert(fc.property(fc.constantFrom(...OPS), operand(t), operand(t), fc.bigInt({ min: 0n, max: 2n * width + 3n }), (op, a, b0, count) => {
        // A shift's count is any int the instruction masks (C leaves counts past the width undefined).
        const b = op === '<<' || op === '>>' ? count : b0;
        const got = call(image, name(t, op), [norm(a), norm(b)]);
        const want = reference(t, op, a, b);
        assert.equal(got, want === 'SIGFPE' ? want : norm(want), `${a} ${op} ${b} as ${t}`);
      }), { numRuns: 2500, seed: 20261205 });
    });
  }

  it('unary - and ~ wrap in their type', () => {
    fc.assert(fc.property(operand('long'), operand('unsigned long'), operand('int'), (l, ul, i) => {
      assert.equal(call(image, 'neg_long', [norm(l)]), norm(BigInt.asIntN(64, -l)));
      assert.equal(call(image, 'not_long', [norm(l)]), norm(BigInt.asIntN(64, ~l)));
      assert.equal(call(image, 'neg_ulong', [norm(ul)]), norm(BigInt.asUintN(64, -ul)));
      assert.equal(call(image, 'not_ulong', [norm(ul)]), norm(BigInt.asUintN(64, ~ul)));
      assert.equal(call(image, 'neg_int', [norm(i)]), norm(BigInt.asIntN(32, -i)));
      assert.equal(call(image, 'not_int', [norm(i)]), norm(BigInt.asIntN(32, ~i)));
    }), { numRuns: 500, seed: 20261205 });
  });

  it('conversion to each integer type keeps the low bits, signed or not', () => {
    fc.assert(fc.property(operand('unsigned long'), fc.integer({ min: 0, max: CASTS.length - 1 }), (v, i) => {
      const [, bits, signed] = CASTS[i];
      const x = signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
      // The function returns a long: an unsigned long past LONG_MAX comes back as its bits.
      assert.equal(call(image, `cast_${i}`, [norm(v)]), norm(BigInt.asIntN(64, x)), `(${CASTS[i][0]})${v}`);
    }), { numRuns: 1000, seed: 20261205 });
  });

  it('results keep one canonical form: a number when safe, a bigint only beyond 2^53 - 1', () => {
    fc.assert(fc.property(fc.constantFrom(...OPS), operand('long'), operand('long'), (op, a, b) => {
      const got = call(image, name('long', op), [norm(a), norm(b)]);
      if (typeof got === 'bigint') assert.ok(got > BigInt(Number.MAX_SAFE_INTEGER) || got < -BigInt(Number.MAX_SAFE_INTEGER), `${got} should be a number`);
      else if (typeof got === 'number') assert.ok(Number.isSafeInteger(got) && !Object.is(got, -0), `${got} is not a safe integer`);
    }), { numRuns: 1000, seed: 7 });
  });
});
