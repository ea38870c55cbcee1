// A golden DAP transcript of a short session on fork-wait.kproc: any change in what the adapter
// says (stop order, frame names, variable text) shows up as a diff. UPDATE_GOLDEN=1 rewrites it.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { FORK_WAIT, KERNEL_DIR, launch, stdioClient, topFrames } from './harness';
import { Transcript } from './transcript';

const GOLDEN = path.join(__dirname, 'golden', 'fork-wait.dap.txt');

describe('golden DAP transcript: fork-wait.kproc', function () {
  this.timeout(30_000);
  let dc: DebugClient;

  beforeEach(async () => { dc = stdioClient(); await dc.start(); });
  afterEach(() => dc.stop());

  it('matches the recorded conversation', async () => {
    const t = new Transcript(dc, [[path.dirname(FORK_WAIT), '<examples>'], [KERNEL_DIR, '<kernel>']]);
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program: FORK_WAIT, stepGranularity: 'kernel' }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'copy_process' }] }));
    const ev = await stopped;
    const tid = ev.body.threadId;
    await dc.threadsRequest();
    const frames = await topFrames(dc, tid);
    const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
    for (const s of scopes) await dc.variablesRequest({ variablesReference: s.variablesReference });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const out = dc.waitForEvent('stopped');
    await dc.stepOutRequest({ threadId: tid });
    await out;
    await topFrames(dc, tid);
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: tid });
    await ended;
    const text = t.text();
    if (process.env.UPDATE_GOLDEN === '1') {
      fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
      fs.writeFileSync(GOLDEN, text);
    }
    assert.ok(fs.existsSync(GOLDEN), 'no golden transcript yet: run with UPDATE_GOLDEN=1');
    const golden = fs.readFileSync(GOLDEN, 'utf8').split('\n');
    const now = text.split('\n');
    const i = golden.findIndex((l, k) => l !== now[k]);
    const g = golden[i] ?? '';
    const a = now[i] ?? '';
    let c = 0;
    while (c < g.length && g[c] === a[c]) c++;
    const at = Math.max(0, c - 60);
    assert.ok(i < 0 && golden.length === now.length, `transcript differs at line ${i + 1}, column ${c + 1}:\n  expected: ...${g.slice(at, c + 100)}\n  actual:   ...${a.slice(at, c + 100)}\nrerun with UPDATE_GOLDEN=1 if the change is intended`);
  });
});
