// Threads that synchronise: mutexes, condition variables, semaphores and barriers of the C library,
// words in user memory with the futex system call only when a thread sleeps or wakes another.

import assert from 'node:assert/strict';
import { taskRow } from '../../sim-core/machine/inspect';
import { bootSource, HEADERS, outputOf, runSource } from './vm-run';

const SYNC_HEADERS = `${HEADERS}\n#include <semaphore.h>`;

/** Two threads add 100000 each to a shared counter, on two CPUs, with or without a mutex. */
function counterSource(locked: boolean): string {
  return `${SYNC_HEADERS}
#pragma kproc cpus 2
long counter = 0;
pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void *worker(void *arg)
{
    for (int i = 0; i < 100000; i++) {
        ${locked ? 'pthread_mutex_lock(&lock);' : ''}
        counter++;
        ${locked ? 'pthread_mutex_unlock(&lock);' : ''}
    }
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("%ld\\n", counter);
    return 0;
}
`;
}

/** Ticks the engine to the end; counts the ticks at which some task is inside the named kernel function. */
function runCounting(src: string, fn: string, maxTicks = 3_000_000): { out: string; seen: number; clock: number } {
  const e = bootSource(src);
  let seen = 0;
  for (let i = 0; i < maxTicks && !e.finished(); i++) {
    e.tick();
    if (e.k.allTasks().some((t) => t.stack.some((f) => f.fn.name === fn))) seen++;
  }
  assert.ok(e.finished(), 'the run ended');
  return { out: outputOf(e), seen, clock: e.k.clock };
}

