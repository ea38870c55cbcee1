// What the debugger reads: frames with the locals in scope and their values, innermost first,
// and side-effect-free evaluation of expressions in a chosen frame.
import { strict as assert } from 'node:assert';
import { evaluateUser as evaluate } from '../../sim-core/debug/evaluate';
import { completeCall, frames, functionAddress, pushSignalFrame } from '../../sim-core/vm';
import { copyMemory, host, start, step } from './helpers';

const SRC = `#include <stdio.h>
#include <sys/wait.h>
#define LIMIT 10
struct pair { int a; int b; };
int total = 3;
int inner(int depth, int *out)
{
    int here = depth * 2;
    *out = here;
    return waitpid(-1, NULL, 0);
}
int main(void)
{
    int result = 0;
    struct pair pr = { 4, 5 };
    char *name = "demo";
    {
        int hidden = 9;
        result = hidden;
    }
    inner(7, &result);
    return result + pr.a;
}
`;

function stopped(): ReturnType<typeof start> {
  const s = start(SRC);
  const t = step(s);
  assert.equal(t.kind === 'syscall' ? t.name : t.kind, 'wait4');
  return s;
}

describe('vm: frames', () => {
  it('lists frames innermost first with lines and the locals in scope', () => {
    const s = stopped();
    const fs = frames(s.image, s.regs, s.mem);
    assert.deepEqual(fs.map((f) => [f.function, f.line]), [['inner', 9], ['main', 20]]);
    const inner = Object.fromEntries(fs[0].locals.map((l) => [l.name, [l.type, l.value]]));
    assert.deepEqual(inner.depth, ['int', 7]);
    assert.deepEqual(inner.here, ['int', 14]);
    const main = fs[1].locals.map((l) => l.name);
    // `hidden` went out of scope with its block.
    assert.deepEqual(main, ['result', 'pr', 'name']);
    assert.equal(fs[1].locals[0].value, 14);
    assert.equal(fs[1].locals[2].value, 'demo');
    assert.equal(fs[1].locals[1].type, 'struct pair');
    assert.equal(SRC.slice(fs[1].start, fs[1].end), 'inner(7, &result);');
  });

  it('the out-parameter address in inner is the address of main\'s local', () => {
    const s = stopped();
    const fs = frames(s.image, s.regs, s.mem);
    const out = fs[0].locals.find((l) => l.name === 'out');
    const result = fs[1].locals.find((l) => l.name === 'result');
    assert.equal(out?.value, result?.addr);
  });

  it('a signal handler\'s frame sits above the frames it interrupted', () => {
    const src = `void on_sig(int sig) { int seen = sig; (void)seen; getpid(); }\nint main(void) { int x = 1; pause(); return x; }`;
    const s = start(`#include <unistd.h>\n${src}`);
    step(s);
    completeCall(s.regs, s.mem, -4);
    pushSignalFrame(s.image, s.regs, s.mem, functionAddress(s.image, 'on_sig') as number, 2);
    const t = step(s);
    assert.equal(t.kind === 'syscall' ? t.name : '', 'getpid');
    const fs = frames(s.image, s.regs, s.mem);
    assert.deepEqual(fs.map((f) => f.function), ['on_sig', 'main']);
    assert.equal(fs[0].locals.find((l) => l.name === 'seen')?.value, 2);
  });
});

describe('vm: the debugger\'s evaluator in a scenario frame (typed reads through the compiler)', () => {
  const rows: Array<[string, number, unknown, string?]> = [
    ['here + depth', 0, 21, 'int'],
    ['*out', 0, 14, 'int'],
    ['pr.a * 10 + pr.b', 1, 45, 'int'],
    ['name', 1, 'demo', 'char *'],
    ['total + LIMIT', 0, 13, 'int'],
    ['WEXITSTATUS(0x0300)', 0, 3, 'int'],
    ['strlen(name)', 1, 4],
    ['result == 14 ? pr.b : -1', 1, 5],
  ];
  for (const [expr, frame, value, type] of rows) {
    it(`${expr} in frame ${frame}`, () => {
      const s = stopped();
      const r = evaluate(s.image, s.regs, s.mem, host, expr, frame);
      assert.equal(r.error, undefined);
      assert.equal(r.value, value);
      if (type) assert.equal(r.type, type);
    });
  }

  it('refuses side effects and leaves memory alone', () => {
    const s = stopped();
    const before = copyMemory(s.mem);
    for (const e of ['total = 5', 'here++', 'inner(1, 0)', 'getpid()', 'current']) {
      const r = evaluate(s.image, s.regs, s.mem, host, e, 0);
      assert.match(r.error ?? '', /does not evaluate/, e);
    }
    assert.deepEqual(s.mem.segs[0], before.segs[0]);
    assert.equal(evaluate(s.image, s.regs, s.mem, host, 'total', 0).value, 3);
  });

  it('reports unknown names, syntax errors and bad memory as errors', () => {
    const s = stopped();
    assert.match(evaluate(s.image, s.regs, s.mem, host, 'nope + 1').error ?? '', /undeclared/);
    assert.match(evaluate(s.image, s.regs, s.mem, host, 'here +').error ?? '', /expected/);
    assert.match(evaluate(s.image, s.regs, s.mem, host, '*(int *)0').error ?? '', /cannot access memory/);
  });

  it('does not disturb the thread: it still completes its call and runs on', () => {
    const s = stopped();
    evaluate(s.image, s.regs, s.mem, host, 'here * 2 + *out', 0);
    completeCall(s.regs, s.mem, 0);
    const t = step(s);
    assert.deepEqual(t.kind === 'syscall' ? [t.name, t.args[0]] : t, ['exit_group', 18]);
  });
});
