// The built adapter (node dist/adapter.js) over stdio, as VS Code runs it, on the fork example:
// what a student does in a session, request by request.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { buildTaskTree, listZombies, parseTasksBody } from '../../extension/client/taskModel';
import { fuzz } from './fuzzRequests';
import { children, FORK_WAIT, KERNEL_DIR, launch, record, scenarioFile, scopeVars, stdioClient, topFrames } from './harness';

const FORK_LINE = 26;
const IF_LINE = 28;

async function stoppedAfter(dc: DebugClient, action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const ev = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await action();
  return ev;
}

describe('debug adapter over stdio: fork-wait.kproc', function () {
  this.timeout(30_000);
  let dc: DebugClient;


  beforeEach(async () => {
    dc = stdioClient();
    await dc.start();
  });
  afterEach(() => dc.stop());

  it('launches and stops on entry in the scenario task, with every task a thread', async () => {
    const ev = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT, stopOnEntry: true }));
    assert.equal(ev.body.reason, 'entry');
    assert.equal(ev.body.allThreadsStopped, true);
    const threads = (await dc.threadsRequest()).body.threads;
    for (const t of threads) assert.match(t.name, /^\d+ \S.* \[[RSDTtZXI]\]$/);
    assert.deepEqual(threads.map((t) => t.id), [...threads.map((t) => t.id)].sort((a, b) => a - b), 'pid order');
    assert.ok(threads.some((t) => t.id === 1), 'init is a thread');
    const top = (await topFrames(dc, ev.body.threadId ?? 0))[0];
    assert.equal(top.source?.path, FORK_WAIT);
    assert.equal(top.name, 'main');
  });

  it('hits a function breakpoint on copy_process, and the new task is in kernel_clone\'s variables', async () => {
    let parent = 0;
    const ev = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT }, async () => {
      const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'copy_process' }, { name: 'no_such_function' }] });
      assert.equal(r.body.breakpoints[0].verified, true);
      assert.equal(r.body.breakpoints[1].verified, false);
      assert.ok(r.body.breakpoints[1].message, 'unknown names say why');
    }));
    assert.equal(ev.body.reason, 'function breakpoint');
    parent = ev.body.threadId ?? 0;
    const frames = await topFrames(dc, parent);
    const names = frames.map((f) => f.name);
    assert.equal(names[0], 'copy_process');
    const user = frames.findIndex((f) => f.source?.path === FORK_WAIT);
    assert.ok(user > 1 && names.slice(0, user).includes('kernel_clone'), names.join(' < '));
    assert.equal(frames[user].line, FORK_LINE);
    const ksrc = frames[0].source?.path ?? '';
    assert.ok(ksrc.startsWith(KERNEL_DIR) && ksrc.endsWith('kernel/fork.c'), ksrc);
    assert.match(fs.readFileSync(ksrc, 'utf8').split('\n')[frames[0].line - 1] ?? '', /\S/);
    const before = (await dc.threadsRequest()).body.threads.map((t) => t.id);

    await stoppedAfter(dc, () => dc.setFunctionBreakpointsRequest({ breakpoints: [] }).then(() => dc.stepOutRequest({ threadId: parent })));
    // Stepping out of copy_process lands on IS_ERR(p) with p already holding the new task.
    const out = await topFrames(dc, parent);
    assert.equal(out[0].name, 'kernel_clone', out.map((f) => f.name).join(' < '));
    assert.match(fs.readFileSync(out[0].source?.path ?? '', 'utf8').split('\n')[out[0].line - 1] ?? '', /IS_ERR\(p\)/);
    const locals = await scopeVars(dc, out[0].id, /^Locals/);
    const p = locals.find((v) => v.name === 'p');
    assert.ok(p, `p in ${locals.map((v) => v.name).join(', ')}`);
    assert.match(p.value, /^\(struct task_struct \*\) 0xffff8880[0-9a-f]+/);
    const fields = await children(dc, p);
    const pid = Number(fields.find((v) => v.name === 'pid')?.value);
    assert.ok(pid > Math.max(...before.filter((x) => x !== pid), 0) - 1 && !before.includes(pid), `a new pid ${pid}, not one of ${before.join(',')}`);
    const rp = await children(dc, fields.find((v) => v.name === 'real_parent'));
    assert.equal(Number(rp.find((v) => v.name === 'pid')?.value), parent);
    assert.ok((await dc.threadsRequest()).body.threads.some((t) => t.id === pid), 'the new task is a thread');
  });

  it('steps into fork() down to the kernel and back out', async () => {
    const entry = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT, stopOnEntry: true, stepGranularity: 'kernel' }));
    const tid = entry.body.threadId ?? 0;
    let frames = await topFrames(dc, tid);
    for (let i = 0; i < 5 && frames[0].line !== FORK_LINE; i++) {
      await stoppedAfter(dc, () => dc.nextRequest({ threadId: tid }));
      frames = await topFrames(dc, tid);
    }
    assert.equal(frames[0].line, FORK_LINE);
    await stoppedAfter(dc, () => dc.stepInRequest({ threadId: tid }));
    frames = await topFrames(dc, tid);
    assert.notEqual(frames[0].source?.path, FORK_WAIT, `step into fork() enters the kernel: ${frames.map((f) => f.name).join(' < ')}`);
    for (let i = 0; i < 200 && frames[0].name !== 'copy_process'; i++) {
      await stoppedAfter(dc, () => dc.stepInRequest({ threadId: tid }));
      frames = await topFrames(dc, tid);
    }
    assert.equal(frames[0].name, 'copy_process');
    await stoppedAfter(dc, () => dc.stepOutRequest({ threadId: tid }));
    assert.equal((await topFrames(dc, tid))[0].name, 'kernel_clone');
    for (let i = 0; i < 10 && (await topFrames(dc, tid))[0].source?.path !== FORK_WAIT; i++) {
      await stoppedAfter(dc, () => dc.stepOutRequest({ threadId: tid }));
    }
    const back = (await topFrames(dc, tid))[0];
    assert.equal(back.source?.path, FORK_WAIT);
  });

  it('a conditional breakpoint stops only in the child', async () => {
    const ev = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT }, () => dc.setBreakpointsRequest({
      source: { path: FORK_WAIT }, breakpoints: [{ line: IF_LINE, condition: 'child == 0' }],
    })));
    assert.equal(ev.body.reason, 'breakpoint');
    const tid = ev.body.threadId ?? 0;
    const r = await dc.evaluateRequest({ expression: 'current->real_parent->pid != current->pid && child == 0', context: 'watch' });
    assert.equal(r.body.result, '1');
    const pid = await dc.evaluateRequest({ expression: 'p $lx_current()->pid', context: 'repl' });
    assert.equal(Number(pid.body.result), tid);
  });

  it('a logpoint prints in both tasks without stopping; printf is program output', async () => {
    const out: DebugProtocol.OutputEvent[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => out.push(e));
    const ended = dc.waitForEvent('terminated');
    await launch(dc, { program: FORK_WAIT }, () => dc.setBreakpointsRequest({
      source: { path: FORK_WAIT }, breakpoints: [{ line: IF_LINE, logMessage: 'task {current->pid}: child = {child}' }],
    }));
    await ended;
    const logs = out.filter((e) => /^task \d+: child = /.test(e.body.output)).map((e) => e.body.output);
    assert.equal(logs.length, 2, JSON.stringify(out.map((e) => e.body.output)));
    assert.ok(logs.some((l) => /child = 0\n$/.test(l)), 'the child sees 0');
    const stdout = out.filter((e) => e.body.category === 'stdout').map((e) => e.body.output).join('');
    assert.match(stdout, /parent \d+: started child \d+/);
    assert.match(stdout, /exited with status 7/);
  });

  it('the zombie filter stops when the child becomes a zombie, and says so in plain words', async () => {
    const ev = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT }, () => dc.setExceptionBreakpointsRequest({ filters: ['zombie'] })));
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.text ?? '', /became a zombie/);
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId ?? 0 });
    assert.equal(info.body.exceptionId, 'zombie');
    assert.match(info.body.description ?? '', /EXIT_ZOMBIE/);
    const z = (await dc.threadsRequest()).body.threads.find((t) => / \[Z\]$/.test(t.name));
    assert.ok(z, 'a thread in state Z');
    // The table the extension's views read: every row well-typed, the zombie where the views expect it.
    const body = (await dc.customRequest('kproc/tasks')).body as unknown;
    const rows = parseTasksBody(body) ?? [];
    assert.equal(rows.length, (body as { tasks: unknown[] }).tasks.length);
    for (const r of rows) {
      for (const k of ['pid', 'tgid', 'ppid', 'nice'] as const) assert.equal(typeof r[k], 'number', `${k} of ${r.pid}`);
      for (const k of ['kthread', 'threadGroupLeader', 'onRunqueue'] as const) assert.equal(typeof r[k], 'boolean', `${k} of ${r.pid}`);
      assert.match(r.state, /^[RSDTtZXI]$/);
      assert.match(r.stateName, /^(TASK_|EXIT_|__TASK_)/);
    }
    const zombie = rows.find((r) => r.state === 'Z');
    assert.equal(zombie?.stateName, 'EXIT_ZOMBIE');
    assert.equal(zombie?.exitCode, 7 << 8);
    assert.equal(zombie?.exitSignal, 17);
    assert.equal(typeof zombie?.zombieSteps, 'number');
    const zombies = listZombies(rows);
    assert.deepEqual(zombies.map((n) => n.row.pid), [zombie?.pid]);
    const tree = buildTaskTree(rows);
    const init = tree.find((n) => n.row.pid === 1);
    const parent = init?.children.find((n) => n.row.pid === zombie?.ppid);
    assert.ok(parent?.children.some((n) => n.row.pid === zombie?.pid), 'the zombie hangs under its parent in the Tasks tree');
  });

  it('a data breakpoint on the child\'s exit_state fires when it exits', async () => {
    const ev = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT }, () => dc.setBreakpointsRequest({
      source: { path: FORK_WAIT }, breakpoints: [{ line: IF_LINE, condition: 'child > 0' }],
    })));
    const child = Number((await dc.evaluateRequest({ expression: 'child', frameId: (await topFrames(dc, ev.body.threadId ?? 0))[0].id, context: 'watch' })).body.result);
    assert.ok(child > 1);
    const task = await dc.evaluateRequest({ expression: `$lx_task_by_pid(${child})`, context: 'watch' });
    const info = await dc.dataBreakpointInfoRequest({ variablesReference: task.body.variablesReference, name: 'exit_state' });
    assert.equal(info.body.dataId, `task/${child}/exit_state`);
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: String(info.body.dataId), accessType: 'write' }] });
    assert.equal(set.body.breakpoints[0].verified, true, set.body.breakpoints[0].message);
    await dc.setBreakpointsRequest({ source: { path: FORK_WAIT }, breakpoints: [] });
    const hit = await stoppedAfter(dc, () => dc.continueRequest({ threadId: ev.body.threadId ?? 0 }));
    assert.equal(hit.body.reason, 'data breakpoint');
    const st = await dc.evaluateRequest({ expression: `$lx_task_by_pid(${child})->exit_state`, context: 'watch' });
    assert.match(st.body.result, /32|EXIT_ZOMBIE/);
  });

  it('evaluates lx-ps and C expressions in the console', async () => {
    const ev = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT, stopOnEntry: true }));
    const ps = (await dc.evaluateRequest({ expression: 'lx-ps', context: 'repl' })).body.result;
    assert.match(ps, /^TASK\s+PID/);
    assert.match(ps, /\n0x[0-9a-f]+\s+1\s+1\s+0 \S\s+init/);
    assert.match(ps, new RegExp(`\\n0x[0-9a-f]+\\s+${ev.body.threadId}\\s`));
    const ppid = (await dc.evaluateRequest({ expression: 'current->real_parent->pid', context: 'repl' })).body.result;
    assert.equal(ppid, '1');
    const tree = (await dc.evaluateRequest({ expression: 'lx-pstree', context: 'repl' })).body.result;
    assert.match(tree, /init\(1\)/);
    await assert.rejects(dc.evaluateRequest({ expression: 'current->no_such_field', context: 'repl' }));
  });

  it('threads appear at fork and disappear when reaped; the task table follows every stop', async () => {
    const rec = record(dc, ['thread', 'kproc/tasks']);
    const ended = dc.waitForEvent('terminated');
    await launch(dc, { program: FORK_WAIT });
    await ended;
    rec.stop();
    const threads = rec.events.filter((e) => e.event === 'thread').map((e) => `${e.body.reason} ${e.body.threadId}`);
    const started = threads.filter((t) => t.startsWith('started')).map((t) => Number(t.split(' ')[1]));
    const child = Math.max(...started);
    assert.ok(threads.includes(`exited ${child}`), threads.join(', '));
    assert.ok(threads.indexOf(`started ${child}`) < threads.indexOf(`exited ${child}`));
    assert.ok(rec.events.some((e) => e.event === 'kproc/tasks'), 'a final task table');
  });

  it('terminates on request', async () => {
    await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT, stopOnEntry: true }));
    const ended = dc.waitForEvent('terminated');
    await dc.terminateRequest();
    await ended;
  });

  it('reports a missing file and a broken scenario with file:line:col, and keeps serving', async () => {
    await dc.initializeRequest({ adapterID: 'kproc', pathFormat: 'path' });
    await assert.rejects(dc.launchRequest({ program: '/no/such/scenario.kproc' } as DebugProtocol.LaunchRequestArguments), /no such file/);
    const broken = scenarioFile('broken.kproc', 'int main(void)\n{\n    int x = ;\n    return 0;\n}\n');
    await assert.rejects(dc.launchRequest({ program: broken } as DebugProtocol.LaunchRequestArguments), /broken\.kproc:3:\d+: error: /);
    const r = await dc.threadsRequest();
    assert.equal(r.success, true);
  });

  it('survives 2000 random and malformed requests and still answers threads', async () => {
    await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT, stopOnEntry: true }));
    const r = await fuzz(dc, 2000, 4242);
    assert.equal(r.ok + r.failed, 2000);
    const t = await dc.threadsRequest();
    assert.equal(t.success, true);
  });
});
