// <stdlib.h> in the VM: strtol's bases, endptr and ERANGE, realloc, glibc's rand sequence, the
// environment, atexit and on_exit handlers at exit and at main's return, strsignal, psignal and psiginfo,
// bsearch, div and offsetof.
import { strict as assert } from 'node:assert';
import { completeCall, readString } from '../../sim-core/vm';
import { execEntry } from '../../sim-core/vm/entry';
import { build, runToExit, start, step, type Started } from './helpers';

const HEAD = '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\n#include <errno.h>\n#include <signal.h>\n';

function run(src: string): ReturnType<typeof runToExit> {
  return runToExit(start(`${HEAD}${src}`));
}

function out(body: string): string {
  const r = run(`int main(void) {\n${body}\nreturn 0; }`);
  assert.equal(r.trap.kind, 'syscall', JSON.stringify(r.trap));
  return r.out;
}

describe('vm: libc stdlib', () => {
  it('strtol reads bases 0, 8, 10 and 16 and sets endptr where it stopped', () => {
    assert.equal(out('char *e; long a = strtol("  -0x1fZ", &e, 0); long b = strtol("0755", NULL, 0); long c = strtol("0x", &e, 16);\nprintf("%ld %ld %ld [%s] ", a, b, c, e); long d = strtol("z", &e, 36); long f = strtol("  +12abc", &e, 10); printf("%ld %ld [%s]\\n", d, f, e);'),
      '-31 493 0 [x] 35 12 [abc]\n');
    assert.equal(out('char *e; const char *s = "  xyz"; long v = strtol(s, &e, 10); printf("%ld %d\\n", v, (int)(e - s));'), '0 0\n');
  });

  it('strtol saturates with ERANGE; strtoul negates in unsigned; a bad base is EINVAL', () => {
    assert.equal(out('errno = 0; long a = strtol("99999999999999999999", NULL, 10); int e1 = errno; errno = 0; long b = strtol("-99999999999999999999", NULL, 10); int e2 = errno;\nprintf("%ld %d %ld %d\\n", a, e1 == ERANGE, b, e2 == ERANGE);'),
      '9223372036854775807 1 -9223372036854775808 1\n');
    assert.equal(out('errno = 0; unsigned long u = strtoul("-1", NULL, 10); int e0 = errno; unsigned long w = strtoul("18446744073709551616", NULL, 10); printf("%lu %d %lu %d ", u, e0, w, errno == ERANGE); errno = 0; long x = strtol("10", NULL, 1); printf("%ld %d\\n", x, errno == EINVAL);'),
      '18446744073709551615 0 18446744073709551615 1 0 1\n');
    assert.equal(out('printf("%ld %lld %d\\n", atol(" -42x"), atoll("9223372036854775807"), atoi("12"));'), '-42 9223372036854775807 12\n');
  });

  it('realloc keeps the contents when it grows or shrinks; NULL is malloc, size 0 frees', () => {
    assert.equal(out('int *p = realloc(NULL, 2 * sizeof(int)); p[0] = 7; p[1] = 8; p = realloc(p, 100 * sizeof(int)); p[99] = 9; int *q = realloc(p, sizeof(int)); int first = q[0]; printf("%d %d\\n", first, realloc(q, 0) == NULL);'),
      '7 1\n');
    assert.equal(out('size_t huge = -1; size_t half = 1UL << 63; int *p = calloc(4, sizeof(int)); int a = calloc(huge, 16) == NULL; int b = calloc(half, 2) == NULL; printf("%d %d %d %d\\n", p[3], a, b, errno == ENOMEM);'), '0 1 1 1\n');
    assert.equal(out('size_t half = 1UL << 63; int *p = malloc(8); p[0] = 5; int a = realloc(p, half) == NULL; printf("%d %d %d\\n", a, p[0], malloc(half) == NULL);'), '1 5 1\n');
  });

  it('rand gives glibc\'s sequence: seed 1 without srand, and after srand(42)', () => {
    assert.equal(out('int i; for (i = 0; i < 3; i++) printf("%d ", rand()); srand(42); for (i = 0; i < 3; i++) printf("%d ", rand()); srand(1); printf("%d %d\\n", rand(), RAND_MAX);'),
      '1804289383 846930886 1681692777 71876166 708592740 1483128881 1804289383 2147483647\n');
  });

  it('rand\'s state is per process: a fork\'s child draws the same numbers as its parent', () => {
    const s = start(`${HEAD}int main(void) { srand(7); rand(); getpid(); printf("%d\\n", rand()); return 0; }`);
    const t = step(s);
    assert.equal(t.kind === 'syscall' && t.name, 'getpid');
    const child: Started = { image: s.image, mem: s.mem.clone() as Started['mem'], regs: s.regs.clone() };
    completeCall(s.regs, s.mem, 1);
    completeCall(child.regs, child.mem, 1);
    const a = runToExit(s).out, b = runToExit(child).out;
    assert.equal(a, b);
    assert.match(a, /^\d+\n$/);
  });

  it('putenv puts the string itself in (a later change shows), replaces a name, and unsets one given without =', () => {
    assert.equal(out('static char v[] = "P=one"; putenv(v); v[2] = \'O\'; printf("%s|", getenv("P")); putenv("P=two"); printf("%s|", getenv("P")); int r = putenv("P"); printf("%d %d\\n", r, getenv("P") == NULL);'),
      'One|two|0 1\n');
  });

  it('getenv reads the environment execve gave; setenv (with and without overwrite) and unsetenv change it', () => {
    const image = build(`${HEAD}int main(void) { printf("%s %s|", getenv("HOME"), getenv("NONE") == NULL ? "none" : "?"); setenv("HOME", "/x", 0); printf("%s|", getenv("HOME")); setenv("HOME", "/y", 1); setenv("NEW", "v", 0); unsetenv("A"); printf("%s %s %d %d\\n", getenv("HOME"), getenv("NEW"), getenv("A") == NULL, setenv("B=C", "1", 1)); return 0; }`);
    const e = execEntry(image, 'main', ['main'], ['A=1', 'HOME=/root']);
    assert.ok(e);
    assert.equal(runToExit({ image, mem: e.memory, regs: e.regs }).out, '/root none|/root|/y v 1 -1\n');
  });

  it('execl passes the caller\'s environment; execle the envp after its NULL', () => {
    const s = start(`${HEAD}int main(void) { char *envp[] = { "X=1", NULL }; setenv("Y", "2", 1); if (getpid() == 1) execle("/bin/p", "p", (char *)NULL, envp); execl("/bin/p", "p", (char *)NULL); return 0; }`);
    const envOf = (addr: unknown): unknown[] => {
      const out: unknown[] = [];
      // environ's entries point at strings in memory, as the kernel reads them.
      for (let a = Number(addr); s.mem.load(a) !== 0 && s.mem.load(a) !== undefined; a++) out.push(readString(s.mem, s.mem.load(a)));
      return out;
    };
    let t = step(s);
    assert.equal(t.kind === 'syscall' && t.name, 'getpid');
    completeCall(s.regs, s.mem, 1);
    t = step(s);
    assert.ok(t.kind === 'syscall' && t.name === 'execve');
    assert.deepEqual(envOf(t.args[2]), ['X=1']);
    completeCall(s.regs, s.mem, -2);
    t = step(s);
    assert.ok(t.kind === 'syscall' && t.name === 'execve');
    assert.deepEqual(envOf(t.args[2]), ['Y=2']);
  });

  it('exit runs the atexit handlers newest first and keeps its status; main\'s return does too; _exit does not', () => {
    const prog = (end: string): string => `void a(void) { printf("a "); }\nvoid b(void) { printf("b "); }\nint main(void) { atexit(a); atexit(b); atexit(a); printf("main "); ${end} }`;
    const r1 = run(prog('exit(3);'));
    assert.equal(r1.out, 'main a b a ');
    assert.deepEqual(r1.trap.kind === 'syscall' && [r1.trap.name, r1.trap.args[0]], ['exit_group', 3]);
    const r2 = run(prog('return 5;'));
    assert.equal(r2.out, 'main a b a ');
    assert.deepEqual(r2.trap.kind === 'syscall' && [r2.trap.name, r2.trap.args[0]], ['exit_group', 5]);
    // _exit neither runs the handlers nor flushes stdout: "main " dies in the buffer.
    const r3 = run(prog('_exit(4);'));
    assert.equal(r3.out, '');
  });

  it('a handler may register another, which runs next; a handler that calls exit ends there', () => {
    const r = run('void c(void) { printf("c "); }\nvoid b(void) { printf("b "); atexit(c); }\nvoid a(void) { printf("a "); exit(9); }\nint main(void) { atexit(a); atexit(b); return 1; }');
    assert.equal(r.out, 'b c a ');
  });

  it('on_exit handlers share atexit\'s list and get the status and their argument, at exit and at main\'s return', () => {
    const prog = (end: string): string => `int tag = 7;\nvoid h(int st, void *p) { printf("h%d:%d ", st, *(int *)p); }\nvoid a(void) { printf("a "); }\nint main(void) { on_exit(h, &tag); atexit(a); on_exit(h, &tag); ${end} }`;
    assert.equal(run(prog('exit(-2);')).out, 'h-2:7 a h-2:7 ');
    const r = run(prog('return 4;'));
    assert.equal(r.out, 'h4:7 a h4:7 ');
    assert.deepEqual(r.trap.kind === 'syscall' && [r.trap.name, r.trap.args[0]], ['exit_group', 4]);
  });

  it('strsignal and psignal word signals as glibc does', () => {
    assert.equal(out('printf("%s|%s|%s|%s|%s\\n", strsignal(SIGSEGV), strsignal(SIGCHLD), strsignal(34), strsignal(36), strsignal(99));'),
      'Segmentation fault|Child exited|Real-time signal 0|Real-time signal 2|Unknown signal 99\n');
    const r = run('int main(void) { psignal(SIGINT, "caught"); psignal(SIGKILL, NULL); fprintf(stderr, "e%d\\n", 1); dprintf(2, "d%d\\n", 2); fputs("f\\n", stdout); return 0; }');
    assert.equal(r.out, 'caught: Interrupt\nKilled\ne1\nd2\nf\n');
  });
});

