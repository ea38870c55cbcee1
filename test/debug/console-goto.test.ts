// lx-goto in the debug console: listed in help and completion (the command, then the kind of
// moment), its moment checked with the one parser, and never a silent success when evaluated by
// the machine (the debug session carries it out before the console sees it).
import { strict as assert } from 'node:assert';
import { bootSource } from '../machine/helpers';

describe('console: lx-goto', () => {
  const m = bootSource();

  it('is listed in the console help and completed like the other lx- commands', () => {
    assert.match(m.evaluate('help', undefined, 'repl').value, /^ {2}lx-goto +travel to a moment: lx-goto zombie 5/m);
    assert.deepEqual(m.completions('lx-g', 4).map((c) => [c.label, c.start, c.length]), [['lx-goto', 0, 4]]);
    assert.deepEqual(m.completions('lx-goto ', 8).map((c) => c.label), ['step', 'time', 'start', 'fork', 'exec', 'exit', 'zombie', 'reparent', 'reap', 'signal']);
    assert.deepEqual(m.completions('lx-goto t', 9).map((c) => c.label), ['time']);
    const re = m.completions('lx-goto re', 10);
    assert.deepEqual(re.map((c) => [c.label, c.start]), [['reparent', 8], ['reap', 8]]);
    assert.equal(re[0].detail, 'reparent PID [back|forward]');
    assert.deepEqual(m.completions('lx-goto s', 9).map((c) => c.label), ['step', 'start', 'signal']);
  });

  it('reports a malformed moment with what was expected', () => {
    const r = m.evaluate('lx-goto zombie', undefined, 'repl');
    assert.equal(r.error, "lx-goto: 'zombie' needs a pid from 1 to 4194304 (got nothing)");
    assert.match(m.evaluate('lx-goto', undefined, 'repl').error ?? '', /^lx-goto: expected a moment: step N, time T .*, start, or EVENT PID/);
    assert.match(m.evaluate('lx-goto signal 3 SIGWHAT', undefined, 'repl').error ?? '', /^lx-goto: unknown signal 'SIGWHAT'/);
  });

  it('does not pretend to travel: a well-formed moment says the debug session goes there', () => {
    const before = m.moment();
    const r = m.evaluate('lx-goto zombie 4', undefined, 'repl');
    assert.equal(r.error, 'lx-goto: going to when pid 4 became a zombie is done by the debug session, not by evaluating an expression');
    assert.equal(m.evaluate('lx-goto step 120', undefined, 'repl').error, 'lx-goto: going to step 120 is done by the debug session, not by evaluating an expression');
    assert.deepEqual(m.moment(), before);
  });
});
