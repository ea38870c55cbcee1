// The C library's string functions, sprintf and snprintf, memcpy and its kin, and strtok's
// per-process position, run as real scenarios by the VM; results as glibc gives them on x86-64.
import { strict as assert } from 'node:assert';
import { completeCall, type Trap } from '../../sim-core/vm';
import { CELLS_PER_INSTRUCTION } from '../../sim-core/vm/cost';
import { VmRegs } from '../../sim-core/vm/regs';
import { runToExit, start, step, type Started } from './helpers';

const HEAD = '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\n#include <errno.h>\n#include <limits.h>\n';

function out(body: string): string {
  const r = runToExit(start(`${HEAD}int main(void) {\n${body}\nreturn 0; }`));
  assert.equal(r.trap.kind, 'syscall', JSON.stringify(r.trap));
  return r.out;
}

describe('vm: libc strings', () => {
  it('snprintf stores size-1 characters and a NUL and returns the whole length; sprintf stores all', () => {
    assert.equal(out('char b[16]; memset(b, \'#\', 16); int n = snprintf(b, 8, "%d-%s", 12345, "abcdef"); printf("%d [%s] %d\\n", n, b, b[8]);'),
      '12 [12345-a] 35\n');
    assert.equal(out('char b[4] = "xyz"; int n = snprintf(b, 0, "%s", "long text"); printf("%d %s\\n", n, b);'), '9 xyz\n');
    assert.equal(out('char b[40]; ssize_t d = -2; int n = sprintf(b, "[%5d|%-4s|%08x|%lu|%zd]", 42, "ab", 255, 3000000000UL, d); printf("%d %s\\n", n, b);'),
      '35 [   42|ab  |000000ff|3000000000|-2]\n');
  });

  it('strcpy, strcat, strncat and strncpy (NUL padding, no NUL when the source is longer)', () => {
    assert.equal(out('char b[32]; strcpy(b, "hello"); strcat(b, ", "); strncat(b, "world!!", 5); printf("%s %d\\n", b, (int)strlen(b));'),
      'hello, world 12\n');
    assert.equal(out('char b[8]; memset(b, \'#\', 8); strncpy(b, "ab", 6); printf("%d %d %d %d %c\\n", b[1], b[2], b[5], b[6], b[6]);'),
      '98 0 0 35 #\n');
    assert.equal(out('char b[8]; memset(b, \'#\', 8); strncpy(b, "abcdef", 3); printf("%c%c%c%c\\n", b[0], b[1], b[2], b[3]);'), 'abc#\n');
  });

  it('strchr, strrchr and strstr point into the searched buffer (or a literal), NULL when absent', () => {
    assert.equal(out('char b[] = "a/b/c"; printf("%d %d %d %d\\n", (int)(strchr(b, \'/\') - b), (int)(strrchr(b, \'/\') - b), (int)(strchr(b, 0) - b), strchr(b, \'x\') == NULL);'),
      '1 3 5 1\n');
    assert.equal(out('char b[] = "the cat sat"; printf("%d %s %d %s\\n", (int)(strstr(b, "at") - b), strstr(b, "sat"), strstr(b, "dog") == NULL, strstr("lit", ""));'),
      '5 sat 1 lit\n');
    assert.equal(out('printf("%s|%s\\n", strchr("x=1", \'=\'), strrchr("a.b.c", \'.\'));'), '=1|.c\n');
  });

  it('strspn, strcspn, strdup and strndup', () => {
    assert.equal(out('char *d = strdup("copy"); char *e = strndup("abcdef", 3); d[0] = \'C\'; printf("%s %s %d %d %d\\n", d, e, (int)strspn("aabbcab", "ab"), (int)strcspn("hello, world", ", "), (int)strcspn("abc", "")); free(d); free(e);'),
      'Copy abc 4 5 3\n');
  });

  it('strtok_r keeps its position in *saveptr, so an inner split does not disturb the outer one', () => {
    assert.equal(out('char text[] = "a b;c;; d e"; char *o, *i; for (char *rec = strtok_r(text, ";", &o); rec; rec = strtok_r(NULL, ";", &o)) { printf("{"); for (char *w = strtok_r(rec, " ", &i); w; w = strtok_r(NULL, " ", &i)) printf("<%s>", w); printf("}"); } printf(" %d\\n", *o);'),
      '{<a><b>}{<c>}{<d><e>} 0\n');
  });

  it('strcasecmp and strncasecmp fold case and return the difference; strpbrk, memchr (no NUL needed) and strnlen', () => {
    assert.equal(out('printf("%d %d %d %d|", strcasecmp("Abc", "aBC"), strcasecmp("abc", "ABE"), strncasecmp("xyZ", "XYq", 2), strcasecmp("a", ""));'), '0 -2 0 97|');
    assert.equal(out('char b[4] = { \'a\', 0, \'c\', \'d\' }; printf("%s %d %d %d %d\\n", strpbrk("a,b;c", ";,"), (int)((char *)memchr(b, \'d\', 4) - b), memchr(b, \'x\', 4) == NULL, (int)strnlen(b + 2, 2), (int)strnlen("abc", 9));'),
      ',b;c 3 1 2 3\n');
  });

  it('strtok cuts at delimiter runs, writes NULs, and goes on from its saved position', () => {
    assert.equal(out('char line[] = ",,ls -l,,/tmp,"; char *t = strtok(line, ", "); while (t != NULL) { printf("<%s>", t); t = strtok(NULL, ", "); } printf(" %d %d\\n", line[4], strtok(NULL, ",") == NULL);'),
      '<ls><-l></tmp> 0 1\n');
  });

  it('strtok\'s position belongs to the process: a fork\'s copy goes on alone', () => {
    const s = start(`${HEAD}char line[] = "a b c d";\nint main(void) { printf("%s ", strtok(line, " ")); getpid(); printf("%s ", strtok(NULL, " ")); printf("%s\\n", strtok(NULL, " ")); return 0; }`);
    let t: Trap = step(s);
    let text = '';
    while (t.kind === 'syscall' && (t.name === 'write' || t.name === 'ioctl')) { if (t.name === 'write') text += String(t.args[1]); completeCall(s.regs, s.mem, t.name === 'ioctl' ? 0 : 1); t = step(s); }
    assert.equal(t.kind === 'syscall' && t.name, 'getpid');
    const child: Started = { image: s.image, mem: s.mem.clone() as Started['mem'], regs: s.regs.clone() };
    completeCall(s.regs, s.mem, 5);
    completeCall(child.regs, child.mem, 5);
    assert.equal(text + runToExit(s).out, 'a b c\n');
    // "a " was still in stdout's buffer at the fork: the child's copy prints it too.
    assert.equal(runToExit(child).out, 'a b c\n');
    assert.ok(child.regs instanceof VmRegs);
  });

  it('memcpy and memmove copy bytes of any element type, memmove with overlap; memcmp orders bytes unsigned', () => {
    assert.equal(out('int a[4] = {1, 2, 3, 4}; int b[4]; memcpy(b, a, sizeof a); memmove(a + 1, a, 3 * sizeof(int)); printf("%d %d %d %d | %d %d\\n", a[0], a[1], a[2], a[3], b[3], memcmp(a, b, sizeof(int)));'),
      '1 1 2 3 | 4 0\n');
    assert.equal(out('char x[] = "abc\\xff"; char y[] = "abc\\x01"; printf("%d %d %d\\n", memcmp(x, y, 3), memcmp(x, y, 4) > 0, memcmp("ab", "ac", 2) < 0);'), '0 1 1\n');
    assert.equal(out('char b[] = "123456"; memmove(b + 2, b, 3); printf("%s\\n", b);'), '121236\n');
  });

  it('a string function on a NULL pointer or a write to a literal faults with SIGSEGV', () => {
    const r = runToExit(start(`${HEAD}int main(void) { char *p = NULL; printf("%d\\n", (int)strlen(strcpy(p, "x"))); return 0; }`));
    assert.equal(r.trap.kind === 'fault' && r.trap.signal, 'SIGSEGV');
    const w = runToExit(start(`${HEAD}int main(void) { char *p = "lit"; strcpy(p, "x"); return 0; }`));
    assert.equal(w.trap.kind === 'fault' && w.trap.signal, 'SIGSEGV');
  });

  it('strcpy of a long string is charged for the characters it reads and writes', () => {
    const n = 400000;
    const s = start(`${HEAD}int main(void) { char *p = malloc(${n + 1}); char *q = malloc(${n + 1}); memset(p, 'a', ${n}); getpid(); strcpy(q, p); getppid(); return q[${n - 1}]; }`);
    let t = step(s, 1e9);
    assert.equal(t.kind === 'syscall' && t.name, 'getpid');
    completeCall(s.regs, s.mem, 1);
    let slices = 0;
    for (t = step(s, 1000); t.kind === 'budget'; t = step(s, 1000)) slices++;
    assert.equal(t.kind === 'syscall' && t.name, 'getppid');
    assert.ok(slices >= (2 * n) / CELLS_PER_INSTRUCTION / 1000, `slices: ${slices}`);
  });
});

