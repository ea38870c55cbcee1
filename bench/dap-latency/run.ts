// Step latency through the real protocol path: a DebugClient drives `node dist/adapter.js` over
// stdio and times each step request from send to the 'stopped' event. Run after `npm run build`:
//   npx tsx bench/dap-latency/run.ts [steps] [kernel|statement]
//
// Side by side with vscode-mock-debug (the sample adapter of the public repository
// github.com/microsoft/vscode-mock-debug): clone that repository anywhere outside this one, run
// `npm install` and `npx tsc -p ./` in it (this builds out/debugAdapter.js), then
//   MOCK_DEBUG_ADAPTER=<its clone>/out/debugAdapter.js npx tsx bench/dap-latency/run.ts
// Both adapters run in this process through the same DebugClient class and the same step loop,
// in alternating rounds (timing on a shared machine drifts over seconds), stepping in: kproc
// through examples/fork-wait.kproc (restarted when it ends), mock-debug through a generated text
// file (its step-in moves one column). A `threads` round trip of each is printed as the floor of
// its transport.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const ROOT = path.resolve(__dirname, '../..');
const ADAPTER = process.env.KPROC_ADAPTER ?? path.join(ROOT, 'dist/adapter.js');
const MOCK = process.env.MOCK_DEBUG_ADAPTER;
const PROGRAM = path.join(ROOT, 'examples/fork-wait.kproc');
const STEPS = Number(process.argv[2] ?? 10_000);
const GRANULARITY = process.argv[3] === 'statement' ? 'statement' : 'kernel';
/** Steps per round; the adapters take turns round by round. */
const ROUND = 500;
const TARGET_P50 = 1;
const TARGET_P99 = 3;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface Figures { p50: number; p99: number; mean: number; max: number; n: number }

function figures(ms: number[]): Figures {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), mean: s.reduce((a, b) => a + b, 0) / s.length, max: s[s.length - 1], n: s.length };
}

function line(name: string, f: Figures): string {
  return `${name.padEnd(34)} n=${String(f.n).padStart(6)}  p50 ${f.p50.toFixed(3)} ms  p99 ${f.p99.toFixed(3)} ms  mean ${f.mean.toFixed(3)} ms  max ${f.max.toFixed(3)} ms`;
}

/** One adapter under test: started, launched and stopped, ready to step. */
class Target {
  readonly steps: number[] = [];
  readonly floor: number[] = [];
  private threadId = 0;
  private ended = false;
  private waiter: (() => void) | undefined;
  runs = 1;

  constructor(readonly name: string, readonly dc: DebugClient, private readonly launchArgs: DebugProtocol.LaunchRequestArguments) {
    dc.defaultTimeout = 30_000;
    dc.on('stopped', (e: DebugProtocol.StoppedEvent) => { this.threadId = e.body.threadId ?? this.threadId; this.waiter?.(); });
    dc.on('terminated', () => { this.ended = true; this.waiter?.(); });
  }

  private next(): Promise<void> {
    return new Promise<void>((resolve) => { this.waiter = resolve; });
  }

  async start(adapterID: string): Promise<void> {
    await this.dc.start();
    // kproc sends 'initialized' after launch, mock-debug after initialize: wait from the start.
    const init = this.dc.waitForEvent('initialized');
    await this.dc.initializeRequest({ adapterID, linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const stop = this.next();
    await this.dc.launchRequest(this.launchArgs);
    await init;
    await this.dc.configurationDoneRequest();
    await stop;
  }

  async threadsFloor(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      await this.dc.threadsRequest();
      this.floor.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }

  /** `n` step-in requests, each timed from send to its stopped event (a run's end restarts it). */
  async round(n: number): Promise<void> {
    let done = 0;
    while (done < n) {
      if (this.ended) {
        this.ended = false;
        this.runs++;
        const stop = this.next();
        await this.dc.restartRequest({});
        await stop;
        continue;
      }
      const stop = this.next();
      const t0 = process.hrtime.bigint();
      void this.dc.stepInRequest({ threadId: this.threadId });
      await stop;
      if (!this.ended) { this.steps.push(Number(process.hrtime.bigint() - t0) / 1e6); done++; }
    }
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(ADAPTER)) throw new Error('dist/adapter.js is missing: run npm run build first');
  if (MOCK !== undefined && !fs.existsSync(MOCK)) throw new Error(`MOCK_DEBUG_ADAPTER names no file: ${MOCK}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kproc-bench-'));
  const targets: Target[] = [];
  try {
    const kproc = new Target('kproc', new DebugClient('node', ADAPTER, 'kproc', { env: { ...process.env, KPROC_KERNEL_SOURCE_DIR: tmp } }),
      { program: PROGRAM, stopOnEntry: true, stepGranularity: GRANULARITY } as DebugProtocol.LaunchRequestArguments);
    await kproc.start('kproc');
    targets.push(kproc);
    if (MOCK !== undefined) {
      const text = path.join(tmp, 'steps.md');
      fs.writeFileSync(text, `${Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(STEPS)}`).join('\n')}\n`);
      const mock = new Target('mock-debug', new DebugClient('node', MOCK, 'mock'), { program: text, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments);
      await mock.start('mock');
      targets.push(mock);
    }
    for (const t of targets) await t.threadsFloor(2000);
    while (targets.some((t) => t.steps.length < STEPS)) {
      for (const t of targets) if (t.steps.length < STEPS) await t.round(Math.min(ROUND, STEPS - t.steps.length));
    }
  } finally {
    for (const t of targets) await t.dc.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  console.log(`dap-latency: ${STEPS} step-in requests per adapter (kproc at ${GRANULARITY} granularity, ${targets[0].runs} runs of examples/fork-wait.kproc), rounds of ${ROUND} taken in turn, node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg()[0].toFixed(1)}`);
  const all = targets.map((t) => ({ name: t.name, step: figures(t.steps), floor: figures(t.floor) }));
  for (const a of all) console.log(line(`${a.name}: threads round trip (floor)`, a.floor));
  for (const a of all) console.log(line(`${a.name}: step to stopped event`, a.step));
  const k = all[0].step;
  const targetsMet = `p50 <= ${TARGET_P50} ms ${k.p50 <= TARGET_P50 ? 'met' : 'MISSED'}, p99 <= ${TARGET_P99} ms ${k.p99 <= TARGET_P99 ? 'met' : 'MISSED'}`;
  if (all.length > 1) {
    const m = all[1].step;
    console.log(`kproc / mock-debug: p50 ${(k.p50 / m.p50).toFixed(2)}x, p99 ${(k.p99 / m.p99).toFixed(2)}x (below 1: kproc is faster)`);
    console.log(`targets: ${targetsMet}, faster than mock-debug at p50 ${k.p50 < m.p50 ? 'met' : 'MISSED'}, at p99 ${k.p99 < m.p99 ? 'met' : 'MISSED'}`);
  } else {
    console.log(`targets: ${targetsMet}`);
    console.log('mock-debug not measured: set MOCK_DEBUG_ADAPTER to its built out/debugAdapter.js (see the comment at the top of this file)');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
