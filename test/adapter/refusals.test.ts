// What the adapter refuses, and says why: hit conditions it cannot read, signals that are not
// signals, requests it does not carry out, launch attributes out of range, shift counts C leaves
// undefined; and a breakpoint condition that fails at every hit is reported once.

import * as assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FORK_WAIT, launch, record, scenarioFile, stdioClient } from './harness';

const LOOP = `#include <stdio.h>

int main(void)
{
    int total = 0;
    for (int i = 0; i < 3; i++) {
        total += i;
    }
    printf("%d\\n", total);
    return 0;
}
`;
const LOOP_BODY = 7;

async function entryStop(dc: DebugClient, program = FORK_WAIT): Promise<number> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await launch(dc, { program, stopOnEntry: true });
  return (await stopped).body.threadId ?? 0;
}

async function refused(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('the request succeeded');
}

describe('debug adapter refusals', function () {
  this.timeout(30_000);
  let dc: DebugClient;

  beforeEach(async () => {
    dc = stdioClient();
    await dc.start();
  });
  afterEach(() => dc.stop());

  it('refuses a hit condition that is not a count or comparison, and does not stop there', async () => {
    const file = scenarioFile('loop.kproc', LOOP);
    const ended = dc.waitForEvent('terminated');
    const stops = record(dc, ['stopped']);
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: file }, async () => {
      const r = await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: LOOP_BODY, hitCondition: 'garbage' }, { line: LOOP_BODY + 2, hitCondition: '>= 1' }] });
      const [bad, good] = r.body.breakpoints;
      assert.equal(bad.verified, false);
      assert.match(bad.message ?? '', /hit condition 'garbage' is not understood/i);
      assert.equal(bad.line, LOOP_BODY);
      assert.equal(good.verified, true);
      const f = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'copy_process', hitCondition: '>> 2' }] });
      assert.equal(f.body.breakpoints[0].verified, false);
      assert.match(f.body.breakpoints[0].message ?? '', /not understood/);
    });
    const ev = await stopped;
    assert.equal(ev.body.reason, 'breakpoint', 'the good breakpoint stops');
    await dc.continueRequest({ threadId: ev.body.threadId });
    await ended;
    stops.stop();
    assert.equal(stops.events.length, 1, 'the refused one never stops');
  });

  it('refuses kproc/sendSignal with a signal name that is an Object property', async () => {
    const tid = await entryStop(dc);
    for (const signal of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const why = await refused(dc.customRequest('kproc/sendSignal', { pid: tid, signal }));
      assert.match(why, /signal must be SIGKILL, SIGSTOP, SIGCONT or SIGTERM/, signal);
    }
    assert.equal((await dc.threadsRequest()).body.threads.some((t) => t.id === tid), true);
  });

  it('answers requests it does not carry out with success:false, and does not claim them', async () => {
    const caps = (await dc.initializeRequest({ adapterID: 'kproc', pathFormat: 'path' })).body ?? {};
    for (const c of ['supportsGotoTargetsRequest', 'supportsSetVariable', 'supportsSetExpression', 'supportsRestartFrame',
      'supportsReadMemoryRequest', 'supportsDisassembleRequest', 'supportsTerminateThreadsRequest', 'supportsStepInTargetsRequest', 'supportsLoadedSourcesRequest']) {
      assert.notEqual((caps as Record<string, unknown>)[c], true, c);
    }
    const sent: Array<[string, unknown]> = [
      ['goto', { threadId: 1, targetId: 1 }],
      ['gotoTargets', { source: { path: FORK_WAIT }, line: 26 }], ['setVariable', { variablesReference: 1, name: 'x', value: '1' }],
      ['setExpression', { expression: 'x', value: '1' }], ['restartFrame', { frameId: 1 }], ['readMemory', { memoryReference: '0', count: 4 }],
      ['disassemble', { memoryReference: '0', instructionCount: 1 }], ['terminateThreads', { threadIds: [3] }], ['attach', {}],
    ];
    for (const [command, args] of sent) assert.match(await refused(dc.send(command, args)), /is not supported: /, command);
  });

  it('refuses launch attributes out of range, naming the attribute', async () => {
    await dc.initializeRequest({ adapterID: 'kproc', pathFormat: 'path' });
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ uid: -5 }, /'uid' must be from 0 to 4294967294 \(got -5\)/],
      [{ uid: 4294967295 }, /'uid' must be from 0/],
      [{ seed: 4294967296 }, /'seed' must be from 0 to 4294967295 \(got 4294967296\)/],
      [{ seed: -1 }, /'seed'/],
      [{ pidMax: 1e300 }, /'pidMax' must be from 301 to 4194304/],
      [{ cpus: 0 }, /'cpus'/],
      [{ maxSteps: 0 }, /'maxSteps' must be from 1/],
      [{ maxSteps: 1e300 }, /'maxSteps' must be from 1/],
      [{ uid: 1.5 }, /'uid' must be an integer/],
      [{ args: { uid: -1 } }, /'args\.uid' must be from 0/],
      [{ args: { nproc: 1e12 } }, /'args\.nproc'/],
    ];
    for (const [extra, want] of cases) {
      assert.match(await refused(dc.launchRequest({ program: FORK_WAIT, ...extra } as DebugProtocol.LaunchRequestArguments)), want, JSON.stringify(extra));
    }
    const ok = await dc.launchRequest({ program: FORK_WAIT, seed: 4294967295, uid: 0 } as DebugProtocol.LaunchRequestArguments);
    assert.equal(ok.success, true);
    await dc.configurationDoneRequest();
    assert.match(await refused(dc.send('restart', { arguments: { program: 5 } })), /'restart': its launch arguments are wrong: 'launch': 'program' must be a string/);
    assert.match(await refused(dc.send('restart', { arguments: { program: FORK_WAIT, uid: -5 } })), /'uid' must be from 0/);
  });

  it('refuses a shift count of 64 or more, or negative, in scenario and kernel frames', async () => {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launch(dc, { program: FORK_WAIT }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'copy_process' }] }));
    const tid = (await stopped).body.threadId ?? 0;
    const frames = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames;
    const kernel = frames[0];
    const user = frames.find((f) => f.name === 'main');
    assert.equal(kernel.name, 'copy_process');
    assert.ok(user);
    const tries: Array<[number, string]> = [
      [user.id, '1 << 1000000000'], [user.id, '1 >> 64'], [user.id, 'status << -1'],
      [kernel.id, '1 << 1000000000'], [kernel.id, 'current->pid << (1 << 20)'], [kernel.id, 'current->pid >> (0 - 1)'],
    ];
    for (const [frameId, expression] of tries) {
      const why = await refused(dc.evaluateRequest({ expression, frameId, context: 'repl' }));
      assert.match(why, /shift count (too large|is negative)/, expression);
    }
    assert.equal((await dc.evaluateRequest({ expression: 'current->pid << 2', frameId: kernel.id, context: 'repl' })).body.result, String(tid << 2));
    assert.equal((await dc.evaluateRequest({ expression: '1 << 3', frameId: user.id, context: 'repl' })).body.result, '8');
  });

  it('reports a condition that cannot be evaluated once, not at every hit', async () => {
    const file = scenarioFile('loop.kproc', LOOP);
    const out = record(dc, ['output']);
    const ended = dc.waitForEvent('terminated');
    let stops = 0;
    dc.on('stopped', (e: DebugProtocol.StoppedEvent) => {
      stops++;
      void dc.continueRequest({ threadId: e.body.threadId ?? 0 });
    });
    await launch(dc, { program: file }, () => dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: LOOP_BODY, condition: 'no_such_name > 0' }] }));
    await ended;
    out.stop();
    assert.equal(stops, 3, 'it stops at each hit, as gdb does');
    const said = out.events.filter((e) => /no_such_name/.test(String(e.body.output)));
    assert.equal(said.length, 1, out.events.map((e) => e.body.output).join(''));
    assert.equal(said[0].body.category, 'stderr');
  });
});
