// The debugger's signal event filters: 'Signal delivered' stops in the receiving thread when
// get_signal() dequeues the signal (the signal_deliver event), 'Signal sent' when it is generated.
import { strict as assert } from 'node:assert';
import { bootSource, runUntil } from './helpers';
import { EVENT_FILTERS, eventExplanation, eventSummary } from '../../sim-core/debug/events';

const SOURCE = [
  '#include <stdio.h>',
  '#include <stdlib.h>',
  '#include <unistd.h>',
  '#include <signal.h>',
  '#include <sys/wait.h>',
  '',
  'void on_usr1(int sig)',
  '{',
  '    printf("child got %d\\n", sig);',
  '}',
  '',
  'int main(void)',
  '{',
  '    pid_t child = fork();',
  '    if (child == 0) {',
  '        signal(SIGUSR1, on_usr1);',
  '        pause();',
  '        exit(0);',
  '    }',
  '    sleep(1);',
  '    kill(child, SIGUSR1);',
  '    waitpid(child, NULL, 0);',
  '    return 0;',
  '}',
  '',
].join('\n');

describe('machine: the signal event filters', () => {
  it('"Signal delivered" stops in the receiver, in get_signal, after the signal was sent', () => {
    const m = bootSource(SOURCE);
    m.setEventFilters(['signal']);
    const s = runUntil(m, { kind: 'continue' });
    assert.equal(s.reason, 'event');
    assert.ok(s.event && s.event.kind === 'signal_deliver', `stopped on ${s.event?.kind}`);
    assert.deepEqual([s.event.pid, s.event.sig, s.event.action, s.event.handler], [4, 10, 'handler', 'on_usr1']);
    assert.equal(s.pid, 4, 'the receiving task');
    assert.equal(m.stack(4)[0].name, 'get_signal');
    assert.ok(s.events.some((e) => e.kind === 'signal' && e.to === 4 && e.sig === 10), 'the send came first');
    assert.equal(eventSummary(s.event), 'SIGUSR1 delivered to task 4 (handler on_usr1)');
    assert.match(eventExplanation(s.event), /^get_signal\(\) in task 4 dequeued SIGUSR1 \(10\).*The handler on_usr1\(\) runs next/);
  });

  it('"Signal sent" stops at the generation, before any delivery', () => {
    const m = bootSource(SOURCE);
    m.setEventFilters(['signal-sent']);
    let s = runUntil(m, { kind: 'continue' });
    // SIGCHLD and the like come first when they are sent; go on to the scenario's SIGUSR1.
    while (s.reason === 'event' && !(s.event?.kind === 'signal' && s.event.sig === 10)) s = runUntil(m, { kind: 'continue' });
    assert.ok(s.event && s.event.kind === 'signal');
    assert.deepEqual([s.event.from, s.event.to], [3, 4]);
    assert.ok(!s.events.some((e) => e.kind === 'signal_deliver' && e.sig === 10));
    assert.equal(eventSummary(s.event), 'SIGUSR1 sent to task 4 by task 3 (handler)');
    assert.match(eventExplanation(s.event), /^Task 3 sent SIGUSR1 \(10\) to task 4: send_signal_locked\(\) queued it/);
  });

  it('offers both filters, and the delivered one no longer claims to be the send', () => {
    const byId = new Map(EVENT_FILTERS.map((f) => [f.id, f]));
    assert.match(byId.get('signal')?.description ?? '', /get_signal\(\).*signal_deliver/);
    assert.match(byId.get('signal-sent')?.description ?? '', /send_signal_locked\(\).*signal_generate/);
  });
});
