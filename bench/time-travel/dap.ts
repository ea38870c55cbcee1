// Time travel through the real protocol path: a DebugClient drives `node dist/adapter.js` over
// stdio on the fork lifecycle scenario, goes to step 1,000,000 (kproc/goto), then times each
// stepBack request from send to its 'stopped' event, and one reverseContinue back across the
// whole run to a breakpoint only the start hits. Run after `npm run build`:
//   npx tsx bench/time-travel/dap.ts [backs]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const ROOT = path.resolve(__dirname, '../..');
const ADAPTER = path.join(ROOT, 'dist/adapter.js');
const PROGRAM = path.join(ROOT, 'bench/lifecycle/lifecycle.kproc');
const BACKS = Number(process.argv[2] ?? 20);
const AT = 1_000_000;

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  if (!fs.existsSync(ADAPTER)) throw new Error('dist/adapter.js is missing: run npm run build first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kproc-bench-'));
  const dc = new DebugClient('node', ADAPTER, 'kproc', { env: { ...process.env, KPROC_KERNEL_SOURCE_DIR: tmp } });
  dc.defaultTimeout = 120_000;
  let threadId = 0;
  dc.on('stopped', (e: DebugProtocol.StoppedEvent) => { threadId = e.body.threadId ?? threadId; });
  try {
    await dc.start();
    const init = dc.waitForEvent('initialized');
    await dc.initializeRequest({ adapterID: 'kproc', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    let stop = dc.waitForEvent('stopped');
    await dc.launchRequest({ program: PROGRAM, stopOnEntry: true, maxSteps: 50_000_000 } as DebugProtocol.LaunchRequestArguments);
    await init;
    await dc.configurationDoneRequest();
    await stop;
    const main = threadId;
    stop = dc.waitForEvent('stopped');
    let t0 = process.hrtime.bigint();
    await dc.customRequest('kproc/goto', { step: AT });
    await stop;
    console.log(`kproc/goto step ${AT.toLocaleString('en-US')} (forward, history recorded): ${ms(t0).toFixed(0)} ms`);
    const backs: number[] = [];
    for (let i = 0; i < BACKS; i++) {
      stop = dc.waitForEvent('stopped');
      t0 = process.hrtime.bigint();
      void dc.stepBackRequest({ threadId: main });
      await stop;
      backs.push(ms(t0));
    }
    const sorted = [...backs].sort((a, b) => a - b);
    console.log(`stepBack at step ~${AT.toLocaleString('en-US')}, ${BACKS} in a row, send to stopped: first ${backs[0].toFixed(1)} ms, median ${sorted[sorted.length >> 1].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (target: at most 50 ms)`);
    // A breakpoint on `int status = 0;` (line 18): its only hit is at the start, ~1,000,000 steps back.
    await dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: 18 }] });
    stop = dc.waitForEvent('stopped');
    t0 = process.hrtime.bigint();
    void dc.reverseContinueRequest({ threadId: main });
    const s = await stop;
    console.log(`reverseContinue across ~${AT.toLocaleString('en-US')} steps to the start's breakpoint (${String(s.body.reason)}): ${ms(t0).toFixed(0)} ms (target: at most 1000 ms); load average ${os.loadavg()[0].toFixed(1)}`);
  } finally {
    await dc.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => { console.error(e instanceof Error ? e.message : String(e)); process.exit(1); });
