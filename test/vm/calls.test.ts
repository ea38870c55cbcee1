// Calls that reach the kernel: the trap each libc call becomes, the errno convention of
// completeCall, fork's two returns, shared (CLONE_VM) versus copied memory, and signal frames.
import { strict as assert } from 'node:assert';
import {
  SEGMENT_SPAN, completeCall, functionAddress, functionAt, pendingCall, pushSignalFrame, readArgv, run, sigreturn, type Trap,
} from '../../sim-core/vm';
import { copyMemory, host, main, runToExit, start, startThread, step, type Started } from './helpers';

function syscall(t: Trap): { name: string; args: unknown[] } {
  assert.equal(t.kind, 'syscall', JSON.stringify(t));
  return t as { name: string; args: unknown[] };
}


const H = '#include <stdio.h>\n#include <stdlib.h>\n#include <unistd.h>\n#include <signal.h>\n#include <sys/wait.h>\n#include <sched.h>\n#include <pthread.h>\n#include <errno.h>\n';

describe('vm: calls become traps', () => {
  // [test, body, the x86-64 system call it makes, its arguments (execve's envp is environ, an
  // empty array here, not NULL); a pointer argument is shown as
  // the cells it points at]
  const table: Array<[string, string, string, unknown[]]> = [
    ['exit(3) is exit_group', 'exit(3);', 'exit_group', [3]],
    ['_exit(127) is exit_group', '_exit(127);', 'exit_group', [127]],
    ['execl builds argv', 'execl("/bin/echo", "echo", "hi", "there", NULL);', 'execve', ['/bin/echo', ['echo', 'hi', 'there'], []]],
    ['execv passes the argv array', 'char *argv[] = { "sleep", "2", NULL }; execv("/bin/sleep", argv);', 'execve', ['/bin/sleep', ['sleep', '2'], []]],
    ['execvp tries the first PATH entry', 'char *argv[] = { "true", NULL }; execvp("true", argv);', 'execve', ['/bin/true', ['true'], []]],
    ['execvp searches the environment\'s PATH', 'setenv("PATH", ":/opt/bin", 1); char *argv[] = { "t", NULL }; execvp("t", argv);', 'execve', ['t', ['t'], ['PATH=:/opt/bin']]],
    ['execvp with a slash execs the path as it is', 'char *argv[] = { "t", NULL }; execvp("./t", argv);', 'execve', ['./t', ['t'], []]],
    ['waitpid is wait4', 'int st; waitpid(-1, &st, WNOHANG);', 'wait4', [-1, 0x1000000 + 2, 1, 0]],
    ['wait is wait4(-1, st, 0)', 'wait(NULL);', 'wait4', [-1, 0, 0, 0]],
    ['wait3 is wait4(-1, st, options, ru)', 'wait3(NULL, WNOHANG, NULL);', 'wait4', [-1, 0, 1, 0]],
    ['wait4 passes its four arguments', 'wait4(5, NULL, WUNTRACED, NULL);', 'wait4', [5, 0, 2, 0]],
    ['sigqueue is rt_sigqueueinfo with SI_QUEUE and the value', 'union sigval v; v.sival_int = 9; sigqueue(4, SIGUSR1, v);', 'rt_sigqueueinfo', [4, 10, -1, 9]],
    ['kill', 'kill(42, SIGTERM);', 'kill', [42, 15]],
    ['signal is rt_sigaction with SA_RESTART (and SA_RESTORER) and its signal blocked', 'signal(SIGCHLD, SIG_IGN);', 'rt_sigaction', [17, [1, 1 << 16, 0x10000000 | 0x04000000], [0, 0, 0], 8]],
    ['sigprocmask is rt_sigprocmask', 'sigset_t s; sigemptyset(&s); sigprocmask(SIG_BLOCK, &s, NULL);', 'rt_sigprocmask', [0, [0], 0, 8]],
    // The first output sets stdout's buffer up: glibc asks whether fd 1 is a terminal (isatty).
    ['printf first asks whether stdout is a terminal (ioctl TCGETS)', 'printf("%s=%d\\n", "x", 5);', 'ioctl', [1, 0x5401, [0]]],
    ['puts too', 'puts("hello");', 'ioctl', [1, 0x5401, [0]]],
    ['fprintf(stderr) writes on fd 2', 'fprintf(stderr, "oops %d\\n", 1);', 'write', [2, 'oops 1\n']],
    ['setrlimit is prlimit64(0, resource, new, NULL)', 'struct rlimit rl = { 5, 10 }; setrlimit(RLIMIT_NPROC, &rl);', 'prlimit64', [0, 6, [5, 10], 0]],
    ['getrlimit is prlimit64(0, resource, NULL, old)', 'struct rlimit rl; getrlimit(RLIMIT_NPROC, &rl);', 'prlimit64', [0, 6, 0, [0, 0]]],
    ['nanosleep is clock_nanosleep(CLOCK_REALTIME, 0, req, rem)', 'struct timespec ts = { 1, 500 }; nanosleep(&ts, NULL);', 'clock_nanosleep', [0, 0, [1, 500], 0]],
    ['sleep is clock_nanosleep(CLOCK_REALTIME, 0, &ts, &ts)', 'sleep(3);', 'clock_nanosleep', [0, 0, [3, 0], [3, 0]]],
    ['usleep is clock_nanosleep with no rem', 'usleep(1500000);', 'clock_nanosleep', [0, 0, [1, 500000000], 0]],
    ['raise starts with gettid', 'raise(SIGUSR1);', 'gettid', []],
    ['abort starts by unblocking SIGABRT', 'abort();', 'rt_sigprocmask', [1, [32], 0, 8]],
    ['nice starts with getpriority', 'nice(1);', 'getpriority', [0, 0]],
    ['prctl(PR_SET_NAME) passes the name', 'prctl(PR_SET_NAME, "a-very-long-thread-name");', 'prctl', [15, 'a-very-long-thr']],
  ];
  for (const [name, body, want, args] of table) {
    it(name, () => {
      const s = start(main(body, `${H}#include <sys/resource.h>\n#include <time.h>\n#include <sys/prctl.h>`));
      const sc = syscall(step(s));
      assert.equal(sc.name, want);
      // Pointers are shown by what they point at: the kernel copies it from user memory.
      const shown = sc.args.map((v, i) => {
        const want1 = args[i];
        if (!Array.isArray(want1) || typeof v !== 'number') return v;
        return want === 'execve' ? readArgv(s.mem, v) : want1.map((_c, j) => s.mem.load(v + j));
      });
      assert.deepEqual(shown, args);
    });
  }

  it('sigaction passes handler address, flags and mask', () => {
    const s = start(main('struct sigaction sa; memset(&sa, 0, sizeof(sa)); sa.sa_handler = on_child; sa.sa_flags = SA_RESTART | SA_NOCLDSTOP; sigemptyset(&sa.sa_mask); sigaddset(&sa.sa_mask, SIGTERM); sigaction(SIGCHLD, &sa, NULL);',
      `${H}#include <string.h>\nvoid on_child(int sig) { (void)sig; }`));
    const sc = syscall(step(s));
    assert.equal(sc.name, 'rt_sigaction');
    const [signo, act, old, size] = sc.args;
    assert.equal(signo, 17);
    assert.ok((act as number) > 0);
    assert.equal(old, 0);
    assert.equal(size, 8);
    // struct sigaction as the kernel reads it: handler, mask, flags.
    const [handler, mask, flags] = [0, 1, 2].map((i) => s.mem.load((act as number) + i));
    assert.equal(handler, functionAddress(s.image, 'on_child'));
    assert.equal(functionAt(s.image, handler as number), 'on_child');
    // glibc adds SA_RESTORER (its return trampoline) to the flags it passes.
    assert.equal(flags, 0x10000000 | 0x04000000 | 1);
    assert.equal(mask, 1 << 14);
  });

  it('clone passes flags first, then stack, start function and argument', () => {
    const s = start(main('char *stack = malloc(4096); clone(child_fn, stack + 4096, CLONE_VM | SIGCHLD, NULL);', `${H}int child_fn(void *arg) { return 0; }`));
    const sc = syscall(step(s));
    assert.equal(sc.name, 'clone');
    assert.equal(sc.args[0], 0x100 | 17);
    // clone(flags, newsp, parent_tid, child_tid, tls), then what the child side calls.
    assert.deepEqual(sc.args.slice(2, 5), [0, 0, 0]);
    assert.equal(sc.args[5], functionAddress(s.image, 'child_fn'));
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
  it('execvp goes on to the next PATH entry after ENOENT or EACCES and reports EACCES if any entry gave it', () => {
    const run1 = (answers: number[]): { out: string; paths: unknown[] } => {
      const s = start(main('char *argv[] = { "x", NULL }; int r = execvp("x", argv); printf("%d %d\\n", r, errno); return 0;', H));
      const paths: unknown[] = [];
      let i = 0;
      const r = runToExit(s, { execve: (args) => { paths.push(args[0]); return answers[i++] ?? -2; } });
      return { out: r.out, paths };
    };
    assert.deepEqual(run1([-13, -2]), { out: '-1 13\n', paths: ['/bin/x', '/usr/bin/x'] });
    assert.deepEqual(run1([-2, -2]), { out: '-1 2\n', paths: ['/bin/x', '/usr/bin/x'] });
    // Any other error ends the search at once (E2BIG here).
    assert.deepEqual(run1([-7]), { out: '-1 7\n', paths: ['/bin/x'] });
  });

  it('where a C library function of several calls is belongs to the registers: a copy goes on where the original was', () => {
    const s = start(main('char *argv[] = { "x", NULL }; execvp("x", argv); printf("%d\\n", errno); return 0;', H));
    const first = syscall(step(s));
    assert.deepEqual([first.name, first.args[0]], ['execve', '/bin/x']);
    const copy = s.regs.clone();
    completeCall(s.regs, s.mem, -2);
    completeCall(copy, s.mem, -2);
    assert.equal(syscall(step(s)).args[0], '/usr/bin/x');
    assert.equal(syscall(run(s.image, copy, s.mem, host, { budget: 1000, stopAtStatements: false })).args[0], '/usr/bin/x');
  });

  it('a -errno return becomes -1 and errno; perror prints glibc\'s text', () => {
    const s = start(main('int st; pid_t r = waitpid(-1, &st, 0); printf("%d %d\\n", r, errno == ECHILD); perror("waitpid"); return 0;', H));
    const r = runToExit(s, { wait4: -10 });
    assert.equal(r.out, '-1 1\nwaitpid: No child processes\n');
  });

  it('direct convention returns error numbers as they are (pthread_create)', () => {
    const s = start(main('pthread_t t; int e = pthread_create(&t, NULL, worker, NULL); printf("%d %d\\n", e, errno);', `${H}void *worker(void *a) { return a; }`));
    assert.equal(runToExit(s, { clone3: -11 }).out, '11 0\n');
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

  it('pthread_exit leaves the result in the thread\'s descriptor and ends only the thread (exit(0))', () => {
    const s = start(`${H}void *worker(void *arg) { pthread_exit((void *)7); return arg; }\nint main(void) { return 0; }`);
    const th = startThread(s.image, s.mem, 'worker', 0);
    th.self = s.mem.newBlock(2) * SEGMENT_SPAN;
    assert.deepEqual(syscall(run(s.image, th, s.mem, host, { budget: 1000, stopAtStatements: false })), { kind: 'syscall', name: 'exit', args: [0], line: 8 });
    assert.equal(s.mem.load(th.self + 1), 7);
  });

  it('a start routine\'s return value goes to the descriptor too; a clone()d function\'s is the exit status', () => {
    const s = start(`${H}void *worker(void *arg) { return (void *)9; }\nint main(void) { return 0; }`);
    const th = startThread(s.image, s.mem, 'worker', 0);
    th.self = s.mem.newBlock(2) * SEGMENT_SPAN;
    assert.deepEqual(syscall(run(s.image, th, s.mem, host, { budget: 1000, stopAtStatements: false })).args, [0]);
    assert.equal(s.mem.load(th.self + 1), 9);
    const bare = startThread(s.image, s.mem, 'worker', 0);
    assert.deepEqual(syscall(run(s.image, bare, s.mem, host, { budget: 1000, stopAtStatements: false })).args, [9]);
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
