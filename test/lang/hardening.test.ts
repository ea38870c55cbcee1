// Inputs that used to crash, hang or silently misbehave in the front end: each gets a located
// diagnostic or runs as C does. Timeouts here are hang guards only; no assertion reads a clock.
import { strict as assert } from 'node:assert';
import { analyze } from '../../sim-core/lang/check';
import { compile } from '../../sim-core/vm/compile';
import { ExprCompiler } from '../../sim-core/vm/compile-expr';
import { boot } from '../../sim-core/machine';
import type { Diagnostic } from '../../sim-core/lang/ast';
import { walkExpr, walkStmtExprs } from '../../sim-core/lang/walk';
import { pathAt } from '../../sim-core/lang/program-refs';
import { teacherWarnings } from '../../sim-core/lang/teacher';

const HDR = '#include <stdio.h>\n#include <stdlib.h>\n';

/** Every diagnostic `kproc run` would see: analysis, then the compiler. Never throws. */
function diagnose(src: string): Diagnostic[] {
  const a = analyze(src);
  return [...a.diagnostics, ...compile(a.program, src).diagnostics];
}
const errors = (src: string): Diagnostic[] => diagnose(src).filter((d) => d.severity === 'error');

/** Boots and runs a scenario to its end; returns its stdout. */
function output(src: string): string {
  const { machine, diagnostics } = boot({ file: 't.kproc', source: src });
  assert.ok(machine, diagnostics.map((d) => d.message).join('; '));
  let out = '';
  const stop = machine.run(1_000_000);
  for (const e of stop.events) if (e.kind === 'output') out += e.text;
  assert.equal(stop.reason, 'exited', stop.message);
  return out;
}

describe('front end: chains are compiled in linear time', () => {
  const list = (n: number): string => `${HDR}struct q { int v; struct q *n; };\n`
    + `int main(void) { struct q a; a.v = 42; a.n = &a; printf("%d\\n", a.n${'->n'.repeat(n)}->v); return 0; }\n`;

  it('a 300-link member chain (each link used to double the time) compiles and runs', () => {
    assert.equal(output(list(300)), '42\n');
  });

  it('a 240-link member-and-subscript chain (480 operators) compiles and runs', () => {
    const src = `${HDR}struct q { int v; struct q *n[1]; };\n`
      + `int main(void) { struct q a; a.v = 7; a.n[0] = &a; printf("%d\\n", a.n[0]${'->n[0]'.repeat(240)}->v); return 0; }\n`;
    assert.equal(output(src), '7\n');
  });

  it('compiler visits grow linearly with the links (counted, not timed)', () => {
    const proto = ExprCompiler.prototype as unknown as Record<'expr' | 'place' | 'fold', (...a: unknown[]) => unknown>;
    const saved = { expr: proto.expr, place: proto.place, fold: proto.fold };
    let visits = 0;
    for (const k of ['expr', 'place', 'fold'] as const) {
      const f = saved[k];
      proto[k] = function (this: unknown, ...a: unknown[]) { visits++; return f.apply(this, a); };
    }
    const count = (src: string): number => { visits = 0; compile(analyze(src).program, src); return visits; };
    const sub = (n: number): string => `struct q { int v; struct q *n[1]; };\nint main(void) { struct q a; a.n[0] = &a; return a.n[0]${'->n[0]'.repeat(n)}->v; }\n`;
    try {
      for (const make of [list, sub]) {
        const [a, b, c] = [5, 10, 20].map((n) => count(make(n)));
        assert.ok(b / a < 2.2 && c / b < 2.2, `visits ${a}, ${b}, ${c}`);
      }
    } finally { Object.assign(proto, saved); }
  });

  it('2,000 links end with one located error, not a hang', () => {
    const src = list(2000);
    const d = analyze(src).diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['too-deep']);
    assert.ok(d[0].range.start > src.indexOf('a.n->'));
  });
});