describe('vm: psiginfo', () => {
  it('words a siginfo_t as glibc does: the sender, the child report, a fault address, real-time names', () => {
    const r = run(`int main(void) { siginfo_t si; memset(&si, 0, sizeof si);
  si.si_signo = SIGUSR1; si.si_code = SI_QUEUE; si.si_pid = 12; si.si_uid = 1000; psiginfo(&si, "got");
  si.si_signo = SIGCHLD; si.si_code = CLD_KILLED; si.si_status = 9; psiginfo(&si, NULL);
  si.si_signo = SIGSEGV; si.si_code = SEGV_MAPERR; si.si_pid = 0; si.si_uid = 0; psiginfo(&si, "");
  si.si_signo = SIGRTMIN + 2; si.si_code = SI_TKILL; si.si_pid = 5; psiginfo(&si, "rt");
  si.si_signo = SIGRTMAX - 3; si.si_code = 42; psiginfo(&si, "rt");
  si.si_signo = SIGRTMAX; psiginfo(&si, "max"); return 0; }`);
    assert.equal(r.out, 'got: User defined signal 1 (Signal sent by sigqueue() 12 1000)\n'
      + 'Child exited (Child has terminated abnormally and did not create a core file 12 9 1000)\n'
      + 'Segmentation fault (Address not mapped to object [(nil)])\n'
      + 'rt: SIGRTMIN+2 (Signal sent by tkill() 5 0)\nrt: SIGRTMAX-3 (42 5 0)\nmax: Unknown signal 64\n');
  });
});

