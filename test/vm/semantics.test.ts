// C semantics of compiled code: each row is a program fragment and the exact text it prints.
import { strict as assert } from 'node:assert';
import { parse } from '../../sim-core/lang/parser';
import { compile } from '../../sim-core/vm';
import { main, output } from './helpers';

interface Row { name: string; body: string; out: string; prelude?: string }

const ROWS: Row[] = [
  { name: 'int wraps at 32 bits', body: 'int x = 2147483647; x++; int y = x - 1; printf("%d %d\\n", x, y);', out: '-2147483648 2147483647\n' },
  { name: 'int multiplication wraps like imul', body: 'int a = 65536; printf("%d %d\\n", a * a, 46341 * 46341);', out: '0 -2147479015\n' },
  { name: 'long keeps 53-bit values', body: 'long a = 65536; printf("%ld\\n", a * a * 1000);', out: '4294967296000\n' },
  { name: 'division truncates toward zero', body: 'printf("%d %d %d %d\\n", 7 / 2, -7 / 2, 7 / -2, -7 / -2);', out: '3 -3 -3 3\n' },
  { name: '% takes the sign of the dividend', body: 'int a = -7, b = 2; printf("%d %d %d\\n", a % b, 7 % -2, -7 % -2);', out: '-1 1 -1\n' },
  { name: 'unsigned int wraps to 4294967295', body: 'unsigned int u = 0; u--; printf("%u %d\\n", u, u > 0);', out: '4294967295 1\n' },
  { name: 'char and short truncate', body: 'char c = 300; short s = 70000; unsigned char uc = -1; printf("%d %d %d\\n", c, s, uc);', out: '44 4464 255\n' },
  { name: 'precedence of * over + and of shifts', body: 'printf("%d %d %d\\n", 2 + 3 * 4, 1 << 2 + 1, (1 | 2) & 3 ^ 1);', out: '14 8 2\n' },
  { name: 'shifts and bit operators', body: 'int x = -16; unsigned int u = 0x80000000; printf("%d %u %x %d\\n", x >> 2, u >> 31, ~0x0f & 0xff, x & 0xff);', out: '-4 1 f0 240\n' },
  { name: 'relational results are 0 or 1', body: 'printf("%d %d %d %d\\n", 3 < 4, 4 <= 3, !5, !!5);', out: '1 0 0 1\n' },
  {
    name: '&& and || short-circuit', prelude: 'int calls = 0;\nint touch(int v) { calls++; return v; }',
    body: 'int a = 0 && touch(1); int b = 1 || touch(1); int c = touch(1) && touch(0); printf("%d %d %d %d\\n", a, b, c, calls);', out: '0 1 0 2\n',
  },
  {
    name: 'a block-scope extern names the file-scope object (declared before or after), not a new local',
    prelude: 'int before = 5;\nvoid bump(void) { extern int after; after += 10; }\nint after = 1;',
    body: 'extern int before; before++; bump(); { extern int after; after++; printf("%d %d\\n", before, after); }', out: '6 12\n',
  },
  { name: 'a block-scope extern char **environ is the library\'s', prelude: '#include <stdlib.h>', body: 'extern char **environ; setenv("K", "v", 1); printf("%s %d\\n", environ[0], environ[1] == NULL);', out: 'K=v 1\n' },
  {
    name: 'an array of function pointers, called as t[i](x) and (*t[i])(x); (*f)(x) and (*fn)(x) are plain calls',
    prelude: 'int twice(int x) { return 2 * x; }\nint square(int x) { return x * x; }\nint (*table[2])(int) = { twice, square };',
    body: 'int (*mine[])(int) = { square, twice }; int (*f)(int) = twice; printf("%d %d %d %d %d\\n", table[1](5), (*table[0])(5), mine[0](3), (*f)(4), (**square)(6));',
    out: '25 10 9 8 36\n',
  },
  { name: 'conditional expression', body: 'int x = 5; printf("%s %d\\n", x > 3 ? "big" : "small", x < 0 ? -x : x * 2);', out: 'big 10\n' },
  { name: 'compound assignment', body: 'int x = 10; x += 5; x -= 3; x *= 2; x /= 4; x %= 4; x <<= 3; x |= 1; x ^= 3; x &= 0xff; printf("%d\\n", x);', out: '18\n' },
  { name: 'prefix and postfix increments', body: 'int i = 5; int a = i++; int b = ++i; int c = i--; printf("%d %d %d %d\\n", a, b, c, i);', out: '5 7 7 6\n' },
  { name: 'pointers to locals', body: 'int x = 1; int *p = &x; *p = 42; *p += 1; printf("%d %d\\n", x, *p);', out: '43 43\n' },
  {
    name: 'pointer out-parameters', prelude: 'void set(int *out, int v) { *out = v; }',
    body: 'int st = 0; set(&st, 7 << 8); printf("%d\\n", st >> 8);', out: '7\n',
  },
  { name: 'arrays and pointer arithmetic', body: 'int a[5] = {1, 2, 3}; int *p = a + 1; p[2] = 9; *(p + 3) = 8; printf("%d %d %d %d %d %ld\\n", a[0], a[1], a[3], a[4], *p, (p + 3) - a);', out: '1 2 9 8 2 4\n' },
  { name: 'array of strings (argv style)', body: 'char *args[] = { "ls", "-l", NULL }; int n = 0; while (args[n] != NULL) n++; printf("%d %s %s\\n", n, args[0], args[1]);', out: '2 ls -l\n' },
  { name: 'char arrays hold characters', body: 'char buf[8] = "hey"; buf[0] = \'H\'; printf("%s %d %d\\n", buf, buf[1], (int)strlen(buf));', out: 'Hey 101 3\n' },
  {
    name: 'struct fields with . and ->', prelude: 'struct point { int x; int y[2]; };\nvoid move(struct point *p) { p->x += 10; p->y[1] = p->x * 2; }',
    body: 'struct point p = { 1, { 2, 3 } }; move(&p); struct point q; q = p; printf("%d %d %d %d\\n", p.x, p.y[0], p.y[1], q.y[1]);', out: '11 2 22 22\n',
  },
  {
    name: 'designated initialisers and the sigaction layout',
    body: 'struct sigaction sa = { .sa_flags = SA_RESTART }; sa.sa_handler = SIG_IGN; printf("%d %d %ld %d\\n", (int)sa.sa_handler, sa.sa_flags == SA_RESTART, sizeof(sa), (int)sizeof(struct rlimit));', out: '1 1 152 16\n',
  },
  { name: 'sizeof gives x86-64 sizes', body: 'int a[10]; printf("%ld %ld %ld %ld %ld\\n", sizeof(int), sizeof(long), sizeof(char *), sizeof a, sizeof(pid_t));', out: '4 8 8 40 4\n' },
  {
    name: 'switch falls through until break',
    body: 'int i; for (i = 0; i < 5; i++) { switch (i) { case 0: printf("zero "); case 1: printf("one "); break; case 3: printf("three "); break; default: printf("other "); } } printf("\\n");',
    out: 'zero one one other three other \n',
  },
  {
    name: 'switch over a #define and nested loops with continue',
    prelude: '#define STOP 3',
    body: 'int i, n = 0; for (i = 0; i < 10; i++) { if (i % 2) continue; switch (i) { case STOP + 1: n += 100; break; default: n++; } } printf("%d\\n", n);', out: '104\n',
  },
  { name: 'while, do/while and break', body: 'int i = 0, j = 10; while (1) { if (++i == 4) break; } do { j--; } while (j > 5); printf("%d %d\\n", i, j);', out: '4 5\n' },
  {
    name: 'recursion', prelude: 'long fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }\nint fib(int n) { if (n < 2) return n; return fib(n - 1) + fib(n - 2); }',
    body: 'printf("%ld %d\\n", fact(15), fib(15));', out: '1307674368000 610\n',
  },
  {
    name: 'globals with static initialisers', prelude: '#define BASE 40\nint g = BASE + 2;\nint table[3] = { 1, 2, 3 };\nchar *name = "init";\nint *gp = &g;',
    body: 'table[1] += g; *gp = 1; printf("%d %d %s %d\\n", table[1], table[2], name, g);', out: '44 3 init 1\n',
  },
  {
    name: 'function pointers are text addresses', prelude: 'int twice(int x) { return 2 * x; }\nint apply(int (*f)(int), int v) { return f(v); }',
    body: 'int (*f)(int) = twice; printf("%d %d %d\\n", apply(twice, 4), f(5), f != 0);', out: '8 10 1\n',
  },
  { name: 'builtin constants keep their Linux values', body: 'printf("%d %d %d %d %d\\n", SIGCHLD, CLONE_VM | CLONE_VFORK | SIGCHLD, WNOHANG, ECHILD, RLIMIT_NPROC);', out: '17 16657 1 10 6\n' },
  { name: 'casts truncate', body: 'long big = 4294967297; printf("%d %d\\n", (int)big, (char)321);', out: '1 65\n' },
  { name: 'comma operator', body: 'int a, b; a = (b = 2, b + 3); printf("%d %d\\n", a, b);', out: '5 2\n' },
  // gcc -O0 on x86-64 evaluates a call's arguments right to left, reading a register local last.
  {
    name: 'call arguments are evaluated right to left', prelude: 'int log_of(int v) { printf("[%d]", v); return v; }\nvoid two(int a, int b) { printf(" %d %d\\n", a, b); }',
    body: 'two(log_of(1), log_of(2)); printf("%d %d\\n", log_of(3), log_of(4));', out: '[2][1] 1 2\n[4][3]3 4\n',
  },
  {
    name: 'a register local is read when the call is made, a global or addressed local in its place',
    prelude: 'int g;\nvoid two(int a, int b) { printf("%d %d,", a, b); }\nvoid twol(long a, long b) { printf("%ld %ld,", a, b); }',
    body: 'int i = 0, j = 0; int *p = &j; long w = 0; two(i++, i); i = 0; two(i, i++); two(g++, g); two((*p)++, j); i = 0; twol(i++, i); twol(w++, w); printf("\\n");',
    out: '0 1,1 0,0 0,0 0,0 0,0 1,\n',
  },
  {
    name: 'a union\'s members share their bytes, little-endian', prelude: 'union word { int i; unsigned char b[4]; short h; char c; };\nunion wide { long l; int i; };',
    body: 'union word w; union wide x; w.i = 0x01020304; printf("%d %d %d %d %#x %d|", w.b[0], w.b[1], w.b[2], w.b[3], w.h, w.c); w.b[3] = 0xff; w.h -= 1; printf("%d|", w.i);'
      + ' x.l = -1; x.i = 0; printf("%ld %zu %zu\\n", x.l, sizeof w, sizeof x);',
    out: '4 3 2 1 0x304 4|-16645373|-4294967296 4 8\n',
  },
  { name: 'errno is an lvalue', body: 'errno = ECHILD; printf("%d\\n", errno); errno = 0;', out: '10\n' },
];

