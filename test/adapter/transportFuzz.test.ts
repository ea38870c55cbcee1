// A seeded fuzz of the built adapter's transport: random bytes, cut-short and malformed frames,
// oversized and invalid headers, and well-framed requests with random-typed arguments for every
// request, written to one adapter process with a launched scenario. After each case a probe
// request must be answered and the process must still run. Seeds are fixed, so a failure replays.

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { COMMANDS, FIELDS } from './fuzzRequests';
import { FORK_WAIT } from './harness';
import { frame, RawAdapter } from './rawAdapter';

const PROBE_SEQ = 2_000_000;

const anyValue = fc.jsonValue({ maxDepth: 2 });
const args = fc.oneof(
  fc.constant(undefined),
  anyValue,
  fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(anyValue, fc.integer(), fc.constantFrom(1, 2, 3, -1, 4294967296, 1e300))),
);
const request = fc.record({ seq: fc.nat({ max: 1_000_000 }), type: fc.constant('request'), command: fc.constantFrom(...COMMANDS), arguments: args })
  .map((r) => JSON.stringify(r));

const piece: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  request.map((r) => Buffer.from(frame(r))),
  fc.tuple(request, fc.nat()).map(([r, k]) => { const b = Buffer.from(frame(r)); return b.subarray(0, k % b.length); }),
  fc.string({ maxLength: 80 }).map((s) => Buffer.from(frame(s))),
  anyValue.map((v) => Buffer.from(frame(JSON.stringify(v)))),
  fc.oneof(fc.string({ maxLength: 20 }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String))
    .map((v) => Buffer.from(`Content-Length: ${v}\r\n\r\n`)),
  fc.integer({ min: 1, max: 40_000 }).map((n) => Buffer.from(`X-Pad: ${'x'.repeat(n)}`)),
  fc.constantFrom('\r\n', '\r\n\r\n', 'Content-Length:', 'Content-Length: 10\r\n', 'content-length: 3\r\n\r\n', '{"seq":').map((s) => Buffer.from(s)),
);

describe('DAP transport fuzz (built adapter, seeded)', function () {
  this.timeout(120_000);
  let ad: RawAdapter;

  before(async () => {
    ad = new RawAdapter();
    assert.equal((await ad.request(1, 'initialize', { adapterID: 'kproc', pathFormat: 'path' })).success, true);
    assert.equal((await ad.request(2, 'launch', { program: FORK_WAIT, stopOnEntry: true })).success, true);
    assert.equal((await ad.request(3, 'configurationDone')).success, true);
    await ad.waitFor((m) => m.type === 'event' && m.event === 'stopped', 'the entry stop');
  });
  after(() => ad.close());

  it('answers a probe after every case of random input', async () => {
    let probe = PROBE_SEQ;
    await fc.assert(fc.asyncProperty(fc.array(piece, { maxLength: 6 }), async (pieces) => {
      for (const p of pieces) ad.write(p);
      const seq = probe++;
      const r = await ad.request(seq, 'threads');
      assert.equal(r.success, true, JSON.stringify(r));
      assert.equal(ad.exitCode, undefined, 'the adapter is still running');
    }), { seed: 20261205, numRuns: 250, endOnFailure: true });
    const texts = ad.messages.filter((m) => m.type === 'event' && m.event === 'output').map((m) => String(m.body?.output));
    for (const t of texts) assert.doesNotMatch(t, /\n\s+at .*:\d+:\d+/, 'no stack trace reaches the client');
    for (const m of ad.messages) if (m.type === 'response' && !m.success) assert.doesNotMatch(m.message ?? '', /\n\s+at .*:\d+/);
  });
});