describe('vm: qsort', () => {
  it('sorts with the program\'s comparison function, asking for pairs in glibc\'s merge order', () => {
    const r = run(`int n = 0;\nint cmp(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; n++; printf("%d%d ", x, y); return x - y; }\nint main(void) { int v[4] = {4, 3, 2, 1}; qsort(v, 4, sizeof(int), cmp); printf("| %d %d %d %d %d\\n", v[0], v[1], v[2], v[3], n); return 0; }`);
    // msort: [4 3] -> (4,3); [2 1] -> (2,1); merge [3 4] [1 2]: (3,1) (3,2).
    assert.equal(r.out, '43 21 31 32 | 1 2 3 4 4\n');
  });

  it('keeps equal elements in order (stable), moves whole structs, and leaves 0 or 1 elements alone', () => {
    const r = run(`struct p { int key; int tag; };\nint cmp(const void *a, const void *b) { return ((const struct p *)a)->key - ((const struct p *)b)->key; }\nint never(const void *a, const void *b) { printf("called "); return 0; }\nint main(void) { struct p v[5] = {{2, 0}, {1, 1}, {2, 2}, {1, 3}, {0, 4}}; int i; qsort(v, 5, sizeof(struct p), cmp); for (i = 0; i < 5; i++) printf("%d/%d ", v[i].key, v[i].tag); qsort(v, 1, sizeof(struct p), never); qsort(v, 0, sizeof(struct p), never); printf("\\n"); return 0; }`);
    assert.equal(r.out, '0/4 1/1 1/3 2/0 2/2 \n');
  });

  it('a comparison function may make system calls; a bad function pointer faults', () => {
    const r = run(`int cmp(const void *a, const void *b) { getpid(); return *(const int *)b - *(const int *)a; }\nint main(void) { int v[3] = {1, 3, 2}; qsort(v, 3, sizeof(int), cmp); printf("%d %d %d\\n", v[0], v[1], v[2]); return 0; }`);
    assert.equal(r.out, '3 2 1\n');
    assert.equal(r.calls.filter((c) => c === 'getpid').length, 3);
    const bad = runToExit(start(`${HEAD}int main(void) { int v[2] = {2, 1}; int (*f)(const void *, const void *) = 0; qsort(v, 2, sizeof(int), f); return 0; }`));
    assert.equal(bad.trap.kind, 'fault');
  });
});

