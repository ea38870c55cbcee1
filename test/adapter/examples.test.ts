// Every example under the session (in-process, real machine): step through it asking what a
// debugger UI asks at each stop, and require that every well-formed request succeeds.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { boot } from '../../sim-core/machine';
import { EVENT_FILTERS } from '../../sim-core/debug/events';
import { inlineClient, launch, ROOT } from './harness';

const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.kproc')).sort();
const STEPS = 30;

/** What VS Code asks after a stop: threads, each stack, the top frame's scopes, one level down. */
async function inspectAll(dc: DebugClient): Promise<number> {
  let requests = 0;
  const threads = (await dc.threadsRequest()).body.threads;
  requests++;
  for (const t of threads) {
    const frames = (await dc.stackTraceRequest({ threadId: t.id, startFrame: 0, levels: 20 })).body.stackFrames;
    requests++;
    if (!frames.length) continue;
    const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
    requests++;
    for (const s of scopes) {
      const vars = (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
      requests++;
      const first = vars.find((v) => v.variablesReference > 0);
      if (first) { await dc.variablesRequest({ variablesReference: first.variablesReference }); requests++; }
    }
  }
  await dc.evaluateRequest({ expression: 'lx-ps', context: 'repl' });
  await dc.evaluateRequest({ expression: 'bt', context: 'repl' });
  return requests + 2;
}

describe('every example, stepped and inspected through the session', function () {
  this.timeout(60_000);

  for (const name of EXAMPLES) {
    it(name, async () => {
      const ad = await inlineClient(boot);
      const dc = ad.client;
      try {
        let ended = false;
        let stop: DebugProtocol.StoppedEvent | undefined;
        const terminated = new Promise<undefined>((resolve) => dc.once('terminated', () => { ended = true; resolve(undefined); }));
        let next = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
        await launch(dc, { program: path.join(ROOT, 'examples', name), stopOnEntry: true, stepGranularity: 'kernel' },
          () => dc.setExceptionBreakpointsRequest({ filters: EVENT_FILTERS.map((f) => f.id) }));
        stop = await next;
        let inspected = 0;
        for (let i = 0; i < STEPS && !ended; i++) {
          inspected += await inspectAll(dc);
          if (stop.body.reason === 'exception') await dc.exceptionInfoRequest({ threadId: stop.body.threadId ?? 0 });
          next = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
          next.catch(() => undefined); // no stop comes when the scenario ends instead
          const tid = stop.body.threadId ?? 0;
          const live = (await dc.threadsRequest()).body.threads.some((t) => t.id === tid);
          if (i % 3 === 2 || !live) await dc.continueRequest({ threadId: tid });
          else await dc.stepInRequest({ threadId: tid });
          const s = await Promise.race([next, terminated]);
          if (!s) break;
          stop = s;
        }
        assert.ok(inspected > 0);
      } finally {
        await ad.close();
      }
    });
  }
});
