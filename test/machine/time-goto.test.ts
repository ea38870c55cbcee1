// goto a virtual time: the machine lands at the first tick boundary whose clock is at or past the
// time, back (a checkpoint restored, the run re-executed) and forward, and shows there exactly
// what a straight run from the boot to that tick shows; a time inside an idle jump of the clock
// lands right after it, one at or before the boot is the start, one past an exiting run's end is
// its end; with the history off only forward goes.
import assert from 'node:assert/strict';
import type { BootOptions, Machine, Stop } from '../../sim-core/machine-types';
import { NS_PER_STEP } from '../../sim-core/kernel/consts';
import { bootSource, FILE, FORK_WAIT } from './helpers';
import { captureMoment, straightToTime, tickClocks } from './time-goto-helpers';

const OPTS: BootOptions = { file: FILE, source: FORK_WAIT };

function drive(m: Machine): Stop {
  for (;;) {
    const s = m.run(5000);
    if (s.reason !== 'yield') return s;
  }
}

/** Goes to `time` and checks the stop and the machine against a straight run there. */
function gotoAndCheck(m: Machine, time: number, what: string): Stop {
  m.goto({ kind: 'time', time });
  const s = drive(m);
  const ref = straightToTime(OPTS, time);
  assert.equal(ref.ended, false, `${what}: the straight run reaches ${time} ns`);
  assert.equal(s.reason, 'goto', what);
  assert.ok(m.moment().time >= time && ref.before < time, `${what}: the first tick at or past ${time} ns (before it ${ref.before}, landed ${m.moment().time})`);
  assert.equal(captureMoment(m), captureMoment(ref.machine), what);
  return s;
}

