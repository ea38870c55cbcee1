// The built-in programs of sim-core/userland run as scenario code: /bin/sh's -c language (dash's
// words, pipelines, redirections, lists and messages), cat, wc's columns, kill; and the C
// library's system(), popen() and pclose() that start the shell.

import assert from 'node:assert/strict';
import { HEADERS, runSource } from '../kernel/vm-run';
import { parse } from '../../sim-core/lang/parser';
import { check } from '../../sim-core/lang/checker';
import { userlandSources } from '../../sim-core/vm/programs';

const FD_HEADERS = `${HEADERS}\n#include <fcntl.h>\n#include <string.h>`;

function run(body: string, extra = ''): string {
  const r = runSource(`${FD_HEADERS}\n${extra}\nint main(void)\n{\n${body}\n}\n`, {}, 20_000_000);
  assert.equal(r.reason, 'exited', r.out);
  return r.out;
}

/** What `sh -c CMD` prints (stdout and stderr as they interleave) and how it ended. */
function sh(cmd: string, extra = ''): string {
  return run(`
    int st;
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", ${JSON.stringify(cmd)}, (char *)NULL);
        _exit(99);
    }
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) printf("[signal %d]\\n", WTERMSIG(st));
    else printf("[exit %d]\\n", WEXITSTATUS(st));
    return 0;`, extra);
}

