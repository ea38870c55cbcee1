// Property test: floating operators and conversions on random operands give what gcc's code gives
// on x86-64, compared with a helper compiled by gcc -O0 that reads every case in one process
// (operands as bits, so nothing is folded at compile time). Skipped when gcc is missing.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createMemory, entryRegs, run, type Image, type Value } from '../../sim-core/vm';
import { norm } from '../../sim-core/vm/int64';
import { build, host } from './helpers';

/** name, C signature of the scenario function and of the helper's case, kind of operands. */
const FNS: Array<[string, string, 'dd' | 'ff' | 'd' | 'l' | 'u']> = [
  ['d_add', 'double d_add(double a, double b) { return a + b; }', 'dd'],
  ['d_sub', 'double d_sub(double a, double b) { return a - b; }', 'dd'],
  ['d_mul', 'double d_mul(double a, double b) { return a * b; }', 'dd'],
  ['d_div', 'double d_div(double a, double b) { return a / b; }', 'dd'],
  ['d_lt', 'int d_lt(double a, double b) { return a < b; }', 'dd'],
  ['d_eq', 'int d_eq(double a, double b) { return a == b; }', 'dd'],
  ['f_add', 'float f_add(float a, float b) { return a + b; }', 'ff'],
  ['f_mul', 'float f_mul(float a, float b) { return a * b; }', 'ff'],
  ['f_div', 'float f_div(float a, float b) { return a / b; }', 'ff'],
  ['f_mix', 'double f_mix(float a, float b) { return a * 0.1 + b; }', 'ff'],
  ['d2f', 'float d2f(double a) { return a; }', 'd'],
  ['d2i', 'long d2i(double a) { return (int)a; }', 'd'],
  ['d2u', 'long d2u(double a) { return (unsigned)a; }', 'd'],
  ['d2l', 'long d2l(double a) { return (long)a; }', 'd'],
  ['d2ul', 'unsigned long d2ul(double a) { return (unsigned long)a; }', 'd'],
  ['d2s', 'long d2s(double a) { return (short)a; }', 'd'],
  ['d2uc', 'long d2uc(double a) { return (unsigned char)a; }', 'd'],
  ['l2d', 'double l2d(long a) { return a; }', 'l'],
  ['l2f', 'float l2f(long a) { return a; }', 'l'],
  ['u2d', 'double u2d(unsigned long a) { return a; }', 'u'],
  ['u2f', 'float u2f(unsigned long a) { return a; }', 'u'],
];

const SRC = FNS.map((f) => f[1]).join('\n');

/** The helper: `name operand-bits operand-bits` per line, the result's bits (or integer) out. */
const HELPER = `#include <stdio.h>
#include <string.h>
#include <stdint.h>
${SRC}
static double D(uint64_t b) { double x; memcpy(&x, &b, 8); return x; }
static float F(uint64_t b) { uint32_t w = (uint32_t)b; float x; memcpy(&x, &w, 4); return x; }
static void outd(double x) { uint64_t b; memcpy(&b, &x, 8); printf("d %llx\\n", (unsigned long long)b); }
static void outf(float x) { uint32_t b; memcpy(&b, &x, 4); printf("f %x\\n", b); }
int main(void) {
  char n[16]; unsigned long long a, b;
  while (scanf("%15s %llx %llx", n, &a, &b) == 3) {
${FNS.map(([name, sig, k]) => {
    const args = k === 'dd' ? 'D(a), D(b)' : k === 'ff' ? 'F(a), F(b)' : k === 'd' ? 'D(a)' : k === 'l' ? '(long)a' : 'a';
    const ret = sig.split(' ')[0];
    const out = ret === 'double' ? `outd(${name}(${args}))` : ret === 'float' ? `outf(${name}(${args}))`
      : ret === 'int' ? `printf("i %d\\n", ${name}(${args}))` : ret === 'long' ? `printf("i %ld\\n", ${name}(${args}))` : `printf("i %lu\\n", ${name}(${args}))`;
    return `    if (!strcmp(n, "${name}")) ${out};`;
  }).join('\n')}
  }
  return 0;
}
`;

