// The 'kproc/timeline' request: the adapter keeps the run's kernel events (with the scheduler's
// tracepoints on) and answers the timeline model of the run so far, with `now` at the stop.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { boot } from '../../sim-core/machine';
import { deltaWeight, modelWeight, type TimelineDelta, type TimelineModel } from '../../sim-core/viz/model';
import { applyTimelineDelta } from '../../extension/client/timelineDelta';
import { TimelineLog } from '../../extension/adapter/timeline';
import { FORK_WAIT, inlineClient, launch, type InlineAdapter } from './harness';

describe('debug adapter: kproc/timeline', function () {
  this.timeout(30_000);
  let a: InlineAdapter;
  beforeEach(async () => { a = await inlineClient(boot); });
  afterEach(() => a.close());

  it('answers the fork example\'s lanes, marks and CPU rows up to the stop, with now at the stop', async () => {
    const dc = a.client;
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launch(dc, { program: FORK_WAIT }, () => dc.setExceptionBreakpointsRequest({ filters: ['zombie'] }));
    await stopped;
    const m = (await dc.customRequest('kproc/timeline')).body as TimelineModel;
    const fork = m.marks.find((k) => k.kind === 'fork' && m.lanes[k.lane]?.comm === 'fork-wait');
    assert.ok(fork, `a fork mark by the scenario's task: ${JSON.stringify(m.marks.map((k) => k.label))}`);
    const child = m.lanes[fork.otherLane ?? -1];
    assert.ok(child, 'the fork mark points at the child\'s lane');
    assert.equal(fork.fn, 'kernel_clone');
    const kinds = m.marks.filter((k) => k.lane === fork.otherLane).map((k) => k.kind);
    assert.deepEqual(kinds.filter((k) => k === 'exit' || k === 'zombie' || k === 'reap'), ['exit', 'zombie'], 'the child has exited and waits: not reaped yet');
    // The scheduler's tracepoints were on: the lanes say when each task ran, and CPU 0 has runs.
    assert.ok(m.lanes.some((l) => l.spans.some((s) => s.state === 'running')), 'running spans');
    assert.ok(m.cpus.some((r) => r.cpu === 0 && r.pid === child.pid), 'the child ran on CPU 0');
    assert.ok(m.nowStep > fork.step && m.now >= fork.time, `now (${m.nowStep}) is after the fork (${fork.step})`);
    // Continuing to the end of the run adds the reap; the request then answers with the session over.
    const body2 = await (async () => {
      const next = dc.waitForEvent('stopped');
      await dc.setExceptionBreakpointsRequest({ filters: [] });
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'release_task' }] });
      await dc.continueRequest({ threadId: 0 });
      await next;
      return (await dc.customRequest('kproc/timeline')).body as TimelineModel;
    })();
    assert.ok(body2.nowStep > m.nowStep, 'now moved on');
    const later = body2.lanes.find((l) => l.pid === child.pid && l.born === child.born);
    assert.ok(later?.spans.some((s) => s.state === 'zombie'), `the child's lane has its zombie time: ${JSON.stringify(later?.spans)}`);
    assert.ok(body2.marks.length >= m.marks.length, 'the earlier marks are kept');
    assert.deepEqual(body2.marks.slice(0, m.marks.length).map((k) => k.step), m.marks.map((k) => k.step));
  });

  it('answers versioned deltas; after going back, a signal from the views forgets the future the record had', async () => {
    const dc = a.client;
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launch(dc, { program: FORK_WAIT }, () => dc.setExceptionBreakpointsRequest({ filters: ['zombie'] }));
    await stopped;
    type Answer = { version: number; model?: TimelineModel; base?: number; delta?: unknown };
    const first = (await dc.customRequest('kproc/timeline', { deltas: true })).body as Answer;
    assert.ok(first.model, 'the first versioned answer is the whole model');
    const zombie = first.model.marks.find((k) => k.kind === 'zombie');
    const fork = first.model.marks.find((k) => k.kind === 'fork' && first.model?.lanes[k.lane]?.comm === 'fork-wait');
    assert.ok(zombie && fork);
    const child = fork.other as number;
    // Back to just after the fork: the record keeps the future seen (the zombie), now is earlier.
    const back = dc.waitForEvent('stopped');
    await dc.customRequest('kproc/goto', { step: fork.step + 1 });
    await back;
    const second = (await dc.customRequest('kproc/timeline', { deltas: true, since: first.version })).body as Answer;
    assert.equal(second.base, first.version, 'a delta from the version held');
    const seen = (await dc.customRequest('kproc/timeline')).body as TimelineModel;
    assert.ok(seen.marks.some((k) => k.kind === 'zombie' && k.pid === child), 'the future seen is still drawn');
    // SIGKILL from the views: that future is gone; the record ends at now, then grows again.
    await dc.customRequest('kproc/sendSignal', { pid: child, signal: 'SIGKILL' });
    const cut = (await dc.customRequest('kproc/timeline', { deltas: true, since: second.version })).body as Answer;
    assert.ok(cut.model, 'the whole model once the record was cut');
    assert.ok(cut.model.marks.every((k) => k.step <= cut.model!.nowStep), `no mark after now (${cut.model.nowStep}): ${JSON.stringify(cut.model.marks.map((k) => [k.kind, k.step]))}`);
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    const ended = dc.waitForEvent('terminated');
    const last = dc.waitForEvent('stopped').catch(() => undefined);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'release_task' }] });
    await dc.continueRequest({ threadId: 0 });
    await Promise.race([last, ended]);
    const after = (await dc.customRequest('kproc/timeline')).body as TimelineModel;
    const exits = after.marks.filter((k) => k.kind === 'exit' && k.pid === child);
    assert.equal(exits.length, 1, `one exit of the child: ${JSON.stringify(exits)}`);
    assert.match(exits[0].label, /SIGKILL|signal 9/);
    assert.equal(after.marks.filter((k) => k.kind === 'fork' && k.other === child).length, 1, 'one fork of it');
  });

  it('answers the whole model when the delta would weigh as much as half of it, a delta for a step', async () => {
    const dc = a.client;
    type Answer = { version: number; model?: TimelineModel; base?: number; delta?: TimelineDelta };
    const entry = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launch(dc, { program: FORK_WAIT, stopOnEntry: true }, () => dc.setExceptionBreakpointsRequest({ filters: ['zombie'] }));
    const tid = (await entry).body.threadId as number;
    const first = (await dc.customRequest('kproc/timeline', { deltas: true })).body as Answer;
    assert.ok(first.model, 'the first answer is whole');
    // From the entry to the child's exit: the delta would carry most of the run.
    const zombie = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: tid });
    await zombie;
    const second = (await dc.customRequest('kproc/timeline', { deltas: true, since: first.version })).body as Answer;
    assert.ok(second.model && second.version > first.version, 'the whole model, though the client held the last answer');
    assert.ok(second.model.marks.some((k) => k.kind === 'zombie'), 'up to the zombie stop');
    // One step more: a delta, small against the model.
    const stepped = dc.waitForEvent('stopped');
    await dc.stepInRequest({ threadId: tid });
    await stepped;
    const third = (await dc.customRequest('kproc/timeline', { deltas: true, since: second.version })).body as Answer;
    assert.ok(third.delta && third.base === second.version, `a delta from the version held: ${JSON.stringify(Object.keys(third))}`);
    const whole = (await dc.customRequest('kproc/timeline')).body as TimelineModel;
    assert.ok(deltaWeight(third.delta) * 2 < modelWeight(whole), `a delta of ${deltaWeight(third.delta)} for a model of ${modelWeight(whole)}`);
    applyTimelineDelta(second.model, third.delta);
    assert.deepEqual(second.model, whole);
    // A client holding an older version gets the whole model.
    const fourth = (await dc.customRequest('kproc/timeline', { deltas: true, since: second.version })).body as Answer;
    assert.ok(fourth.model, 'the whole model for a version not the last');
  });

  it('refuses before launch, with a message', async () => {
    const dc = a.client;
    await dc.initializeRequest({ adapterID: 'kproc', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await assert.rejects(dc.customRequest('kproc/timeline'), /launch/);
  });
});

