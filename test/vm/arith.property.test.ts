// Property test: every integer operator on random operands gives what C gives on x86-64
// (reference computed with BigInt: 32-bit wrap for int and unsigned, 64-bit for long).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { createMemory, entryRegs, run, type Image } from '../../sim-core/vm';
import { build, host } from './helpers';

const OPS = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '<', '==', '>='] as const;
type O = typeof OPS[number];
const TYPES = { int: 32, 'unsigned int': 32, long: 64 } as const;
type T = keyof typeof TYPES;

function name(t: T, op: O): string {
  return `f_${t.replace(' ', '_')}_${OPS.indexOf(op)}`;
}

const SRC = (Object.keys(TYPES) as T[]).flatMap((t) => OPS.map((op) => `${op === '<' || op === '==' || op === '>=' ? 'int' : t} ${name(t, op)}(${t} a, ${t} b) { return a ${op} b; }`)).join('\n');

function wrap(v: bigint, t: T): number {
  return Number(t === 'int' ? BigInt.asIntN(32, v) : t === 'unsigned int' ? BigInt.asUintN(32, v) : BigInt.asIntN(64, v));
}

/** C's result, or 'SIGFPE' where x86 traps. */
function reference(t: T, op: O, a: number, b: number): number | 'SIGFPE' {
  const x = BigInt(a), y = BigInt(b);
  switch (op) {
    case '+': return wrap(x + y, t);
    case '-': return wrap(x - y, t);
    case '*': return wrap(x * y, t);
    case '/': case '%': {
      if (y === 0n || (t === 'int' && x === -(2n ** 31n) && y === -1n)) return 'SIGFPE';
      return wrap(op === '/' ? x / y : x % y, t);
    }
    case '<<': return wrap(x << y, t);
    case '>>': return wrap(x >> y, t);
    case '&': return wrap(x & y, t);
    case '|': return wrap(x | y, t);
    case '^': return wrap(x ^ y, t);
    case '<': return x < y ? 1 : 0;
    case '==': return x === y ? 1 : 0;
    case '>=': return x >= y ? 1 : 0;
  }
}

function call(image: Image, fn: string, a: number, b: number): number | string {
  const mem = createMemory(image);
  const regs = entryRegs(image, mem, fn, [a, b], { stackSegment: mem.newStack(), onReturn: 'exit' });
  assert.ok(regs);
  const t = run(image, regs, mem, host, { budget: 1000, stopAtStatements: false });
  if (t.kind === 'fault') return t.signal;
  assert.equal(t.kind, 'syscall');
  return t.kind === 'syscall' ? (t.args[0] as number) : NaN;
}

describe('vm: integer operators match C (property)', () => {
  const image = build(SRC);
  const operand = (t: T): fc.Arbitrary<number> => t === 'int'
    ? fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1, -2147483648, 2147483647))
    : t === 'unsigned int' ? fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 0xffffffff))
      // long operands stay where products and shifts are exact in a double (53 bits).
      : fc.oneof(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.constantFrom(0, -1, 1));
  for (const t of Object.keys(TYPES) as T[]) {
    it(`${t}`, () => {
      fc.assert(fc.property(fc.constantFrom(...OPS), operand(t), operand(t), (op, a, b0) => {
        // Shift counts stay below the width, where C defines the result.
        const b = op === '<<' || op === '>>' ? Math.abs(b0) % (t === 'long' ? 30 : 31) : b0;
        if (op === '<<' && a < 0) return;
        const got = call(image, name(t, op), a, b);
        assert.equal(got, reference(t, op, a, b), `${a} ${op} ${b} as ${t}`);
      }), { numRuns: 1500, seed: 20240601 });
    });
  }
});
