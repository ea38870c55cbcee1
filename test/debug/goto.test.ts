// The text form of moments (lx-goto, kproc run --until): every form (steps, times, events) parses to its target, the
// target prints back to text that parses the same, bad text gives an error that says what was
// expected and never throws, and eventMatches picks the one event a target designates.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { describeGotoTarget, eventMatches, formatGotoTarget, GOTO_EVENTS, parseGotoCommand, parseGotoTarget, parseSignal } from '../../sim-core/debug/goto';
import type { GotoTarget, KEvent } from '../../sim-core/machine-types';

function ok(text: string): GotoTarget {
  const r = parseGotoTarget(text);
  if ('error' in r) throw new Error(`'${text}': ${r.error}`);
  return r.target;
}

function error(text: string): string {
  const r = parseGotoTarget(text);
  if (!('error' in r)) throw new Error(`'${text}' parsed to ${JSON.stringify(r.target)}`);
  return r.error;
}

// fc.record builds objects without a prototype: spread into plain ones to compare with the parser's.
const target: fc.Arbitrary<GotoTarget> = fc.oneof(
  fc.record({ kind: fc.constant('step' as const), step: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)) }),
  fc.record({ kind: fc.constant('time' as const), time: fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constant(Number.MAX_SAFE_INTEGER)) }),
  fc.constant({ kind: 'start' as const }),
  fc.record({ kind: fc.constant('event' as const), event: fc.constantFrom(...GOTO_EVENTS.filter((e) => e !== 'signal')), pid: fc.integer({ min: 1, max: 4194304 }), direction: fc.constantFrom('back' as const, 'forward' as const) }),
  fc.record({ kind: fc.constant('event' as const), event: fc.constant('signal' as const), pid: fc.integer({ min: 1, max: 4194304 }), sig: fc.integer({ min: 1, max: 64 }), direction: fc.constantFrom('back' as const, 'forward' as const) }),
).map((t) => ({ ...t }));

const at = { time: 5000, step: 5 };

