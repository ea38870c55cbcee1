// Going back over the protocol: a DebugClient drives `node dist/adapter.js` over stdio on the fork
// lifecycle scenario, goes to step 1,000,000 with kproc/goto, then times Step Back (statement and
// kernel steps) and a Reverse Continue across the whole run, each from the request to the stopped
// event. Prints figures only. Run after `npm run build`, from the repository root:
//   npx tsx bench/time-travel/dap.ts
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const ROOT = path.resolve(__dirname, '../..');
const PROGRAM = path.join(ROOT, 'bench/lifecycle/lifecycle.kproc');
const STEPS = 1_000_000;
const BACKS = 10;

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

async function timed(dc: DebugClient, send: () => Promise<unknown>): Promise<{ ms: number; stop: DebugProtocol.StoppedEvent }> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const t0 = now();
  await send();
  const stop = await stopped;
  return { ms: now() - t0, stop };
}

async function main(): Promise<void> {
  const dc = new DebugClient('node', path.join(ROOT, 'dist/adapter.js'), 'kproc');
  dc.defaultTimeout = 120_000;
  await dc.start();
  try {
    await dc.initializeRequest({ adapterID: 'kproc', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const entry = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.launchRequest({ program: PROGRAM, stopOnEntry: true, maxSteps: 50_000_000 } as DebugProtocol.LaunchRequestArguments);
    await dc.configurationDoneRequest();
    const tid = (await entry).body.threadId ?? 0;
    const go = await timed(dc, () => dc.customRequest('kproc/goto', { step: STEPS }));
    console.log(`kproc/goto step ${STEPS.toLocaleString('en-US')} (forward, recording the history): ${go.ms.toFixed(0)} ms`);
    for (const granularity of [undefined, 'instruction'] as const) {
      const ms: number[] = [];
      for (let i = 0; i < BACKS; i++) ms.push((await timed(dc, () => dc.stepBackRequest({ threadId: tid, granularity }))).ms);
      const sorted = [...ms].sort((a, b) => a - b);
      console.log(`stepBack (${granularity === undefined ? 'statement' : 'kernel step'}) at step ~${STEPS.toLocaleString('en-US')}, request to stopped event: ` +
        `median ${sorted[BACKS >> 1].toFixed(1)} ms, max ${sorted[BACKS - 1].toFixed(1)} ms (target: at most 50 ms)`);
    }
    // `int status = 0;` (line 18) runs once, before the loop: reverseContinue crosses the whole run.
    await dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 18 }] });
    const rc = await timed(dc, () => dc.reverseContinueRequest({ threadId: tid }));
    const frames = (await dc.stackTraceRequest({ threadId: rc.stop.body.threadId ?? tid, levels: 1 })).body.stackFrames;
    console.log(`reverseContinue across ~${STEPS.toLocaleString('en-US')} steps to ${frames[0]?.name ?? '?'} line ${frames[0]?.line ?? '?'} (${rc.stop.body.reason}): ${rc.ms.toFixed(0)} ms (target: at most 1000 ms)`);
  } finally {
    await dc.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
