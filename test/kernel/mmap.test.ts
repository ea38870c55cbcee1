// Anonymous mmap between processes: a MAP_SHARED mapping is the same cells in the parent and the
// children fork makes, a MAP_PRIVATE one is copied; a process-shared semaphore in shared memory
// sleeps on a futex keyed by the shared object, so a post in one process wakes a waiter in another.

import assert from 'node:assert/strict';
import { VmMemory } from '../../sim-core/vm/memory';
import { SEGMENT_SPAN } from '../../sim-core/vm/image';
import { bootSource, HEADERS, outputOf, runSource } from './vm-run';
import { boot } from '../../sim-core/machine';
import type { Stop } from '../../sim-core/machine-types';

const MMAN_HEADERS = `${HEADERS}\n#include <sys/mman.h>\n#include <semaphore.h>`;

describe('kernel: anonymous mmap across fork', () => {
  it('MAP_SHARED memory is shared with a child, MAP_PRIVATE memory is copied', () => {
    const r = runSource(`${MMAN_HEADERS}
int main(void)
{
    int *s = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fork() == 0) { *s = 7; *p = 7; exit(0); }
    wait(NULL);
    printf("%d %d\\n", *s, *p);
    return 0;
}
`);
    assert.equal(r.out, '7 0\n');
  });

  it('children adding to a shared counter without a lock lose updates on two CPUs, the same number for the same seed', () => {
    const src = `${MMAN_HEADERS}
#pragma kproc cpus 2
int main(void)
{
    long *counter = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 2; i++)
        if (fork() == 0) { for (int j = 0; j < 100000; j++) (*counter)++; exit(0); }
    while (wait(NULL) > 0)
        ;
    printf("%ld\\n", *counter);
    return 0;
}
`;
    const a = runSource(src, {}, 20_000_000), b = runSource(src, {}, 20_000_000);
    const n = Number(a.out.trim());
    assert.ok(n > 100000 && n < 200000, `updates were lost: ${a.out}`);
    assert.equal(b.out, a.out);
  });

  it('refuses bad arguments with MAP_FAILED and errno as Linux does', () => {
    const r = runSource(`${MMAN_HEADERS}
void try(size_t len, int flags, int fd, long off)
{
    errno = 0;
    void *p = mmap(NULL, len, PROT_READ, flags, fd, off);
    printf("%d %d\\n", p == MAP_FAILED, errno);
}
int main(void)
{
    try(0, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    try(4096, MAP_SHARED | MAP_ANONYMOUS, -1, 1);
    try(4096, MAP_ANONYMOUS, -1, 0);
    try(4096, MAP_SHARED, -1, 0);
    try(4096, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int rc = munmap(NULL, 0);
    printf("%d %d\\n", rc, errno);
    return 0;
}
`);
    assert.equal(r.out, '1 22\n1 22\n1 22\n1 9\n0 0\n-1 22\n');
  });

  it('an access after munmap is SIGSEGV; free does not take a mapping', () => {
    const r = runSource(`${MMAN_HEADERS}
int main(void)
{
    int *p = mmap(NULL, 100, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[1000] = 1;
    printf("%d\\n", munmap(p, 100));
    fflush(stdout);
    p[0] = 1;
    printf("not reached\\n");
    return 0;
}
`);
    assert.equal(r.out.split('\n')[0], '0');
    assert.ok(!r.out.includes('not reached'));
  });

  it('children counting under a pshared semaphore in shared memory: exact, and the waiters slept on the shared futex', () => {
    const e = bootSource(`${MMAN_HEADERS}
#pragma kproc cpus 2
struct shared { sem_t lock; long counter; };
int main(void)
{
    struct shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sem_init(&sh->lock, 1, 1);
    for (int i = 0; i < 3; i++) {
        if (fork() == 0) {
            for (int j = 0; j < 20000; j++) { sem_wait(&sh->lock); sh->counter++; sem_post(&sh->lock); }
            exit(0);
        }
    }
    while (wait(NULL) > 0)
        ;
    printf("%ld\\n", sh->counter);
    return 0;
}
`);
    const keys = new Set<string>();
    for (let i = 0; i < 5_000_000 && !e.finished(); i++) {
      e.tick();
      for (const k of e.k.futex_waiters.keys()) keys.add(k);
    }
    assert.ok(e.finished());
    assert.equal(outputOf(e), '60000\n');
    assert.ok(keys.size > 0, 'some child slept in sem_wait');
    for (const k of keys) assert.match(k, /^shm\d+\+\d+$/, 'keyed by the shared object, not by a process');
  });

  it('a PTHREAD_PROCESS_SHARED mutex and barrier in shared memory work across processes, on shared futexes', () => {
    const e = bootSource(`${MMAN_HEADERS}
#pragma kproc cpus 2
struct shared { pthread_mutex_t m; pthread_barrier_t b; long n; };
int main(void)
{
    struct shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    int type, ps;
    pthread_mutexattr_gettype(&ma, &type);
    pthread_mutexattr_getpshared(&ma, &ps);
    printf("%d %d %d\\n", type == PTHREAD_MUTEX_ERRORCHECK, ps, pthread_mutexattr_setpshared(&ma, 5));
    pthread_mutex_init(&sh->m, &ma);
    pthread_barrierattr_t ba;
    pthread_barrierattr_init(&ba);
    pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
    pthread_barrier_init(&sh->b, &ba, 3);
    for (int i = 0; i < 2; i++) {
        if (fork() == 0) {
            for (int j = 0; j < 20000; j++) { pthread_mutex_lock(&sh->m); sh->n++; pthread_mutex_unlock(&sh->m); }
            pthread_barrier_wait(&sh->b);
            exit(0);
        }
    }
    pthread_barrier_wait(&sh->b);
    printf("%ld %d\\n", sh->n, pthread_mutex_unlock(&sh->m));
    while (wait(NULL) > 0)
        ;
    return 0;
}
`);
    const keys = new Set<string>();
    for (let i = 0; i < 5_000_000 && !e.finished(); i++) {
      e.tick();
      for (const k of e.k.futex_waiters.keys()) keys.add(k);
    }
    assert.ok(e.finished());
    assert.equal(outputOf(e), '1 1 22\n40000 1\n', 'the count is exact; the error-checking kind stays (EPERM unlocking it unheld)');
    assert.ok(keys.size > 0);
    for (const k of keys) assert.match(k, /^shm/);
  });

  it('a private futex is keyed by the address space: the same address in two processes is two queues', () => {
    const e = bootSource(`${MMAN_HEADERS}
sem_t s;
int main(void)
{
    sem_init(&s, 0, 0);
    pid_t c = fork();
    if (c == 0) { sem_wait(&s); return 0; }
    sem_wait(&s);
    return 0;
}
`);
    for (let i = 0; i < 200_000 && e.k.futex_waiters.size < 2; i++) e.tick();
    assert.equal(e.k.futex_waiters.size, 2, 'parent and child each sleep on their own sem_t');
  });
});