describe('goto targets in words', () => {
  it('reads each form, with back as the default direction of events', () => {
    assert.deepEqual(ok('step 120000'), { kind: 'step', step: 120000 });
    assert.deepEqual(ok('step 0'), { kind: 'step', step: 0 });
    assert.deepEqual(ok('start'), { kind: 'start' });
    assert.deepEqual(ok('zombie 5'), { kind: 'event', event: 'zombie', pid: 5, direction: 'back' });
    assert.deepEqual(ok('  Reparent   7 FORWARD '), { kind: 'event', event: 'reparent', pid: 7, direction: 'forward' });
    assert.deepEqual(ok('fork 4 forward'), { kind: 'event', event: 'fork', pid: 4, direction: 'forward' });
    for (const e of ['exec', 'exit', 'reap'] as const) assert.deepEqual(ok(`${e} 9 back`), { kind: 'event', event: e, pid: 9, direction: 'back' });
    assert.deepEqual(ok('signal 5'), { kind: 'event', event: 'signal', pid: 5, direction: 'back' });
    assert.deepEqual(ok('signal 5 back'), { kind: 'event', event: 'signal', pid: 5, direction: 'back' });
    for (const s of ['SIGTERM', 'TERM', '15', 'sigterm', 'term']) {
      assert.deepEqual(ok(`signal 5 ${s} forward`), { kind: 'event', event: 'signal', pid: 5, sig: 15, direction: 'forward' }, s);
    }
  });

  it('reads a virtual time with its unit, exactly, to the nanosecond', () => {
    assert.deepEqual(ok('time 12.5ms'), { kind: 'time', time: 12_500_000 });
    assert.deepEqual(ok('time 1500us'), { kind: 'time', time: 1_500_000 });
    assert.deepEqual(ok('time 1500µs'), { kind: 'time', time: 1_500_000 });
    assert.deepEqual(ok('time 2000000ns'), { kind: 'time', time: 2_000_000 });
    assert.deepEqual(ok('time 3s'), { kind: 'time', time: 3_000_000_000 });
    assert.deepEqual(ok('TIME 12.5 MS'), { kind: 'time', time: 12_500_000 }, 'a space before the unit, any case');
    assert.deepEqual(ok('time 0ns'), { kind: 'time', time: 0 });
    // Decimals are read as written: 0.1 + 0.2 in floating point would not give 300000 ns.
    assert.deepEqual(ok('time 0.3ms'), { kind: 'time', time: 300_000 });
    assert.deepEqual(ok('time 1.000000001s'), { kind: 'time', time: 1_000_000_001 });
    assert.deepEqual(ok('time 9007199.254740991s'), { kind: 'time', time: Number.MAX_SAFE_INTEGER });
    assert.equal(formatGotoTarget(ok('time 3s')), 'time 3000ms');
    assert.equal(formatGotoTarget(ok('time 1500us')), 'time 1.5ms');
    assert.equal(formatGotoTarget(ok('time 850ns')), 'time 850ns');
    assert.equal(formatGotoTarget(ok('time 12.5us')), 'time 12.5us');
  });

  it('says what a bad time lacks', () => {
    assert.equal(error('time'), "'time' needs a virtual time with its unit, such as 12.5ms, 1500us, 2000000ns or 3s (got nothing)");
    assert.equal(error('time 12'), "'time': '12' needs a unit: ns, us (or µs), ms or s, as in 12ms");
    assert.equal(error('time 5min'), "'time': unknown time unit 'min' in '5min': expected ns, us (or µs), ms or s");
    assert.equal(error('time 1.5ns'), "'time': '1.5ns' is not a whole number of nanoseconds (the virtual clock counts nanoseconds)");
    assert.equal(error('time 0.0000000001s'), "'time': '0.0000000001s' is not a whole number of nanoseconds (the virtual clock counts nanoseconds)");
    assert.match(error('time -5ms'), /'-5ms' is not a time: expected a number and a unit/);
    assert.match(error('time 1e3ms'), /'1e3ms' is not a time/);
    assert.match(error('time .5ms'), /'.5ms' is not a time/);
    assert.match(error('time 9007199.254740992s'), /is too far: at most 9007199254740991 ns/);
    assert.match(error('time 5ms back'), /'time T' takes no direction/);
    assert.match(error('time 5ms 6'), /^unexpected '6' after 'time 5ms'/);
    assert.match(error('time 5 ms 6'), /^unexpected '6' after 'time 5ms'/);
  });

  it('knows signals by name, short name, number and real-time offset, as kill(1) does', () => {
    assert.equal(parseSignal('SIGKILL'), 9);
    assert.equal(parseSignal('CHLD'), 17);
    assert.equal(parseSignal('SIGIOT'), 6);
    assert.equal(parseSignal('POLL'), 29);
    assert.equal(parseSignal('64'), 64);
    assert.equal(parseSignal('SIGRTMIN'), 34);
    assert.equal(parseSignal('SIGRTMIN+3'), 37);
    assert.equal(parseSignal('RTMAX-1'), 63);
    for (const bad of ['0', '65', 'SIGFOO', 'SIGRTMIN-1', 'SIGRTMAX+1', 'SIGRTMIN+31', '-9', '', 'SIG']) assert.equal(parseSignal(bad), undefined, bad);
  });

  it('says what was expected when the text is wrong', () => {
    assert.match(error(''), /^expected a moment: step N, time T \(12.5ms, 1500us, 2000000ns, 3s\), start, or EVENT PID/);
    assert.match(error('zomby 5'), /^unknown moment 'zomby': expected step N, time T .*, start, or EVENT PID .*zombie/);
    assert.equal(error('zombie'), "'zombie' needs a pid from 1 to 4194304 (got nothing)");
    assert.equal(error('zombie x'), "'zombie' needs a pid from 1 to 4194304 (got 'x')");
    assert.equal(error('zombie 0'), "'zombie' needs a pid from 1 to 4194304 (got '0')");
    assert.equal(error('exit 4194305'), "'exit' needs a pid from 1 to 4194304 (got '4194305')");
    assert.equal(error('step'), "'step' needs a step number, a whole number from 0 (got nothing)");
    assert.equal(error('step -1'), "'step' needs a step number, a whole number from 0 (got '-1')");
    assert.equal(error('step 1.5'), "'step' needs a step number, a whole number from 0 (got '1.5')");
    assert.equal(error('step 99999999999999999999'), "'step' needs a step number, a whole number from 0 (got '99999999999999999999')");
    assert.match(error('step 5 back'), /'step N' takes no direction/);
    assert.match(error('start forward'), /'start' takes no direction/);
    assert.match(error('start 5'), /^unexpected '5' after 'start'/);
    assert.match(error('zombie 5 6'), /^unexpected '6' after 'zombie 5'/);
    assert.match(error('fork 5 SIGTERM'), /^unexpected 'SIGTERM' after 'fork 5'/);
    assert.equal(error('signal 5 SIGFOO'), "unknown signal 'SIGFOO': expected a name such as SIGTERM or TERM, or a number from 1 to 64");
    assert.match(error('signal 5 TERM extra'), /^unexpected 'extra' after 'signal 5 TERM'/);
    assert.match(error('zombie 5 back forward'), /^unexpected 'back' after 'zombie 5'/);
  });

  it('prints every target as text that reads back to the same target (property)', () => {
    fc.assert(fc.property(target, (t) => {
      assert.deepEqual(ok(formatGotoTarget(t)), t);
    }), { numRuns: 500 });
  });

  it('never throws on garbage, and what it accepts prints back the same (property)', () => {
    const words = fc.constantFrom('step', 'time', 'ms', 'us', 'µs', 's', 'ns', '12.5ms', '1.5ns', '.5ms', '3.s', '7', 'start', 'zombie', 'fork', 'signal', 'back', 'forward', 'SIGTERM', '15', '0', '-3', '1e3', 'x', '', '\t', '\n', '+', ':', 'SIGRTMIN+2', '\u00e9');
    const garbage = fc.oneof(fc.string(), fc.array(words, { maxLength: 6 }).map((w) => w.join(' ')), fc.array(fc.oneof(words, fc.string({ maxLength: 3 })), { maxLength: 5 }).map((w) => w.join('')));
    fc.assert(fc.property(garbage, (text) => {
      const r = parseGotoTarget(text);
      if ('error' in r) { assert.ok(r.error.length > 0); return; }
      assert.deepEqual(ok(formatGotoTarget(r.target)), r.target);
    }), { numRuns: 2000 });
  });

  it('recognises a console line that asks to travel, and only such a line', () => {
    assert.deepEqual(parseGotoCommand('lx-goto zombie 5'), { target: { kind: 'event', event: 'zombie', pid: 5, direction: 'back' } });
    assert.deepEqual(parseGotoCommand('  lx-goto\tstep 120000 '), { target: { kind: 'step', step: 120000 } });
    assert.deepEqual(parseGotoCommand('lx-goto fork x'), { error: "lx-goto: 'fork' needs a pid from 1 to 4194304 (got 'x')" });
    assert.match((parseGotoCommand('lx-goto') as { error: string }).error, /^lx-goto: expected a moment: /);
    for (const other of ['lx-gotozombie 5', 'lx-ps', 'p lx-goto', 'goto step 5', '']) assert.equal(parseGotoCommand(other), undefined, other);
  });

  it('describes moments for messages', () => {
    assert.equal(describeGotoTarget(ok('zombie 5')), 'when pid 5 became a zombie');
    assert.equal(describeGotoTarget(ok('fork 4')), 'when pid 4 was forked');
    assert.equal(describeGotoTarget(ok('reparent 4')), 'when pid 4 was reparented');
    assert.equal(describeGotoTarget(ok('signal 3 9')), 'when pid 3 was sent SIGKILL');
    assert.equal(describeGotoTarget(ok('signal 3')), 'when pid 3 was sent a signal');
    assert.equal(describeGotoTarget(ok('step 42')), 'step 42');
    assert.equal(describeGotoTarget(ok('start')), 'the start of the run');
    assert.equal(describeGotoTarget(ok('time 1.5ms')), 'the first tick at or after 1.500 ms');
  });

  it('matches the one event each target designates', () => {
    const events: KEvent[] = [
      { ...at, kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' },
      { ...at, kind: 'exec', pid: 4, path: '/bin/ls', comm: 'ls' },
      { ...at, kind: 'exec', pid: 6, path: '/bin/ls', comm: 'ls', oldPid: 8 },
      { ...at, kind: 'exit', pid: 4, code: 0 },
      { ...at, kind: 'zombie', pid: 4, parent: 3 },
      { ...at, kind: 'reparent', pid: 4, from: 3, to: 1, why: 'init' },
      { ...at, kind: 'reap', pid: 4, by: 1 },
      { ...at, kind: 'signal', from: 3, to: 4, sig: 15, name: 'SIGTERM', action: 'terminate' },
      { ...at, kind: 'signal', from: 4, to: 3, sig: 17, name: 'SIGCHLD', action: 'ignore' },
      { ...at, kind: 'stopped', pid: 4, sig: 19 },
    ];
    const hits = (text: string): number[] => events.flatMap((e, i) => (eventMatches(ok(text), e) ? [i] : []));
    assert.deepEqual(hits('fork 4'), [0]);
    assert.deepEqual(hits('fork 3'), [], 'the parent of a fork is not the pid it created');
    assert.deepEqual(hits('exec 4'), [1]);
    assert.deepEqual(hits('exec 8'), [2], 'a thread that execs is found by its old tid');
    assert.deepEqual(hits('exec 6'), [2]);
    assert.deepEqual(hits('exit 4'), [3]);
    assert.deepEqual(hits('zombie 4'), [4]);
    assert.deepEqual(hits('zombie 3'), []);
    assert.deepEqual(hits('reparent 4'), [5]);
    assert.deepEqual(hits('reparent 1'), [], 'the new parent is not the one reparented');
    assert.deepEqual(hits('reap 4'), [6]);
    assert.deepEqual(hits('reap 1'), [], 'the reaper is not the one reaped');
    assert.deepEqual(hits('signal 4'), [7]);
    assert.deepEqual(hits('signal 4 TERM'), [7]);
    assert.deepEqual(hits('signal 4 KILL'), []);
    assert.deepEqual(hits('signal 3'), [8], 'the receiver, not the sender');
    assert.deepEqual(hits('step 5'), [], 'a step target is no event');
    assert.deepEqual(hits('start'), []);
  });
});
