// A contended pthread mutex as the debugger sees it: the second locker stops in futex_wait (called
// from the futex system call, under the C library's pthread_mutex_lock), its row names the lock
// word, and the unlock that wakes it stops in futex_wake.
import assert from 'node:assert/strict';
import { bootSource, runToEnd, runUntil } from './helpers';

const CONTENDED = [
  '#include <pthread.h>', //                           0
  '#include <stdio.h>', //                             1
  '#include <unistd.h>', //                            2
  'pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;', // 3
  'void *taker(void *a)', //                           4
  '{', //                                              5
  '    pthread_mutex_lock(&m);', //                    6
  '    pthread_mutex_unlock(&m);', //                  7
  '    return a;', //                                  8
  '}', //                                              9
  'int main(void)', //                                 10
  '{', //                                              11
  '    pthread_t t;', //                               12
  '    pthread_mutex_lock(&m);', //                    13
  '    pthread_create(&t, NULL, taker, NULL);', //     14
  '    sleep(1);', //                                  15
  '    pthread_mutex_unlock(&m);', //                  16
  '    pthread_join(t, NULL);', //                     17
  '    printf("done\\n");', //                          18
  '    return 0;', //                                  19
  '}', //                                              20
].join('\n');

describe('machine: futex stops', () => {
  it('stops in futex_wait under pthread_mutex_lock, shows the waiter\'s futex, then in futex_wake under the unlock', () => {
    const m = bootSource(CONTENDED);
    m.setFunctionBreakpoints([{ name: 'futex_wait' }]);
    const s = runUntil(m, { kind: 'continue' });
    assert.equal(s.reason, 'function breakpoint');
    assert.equal(s.pid, 4, 'the thread, not main, contends');
    const stack = m.stack(4);
    assert.deepEqual(stack.slice(0, 2).map((f) => f.name), ['futex_wait', '__x64_sys_futex']);
    const user = stack.find((f) => f.kind === 'user');
    assert.ok(user && user.name === 'taker' && user.line === 6, `the user frame waits at the lock: ${JSON.stringify(user)}`);
    assert.equal(m.evaluate('m.__lock', user.id).value, '2', 'the lock word says: locked, with a waiter');
    m.setFunctionBreakpoints([{ name: 'futex_wake' }]);
    const w = runUntil(m, { kind: 'continue' });
    assert.equal(w.reason, 'function breakpoint');
    assert.equal(w.pid, 3);
    const row = m.tasks().find((r) => r.pid === 4);
    assert.ok(row && row.futex !== undefined && row.state === 'S', 'the sleeping thread\'s row names its futex word');
    const mainUser = m.stack(3).find((f) => f.kind === 'user');
    assert.ok(mainUser && mainUser.line === 16, 'main is in its unlock');
    m.setFunctionBreakpoints([]);
    const end = runToEnd(m);
    assert.equal(end.stops[end.stops.length - 1].reason, 'exited');
    assert.equal(m.tasks().find((r) => r.pid === 4), undefined);
  });
});