describe('userland: built-in programs and the shell', () => {
  it('every source of the built-in programs passes the checker with no error', () => {
    for (const s of userlandSources()) {
      const p = parse(s.text);
      const errors = check(p.program, s.text).filter((d) => d.severity === 'error');
      assert.deepEqual(errors, [], s.file);
    }
  });

  it('sh -c: words with quotes and escapes, and a command not found (127, dash\'s message)', () => {
    assert.equal(sh(`echo "a  b" 'c "d"' e\\ f`), 'a  b c "d" e f\n[exit 0]\n');
    assert.equal(sh('nosuch arg'), 'sh: 1: nosuch: not found\n[exit 127]\n');
    assert.equal(sh('/no/such/path'), 'sh: 1: /no/such/path: not found\n[exit 127]\n');
    assert.equal(sh('echo -n a b; echo -n; echo c'), 'a bc\n[exit 0]\n');
  });

  it('words past the shell\'s 1000-character limit are cut, not written past the buffer', () => {
    const long = 'x'.repeat(1500);
    assert.equal(sh(`echo '${long}' "${long}$?" | wc -c`), `2002\n[exit 0]\n`);
  });

  it('pipelines of any length; the status is the last command\'s', () => {
    assert.equal(sh('echo one two three | cat | cat - | wc -w'), '3\n[exit 0]\n');
    assert.equal(sh('echo x | false'), '[exit 1]\n');
    assert.equal(sh('false | echo y; echo $?'), 'y\n0\n[exit 0]\n');
    assert.equal(sh('echo x | nosuch | cat; echo st=$?'), 'sh: 1: nosuch: not found\nst=0\n[exit 0]\n');
  });

  it('; && || and $? evaluated as each command runs', () => {
    assert.equal(sh('false && echo no || echo yes; true || echo no; echo $?'), 'yes\n0\n[exit 0]\n');
    assert.equal(sh('cat /nosuch; echo $?'), 'cat: /nosuch: No such file or directory\n1\n[exit 0]\n');
    assert.equal(sh('exit 300'), '[exit 44]\n');
    assert.equal(sh('false; exit'), '[exit 1]\n');
    assert.equal(sh('exit abc'), 'sh: 1: exit: Illegal number: abc\n[exit 2]\n');
  });

  it('redirections: > truncates, >> appends, < reads, 2>&1 joins stderr to the pipe', () => {
    assert.equal(sh('echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f; echo three > /tmp/f; cat /tmp/f'), 'one\ntwo\nthree\n[exit 0]\n');
    assert.equal(sh('nosuch 2>&1 | wc -l'), '1\n[exit 0]\n');
    assert.equal(sh('nosuch 2>/dev/null; echo $?'), '127\n[exit 0]\n');
    assert.equal(sh('cat < /nosuch'), 'sh: 1: cannot open /nosuch: No such file\n[exit 2]\n');
    assert.equal(sh('echo x > /nosuch/f'), 'sh: 1: cannot create /nosuch/f: Directory nonexistent\n[exit 2]\n');
  });

  it('syntax errors stop the whole line before anything runs (status 2)', () => {
    assert.equal(sh('echo a; | b'), 'sh: 1: Syntax error: "|" unexpected\n[exit 2]\n');
    assert.equal(sh('echo a &&'), 'sh: 1: Syntax error: end of file unexpected\n[exit 2]\n');
    assert.equal(sh('echo "abc'), 'sh: 1: Syntax error: Unterminated quoted string\n[exit 2]\n');
    assert.equal(sh('echo > ;'), 'sh: 1: Syntax error: ";" unexpected\n[exit 2]\n');
  });

  it('a command killed by a signal: its name on stderr, status 128+N', () => {
    assert.equal(sh('sh -c "kill -TERM \\$\\$"; echo $?'), 'Terminated\n143\n[exit 0]\n');
    // The shell that kill signals is the caller's process: it dies of the signal itself.
    assert.equal(sh('kill -9 $$'), '[signal 9]\n');
  });

  it('every foreground command of -c is a child of the shell, the last one included (Debian\'s dash 0.5.12)', () => {
    const prog = '#pragma kproc program "/bin/ppid" ppid_main\nint ppid_main(void)\n{\n    printf("parent %d\\n", getppid());\n    return 0;\n}\n';
    // main (pid 3) forks the shell as pid 4: its commands are its children, never the shell itself.
    assert.equal(sh('ppid', prog), 'parent 4\n[exit 0]\n');
    assert.equal(sh('ppid; ppid', prog), 'parent 4\nparent 4\n[exit 0]\n');
  });

  it('& runs in the background, wait waits for it; $! is its pid', () => {
    assert.equal(sh('sleep 2 & echo started; wait; echo done'), 'started\ndone\n[exit 0]\n');
    assert.equal(sh('sleep 5 & kill -9 $!; wait $!; echo $?'), '137\n[exit 0]\n');
  });

  it('wc: one count of one input in width 1, stdin in width 7, files in the width of their total', () => {
    assert.equal(sh('echo "a b" > /tmp/a; echo c >> /tmp/a; echo hello world foo > /tmp/b; wc /tmp/a; wc /tmp/a /tmp/b; cat /tmp/a | wc; wc -l < /tmp/a; wc -lc /tmp/a; wc < /tmp/b'),
      '2 3 6 /tmp/a\n 2  3  6 /tmp/a\n 1  3 16 /tmp/b\n 3  6 22 total\n      2       3       6\n2\n2 6 /tmp/a\n 1  3 16\n[exit 0]\n');
    assert.equal(sh('wc /nosuch'), 'wc: /nosuch: No such file or directory\n[exit 1]\n');
    // fstat, not a seek, tells a regular file: /dev/null can seek but is a device (width 7)
    assert.equal(sh('wc /dev/null'), '      0       0       0 /dev/null\n[exit 0]\n');
  });

  it('kill: -l lists as procps does, -s NAME and -N send, an unknown pid is reported', () => {
    assert.equal(sh('kill -l'), 'HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT\nCHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS\n[exit 0]\n');
    assert.equal(sh('kill -l 9; kill -l TERM'), 'KILL\n15\n[exit 0]\n');
    assert.equal(sh('kill 99999'), 'kill: (99999): No such process\n[exit 1]\n');
    assert.equal(sh('sleep 9 & kill -s USR1 $!; wait $!; echo $?'), '138\n[exit 0]\n');
  });

  it('grep: . * ^ $ patterns, -v -c -n -i, file names with several inputs, status 0/1/2', () => {
    assert.equal(sh('echo "one\ntwo\nthree\ntwenty" > /tmp/g; grep -n "^t.*e$" /tmp/g; grep -v o /tmp/g; grep -ci T /tmp/g /tmp/g; grep "w.*y" /tmp/g'),
      '3:three\nthree\ntwenty\n/tmp/g:3\n/tmp/g:3\ntwenty\n[exit 0]\n');
    assert.equal(sh('echo abc | grep zzz; echo $?; grep a /nosuch; echo $?; echo x | grep -n x - /nosuch'),
      '1\ngrep: /nosuch: No such file or directory\n2\n(standard input):1:x\ngrep: /nosuch: No such file or directory\n[exit 2]\n');
  });

  it('cat: files and - in order, a missing file reported and skipped (status 1)', () => {
    assert.equal(sh('echo A > /tmp/x; echo B | cat /tmp/x - /nosuch /tmp/x'), 'A\nB\ncat: /nosuch: No such file or directory\nA\n[exit 1]\n');
  });
});