describe('machine: goto a virtual time', () => {
  // The fork-wait run's tick boundaries: the child's sleep(1) leaves every CPU idle, and the
  // clock jumps to the timer's expiry.
  const clocks = tickClocks(OPTS);
  const jump = clocks.findIndex((c, i) => i > 0 && c - clocks[i - 1] > NS_PER_STEP);
  const end = clocks[clocks.length - 1];

  it('the scenario has an idle jump of the clock to test', () => {
    assert.ok(jump > 0, 'a jump');
    assert.ok(clocks[jump] - clocks[jump - 1] > 1e8, `the jump is the sleep: ${clocks[jump - 1]} -> ${clocks[jump]}`);
  });

  it('forward from the start, then back after the end, lands where a straight run lands', () => {
    const m = bootSource();
    const early = Math.floor(clocks[Math.floor(jump / 2)] - NS_PER_STEP / 2);
    gotoAndCheck(m, early, 'forward to mid-run');
    gotoAndCheck(m, clocks[jump - 1] + 1, 'forward into the idle jump');
    assert.equal(m.moment().time, clocks[jump], 'right after the jump');
    m.continue();
    assert.equal(drive(m).reason, 'exited');
    // Back: to times in the order a click would pick them, then forward behind the frontier.
    const s = gotoAndCheck(m, early + 3 * NS_PER_STEP, 'back to mid-run');
    assert.equal(s.travelled, 'back');
    assert.ok(s.frontier !== undefined && s.frontier.time === end, 'the frontier is the end');
    gotoAndCheck(m, 2 * NS_PER_STEP + 1, 'back near the start');
    gotoAndCheck(m, Math.floor((clocks[jump - 1] + clocks[jump]) / 2), 'forward into the idle jump, behind the frontier');
    assert.equal(m.moment().time, clocks[jump]);
    gotoAndCheck(m, clocks[jump] + 5 * NS_PER_STEP, 'forward after the jump');
    gotoAndCheck(m, clocks[jump], 'back to exactly the jump\'s end');
    assert.equal(m.moment().time, clocks[jump]);
    gotoAndCheck(m, clocks[jump - 1], 'back to exactly the tick before the jump');
    assert.equal(m.moment().time, clocks[jump - 1]);
  });

  it('a stop inside a tick (a statement) going to its own clock goes back to the tick boundary', () => {
    const m = bootSource(undefined, undefined, { stopOnEntry: true });
    drive(m);
    m.setLineBreakpoints(FILE, [{ line: 19 }]);
    m.continue();
    assert.equal(drive(m).reason, 'breakpoint');
    m.setLineBreakpoints(FILE, []);
    const now = m.moment();
    const s = gotoAndCheck(m, now.time, 'the stop\'s own clock');
    assert.ok(m.moment().step < now.step, `an earlier step: ${m.moment().step} < ${now.step}`);
    assert.equal(s.travelled, 'back');
  });

  it('a time at or before the boot is the start', () => {
    const m = bootSource();
    const boot = captureMoment(m);
    m.goto({ kind: 'time', time: 3 * NS_PER_STEP });
    drive(m);
    for (const t of [0, -5]) {
      m.goto({ kind: 'time', time: t });
      const s = drive(m);
      assert.equal(s.reason, 'goto');
      assert.ok(m.moment().step === 0 && m.moment().time === 0, `at the boot: ${JSON.stringify(m.moment())}`);
      assert.equal(captureMoment(m), boot, `time ${t}`);
    }
  });

  it('a time past the end of a run that exits runs to its end, as a goto to a step does', () => {
    const m = bootSource();
    m.goto({ kind: 'time', time: end + 1e9 });
    const s = drive(m);
    assert.equal(s.reason, 'exited');
    const ref = straightToTime(OPTS, end + 1e9);
    assert.equal(ref.ended, true);
    assert.equal(captureMoment(m), captureMoment(ref.machine));
    // Already at the end: the same again, nothing more runs.
    m.goto({ kind: 'time', time: end + 2e9 });
    assert.equal(drive(m).reason, 'exited');
    assert.equal(m.moment().time, end);
    // And back from the end still works.
    gotoAndCheck(m, clocks[jump], 'back from the end');
  });

  it('the very tick the run exits at is its end: the stop says so', () => {
    const m = bootSource();
    m.goto({ kind: 'time', time: end });
    assert.equal(drive(m).reason, 'exited');
    assert.equal(m.moment().time, end);
    // One nanosecond before: still the last tick (the clock moved by a whole tick).
    m.goto({ kind: 'time', time: end - 1 });
    assert.deepEqual([drive(m).reason, m.moment().time], ['exited', end]);
    gotoAndCheck(m, clocks[clocks.length - 2], 'the tick before the last');
    assert.equal(m.moment().time, clocks[clocks.length - 2]);
  });

  it('a goto past the end of a deadlocked run runs nothing more, to a time or to a step', () => {
    const source = '#include <unistd.h>\nint main(void)\n{\n    pause();\n    return 0;\n}\n';
    const m = bootSource(source);
    assert.equal(drive(m).reason, 'deadlock');
    const at = m.moment();
    for (const target of [{ kind: 'time' as const, time: at.time + 1e6 }, { kind: 'step' as const, step: at.step + 100 }]) {
      m.goto(target);
      const s = drive(m);
      assert.deepEqual([s.reason, s.events.length, m.moment()], ['deadlock', 0, at], JSON.stringify(target));
    }
  });

  it('re-executing a long stretch of the past keeps checkpoints on the way, and later times near them land right', function () {
    this.timeout(120000);
    // Fork-and-reap rounds for 150,000 steps: the boot's checkpoint is the only one before the
    // stop at the end (a checkpoint is due only after many steps when there are many objects).
    const source = [
      '#include <sys/wait.h>', '#include <unistd.h>', 'int main(void)', '{',
      '    for (long i = 0; i < 100000; i++) {', '        pid_t c = fork();', '        if (c == 0)', '            _exit(0);',
      '        waitpid(c, NULL, 0);', '    }', '    return 0;', '}', '',
    ].join('\n');
    const opts: BootOptions = { file: FILE, source };
    const m = bootSource(source);
    m.goto({ kind: 'step', step: 150_000 });
    drive(m);
    const end = m.moment().time;
    const before = m.history().checkpoints;
    const check = (time: number, what: string): void => {
      m.goto({ kind: 'time', time });
      assert.equal(drive(m).reason, 'goto', what);
      const ref = straightToTime(opts, time);
      assert.equal(captureMoment(m), captureMoment(ref.machine), what);
      assert.ok(ref.before < time && time <= m.moment().time, what);
    };
    check(Math.floor(end * 0.8), 'back 20%');
    const kept = m.history().checkpoints - before;
    assert.ok(kept >= 2, `checkpoints kept on the way: ${kept}`);
    check(Math.floor(end * 0.3) + 17, 'further back, between kept checkpoints');
    check(Math.floor(end * 0.7) + 999, 'forward behind the frontier, from a kept checkpoint');
    check(Math.floor(end * 0.7) - 4321, 'a little back');
    // The kept checkpoints hold the machine, not the goto: other travels from them run past the time.
    for (const step of [149_000, 60_000, 149_500, 151_000]) {
      m.goto({ kind: 'step', step });
      assert.deepEqual([drive(m).reason, m.moment().step], ['goto', step], `goto step ${step}`);
    }
  });

  it('a signal sent from outside is there again after its moment, and not before it', () => {
    /** Stopped at the child's sleep(1) (line 16), where SIGKILL is sent to it from outside. */
    const killed = (): Machine => {
      const m = bootSource(undefined, undefined, { stopOnEntry: true });
      drive(m);
      m.setLineBreakpoints(FILE, [{ line: 16 }]);
      m.continue();
      assert.equal(drive(m).reason, 'breakpoint');
      m.setLineBreakpoints(FILE, []);
      assert.equal(m.sendSignal(4, 9), 0);
      return m;
    };
    const m = killed();
    const sent = m.moment().time;
    m.continue();
    assert.equal(drive(m).reason, 'exited');
    const after = sent + 4 * NS_PER_STEP;
    // Back to before the signal's tick: as the run was, no signal.
    gotoAndCheck(m, sent, 'the tick boundary before the signal was sent');
    // After it, by going forward over the moment it was sent (and from the end, back).
    const fresh = killed();
    fresh.goto({ kind: 'time', time: after });
    assert.equal(drive(fresh).reason, 'goto');
    const want = captureMoment(fresh);
    assert.ok(!fresh.tasks().some((t) => t.pid === 4 && t.stateName === 'TASK_INTERRUPTIBLE'), 'the child was killed, not sleeping');
    m.goto({ kind: 'time', time: after });
    assert.equal(drive(m).reason, 'goto');
    assert.equal(captureMoment(m), want, 'forward over the signal');
    m.continue();
    assert.equal(drive(m).reason, 'exited');
    m.goto({ kind: 'time', time: after });
    drive(m);
    assert.equal(captureMoment(m), want, 'back from the end');
  });

  it('with the history off, forward goes and back is refused', () => {
    const m = bootSource(undefined, undefined, { historyBytes: 0 });
    gotoAndCheck(m, clocks[jump - 1] + 1, 'forward with no history');
    assert.throws(() => m.goto({ kind: 'time', time: clocks[jump - 1] }), /history/);
    assert.throws(() => m.goto({ kind: 'time', time: m.moment().time }), /history/, 'now\'s own clock lies at or behind');
    assert.throws(() => m.goto({ kind: 'time', time: Number.NaN }), /nanoseconds/);
    gotoAndCheck(m, clocks[jump] + 5 * NS_PER_STEP, 'forward again');
  });
});
