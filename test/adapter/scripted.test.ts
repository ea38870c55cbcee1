// The session's translation, over DAP, against a scripted machine: what each request answers and
// which events follow, independent of the simulator's own behaviour.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { fakeBoot } from './fakeMachine';
import { FAKE_SCENARIO } from './fakeScript';
import { children, inlineClient, KERNEL_DIR, launch, record, scenarioFile, scopeVars, topFrames, type InlineAdapter } from './harness';

describe('adapter session (scripted machine)', function () {
  this.timeout(10_000);
  const program = scenarioFile('fake.kproc', FAKE_SCENARIO);
  let ad: InlineAdapter;
  let dc: DebugClient;

  beforeEach(async () => {
    ad = await inlineClient(fakeBoot);
    dc = ad.client;
  });
  afterEach(() => ad.close());

  it('stops on entry with every task as a thread, the task table first', async () => {
    const rec = record(dc, ['kproc/tasks', 'stopped', 'thread']);
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program, stopOnEntry: true });
    const ev = await stopped;
    rec.stop();
    assert.equal(ev.body.reason, 'entry');
    assert.equal(ev.body.threadId, 3);
    assert.equal(ev.body.allThreadsStopped, true);
    const kinds = rec.events.map((e) => e.event);
    assert.ok(kinds.indexOf('kproc/tasks') < kinds.indexOf('stopped'), kinds.join(','));
    assert.deepEqual(rec.events.filter((e) => e.event === 'thread').map((e) => [e.body.reason, e.body.threadId]), [['started', 1], ['started', 2], ['started', 3]]);
    const tasks = rec.events.find((e) => e.event === 'kproc/tasks')?.body.tasks as Array<{ pid: number; threadGroupLeader: boolean; kthread: boolean }>;
    assert.deepEqual(tasks.map((t) => t.pid), [1, 2, 3]);
    assert.equal(tasks[1].kthread, true);
    assert.equal(tasks[2].threadGroupLeader, true);
    const threads = (await dc.threadsRequest()).body.threads;
    assert.deepEqual(threads.map((t) => t.name), ['1 init [S]', '2 kthreadd [S]', '3 fake [R]']);
  });

  it('breaks on copy_process with kernel frames above the scenario frame, in read-only kernel files', async () => {
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program }, async () => {
      const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'copy_process' }, { name: 'no_such_fn' }] });
      assert.equal(r.body.breakpoints[0].verified, true);
      assert.equal(r.body.breakpoints[1].verified, false);
      assert.match(String(r.body.breakpoints[1].message), /no_such_fn/);
    });
    const ev = await stopped;
    assert.equal(ev.body.reason, 'function breakpoint');
    const frames = await topFrames(dc, 3);
    assert.deepEqual(frames.map((f) => f.name), ['copy_process', 'kernel_clone', 'main']);
    const src = frames[0].source?.path ?? '';
    assert.ok(src.startsWith(KERNEL_DIR), src);
    assert.equal(frames[0].line, 10);
    assert.ok(fs.readFileSync(src, 'utf8').split('\n')[9].includes('dup_task_struct'));
    assert.equal(fs.statSync(src).mode & 0o222, 0, 'kernel sources are read-only');
    assert.equal(frames[2].source?.path, program);
    assert.equal(frames[2].line, 3);
  });

  it('steps into the kernel and out again, and over at statement level', async () => {
    const first = dc.waitForEvent('stopped');
    await launch(dc, { program, stopOnEntry: true, stepGranularity: 'kernel' });
    await first;
    let s = dc.waitForEvent('stopped');
    await dc.stepInRequest({ threadId: 3 });
    assert.equal((await s).body.reason, 'step');
    assert.equal((await topFrames(dc, 3))[0].name, 'kernel_clone');
    s = dc.waitForEvent('stopped');
    await dc.stepInRequest({ threadId: 3 });
    await s;
    assert.equal((await topFrames(dc, 3))[0].name, 'copy_process');
    s = dc.waitForEvent('stopped');
    await dc.stepOutRequest({ threadId: 3 });
    await s;
    assert.deepEqual((await topFrames(dc, 3)).map((f) => f.name), ['kernel_clone', 'main']);
    s = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId: 3 });
    await s;
    const top = (await topFrames(dc, 3))[0];
    assert.equal(top.name, 'main');
    assert.equal(top.line, 7);
  });

  it('a conditional breakpoint stops only where the condition holds; stale ids are refused', async () => {
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program }, () => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 4, condition: 'pid == 4' }] }));
    const ev = await stopped;
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal(ev.body.threadId, 4);
    const frameId = (await topFrames(dc, 4))[0].id;
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    const s2 = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 4 });
    await s2;
    await assert.rejects(dc.scopesRequest({ frameId }), /does not exist|has ended/);
    await assert.rejects(dc.variablesRequest({ variablesReference: scopes[0].variablesReference }), /does not exist|has ended/);
  });

  it('a logpoint prints with {expression} values and does not stop', async () => {
    const out: string[] = [];
    dc.on('output', (e) => out.push(e.body.output));
    const ended = dc.waitForEvent('terminated');
    await launch(dc, { program }, () => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 4, logMessage: 'in task {pid}, c = {c}' }] }));
    await ended;
    assert.ok(out.includes('in task 4, c = 0\n'), JSON.stringify(out));
    assert.ok(out.includes('parent\n'), 'printf output');
    assert.ok(out.some((o) => /^\[\s+0\.\d{6}\] child exiting\n$/.test(o)), `printk line in ${JSON.stringify(out)}`);
  });

  it('the zombie filter stops with an explanation in exceptionInfo', async () => {
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program }, () => dc.setExceptionBreakpointsRequest({ filters: ['zombie'] }));
    const ev = await stopped;
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.text, /Task 4 became a zombie/);
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId });
    assert.equal(info.body.exceptionId, 'zombie');
    assert.match(String(info.body.description), /EXIT_ZOMBIE/);
    const tasks = (await dc.customRequest('kproc/tasks')).body.tasks as Array<{ pid: number; state: string; zombieSteps?: number }>;
    const z = tasks.find((t) => t.pid === 4);
    assert.equal(z?.state, 'Z');
    assert.equal(typeof z?.zombieSteps, 'number');
  });

  it('a data breakpoint on a task_struct field from the Variables pane', async () => {
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'kernel_clone' }] }));
    await stopped;
    // Step to where task 4 exists, then watch its exit_state.
    let s = dc.waitForEvent('stopped');
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await dc.nextRequest({ threadId: 3 });
    await s;
    const frameId = (await topFrames(dc, 3))[0].id;
    const globals = await scopeVars(dc, frameId, /globals/);
    const cur = globals.find((v) => v.name === 'current');
    const kids = await children(dc, (await children(dc, cur)).find((v) => v.name === 'children'));
    assert.equal(kids.length, 1);
    assert.match(kids[0].value, /^\(struct task_struct \*\) 0xffff[0-9a-f]+ \(pid 4, "fake"\)$/);
    const child = await children(dc, kids[0]);
    assert.ok(child.some((v) => v.name === '__state'));
    const info = await dc.dataBreakpointInfoRequest({ variablesReference: kids[0].variablesReference, name: 'exit_state' });
    assert.equal(info.body.dataId, 'task/4/exit_state');
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: String(info.body.dataId) }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    s = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 3 });
    assert.equal((await s).body.reason, 'data breakpoint');
    const fields = await children(dc, (await scopeVars(dc, (await topFrames(dc, 3))[0].id, /globals/)).find((v) => v.name === 'current'));
    void fields;
    const again = (await dc.evaluateRequest({ expression: '$lx_task_by_pid(4)', context: 'watch' })).body;
    const task4 = (await dc.variablesRequest({ variablesReference: again.variablesReference })).body.variables;
    const exitState = task4.find((v) => v.name === 'exit_state');
    assert.equal(exitState?.value, 'EXIT_ZOMBIE (0x20)');
    assert.ok(exitState?.presentationHint?.attributes?.includes('changed'), JSON.stringify(exitState));
    assert.equal(task4.find((v) => v.name === 'exit_code')?.value, '0x700 (exited with code 7)');
    assert.equal(task4.find((v) => v.name === 'flags')?.value, 'PF_EXITING (0x4)');
  });

  it('passes C expressions, gdb helpers and lx- commands to the machine, with completions', async () => {
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program, stopOnEntry: true });
    await stopped;
    const ev = async (expression: string) => (await dc.evaluateRequest({ expression, context: 'repl' })).body;
    assert.match((await ev('lx-ps')).result, /TASK\s+PID\s+TGID\s+PPID ST COMM\n0xffff\S+\s+1\s+1\s+0 S\s+init/);
    assert.equal((await ev('p $lx_current()->pid')).result, '3');
    assert.equal((await ev('$lx_task_by_pid(1)->comm')).result, '"init"');
    assert.match((await ev('lx-pstree')).result, /init\(1\)\n`-fake\(3\)/);
    assert.match((await ev('lx-dmesg')).result, /^\[\s+0\.000123\] Booting/);
    assert.match((await ev('bt')).result, /^#0  main \(c=4\) at .*fake\.kproc:3$/);
    assert.match((await ev('info threads')).result, /\* 3\s+Task 3 "fake" \[R\]/);
    const deref = await ev('*$lx_task_by_pid(3)');
    assert.match(deref.result, /pid = 3/);
    assert.ok(deref.variablesReference > 0);
    await assert.rejects(dc.evaluateRequest({ expression: 'no_such_symbol', context: 'repl' }), /No symbol/);
    const c1 = (await dc.completionsRequest({ text: 'lx-p', column: 5 })).body.targets.map((t) => t.label);
    assert.deepEqual(c1.sort(), ['lx-ps', 'lx-pstree']);
    const c2 = (await dc.completionsRequest({ text: 'current->real_p', column: 16 })).body.targets.map((t) => t.label);
    assert.deepEqual(c2, ['real_parent']);
    const c3 = (await dc.completionsRequest({ text: 'p $lx_t', column: 8 })).body.targets.map((t) => t.label);
    assert.deepEqual(c3, ['$lx_task_by_pid(']);
  });

  it('threads appear at fork and disappear when reaped', async () => {
    const rec = record(dc, ['thread']);
    const ended = dc.waitForEvent('terminated');
    await launch(dc, { program });
    await ended;
    rec.stop();
    const t = rec.events.map((e) => `${e.body.reason} ${e.body.threadId}`);
    assert.deepEqual(t, ['started 1', 'started 2', 'started 3', 'started 4', 'exited 4']);
  });

  it('answers bad requests with clear errors and keeps serving', async () => {
    await dc.initializeRequest({ adapterID: 'kproc', pathFormat: 'path' });
    await assert.rejects(dc.nextRequest({ threadId: 3 }), /No scenario is running/);
    await assert.rejects(dc.customRequest('frobnicate'), /Unknown request 'frobnicate'/);
    await assert.rejects(dc.customRequest('next', { threadId: 'three' }), /'threadId' must be an integer, not string/);
    await assert.rejects(dc.launchRequest({ program: '/no/such/file.kproc' } as never), /Cannot read the scenario .*no such file/);
    const broken = scenarioFile('broken.kproc', 'int main(void)\n{\n  x syntax error\n}\n');
    await assert.rejects(dc.launchRequest({ program: broken } as never), /broken\.kproc:3:5: error: expected ';'/);
    const stopped = dc.waitForEvent('stopped');
    await dc.launchRequest({ program, stopOnEntry: true } as never);
    await assert.rejects(dc.launchRequest({ program } as never), /already launched/);
    await dc.configurationDoneRequest();
    await stopped;
    await assert.rejects(dc.stackTraceRequest({ threadId: 99 }), /Thread 99 does not exist/);
    await assert.rejects(dc.scopesRequest({ frameId: 12345 }), /Frame 12345 does not exist/);
    await assert.rejects(dc.variablesRequest({ variablesReference: 999 }), /Variable reference 999/);
    await assert.rejects(dc.customRequest('kproc/sendSignal', { pid: 3, signal: 'SIGFOO' }), /SIGKILL, SIGSTOP, SIGCONT or SIGTERM/);
    assert.equal((await dc.threadsRequest()).body.threads.length, 3);
  });

  it('sends the response before the stopped event (by the adapter\'s sequence numbers)', async () => {
    const first = dc.waitForEvent('stopped');
    await launch(dc, { program, stopOnEntry: true });
    await first;
    for (const step of [() => dc.nextRequest({ threadId: 3 }), () => dc.stepInRequest({ threadId: 3 }), () => dc.continueRequest({ threadId: 3 })]) {
      const ev = Promise.race([dc.waitForEvent('stopped'), dc.waitForEvent('terminated')]);
      const response = await step();
      const event = await ev;
      assert.ok(response.seq < event.seq, `response ${response.seq} before ${event.event} ${event.seq}`);
    }
  });

  it('pauses a scenario that never stops by itself, between slices', async () => {
    const spin = scenarioFile('spin.kproc', `${FAKE_SCENARIO}\nvoid f(void) { for (;;) ; }\n`);
    await launch(dc, { program: spin });
    const threads = await dc.threadsRequest();
    assert.equal(threads.success, true, 'requests are answered while running');
    await assert.rejects(dc.stackTraceRequest({ threadId: 3 }), /running: pause it first/);
    const stopped = dc.waitForEvent('stopped');
    await dc.pauseRequest({ threadId: 3 });
    const ev = await stopped;
    assert.equal(ev.body.reason, 'pause');
    assert.equal(ev.body.allThreadsStopped, true);
  });

  it('pages long lists through indexedVariables', async () => {
    const many = scenarioFile('many.kproc', `${FAKE_SCENARIO}\n/* many children */\n`);
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: many, stopOnEntry: true });
    await stopped;
    const init = await dc.evaluateRequest({ expression: '$lx_task_by_pid(1)', context: 'watch' });
    const kids = (await dc.variablesRequest({ variablesReference: init.body.variablesReference })).body.variables.find((v) => v.name === 'children');
    assert.equal(kids?.indexedVariables, 251);
    const page = (await dc.variablesRequest({ variablesReference: kids?.variablesReference ?? 0, filter: 'indexed', start: 200, count: 20 })).body.variables;
    assert.equal(page.length, 20);
    assert.equal(page[0].name, '[200]');
    assert.match(page[0].value, /\(pid 209, "kid209"\)$/);
    const named = (await dc.variablesRequest({ variablesReference: kids?.variablesReference ?? 0, filter: 'named' })).body.variables;
    assert.equal(named.length, 0);
  });
});