describe('TimelineLog', () => {
  it('keeps kernel events but not output, and stops at its limit saying where', () => {
    const source = fs.readFileSync(FORK_WAIT, 'utf8');
    const { machine } = boot({ file: FORK_WAIT, source, traceSched: true });
    assert.ok(machine);
    const all = new TimelineLog();
    const small = new TimelineLog(5);
    all.reset(machine);
    small.reset(machine);
    let outputs = 0, kept = 0;
    for (let i = 0; i < 10_000; i++) {
      const stop = machine.run(10_000);
      all.record(stop.events);
      small.record(stop.events);
      outputs += stop.events.filter((e) => e.kind === 'output').length;
      kept += stop.events.filter((e) => e.kind !== 'output' && e.kind !== 'printk' && e.kind !== 'log').length;
      if (stop.reason !== 'yield') break;
    }
    assert.ok(outputs > 0, 'the run printed');
    assert.equal(all.size, kept);
    assert.equal(small.size, 5);
    const m = small.model(machine);
    assert.ok(m.truncated, 'the small log says it stopped');
    assert.equal(all.model(machine).truncated, undefined);
    // Tasks that existed at boot have lanes from the start, named.
    assert.ok(all.model(machine).lanes.some((l) => l.pid === 1 && l.boot));
  });

  it('boot lanes start in the state the machine has each task in (running on a CPU, runnable, sleeping), traced from the entry stop on', () => {
    const source = fs.readFileSync(FORK_WAIT, 'utf8');
    const { machine } = boot({ file: FORK_WAIT, source, traceSched: true, stopOnEntry: true });
    assert.ok(machine);
    const log = new TimelineLog();
    log.reset(machine);
    const entry = machine.run(10_000);
    assert.equal(entry.reason, 'entry');
    log.record(entry.events);
    const m = log.model(machine);
    // Nothing has run (step 0): no span yet, but the model knows the run states are traced, and
    // every boot task has its lane.
    assert.equal(m.sched, true);
    assert.deepEqual(m.lanes.map((l) => l.pid).sort((x, y) => x - y), machine.tasks().map((t) => t.pid).sort((x, y) => x - y));
    // A record started later (a restart keeps no events) begins each lane in its state then.
    for (let i = 0; i < 50 && machine.tasks().every((t) => t.state !== 'S'); i++) machine.run(1);
    const later = new TimelineLog();
    later.reset(machine);
    const now = later.model(machine);
    const rowsNow = machine.tasks();
    assert.ok(rowsNow.some((t) => t.state === 'S'), 'some task sleeps by now');
    // On a CPU (rq->curr, even on its way to sleep) is running until a switch takes it off.
    const expected = (t: { state: string; running: boolean }): string => (t.running ? 'running' : t.state === 'S' || t.state === 'I' ? 'sleeping' : 'runnable');
    assert.deepEqual(rowsNow.map((t) => [t.pid, now.lanes.find((l) => l.pid === t.pid)?.spans[0]?.state]), rowsNow.map((t) => [t.pid, expected(t)]));
  });
});
