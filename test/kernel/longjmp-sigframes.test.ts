// A handler left by siglongjmp takes its rt_sigframe with it: the kernel drops what it kept of
// such frames (the saved mask, the call to restart), so a later handler's rt_sigreturn pops its
// own frame and the task holds no stale ones.
import { strict as assert } from 'node:assert';
import { HEADERS, outputOf, runSource } from './vm-run';

describe('kernel: signal frames a longjmp left', () => {
  it('are forgotten; the next handler returns through its own frame with its own mask', () => {
    const src = `${HEADERS}\n#include <setjmp.h>
sigjmp_buf env;
volatile int got = 0;
void leave(int sig) { siglongjmp(env, sig); }
void stay(int sig) { got = sig; }
int main(void) {
  signal(SIGUSR1, leave); signal(SIGUSR2, stay);
  for (int i = 0; i < 5; i++) if (sigsetjmp(env, 1) == 0) raise(SIGUSR1);
  raise(SIGUSR2);
  sigset_t s; sigprocmask(SIG_BLOCK, NULL, &s);
  printf("got %d, blocked %d %d\\n", got, sigismember(&s, SIGUSR1), sigismember(&s, SIGUSR2));
  fflush(stdout);
  pause();
  return 0;
}`;
    const r = runSource(src, {}, 300_000);
    assert.equal(outputOf(r.engine), 'got 12, blocked 0 0\n');
    const t = r.engine.k.find_task_by_vpid(3);
    assert.ok(t, r.reason);
    assert.equal(t.sigframes.length, 0);
  });
});
