// The C that course exercises write beyond the basics (casts to type names, typedef, enum, ...):
// each row is checked (no error from the parser or the checker) and then run to its exit.
import { strict as assert } from 'node:assert';
import { check } from '../../sim-core/lang/check';
import { parse } from '../../sim-core/lang/parser';
import { INT, typeName } from '../../sim-core/vm/ctypes';
import { evaluateUser as evaluate } from '../../sim-core/debug/evaluate';
import { completeCall, frames } from '../../sim-core/vm';
import { host, main, output, start, step } from './helpers';

interface Row { name: string; body: string; out: string; prelude?: string }

const ROWS: Row[] = [
  {
    name: 'casts to typedef names', body: 'long big = 4294967297L; pid_t p = (pid_t)big; size_t n = (size_t)-1; printf("%d %zu %d\\n", p, n, (int)(uid_t)-1);',
    out: '1 18446744073709551615 -1\n',
  },
  {
    name: 'sizeof of type names and expressions', body: 'int a[7]; long long x = 0; printf("%zu %zu %zu %zu %zu %zu %zu\\n", sizeof(pid_t), sizeof(size_t), sizeof a, sizeof(a[0]), sizeof x, sizeof(char), sizeof(unsigned long long));',
    out: '4 8 28 4 8 1 8\n',
  },
  {
    name: 'char arithmetic', body: 'char c = \'a\'; c = c + 2; char up = c - \'a\' + \'A\'; int d = \'7\' - \'0\'; printf("%c %c %d %d\\n", c, up, d, (char)(c + 200));',
    out: 'c C 7 43\n',
  },
  {
    name: 'long long and unsigned long long are 64-bit', body: 'long long a = 1LL << 62; unsigned long long u = (unsigned long long)-1; long long b = a * 2; printf("%lld %llu %lld %llu\\n", a, u, b, u / 3);',
    out: '4611686018427387904 18446744073709551615 -9223372036854775808 6148914691236517205\n',
  },
  {
    name: 'typedef of a struct, an anonymous struct, a pointer and a scalar',
    prelude: 'typedef struct point { int x; int y; } Point;\ntypedef struct { long id; char name[8]; } Item;\ntypedef Point *PointPtr;\ntypedef unsigned long ulong_t;',
    body: 'Point p = { 3, 4 }; PointPtr pp = &p; Item it = { 7, "abc" }; ulong_t u = (ulong_t)-1; pp->x += 10; printf("%d %d %ld %s %lu %zu %zu\\n", p.x, pp->y, it.id, it.name, u, sizeof(Point), sizeof(Item));',
    out: '13 4 7 abc 18446744073709551615 8 16\n',
  },
  {
    name: 'typedef of a function pointer', prelude: 'typedef void (*handler_t)(int);\nstatic void show(int v) { printf("show %d\\n", v); }',
    body: 'handler_t h = show; h(5); handler_t hs[2] = { show, show }; hs[1](6);', out: 'show 5\nshow 6\n',
  },
  {
    name: 'a struct passed by value is the callee\'s own copy (directly and through a pointer); returned by value, and passed on from a call',
    prelude: 'struct two { long a; char tag[4]; };\nlong bump(struct two t) { t.a += 1; t.tag[0] = \'X\'; return t.a; }\nstruct two flip(struct two t) { t.a = -t.a; return t; }',
    body: 'struct two x = { 3, "ab" }; long (*fp)(struct two) = bump; long r = bump(x); long q = fp(x); struct two y = flip(x); printf("%ld %ld %ld %s %ld %s %ld %ld\\n", r, q, x.a, x.tag, y.a, y.tag, bump(flip(x)), fp(flip(y)));',
    out: '4 4 3 ab -3 ab -2 4\n',
  },
  {
    name: 'a pointer to a function returning a typedef name (size_t (*len)(const char *)), local and at file scope',
    prelude: 'typedef long myint;\nmyint twice(myint x) { return 2 * x; }\nmyint (*g)(myint) = twice;',
    body: 'size_t (*len)(const char *) = strlen; myint (*h)(myint) = twice; printf("%zu %ld %ld\\n", len("four"), h(4), g(5));',
    out: '4 8 10\n',
  },
  {
    name: 'a typedef inside a function', body: 'typedef long myint; myint m = 1L << 40; printf("%ld %zu\\n", m, sizeof(myint));', out: '1099511627776 8\n',
  },
  {
    name: 'enum values: implicit numbering from 0 and from the last value written',
    prelude: 'enum color { RED, GREEN = 5, BLUE, LAST = BLUE + 10, AFTER };\ntypedef enum { ST_NEW = -2, ST_RUN, ST_DONE } state_t;',
    body: 'state_t s = ST_RUN; enum color c = BLUE; printf("%d %d %d %d %d %d %d %d %zu\\n", RED, GREEN, BLUE, LAST, AFTER, s, ST_DONE, c, sizeof(enum color));',
    out: '0 5 6 16 17 -1 0 6 4\n',
  },
  {
    name: 'enum values as switch cases',
    prelude: 'enum state { NEW, RUNNING, DONE };\nstatic const char *name_of(enum state s)\n{\n  switch (s) {\n  case NEW: return "new";\n  case RUNNING: return "running";\n  case DONE: return "done";\n  default: return "?";\n  }\n}',
    body: 'for (int i = NEW; i <= DONE + 1; i++) printf("%s ", name_of(i)); printf("\\n");', out: 'new running done ? \n',
  },
  {
    name: 'union members share their storage', prelude: 'union val { int i; long l; void *p; };',
    body: 'union val v; v.l = 0; v.i = 65; long seen = v.l; v.l = 7; printf("%ld %d %zu\\n", seen, v.i, sizeof(union val));', out: '65 7 8\n',
  },
  {
    name: 'struct defined inside a function', body: 'struct pair { int a; int b; } q = { 1, 2 }; struct pair r = q; r.b += 40; printf("%d %d %zu\\n", q.a + q.b, r.b, sizeof(struct pair));',
    out: '3 42 8\n',
  },
  {
    name: 'static locals keep their value across calls, one per function and block',
    prelude: 'static int next_id(void) { static int id = 100; static int seen[3]; seen[id % 3]++; return id++ + seen[0] * 0; }\nstatic int other(void) { static int id; return ++id; }',
    body: 'int a = next_id(); int b = next_id(); int c = other(); { static int id = 7; id++; printf("%d ", id); } printf("%d %d %d %d\\n", a, b, next_id(), c);',
    out: '8 100 101 102 1\n',
  },
  {
    name: 'arrays of arrays: locals, globals, initialisers, rows of chars, struct members',
    prelude: '#define COLS 4\nstruct board { int cells[2][3]; char names[2][8]; };\nint global_grid[2][2] = { { 1, 2 }, { 3, 4 } };',
    body: 'int grid[3][COLS]; int m[][2] = { { 1, 2 }, { 3, 4 }, { 5, 6 } }; char words[3][6] = { "one", "two", "three" };\n'
      + 'struct board b = { { { 1, 2, 3 }, { 4, 5, 6 } }, { "ab", "cd" } };\n'
      + 'for (int i = 0; i < 3; i++) for (int j = 0; j < COLS; j++) grid[i][j] = i * 10 + j;\n'
      + 'int *flat = &grid[0][0];\n'
      + 'printf("%d %d %zu %zu %zu %d %s %c %d %s %d %d %d\\n", grid[2][3], grid[1][0], sizeof grid, sizeof grid[0], sizeof m / sizeof m[0], m[2][1], words[2], words[1][1], b.cells[1][2], b.names[1], global_grid[1][0], flat[5], *(*(grid + 2) + 1));',
    out: '23 10 48 16 3 6 three w 6 cd 3 11 21\n',
  },
  {
    name: 'an array of arrays passed as int g[][N]',
    prelude: '#define COLS 3\nstatic int sum(int g[][COLS], int rows) { int s = 0; for (int i = 0; i < rows; i++) for (int j = 0; j < COLS; j++) s += g[i][j]; g[rows - 1][COLS - 1] = 0; return s; }',
    body: 'int g[2][COLS] = { { 1, 2, 3 }, { 4, 5, 6 } }; int s = sum(g, 2); printf("%d %d\\n", s, g[1][2]);', out: '21 0\n',
  },
  {
    name: 'arrays of structs and nested structs', prelude: 'struct point { int x, y; };\nstruct seg { struct point a, b; char tag[4]; };',
    body: 'struct seg s[2] = { { { 1, 2 }, { 3, 4 }, "ab" }, { .b = { 7, 8 } } }; s[1].a.x = 5; struct seg *p = &s[1]; p->b.y += 1;\n'
      + 'printf("%d %d %d %d %s %zu\\n", s[0].b.x, s[1].a.x, s[1].b.y, p->a.y, s[0].tag, sizeof s);',
    out: '3 5 9 0 ab 40\n',
  },
  {
    name: 'goto: forward out of nested loops and backward',
    prelude: 'static int find(int g[][3], int want) {\n  int r = -1;\n  for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) if (g[i][j] == want) { r = i * 3 + j; goto found; }\n  return -1;\nfound:\n  return r;\n}',
    body: 'int g[3][3] = { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } }; int n = 0;\nagain:\n  n++;\n  if (n < 3) goto again;\n  { goto out; }\n  n = 100;\nout:\n  printf("%d %d %d\\n", find(g, 6), find(g, 10), n);',
    out: '5 -1 3\n',
  },
  {
    name: 'function-like macros expand as the C preprocessor expands them',
    prelude: '#define MAX(a, b) ((a) > (b) ? (a) : (b))\n#define SQ(x) x * x\n#define SQP(x) ((x) * (x))\n#define STR(x) #x\n#define CAT(a, b) a ## b\n'
      + '#define TWICE(x) (2 * (x))\n#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))\n#define LIMIT MAX(10, 20)\n#define SHOW(v) printf(#v " = %d\\n", v)',
    body: 'int xy = 7; int arr[5]; int i = 3;\nprintf("%d %d %d %d ", MAX(3, 9), SQ(1 + 2), SQP(1 + 2), MAX(MAX(1, 5), 4));\n'
      + 'printf("%s %d %d %zu %d\\n", STR(a  +  b), CAT(x, y), TWICE(TWICE(3)), ARRAY_SIZE(arr), LIMIT);\nSHOW(i * 2);\nint m = MAX(i++, 2); printf("%d %d\\n", m, i);',
    out: '9 5 9 5 a + b 7 12 5 20\ni * 2 = 6\n4 5\n',
  },
  {
    name: 'macros that expand to statements', prelude: '#define SWAP(a, b) do { int t_ = (a); (a) = (b); (b) = t_; } while (0)\n#define CHECK(c) if (!(c)) { printf("failed: %s\\n", #c); }',
    body: 'int x = 1, y = 2; SWAP(x, y); CHECK(x == 1); CHECK(y == 1); printf("%d %d\\n", x, y);', out: 'failed: x == 1\n2 1\n',
  },
];