describe('libc: system, popen, pclose', () => {
  it('system returns the wait status; 127 for a command not found; a signal as WTERMSIG; system(NULL) is 1', () => {
    const out = run(`
    int s = system("exit 3");
    printf("%d %d\\n", WIFEXITED(s), WEXITSTATUS(s));
    s = system("nosuch");
    printf("%d\\n", WEXITSTATUS(s));
    s = system("kill -9 $$");
    printf("%d %d\\n", WIFSIGNALED(s), WTERMSIG(s));
    printf("%d\\n", system(NULL));
    return 0;`);
    assert.equal(out, '1 3\nsh: 1: nosuch: not found\n127\n1 9\n1\n');
  });

  it('the environment stays the process\'s own after system and popen: a variable set before is still there after', () => {
    const out = run(`
    setenv("GREETING", "hello", 1);
    system("echo $GREETING");
    printf("after system: %s\\n", getenv("GREETING"));
    FILE *p = popen("echo $GREETING there", "r");
    char line[64];
    if (fgets(line, sizeof line, p)) printf("read: %s", line);
    pclose(p);
    printf("after popen: %s\\n", getenv("GREETING"));
    return 0;`, '#include <stdlib.h>');
    assert.equal(out, 'hello\nafter system: hello\nread: hello there\nafter popen: hello\n');
  });

  it('system ignores SIGINT in the caller while it waits, and puts the disposition back', () => {
    const out = run(`
    signal(SIGINT, SIG_IGN);
    signal(SIGINT, SIG_DFL);
    int s = system("kill -2 3; echo after");
    printf("%d\\n", WEXITSTATUS(s));
    struct sigaction sa;
    sigaction(SIGINT, NULL, &sa);
    printf("%d\\n", sa.sa_handler == SIG_DFL);
    return 0;`);
    assert.equal(out, 'after\n0\n1\n');
  });

  it('SIGCHLD is blocked while system waits: a handler that reaps runs only after system has the status', () => {
    const out = run(`
    struct sigaction sa = { .sa_handler = on_chld };
    sigaction(SIGCHLD, &sa, NULL);
    int s = system("exit 4");
    printf("status %d, handler ran %d, its waitpid %d\\n", WEXITSTATUS(s), ran, reaped);
    return 0;`, 'volatile int ran, reaped;\nvoid on_chld(int sig) { ran++; reaped = waitpid(-1, NULL, WNOHANG); }');
    assert.equal(out, 'status 4, handler ran 1, its waitpid -1\n');
  });

  it('popen "w" feeds the shell\'s standard input; pclose waits and returns its status', () => {
    const out = run(`
    FILE *f = popen("wc -c; exit 5", "w");
    fputs("hello world\\n", f);
    int s = pclose(f);
    printf("%d\\n", WEXITSTATUS(s));
    errno = 0;
    FILE *bad = popen("true", "x");
    printf("%d %d\\n", bad == NULL, errno == EINVAL);
    return 0;`);
    assert.equal(out, '12\n5\n1 1\n');
  });

  it('popen hands out a real FILE: fprintf stays in its buffer until pclose flushes it, fgets reads, fclose waits too', () => {
    const out = run(`
    FILE *w = popen("cat", "w");
    fprintf(w, "via %s %d\\n", "fprintf", 42);
    printf("before pclose\\n");
    fflush(stdout);
    int s = pclose(w);
    printf("cat %d\\n", WEXITSTATUS(s));
    FILE *r = popen("echo one; echo two; exit 3", "r");
    char buf[64];
    char *got = fgets(buf, sizeof(buf), r);
    printf("got %s", got);
    int fd = fileno(r);
    printf("fd %d\\n", fd);
    s = fclose(r);
    printf("fclose %d\\n", WEXITSTATUS(s));
    return 0;`);
    assert.equal(out, 'before pclose\nvia fprintf 42\ncat 0\ngot one\nfd 3\nfclose 3\n');
  });
});

