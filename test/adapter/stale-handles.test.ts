// Requests for frames and values of an earlier stop, as VS Code sends them when it asks about the
// last stop while the next step is already under way: the built adapter (over stdio) answers them
// as failures that VS Code keeps to itself (showUser false), not as error pop-ups; a bad request
// of the user's own still says so to the user.

import * as assert from 'node:assert/strict';
import { FORK_WAIT } from './harness';
import { RawAdapter, type Msg } from './rawAdapter';

const showUser = (m: Msg): unknown => (m.body?.error as { showUser?: unknown } | undefined)?.showUser;

describe('debug adapter: handles from an earlier stop', function () {
  this.timeout(30_000);
  let ad: RawAdapter;
  beforeEach(() => { ad = new RawAdapter(); });
  afterEach(() => ad.close());

  it('answers scopes, variables and evaluate on stale handles quietly, and a user\'s bad expression aloud', async () => {
    let seq = 1;
    await ad.request(seq++, 'initialize', { adapterID: 'kproc', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const launched = ad.request(seq++, 'launch', { program: FORK_WAIT, stopOnEntry: true });
    await ad.waitFor((m) => m.type === 'event' && m.event === 'initialized', 'initialized');
    await ad.request(seq++, 'configurationDone');
    assert.equal((await launched).success, true);
    const entry = await ad.waitFor((m) => m.type === 'event' && m.event === 'stopped', 'the entry stop');
    const threadId = Number(entry.body?.threadId);
    const stack = await ad.request(seq++, 'stackTrace', { threadId, startFrame: 0, levels: 1 });
    const frameId = Number((stack.body?.stackFrames as Array<{ id: number }>)[0].id);
    const scopes = await ad.request(seq++, 'scopes', { frameId });
    const ref = Number((scopes.body?.scopes as Array<{ variablesReference: number }>)[0].variablesReference);
    assert.ok(ref > 0);

    const stopsBefore = ad.messages.filter((m) => m.type === 'event' && m.event === 'stopped').length;
    await ad.request(seq++, 'next', { threadId });
    await ad.waitFor((m) => m.type === 'event' && m.event === 'stopped' && ad.messages.filter((x) => x.event === 'stopped').length > stopsBefore, 'the stop after next');

    for (const [command, args] of [['scopes', { frameId }], ['variables', { variablesReference: ref }], ['evaluate', { expression: 'current->pid', frameId, context: 'watch' }]] as const) {
      const r = await ad.request(seq++, command, args);
      assert.equal(r.success, false, `${command} on a handle of the last stop`);
      assert.match(String(r.message), /does not exist \(any more\)/);
      assert.equal(showUser(r), false, `${command}: not shown to the user`);
    }
    const bad = await ad.request(seq++, 'evaluate', { expression: 'no_such_thing +', context: 'repl' });
    assert.equal(bad.success, false);
    assert.equal(showUser(bad), true, 'a mistake of the user\'s own is shown');
    assert.deepEqual(ad.complaints(), []);
  });
});
