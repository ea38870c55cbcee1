// Why the VM stops: faults that become SIGSEGV/SIGFPE, the instruction budget, statement and
// call traps for stepping, and diagnostics (never exceptions) for what it cannot compile.
import { strict as assert } from 'node:assert';
import { parse } from '../../sim-core/lang/parser';
import { compile, completeCall, loadBuiltinProgram, run, type Trap } from '../../sim-core/vm';
import { host, main, runToExit, start, step } from './helpers';

function fault(body: string, prelude = ''): Trap {
  return runToExit(start(main(body, prelude))).trap;
}

describe('vm: faults', () => {
  const rows: Array<[string, string, 'SIGSEGV' | 'SIGFPE', RegExp, string?]> = [
    ['NULL dereference (read)', 'int *p = NULL; return *p;', 'SIGSEGV', /NULL pointer/],
    ['NULL dereference (write)', 'int *p = 0; *p = 1; return 0;', 'SIGSEGV', /NULL pointer/],
    ['NULL struct pointer field', 'struct rlimit *r = NULL; return (int)r->rlim_max;', 'SIGSEGV', /invalid read at 0x1\b/],
    ['wild pointer', 'int *p = (int *)123456789; return *p;', 'SIGSEGV', /invalid read/],
    ['division by zero', 'int a = 5, b = 0; return a / b;', 'SIGFPE', /divide by zero/],
    ['modulo by zero', 'int a = 5, b = 0; return a % b;', 'SIGFPE', /divide by zero/],
    ['INT_MIN / -1 traps like idiv', 'int a = -2147483647 - 1, b = -1; return a / b;', 'SIGFPE', /overflow/],
    ['call through a bad function pointer', 'void (*f)(void) = (void (*)(void))64; f(); return 0;', 'SIGSEGV', /bad function pointer/],
    ['endless recursion overflows the stack', 'return down(1);', 'SIGSEGV', /stack overflow/, 'int down(int n) { int pad[64]; pad[0] = n; return down(n + 1) + pad[0]; }'],
    ['sigaction with a bad pointer', 'sigaction(SIGINT, (struct sigaction *)8, NULL); return 0;', 'SIGSEGV', /sigaction/],
  ];
  for (const [name, body, signal, message, prelude] of rows) {
    it(name, () => {
      const t = fault(body, `#include <signal.h>\n#include <sys/resource.h>\n${prelude ?? ''}`);
      assert.equal(t.kind, 'fault', JSON.stringify(t));
      if (t.kind !== 'fault') return;
      assert.equal(t.signal, signal);
      assert.match(t.message, message);
    });
  }

  it('reports the faulting line', () => {
    const src = main('int x = 1;\nint *p = NULL;\nx = *p;\nreturn x;');
    const t = runToExit(start(src)).trap;
    assert.equal(t.kind === 'fault' ? t.line : -1, src.split('\n').indexOf('x = *p;'));
  });
});

describe('vm: budget', () => {
  it('an endless loop stops at the budget and continues where it stopped', () => {
    const s = start(main('long n = 0; for (;;) { n++; if (n == 5000) printf("%ld\\n", n); }'));
    assert.deepEqual(step(s, 1000), { kind: 'budget' });
    let t: Trap = { kind: 'budget' };
    let budgets = 1;
    while (t.kind === 'budget') { t = step(s, 1000); budgets++; }
    // The first output asks whether stdout is a terminal (a terminal: line-buffered).
    assert.equal(t.kind === 'syscall' && t.name, 'ioctl');
    completeCall(s.regs, s.mem, 0);
    t = step(s, 1000);
    assert.equal(t.kind === 'syscall' ? t.args[1] : '', '5000\n');
    assert.ok(budgets > 10 && budgets < 100, `stopped ${budgets} times`);
  });

  it('a budget of 0 executes nothing', () => {
    const s = start(main('return 1;'));
    const before = s.regs.pc;
    assert.deepEqual(step(s, 0), { kind: 'budget' });
    assert.equal(s.regs.pc, before);
  });
});

