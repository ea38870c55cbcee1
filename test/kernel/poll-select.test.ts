// poll and select in the simulator (kernel/select.ts, poll-mask.ts): readiness of pipe ends,
// timeouts in virtual time, select's timeval written back, errors, and the fd_set macros.
import { strict as assert } from 'node:assert';
import { scenarioRunner } from '../vm/machine-scenario';
import { lookupCall, lookupConstant, lookupStruct } from '../../sim-core/lang/builtins';

const HEAD = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <poll.h>
#include <time.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
static long ms_now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec * 1000 + ts.tv_nsec / 1000000; }
`;

describe('poll and select', () => {
  const run = scenarioRunner('poll', HEAD);

  it('poll sleeps for its timeout in virtual time on an idle pipe, and not at all with 0', async () => {
    const out = await run('poll-timeout', `int main(void) {
      int fd[2]; pipe(fd);
      struct pollfd p = { fd[0], POLLIN, 7 };
      long t0 = ms_now();
      int r = poll(&p, 1, 250);
      long t1 = ms_now();
      int z = poll(&p, 1, 0);
      long t2 = ms_now();
      printf("%d %d %ld %d %ld\\n", r, p.revents, t1 - t0 >= 250 && t1 - t0 < 260, z, t2 - t1 < 5);
      return 0; }`);
    assert.equal(out, '0 0 1 0 1\n');
  });

  it('reports POLLNVAL for a closed descriptor, skips a negative one, and counts entries', async () => {
    const out = await run('poll-nval', `int main(void) {
      int fd[2]; pipe(fd);
      struct pollfd p[4] = { { fd[0], POLLIN, 0 }, { fd[1], POLLOUT | POLLIN, 0 }, { 99, POLLIN, 0 }, { -1, POLLIN, 5 } };
      int r = poll(p, 4, -1);
      printf("%d %#x %#x %#x %d\\n", r, p[0].revents, p[1].revents, p[2].revents, p[3].revents);
      return 0; }`);
    assert.equal(out, '2 0 0x4 0x20 0\n');
  });

  it('a poller sleeping on a pipe wakes when a child writes, and sees POLLHUP once it exits', async () => {
    const out = await run('poll-wake', `int main(void) {
      int fd[2]; pipe(fd);
      if (fork() == 0) { close(fd[0]); usleep(200000); write(fd[1], "x", 1); usleep(200000); _exit(0); }
      close(fd[1]);
      struct pollfd p = { fd[0], POLLIN, 0 };
      long t0 = ms_now();
      int r = poll(&p, 1, -1);
      printf("%d %#x %ld\\n", r, p.revents, ms_now() - t0 >= 200);
      char c; read(fd[0], &c, 1);
      r = poll(&p, 1, -1);
      printf("%d %#x\\n", r, p.revents);
      wait(NULL);
      return 0; }`);
    assert.equal(out, '1 0x1 1\n1 0x10\n');
  });

  it('select writes back the time left and leaves only the ready descriptors in the sets', async () => {
    const out = await run('select-left', `int main(void) {
      int a[2], b[2]; pipe(a); pipe(b);
      if (fork() == 0) { usleep(100000); write(b[1], "y", 1); _exit(0); }
      fd_set r; FD_ZERO(&r); FD_SET(a[0], &r); FD_SET(b[0], &r);
      struct timeval tv = { 1, 0 };
      int n = select(b[0] + 1, &r, NULL, NULL, &tv);
      printf("%d %d %d %ld %ld\\n", n, FD_ISSET(a[0], &r), FD_ISSET(b[0], &r), tv.tv_sec, tv.tv_usec / 100000);
      wait(NULL);
      return 0; }`);
    assert.equal(out, '1 0 1 0 8\n');
  });

  it('select fails with EINVAL for a negative nfds and EBADF for a closed descriptor in a set', async () => {
    const out = await run('select-errors', `int main(void) {
      fd_set r; FD_ZERO(&r); FD_SET(5, &r);
      int a = select(-1, NULL, NULL, NULL, NULL); int ea = errno;
      int b = select(6, &r, NULL, NULL, NULL); int eb = errno;
      struct timeval bad = { -1, 0 };
      int c = select(0, NULL, NULL, NULL, &bad); int ec = errno;
      printf("%d %d %d %d %d %d %d\\n", a, ea == EINVAL, b, eb == EBADF, c, ec == EINVAL, FD_ISSET(5, &r));
      return 0; }`);
    assert.equal(out, '-1 1 -1 1 -1 1 1\n');
  });

  it('the fd_set macros set, clear and test bits past the first word', async () => {
    const out = await run('fd-macros', `int main(void) {
      fd_set s; FD_ZERO(&s); FD_SET(3, &s); FD_SET(70, &s); FD_SET(1023, &s); FD_CLR(3, &s);
      printf("%d %d %d %d %zu\\n", FD_ISSET(3, &s), FD_ISSET(70, &s), FD_ISSET(1023, &s), FD_ISSET(71, &s), sizeof s);
      return 0; }`);
    assert.equal(out, '0 1 1 0 128\n');
  });

  it('poll and select are cancellation points: a thread blocked in one is cancelled there', async () => {
    const out = await run('poll-cancel', `#include <pthread.h>
      static int fd[2];
      static void *poller(void *a) { (void)a; struct pollfd p = { fd[0], POLLIN, 0 }; poll(&p, 1, -1); printf("not here\\n"); return NULL; }
      static void *selecter(void *a) { (void)a; fd_set r; FD_ZERO(&r); FD_SET(fd[0], &r); select(fd[0] + 1, &r, NULL, NULL, NULL); return NULL; }
      int main(void) {
        pipe(fd);
        pthread_t t, u; void *x, *y;
        pthread_create(&t, NULL, poller, NULL); pthread_create(&u, NULL, selecter, NULL);
        usleep(50000);
        pthread_cancel(t); pthread_cancel(u);
        pthread_join(t, &x); pthread_join(u, &y);
        printf("%d %d\\n", x == PTHREAD_CANCELED, y == PTHREAD_CANCELED);
        return 0; }`);
    assert.equal(out, '1 1\n');
  });

  it('the catalogue knows the calls, constants and struct pollfd', () => {
    for (const n of ['poll', 'select', 'FD_ZERO', 'FD_SET', 'FD_CLR', 'FD_ISSET']) assert.ok(lookupCall(n), n);
    assert.equal(lookupConstant('POLLHUP')?.value, 0x10);
    assert.equal(lookupConstant('POLLNVAL')?.value, 0x20);
    assert.deepEqual(lookupStruct('pollfd')?.fields.map((f) => f.name), ['fd', 'events', 'revents']);
  });
});
