// The built adapter over stdio on other scenarios: kernel-event filters, line breakpoints in the
// kernel sources, stepping over a blocking wait, pause, restart, run without debugging, and the
// views' custom requests.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FORK_WAIT, KERNEL_DIR, launch, ROOT, scenarioFile, stdioClient, topFrames } from './harness';

const example = (name: string) => path.join(ROOT, 'examples', name);

async function stoppedAfter(dc: DebugClient, action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const ev = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await action();
  return ev;
}

describe('debug adapter over stdio: more scenarios', function () {
  this.timeout(30_000);
  let dc: DebugClient;

  beforeEach(async () => { dc = stdioClient(); await dc.start(); });
  afterEach(() => dc.stop());

  it('the reparent filter explains who adopted the orphan and why', async () => {
    const ev = await stoppedAfter(dc, () => launch(dc, { program: example('orphan.kproc') }, () => dc.setExceptionBreakpointsRequest({ filters: ['reparent'] })));
    assert.equal(ev.body.reason, 'exception');
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId ?? 0 });
    assert.equal(info.body.exceptionId, 'reparent');
    assert.match(info.body.description ?? '', /forget_original_parent\(\) moved it to task 1/);
    assert.match(info.body.description ?? '', /init/);
  });

  it('the fork-failed filter names the limit that was hit', async () => {
    const ev = await stoppedAfter(dc, () => launch(dc, { program: example('rlimit-nproc.kproc') }, () => dc.setExceptionBreakpointsRequest({ filters: ['fork-failed'] })));
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.text ?? '', /failed with EAGAIN \(RLIMIT_NPROC\)/);
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId ?? 0 });
    assert.match(info.body.description ?? '', /RLIMIT_NPROC/);
  });

  it('a line breakpoint in a displayed kernel source stops there', async () => {
    const fns = (await (async () => {
      await dc.initializeRequest({ adapterID: 'kproc', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const init = dc.waitForEvent('initialized');
      await dc.launchRequest({ program: FORK_WAIT } as DebugProtocol.LaunchRequestArguments);
      await init;
      return (await dc.customRequest('kproc/kernelFunctions')).body.functions as Array<{ name: string; file: string; line: number }>;
    })());
    const cp = fns.find((f) => f.name === 'copy_process');
    assert.ok(cp && cp.file === 'kernel/fork.c' && cp.line > 0, JSON.stringify(cp));
    // Find copy_process's first step line through a function breakpoint's frame, then break on it by line.
    const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'copy_process' }] });
    const src = fb.body.breakpoints[0].source?.path ?? '';
    assert.ok(src.startsWith(KERNEL_DIR), src);
    const first = await stoppedAfter(dc, () => dc.configurationDoneRequest());
    const line = (await topFrames(dc, first.body.threadId ?? 0))[0].line;
    await dc.terminateRequest();
    await dc.stop();

    dc = stdioClient();
    await dc.start();
    let verified: DebugProtocol.Breakpoint | undefined;
    const ev = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT }, async () => {
      verified = (await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line }] })).body.breakpoints[0];
    }));
    assert.equal(verified?.verified, true, verified?.message);
    assert.equal(ev.body.reason, 'breakpoint');
    const top = (await topFrames(dc, ev.body.threadId ?? 0))[0];
    assert.equal(top.name, 'copy_process');
    assert.equal(top.source?.path, src);
    assert.equal(top.line, line);
  });

  it('stepping over a blocking waitpid() runs the child until the parent returns', async () => {
    const ev = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT }, () => dc.setBreakpointsRequest({
      source: { path: FORK_WAIT }, breakpoints: [{ line: 39, condition: 'child > 0' }],
    })));
    const parent = ev.body.threadId ?? 0;
    await dc.setBreakpointsRequest({ source: { path: FORK_WAIT }, breakpoints: [] });
    const out: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => out.push(e.body.output));
    const st = await stoppedAfter(dc, () => dc.nextRequest({ threadId: parent }));
    assert.equal(st.body.reason, 'step');
    assert.equal(st.body.threadId, parent);
    assert.ok(out.some((o) => /^child \d+: done/.test(o)), 'the child ran meanwhile');
    const threads = (await dc.threadsRequest()).body.threads;
    assert.ok(!threads.some((t) => / \[Z\]$/.test(t.name)), 'the zombie has been reaped');
  });

  it('pauses an endless loop', async () => {
    const spin = scenarioFile('spin.kproc', 'int main(void)\n{\n    int n = 0;\n    for (;;)\n        n++;\n    return 0;\n}\n');
    await launch(dc, { program: spin, maxSteps: 100000000 });
    const ev = await stoppedAfter(dc, () => dc.pauseRequest({ threadId: 0 }));
    assert.equal(ev.body.reason, 'pause');
    const frames = await topFrames(dc, ev.body.threadId ?? 0);
    assert.equal(frames[frames.length - 1].source?.path, spin);
  });

  it('restarts from the beginning, keeping the breakpoints', async () => {
    const first = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'copy_process' }] })));
    const again = await stoppedAfter(dc, () => dc.restartRequest({}));
    assert.equal(again.body.reason, 'function breakpoint');
    assert.equal(again.body.threadId, first.body.threadId);
    assert.equal((await topFrames(dc, again.body.threadId ?? 0))[0].name, 'copy_process');
  });

  it('runs without debugging to the end, ignoring breakpoints', async () => {
    const out: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => out.push(e.body.output));
    const stops: unknown[] = [];
    dc.on('stopped', (e) => stops.push(e));
    const ended = dc.waitForEvent('terminated');
    await launch(dc, { program: FORK_WAIT, noDebug: true }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'copy_process' }] }));
    await ended;
    assert.equal(stops.length, 0);
    assert.match(out.join(''), /parent: child \d+ exited with status 7/);
  });

  it('sends a signal from the views and reports the task table', async () => {
    const ev = await stoppedAfter(dc, () => launch(dc, { program: FORK_WAIT }, () => dc.setBreakpointsRequest({
      source: { path: FORK_WAIT }, breakpoints: [{ line: 39, condition: 'child > 0' }],
    })));
    const child = Number((await dc.evaluateRequest({ expression: 'child', frameId: (await topFrames(dc, ev.body.threadId ?? 0))[0].id })).body.result);
    const table = dc.waitForEvent('kproc/tasks');
    await dc.customRequest('kproc/sendSignal', { pid: child, signal: 'SIGKILL' });
    const rows = (await table).body.tasks as Array<{ pid: number }>;
    assert.ok(rows.some((r) => r.pid === child));
    await assert.rejects(dc.customRequest('kproc/sendSignal', { pid: 99999, signal: 'SIGKILL' }), /Thread 99999 does not exist/);
    await dc.setBreakpointsRequest({ source: { path: FORK_WAIT }, breakpoints: [] });
    const out: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => out.push(e.body.output));
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 0 });
    await ended;
    assert.ok(!out.some((o) => /exited with status 7/.test(o)), 'the child was killed before exit(7)');
  });

  it('a step budget ends in a named stop, explained, and the next continue ends the session', async () => {
    const spin = scenarioFile('budget.kproc', 'int main(void)\n{\n    int n = 0;\n    for (;;)\n        n++;\n    return 0;\n}\n');
    const ev = await stoppedAfter(dc, () => launch(dc, { program: spin, maxSteps: 2000 }, () => dc.setBreakpointsRequest({
      source: { path: spin }, breakpoints: [{ line: 5, condition: '$lx_current()->pid == 1' }],
    })));
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.text ?? '', /budget/);
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId ?? 0 });
    assert.equal(info.body.exceptionId, 'budget');
    const exited = dc.waitForEvent('exited');
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 0 });
    assert.equal((await exited).body.exitCode, 1);
    await ended;
  });

  it('the exited event carries the main task\'s status as the shell shows it', async () => {
    const three = scenarioFile('three.kproc', '#include <stdlib.h>\nint main(void)\n{\n    exit(3);\n}\n');
    const exited = dc.waitForEvent('exited');
    await launch(dc, { program: three });
    assert.equal((await exited).body.exitCode, 3);
  });

  it('a main task killed by a signal exits with 128 + the signal number', async () => {
    const killed = scenarioFile('killed.kproc', '#include <signal.h>\n#include <unistd.h>\nint main(void)\n{\n    kill(getpid(), SIGKILL);\n    return 0;\n}\n');
    const exited = dc.waitForEvent('exited');
    await launch(dc, { program: killed });
    assert.equal((await exited).body.exitCode, 128 + 9);
  });
});
