// The debugger's evaluator on kernel frames computes integers as C does in long on x86-64: exact
// to 64 bits (past 2^53 too), wrapping at LONG_MAX, shift counts masked as the instruction masks
// them (so a huge count is one cheap shift, not a bigint of a billion bits).
import assert from 'node:assert/strict';
import { bootSource, runUntil } from './helpers';

describe('machine: evaluation of 64-bit integers', () => {
  it('is exact and wraps at 64 bits', () => {
    const m = bootSource();
    m.setFunctionBreakpoints([{ name: 'copy_process' }]);
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'function breakpoint');
    const frame = m.stack(3)[0].id;
    const value = (e: string): string => {
      const r = m.evaluate(e, frame, 'watch');
      assert.equal(r.error, undefined, `${e}: ${r.error}`);
      return r.value;
    };
    assert.equal(value('LONG_MAX'), '9223372036854775807');
    assert.equal(value('LONG_MAX + 1'), '-9223372036854775808');
    assert.equal(value('9007199254740993 + 2'), '9007199254740995');
    assert.equal(value('ULONG_MAX'), '18446744073709551615');
    assert.equal(value('1000000000000 * 1000000000000'), '2003764205206896640');
    assert.equal(value('-7 / 2'), '-3');
    assert.equal(value('1 << 63'), '-9223372036854775808');
    assert.match(m.evaluate('1 << 1000000000', frame, 'watch').error ?? '', /shift count/);
    assert.match(m.evaluate('LONG_MIN / -1', frame, 'watch').error ?? '', /overflow/i);
    // p/x shows an int's 32 bits and a wider value's 64.
    const repl = (e: string): string => m.evaluate(e, undefined, 'repl').value;
    assert.equal(repl('p/x -1'), '0xffffffff');
    assert.equal(repl('p/x LONG_MIN'), '0x8000000000000000');
    assert.equal(repl('p/x 1099511627776'), '0x10000000000');
    assert.equal(repl('p LONG_MAX + 1'), '-9223372036854775808');
  });
});
