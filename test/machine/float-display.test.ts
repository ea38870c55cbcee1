// The debugger shows a scenario's double and float variables as gdb prints them under VS Code's
// C debuggers (%.17g for double, %.9g for float), in the Variables view, in watch expressions
// and in the console, and a double's value never turns into an integer on the way.
import assert from 'node:assert/strict';
import { bootSource, FILE, runUntil } from './helpers';

const SRC = [
  '#include <stdio.h>',
  'int main(void) {',
  '    double tenth = 0.1;',
  '    float ftenth = 0.1f;',
  '    double three = 3.0;',
  '    double big = 1e22;',
  '    double zero = 0.0;',
  '    double inf = 1 / zero;',
  '    double nan = zero / zero;',
  '    printf("%f\\n", tenth);', // line 9
  '    return 0;',
  '}',
].join('\n');

describe('machine: doubles and floats in the debugger', () => {
  it('shows them as gdb does in Variables, watch expressions and the console', () => {
    const m = bootSource(SRC);
    m.setLineBreakpoints(FILE, [{ line: 9 }]);
    const stop = runUntil(m, { kind: 'continue' });
    assert.equal(stop.reason, 'breakpoint');
    const pid = stop.pid as number;
    const frame = m.stack(pid)[0];
    const locals = m.variables(m.scopes(frame.id)[0].ref);
    const shown = Object.fromEntries(locals.map((v) => [v.name, v.value]));
    assert.deepEqual(shown, {
      tenth: '0.10000000000000001', ftenth: '0.100000001', three: '3', big: '1e+22', zero: '0',
      inf: 'inf', nan: '-nan(0x8000000000000)',
    });
    const watch = (e: string): { value: string; type?: string } => {
      const r = m.evaluate(e, frame.id, 'watch');
      assert.equal(r.error, undefined, `${e}: ${r.error}`);
      return { value: r.value, type: r.type };
    };
    assert.deepEqual(watch('tenth'), { value: '0.10000000000000001', type: 'double' });
    assert.deepEqual(watch('three / 2'), { value: '1.5', type: 'double' });
    assert.deepEqual(watch('(int)(three * 2.5)'), { value: '7', type: 'int' });
    assert.deepEqual(watch('ftenth * 2'), { value: '0.200000003', type: 'float' });
    assert.deepEqual(watch('-inf'), { value: '-inf', type: 'double' });
    const repl = (e: string): string => m.evaluate(e, frame.id, 'repl').value;
    assert.equal(repl('p three'), '3');
    assert.equal(repl('p/x three'), '0x3');
  });
});
