// The built adapter over stdio: a fault in the scenario stops with reason 'exception' on the
// faulting line of the faulting task (not pid 1), the description and exceptionInfo naming the
// signal; a continue lets the task die of it without stopping on the same fault again.
import * as assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { boot, KMachine } from '../../sim-core/machine';
import type { BootOptions } from '../../sim-core/machine-types';
import { inlineClient, launch, scenarioFile, stdioClient } from './harness';

const SOURCE = [
  '#include <stdio.h>', //           1
  '#include <stdlib.h>', //          2
  '#include <unistd.h>', //          3
  '#include <sys/wait.h>', //        4
  'int main(void)', //               5
  '{', //                            6
  '    if (fork() == 0) {', //       7
  '        int *p = NULL;', //       8
  '        *p = 42;', //             9
  '        _exit(0);', //           10
  '    }', //                       11
  '    wait(NULL);', //             12
  '    printf("parent done\\n");', // 13
  '    return 0;', //               14
  '}', //                           15
  '',
].join('\n');

describe('debug adapter over stdio: fault stops', function () {
  this.timeout(30_000);
  let dc: DebugClient;

  beforeEach(async () => { dc = stdioClient(); await dc.start(); });
  afterEach(() => dc.stop());

  it('stops on the faulting line of the child with SIGSEGV named, once', async () => {
    const file = scenarioFile('segv.kproc', SOURCE);
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launch(dc, { program: file });
    const ev = await stopped;
    assert.equal(ev.body.reason, 'exception');
    assert.equal(ev.body.threadId, 4);
    assert.match(ev.body.description ?? '', /SIGSEGV, Segmentation fault/);
    const frames = await dc.stackTraceRequest({ threadId: 4 });
    assert.equal(frames.body.stackFrames[0].line, 9);
    const info = await dc.exceptionInfoRequest({ threadId: 4 });
    assert.equal(info.body.exceptionId, 'SIGSEGV');
    // Continue: the child dies of the signal and the parent runs to its end, with no second stop.
    let again = false;
    dc.on('stopped', () => { again = true; });
    const exited = dc.waitForEvent('exited');
    const out = dc.waitForEvent('output', 20_000);
    await dc.continueRequest({ threadId: 4 });
    assert.equal((await exited).body.exitCode, 0);
    assert.ok(await out);
    assert.equal(again, false, 'stopped again after the fault');
  });
});

describe('debug adapter: an internal error while a task runs', function () {
  this.timeout(30_000);

  it('stops naming that task (not pid 1), and the next continue ends the session', async () => {
    // A machine whose fork gives the child registers the VM cannot run: it throws a TypeError
    // when the child (pid 4) first runs its code.
    const broken = (opts: BootOptions) => {
      const r = boot(opts);
      const port = (r.machine as KMachine).engine.k.user as unknown as { copyRegs(p: unknown): { fn: number } | null };
      const copy = port.copyRegs.bind(port);
      port.copyRegs = (p: unknown) => { const regs = copy(p); if (regs) regs.fn = 9999; return regs; };
      return r;
    };
    const ad = await inlineClient(broken);
    try {
      const dc = ad.client;
      const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await launch(dc, { program: scenarioFile('broken.kproc', SOURCE) });
      const ev = await stopped;
      assert.equal(ev.body.reason, 'exception');
      assert.equal(ev.body.threadId, 4);
      assert.match(JSON.stringify(ev.body), /internal error in the simulator while pid 4/);
      let again = false;
      dc.on('stopped', () => { again = true; });
      const exited = dc.waitForEvent('exited');
      await dc.continueRequest({ threadId: 4 });
      await exited;
      assert.equal(again, false);
    } finally {
      await ad.close();
    }
  });
});

describe('debug adapter over stdio: runaway library work', function () {
  this.timeout(30_000);
  let dc: DebugClient;

  beforeEach(async () => { dc = stdioClient(); await dc.start(); });
  afterEach(() => dc.stop());

  it('answers pause during a loop of 1 MB memsets (the work is charged step by step)', async () => {
    const file = scenarioFile('memset.kproc', '#include <stdlib.h>\n#include <string.h>\nint main(void)\n{\n    char *p = malloc(1048576);\n    for (;;)\n        memset(p, 0, 1048576);\n    return 0;\n}\n');
    await launch(dc, { program: file, maxSteps: 100000000 });
    const stopped = dc.waitForEvent('stopped', 20_000) as Promise<DebugProtocol.StoppedEvent>;
    await dc.pauseRequest({ threadId: 0 });
    const ev = await stopped;
    assert.equal(ev.body.reason, 'pause');
    assert.equal(ev.body.threadId, 3);
  });
});
