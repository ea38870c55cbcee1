// Going back, over DAP, against the scripted machine (which goes back by re-executing its
// timeline): what stepBack, reverseContinue, kproc/goto and lx-goto ask of the machine, the order
// of the answers and events, the threads that vanish, and the console's word on the future.

import * as assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { FakeMachine } from './fakeMachine';
import { fakeBoot } from './fakeMachine';
import { FAKE_SCENARIO } from './fakeScript';
import { inlineClient, launch, record, scenarioFile, type InlineAdapter } from './harness';
import type { BootOptions } from '../../sim-core/machine-types';

// Client lines (1-based) of the scripted scenario.
const WAITPID_LINE = 7;
const RETURN_LINE = 8;

describe('adapter session: going back (scripted machine)', function () {
  this.timeout(10_000);
  const program = scenarioFile('fake.kproc', FAKE_SCENARIO);
  let ad: InlineAdapter;
  let dc: DebugClient;
  let machine: FakeMachine | undefined;

  beforeEach(async () => {
    machine = undefined;
    ad = await inlineClient((opts: BootOptions) => {
      const r = fakeBoot(opts);
      machine = r.machine as FakeMachine;
      return r;
    });
    dc = ad.client;
  });
  afterEach(() => ad.close());

  /** Launches with line breakpoints and waits for the first stop. */
  async function stopAt(lines: number[], extra: Record<string, unknown> = {}, fns: string[] = []): Promise<DebugProtocol.StoppedEvent> {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launch(dc, { program, ...extra }, async () => {
      await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: lines.map((line) => ({ line })) });
      if (fns.length) await dc.setFunctionBreakpointsRequest({ breakpoints: fns.map((name) => ({ name })) });
    });
    return stopped;
  }

  /** Sends a request that runs the machine; resolves with its response and the stop's events, in order. */
  async function travel(send: () => Promise<DebugProtocol.Response>): Promise<{ response: DebugProtocol.Response; events: DebugProtocol.Event[] }> {
    const rec = record(dc, ['stopped', 'continued', 'output', 'thread', 'kproc/moment', 'kproc/tasks']);
    const stopped = dc.waitForEvent('stopped');
    const response = await send();
    await stopped;
    rec.stop();
    return { response, events: rec.events };
  }

  it('advertises supportsStepBack', async () => {
    const caps = (await dc.initializeRequest({ adapterID: 'kproc', pathFormat: 'path' })).body ?? {};
    assert.equal(caps.supportsStepBack, true);
  });

  it('steps back by kernel steps across the fork: the child thread disappears, the console says the output is in the future', async () => {
    await stopAt([WAITPID_LINE]);
    assert.ok((await dc.threadsRequest()).body.threads.some((t) => t.id === 4), 'the child exists after the fork');
    // Two kernel steps back stay after the fork (copy_process has allocated the pid).
    for (const step of [4, 3]) {
      const { events } = await travel(() => dc.stepBackRequest({ threadId: 3, granularity: 'instruction' }));
      const moment = events.find((e) => e.event === 'kproc/moment');
      assert.deepEqual(moment?.body, { step, time: step * 1000, frontier: { step: 5, time: 5000 }, travelled: 'back' });
    }
    const { response, events } = await travel(() => dc.stepBackRequest({ threadId: 3, granularity: 'instruction' }));
    const stopped = events.find((e) => e.event === 'stopped');
    assert.ok(stopped && response.seq < stopped.seq, 'the response precedes the stopped event');
    assert.equal(stopped.body.reason, 'step');
    assert.equal(stopped.body.threadId, 3);
    assert.deepEqual(events.filter((e) => e.event === 'thread').map((e) => `${e.body.reason} ${e.body.threadId}`), ['exited 4']);
    const kinds = events.map((e) => e.event);
    assert.ok(kinds.indexOf('kproc/moment') < kinds.indexOf('stopped'), kinds.join(','));
    const said = events.filter((e) => e.event === 'output').map((e) => e.body.output as string);
    assert.deepEqual(said, ['Went back to step 2 · 2.000 µs: output printed after this moment is in the future (the run has been as far as step 5 · 5.000 µs).\n']);
    assert.deepEqual((await dc.threadsRequest()).body.threads.map((t) => t.id), [1, 2, 3]);
    assert.deepEqual(machine?.travels, [2, 2, 2].map(() => ({ kind: 'stepBack', pid: 3, granularity: 'kernel' })));
  });

  it('a statement step back leaves the granularity to the machine; output is never printed twice', async () => {
    const out: string[] = [];
    dc.on('output', (e) => { if (e.body.category === 'stdout') out.push(e.body.output); });
    await stopAt([RETURN_LINE]);
    assert.deepEqual(out, ['parent\n']);
    const { events } = await travel(() => dc.stepBackRequest({ threadId: 3 }));
    assert.equal(events.find((e) => e.event === 'stopped')?.body.reason, 'step');
    assert.deepEqual(machine?.travels, [{ kind: 'stepBack', pid: 3, granularity: undefined }]);
    assert.equal(events.find((e) => e.event === 'kproc/moment')?.body.step, 5);
    // Back before the printf, then forward to the end: 'parent' was printed once.
    assert.equal((await travel(() => dc.stepBackRequest({ threadId: 3 }))).events.find((e) => e.event === 'stopped')?.body.reason, 'entry');
    await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 3 });
    await ended;
    assert.deepEqual(out, ['parent\n']);
  });

  it('reverse-continues to the function breakpoint on copy_process', async () => {
    const first = await stopAt([RETURN_LINE], {}, ['copy_process']);
    assert.equal(first.body.reason, 'function breakpoint');
    const fnBp = first.body.hitBreakpointIds;
    let s = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 3 });
    assert.equal((await s).body.reason, 'breakpoint');
    const { response, events } = await travel(() => dc.reverseContinueRequest({ threadId: 3 }));
    const stopped = events.find((e) => e.event === 'stopped');
    assert.ok(response.success && stopped && response.seq < stopped.seq);
    assert.equal(stopped.body.reason, 'function breakpoint');
    assert.deepEqual(stopped.body.hitBreakpointIds, fnBp);
    assert.equal((await dc.stackTraceRequest({ threadId: 3 })).body.stackFrames[0].name, 'copy_process');
    assert.deepEqual(machine?.travels, [{ kind: 'reverseContinue' }]);
    // Without a breakpoint before it, it goes back to the start.
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    s = dc.waitForEvent('stopped');
    await dc.reverseContinueRequest({ threadId: 3 });
    assert.equal((await s).body.reason, 'entry');
  });

  it('kproc/goto travels to an event or a step, answers the moment, then stops with reason goto', async () => {
    await stopAt([RETURN_LINE]);
    const zombie = await travel(() => dc.customRequest('kproc/goto', { target: 'zombie 4' }));
    assert.deepEqual(zombie.response.body, { step: 8, time: 8000 });
    const kinds = zombie.events.map((e) => e.event);
    assert.equal(kinds[0], 'continued', 'VS Code hears that the scenario runs');
    assert.equal(zombie.events.find((e) => e.event === 'stopped')?.body.reason, 'goto');
    assert.ok(zombie.response.seq < (zombie.events.find((e) => e.event === 'stopped')?.seq ?? 0));
    const step = await travel(() => dc.customRequest('kproc/goto', { step: 1 }));
    assert.deepEqual(step.response.body, { step: 1, time: 1000 });
    assert.deepEqual((await dc.threadsRequest()).body.threads.map((t) => t.id), [1, 2, 3]);
    const fork = await travel(() => dc.customRequest('kproc/goto', { target: 'fork 4 forward' }));
    assert.deepEqual(fork.response.body, { step: 3, time: 3000 });
    assert.ok((await dc.threadsRequest()).body.threads.some((t) => t.id === 4));
    assert.deepEqual(machine?.travels.map((t) => (t.kind === 'goto' ? t.target : t)), [
      { kind: 'event', event: 'zombie', pid: 4, direction: 'back' }, { kind: 'step', step: 1 },
      { kind: 'event', event: 'fork', pid: 4, direction: 'forward' },
    ]);
    // No such moment: the request fails with the machine's reason, and the session is stopped where it was.
    const stopped = dc.waitForEvent('stopped');
    await assert.rejects(dc.customRequest('kproc/goto', { target: 'reparent 4' }), /no reparent of pid 4 before step 3/);
    await stopped;
    assert.equal((await dc.stackTraceRequest({ threadId: 3 })).body.stackFrames[0].name, 'copy_process');
    await assert.rejects(dc.customRequest('kproc/goto', { target: 'zombie' }), /'zombie' needs a pid/);
    await assert.rejects(dc.customRequest('kproc/goto', {}), /needs 'target'/);
    await assert.rejects(dc.customRequest('kproc/goto', { step: 'ten' }), /'step' must be an integer, not string/);
  });

  it('lx-goto in the debug console travels and answers with the moment reached', async () => {
    await stopAt([RETURN_LINE]);
    const { response, events } = await travel(() => dc.evaluateRequest({ expression: 'lx-goto step 2', context: 'repl' }));
    assert.equal((response as DebugProtocol.EvaluateResponse).body.result, 'now at step 2 · 2.000 µs, in the past (the run has been as far as step 9 · 9.000 µs)');
    assert.equal(events.find((e) => e.event === 'stopped')?.body.reason, 'goto');
    await assert.rejects(dc.evaluateRequest({ expression: 'lx-goto bogus 3', context: 'repl' }), /unknown (goto target|moment) 'bogus'/);
    await assert.rejects(dc.evaluateRequest({ expression: 'lx-goto', context: 'repl' }), /lx-goto( needs a target|: expected a moment)/);
    // Elsewhere than the console it is an expression like any other.
    await assert.rejects(dc.evaluateRequest({ expression: 'lx-goto step 2', context: 'watch' }), /No symbol/);
    assert.equal(machine?.travels.length, 1);
    const complete = async (text: string) => (await dc.completionsRequest({ text, column: text.length + 1 })).body.targets;
    const cmd = (await complete('lx-g')).find((t) => t.label === 'lx-goto');
    assert.deepEqual([cmd?.start, cmd?.length], [1, 4]);
    assert.deepEqual((await complete('lx-goto re')).map((t) => [t.label, t.start, t.length]), [['reparent', 9, 2], ['reap', 9, 2]]);
  });

  it('with history 0, going back is refused with a reason and the session goes on', async () => {
    await stopAt([RETURN_LINE], { history: 0 });
    await assert.rejects(dc.stepBackRequest({ threadId: 3 }), /"history" above 0/);
    await assert.rejects(dc.reverseContinueRequest({ threadId: 3 }), /"history" above 0/);
    await assert.rejects(dc.customRequest('kproc/goto', { step: 1 }), /"history" above 0/);
    await assert.rejects(dc.evaluateRequest({ expression: 'lx-goto start', context: 'repl' }), /"history" above 0/);
    assert.deepEqual(machine?.travels, []);
    assert.equal((await dc.stackTraceRequest({ threadId: 3 })).body.stackFrames[0].line, RETURN_LINE);
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 3 });
    await ended;
  });

  it('with history 0, a goto later than now runs on to it; one back is refused naming the target and now', async () => {
    await stopAt([WAITPID_LINE], { history: 0 });
    const m = machine as FakeMachine;
    const now = m.moment().step;
    await assert.rejects(dc.customRequest('kproc/goto', { step: now - 1 }), new RegExp(`Cannot go to step ${now - 1}: it is not later than now \\(step ${now}\\).*"history" above 0`));
    await assert.rejects(dc.evaluateRequest({ expression: 'lx-goto start', context: 'repl' }), /Cannot go to the start: .*"history" above 0/);
    assert.deepEqual(m.travels, []);
    const { response } = await travel(() => dc.customRequest('kproc/goto', { step: now + 1 }));
    assert.equal(response.success, true);
    assert.equal((response.body as { step: number }).step, now + 1);
    assert.equal(m.travels.length, 1);
    assert.equal(m.moment().step, now + 1);
  });

  it('refuses a history attribute out of range, naming it', async () => {
    await dc.initializeRequest({ adapterID: 'kproc', pathFormat: 'path' });
    await assert.rejects(dc.launchRequest({ program, history: -1 } as never), /'history' must be from 0 to 1048576 \(got -1\)/);
    await assert.rejects(dc.launchRequest({ program, history: 1.5 } as never), /'history' must be an integer/);
  });
});