describe('front end: deep inputs give one located error, never a stack overflow', () => {
  const main = (body: string): string => `${HDR}int main(void) { int x = 0; int a[2]; ${body} return 0; }\n`;
  const cases: Array<[string, string, RegExp]> = [
    ['10,000 commas', main(`x = 1${', 1'.repeat(10000)};`), /more than 500 operators/],
    ['10,000 postfix ++', main(`x${'++'.repeat(10000)};`), /more than 500 operators/],
    ['10,000 subscripts', main(`a${'[0]'.repeat(10000)} = 1;`), /more than 500 operators/],
    ['10,000 calls of a call', main(`abs(1)${'(1)'.repeat(10000)};`), /more than 500 operators/],
    ['1,700 calls of a call', main(`abs(1)${'(1)'.repeat(1700)};`), /more than 500 operators/],
    ['3,000 nested initializer braces', main(`int b[1] = ${'{'.repeat(3000)}1${'}'.repeat(3000)};`), /nesting too deep/],
    ['20,000 parentheses', main(`x = ${'('.repeat(20000)}1${')'.repeat(20000)};`), /nesting too deep/],
    ['20,000 unary minus', main(`x = ${'- '.repeat(20000)}1;`), /nesting too deep/],
  ];
  for (const [what, src, message] of cases) {
    it(what, () => {
      const d = errors(src).filter((x) => x.code === 'too-deep');
      assert.equal(d.length, 1, what);
      assert.match(d[0].message, message);
      assert.ok(d[0].range.start > src.indexOf('main'));
    });
  }

  it('2,400 chained #defines: macro expansion too deep, at the use, in check and in the compiler', () => {
    let src = HDR;
    for (let i = 0; i < 2400; i++) src += `#define A${i} A${i + 1}\n`;
    src += '#define A2400 1\nint main(void) { printf("%d\\n", A0); return 0; }\n';
    const a = analyze(src);
    const d = a.diagnostics.filter((x) => x.severity === 'error');
    assert.equal(d.length, 1);
    assert.match(d[0].message, /macro expansion too deep: 'A0' expands through more than 200 nested #defines/);
    assert.equal(d[0].range.start, src.lastIndexOf('A0'));
    const c = compile(a.program, src).diagnostics;
    assert.ok(c.some((x) => x.code === 'too-deep'));
  });

  it('150 chained #defines still expand', () => {
    let src = HDR;
    for (let i = 0; i < 150; i++) src += `#define A${i} A${i + 1}\n`;
    src += '#define A150 3\nint main(void) { printf("%d\\n", A0 + 1); return 0; }\n';
    assert.equal(output(src), '4\n');
  });

  it('#define bodies that stack into a very deep tree stop at the compiler\'s limit', () => {
    let src = 'int x = 1;\n';
    for (let i = 0; i < 200; i++) src += `#define B${i} (x + (x + (x + (x + (x + (x + B${i + 1}))))))\n`;
    src += '#define B200 x\nint main(void) { return B0; }\n';
    const c = compile(analyze(src).program, src).diagnostics;
    assert.deepEqual(c.map((x) => x.code), ['too-deep']);
    assert.match(c[0].message, /expression nested too deeply \(more than 1000 levels/);
  });
});

describe('front end: literals and constant expressions', () => {
  it('a 300-digit integer constant is too large for its type', () => {
    const src = `int main(void) { long x = ${'9'.repeat(300)}; return 0; }\n`;
    const d = errors(src);
    assert.equal(d[0].message, 'integer constant is too large for its type');
    assert.equal(d[0].range.start, src.indexOf('999'));
    // The largest unsigned long long is still a constant.
    assert.deepEqual(errors('int main(void) { unsigned long x = 18446744073709551615UL; return 0; }\n'), []);
  });

  it('a huge constant shift count is warned about and folded as gcc folds it, without a huge number', () => {
    const src = `${HDR}int main(void) { long x = 1 << 100000000; printf("%ld\\n", x); return 0; }\n`;
    const w = diagnose(src).filter((d) => d.code === 'shift-count');
    assert.equal(w.length, 1);
    assert.match(w[0].message, /left shift count >= width of type/);
    // gcc on x86-64 prints 0 (every bit shifted out); a count in a variable is taken modulo the width at run time (1).
    assert.equal(output(src), '0\n');
    const run = `${HDR}int main(void) { int n = 100000000; long a = -1 >> 40; long b = 8 >> 40; long c = 1 << -1; long d = 1L << 70; unsigned e = 5u << 40;\n`
      + '  printf("%ld %ld %ld %ld %u %d\\n", a, b, c, d, e, 1 << n); return 0; }\n';
    assert.equal(output(run), '-1 0 -2147483648 0 0 1\n');
  });

  it('a pointer where C needs an integer is a located error in check', () => {
    const src = 'int main(void) { int x = "abc" - 1 & 1; char *p = 0; x = p * 2; x = -p; return x; }\n';
    const d = analyze(src).diagnostics.filter((x) => x.severity === 'error');
    assert.deepEqual(d.map((x) => x.message), [
      'invalid operands to binary & (a pointer and an integer)',
      'invalid operands to binary * (a pointer and an integer)',
      'wrong type argument to unary minus (a pointer)',
    ]);
    assert.equal(d[0].range.start, src.indexOf('"abc"'));
    // Pointer arithmetic C allows stays quiet.
    assert.deepEqual(errors('int main(void) { char *p = "ab"; char *q = p + 1; long n = q - p; return (int)n + (p == q); }\n'), []);
  });

  it('calling the value a call returned is refused', () => {
    const src = 'int main(void) { abs(1)(1); return 0; }\n';
    const d = errors(src);
    assert.equal(d[0].message, 'called object is not a function or function pointer');
    assert.equal(d[0].range.start, src.indexOf('abs'));
  });
});

describe('front end: what check accepts, run runs', () => {
  it('a linked list: p->next->v', () => {
    const src = `${HDR}struct node { int v; struct node *next; };\n`
      + 'int main(void) { struct node b; struct node a; b.v = 7; b.next = 0; a.v = 1; a.next = &b;\n'
      + '  struct node *p = &a; int n = 0; while (p) { n += p->v; p = p->next; }\n'
      + '  printf("%d %d\\n", a.next->v, n); return 0; }\n';
    assert.deepEqual(analyze(src).diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(output(src), '7 8\n');
  });

  it('sizeof of a struct nobody defines is an incomplete type', () => {
    const src = 'int main(void) { return (int)sizeof(struct nosuch); }\n';
    const d = analyze(src).diagnostics.filter((x) => x.severity === 'error');
    assert.equal(d.length, 1);
    assert.equal(d[0].message, "invalid application of 'sizeof' to incomplete type 'struct nosuch'");
    assert.equal(d[0].range.start, src.indexOf('struct nosuch'));
    assert.deepEqual(errors('struct s { int a; long b; };\nint main(void) { return (int)sizeof(struct s); }\n'), []);
    // The compiler refuses it as well (8 bytes was the answer before), once for the fold it tries first.
    const c = compile(analyze(src).program, src).diagnostics;
    assert.ok(c.length >= 1 && c.every((x) => x.message === "invalid application of 'sizeof' to incomplete type 'struct nosuch'"));
  });

  it('designated initialisers for arrays and structs, locals and globals, with zero fill', () => {
    const src = `${HDR}struct s { int a; int b; int c; };\n`
      + 'int g[4] = {[2] = 5, 6};\nstruct s gs = {.b = 2, 3};\nint u[] = {[4] = 1, 2};\n'
      + 'int main(void) {\n  int a[4] = {[2] = 5}; struct s x = {.b = 2}; int v[] = {1, [5] = 7, 8};\n'
      + '  struct s arr[3] = {[1] = {.c = 4}, {9}};\n'
      + '  printf("%d %d %d %d|%d %d %d|%d %d %d %d|%d %d %d|%d %d|%d %d %d|%d %d %d\\n", a[0], a[1], a[2], a[3], x.a, x.b, x.c,\n'
      + '    g[0], g[1], g[2], g[3], gs.a, gs.b, gs.c, (int)(sizeof(u) / sizeof(u[0])), u[5], (int)(sizeof(v) / sizeof(v[0])), v[5], v[6],\n'
      + '    arr[1].c, arr[2].a, arr[0].a);\n  return 0;\n}\n';
    assert.equal(output(src), '0 0 5 0|0 2 0|0 0 5 6|0 2 3|6 2|7 7 8|4 9 0\n');
  });

  it('designators that do not fit are reported by check, as the compiler refuses them', () => {
    const src = 'struct s { int a; };\nint main(void) { int a[2] = {[5] = 1}; struct s x = {.zz = 1}; return 0; }\n';
    const d = analyze(src).diagnostics.filter((x) => x.severity === 'error');
    assert.deepEqual(d.map((x) => x.message), ['array index in initializer exceeds array bounds', "unknown field 'zz' specified in initializer"]);
    assert.deepEqual(d.map((x) => x.range.start), [src.indexOf('5]'), src.indexOf('zz')]);
  });

  it('designators that do not fit are located errors in the compiler', () => {
    const src = 'struct s { int a; };\nint main(void) { int a[2] = {[5] = 1}; struct s x = {.zz = 1}; int i = 1; int b[2] = {[i] = 1}; return 0; }\n';
    const d = compile(analyze(src).program, src).diagnostics;
    assert.deepEqual(d.map((x) => x.message), [
      'array index in initializer exceeds array bounds', "unknown field 'zz' specified in initializer", 'nonconstant array index in initializer',
    ]);
  });
});

describe('front end: the deepest tree the parser accepts goes through every later walk', () => {
  it('nested statements, parentheses and a 490-link chain: analysis, symbol index, teacher, walks, compile', () => {
    const depth = 60; // an if and its block: two levels each
    let src = `${HDR}struct q { int v; struct q *n; };\nint main(void) { struct q a; a.v = 3; a.n = &a; int x = 0;\n`;
    src += 'if (x == 0) {\n'.repeat(depth);
    src += `x = ${'('.repeat(30)}a.n${'->n'.repeat(490)}->v${')'.repeat(30)}; printf("%d\\n", x);\n`;
    src += '}\n'.repeat(depth);
    src += 'return 0; }\n';
    const a = analyze(src);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
    let nodes = 0;
    const main = a.program.items.find((i) => i.kind === 'Function');
    assert.ok(main?.kind === 'Function' && main.body);
    walkStmtExprs(main.body, (e) => walkExpr(e, () => { nodes++; }));
    assert.ok(nodes > 490);
    assert.equal(pathAt(a.program, a.index, src.indexOf('->v')), undefined);
    assert.ok(teacherWarnings(a.program, a.index));
    assert.equal(output(src), '3\n');
  });
});

describe('front end: printf formats', () => {
  it('warns about a field width that writes gigabytes, not about ordinary ones or %%', () => {
    const d = analyze(`${HDR}int main(void) { printf("%2000000000d\\n", 1); printf("%5d %%3000000d %.2f\\n", 1, 2.0); return 0; }\n`).diagnostics;
    const w = d.filter((x) => x.code === 'format-width');
    assert.equal(w.length, 1);
    assert.match(w[0].message, /field width or precision 2000000000 in '%2000000000d' writes that many characters for one conversion/);
  });
});

describe('front end: struct members', () => {
  it('a member of its own struct type, or of a struct defined later, is incomplete in check and in the compiler', () => {
    const src = 'struct s { int a; struct s inner; };\nstruct t { struct u x; };\nstruct u { int b; };\nint main(void) { return 0; }\n';
    const d = analyze(src).diagnostics.filter((x) => x.severity === 'error');
    assert.deepEqual(d.map((x) => x.message), ["field 'inner' has incomplete type 'struct s'", "field 'x' has incomplete type 'struct u'"]);
    assert.equal(d[0].range.start, src.indexOf('inner'));
    assert.equal(compile(analyze(src).program, src).diagnostics.filter((x) => x.code === 'vm-type').length, 2);
    // A pointer to the struct itself is what a linked list needs, and a struct defined above is complete.
    assert.deepEqual(errors('struct u { int b; };\nstruct s { struct s *next; struct u u; };\nint main(void) { return 0; }\n'), []);
  });
});
