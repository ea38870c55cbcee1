// The system call line: the kernel's table holds only x86-64 system call names, and each C
// library function reaches the kernel through the calls glibc makes for it (which system calls,
// in which order, entering which kernel function), seen from scenarios booted as the product
// boots them.
import assert from 'node:assert/strict';
import * as C from '../../sim-core/kernel/consts';
import { SYSCALL_NAMES } from '../../sim-core/kernel/syscalls';
import { USER_CALLS } from '../../sim-core/lang/builtins-user';
import type { Engine } from '../../sim-core/machine/engine';
import { bootSource, HEADERS, outputOf } from './vm-run';
import { runEngine } from './run-engine';

/** x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl) of the calls the model may hold. */
const X86_64: Readonly<Record<string, number>> = {
  write: 1, ioctl: 16, rt_sigaction: 13, rt_sigprocmask: 14, rt_sigreturn: 15, sched_yield: 24, pause: 34, nanosleep: 35,
  getitimer: 36, alarm: 37, setitimer: 38, getpid: 39, clone: 56, fork: 57, vfork: 58, execve: 59, exit: 60, wait4: 61, kill: 62,
  getrlimit: 97, getrusage: 98, getuid: 102, getgid: 104, geteuid: 107, getegid: 108, setpgid: 109, getppid: 110, getpgrp: 111,
  setsid: 112, getpgid: 121, getsid: 124, rt_sigpending: 127, rt_sigtimedwait: 128, rt_sigqueueinfo: 129, rt_sigsuspend: 130, getpriority: 140, setpriority: 141, prctl: 157, gettid: 186,
  tkill: 200, futex: 202, restart_syscall: 219, clock_nanosleep: 230, exit_group: 231, tgkill: 234,
  waitid: 247, unshare: 272, prlimit64: 302, clone3: 435, gettimeofday: 96, time: 201, clock_gettime: 228,
  read: 0, open: 2, stat: 4, fstat: 5, close: 3, lseek: 8, pipe: 22, dup: 32, dup2: 33, fcntl: 72, getcwd: 79,
  chdir: 80, mkdir: 83, creat: 85, unlink: 87, getdents64: 217, openat: 257, mkdirat: 258, newfstatat: 262, unlinkat: 263,
  dup3: 292, pipe2: 293, lstat: 6, rmdir: 84, umask: 95, access: 21, faccessat: 269, faccessat2: 439, chmod: 90, fchmod: 91,
  fchmodat: 268, poll: 7, select: 23, mmap: 9, munmap: 11, shmget: 29, shmat: 30, shmctl: 31, shmdt: 67, ftruncate: 77, link: 86, linkat: 265,
  msgget: 68, msgsnd: 69, msgrcv: 70, msgctl: 71, mq_open: 240, mq_unlink: 241, mq_timedsend: 242, mq_timedreceive: 243, mq_getsetattr: 245,
  sched_setparam: 142, sched_getparam: 143, sched_setscheduler: 144, sched_getscheduler: 145, sched_get_priority_max: 146,
  sched_get_priority_min: 147, sched_rr_get_interval: 148, sched_setaffinity: 203, sched_getaffinity: 204, getcpu: 309,
};

/** C library functions that are not system calls of that name (or of any). */
const LIBC_ONLY = [
  'sleep', 'usleep', 'execv', 'execvp', 'execl', 'execlp', 'execle', 'wait', 'waitpid', 'pthread_create', 'pthread_join',
  'pthread_exit', 'pthread_self', 'raise', 'abort', 'signal', 'sigaction', 'sigprocmask', 'setrlimit', 'getrlimit',
  'nice', '_exit', 'printf', 'puts', 'perror', 'system', 'wait3', 'sigqueue', 'psiginfo',
];

