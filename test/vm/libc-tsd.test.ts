// Thread-specific data (vm/libc-tsd.ts): keys, per-thread values, and the destructor walk at a
// thread's end (return, pthread_exit, cancellation), not at main's exit.
import { strict as assert } from 'node:assert';
import { scenarioRunner } from './machine-scenario';
import { keyCreate, keyDelete, getSpecific, newTsd, nextDestructor, setSpecific } from '../../sim-core/vm/libc-tsd';
import { newLibcState } from '../../sim-core/vm/libc-state';

const HEAD = `#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <pthread.h>
`;

describe('thread-specific data', () => {
  const run = scenarioRunner('tsd', HEAD);

  it('hands out the lowest free key and reuses a deleted one', () => {
    const s = newTsd();
    assert.deepEqual([keyCreate(s, 0).key, keyCreate(s, 0).key, keyCreate(s, 0).key], [0, 1, 2]);
    assert.equal(keyDelete(s, 1), 0);
    assert.equal(keyDelete(s, 1), 22);
    assert.equal(keyCreate(s, 0).key, 1);
    assert.equal(setSpecific(s, 100, 7, 5), 22);
  });

  it('a value stored under a key that was deleted and made again reads NULL', () => {
    const s = newTsd();
    const k = keyCreate(s, 0).key;
    setSpecific(s, 100, k, 42);
    assert.equal(getSpecific(s, 100, k), 42);
    assert.equal(getSpecific(s, 200, k), 0);
    keyDelete(s, k);
    keyCreate(s, 0);
    assert.equal(getSpecific(s, 100, k), 0);
  });

  it('the destructor walk clears each value, skips NULL destructors, and stops after four rounds', () => {
    const st = newLibcState();
    const a = keyCreate(st.tsd, 'da').key, b = keyCreate(st.tsd, 0).key;
    setSpecific(st.tsd, 1, a, 10);
    setSpecific(st.tsd, 1, b, 20);
    const calls: unknown[] = [];
    for (let d = nextDestructor(st, 1); d !== null; d = nextDestructor(st, 1)) {
      calls.push(d.arg);
      setSpecific(st.tsd, 1, a, (d.arg as number) + 1);
    }
    assert.deepEqual(calls, [10, 11, 12, 13]);
    assert.equal(getSpecific(st.tsd, 1, a), 0);
  });

  it('runs destructors for a cancelled thread and a detached one, never for exit from main', async () => {
    const out = await run('tsd-cancel', `static pthread_key_t k;
      static void d(void *p) { printf("destructor %s\\n", (char *)p); }
      static void *sleeper(void *a) { (void)a; pthread_setspecific(k, "cancelled"); for (;;) sleep(1); return NULL; }
      static void *detached(void *a) { (void)a; pthread_setspecific(k, "detached"); return NULL; }
      int main(void) {
        pthread_key_create(&k, d);
        pthread_t t; void *res;
        pthread_create(&t, NULL, sleeper, NULL);
        usleep(1000); pthread_cancel(t); pthread_join(t, &res);
        printf("joined %d\\n", res == PTHREAD_CANCELED);
        pthread_create(&t, NULL, detached, NULL); pthread_detach(t);
        usleep(100000);
        pthread_setspecific(k, "main");
        exit(0); }`);
    assert.equal(out, 'destructor cancelled\njoined 1\ndestructor detached\n');
  });

  it('the value a start routine returns still reaches pthread_join after the destructors', async () => {
    const out = await run('tsd-result', `static pthread_key_t k;
      static void d(void *p) { printf("d %ld\\n", (long)p); }
      static void *w(void *a) { pthread_setspecific(k, a); return (void *)((long)a * 2); }
      int main(void) {
        pthread_key_create(&k, d);
        pthread_t t; void *res;
        pthread_create(&t, NULL, w, (void *)21); pthread_join(t, &res);
        printf("%ld\\n", (long)res);
        return 0; }`);
    assert.equal(out, 'd 21\n42\n');
  });
});