describe('vm: bsearch, div, offsetof and the small <stdlib.h> helpers', () => {
  it('bsearch halves the range as glibc does, comparing the key first, and returns the element or NULL', () => {
    const r = run(`int cmp(const void *k, const void *e) { printf("%d ", *(const int *)e); return *(const int *)k - *(const int *)e; }\nint main(void) { int v[7] = {1, 3, 5, 7, 9, 11, 13}; int k = 11, m = 4; int *p = bsearch(&k, v, 7, sizeof v[0], cmp); int *q = bsearch(&m, v, 7, sizeof(int), cmp); printf("| %d %d %d\\n", (int)(p - v), q == NULL, bsearch(&k, v, 0, sizeof(int), cmp) == NULL); return 0; }`);
    // [0,7): 7; [4,7): 11 found. Then 7, 3 ([0,3)), 5 ([2,3)): not found.
    assert.equal(r.out, '7 11 7 3 5 | 5 1 1\n');
  });

  it('bsearch finds whole structs by a key member', () => {
    const r = run(`struct e { int id; const char *name; };\nint byid(const void *k, const void *e) { return *(const int *)k - ((const struct e *)e)->id; }\nint main(void) { struct e t[4] = {{2, "two"}, {4, "four"}, {8, "eight"}, {16, "sixteen"}}; int k = 8; struct e *f = bsearch(&k, t, 4, sizeof t[0], byid); printf("%s %d\\n", f->name, (int)(f - t)); return 0; }`);
    assert.equal(r.out, 'eight 2\n');
  });

  it('div, ldiv and lldiv truncate toward zero with the remainder taking the numerator\'s sign', () => {
    assert.equal(out('div_t a = div(17, 5); div_t b = div(-7, 2); ldiv_t c = ldiv(-9000000000L, 7L); lldiv_t d = lldiv(7LL, -2LL); printf("%d %d %d %d %ld %ld %lld %lld\\n", a.quot, a.rem, b.quot, b.rem, c.quot, c.rem, d.quot, d.rem);'),
      '3 2 -3 -1 -1285714285 -5 -3 1\n');
    assert.equal(out('div_t r; int i; for (i = 0; i < 3; i++) { r = div(10 + i, 3); printf("%d,%d ", r.quot, r.rem); } printf("%zu %zu\\n", sizeof(div_t), sizeof(ldiv_t));'), '3,1 3,2 4,0 8 16\n');
    // A member of the struct a call returns, the library's or the program's own.
    const r = run(`struct pr { int a; int b; };\nstruct pr mk(int x) { struct pr p; p.a = x; p.b = 2 * x; return p; }\nint main(void) { printf("%d %d %d %ld\\n", div(17, 5).rem, mk(5).b, mk(7).a, ldiv(100L, 7L).quot); return 0; }`);
    assert.equal(r.out, '2 10 7 14\n');
  });

  it('offsetof gives byte offsets with x86-64 padding; llabs and getpagesize', () => {
    const r = run(`struct rec { char tag; int n; char c; long l; short s[3]; double d; };\nint main(void) { printf("%zu %zu %zu %zu %zu %zu %zu\\n", offsetof(struct rec, tag), offsetof(struct rec, n), offsetof(struct rec, c), offsetof(struct rec, l), offsetof(struct rec, s), offsetof(struct rec, d), offsetof(div_t, rem)); printf("%lld %lld %d\\n", llabs(-5000000000LL), llabs(9LL), getpagesize()); return 0; }`);
    assert.equal(r.out, '0 4 8 16 24 32 4\n5000000000 9 4096\n');
    const c = run(`struct s { char a; int b; long c; };\nchar pad[offsetof(struct s, c)]; static const size_t where = offsetof(struct s, b);\nint main(void) { switch (4) { case offsetof(struct s, b): printf("case "); } printf("%zu %zu\\n", sizeof pad, where); return 0; }`);
    assert.equal(c.out, 'case 8 4\n');
    assert.throws(() => start(`${HEAD}struct s { int a; };\nint main(void) { return (int)offsetof(struct s, nope); }`), /'struct s' has no member named 'nope'/);
  });
});

describe('vm: perror and strerror', () => {
  it('word errno values as glibc does, past the process-management ones too', () => {
    const r = run('int main(void) { errno = ENOENT; perror("open"); errno = 75; perror(NULL); printf("%s|%s|%s|%s\\n", strerror(110), strerror(41), strerror(134), strerror(-3)); return 0; }');
    assert.equal(r.out, 'open: No such file or directory\nValue too large for defined data type\nConnection timed out|Unknown error 41|Unknown error 134|Unknown error -3\n');
  });
});
