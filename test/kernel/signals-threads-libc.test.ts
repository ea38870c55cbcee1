// Signals to and within threads as glibc and Linux 6.x do them, in the simulator alone (the same
// scenarios are compared with the real kernel in test/fidelity/cases): read-write locks, pthread_sigmask,
// pthread_kill, pthread_equal, a joined thread's stale pthread_t, the signals glibc keeps for
// itself, sigaction's flags as glibc installs them (SA_RESTORER, SA_RESETHAND, SA_NODEFER),
// real-time signals (one queued instance per sending, blocked through the mask's high word), the
// forced signal of a fault, and nanosleep, whose sleep goes on through restart_syscall after a stop and continue.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEADERS, runSource } from './vm-run';

const CASES = join(__dirname, '../fidelity/cases');

function caseOutput(name: string): string {
  const r = runSource(readFileSync(join(CASES, name), 'utf8'), { file: name }, 5_000_000);
  assert.equal(r.reason, 'exited', `${name} did not run to its end: ${r.reason}\n${r.out}`);
  return r.out;
}

function mainOutput(body: string, prelude = ''): string {
  const r = runSource(`${HEADERS}\n#include <string.h>\n#include <time.h>\n${prelude}\nint main(void)\n{\n${body}\n}\n`, {}, 2_000_000);
  assert.equal(r.reason, 'exited', r.out);
  return r.out;
}