describe('userland: ls and ps', () => {
  const MAKE = `
    mkdir("/tmp/d", 0755);
    const char *names[] = { "b", "A", ".h", "a" };
    for (int i = 0; i < 4; i++) {
        char p[32];
        snprintf(p, sizeof(p), "/tmp/d/%s", names[i]);
        close(open(p, O_WRONLY | O_CREAT, 0644));
    }`;

  it('ls sorts as strcmp does, skips hidden names without -a, lists a file by its name, and puts files before directories', () => {
    const out = run(`${MAKE}
    fflush(stdout);
    int s = system("ls /tmp/d; echo --; ls -a -1 /tmp/d; echo --; ls /tmp/d/a; echo --; ls /tmp/d /tmp/d/b");
    printf("%d\\n", WEXITSTATUS(s));
    return 0;`);
    assert.equal(out, 'A\na\nb\n--\n.\n..\n.h\nA\na\nb\n--\n/tmp/d/a\n--\n/tmp/d/b\n\n/tmp/d:\nA\na\nb\n0\n');
  });

  it('ls of a missing path says so on stderr and exits with 2; a bad option too', () => {
    const out = sh('ls /nosuch; echo $?; ls -z /tmp');
    assert.equal(out, "ls: cannot access '/nosuch': No such file or directory\n2\nls: invalid option -- 'z'\nTry 'ls --help' for more information.\n[exit 2]\n");
  });

  it('ps -o reads /proc: procps columns, a zombie as Z, pid columns as wide as pid_max - 1', () => {
    const out = run(`
    pid_t c = fork();
    if (c == 0) _exit(0);
    usleep(100000);
    fflush(stdout);
    system("ps -o pid,ppid,stat,nlwp,comm");
    return 0;`);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[0], '  PID  PPID STAT NLWP COMMAND');
    // main is in system's wait4, or (one CPU) woken by the exec and not yet run again
    assert.match(lines[1], /^    3     1 [RS]       1 \S+$/);
    assert.match(lines[2], /^    4     3 Z       1 \S+$/);
    assert.match(lines[lines.length - 1], /^ +\d+ +\d+ R       1 ps$/);
  });

  it('ps -f shows a zombie as [comm] <defunct> and the command lines; ps -e lists init and kthreadd', () => {
    const out = run(`
    pid_t c = fork();
    if (c == 0) _exit(0);
    usleep(100000);
    fflush(stdout);
    system("ps -f; ps -e");
    return 0;`);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[0], 'UID        PID  PPID  C STIME TTY          TIME CMD');
    assert.match(lines[2], /^1000         4     3  0 00:00 \?        00:00:00 \[\S+\] <defunct>$/);
    assert.ok(lines.some((l) => /^1000 +\d+ +\d+ +\d+ 00:00 \? +00:00:00 ps -f$/.test(l)), out);
    const e = lines.indexOf('  PID TTY          TIME CMD');
    assert.ok(e > 0, out);
    assert.equal(lines[e + 1], '    1 ?        00:00:00 init');
    assert.equal(lines[e + 2], '    2 ?        00:00:00 kthreadd');
  });
});
