// Going back with the real machine, through the built adapter over stdio: Step Back across a
// fork, an exec, a thread's exit, a reap (by kernel steps) and a signal delivery in the examples; Reverse Continue
// to a function breakpoint on copy_process; kproc/goto and lx-goto (to events, steps and times); and
// a session without history.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { groupDigits } from '../../sim-core/debug/moment';
import { NS_PER_STEP } from '../../sim-core/kernel/consts';
import { straightToTime, tickClocks } from '../machine/time-goto-helpers';
import { FORK_WAIT, launch, record, ROOT, stdioClient, topFrames } from './harness';

const example = (name: string) => path.join(ROOT, 'examples', name);
const FORK_LINE = 26;
const FORK_WAIT_REAPED_LINE = 44;
/** Step Backs a test takes at most to cross the event it looks for. */
const MAX_BACK = 12;

interface Moment { step: number; time: number; frontier?: { step: number; time: number }; travelled?: 'back' }

describe('debug adapter over stdio: going back with the real machine', function () {
  this.timeout(60_000);
  let dc: DebugClient;

  beforeEach(async () => {
    dc = stdioClient();
    await dc.start();
  });
  afterEach(() => dc.stop());

  /** Runs `send` and resolves with the stop and the moment event that precedes it. */
  async function stopOf(send: () => Promise<unknown>): Promise<{ stopped: DebugProtocol.StoppedEvent; moment: Moment }> {
    const rec = record(dc, ['kproc/moment']);
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await send();
    const ev = await stopped;
    rec.stop();
    const moment = rec.events.at(-1)?.body as Moment | undefined;
    assert.ok(moment, 'a kproc/moment event before the stop');
    return { stopped: ev, moment };
  }

  async function start(program: string, lines: number[], fns: string[] = [], extra: Record<string, unknown> = {}): Promise<{ stopped: DebugProtocol.StoppedEvent; moment: Moment }> {
    return stopOf(() => launch(dc, { program, ...extra }, async () => {
      if (lines.length) await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: lines.map((line) => ({ line })) });
      if (fns.length) await dc.setFunctionBreakpointsRequest({ breakpoints: fns.map((name) => ({ name })) });
    }));
  }

  async function threads(): Promise<DebugProtocol.Thread[]> {
    return (await dc.threadsRequest()).body.threads;
  }

  /** Steps `tid` back (statements) until `done` holds; fails after MAX_BACK steps. Every stop goes back. */
  function backUntil(tid: number, done: () => Promise<boolean>, what: string): Promise<number> {
    return backUntilIn(tid, undefined, done, what);
  }

  async function backUntilIn(tid: number, granularity: 'instruction' | undefined, done: () => Promise<boolean>, what: string, most = MAX_BACK): Promise<number> {
    for (let n = 1; n <= most; n++) {
      const { stopped, moment } = await stopOf(() => dc.stepBackRequest({ threadId: tid, granularity }));
      assert.equal(moment.travelled, 'back');
      // Behind the frontier (statements of one tick share a step count, so only >= holds).
      assert.ok(moment.frontier && moment.frontier.step >= moment.step, JSON.stringify(moment));
      assert.ok(stopped.body.reason === 'step' || stopped.body.reason === 'entry', stopped.body.reason);
      if (await done()) return n;
    }
    throw new Error(`${most} Step Backs did not go back across ${what}`);
  }

  it('steps back across fork(): the parent lands on the fork() line and the child\'s thread is gone', async () => {
    const { stopped } = await start(FORK_WAIT, [FORK_WAIT_REAPED_LINE - 5]);
    const parent = stopped.body.threadId ?? 0;
    const before = (await threads()).map((t) => t.id);
    const child = before.filter((id) => id > parent).at(-1);
    assert.ok(child, `a child after ${parent} in ${before.join(',')}`);
    const out = record(dc, ['output', 'thread']);
    await backUntil(parent, async () => (await topFrames(dc, parent))[0].line === FORK_LINE, 'fork()');
    out.stop();
    assert.ok(!(await threads()).some((t) => t.id === child), 'the child does not exist before fork()');
    assert.ok(out.events.some((e) => e.event === 'thread' && e.body.reason === 'exited' && e.body.threadId === child));
    assert.ok(out.events.some((e) => e.event === 'output' && /output printed after this moment is in the future/.test(e.body.output)));
    // Forward again to the end: what was printed before going back is not printed a second time.
    const stdout: string[] = [];
    dc.on('output', (e) => { if (e.body.category === 'stdout') stdout.push(e.body.output); });
    await dc.setBreakpointsRequest({ source: { path: FORK_WAIT }, breakpoints: [] });
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: parent });
    await ended;
    assert.deepEqual(stdout.join('').split('\n').filter(Boolean).map((l) => l.replace(/\d+/g, 'N')), [
      'child N: done, exiting with N', 'parent: child N exited with status N',
    ]);
  });

  it('steps back across execve: the child is its old program again', async () => {
    const program = example('vfork-exec.kproc');
    // The first line of the program the child execs (greeter_main's usleep).
    const { stopped } = await start(program, [23]);
    const child = stopped.body.threadId ?? 0;
    const name = async () => (await threads()).find((t) => t.id === child)?.name ?? '';
    assert.match(await name(), /^\d+ greeter /);
    await backUntil(child, async () => !/^\d+ greeter /.test(await name()), 'execve');
    assert.match(await name(), /^\d+ vfork-exec /);
    assert.equal((await topFrames(dc, child))[0].name, 'main');
  });

  it('steps back across a thread\'s exit: the joined thread is there again', async () => {
    const program = example('mutex-counter.kproc');
    const { stopped } = await start(program, [43]);
    const main = stopped.body.threadId ?? 0;
    const after = new Set((await threads()).map((t) => t.id));
    await backUntil(main, async () => (await threads()).some((t) => !after.has(t.id)), 'a thread exit');
  });

  it('steps back by kernel steps across the reap: the child exists again, then is a zombie again', async () => {
    // wait_task_zombie reaps the zombie child (it is EXIT_DEAD in release_task, then gone).
    const { stopped } = await start(FORK_WAIT, [], ['wait_task_zombie']);
    const parent = stopped.body.threadId ?? 0;
    const zombie = (await threads()).find((t) => /\[Z\]$/.test(t.name));
    assert.ok(zombie, 'the child is a zombie in wait_task_zombie');
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await stopOf(() => dc.stepOutRequest({ threadId: parent, granularity: 'instruction' }));
    assert.ok(!(await threads()).some((t) => t.id === zombie.id), 'reaped when wait_task_zombie returns');
    const name = async () => (await threads()).find((t) => t.id === zombie.id)?.name;
    await backUntilIn(parent, 'instruction', async () => (await name()) !== undefined, 'the reap', 200);
    await backUntilIn(parent, 'instruction', async () => /\[Z\]$/.test((await name()) ?? ''), 'EXIT_DEAD', 200);
  });

  it('steps back out of a signal handler to before the signal was delivered', async () => {
    const program = example('kill-9.kproc');
    // The handler's printf.
    const { stopped } = await start(program, [20]);
    const child = stopped.body.threadId ?? 0;
    assert.equal((await topFrames(dc, child))[0].name, 'on_signal');
    await backUntil(child, async () => !(await topFrames(dc, child)).some((f) => f.name === 'on_signal'), 'the signal delivery');
    assert.equal((await topFrames(dc, child)).find((f) => f.source?.path === program)?.name, 'main');
  });

  it('reverse-continues to the function breakpoint on copy_process, at the moment it was first hit', async () => {
    const first = await start(FORK_WAIT, [FORK_WAIT_REAPED_LINE], ['copy_process']);
    assert.equal(first.stopped.body.reason, 'function breakpoint');
    const later = await stopOf(() => dc.continueRequest({ threadId: first.stopped.body.threadId ?? 0 }));
    assert.equal(later.stopped.body.reason, 'breakpoint');
    const back = await stopOf(() => dc.reverseContinueRequest({ threadId: later.stopped.body.threadId ?? 0 }));
    assert.equal(back.stopped.body.reason, 'function breakpoint');
    assert.deepEqual(back.stopped.body.hitBreakpointIds, first.stopped.body.hitBreakpointIds);
    assert.equal(back.moment.step, first.moment.step);
    assert.equal(back.moment.time, first.moment.time);
    assert.equal(back.moment.travelled, 'back');
    assert.equal((await topFrames(dc, back.stopped.body.threadId ?? 0))[0].name, 'copy_process');
  });

  it('kproc/goto and lx-goto travel to a zombie and to a step, and say when there is no such moment', async () => {
    const { stopped, moment: end } = await start(FORK_WAIT, [FORK_WAIT_REAPED_LINE]);
    const parent = stopped.body.threadId ?? 0;
    // The parent's `child` holds the pid fork() returned.
    const frame = (await topFrames(dc, parent))[0];
    const pid = Number((await dc.evaluateRequest({ expression: 'child', context: 'watch', frameId: frame.id })).body.result);
    assert.ok(pid > parent, `child = ${pid}`);
    const goto = await stopOf(() => dc.customRequest('kproc/goto', { target: `zombie ${pid}` }));
    assert.equal(goto.stopped.body.reason, 'goto');
    assert.ok(goto.moment.step < end.step && goto.moment.frontier?.step === end.step, JSON.stringify(goto.moment));
    assert.match((await threads()).find((t) => t.id === pid)?.name ?? '', /\[Z\]$/);
    const target = Math.floor(goto.moment.step / 2);
    const ev = await stopOf(() => dc.evaluateRequest({ expression: `lx-goto step ${target}`, context: 'repl' }));
    assert.equal(ev.moment.step, target);
    assert.equal(ev.stopped.body.reason, 'goto');
    const answer = await stopOf(() => assert.rejects(dc.customRequest('kproc/goto', { target: `reparent ${pid} back` })));
    assert.equal(answer.moment.step, target, 'nothing changed');
    const forward = await stopOf(() => dc.evaluateRequest({ expression: `lx-goto step ${end.step}`, context: 'repl' })
      .then((r) => assert.match(r.body.result, new RegExp(`^now at step ${groupDigits(end.step)} · \\S+ \\S+$`))));
    assert.equal(forward.moment.step, end.step);
    assert.equal(forward.moment.frontier, undefined);
  });

  it('kproc/goto {time} and lx-goto time travel to the first tick at or past the time, as a straight run reaches it', async () => {
    const { moment: end } = await start(FORK_WAIT, [FORK_WAIT_REAPED_LINE]);
    const opts = { file: FORK_WAIT, source: fs.readFileSync(FORK_WAIT, 'utf8') };
    // A time inside the clock's jump over the child's sleep (every CPU idle), and one before it.
    const clocks = tickClocks(opts);
    const jump = clocks.findIndex((c, i) => i > 0 && c - clocks[i - 1] > NS_PER_STEP);
    assert.ok(jump > 0 && clocks[jump] < end.time, 'the example sleeps before the breakpoint');
    for (const time of [Math.floor((clocks[jump - 1] + clocks[jump]) / 2), clocks[jump - 1] - 2.5 * NS_PER_STEP]) {
      let answer: unknown;
      const goto = await stopOf(async () => { answer = (await dc.customRequest('kproc/goto', { time })).body; });
      const ref = straightToTime(opts, time).machine.moment();
      assert.equal(goto.stopped.body.reason, 'goto');
      assert.deepEqual([goto.moment.step, goto.moment.time], [ref.step, ref.time], `time ${time}`);
      assert.deepEqual(answer, { step: ref.step, time: ref.time });
      assert.equal(goto.moment.travelled, 'back');
    }
    assert.equal(straightToTime(opts, Math.floor((clocks[jump - 1] + clocks[jump]) / 2)).machine.moment().time, clocks[jump], 'right after the jump');
    // The text form, forward behind the frontier.
    const at = clocks[jump] + 3 * NS_PER_STEP;
    const ev = await stopOf(() => dc.evaluateRequest({ expression: `lx-goto time ${at / 1000}us`, context: 'repl' }));
    assert.deepEqual([ev.moment.step, ev.moment.time], [straightToTime(opts, at).machine.moment().step, at]);
    // Bad times: a located message, and the session stays where it was.
    await assert.rejects(dc.customRequest('kproc/goto', { target: 'time 5min' }), /unknown time unit 'min'/);
    await assert.rejects(dc.customRequest('kproc/goto', { time: 'soon' }), /'time' \(virtual nanoseconds\)/);
    const r = await dc.evaluateRequest({ expression: 'lx-goto time 12', context: 'repl' }).then(() => 'answered', (e: Error) => e.message);
    assert.match(r, /needs a unit/);
  });

  it('with history 0, Step Back, Reverse Continue and goto back are refused, goto forward runs on, and the session carries on', async () => {
    const { stopped, moment } = await start(FORK_WAIT, [FORK_WAIT_REAPED_LINE], [], { history: 0 });
    const tid = stopped.body.threadId ?? 0;
    await assert.rejects(dc.stepBackRequest({ threadId: tid }), /"history" above 0/);
    await assert.rejects(dc.reverseContinueRequest({ threadId: tid }), /"history" above 0/);
    await assert.rejects(dc.customRequest('kproc/goto', { step: moment.step - 1 }), /Cannot go to step \d+: it is not later than now .*"history" above 0/);
    assert.equal((await topFrames(dc, tid))[0].line, FORK_WAIT_REAPED_LINE);
    // Forward needs no history: the run goes on to that step.
    const ahead = await stopOf(() => dc.customRequest('kproc/goto', { step: moment.step + 3 }));
    assert.equal(ahead.moment.step, moment.step + 3);
    const ended = dc.waitForEvent('terminated');
    await dc.setBreakpointsRequest({ source: { path: FORK_WAIT }, breakpoints: [] });
    await dc.continueRequest({ threadId: tid });
    await ended;
  });
});
