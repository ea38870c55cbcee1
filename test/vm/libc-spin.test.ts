// pthread spin locks (vm/libc-spin.ts): trylock's EBUSY, mutual exclusion, and a waiter that
// spins on the CPU (its CPU time grows) instead of sleeping.
import { strict as assert } from 'node:assert';
import { scenarioRunner } from './machine-scenario';
import { lookupCall } from '../../sim-core/lang/builtins';

const HEAD = `#include <stdio.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
`;

describe('pthread spin locks', () => {
  const run = scenarioRunner('spin', HEAD);

  it('trylock says EBUSY while the lock is held and takes it when free', async () => {
    const out = await run('spin-try', `int main(void) {
      pthread_spinlock_t l; pthread_spin_init(&l, PTHREAD_PROCESS_PRIVATE);
      int a = pthread_spin_trylock(&l), b = pthread_spin_trylock(&l);
      pthread_spin_unlock(&l);
      int c = pthread_spin_trylock(&l);
      printf("%d %d %d %d\\n", a, b == EBUSY, c, pthread_spin_destroy(&l));
      return 0; }`);
    assert.equal(out, '0 1 0 0\n');
  });

  it('a waiter spins on the CPU until the holder unlocks', async () => {
    const out = await run('spin-wait', `static pthread_spinlock_t l;
      static void *waiter(void *a) {
        (void)a;
        pthread_spin_lock(&l);
        struct timespec ts; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        printf("waiter got it after %ld ms of CPU\\n", (ts.tv_sec * 1000 + ts.tv_nsec / 1000000) / 100 * 100);
        pthread_spin_unlock(&l);
        return NULL; }
      int main(void) {
        pthread_spin_init(&l, 0);
        pthread_spin_lock(&l);
        pthread_t t; pthread_create(&t, NULL, waiter, NULL);
        usleep(300000);
        printf("main unlocks\\n");
        pthread_spin_unlock(&l);
        pthread_join(t, NULL);
        return 0; }`);
    assert.equal(out, 'main unlocks\nwaiter got it after 300 ms of CPU\n');
  });

  it('the catalogue knows the spin lock and thread-specific data calls', () => {
    for (const n of ['pthread_spin_init', 'pthread_spin_lock', 'pthread_spin_trylock', 'pthread_spin_unlock', 'pthread_spin_destroy',
      'pthread_key_create', 'pthread_key_delete', 'pthread_setspecific', 'pthread_getspecific']) assert.equal(lookupCall(n)?.convention, 'direct', n);
  });
});