describe('kernel: thread synchronisation', () => {
  it('the race: two threads lose updates without a mutex, the same number for the same seed; with one the count is exact', () => {
    const bare1 = runSource(counterSource(false));
    const bare2 = runSource(counterSource(false));
    const lost = Number(bare1.out.trim());
    assert.ok(lost < 200000 && lost > 100000, `updates were lost: ${lost}`);
    assert.equal(bare2.out, bare1.out, 'the interleaving is a function of the seed');
    const locked = runCounting(counterSource(true), 'futex_wait');
    assert.equal(locked.out, '200000\n');
    assert.ok(locked.seen > 0, 'contended locks slept in futex_wait');
  });

  it('an uncontended mutex never enters the kernel; a contended one marks its word 2 and wakes through futex_wake', () => {
    const one = runCounting(`${SYNC_HEADERS}
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int main(void)
{
    for (int i = 0; i < 1000; i++) { pthread_mutex_lock(&m); pthread_mutex_unlock(&m); }
    printf("lock word %d owner %d\\n", m.__lock, m.__owner);
    return 0;
}
`, '__x64_sys_futex');
    assert.equal(one.out, 'lock word 0 owner 0\n');
    assert.equal(one.seen, 0, 'no futex system call');
    const two = runCounting(`${SYNC_HEADERS}
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void *taker(void *a)
{
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    return a;
}
int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&m);
    pthread_create(&t, NULL, taker, NULL);
    sleep(1);
    printf("held: word %d\\n", m.__lock);
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    printf("after: word %d\\n", m.__lock);
    return 0;
}
`, 'futex_wait');
    assert.equal(two.out, 'held: word 2\nafter: word 0\n');
    assert.ok(two.seen > 0, 'the second locker slept in futex_wait');
  });

  it('trylock, error-checking and recursive mutexes answer with glibc\'s error numbers', () => {
    const { out } = runSource(`${SYNC_HEADERS}
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t e, r;

void *other(void *a)
{
    int t1 = pthread_mutex_trylock(&m) == EBUSY, t2 = pthread_mutex_unlock(&e) == EPERM, t3 = pthread_mutex_unlock(&r) == EPERM;
    printf("other trylock %d unlock(errorcheck) %d unlock(recursive) %d\\n", t1, t2, t3);
    return a;
}

int main(void)
{
    pthread_mutexattr_t at;
    pthread_t t;
    int type;
    pthread_mutexattr_init(&at);
    printf("settype bad %d\\n", pthread_mutexattr_settype(&at, 7) == EINVAL);
    pthread_mutexattr_settype(&at, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutexattr_gettype(&at, &type);
    pthread_mutex_init(&e, &at);
    pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&r, &at);
    pthread_mutexattr_destroy(&at);
    int a1 = pthread_mutex_trylock(&m), a2 = pthread_mutex_trylock(&m) == EBUSY;
    printf("type %d trylock %d again %d\\n", type, a1, a2);
    int b1 = pthread_mutex_unlock(&e) == EPERM, b2 = pthread_mutex_lock(&e), b3 = pthread_mutex_lock(&e) == EDEADLK;
    printf("errorcheck unlock free %d lock %d relock %d\\n", b1, b2, b3);
    int c1 = pthread_mutex_lock(&r), c2 = pthread_mutex_lock(&r), c3 = pthread_mutex_trylock(&r);
    printf("recursive %d %d %d count %u\\n", c1, c2, c3, r.__count);
    pthread_create(&t, NULL, other, NULL);
    pthread_join(t, NULL);
    int u1 = pthread_mutex_unlock(&r), u2 = pthread_mutex_unlock(&r), u3 = pthread_mutex_unlock(&r), word = r.__lock;
    printf("recursive unlocks %d %d %d word %d, fourth %d\\n", u1, u2, u3, word, pthread_mutex_unlock(&r) == EPERM);
    printf("destroy busy %d\\n", pthread_mutex_destroy(&m) == EBUSY);
    pthread_mutex_unlock(&m);
    printf("destroy %d\\n", pthread_mutex_destroy(&m));
    return 0;
}
`);
    assert.equal(out, [
      'settype bad 1', 'type 2 trylock 0 again 1', 'errorcheck unlock free 1 lock 0 relock 1', 'recursive 0 0 0 count 3',
      'other trylock 1 unlock(errorcheck) 1 unlock(recursive) 1', 'recursive unlocks 0 0 0 word 0, fourth 1',
      'destroy busy 1', 'destroy 0', '',
    ].join('\n'));
  });

  it('a condition variable hands items from a producer to a consumer in order through a bounded buffer', () => {
    const { out } = runSource(`${SYNC_HEADERS}
#pragma kproc cpus 2
int buf[2], count, in, out;
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t notfull = PTHREAD_COND_INITIALIZER, notempty = PTHREAD_COND_INITIALIZER;

void *producer(void *a)
{
    for (int i = 1; i <= 6; i++) {
        pthread_mutex_lock(&m);
        while (count == 2) pthread_cond_wait(&notfull, &m);
        buf[in] = i * 10; in = (in + 1) % 2; count++;
        pthread_cond_signal(&notempty);
        pthread_mutex_unlock(&m);
    }
    return a;
}

int main(void)
{
    pthread_t p;
    pthread_create(&p, NULL, producer, NULL);
    for (int i = 0; i < 6; i++) {
        pthread_mutex_lock(&m);
        while (count == 0) pthread_cond_wait(&notempty, &m);
        printf("%d ", buf[out]); out = (out + 1) % 2; count--;
        pthread_cond_signal(&notfull);
        pthread_mutex_unlock(&m);
    }
    pthread_join(p, NULL);
    printf("\\n");
    return 0;
}
`);
    assert.equal(out, '10 20 30 40 50 60 \n');
  });

  it('pthread_cond_timedwait gives ETIMEDOUT at its deadline in virtual time, holding the mutex again', () => {
    const r = runCounting(`${SYNC_HEADERS}
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t c = PTHREAD_COND_INITIALIZER;
int main(void)
{
    struct timespec ts;
    ts.tv_sec = 2; ts.tv_nsec = 500000000;
    pthread_mutex_lock(&m);
    int r = pthread_cond_timedwait(&c, &m, &ts);
    printf("%d owner %d busy %d\\n", r == ETIMEDOUT, m.__owner == gettid(), pthread_mutex_trylock(&m) == EBUSY);
    ts.tv_nsec = 1000000000;
    printf("bad %d\\n", pthread_cond_timedwait(&c, &m, &ts) == EINVAL);
    return 0;
}
`, 'futex_wait');
    assert.equal(r.out, '1 owner 1 busy 1\nbad 1\n');
    assert.ok(r.clock >= 2.5e9 && r.clock < 2.6e9, `the clock reached the deadline: ${r.clock}`);
  });

  it('a condition variable timed on CLOCK_MONOTONIC waits without FUTEX_CLOCK_REALTIME; sem_timedwait times out on CLOCK_REALTIME', () => {
    const e = bootSource(`${SYNC_HEADERS}
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t c;
sem_t s;
int main(void)
{
    pthread_condattr_t ca;
    struct timespec ts = { 1, 0 };
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c, &ca);
    pthread_mutex_lock(&m);
    int r = pthread_cond_timedwait(&c, &m, &ts);
    sem_init(&s, 0, 0);
    ts.tv_sec = 3;
    int q = sem_timedwait(&s, &ts);
    printf("%d %d %d\\n", r == ETIMEDOUT, q, errno == ETIMEDOUT);
    return 0;
}
`);
    const ops: number[] = [];
    for (let i = 0; i < 1_000_000 && !e.finished(); i++) {
      e.tick();
      for (const t of e.k.allTasks()) {
        const f = t.stack.find((x) => x.fn.name === '__x64_sys_futex');
        const op = f ? (f.locals as { op: number }).op : -1;
        if (op >= 0 && ops[ops.length - 1] !== op) ops.push(op);
      }
    }
    assert.equal(outputOf(e), '1 -1 1\n');
    // FUTEX_WAIT_BITSET (9) | FUTEX_PRIVATE_FLAG (128), then | FUTEX_CLOCK_REALTIME (256) for the semaphore.
    assert.deepEqual(ops, [9 | 128, 9 | 128 | 256]);
    assert.ok(e.k.clock >= 3e9 && e.k.clock < 3.1e9, `the clock reached the second deadline: ${e.k.clock}`);
  });

  it('broadcast wakes every waiter; signal with nobody waiting is not remembered', () => {
    const { out } = runSource(`${SYNC_HEADERS}
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t c = PTHREAD_COND_INITIALIZER;
int go, woke;
void *waiter(void *a)
{
    pthread_mutex_lock(&m);
    while (!go) pthread_cond_wait(&c, &m);
    woke++;
    pthread_mutex_unlock(&m);
    return a;
}
int main(void)
{
    pthread_t t[3];
    pthread_cond_signal(&c);
    for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, waiter, NULL);
    sleep(1);
    printf("waiting %u\\n", c.__nwaiters);
    pthread_mutex_lock(&m);
    go = 1;
    pthread_cond_broadcast(&c);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    printf("woke %d\\n", woke);
    return 0;
}
`);
    assert.equal(out, 'waiting 3\nwoke 3\n');
  });

  it('semaphores order threads; sem_trywait fails with EAGAIN; sem_getvalue reads the count', () => {
    const { out } = runSource(`${SYNC_HEADERS}
#pragma kproc cpus 2
sem_t s1, s2, s3;
void *second(void *a) { sem_wait(&s2); printf("second\\n"); sem_post(&s3); return a; }
void *first(void *a) { sem_wait(&s1); printf("first\\n"); sem_post(&s2); return a; }
int main(void)
{
    pthread_t a, b;
    int v;
    sem_init(&s1, 0, 0); sem_init(&s2, 0, 0); sem_init(&s3, 0, 0);
    pthread_create(&b, NULL, second, NULL);
    pthread_create(&a, NULL, first, NULL);
    sleep(1);
    int tw = sem_trywait(&s3);
    printf("trywait %d %d\\n", tw, errno == EAGAIN);
    sem_post(&s1);
    sem_wait(&s3);
    printf("third\\n");
    sem_post(&s3); sem_post(&s3);
    sem_getvalue(&s3, &v);
    int bad = sem_init(&s1, 0, -1);
    printf("value %d init %d %d\\n", v, bad, errno == EINVAL);
    pthread_join(a, NULL); pthread_join(b, NULL);
    sem_destroy(&s1);
    return 0;
}
`);
    assert.equal(out, 'trywait -1 1\nfirst\nsecond\nthird\nvalue 2 init -1 1\n');
  });

  it('a barrier lets threads through together and gives PTHREAD_BARRIER_SERIAL_THREAD to one per round', () => {
    const { out } = runSource(`${SYNC_HEADERS}
pthread_barrier_t b;
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int arrived, serial;
void *worker(void *a)
{
    for (int round = 0; round < 2; round++) {
        pthread_mutex_lock(&m); arrived++; pthread_mutex_unlock(&m);
        int r = pthread_barrier_wait(&b);
        if (r == PTHREAD_BARRIER_SERIAL_THREAD) { serial++; printf("round %d: %d arrived\\n", round, arrived); }
        else if (r != 0) printf("error %d\\n", r);
        pthread_barrier_wait(&b);
    }
    return a;
}
int main(void)
{
    pthread_t t[3];
    printf("count 0: %d\\n", pthread_barrier_init(&b, NULL, 0) == EINVAL);
    pthread_barrier_init(&b, NULL, 3);
    for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    printf("serial %d\\n", serial);
    pthread_barrier_destroy(&b);
    return 0;
}
`);
    assert.equal(out, 'count 0: 1\nround 0: 3 arrived\nround 1: 6 arrived\nserial 2\n');
  });

  it('detached threads: from the attributes or pthread_detach; joining one fails with EINVAL', () => {
    const { out } = runSource(`${SYNC_HEADERS}
sem_t done;
void *worker(void *a) { sem_post(&done); return a; }
int main(void)
{
    pthread_attr_t attr;
    pthread_t t, u;
    int st;
    sem_init(&done, 0, 0);
    pthread_attr_init(&attr);
    printf("bad %d\\n", pthread_attr_setdetachstate(&attr, 5) == EINVAL);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_getdetachstate(&attr, &st);
    pthread_create(&t, &attr, worker, NULL);
    pthread_attr_destroy(&attr);
    sem_wait(&done);
    printf("state %d join %d\\n", st, pthread_join(t, NULL) == EINVAL);
    pthread_create(&u, NULL, worker, NULL);
    int first = pthread_detach(u);
    printf("detach %d again %d\\n", first, pthread_detach(u) == EINVAL);
    sem_wait(&done);
    return 0;
}
`);
    assert.equal(out, 'bad 1\nstate 1 join 1\ndetach 0 again 1\n');
  });

  it('pthread_once runs the routine once; callers that come while it runs sleep until it returns', () => {
    const r = runCounting(`${SYNC_HEADERS}
#pragma kproc cpus 2
pthread_once_t once = PTHREAD_ONCE_INIT;
int runs;
void init(void) { runs++; usleep(1000); }
void *w(void *a) { int r = pthread_once(&once, init); printf("%d %d %d\\n", r, runs, once); return a; }
int main(void)
{
    pthread_t t[3];
    for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, w, NULL);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    pthread_once(&once, init);
    printf("runs %d\\n", runs);
    return 0;
}
`, 'futex_wait');
    assert.equal(r.out, '0 1 2\n0 1 2\n0 1 2\nruns 1\n');
    assert.ok(r.seen > 0);
  });

  it('the types have glibc\'s sizes and alignment on x86-64, in structs and arrays', () => {
    const { out } = runSource(`${SYNC_HEADERS}
struct account { pthread_mutex_t lock; int balance; };
struct queue { int n; pthread_cond_t c; char tag; sem_t s; pthread_barrier_t b; };
pthread_mutex_t m; pthread_cond_t c; sem_t s; pthread_barrier_t b; pthread_attr_t a; pthread_mutexattr_t ma; pthread_once_t o;
pthread_mutex_t locks[3];
int main(void)
{
    struct account acc;
    struct queue q;
    printf("%zu %zu %zu %zu %zu %zu %zu ", sizeof(m), sizeof(c), sizeof(s), sizeof(b), sizeof(a), sizeof(ma), sizeof(o));
    printf("%zu %zu %zu\\n", sizeof(acc), sizeof(q), sizeof(locks));
    return 0;
}
`);
    assert.equal(out, '40 48 32 32 56 4 4 48 128 120\n');
  });

  it('a handler without SA_RESTART makes a sleeping sem_wait fail with EINTR', () => {
    const { out } = runSource(`#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
sem_t s;
void on_alarm(int sig) { (void)sig; }
int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    sem_init(&s, 0, 0);
    alarm(1);
    int r = sem_wait(&s);
    printf("sem_wait %d %s\\n", r, errno == EINTR ? "EINTR" : "?");
    return 0;
}
`);
    assert.equal(out, 'sem_wait -1 EINTR\n');
  });

  it('PTHREAD_MUTEX_INITIALIZER and PTHREAD_COND_INITIALIZER zero a local object and a struct member', () => {
    const { out } = runSource(`#include <pthread.h>
#include <stdio.h>
struct account { pthread_mutex_t lock; int balance; };
struct account acc = { PTHREAD_MUTEX_INITIALIZER, 100 };
int main(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    struct account local = { PTHREAD_MUTEX_INITIALIZER, 7 };
    pthread_mutex_lock(&m);
    pthread_mutex_lock(&acc.lock);
    pthread_cond_signal(&c);
    printf("%d %d %d\\n", acc.balance, local.balance, pthread_mutex_trylock(&local.lock));
    return 0;
}
`);
    assert.equal(out, '100 7 0\n');
  });

  it('the task row names the futex word a sleeping thread waits on', () => {
    const e = bootSource(`${SYNC_HEADERS}
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void *taker(void *a) { pthread_mutex_lock(&m); pthread_mutex_unlock(&m); return a; }
int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&m);
    pthread_create(&t, NULL, taker, NULL);
    sleep(1);
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    return 0;
}
`);
    let futex: number | undefined;
    for (let i = 0; i < 100000 && !e.finished() && futex === undefined; i++) {
      e.tick();
      const t = e.k.find_task_by_vpid(4);
      if (t && t.__state !== 0) futex = taskRow(e.k, t).futex;
    }
    assert.ok(futex !== undefined, 'the thread slept on a futex');
    const sleeper = e.k.find_task_by_vpid(4) as never;
    assert.ok([...e.k.futex_waiters.values()].some((ws) => ws.get(sleeper) === futex));
    assert.equal(taskRow(e.k, e.k.find_task_by_vpid(3) as never).futex, undefined, 'main sleeps in clock_nanosleep');
  });
});
