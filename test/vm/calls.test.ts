// Calls that reach the kernel: the trap each libc call becomes, the errno convention of
// completeCall, fork's two returns, shared (CLONE_VM) versus copied memory, and signal frames.
import { strict as assert } from 'node:assert';
import {
  completeCall, functionAddress, functionAt, pendingCall, pushSignalFrame, readArgv, run, sigreturn, type Trap,
} from '../../sim-core/vm';
import { copyMemory, host, main, runToExit, start, startThread, step, type Started } from './helpers';

function syscall(t: Trap): { name: string; args: unknown[] } {
  assert.equal(t.kind, 'syscall', JSON.stringify(t));
  return t as { name: string; args: unknown[] };
}

/** Runs to the next trap named `name`, answering every other call with 0. */
function until(s: Started, name: string): Trap {
  for (let i = 0; i < 1000; i++) {
    const t = step(s);
    if (t.kind !== 'syscall' || t.name === name) return t;
    completeCall(s.regs, s.mem, 0);
  }
  throw new Error(`no ${name} trap`);
}

const H = '#include <stdio.h>\n#include <stdlib.h>\n#include <unistd.h>\n#include <signal.h>\n#include <sys/wait.h>\n#include <sched.h>\n#include <pthread.h>\n#include <errno.h>\n';

describe('vm: calls become traps', () => {
  const table: Array<[string, string, unknown[]]> = [
    ['exit(3) is exit_group', 'exit(3);', [3]],
    ['_exit(127) is exit_group', '_exit(127);', [127]],
    ['execl builds argv', 'execl("/bin/echo", "echo", "hi", "there", NULL);', ['/bin/echo', 'echo', 'hi', 'there']],
    ['execv passes the argv array', 'char *argv[] = { "sleep", "2", NULL }; execv("/bin/sleep", argv);', ['/bin/sleep', 'sleep', '2']],
    ['execvp searches /bin', 'char *argv[] = { "true", NULL }; execvp("true", argv);', ['/bin/true', 'true']],
    ['waitpid passes the status address', 'int st; waitpid(-1, &st, WNOHANG);', [-1, 0x1000000 + 2, 1]],
    ['kill', 'kill(42, SIGTERM);', [42, 15]],
    ['signal(SIGCHLD, SIG_IGN)', 'signal(SIGCHLD, SIG_IGN);', [17, 1]],
    ['printf is a write on fd 1', 'printf("%s=%d\\n", "x", 5);', [1, 'x=5\n']],
    ['puts adds a newline', 'puts("hello");', [1, 'hello\n']],
    ['fprintf(stderr) writes on fd 2', 'fprintf(stderr, "oops %d\\n", 1);', [2, 'oops 1\n']],
    ['setrlimit passes the struct fields', 'struct rlimit rl = { 5, 10 }; setrlimit(RLIMIT_NPROC, &rl);', [6, 5, 10]],
    ['nanosleep passes nanoseconds', 'struct timespec ts = { 1, 500 }; nanosleep(&ts, NULL);', [1000000500, 0]],
    ['prctl(PR_SET_NAME) passes the name', 'prctl(PR_SET_NAME, "a-very-long-thread-name");', [15, 'a-very-long-thr']],
  ];
  for (const [name, body, args] of table) {
    it(name, () => {
      const s = start(main(body, `${H}#include <sys/resource.h>\n#include <time.h>\n#include <sys/prctl.h>`));
      let t = step(s);
      const want = name.split(' ')[0] === 'exit(3)' || name.startsWith('_exit') ? 'exit_group'
        : /^exec/.test(name) ? 'execve' : /printf|puts/.test(name) ? 'write' : body.split('(')[0].split(' ').pop() as string;
      // Skip calls made before the one under test (none of these bodies make any).
      t = t.kind === 'syscall' && t.name !== want ? until(s, want) : t;
      const sc = syscall(t);
      assert.equal(sc.name, want);
      // execve carries the argv address; the kernel copies the strings out of user memory.
      assert.deepEqual(want === 'execve' ? [sc.args[0], ...readArgv(s.mem, sc.args[1] as number)] : sc.args, args);
    });
  }

  it('sigaction passes handler address, flags and mask', () => {
    const s = start(main('struct sigaction sa; memset(&sa, 0, sizeof(sa)); sa.sa_handler = on_child; sa.sa_flags = SA_RESTART | SA_NOCLDSTOP; sigemptyset(&sa.sa_mask); sigaddset(&sa.sa_mask, SIGTERM); sigaction(SIGCHLD, &sa, NULL);',
      `${H}#include <string.h>\nvoid on_child(int sig) { (void)sig; }`));
    const sc = syscall(step(s));
    assert.equal(sc.name, 'sigaction');
    const [signo, act, old, handler, flags, mask] = sc.args;
    assert.equal(signo, 17);
    assert.ok((act as number) > 0);
    assert.equal(old, 0);
    assert.equal(handler, functionAddress(s.image, 'on_child'));
    assert.equal(functionAt(s.image, handler as number), 'on_child');
    assert.equal(flags, 0x10000000 | 1);
    assert.equal(mask, 1 << 14);
  });

  it('clone passes flags first, then stack, start function and argument', () => {
    const s = start(main('char *stack = malloc(4096); clone(child_fn, stack + 4096, CLONE_VM | SIGCHLD, NULL);', `${H}int child_fn(void *arg) { return 0; }`));
    const sc = syscall(step(s));
    assert.equal(sc.name, 'clone');
    assert.equal(sc.args[0], 0x100 | 17);
    assert.equal(sc.args[2], functionAddress(s.image, 'child_fn'));
  });

  it('kernel calls: kthread_run formats its name, pr_info adds the level, current->pid reads through the host', () => {
    const s = start(`#include <linux/kthread.h>\nint work(void *d) { return 0; }\nint init_fn(void) { struct task_struct *t = kthread_run(work, NULL, "worker/%d", 3); pr_info("started %d\\n", t->pid); printk(KERN_INFO "me %d\\n", current->pid); return 0; }`, 'init_fn', []);
    const k = syscall(step(s));
    assert.deepEqual([k.name, k.args[1], k.args[2]], ['kthread_run', 0, 'worker/3']);
    assert.equal(k.args[0], functionAddress(s.image, 'work'));
    completeCall(s.regs, s.mem, { kref: 'task', id: 77 });
    assert.deepEqual(syscall(step(s)).args, ['\x016started 77\n']);
    completeCall(s.regs, s.mem, 0);
    const cur = syscall(step(s));
    assert.equal(cur.name, 'get_current');
    completeCall(s.regs, s.mem, { kref: 'task', id: 5 });
    assert.deepEqual(syscall(step(s)).args, ['\x016me 5\n']);
  });
});

