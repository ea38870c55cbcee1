// The C library on the whole machine (kproc run): clocks in virtual time, the environment
// through fork and execve, atexit handlers in a fork's child, wait3/wait4's resource usage,
// sigqueue's value reaching an SA_SIGINFO handler.
import { strict as assert } from 'node:assert';
import { scenarioRunner } from './machine-scenario';

const HEAD = '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <signal.h>\n#include <time.h>\n#include <sys/time.h>\n#include <sys/wait.h>\n#include <unistd.h>\n#include <errno.h>\n';

describe('vm: libc on the machine', function () {
  this.timeout(60000);
  const run = scenarioRunner('libc', HEAD);

  it('clock_gettime, gettimeofday and time follow virtual time; an unknown clock is EINVAL', async () => {
    const out = await run('clocks', `int main(void) {
  struct timespec a, b; struct timeval tv; time_t t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &a); t0 = time(NULL);
  sleep(3); usleep(500000);
  clock_gettime(CLOCK_REALTIME, &b); time(&t1); gettimeofday(&tv, NULL);
  long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
  printf("%d %ld %d %d %d\\n", ms >= 3500 && ms < 3600, (long)(t1 - t0), tv.tv_sec == t1, b.tv_nsec >= 0 && b.tv_nsec < 1000000000, clock_gettime(99, &a));
  return 0; }`);
    assert.equal(out, '1 3 1 1 -1\n');
  });

  it('a fork\'s child inherits the environment and the atexit list; execve gives the new program envp', async () => {
    const out = await run('env', `#pragma kproc program "/usr/bin/show" show
int show(int argc, char *argv[]) { printf("%s sees %s\\n", argv[0], getenv("WHO") ? getenv("WHO") : "nothing"); return 0; }
void bye(void) { printf("bye from %s\\n", getenv("WHO")); }
int main(void) {
  char *envp[] = { "WHO=envp", NULL };
  setenv("WHO", "parent", 1); atexit(bye);
  if (fork() == 0) { setenv("WHO", "child", 1); exit(0); }
  wait(NULL);
  if (fork() == 0) { execle("/usr/bin/show", "show", (char *)NULL, envp); _exit(1); }
  wait(NULL);
  if (fork() == 0) { char *argv[] = { "show2", NULL }; execv("/usr/bin/show", argv); _exit(1); }
  wait(NULL);
  return 0; }`);
    assert.equal(out, 'bye from child\nshow sees envp\nshow2 sees parent\nbye from parent\n');
  });

  it('wait4 and wait3 fill struct rusage with the child\'s CPU time and that of the children it reaped; NULL is allowed', async () => {
    const out = await run('rusage', `#include <sys/resource.h>
void burn(int n) { volatile long x = 0; for (long i = 0; i < n; i++) x += i; }
long us(const struct timeval *tv) { return tv->tv_sec * 1000000L + tv->tv_usec; }
int main(void) {
  struct rusage a, b; int st;
  pid_t c = fork();
  if (c == 0) { burn(200000); exit(3); }
  a.ru_nvcsw = -7;
  pid_t none = wait4(c, &st, WNOHANG, &a);
  pid_t w = wait4(c, &st, 0, &a);
  printf("%d %d %d %d %d\\n", none == 0, w == c, WEXITSTATUS(st), us(&a.ru_utime) > 0, us(&a.ru_stime) == 0 && a.ru_utime.tv_usec < 1000000);
  c = fork();
  if (c == 0) { if (fork() == 0) { burn(400000); exit(0); } wait(NULL); exit(5); }
  w = wait3(&st, 0, &b);
  printf("%d %d %d %d\\n", w == c, WEXITSTATUS(st), us(&b.ru_utime) > us(&a.ru_utime), b.ru_maxrss == 0);
  if (fork() == 0) exit(6);
  w = wait3(&st, 0, NULL);
  int again = wait4(-1, NULL, 0, &a);
  printf("%d %d %d\\n", WEXITSTATUS(st), again, errno == ECHILD);
  return 0; }`);
    assert.equal(out, '1 1 3 1 1\n1 5 1 1\n6 -1 1\n');
  });

  it('getrusage: RUSAGE_CHILDREN grows only at a wait, RUSAGE_SELF and RUSAGE_THREAD count the caller; EINVAL for another who', async () => {
    const out = await run('getrusage', `#include <sys/resource.h>
long total(struct rusage *r) { return r->ru_utime.tv_sec * 1000000L + r->ru_utime.tv_usec + r->ru_stime.tv_sec * 1000000L + r->ru_stime.tv_usec; }
int main(void) {
  struct rusage c0, c1, s, t; pid_t p = fork();
  if (p == 0) { volatile long x = 0; for (long i = 0; i < 100000; i++) x += i; exit(0); }
  getrusage(RUSAGE_CHILDREN, &c0); waitpid(p, NULL, 0); getrusage(RUSAGE_CHILDREN, &c1);
  getrusage(RUSAGE_SELF, &s); getrusage(RUSAGE_THREAD, &t); int bad = getrusage(2, &s);
  printf("%ld %d %d %d %d %d\\n", total(&c0), total(&c1) > 0, total(&s) > 0, total(&t) > 0, bad, errno == EINVAL);
  return 0; }`);
    assert.equal(out, '0 1 1 1 -1 1\n');
  });

  it('sigqueue delivers its value in si_value (si_int, si_ptr) with SI_QUEUE; queued real-time instances keep theirs', async () => {
    const out = await run('sigqueue', `int seen[8], codes[8], from[8]; void *ptrs[8]; volatile sig_atomic_t n = 0;
void h(int sig, siginfo_t *si, void *uc) { seen[n] = si->si_int; codes[n] = si->si_code; from[n] = si->si_pid; ptrs[n] = si->si_ptr; n++; }
int main(void) {
  struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_sigaction = h; sa.sa_flags = SA_SIGINFO;
  sigaction(SIGRTMIN + 1, &sa, NULL); sigaction(SIGUSR2, &sa, NULL);
  sigset_t b, o; sigemptyset(&b); sigaddset(&b, SIGRTMIN + 1); sigaddset(&b, SIGUSR2); sigprocmask(SIG_BLOCK, &b, &o);
  union sigval v; int i;
  for (i = 0; i < 3; i++) { v.sival_int = 10 * i + 1; sigqueue(getpid(), SIGRTMIN + 1, v); }
  v.sival_int = 77; sigqueue(getpid(), SIGUSR2, v); v.sival_int = 78; sigqueue(getpid(), SIGUSR2, v);
  sigprocmask(SIG_SETMASK, &o, NULL);
  printf("%d: %d %d %d %d, %d %d\\n", (int)n, seen[0], seen[1], seen[2], seen[3], codes[0] == SI_QUEUE, from[3] == getpid());
  static char text[] = "hi"; v.sival_ptr = text; n = 0; sigqueue(getpid(), SIGUSR2, v);
  printf("%s %d\\n", (char *)ptrs[0], ptrs[0] == (void *)text);
  int r1 = sigqueue(0, SIGUSR2, v); int e1 = errno; int r2 = sigqueue(getpid(), 99, v); int e2 = errno;
  printf("%d %d %d %d\\n", r1, e1 == ESRCH, r2, e2 == EINVAL);
  return 0; }`);
    // SIGUSR2 (12) is dequeued first and its second sending was not queued; the real-time
    // signal's frame goes on top of its frame, so its three instances run before SIGUSR2's handler.
    assert.equal(out, '4: 1 11 21 77, 1 1\nhi 1\n-1 1 -1 1\n');
  });
});