function call(image: Image, fn: string, args: Value[]): Value {
  const mem = createMemory(image);
  const regs = entryRegs(image, mem, fn, args, { stackSegment: mem.newStack(), onReturn: 'exit' });
  assert.ok(regs);
  const t = run(image, regs, mem, host, { budget: 1000, stopAtStatements: false });
  assert.equal(t.kind, 'syscall');
  return t.kind === 'syscall' ? t.args[0] : NaN;
}

const view = new DataView(new ArrayBuffer(8));
function dbits(x: number): bigint { view.setFloat64(0, x); return view.getBigUint64(0); }
function fbits(x: number): bigint { view.setFloat32(0, x); return BigInt(view.getUint32(0)); }
function fromD(b: bigint): number { view.setBigUint64(0, b); return view.getFloat64(0); }
function fromF(b: bigint): number { view.setUint32(0, Number(b)); return view.getFloat32(0); }

/** Doubles of every kind: any bits, integers near the conversion limits, small fractions. */
const double = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, 0.5, -0.5, 2147483647.5, 2147483648, -2147483648.5, -2147483649, 4294967296, 2 ** 63, -(2 ** 63), 2 ** 64, 1e19, -1e19, Infinity, -Infinity, NaN),
  fc.integer({ min: -100000, max: 100000 }).map((k) => k / 16),
  fc.double({ min: -1e20, max: 1e20 }),
);
const long = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }), fc.bigInt({ min: -100n, max: 100n }));
const ulong = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 2n ** 63n - 1000n, max: 2n ** 64n - 1n }));

describe('vm: floating operators and conversions match gcc on x86-64 (property)', function () {
  this.timeout(120000);
  let dir = '';
  let exe = '';
  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'float-ops-'));
    writeFileSync(join(dir, 'ops.c'), HELPER);
    const r = spawnSync('gcc', ['-O0', '-o', join(dir, 'ops'), join(dir, 'ops.c')], { encoding: 'utf8' });
    if (r.error || r.status !== 0) { console.log('    (skipped: gcc is not available)'); this.skip(); }
    exe = join(dir, 'ops');
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('gives gcc\'s bits for + - * / < == in double and float, and every conversion', () => {
    const image = build(SRC);
    const kase = fc.constantFrom(...FNS).chain(([name, , k]) => {
      if (k === 'dd') return fc.tuple(fc.constant(name), double.map(dbits), double.map(dbits));
      if (k === 'ff') return fc.tuple(fc.constant(name), double.map((x) => fbits(Math.fround(x))), double.map((x) => fbits(Math.fround(x))));
      if (k === 'd') return fc.tuple(fc.constant(name), double.map(dbits), fc.constant(0n));
      if (k === 'l') return fc.tuple(fc.constant(name), long.map((x) => BigInt.asUintN(64, x)), fc.constant(0n));
      return fc.tuple(fc.constant(name), ulong, fc.constant(0n));
    });
    const cases = fc.sample(kase, { numRuns: 6000, seed: 20261205 });
    const r = spawnSync(exe, [], { input: cases.map(([n, a, b]) => `${n} ${a.toString(16)} ${b.toString(16)}`).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(r.status, 0, r.stderr);
    const want = r.stdout.trim().split('\n');
    assert.equal(want.length, cases.length);
    const bad: string[] = [];
    cases.forEach(([name, a, b], i) => {
      const k = FNS.find((f) => f[0] === name)?.[2];
      const args: Value[] = k === 'dd' ? [fromD(a), fromD(b)] : k === 'ff' ? [fromF(a), fromF(b)] : k === 'd' ? [fromD(a)]
        : k === 'l' ? [norm(BigInt.asIntN(64, a))] : [norm(a)];
      const got = call(image, name, args);
      const [kind, text] = want[i].split(' ');
      let ok: boolean;
      if (kind === 'i') ok = got === norm(BigInt(text));
      else {
        const w = kind === 'd' ? fromD(BigInt(`0x${text}`)) : fromF(BigInt(`0x${text}`));
        // The VM keeps no NaN sign or payload (vm/float.ts): a NaN matches any NaN.
        ok = typeof got === 'number' && (Number.isNaN(w) ? Number.isNaN(got) : Object.is(got, w));
      }
      if (!ok) bad.push(`${name}(${args.map(String).join(', ')}): got ${String(got)}, gcc ${want[i]}`);
    });
    assert.deepEqual(bad.slice(0, 10), []);
  });
});