describe('vm: completeCall and the C library conventions', () => {
  it('a -errno return becomes -1 and errno; perror prints glibc\'s text', () => {
    const s = start(main('int st; pid_t r = waitpid(-1, &st, 0); printf("%d %d\\n", r, errno == ECHILD); perror("waitpid"); return 0;', H));
    const r = runToExit(s, { waitpid: -10 });
    assert.equal(r.out, '-1 1\nwaitpid: No child processes\n');
  });

  it('direct convention returns error numbers as they are (pthread_create)', () => {
    const s = start(main('pthread_t t; int e = pthread_create(&t, NULL, worker, NULL); printf("%d %d\\n", e, errno);', `${H}void *worker(void *a) { return a; }`));
    assert.equal(runToExit(s, { pthread_create: 11 }).out, '11 0\n');
  });

  it('printf returns the number of characters it wrote', () => {
    const s = start(main('int n = printf("hello %d\\n", 12345); printf("%d\\n", n);', H));
    assert.equal(runToExit(s).out, 'hello 12345\n12\n');
  });

  it('the kernel writes out-parameters before completing (wait status and W macros)', () => {
    const s = start(main('int st = 0; waitpid(5, &st, 0); printf("%d %d %d %d\\n", WIFEXITED(st), WEXITSTATUS(st), WIFSIGNALED(st), WTERMSIG(st));', H));
    const t = syscall(step(s));
    assert.ok(s.mem.store(t.args[1] as number, 7 << 8));
    completeCall(s.regs, s.mem, 5);
    assert.equal(runToExit(s).out, '1 7 0 0\n');
  });

  it('W macros decode glibc\'s status layouts', () => {
    const s = start(main('int v[5] = { 9, 0x137f, 0xffff, 0x8b, 0x0100 }; int i; for (i = 0; i < 5; i++) printf("%d%d%d%d%d%d%d%d ", WIFEXITED(v[i]), WEXITSTATUS(v[i]), WIFSIGNALED(v[i]), WTERMSIG(v[i]), WIFSTOPPED(v[i]), WSTOPSIG(v[i]), WIFCONTINUED(v[i]), WCOREDUMP(v[i]) != 0);', H));
    // The text a gcc build of the same loop prints.
    assert.equal(runToExit(s).out, '00190000 019012711900 02550127025511 001110001 11000100 ');
  });

  it('pendingCall names the call waiting for the kernel', () => {
    const s = start(main('pause();', H));
    step(s);
    assert.equal(pendingCall(s.regs), 'pause');
    completeCall(s.regs, s.mem, -4);
    assert.equal(pendingCall(s.regs), null);
    assert.equal(s.regs.errno, 4);
  });
});

