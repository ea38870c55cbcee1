// Bad input is normal input: thousands of random and malformed requests, each answered, and the
// adapter still serving afterwards (scripted machine here; the real one in fork-wait.test.ts).

import * as assert from 'node:assert/strict';
import { fakeBoot } from './fakeMachine';
import { FAKE_SCENARIO } from './fakeScript';
import { fuzz } from './fuzzRequests';
import { inlineClient, launch, scenarioFile } from './harness';

describe('adapter robustness (scripted machine)', function () {
  this.timeout(60_000);

  it('answers 3000 random requests and still lists threads', async () => {
    const ad = await inlineClient(fakeBoot);
    try {
      const dc = ad.client;
      const stopped = dc.waitForEvent('stopped');
      await launch(dc, { program: scenarioFile('fake.kproc', FAKE_SCENARIO), stopOnEntry: true });
      await stopped;
      const r = await fuzz(dc, 3000, 12345);
      assert.equal(r.ok + r.failed, 3000, 'every request answered');
      assert.ok(r.failed > 1000, `most random requests are refused (${r.failed})`);
      const answer = await dc.threadsRequest();
      assert.equal(answer.success, true);
      assert.ok(Array.isArray(answer.body.threads));
    } finally {
      await ad.close();
    }
  });
});
