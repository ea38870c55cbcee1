// `kproc run --until EVENT`, `--until time:T` and `--at STEP`: the run stops at the moment and
// --pstree / --json show the machine as it stood then (right after the event, at the first tick
// at or past the time; not before it, not later), output and events stop there too, the moment is named on stderr, a moment that never comes exits 128, and
// bad EVENT text is a usage error (123). Steps are read from a full run's event log, never written
// in. The built CLI (bin/kproc.js, dist/cli.js: npm run build first) runs most of them, as a shell does.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { parseUntil } from '../../sim-core/cli/until';
import type { KEvent, TaskRow } from '../../sim-core/machine-types';
import { capture } from './capture';
import { straightToTime } from '../machine/time-goto-helpers';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'kproc.js');

function kproc(args: string[], input?: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [BIN, 'run', ...args], { cwd: ROOT, encoding: 'utf8', input: input ?? '' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

interface RunJson { reason: string; exitCode: number; stdout: string; events: KEvent[]; tasks: TaskRow[]; travel?: { target: string; reached: boolean; moment: { step: number; time: number } } }

function json(args: string[]): RunJson {
  const r = kproc(['--json', ...args]);
  assert.ok(r.stdout.startsWith('{'), r.stderr);
  return JSON.parse(r.stdout) as RunJson;
}

/** The scenario's warnings go to stderr too; the line about the moment is the last. */
function lastLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  return lines[lines.length - 1];
}

describe('kproc run --until / --at', function () {
  this.timeout(120000);

  before(function () {
    if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run npm run build first');
  });

  it('--at STEP prints the tree of the tasks alive at that step, after the output up to it', () => {
    const full = json(['examples/fork-wait.kproc']);
    const fork = full.events.find((e) => e.kind === 'fork' && e.parent === 3);
    const zombie = full.events.find((e) => e.kind === 'zombie' && e.pid === 4);
    // The parent's report comes once wait4 has returned: the child is released by then.
    const report = full.events.find((e) => e.kind === 'output' && e.text.includes('exited with status 7'));
    assert.ok(fork && zombie && report);
    const at = (step: number): { stdout: string; stderr: string; status: number | null } => kproc(['--pstree', '--at', String(step), 'examples/fork-wait.kproc']);
    // Step 1: before main forked (the child exists a few steps before the fork event, which
    // kernel_clone emits once copy_process has returned).
    const before = at(1);
    assert.equal(before.status, 0, before.stderr);
    assert.equal(before.stdout, 'init(1)\n`-fork-wait(3)\n[kthreadd](2)\n');
    const forked = at(fork.step);
    assert.equal(forked.stdout, 'init(1)\n`-fork-wait(3)\n  `-fork-wait(4)\n[kthreadd](2)\n');
    assert.match(lastLine(forked.stderr), new RegExp(`^kproc run: examples/fork-wait.kproc: stopped at step ${fork.step} \\(t=${fork.time / 1e6} ms\\)$`));
    const dead = at(zombie.step);
    assert.equal(dead.stdout, 'parent 3: started child 4\nchild 4: done, exiting with 7\ninit(1)\n`-fork-wait(3)\n  `-fork-wait(4) <defunct>\n[kthreadd](2)\n');
    const reaped = at(report.step);
    assert.equal(reaped.stdout, 'parent 3: started child 4\nchild 4: done, exiting with 7\nparent: child 4 exited with status 7\ninit(1)\n`-fork-wait(3)\n[kthreadd](2)\n');
  });

  it('--until zombie:PID stops right after the child became a zombie: Z in --json and <defunct> in --pstree', () => {
    const full = json(['examples/zombie.kproc']);
    const zombie = full.events.find((e) => e.kind === 'zombie' && e.pid === 4);
    assert.ok(zombie);
    const j = json(['--until', 'zombie:4', 'examples/zombie.kproc']);
    assert.equal(j.reason, 'goto');
    assert.equal(j.exitCode, 0);
    assert.deepEqual(j.travel, { target: 'zombie 4 forward', reached: true, moment: { step: zombie.step, time: zombie.time } });
    assert.equal(j.tasks.find((t) => t.pid === 4)?.state, 'Z');
    assert.equal(j.tasks.find((t) => t.pid === 3)?.state !== 'Z', true, 'the parent has not exited yet');
    assert.equal(j.stdout, 'child 4: exiting right away\n', 'output up to the moment only');
    assert.deepEqual(j.events, full.events.filter((e) => e.step <= zombie.step), 'the events up to the moment, none after');
    // A step earlier the event had not happened yet.
    const earlier = json(['--at', String(zombie.step - 1), 'examples/zombie.kproc']);
    assert.equal(earlier.travel?.moment.step, zombie.step - 1);
    assert.ok(!earlier.events.some((e) => e.kind === 'zombie'));
    // The same with a space for ':' and the tree drawn.
    const r = kproc(['--pstree', '--until', 'zombie 4', 'examples/zombie.kproc']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'child 4: exiting right away\ninit(1)\n`-zombie(3)\n  `-zombie(4) <defunct>\n[kthreadd](2)\n');
    assert.equal(lastLine(r.stderr), `kproc run: examples/zombie.kproc: stopped at step ${zombie.step} (t=${zombie.time / 1e6} ms): pid 4 became a zombie`);
  });

  it('--until finds forks, reparenting, reaps and signals with a given number', () => {
    const full = json(['examples/zombie.kproc']);
    for (const [until, kind, pid] of [['fork:4', 'fork', 4], ['reparent:4', 'reparent', 4], ['reap:3', 'reap', 3], ['signal:1:SIGCHLD', 'signal', 1], ['exit:3', 'exit', 3]] as const) {
      const ev = full.events.find((e) => e.kind === kind && (e.kind === 'fork' ? e.child : e.kind === 'signal' ? e.to : 'pid' in e ? e.pid : -1) === pid);
      assert.ok(ev, until);
      const j = json(['--until', until, 'examples/zombie.kproc']);
      assert.equal(j.travel?.moment.step, ev.step, until);
      assert.equal(j.events[j.events.length - 1].step, ev.step, until);
    }
  });

  it('says so and exits 128 when the run ends before the moment', () => {
    const r = kproc(['--pstree', '--until', 'zombie:9', 'examples/zombie.kproc']);
    assert.equal(r.status, 128);
    assert.match(lastLine(r.stderr), /^kproc run: examples\/zombie.kproc: the run ended at step \d+ \(t=[\d.]+ ms\) before pid 9 became a zombie$/);
    assert.match(r.stdout, /parent: exiting; init will reap 4\ninit\(1\)\n\[kthreadd\]\(2\)\n$/, 'the whole output, then the final tree');
    const at = kproc(['--at', '100000000', 'examples/zombie.kproc']);
    assert.equal(at.status, 128);
    assert.match(lastLine(at.stderr), /the run ended at step \d+ .* before reaching step 100000000$/);
    const j = json(['--until', 'signal:3:TERM', 'examples/zombie.kproc']);
    assert.equal(j.exitCode, 128);
    assert.equal(j.reason, 'exited');
    assert.equal(j.travel?.reached, false);
  });

  it('--until time:T stops at the first tick whose clock is at or past T, as a straight run from the boot reaches it', () => {
    const file = 'examples/fork-wait.kproc';
    const opts = { file, source: readFileSync(join(ROOT, file), 'utf8') };
    const full = json([file]);
    // Before the child's sleep, inside the clock's jump over it (every CPU idle), and after it.
    for (const [text, ns] of [['time:5us', 5000], ['time:500ms', 500e6], ['time: 1000.0125 ms', 1000012500]] as const) {
      const ref = straightToTime(opts, ns).machine;
      const j = json(['--until', text, file]);
      assert.equal(j.exitCode, 0, text);
      assert.equal(j.reason, 'goto', text);
      assert.deepEqual(j.travel?.moment, ref.moment(), text);
      assert.equal(j.travel?.reached, true);
      assert.equal(j.stdout, ref.output(), `${text}: the output up to that tick, no further`);
      assert.deepEqual(j.tasks.map((t) => [t.pid, t.stateName]), ref.tasks().map((t) => [t.pid, t.stateName]), text);
      const step = ref.moment().step;
      assert.deepEqual(j.events.map((e) => JSON.stringify(e)), full.events.filter((e) => e.step <= step).map((e) => JSON.stringify(e)), `${text}: the events up to that tick`);
    }
    assert.ok(straightToTime(opts, 500e6).machine.moment().time > 500e6, 'a time in the jump lands after it');
    const r = kproc(['--pstree', '--until', 'time:1ms', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(lastLine(r.stderr), /^kproc run: examples\/fork-wait.kproc: stopped at step \d+ \(t=1000.\d+ ms\): the first tick at or after 1.000 ms$/);
    assert.equal(r.stdout, 'parent 3: started child 4\ninit(1)\n`-fork-wait(3)\n  `-fork-wait(4)\n[kthreadd](2)\n');
    const missed = kproc(['--until', 'time:5s', file]);
    assert.equal(missed.status, 128);
    assert.match(lastLine(missed.stderr), /the run ended at step \d+ \(t=[\d.]+ ms\) before the first tick at or after 5.000 s$/);
    assert.equal(json(['--until', 'time:1500us', file]).travel?.target, 'time 1.5ms');
  });

  it('rejects a bad EVENT with a usage error (123) that says what was expected', () => {
    for (const [args, message] of [
      [['--until', 'zomby:4'], "kproc: run: --until needs an event or a time, zombie:PID, fork:PID, exec:PID, exit:PID, reap:PID, reparent:PID or signal:PID[:SIG], or time:T for a virtual time with its unit (time:12.5ms, time:1500us, time:3s) (got 'zomby:4')"],
      [['--until', 'zombie:x'], "kproc: run: --until 'zombie:x': 'zombie' needs a pid from 1 to 4194304 (got 'x')"],
      [['--until', 'signal:3:SIGNOPE'], "kproc: run: --until 'signal:3:SIGNOPE': unknown signal 'SIGNOPE': expected a name such as SIGTERM or TERM, or a number from 1 to 64"],
      [['--until', 'step:5'], 'kproc: run: --until takes an event or a time (zombie:PID, fork:PID, exec:PID, exit:PID, reap:PID, reparent:PID or signal:PID[:SIG], or time:T for a virtual time with its unit (time:12.5ms, time:1500us, time:3s)); to stop at a step use --at STEP'],
      [['--until', 'time:5min'], "kproc: run: --until 'time:5min': 'time': unknown time unit 'min' in '5min': expected ns, us (or µs), ms or s"],
      [['--until', 'time:12'], "kproc: run: --until 'time:12': 'time': '12' needs a unit: ns, us (or µs), ms or s, as in 12ms"],
      [['--until', 'time:1.5ns'], "kproc: run: --until 'time:1.5ns': 'time': '1.5ns' is not a whole number of nanoseconds (the virtual clock counts nanoseconds)"],
      [['--until', 'time:5ms:back'], "kproc: run: --until 'time:5ms:back': 'time': '5ms:back' is not a time: expected a number and a unit, such as 12.5ms, 1500us, 2000000ns or 3s"],
      [['--until', 'zombie:4:back'], "kproc: run: --until runs forward from the start: 'back' does not apply (got 'zombie:4:back')"],
      [['--until', 'zombie:4', '--at', '5'], 'kproc: run: --until and --at each name the moment to stop at: give one of them'],
      [['--until', ''], 'kproc: run: --until needs an event name'],
      [['--until', ' : '], "kproc: run: --until needs an event or a time, zombie:PID, fork:PID, exec:PID, exit:PID, reap:PID, reparent:PID or signal:PID[:SIG], or time:T for a virtual time with its unit (time:12.5ms, time:1500us, time:3s) (got ' : ')"],
      [['--at', '-1'], 'kproc: run: --at needs an integer from 0 to 9007199254740991 (see kproc run --help)'],
      [['--at', '1.5'], "kproc: run: --at needs an integer from 0 to 9007199254740991, not '1.5'"],
    ] as const) {
      const r = kproc([...args, 'examples/zombie.kproc']);
      assert.equal(r.status, 123, args.join(' '));
      assert.equal(r.stderr, `${message}\n`, args.join(' '));
      assert.equal(r.stdout, '');
    }
  });

  it('documents --until and --at in kproc run --help', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', '--help'], { cwd: ROOT, encoding: 'utf8' });
    assert.match(r.stdout, /--until EVENT +run until EVENT first happens/);
    assert.match(r.stdout, /with time:T until the first tick whose virtual clock is at or past T/);
    assert.match(r.stdout, /--at STEP +run to machine step STEP/);
    assert.match(r.stdout, /128 when the run ended before it/);
  });
});

describe('kproc run --until through main()', () => {
  it('rebuilds the moment with the same input, line by line', async () => {
    // The third command's fork comes after three reads of the terminal: a machine rebuilt without
    // the same lines would end at end of input and never fork pid 6.
    const lines = ['echo hi\n', 'ls /\n', 'echo bye\n'];
    const feed = (): ReturnType<typeof capture> & { readInput: () => string | null } => {
      const queue = [...lines];
      return Object.assign(capture(), { readInput: () => queue.shift() ?? null });
    };
    const io = feed();
    assert.equal(await main(['run', '--pstree', '--until', 'exec:6', 'examples/mini-shell.kproc'], io), 0, io.stderr);
    assert.match(io.stdout, /^mini\$ hi\n\[4 exited with 0\]\nmini\$ bin\n[\s\S]*\[5 exited with 0\]\nmini\$ init\(1\)\n`-mini-shell\(3\)\n {2}`-echo\(6\)\n\[kthreadd\]\(2\)\n$/);
    assert.match(io.stderr, /stopped at step \d+ \(t=[\d.]+ ms\): pid 6 executed a new program\n$/);
  });

  it('names both the end and the missed moment when the run ends otherwise (a deadlock)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kproc-until-'));
    const stuck = join(dir, 'stuck.kproc');
    writeFileSync(stuck, '#include <unistd.h>\nint main(void)\n{\n    pause();\n    return 0;\n}\n');
    const io = capture();
    assert.equal(await main(['run', '--until', 'exit:3', stuck], io), 128);
    const lines = io.stderr.trimEnd().split('\n');
    assert.match(lines[0], /^kproc run: .*stuck.kproc: deadlock: no task can run/);
    assert.match(lines[1], /^kproc run: .*stuck.kproc: the run ended at step \d+ \(t=[\d.]+ ms\) before pid 3 exited$/);
    assert.equal(lines.length, 2);
  });

  it('reads --until in both spellings and always forward', () => {
    assert.deepEqual(parseUntil('zombie:5'), { kind: 'event', event: 'zombie', pid: 5, direction: 'forward' });
    assert.deepEqual(parseUntil('zombie 5'), parseUntil('zombie:5'));
    assert.deepEqual(parseUntil('signal:5:TERM'), { kind: 'event', event: 'signal', pid: 5, sig: 15, direction: 'forward' });
    assert.deepEqual(parseUntil('Signal 5 15 forward'), parseUntil('signal:5:SIGTERM'));
  });
});