describe('vm: fork, threads and shared memory', () => {
  const FORK = main(`int x = 10;
    pid_t pid = fork();
    if (pid == 0) { x += 1; printf("child x=%d\\n", x); return 1; }
    printf("parent of %d x=%d\\n", pid, x);
    return 2;`, H);

  it('fork returns twice from the same statement with different values', () => {
    const parent = start(FORK);
    const t = syscall(step(parent));
    assert.equal(t.name, 'fork');
    // copy_thread and dup_mm: registers and memory are copied; the child's call returns 0.
    const child: Started = { image: parent.image, regs: parent.regs.clone(), mem: copyMemory(parent.mem) };
    completeCall(child.regs, child.mem, 0);
    completeCall(parent.regs, parent.mem, 1234);
    assert.equal(child.regs.line, parent.regs.line);
    const c = runToExit(child), p = runToExit(parent);
    assert.equal(c.out, 'child x=11\n');
    assert.equal(p.out, 'parent of 1234 x=10\n');
    assert.deepEqual([syscall(c.trap).args[0], syscall(p.trap).args[0]], [1, 2]);
  });

  it('a cloned memory is independent; a shared one (CLONE_VM) sees every write', () => {
    const src = `${H}int shared = 0;\nvoid *bump(void *arg) { shared += 5; return arg; }\nint main(void) { pid_t p = vfork(); if (p == 0) { shared = 42; _exit(0); } printf("%d\\n", shared); return 0; }`;
    for (const vm of [true, false]) {
      const parent = start(src);
      assert.equal(syscall(step(parent)).name, 'vfork');
      const mem = vm ? parent.mem : copyMemory(parent.mem);
      const child: Started = { image: parent.image, regs: parent.regs.clone(), mem };
      completeCall(child.regs, child.mem, 0);
      assert.equal(syscall(step(child)).name, 'exit_group');
      completeCall(parent.regs, parent.mem, 99);
      assert.equal(runToExit(parent).out, vm ? '42\n' : '0\n');
    }
  });

  it('a thread runs its start routine on its own stack and returns through exit', () => {
    const s = start(`${H}int counter = 1;\nvoid *worker(void *arg) { int local = (int)(long)arg; counter += local; return (void *)(long)(local * 2); }\nint main(void) { return counter; }`);
    const th = startThread(s.image, s.mem, 'worker', 20);
    const t = syscall(run(s.image, th, s.mem, host, { budget: 1000, stopAtStatements: false }));
    assert.deepEqual([t.name, t.args[0]], ['exit', 40]);
    assert.equal(syscall(step(s)).args[0], 21);
  });

  it('pthread_exit ends only the thread', () => {
    const s = start(`${H}void *worker(void *arg) { pthread_exit((void *)7); return arg; }\nint main(void) { return 0; }`);
    const th = startThread(s.image, s.mem, 'worker', 0);
    assert.deepEqual(syscall(run(s.image, th, s.mem, host, { budget: 1000, stopAtStatements: false })), { kind: 'syscall', name: 'exit', args: [7], line: 8 });
  });
});

describe('vm: signal frames', () => {
  it('a handler runs on top of an interrupted call and rt_sigreturn restores it', () => {
    const s = start(main('int r = pause(); printf("pause=%d errno=%d got=%d\\n", r, errno, got); return 0;', `${H}int got = 0;\nvoid on_usr1(int sig) { got = sig; errno = 0; }`));
    assert.equal(syscall(step(s)).name, 'pause');
    // Delivery interrupts pause with EINTR, then the frame runs the handler.
    completeCall(s.regs, s.mem, -4);
    assert.ok(pushSignalFrame(s.image, s.regs, s.mem, functionAddress(s.image, 'on_usr1') as number, 10));
    const t = syscall(step(s));
    assert.deepEqual([t.name, t.args[0]], ['rt_sigreturn', 10]);
    // Running again before sigreturn repeats the trap instead of running on.
    assert.equal(syscall(step(s)).name, 'rt_sigreturn');
    assert.ok(sigreturn(s.regs));
    // errno is thread memory, not saved by the signal frame: the handler's write stays.
    assert.equal(runToExit(s).out, 'pause=-1 errno=0 got=10\n');
  });

  it('SIG_DFL and SIG_IGN are not functions', () => {
    const s = start(main('return 0;', H));
    assert.equal(pushSignalFrame(s.image, s.regs, s.mem, 0, 10), false);
    assert.equal(pushSignalFrame(s.image, s.regs, s.mem, 1, 10), false);
  });
});
