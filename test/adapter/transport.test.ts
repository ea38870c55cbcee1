// The adapter's transport survives its peer: each kind of malformed frame is answered (an error
// response when the request can be named, else a line on stderr) and the next well-formed request
// is answered as usual, in the frame reader alone and in the built adapter process.

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { FrameReader, MAX_BODY_BYTES, type FrameProblem } from '../../extension/adapter/transport';
import { frame, RawAdapter } from './rawAdapter';

const PROBE = { seq: 424242, type: 'request', command: 'threads' };

interface Case { name: string; bytes: string | Buffer; answer: 'response' | 'output' }

const CASES: Case[] = [
  { name: 'invalid JSON', bytes: frame('{"seq": 1, "type": "req'), answer: 'response' },
  { name: 'invalid JSON without a seq', bytes: frame('{bad json'), answer: 'output' },
  { name: 'a null body', bytes: frame('null'), answer: 'output' },
  { name: 'a number body', bytes: frame('42'), answer: 'output' },
  { name: 'an array body', bytes: frame('[1, 2]'), answer: 'output' },
  { name: 'a string body', bytes: frame('"threads"'), answer: 'output' },
  { name: 'a request without command', bytes: frame({ seq: 7, type: 'request' }), answer: 'response' },
  { name: 'a numeric command', bytes: frame({ seq: 8, type: 'request', command: 12 }), answer: 'response' },
  { name: 'a request without seq', bytes: frame({ type: 'request', command: 'threads' }), answer: 'output' },
  { name: 'a string seq', bytes: frame({ seq: '9', type: 'request', command: 'threads' }), answer: 'output' },
  { name: 'arguments that are not an object', bytes: frame({ seq: 10, type: 'request', command: 'threads', arguments: 5 }), answer: 'response' },
  { name: 'null arguments', bytes: frame({ seq: 11, type: 'request', command: 'stackTrace', arguments: null }), answer: 'response' },
  { name: 'no type', bytes: frame({ seq: 12, command: 'threads' }), answer: 'response' },
  { name: 'an event from the client', bytes: frame({ seq: 13, type: 'event', event: 'stopped' }), answer: 'output' },
  { name: 'Content-Length: abc', bytes: 'Content-Length: abc\r\n\r\n{}', answer: 'output' },
  { name: 'a negative Content-Length', bytes: 'Content-Length: -5\r\n\r\n{}', answer: 'output' },
  { name: 'a huge Content-Length', bytes: 'Content-Length: 99999999999999\r\n\r\n{}', answer: 'output' },
  { name: 'a Content-Length just over the limit', bytes: `Content-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`, answer: 'output' },
  { name: 'a header without Content-Length', bytes: 'Content-Type: application/json\r\n\r\n{}', answer: 'output' },
  { name: 'garbage before a header', bytes: 'hello there', answer: 'output' },
  { name: 'an oversized header', bytes: `X-Junk: ${'x'.repeat(100_000)}`, answer: 'output' },
  { name: 'a frame cut short', bytes: 'Content-Length: 500\r\n\r\n{"seq": 14, "type": "request", "command": "thr', answer: 'response' },
  { name: 'an empty body', bytes: 'Content-Length: 0\r\n\r\n', answer: 'output' },
  { name: 'bytes that are not UTF-8', bytes: Buffer.concat([Buffer.from('Content-Length: 4\r\n\r\n'), Buffer.from([0xff, 0xfe, 0x00, 0x80])]), answer: 'output' },
];

function reader(): { r: FrameReader; messages: Array<Record<string, unknown>>; problems: FrameProblem[] } {
  const messages: Array<Record<string, unknown>> = [];
  const problems: FrameProblem[] = [];
  return { r: new FrameReader({ message: (m) => messages.push(m), problem: (p) => problems.push(p) }), messages, problems };
}

describe('DAP transport: the frame reader', () => {
  for (const c of CASES) {
    it(`reports ${c.name} and reads the next frame`, () => {
      const { r, messages, problems } = reader();
      r.push(Buffer.from(c.bytes));
      r.push(Buffer.from(frame(PROBE)));
      assert.ok(problems.length >= 1, 'the problem is reported');
      assert.deepEqual(messages, [PROBE]);
      if (c.answer === 'response') assert.equal(typeof problems[0].seq, 'number', 'the request is named');
    });
  }

  it('reads the same frames whatever the chunking (seeded)', () => {
    const stream = Buffer.concat([...CASES.map((c) => Buffer.from(c.bytes)), Buffer.from(frame(PROBE))]);
    const whole = reader();
    whole.r.push(stream);
    fc.assert(fc.property(fc.array(fc.nat(stream.length), { maxLength: 40 }), (cuts) => {
      const parts = reader();
      const at = [0, ...cuts.sort((a, b) => a - b), stream.length];
      for (let i = 1; i < at.length; i++) parts.r.push(stream.subarray(at[i - 1], at[i]));
      assert.deepEqual(parts.messages, whole.messages);
    }), { seed: 19, numRuns: 60 });
    assert.deepEqual(whole.messages.at(-1), PROBE);
  });

  it('keeps a bounded buffer while garbage streams in', () => {
    const { r, messages, problems } = reader();
    const junk = Buffer.alloc(1 << 20, 'x');
    for (let i = 0; i < 64; i++) r.push(junk);
    r.push(Buffer.from(frame(PROBE)));
    assert.deepEqual(messages, [PROBE]);
    assert.equal(problems.length, 1, `one report for one run of garbage: ${problems.map((p) => p.message).join(' | ')}`);
  });

  it('takes a large body that arrives in small chunks', () => {
    const { r, messages } = reader();
    const big = { ...PROBE, arguments: { text: 'y'.repeat(4 << 20) } };
    const bytes = Buffer.from(frame(big));
    for (let i = 0; i < bytes.length; i += 4096) r.push(bytes.subarray(i, i + 4096));
    assert.equal(messages.length, 1);
    assert.equal((messages[0].arguments as { text: string }).text.length, 4 << 20);
  });
});

describe('DAP transport: the built adapter survives malformed frames', function () {
  this.timeout(60_000);
  let ad: RawAdapter;

  before(async () => {
    ad = new RawAdapter();
    const init = await ad.request(1, 'initialize', { adapterID: 'kproc', pathFormat: 'path' });
    assert.equal(init.success, true);
  });
  after(() => ad.close());

  CASES.forEach((c, i) => {
    it(`answers ${c.name}, then the next request`, async () => {
      const from = ad.messages.length;
      ad.write(c.bytes);
      const seq = 1000 + i;
      const probe = await ad.request(seq, 'threads');
      assert.equal(probe.success, true, JSON.stringify(probe));
      const said = ad.complaints(from);
      const refused = ad.messages.slice(from).filter((m) => m.type === 'response' && m.success === false && m.request_seq !== seq);
      if (c.answer === 'output') assert.ok(said.length >= 1, `a line on stderr names the problem: ${JSON.stringify(ad.messages.slice(from))}`);
      else assert.ok(refused.length >= 1 && /Malformed request/.test(refused[0].message ?? ''), `an error response: ${JSON.stringify(ad.messages.slice(from))}`);
      for (const s of said) assert.doesNotMatch(s, /\n\s+at /, 'no stack trace');
      assert.equal(ad.exitCode, undefined, 'the adapter is still running');
    });
  });
});