describe('vm: shared segments in VmMemory', () => {
  it('clone keeps a shared mapping the same cells and charges the budget once; the last release gives them back', () => {
    const budget = { used: 0, limit: 1 << 20 };
    const m = new VmMemory([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    m.attach(budget);
    const base = budget.used;
    const s = m.mapAnon(4096, true);
    assert.equal(budget.used, base + 4096);
    const c = m.clone() as VmMemory;
    assert.equal(budget.used, base * 2 + 4096, 'the copy is charged for its private cells only');
    c.store(s * SEGMENT_SPAN + 3, 99);
    assert.equal(m.load(s * SEGMENT_SPAN + 3), 99);
    assert.equal(c.sharedKey(s * SEGMENT_SPAN + 3), m.sharedKey(s * SEGMENT_SPAN + 3));
    assert.equal(m.sharedKey(GLOBAL_ADDR), null);
    assert.equal(m.freeBlock(s * SEGMENT_SPAN), false, 'free does not unmap an mmap');
    m.release();
    assert.equal(budget.used, base + 4096, 'the child still maps it');
    c.release();
    assert.equal(budget.used, 0);
  });
});

const GLOBAL_ADDR = 0x10;

describe('machine: shared memory and time travel', () => {
  it('going back over a child\'s store into a MAP_SHARED mapping and forward again gives the same run', () => {
    const src = `${MMAN_HEADERS}
int main(void)
{
    int *s = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (fork() == 0) {
        *s = 41;
        exit(0);
    }
    wait(NULL);
    *s += 1;
    printf("%d\\n", *s);
    return 0;
}
`;
    const { machine: m } = boot({ file: '/scenarios/shared.kproc', source: src });
    assert.ok(m);
    const drive = (): Stop => { for (;;) { const st = m.run(5000); if (st.reason !== 'yield') return st; } };
    m.setLineBreakpoints('/scenarios/shared.kproc', [{ line: 20 }]);
    m.continue();
    assert.equal(drive().reason, 'breakpoint');
    assert.equal(m.evaluate('*s', undefined).value, '42');
    m.setLineBreakpoints('/scenarios/shared.kproc', [{ line: 16 }]);
    m.reverseContinue();
    const back = drive();
    assert.equal(back.reason, 'breakpoint');
    assert.equal(m.evaluate('*s', undefined).value, '41', 'the child\'s store is there, the parent\'s not yet');
    m.setLineBreakpoints('/scenarios/shared.kproc', []);
    m.continue();
    drive();
    assert.equal(m.output(), '42\n');
  });
});