function run(row: Row): string {
  const src = main(`${row.body}\nreturn 0;`, `#include <sys/types.h>\n#include <string.h>\n${row.prelude ?? ''}`);
  const parsed = parse(src);
  const errors = [...parsed.diagnostics, ...check(parsed.program, src)].filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], 'the checker accepts it');
  return output(src).out;
}

describe('vm: the language of course exercises', () => {
  for (const row of ROWS) it(row.name, () => assert.equal(run(row), row.out));
});

describe('vm: types of the language as the debugger names them', () => {
  it('an array of arrays is spelled as C spells it', () => {
    const t = typeName({ k: 'array', n: 3, of: { k: 'array', n: 4, of: INT } });
    assert.equal(t, 'int [3][4]');
  });
});

describe('checker: labels', () => {
  const errors = (src: string): string[] => {
    const r = parse(src);
    return [...r.diagnostics, ...check(r.program, src)].filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message} @${src.slice(d.range.start, d.range.end)}`);
  };
  it('reports a goto to a missing label and a label defined twice, once each', () => {
    assert.deepEqual(errors('int main(void) {\n goto nowhere;\n x: ;\n x: return 0;\n}\n'),
      ["undefined-name: label 'nowhere' used but not defined @nowhere", "duplicate: duplicate label 'x' @x"]);
  });
  it('does not call the code after a label unreachable', () => {
    const src = 'int main(void) {\n int n = 0;\n goto done;\ndone:\n n++;\n return n;\n}\n';
    const r = parse(src);
    assert.deepEqual([...r.diagnostics, ...check(r.program, src)].map((d) => d.code), []);
  });
});

describe('vm: static locals in the debugger', () => {
  const src = '#include <stdio.h>\n#include <sys/wait.h>\nint tick(void)\n{\n    static int calls = 40;\n    int here = ++calls;\n    waitpid(-1, NULL, 0);\n    return here;\n}\nint main(void)\n{\n    tick();\n    tick();\n    return 0;\n}\n';
  it('lists a static local among the frame\'s locals with its kept value, and evaluates it', () => {
    const s = start(src);
    let t = step(s);
    assert.equal(t.kind === 'syscall' ? t.name : t.kind, 'wait4');
    completeCall(s.regs, s.mem, -10);
    t = step(s);
    assert.equal(t.kind === 'syscall' ? t.name : t.kind, 'wait4');
    const f = frames(s.image, s.regs, s.mem)[0];
    const locals = Object.fromEntries(f.locals.map((l) => [l.name, [l.type, l.value]]));
    assert.deepEqual(locals, { calls: ['int', 42], here: ['int', 42] });
    assert.equal(evaluate(s.image, s.regs, s.mem, host, 'calls * 2 + here', 0).value, 126);
  });
});
