// Thread cancellation on the machine: asynchronous cancellation of a busy thread, a thread that
// cancels itself and ends at its next cancellation point, sem_wait and pthread_join as points,
// the error numbers, and a cancellation that stays pending while disabled.
import { strict as assert } from 'node:assert';
import { scenarioRunner } from './machine-scenario';

const HEAD = '#include <stdio.h>\n#include <pthread.h>\n#include <semaphore.h>\n#include <unistd.h>\n#include <errno.h>\n';

describe('vm: pthread_cancel', function () {
  this.timeout(60000);
  const run = scenarioRunner('cancel', HEAD);

  it('asynchronous cancellation ends a thread that never reaches a cancellation point', async () => {
    const out = await run('async', `volatile long spins = 0;
void *busy(void *a) { int old; pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old); printf("old type %d\\n", old); for (;;) spins++; return a; }
int main(void) {
  pthread_t t; void *res;
  pthread_create(&t, NULL, busy, NULL);
  usleep(50000);
  printf("%d\\n", pthread_cancel(t));
  int err = pthread_join(t, &res);
  printf("%d %d %d\\n", err, res == PTHREAD_CANCELED, spins > 0);
  return 0; }`);
    assert.equal(out, 'old type 0\n0\n0 1 1\n');
  });

  it('a thread that cancels itself goes on to its next cancellation point; errors are numbers', async () => {
    const out = await run('self', `void *me(void *a) {
  printf("cancel self %d\\n", pthread_cancel(pthread_self()));
  printf("still running\\n");
  sleep(1);
  printf("not printed\\n");
  return a; }
int main(void) {
  pthread_t t; void *res;
  pthread_create(&t, NULL, me, NULL);
  pthread_join(t, &res);
  printf("%d %d %d %d\\n", res == PTHREAD_CANCELED, pthread_cancel(t), pthread_setcancelstate(7, NULL), pthread_setcanceltype(-1, NULL));
  return 0; }`);
    assert.equal(out, 'cancel self 0\nstill running\n1 3 22 22\n');
  });

  it('sem_wait and pthread_join are cancellation points; a cancelled joiner leaves its target alone', async () => {
    const out = await run('points', `sem_t sem; pthread_t slow;
void *sleeper(void *a) { sleep(2); return a; }
void *waits_sem(void *a) { sem_wait(&sem); printf("not printed\\n"); return a; }
void *joins(void *a) { pthread_join(slow, NULL); printf("not printed\\n"); return a; }
int main(void) {
  pthread_t s, j; void *r1, *r2, *r3;
  sem_init(&sem, 0, 0);
  pthread_create(&slow, NULL, sleeper, (void *) 9);
  pthread_create(&s, NULL, waits_sem, NULL);
  pthread_create(&j, NULL, joins, NULL);
  usleep(100000);
  pthread_cancel(s); pthread_cancel(j);
  pthread_join(s, &r1); pthread_join(j, &r2); pthread_join(slow, &r3);
  printf("%d %d %ld\\n", r1 == PTHREAD_CANCELED, r2 == PTHREAD_CANCELED, (long) r3);
  return 0; }`);
    assert.equal(out, '1 1 9\n');
  });

  it('cleanup handlers: pop(1) runs one where it stands, pthread_exit and cancellation run the rest newest first (their own cancellation points do not act)', async () => {
    const out = await run('cleanup', `int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }
void note(void *s) { printf("%s:%d ", (char *) s, depth(3)); usleep(1000); pthread_testcancel(); }
void *exits(void *a) {
  pthread_cleanup_push(note, "a");
  pthread_cleanup_push(note, "b");
  pthread_cleanup_push(note, "c");
  pthread_cleanup_pop(1);
  pthread_cleanup_push(note, "d");
  pthread_cleanup_pop(0);
  if (a) pthread_exit(a);
  pthread_cleanup_pop(0);
  pthread_cleanup_pop(0);
  return NULL; }
void *cancelled(void *a) {
  pthread_cleanup_push(note, "x");
  pthread_cleanup_push(note, "y");
  for (;;) pause();
  pthread_cleanup_pop(0);
  pthread_cleanup_pop(0);
  return a; }
int main(void) {
  pthread_t t; void *res;
  pthread_create(&t, NULL, exits, (void *) 7);
  pthread_join(t, &res);
  printf("| %ld\\n", (long) res);
  pthread_create(&t, NULL, cancelled, NULL);
  usleep(10000);
  pthread_cancel(t);
  pthread_join(t, &res);
  printf("| %d\\n", res == PTHREAD_CANCELED);
  return 0; }`);
    assert.equal(out, 'c:3 b:3 a:3 | 7\ny:3 x:3 | 1\n');
  });

  it('SIGCANCEL to a thread nobody cancels does nothing, and the call it interrupted goes on', async () => {
    const out = await run('stray', `#include <signal.h>\n#include <sys/syscall.h>
void *nap(void *a) { sleep(1); return a; }
volatile int reader_tid = 0;
void *reader(void *a) { char c = 0; int fd = *(int *) a; reader_tid = gettid(); long n = (long) read(fd, &c, 1); printf("read %ld '%c'\\n", n, c); return a; }
int main(void) {
  pthread_t t, r; int fds[2]; void *res;
  pipe(fds);
  pthread_create(&t, NULL, nap, NULL);
  usleep(1000);
  pthread_cancel(t);
  pthread_join(t, &res);
  pthread_create(&r, NULL, reader, &fds[0]);
  usleep(1000);
  kill(getpid(), 32);
  syscall(SYS_tgkill, getpid(), reader_tid, 32);
  usleep(1000);
  write(fds[1], "x", 1);
  pthread_join(r, &res);
  printf("alive %d\\n", res == &fds[0]);
  return 0; }`);
    assert.equal(out, "read 1 'x'\nalive 1\n");
  });

  it('a request acted on by pthread_setcanceltype(ASYNCHRONOUS) or pthread_testcancel runs the cleanup handlers too', async () => {
    const out = await run('now', `void note(void *s) { printf("%s ", (char *) s); }
void *by_type(void *a) {
  pthread_cleanup_push(note, "type");
  pthread_cancel(pthread_self());
  pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
  pthread_cleanup_pop(0);
  return a; }
void *by_test(void *a) {
  pthread_cleanup_push(note, "test");
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
  pthread_cancel(pthread_self());
  pthread_testcancel();
  printf("disabled ");
  pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
  pthread_testcancel();
  pthread_cleanup_pop(0);
  return a; }
int main(void) {
  pthread_t t; void *r1, *r2;
  pthread_create(&t, NULL, by_type, NULL); pthread_join(t, &r1);
  pthread_create(&t, NULL, by_test, NULL); pthread_join(t, &r2);
  printf("| %d %d\\n", r1 == PTHREAD_CANCELED, r2 == PTHREAD_CANCELED);
  return 0; }`);
    assert.equal(out, 'type disabled test | 1 1\n');
  });
});