describe('kernel: the system call table', () => {
  it('holds only x86-64 system call names', () => {
    const unknown = SYSCALL_NAMES.filter((n) => !(n in X86_64));
    assert.deepEqual(unknown, []);
    assert.deepEqual(SYSCALL_NAMES.filter((n) => LIBC_ONLY.includes(n) && !(n in X86_64)), []);
    for (const n of ['sleep', 'usleep', 'execvp', 'pthread_join', 'pthread_create', 'waitpid', 'raise', 'signal']) {
      assert.ok(!SYSCALL_NAMES.includes(n), `${n} is a C library function, not a system call`);
    }
  });

  it('holds the system call each catalog entry\'s kernel path starts with', () => {
    // write is answered by the engine itself. (stdout's first output asks isatty: ioctl TCGETS,
    // before the write, in every wrapper path below that prints.)
    const missing = USER_CALLS.filter((c) => c.kernelPath?.[0].startsWith('__x64_sys_'))
      .map((c) => (c.kernelPath as string[])[0].slice('__x64_sys_'.length))
      .filter((n) => !SYSCALL_NAMES.includes(n) && n !== 'write');
    assert.deepEqual([...new Set(missing)], []);
  });
});

interface Call { tid: number; name: string; args: unknown[]; entry: string }

/** Boots `body` as main's body and records every system call: who made it, and the kernel function it entered. */
function trace(src: string): { e: Engine; calls: Call[] } {
  const e = bootSource(src);
  const calls: Call[] = [];
  const enter = e.syscall.bind(e);
  e.syscall = (t, name, args) => {
    const depth = t.stack.length;
    enter(t, name, args);
    calls.push({ tid: t.pid, name, args: args.slice(), entry: t.stack.length > depth ? t.stack[depth].fn.name : '' });
  };
  return { e, calls };
}

const prog = (body: string, prelude = ''): string => `${HEADERS}\n${prelude}\nint main(void)\n{\n${body}\n}\n`;
const of = (calls: Call[], tid = 3): string[] => calls.filter((c) => c.tid === tid).map((c) => c.name);