describe('vm: libc strings with size_t counts past any buffer', () => {
  it('strncat and strndup take all of the string; snprintf with a huge size writes it all; memcpy faults', () => {
    assert.equal(out('size_t all = -1; char b[16] = "ab"; strncat(b, "cd", all); char *d = strndup("xyz", all); char c[16]; int n = snprintf(c, all, "%s-%d", d, 7); printf("%s %s %d %s\\n", b, d, n, c);'),
      'abcd xyz 5 xyz-7\n');
    const r = runToExit(start(`${HEAD}int main(void) { size_t all = -1; char a[4] = "abc"; char b[4]; memcpy(b, a, all); return 0; }`));
    assert.equal(r.trap.kind === 'fault' && r.trap.signal, 'SIGSEGV');
  });

  it('a library function used as a value: through a pointer, a table, &f, and as a callback; a variadic one is refused with its place', () => {
    assert.equal(out('int (*f)(const char *, const char *) = strcmp; int (*t[2])(const char *, const char *) = { strcmp, strcasecmp }; int (*p)(const char *) = &puts;\nprintf("%d %d %d|", f("a", "b") < 0, t[1]("X", "x"), t[0]("X", "x") < 0); p("put"); int (*up)(int) = toupper; printf("%c\\n", up(\'k\'));'),
      '1 0 1|put\nK\n');
    assert.throws(() => start(`${HEAD}int main(void) {\nint (*pf)(const char *, ...) = printf;\nreturn 0; }`), /'printf' takes a variable number of arguments/);
  });
});