describe('vm: C semantics', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const { out } = output(main(`${row.body}\nreturn 0;`, `#include <string.h>\n#include <signal.h>\n#include <sys/resource.h>\n#include <errno.h>\n${row.prelude ?? ''}`));
      assert.equal(out, row.out);
    });
  }

  it('refuses what its cells cannot hold: an int read through a char pointer, a pointer sharing bytes in a union', () => {
    const errors = (src: string): string[] => compile(parse(src).program, src).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    const cast = errors(main('int x = 1; unsigned char *p = (unsigned char *)&x; return p[0];'));
    assert.equal(cast.length, 1);
    assert.match(cast[0], /casting 'int \*' to 'unsigned char \*'.*not bytes, so this is not supported/);
    assert.deepEqual(errors(main('char s[4] = "ab"; unsigned char *p = (unsigned char *)s; long *q = (long *)0; return p[0] + (q != 0);')), []);
    const mixed = errors(main('union u m; m.s = "x"; return m.b[0];', 'union u { char *s; char b[8]; };'));
    assert.ok(mixed.length === 1 && mixed.every((m) => /union 'u': member 's' \(char \*\).*not supported/.test(m)), mixed.join('\n'));
    assert.deepEqual(errors(main('union tagged t; t.i = 1; t.s = "x"; return t.i;', 'union tagged { int i; char *s; };')), []);
    const addr = errors(main('union w v; int *p = &v.i; return *p;', 'union w { int i; char b[4]; };'));
    assert.equal(addr.length, 1);
    assert.match(addr[0], /the address of a int member of a union/);
  });

  it('main\'s return value becomes exit_group\'s status', () => {
    assert.equal(output(main('return 3;')).status, 3);
    assert.equal(output(main('printf("x");')).status, 0);
  });
});