describe('libc above, system calls below: the path of each wrapper', () => {
  it('sleep(1) is clock_nanosleep(CLOCK_REALTIME, 0, &ts, &ts), entering __x64_sys_clock_nanosleep', () => {
    const { e, calls } = trace(prog('printf("%u\\n", sleep(1));\n    return 0;'));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    const c = calls.find((x) => x.name === 'clock_nanosleep');
    assert.ok(c);
    assert.equal(c.entry, '__x64_sys_clock_nanosleep');
    assert.deepEqual(c.args.slice(0, 2), [0, 0]);
    assert.equal(c.args[2], c.args[3]);
    assert.deepEqual(of(calls), ['clock_nanosleep', 'ioctl', 'write', 'exit_group']);
    assert.equal(outputOf(e), '0\n');
  });

  it('sleep cut short by a handler returns the whole seconds left, as glibc does', () => {
    const { e } = trace(prog(`
    signal(SIGALRM, on_alarm);
    if (fork() == 0) {
        usleep(1500000);
        kill(getppid(), SIGALRM);
        _exit(0);
    }
    unsigned int left = sleep(5);
    printf("left %u errno %d\\n", left, errno);
    wait(NULL);
    return 0;`, 'void on_alarm(int sig) { (void)sig; }'));
    assert.equal(runEngine(e, 200000).reason, 'exited');
    // Interrupted at 1.5 s of 5: 3.5 s left, of which glibc reports the whole seconds.
    assert.equal(outputOf(e), `left 3 errno ${C.EINTR}\n`);
  });

  it('usleep is clock_nanosleep too, with no remaining time asked for', () => {
    const { e, calls } = trace(prog('usleep(10);\n    return 0;'));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.deepEqual(of(calls), ['clock_nanosleep', 'exit_group']);
    assert.equal(calls.find((c) => c.name === 'clock_nanosleep')?.args[3], 0);
  });

  it('execvp("nosuch") tries each PATH entry with execve and fails with ENOENT', () => {
    const { e, calls } = trace(prog('char *argv[] = { "nosuch", NULL };\n    int r = execvp("nosuch", argv);\n    printf("%d %d\\n", r, errno);\n    return 0;'));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    const execs = calls.filter((c) => c.name === 'execve');
    assert.deepEqual(execs.map((c) => [c.args[0], c.entry]), [['/bin/nosuch', '__x64_sys_execve'], ['/usr/bin/nosuch', '__x64_sys_execve']]);
    assert.equal(outputOf(e), `-1 ${C.ENOENT}\n`);
  });

  it('execve of what is there but cannot run: EACCES for a directory or a file without x, ENOEXEC for an unknown format', () => {
    const e = bootSource(prog(`
    char *argv[] = { "x", NULL };
    close(open("/tmp/plain", O_CREAT | O_WRONLY, 0644));
    close(open("/tmp/blob", O_CREAT | O_WRONLY, 0755));
    const char *paths[] = { "/tmp", "/tmp/plain", "/tmp/blob", "/tmp/plain/x", "/tmp/none" };
    for (int i = 0; i < 5; i++) {
        execv(paths[i], argv);
        printf("%d ", errno);
    }
    execvp("/tmp/plain", argv);
    printf("%d\\n", errno);
    return 0;`, '#include <fcntl.h>'));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(outputOf(e), `${C.EACCES} ${C.EACCES} ${C.ENOEXEC} 20 ${C.ENOENT} ${C.EACCES}\n`);
  });

  it('execlp finds a program in a later PATH entry; a name with a slash is not searched', () => {
    const { e, calls } = trace(prog(`
    if (fork() == 0) {
        execlp("tool", "tool", NULL);
        _exit(127);
    }
    int st = 0;
    wait(&st);
    char *argv[] = { "tool", NULL };
    execvp("./tool", argv);
    printf("status %d, ./tool: %d\\n", WEXITSTATUS(st), errno);
    return 0;`, '#pragma kproc program "/usr/bin/tool" tool_main\nint tool_main(void) { return 4; }'));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.deepEqual(calls.filter((c) => c.name === 'execve').map((c) => c.args[0]), ['/bin/tool', '/usr/bin/tool', './tool']);
    assert.equal(outputOf(e), `status 4, ./tool: ${C.ENOENT}\n`);
  });

  it('pthread_create is clone3; pthread_join sleeps in futex_wait until the thread\'s exit clears its tid word', () => {
    const { e, calls } = trace(prog(`
    pthread_t t;
    void *res;
    pthread_create(&t, NULL, worker, NULL);
    int r = pthread_join(t, &res);
    printf("join %d, %ld\\n", r, (long)res);
    return 0;`, 'void *worker(void *a) { usleep(1000); return (void *)42; }'));
    let tidWord = -1;
    let sleptInFutex = false;
    for (let i = 0; i < 10000 && !e.finished(); i++) {
      e.tick();
      const m = e.k.find_task_by_vpid(3);
      const w = e.k.find_task_by_vpid(4);
      const word = m && m.mm && m.mm.memory ? m.mm.memory.load(Number(calls.find((c) => c.name === 'futex')?.args[0] ?? 0)) : undefined;
      if (w && !w.exit_state && typeof word === 'number') tidWord = word;
      if (m && w && !w.exit_state && m.stack.some((f) => f.fn.name === 'futex_wait') && !m.se.on_rq) sleptInFutex = true;
    }
    assert.equal(outputOf(e), 'join 0, 42\n');
    assert.equal(tidWord, 4, 'the tid word held the thread id while the thread ran');
    assert.ok(sleptInFutex);
    const create = calls.find((c) => c.name === 'clone3');
    assert.equal(create?.entry, '__x64_sys_clone3');
    const futex = calls.find((c) => c.name === 'futex');
    assert.equal(futex?.entry, '__x64_sys_futex');
    // The thread ends with exit (not exit_group), and its exit woke the joiner.
    assert.deepEqual(of(calls, 4), ['clock_nanosleep', 'exit']);
    const exit = e.k.events.findIndex((ev) => ev.kind === 'exit' && ev.pid === 4);
    const wake = e.k.events.findIndex((ev) => ev.kind === 'wakeup' && ev.pid === 3 && ev.by === 4);
    assert.ok(exit >= 0 && wake >= 0);
  });

  it('a handler that interrupts pthread_join runs, then the join goes on waiting (no SA_RESTART: futex fails EINTR, the loop waits again)', () => {
    const { e, calls } = trace(prog(`
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t t;
    void *res;
    pid_t me = getpid();
    if (fork() == 0) {
        usleep(1000);
        kill(me, SIGUSR1);
        _exit(0);
    }
    pthread_create(&t, NULL, worker, NULL);
    int r = pthread_join(t, &res);
    printf("join %d result %ld\\n", r, (long)res);
    return 0;`, `#include <string.h>
void on_usr1(int sig) { printf("handler %d\\n", sig); }
void *worker(void *a) { usleep(3000); return (void *)5; }`));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(outputOf(e), `handler ${C.SIGUSR1}\njoin 0 result 5\n`);
    assert.deepEqual(of(calls), ['rt_sigaction', 'getpid', 'fork', 'clone3', 'futex', 'ioctl', 'write', 'rt_sigreturn', 'futex', 'write', 'exit_group']);
  });

  it('pthread_join of a thread that is already gone makes no system call', () => {
    const { e, calls } = trace(prog(`
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    sleep(1);
    printf("join %d\\n", pthread_join(t, NULL));
    return 0;`, 'void *worker(void *a) { return a; }'));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.deepEqual(of(calls), ['clone3', 'clock_nanosleep', 'ioctl', 'write', 'exit_group']);
    assert.equal(outputOf(e), 'join 0\n');
  });

  it('raise is gettid, getpid and tgkill; signal is rt_sigaction and returns the old handler', () => {
    const { e, calls } = trace(prog(`
    sighandler_t old = signal(SIGUSR1, on_usr1);
    sighandler_t mine = signal(SIGUSR1, on_usr1);
    printf("%d %d %d\\n", old == SIG_DFL, mine == on_usr1, raise(SIGUSR1));
    return 0;`, 'int got = 0;\nvoid on_usr1(int sig) { got = sig; }'));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.deepEqual(of(calls), ['rt_sigaction', 'rt_sigaction', 'gettid', 'getpid', 'tgkill', 'rt_sigreturn', 'ioctl', 'write', 'exit_group']);
    assert.deepEqual(calls.find((c) => c.name === 'tgkill')?.args, [3, 3, C.SIGUSR1]);
    assert.equal(calls.find((c) => c.name === 'tgkill')?.entry, '__x64_sys_tgkill');
    assert.equal(outputOf(e), '1 1 0\n');
  });

  it('abort unblocks SIGABRT and raises it; after a handler returns it resets SIG_DFL and raises again', () => {
    const { e, calls } = trace(prog(`
    int st = 0;
    if (fork() == 0) {
        signal(SIGABRT, on_abrt);
        abort();
    }
    wait(&st);
    printf("%d %d\\n", WIFSIGNALED(st), WTERMSIG(st));
    return 0;`, 'void on_abrt(int sig) { (void)sig; }'));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.deepEqual(of(calls, 4), [
      'rt_sigaction', 'rt_sigprocmask', 'gettid', 'getpid', 'tgkill', 'rt_sigreturn', 'rt_sigaction', 'gettid', 'getpid', 'tgkill',
    ]);
    assert.equal(outputOf(e), `1 ${C.SIGABRT}\n`);
  });

  it('wait and waitpid are wait4; exit and _exit are exit_group; pthread_exit is exit', () => {
    const { e, calls } = trace(prog(`
    if (fork() == 0)
        _exit(1);
    if (fork() == 0)
        pthread_exit(NULL);
    waitpid(-1, NULL, 0);
    wait(NULL);
    exit(0);`));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.deepEqual(of(calls), ['fork', 'fork', 'wait4', 'wait4', 'exit_group']);
    assert.deepEqual(calls.filter((c) => c.tid === 3 && c.name === 'wait4').map((c) => c.args), [[-1, 0, 0, 0], [-1, 0, 0, 0]]);
    assert.deepEqual(of(calls, 4), ['exit_group']);
    assert.deepEqual(of(calls, 5), ['exit']);
  });

  it('nice is getpriority, setpriority, getpriority; setrlimit and getrlimit are prlimit64', () => {
    const { e, calls } = trace(prog(`
    struct rlimit rl;
    getrlimit(RLIMIT_NPROC, &rl);
    setrlimit(RLIMIT_NPROC, &rl);
    printf("%d %ld\\n", nice(3), (long)rl.rlim_cur);
    return 0;`));
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.deepEqual(of(calls), ['prlimit64', 'prlimit64', 'getpriority', 'setpriority', 'getpriority', 'ioctl', 'write', 'exit_group']);
    assert.deepEqual(calls.find((c) => c.name === 'setpriority')?.args, [0, 0, 3]);
    assert.equal(outputOf(e), '3 4096\n');
  });
});
