// The file table and pipes: descriptors copied by fork and dup2, closed by exit and by exec
// (close-on-exec), a pipe's reader sleeping in pipe_read until data or end of file, a full ring,
// SIGPIPE and EPIPE, regular files under /tmp, and the errnos Linux gives for bad descriptors.

import assert from 'node:assert/strict';
import { HEADERS, bootSource, outputOf, runSource } from './vm-run';
import { runEngine } from './run-engine';
import { boot, KMachine } from '../../sim-core/machine';
import { checkInvariants } from '../../sim-core/kernel/invariants';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FD_HEADERS = `${HEADERS}\n#include <fcntl.h>\n#include <string.h>`;

function run(body: string, extra = ''): string {
  const r = runSource(`${FD_HEADERS}\n${extra}\nint main(void)\n{\n${body}\n}\n`);
  assert.equal(r.reason, 'exited', r.out);
  return r.out;
}

describe('kernel: files and pipes', () => {
  it('a pipe carries the child\'s writes to the parent, and read returns 0 once every writer has closed', () => {
    const out = run(`
    int fds[2];
    char buf[64];
    pipe(fds);
    if (fork() == 0) {
        close(fds[0]);
        write(fds[1], "one ", 4);
        write(fds[1], "two\\n", 4);
        _exit(0);
    }
    close(fds[1]);
    ssize_t n, total = 0;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0) { write(1, buf, n); total += n; }
    printf("total %zd, last %zd\\n", total, n);
    wait(NULL);
    return 0;`);
    assert.equal(out, 'one two\ntotal 8, last 0\n');
  });

  it('with a write end still open in the reader itself, the reader sleeps in pipe_read (no EOF): a deadlock', () => {
    const e = bootSource(`${FD_HEADERS}
int main(void)
{
    int fds[2];
    char c;
    pipe(fds);
    read(fds[0], &c, 1);
    return 0;
}
`);
    const end = runEngine(e, 100_000);
    assert.equal(end.reason, 'deadlock');
    const t = e.k.pid_hash.get(3);
    assert.ok(t && t.stack.some((f) => f.fn.name === 'pipe_read'), 'main sleeps inside pipe_read');
  });

  it('the ring holds 16 pages: 4096-byte writes fill 65536 bytes, 1000-byte writes merge four to a page (64000)', () => {
    const out = run(`
    int sizes[2] = { 4096, 1000 };
    char buf[4096];
    memset(buf, 'x', sizeof(buf));
    for (int i = 0; i < 2; i++) {
        int fds[2];
        pipe2(fds, O_NONBLOCK);
        long total = 0;
        ssize_t n;
        while ((n = write(fds[1], buf, sizes[i])) > 0) total += n;
        printf("%d: %ld %s\\n", sizes[i], total, errno == EAGAIN ? "EAGAIN" : "?");
        close(fds[0]);
        close(fds[1]);
    }
    return 0;`);
    assert.equal(out, '4096: 65536 EAGAIN\n1000: 64000 EAGAIN\n');
  });

  it('a blocked writer sleeps until the reader drains the ring; every byte arrives in order', () => {
    const out = run(`
    int fds[2];
    pipe(fds);
    if (fork() == 0) {
        char buf[4096];
        close(fds[0]);
        for (int i = 0; i < 20; i++) { memset(buf, 'a' + i % 26, sizeof(buf)); write(fds[1], buf, sizeof(buf)); }
        _exit(0);
    }
    close(fds[1]);
    char buf[1000];
    long n = 0, bad = 0;
    ssize_t got;
    while ((got = read(fds[0], buf, sizeof(buf))) > 0)
        for (ssize_t i = 0; i < got; i++, n++) if (buf[i] != 'a' + (n / 4096) % 26) bad++;
    printf("%ld bytes, %ld out of order\\n", n, bad);
    wait(NULL);
    return 0;`);
    assert.equal(out, '81920 bytes, 0 out of order\n');
  });

  it('a write with no reader left kills the writer with SIGPIPE; ignored, it fails with EPIPE', () => {
    const out = run(`
    int fds[2], status;
    pipe(fds);
    close(fds[0]);
    if (fork() == 0) { write(fds[1], "x", 1); _exit(0); }
    wait(&status);
    printf("signaled %d sig %d\\n", WIFSIGNALED(status), WTERMSIG(status));
    signal(SIGPIPE, SIG_IGN);
    ssize_t w = write(fds[1], "x", 1);
    printf("write %zd epipe %d\\n", w, errno == EPIPE);
    return 0;`);
    assert.equal(out, 'signaled 1 sig 13\nwrite -1 epipe 1\n');
  });

  it('a signal interrupts a reader sleeping in pipe_read: EINTR without SA_RESTART, the read restarts with it', () => {
    const out = run(`
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    int fds[2];
    char c = '?';
    pipe(fds);
    alarm(1);
    ssize_t r = read(fds[0], &c, 1);
    printf("%zd %d %d\\n", r, errno == EINTR, fired);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    if (fork() == 0) { sleep(2); write(fds[1], "z", 1); _exit(0); }
    alarm(1);
    r = read(fds[0], &c, 1);
    printf("%zd %c %d\\n", r, c, fired);
    wait(NULL);
    return 0;`, 'volatile int fired = 0;\nvoid on_alarm(int sig) { fired++; (void)sig; }');
    assert.equal(out, '-1 1 1\n1 z 2\n');
  });

  it('dup2 sends standard output to a file; reading it back, lseek and O_APPEND', () => {
    const out = run(`
    int fd = open("/tmp/out.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    int saved = dup(1);
    dup2(fd, 1);
    close(fd);
    write(1, "first line\\n", 11);
    dup2(saved, 1);
    fd = open("/tmp/out.txt", O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    write(fd, "second\\n", 7);
    close(fd);
    char buf[64];
    fd = open("/tmp/out.txt", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof(buf));
    write(1, buf, n);
    long size = (long)lseek(fd, 0, SEEK_END);
    long pos = (long)lseek(fd, -7, SEEK_CUR);
    printf("size %ld, pos %ld\\n", size, pos);
    n = read(fd, buf, 3);
    printf("%zd %.3s\\n", n, buf);
    return 0;`);
    assert.equal(out, 'first line\nsecond\nsize 18, pos 11\n3 sec\n');
  });

  it('bad descriptors and paths fail with the errnos Linux gives', () => {
    const out = run(`
    char c;
    long r;
    r = close(7);
    printf("%ld %d\\n", r, errno == EBADF);
    r = read(-1, &c, 1);
    printf("%ld %d\\n", r, errno == EBADF);
    r = write(9, "x", 1);
    printf("%ld %d\\n", r, errno == EBADF);
    r = dup2(0, -1);
    printf("%ld %d\\n", r, errno == EBADF);
    r = open("/tmp/none", O_RDONLY);
    printf("%ld %d\\n", r, errno == ENOENT);
    r = open("/tmp", O_WRONLY);
    printf("%ld %d\\n", r, errno == EISDIR);
    r = open("/bin/echo", O_WRONLY);
    printf("%ld %d\\n", r, errno == EACCES);
    int fd = open("/tmp/f", O_CREAT | O_WRONLY, 0600);
    r = open("/tmp/f", O_CREAT | O_EXCL | O_WRONLY, 0600);
    printf("%ld %d\\n", r, errno == EEXIST);
    r = read(fd, &c, 1);
    printf("%ld %d\\n", r, errno == EBADF);
    r = (long)lseek(0, 0, SEEK_SET);
    printf("%ld %d\\n", r, errno == ESPIPE);
    return 0;`);
    assert.equal(out, '-1 1\n-1 1\n-1 1\n-1 1\n-1 1\n-1 1\n-1 1\n-1 1\n-1 1\n-1 1\n');
  });

  it('the table stops at RLIMIT_NOFILE with EMFILE; descriptors are the lowest free', () => {
    const out = run(`
    struct rlimit rl = { 8, 8 };
    setrlimit(RLIMIT_NOFILE, &rl);
    int last = -1, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0) last = fd;
    printf("last %d emfile %d\\n", last, errno == EMFILE);
    close(4);
    printf("reuse %d\\n", open("/dev/null", O_RDONLY));
    return 0;`);
    assert.equal(out, 'last 7 emfile 1\nreuse 4\n');
  });

  it('exec closes O_CLOEXEC descriptors and keeps the others; fork shares the file position', () => {
    const out = run(`
    int keep = open("/dev/null", O_RDONLY);
    int gone = open("/dev/null", O_RDONLY | O_CLOEXEC);
    printf("flags %d %d\\n", fcntl(keep, F_GETFD), fcntl(gone, F_GETFD));
    int fd = open("/tmp/pos", O_CREAT | O_RDWR, 0600);
    if (fork() == 0) { write(fd, "abc", 3); _exit(0); }
    wait(NULL);
    printf("pos %ld\\n", (long)lseek(fd, 0, SEEK_CUR));
    char k[8], g[8];
    sprintf(k, "%d", keep);
    sprintf(g, "%d", gone);
    execl("/bin/check", "check", k, g, NULL);
    return 1;`, `
#pragma kproc program "/bin/check" check_main
int check_main(int argc, char *argv[])
{
    for (int i = 1; i < argc; i++)
        printf("fd %s: %s\\n", argv[i], fcntl(atoi(argv[i]), F_GETFD) < 0 ? "closed" : "open");
    return 0;
}`);
    assert.equal(out, 'flags 0 1\npos 3\nfd 3: open\nfd 4: closed\n');
  });

  it('threads share one table (CLONE_FILES): a descriptor one opens, the other uses; exit_files of a thread closes nothing', () => {
    const out = run(`
    pthread_t th;
    pthread_create(&th, NULL, opener, NULL);
    pthread_join(th, NULL);
    printf("%zd\\n", write(shared_fd, "x", 1));
    return 0;`, 'int shared_fd = -1;\nvoid *opener(void *arg) { shared_fd = open("/dev/null", O_WRONLY); return arg; }');
    assert.equal(out, '1\n');
  });

  it('every open file\'s f_count equals the descriptors on it, at every tick of the pipe example', () => {
    const e = bootSource(readFileSync(join(__dirname, '../../examples/pipe.kproc'), 'utf8'));
    let ticks = 0;
    for (; ticks < 200_000 && !e.finished(); ticks++) {
      e.tick();
      const errs = checkInvariants(e.k);
      assert.deepEqual(errs, [], `tick ${ticks}`);
    }
    assert.ok(e.finished(), 'the example ran to its end');
    assert.match(outputOf(e), /child: 102400 bytes/);
  });

  it('the terminal: reads return the text given as standard input a line at a time, then 0', () => {
    const e = bootSourceWithStdin(`
    char buf[100];
    ssize_t n;
    while ((n = read(0, buf, sizeof(buf))) > 0) printf("[%.*s]", (int)(n - 1), buf);
    printf(" end %zd\\n", n);
    return 0;`, 'ab\ncd\n');
    assert.equal(e, '[ab][cd] end 0\n');
  });
});

function bootSourceWithStdin(body: string, stdin: string): string {
  const r = boot({ file: 'main.kproc', source: `${FD_HEADERS}\nint main(void)\n{\n${body}\n}\n`, stdin });
  assert.ok(r.machine instanceof KMachine, JSON.stringify(r.diagnostics));
  const end = runEngine(r.machine.engine, 1_000_000);
  assert.equal(end.reason, 'exited');
  return outputOf(r.machine.engine);
}
