// Step latency through the real protocol path: DebugClient drives `node dist/adapter.js` over
// stdio and times each step request from send to the 'stopped' event. Run after `npm run build`:
//   npx tsx bench/dap-latency/run.ts [steps] [granularity]
// A `threads` round trip in the same process is printed as the floor of the transport.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const ROOT = path.resolve(__dirname, '../..');
const ADAPTER = process.env.KPROC_ADAPTER ?? path.join(ROOT, 'dist/adapter.js');
const PROGRAM = path.join(ROOT, 'examples/fork-wait.kproc');
const STEPS = Number(process.argv[2] ?? 10_000);
const GRANULARITY = process.argv[3] === 'statement' ? 'statement' : 'kernel';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summary(name: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `${name.padEnd(28)} n=${String(s.length).padStart(6)}  median ${quantile(s, 0.5).toFixed(3)} ms  p99 ${quantile(s, 0.99).toFixed(3)} ms  mean ${mean.toFixed(3)} ms  max ${s[s.length - 1].toFixed(3)} ms`;
}

async function main(): Promise<void> {
  if (!fs.existsSync(ADAPTER)) throw new Error('dist/adapter.js is missing: run npm run build first');
  const kernelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kproc-bench-'));
  const dc = new DebugClient('node', ADAPTER, 'kproc', { env: { ...process.env, KPROC_KERNEL_SOURCE_DIR: kernelDir } });
  dc.defaultTimeout = 30_000;
  await dc.start();
  let threadId = 0;
  let ended = false;
  let waiter: (() => void) | undefined;
  dc.on('stopped', (e: DebugProtocol.StoppedEvent) => { threadId = e.body.threadId ?? threadId; waiter?.(); });
  dc.on('terminated', () => { ended = true; waiter?.(); });
  const next = () => new Promise<void>((resolve) => { waiter = resolve; });

  await dc.initializeRequest({ adapterID: 'kproc', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const init = dc.waitForEvent('initialized');
  let stop = next();
  await dc.launchRequest({ program: PROGRAM, stopOnEntry: true, stepGranularity: GRANULARITY } as DebugProtocol.LaunchRequestArguments);
  await init;
  await dc.configurationDoneRequest();
  await stop;

  const base: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = process.hrtime.bigint();
    await dc.threadsRequest();
    base.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }

  const steps: number[] = [];
  let runs = 1;
  while (steps.length < STEPS) {
    if (ended) {
      ended = false;
      runs++;
      stop = next();
      await dc.restartRequest({});
      await stop;
      continue;
    }
    stop = next();
    const t0 = process.hrtime.bigint();
    void dc.stepInRequest({ threadId });
    await stop;
    if (!ended) steps.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  await dc.stop();
  fs.rmSync(kernelDir, { recursive: true, force: true });

  console.log(`dap-latency: ${STEPS} step-in requests (${GRANULARITY} granularity) over ${runs} runs of examples/fork-wait.kproc, node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg()[0].toFixed(1)}`);
  console.log(summary('threads round trip (floor)', base));
  console.log(summary('step to stopped event', steps));
  const s = [...steps].sort((a, b) => a - b);
  console.log(`targets: median <= 1 ms ${quantile(s, 0.5) <= 1 ? 'met' : 'MISSED'}, p99 <= 5 ms ${quantile(s, 0.99) <= 5 ? 'met' : 'MISSED'}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
