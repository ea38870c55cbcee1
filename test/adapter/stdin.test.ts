// The scenario's terminal under the debugger: the `stdin` launch attribute gives it a file's
// text, and without it a task reading the terminal stops the run until a line is typed in the
// debug console. Frames of a built-in program (/bin/cat) open its source file.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { boot } from '../../sim-core/machine';
import { inlineClient, launch, scenarioFile, topFrames } from './harness';

const READER = `#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char buf[64];
    ssize_t n;

    while ((n = read(0, buf, sizeof(buf) - 1)) > 0) {
        buf[n] = 0;
        printf("got %zd: %s", n, buf);
    }
    printf("end %zd\\n", n);
    return 0;
}
`;

const CAT = `#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
    if (fork() == 0) {
        execlp("cat", "cat", (char *)NULL);
        _exit(127);
    }
    wait(NULL);
    printf("cat is done\\n");
    return 0;
}
`;

function collectOutput(dc: DebugClient): () => string {
  let out = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') out += e.body.output; });
  return () => out;
}

describe('adapter: the scenario\'s standard input', function () {
  this.timeout(60_000);

  it('the stdin attribute names a file (relative to the scenario) whose text is read, then end of file', async () => {
    const file = scenarioFile('reader.kproc', READER);
    fs.writeFileSync(path.join(path.dirname(file), 'input.txt'), 'first line\nsecond\n');
    const ad = await inlineClient(boot);
    try {
      const out = collectOutput(ad.client);
      const terminated = ad.client.waitForEvent('terminated');
      await launch(ad.client, { program: file, stopOnEntry: false, stdin: 'input.txt' });
      await terminated;
      assert.equal(out(), 'got 11: first line\ngot 7: second\nend 0\n');
    } finally {
      await ad.close();
    }
  });

  it('a missing stdin file is a launch error that names it', async () => {
    const file = scenarioFile('reader.kproc', READER);
    const ad = await inlineClient(boot);
    try {
      await ad.client.initializeRequest({ adapterID: 'kproc', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      await assert.rejects(ad.client.launchRequest({ program: file, stdin: 'nothing-here.txt' } as DebugProtocol.LaunchRequestArguments),
        /Cannot read the standard input file .*nothing-here\.txt.*no such file/);
    } finally {
      await ad.close();
    }
  });

  it('without it, a read stops the run (reason input); console lines are typed into the terminal, ^D ends it', async () => {
    const file = scenarioFile('reader.kproc', READER);
    const ad = await inlineClient(boot);
    const dc = ad.client;
    try {
      const out = collectOutput(dc);
      let stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await launch(dc, { program: file, stopOnEntry: false });
      assert.equal((await stopped).body.reason, 'input');
      stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await dc.evaluateRequest({ expression: 'hello there', context: 'repl' });
      assert.equal((await stopped).body.reason, 'input');
      assert.equal(out(), 'got 12: hello there\n');
      const terminated = dc.waitForEvent('terminated');
      await dc.evaluateRequest({ expression: '^D', context: 'repl' });
      await terminated;
      assert.equal(out(), 'got 12: hello there\nend 0\n');
    } finally {
      await ad.close();
    }
  });

  it('a built-in program\'s frames open its source (userland/coreutils.c), read-only on disk', async () => {
    const file = scenarioFile('cat.kproc', CAT);
    const ad = await inlineClient(boot);
    const dc = ad.client;
    try {
      const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await launch(dc, { program: file, stopOnEntry: false });
      const stop = await stopped;
      assert.equal(stop.body.reason, 'input');
      const frames = await topFrames(dc, stop.body.threadId ?? 0);
      const user = frames.find((f) => f.name === 'cat_fd');
      assert.ok(user, `a cat_fd frame in ${frames.map((f) => f.name).join(', ')}`);
      assert.equal(user.source?.name, 'coreutils.c');
      const p = user.source?.path ?? '';
      assert.ok(p.endsWith(path.join('userland', 'coreutils.c')), p);
      const lines = fs.readFileSync(p, 'utf8').split('\n');
      assert.match(lines[user.line - 1], /read\(fd, buf/);
    } finally {
      await ad.close();
    }
  });
});