describe('signals and threads as glibc and Linux 6.x', () => {
  it('each thread has its own mask; pthread_kill reaches the one thread it names', () => {
    const out = caseOutput('thread-signals.kproc');
    assert.match(out, /^old mask had SIGUSR1: 0\n/);
    assert.match(out, /kill\(\) was handled by worker 1\n/);
    assert.match(out, /pthread_kill\(worker 1\) = 0, handled by worker 1\nworker 0 blocks it: handled_by -1\npending for main: 0\n/);
  });

  it('pthread_kill: 0 for a thread that has ended, EINVAL for a bad or internal signal; pthread_sigmask returns its error', () => {
    const out = caseOutput('thread-signals.kproc');
    assert.match(out, /pthread_kill\(ended thread, SIGUSR1\) = 0\npthread_kill\(self, 0\) = 0\npthread_kill\(self, 65\) = Invalid argument\n/);
    assert.match(out, /pthread_sigmask\(42\) = Invalid argument, errno 0\n/);
    assert.equal(mainOutput('printf("%d %d\\n", pthread_kill(pthread_self(), 32), pthread_kill(pthread_self(), 33));\n    return 0;'), '22 22\n');
  });

  it('a joined thread\'s pthread_t is stale: joining or detaching it again is ESRCH', () => {
    assert.match(caseOutput('thread-signals.kproc'), /pthread_join again = No such process\npthread_detach after join = No such process\n$/);
  });

  it('a joined descriptor is used again by the next pthread_create, the last given back first', () => {
    const out = mainOutput(`pthread_t a, b, c;
    pthread_create(&a, NULL, f, NULL);
    pthread_create(&b, NULL, f, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_create(&c, NULL, f, NULL);
    printf("%d %d %d\\n", pthread_equal(c, b), pthread_equal(c, a), pthread_equal(a, a));
    pthread_join(c, NULL);
    printf("%d\\n", pthread_join(b, NULL));
    return 0;`, 'void *f(void *arg) { return arg; }');
    assert.equal(out, '1 0 1\n3\n');
  });

  it('sigfillset leaves out 32 and 33, sigaddset refuses them; SIGRTMIN, SIGRTMAX and NSIG are glibc\'s', () => {
    const out = caseOutput('sigset-internal.kproc');
    assert.match(out, /^sigfillset leaves out 32\nsigfillset leaves out 33\nsigaddset\(32\) = -1 \(Invalid argument\)\nsigdelset\(33\) = -1\n/);
    assert.match(out, /SIGRTMIN 34, SIGRTMAX 64, NSIG 65\n2 real-time signals in the set\n/);
    assert.match(out, /Real-time signal 0\nReal-time signal 5\nUnknown signal 33\npsignal: Unknown signal 36\npsignal: Interrupt\n$/);
  });

  it('sigaction: oldact shows the SA_RESTORER glibc adds; SA_RESETHAND leaves oldact reading SIG_DFL', () => {
    const out = caseOutput('sigaction-flags.kproc');
    assert.match(out, /^at start: handler SIG_DFL, flags 0, own signal blocked 0\nSA_RESETHAND: handler a function, flags 0x84000000, own signal blocked 0\nonce: got 10\n/);
    assert.match(out, /after one delivery: handler SIG_DFL, flags 0x84000000, own signal blocked 0\nsecond SIGUSR1 in a child: killed by 10\n/);
    assert.match(out, /signal\(\): handler a function, flags 0x14000000, own signal blocked 1\n/);
    assert.match(out, /sigaction\(32\) = -1 \(Invalid argument\)\nsigaction\(SIGKILL\) = -1 \(Invalid argument\)\nsignal\(33\) is SIG_ERR: 1\n$/);
  });

  it('SA_NODEFER lets a handler be entered again from inside itself; without it the signal waits for the return', () => {
    const out = caseOutput('sigaction-flags.kproc');
    assert.match(out, /calls 3\nSA_NODEFER: handler a function, flags 0x54000000, own signal blocked 0\nenter depth 1\nenter depth 2\nenter depth 3\nleave depth 3\nleave depth 2\nleave depth 1\ncalls 3\n/);
    assert.match(out, /enter depth 1\nleave depth 1\nenter depth 1\nleave depth 1\nenter depth 1\nleave depth 1\ncalls 3\n/);
  });

  it('a real-time signal queues once per sending, a standard one once; blocked and unblocked in full 64-bit masks', () => {
    assert.equal(caseOutput('rt-signals-queue.kproc'), [
      'pending: SIGUSR1 1, SIGRTMIN 1, SIGRTMIN+1 1', 'blocked now: SIGRTMIN 1, SIGRTMIN+1 1',
      // Delivered lowest first, each handler entered before the one before it ran (no sa_mask).
      '7 deliveries: SIGRTMIN+1 SIGRTMIN+1 SIGRTMIN+1 SIGRTMIN+0 SIGRTMIN+0 SIGRTMIN+0 SIGUSR1',
      'pending after: SIGRTMIN 0', 'sa_mask holds SIGRTMIN+1: 1', '',
    ].join('\n'));
  });

  it('a sigset_t holds signals up to SIGRTMAX: added, blocked, pending, in sa_mask; sigfillset includes them', () => {
    assert.equal(caseOutput('sigrtmax-mask.kproc'), ['member 1 0 1', 'pending 1 1, hits 0', 'blocked 1', 'after unblocking SIGRTMAX: hits 2 0',
      'after unblocking all: hits 2 1', 'sa_mask has 63: 1', ''].join('\n'));
  });

  it('SIG_IGN throws away every queued instance of a real-time signal', () => {
    const out = mainOutput(`sigset_t set;
    signal(SIGRTMIN, on_rt);
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGRTMIN);
    kill(getpid(), SIGRTMIN);
    signal(SIGRTMIN, SIG_IGN);
    signal(SIGRTMIN, on_rt);
    kill(getpid(), SIGRTMIN);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("%d\\n", got);
    return 0;`, 'int got;\nvoid on_rt(int s) { (void)s; got++; }');
    assert.equal(out, '1\n');
  });

  it('pthread_attr_setstacksize records a size of PTHREAD_STACK_MIN or more; getstacksize reads it (8 MiB by default)', () => {
    assert.equal(caseOutput('thread-attr-stack.kproc'), 'default stack 8192 KiB, joinable 1\nsetstacksize(1000) = Invalid argument\n'
      + 'setstacksize(256 KiB) = 0, now 262144\nsum of squares 29\n');
  });

  it('a fault\'s signal cannot be blocked or ignored away (force_sig_fault); a handler sees SEGV_MAPERR or FPE_INTDIV', () => {
    assert.equal(caseOutput('fault-forced.kproc'), [
      'SIGSEGV blocked: killed by Segmentation fault', 'SIGSEGV ignored: killed by Segmentation fault',
      'SIGFPE ignored: killed by Floating point exception', 'handler: signal 11, si_code SEGV_MAPERR', 'SIGSEGV handled: exited 51',
      'handler: signal 8, si_code FPE_INTDIV', 'SIGFPE handled: exited 48', '',
    ].join('\n'));
  });

  it('pthread_rwlock: shared by readers, one writer once they let go, readers preferred; EDEADLK and EBUSY', () => {
    assert.equal(caseOutput('rwlock.kproc'), [
      'readers together: sum 600', 'writer waiting; tryrdlock = 0, trywrlock = Device or resource busy', 'one read hold left, value 0',
      'writer: in, value set to 7', 'after the writer: value 7', 'writer rdlock: Resource deadlock avoided',
      'writer wrlock: Resource deadlock avoided', 'writer tryrdlock: Device or resource busy', 'trywrlock when free: 0', '',
    ].join('\n'));
  });

  it('nanosleep: EINTR and the time left after a handler; EINVAL for a bad timespec', () => {
    const out = caseOutput('nanosleep-eintr.kproc');
    assert.match(out, /^nanosleep\(2 s\) = -1 \(Interrupted system call\), about 1700 ms left\n/);
    assert.match(out, /tv_nsec 1e9: -1 \(Invalid argument\)\ntv_sec -1: -1 \(Invalid argument\)\n$/);
  });

  it('a sleep stopped and continued goes on for what was left (restart_syscall) and returns 0', () => {
    assert.match(caseOutput('nanosleep-eintr.kproc'), /child: nanosleep = 0, rem about 800 ms\n/);
    const out = mainOutput(`pid_t child = fork();
    if (child == 0) {
        struct timespec t = { 1, 0 }, a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        int r = nanosleep(&t, NULL);
        unsigned left = sleep(1);
        clock_gettime(CLOCK_MONOTONIC, &b);
        printf("nanosleep %d, sleep %u, %ld00 ms\\n", r, left, ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000) / 100);
        return 0;
    }
    for (int i = 0; i < 2; i++) {
        usleep(200000);
        kill(child, SIGSTOP);
        waitpid(child, NULL, WUNTRACED);
        kill(child, SIGCONT);
        usleep(1000000);
    }
    waitpid(child, NULL, 0);
    return 0;`);
    // Both sleeps were stopped partway and slept their whole second all the same.
    assert.equal(out, 'nanosleep 0, sleep 0, 2000 ms\n');
  });
});