describe('vm: statement and call traps', () => {
  const SRC = [
    '#include <stdio.h>',             // 0
    'int add(int a, int b)',          // 1
    '{',                              // 2
    '    return a + b;',              // 3
    '}',                              // 4
    'int main(void)',                 // 5
    '{',                              // 6
    '    int x = 1;',                 // 7
    '    int y;',                     // 8
    '    x = add(x, 2);',             // 9
    '    if (x > 2)',                 // 10
    '        printf("%d\\n", x);',    // 11
    '    return 0;',                  // 12
    '}',                              // 13
  ].join('\n');

  it('stops once before each statement, in order, with its line', () => {
    const s = start(SRC);
    const lines: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = step(s, 1000, true);
      if (t.kind === 'statement') { lines.push(t.line); continue; }
      if (t.kind === 'syscall' && (t.name === 'write' || t.name === 'ioctl')) { completeCall(s.regs, s.mem, t.name === 'write' ? 2 : 0); continue; }
      break;
    }
    assert.deepEqual(lines, [7, 9, 3, 10, 11, 12]);
  });

  it('the statement trap carries the statement\'s text range and function', () => {
    const s = start(SRC);
    const t = step(s, 1000, true);
    assert.equal(t.kind, 'statement');
    if (t.kind !== 'statement') return;
    assert.equal(SRC.slice(t.start, t.end), 'x = 1');
    assert.equal(t.fn, 'main');
    assert.equal(s.regs.line, 7);
  });

  it('call traps name the function entered, main\'s own entry first', () => {
    const s = start(SRC);
    const opts = { budget: 1000, stopAtStatements: false, callTraps: true };
    assert.deepEqual(run(s.image, s.regs, s.mem, host, opts), { kind: 'call', fn: 'main', line: 5 });
    const t = run(s.image, s.regs, s.mem, host, { ...opts, budget: 1000 });
    assert.deepEqual(t, { kind: 'call', fn: 'add', line: 1 });
    assert.equal(run(s.image, s.regs, s.mem, host, { budget: 1000, stopAtStatements: false }).kind, 'syscall');
  });
});

describe('vm: what it cannot compile gives diagnostics', () => {
  const rows: Array<[string, string, RegExp]> = [
    ['an undeclared name', 'int main(void) { return nothing_here; }', /'nothing_here' undeclared/],
    ['an unknown member', 'struct p { int x; };\nint main(void) { struct p v; return v.y; }', /has no member named 'y'/],
    ['a non-constant global initialiser', 'int f(void) { return 1; }\nint g = f();\nint main(void) { return g; }', /not constant/],
    ['break outside a loop', 'int main(void) { break; return 0; }', /break statement not within/],
    ['a non-constant case label', 'int main(void) { int k = 1; switch (k) { case k: return 1; } return 0; }', /integer constant/],
    ['assignment to a non-lvalue', 'int main(void) { 3 = 4; return 0; }', /not assignable/],
    ['a function with no body', 'int helper(int);\nint main(void) { return helper(2); }', /implicit declaration|no body/],
  ];
  for (const [name, src, message] of rows) {
    it(name, () => {
      const { diagnostics } = compile(parse(src).program, src);
      assert.ok(diagnostics.some((d) => message.test(d.message)), JSON.stringify(diagnostics));
      for (const d of diagnostics) assert.ok(d.range.start >= 0 && d.range.end <= src.length && d.range.start <= d.range.end);
    });
  }

  it('never throws on the parser\'s recovery output', () => {
    const broken = ['int main( { x = ; }', 'struct { int; } ;', 'int f(int a, ) { return a +; }', 'int main(void) { switch { case: } }',
      '#define X (X + 1)\nint main(void) { return X; }', 'int main(void) { int a[; a[1] = 2; return *; }', 'void f(void) { f()()(); }'];
    for (const src of broken) assert.doesNotThrow(() => compile(parse(src).program, src), src);
  });
});

describe('vm: built-in programs', () => {
  it('/bin/echo prints its arguments', () => {
    const p = loadBuiltinProgram('/bin/echo', ['echo', 'hello', 'world']);
    assert.ok(p);
    if (!p) return;
    const r = runToExit({ image: p.image, mem: p.memory, regs: p.regs });
    assert.equal(r.out, 'hello world\n');
    assert.equal(r.trap.kind === 'syscall' ? r.trap.args[0] : -1, 0);
  });

  it('/bin/true, /bin/false and /bin/sleep', () => {
    const status = (path: string, argv: string[]): unknown => {
      const p = loadBuiltinProgram(path, argv);
      if (!p) return null;
      const r = runToExit({ image: p.image, mem: p.memory, regs: p.regs });
      return [r.calls.join(','), r.trap.kind === 'syscall' ? r.trap.args[0] : -1];
    };
    assert.deepEqual(status('/bin/true', ['true']), ['exit_group', 0]);
    assert.deepEqual(status('/bin/false', ['false']), ['exit_group', 1]);
    assert.deepEqual(status('/bin/sleep', ['sleep', '3']), ['clock_nanosleep,exit_group', 0]);
    assert.equal(loadBuiltinProgram('/bin/nothing', []), null);
  });
});
