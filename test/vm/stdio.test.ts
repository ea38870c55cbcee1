// stdio's buffering as glibc does it: which writes a put makes on a terminal, a pipe or with
// setvbuf; the FILE in user memory (copied by fork, flushed by exit, lost by _exit); write
// errors and short writes. The stand-in kernel answers isatty's ioctl(TCGETS) as the test says.
import { strict as assert } from 'node:assert';
import { completeCall, type Trap, type Value } from '../../sim-core/vm';
import { runToExit, start, step, type Started } from './helpers';
import { bootSource, runToEnd } from '../machine/helpers';

const H = '#include <stdio.h>\n#include <stdlib.h>\n#include <unistd.h>\n#include <errno.h>\n#include <sys/wait.h>\n';
const ENOTTY = 25, EIO = 5;

function main(body: string): Started {
  return start(`${H}int main(void) {\n${body}\nreturn 0; }`);
}

/** Runs to the end; the writes as [fd, text] in order. `tty`: whether fd 1 answers TCGETS. */
function writes(s: Started, tty = true, answer: (fd: number, text: string) => number = (_fd, t) => t.length): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (let i = 0; i < 100000; i++) {
    const t: Trap = step(s);
    if (t.kind === 'budget') continue;
    if (t.kind !== 'syscall' || t.name === 'exit_group') return out;
    if (t.name === 'write') {
      out.push([t.args[0] as number, String(t.args[1])]);
      completeCall(s.regs, s.mem, answer(t.args[0] as number, String(t.args[1])));
    } else completeCall(s.regs, s.mem, t.name === 'ioctl' ? (tty && t.args[0] === 1 ? 0 : -ENOTTY) : 0);
  }
  throw new Error('did not end');
}

describe('vm: stdio buffering', () => {
  it('a terminal\'s stdout is written a line at a time; a partial line waits for its newline', () => {
    const s = main('printf("a "); printf("b\\n"); printf("c\\nd"); puts(" e"); putchar(\'f\'); putchar(\'\\n\');');
    // The first put goes character by character through overflow (glibc's first _IO_sputn).
    assert.deepEqual(writes(s), [[1, 'a b\n'], [1, 'c\n'], [1, 'd e\n'], [1, 'f\n']]);
  });

  it('on a pipe or file stdout is fully buffered: everything comes out at exit, in one write', () => {
    const s = main('for (int i = 0; i < 3; i++) printf("line %d\\n", i);');
    assert.deepEqual(writes(s, false), [[1, 'line 0\nline 1\nline 2\n']]);
  });

  it('a full 4096-byte buffer is written when the next put does not fit', () => {
    const s = main('for (int i = 0; i < 500; i++) printf("%09d\\n", i);');
    const w = writes(s, false);
    // The 410th line fills the buffer's last 6 bytes; the full 4096 go out, its 4 others stay.
    assert.deepEqual(w.map(([, t]) => t.length), [4096, 904]);
    assert.equal(w.map(([, t]) => t).join(''), Array.from({ length: 500 }, (_, i) => `${String(i).padStart(9, '0')}\n`).join(''));
  });

  it('stderr is unbuffered: each call is one write, and it asks no terminal question', () => {
    const s = main('fprintf(stderr, "x=%d", 1); fputc(\'!\', stderr); fputs("\\n", stderr);');
    const t = step(s);
    assert.deepEqual(t.kind === 'syscall' && [t.name, t.args[0]], ['write', 2]);
    completeCall(s.regs, s.mem, 3);
    assert.deepEqual(writes(s), [[2, '!'], [2, '\n']]);
  });

  it('exit flushes after the atexit handlers; _exit does not flush', () => {
    const prog = (end: string): Started => start(`${H}void a(void) { printf("a "); }\nint main(void) { atexit(a); printf("main "); ${end} }`);
    assert.deepEqual(writes(prog('exit(0);')), [[1, 'main a ']]);
    assert.deepEqual(writes(prog('return 0;')), [[1, 'main a ']]);
    assert.deepEqual(writes(prog('_exit(0);')), []);
  });

  it('setvbuf: _IONBF writes each call, _IOLBF on a pipe writes at newlines, _IOFBF on a terminal waits for exit', () => {
    assert.deepEqual(writes(main('setvbuf(stdout, NULL, _IONBF, 0); printf("a"); printf("b\\n");')), [[1, 'a'], [1, 'b\n']]);
    assert.deepEqual(writes(main('setlinebuf(stdout); printf("a"); printf("b\\nc");'), false), [[1, 'ab\n'], [1, 'c']]);
    assert.deepEqual(writes(main('setvbuf(stdout, NULL, _IOFBF, 0); printf("a\\n"); printf("b\\n");')), [[1, 'a\nb\n']]);
    // setbuf(stdout, NULL) is unbuffered; switching writes out what was buffered first.
    assert.deepEqual(writes(main('printf("x"); setbuf(stdout, NULL); printf("y");')), [[1, 'x'], [1, 'y']]);
    const bad = runToExit(main('printf("%d\\n", setvbuf(stdout, NULL, 7, 0));'));
    assert.equal(bad.out, '-1\n');
  });

  it('fflush(stdout) and fflush(NULL) write what is buffered', () => {
    assert.deepEqual(writes(main('printf("a"); fflush(stdout); printf("b"); fflush(NULL); printf("c");')), [[1, 'a'], [1, 'b'], [1, 'c']]);
  });

  it('a failed write empties the buffer, sets the error flag and makes printf return -1', () => {
    const s = main('int r = printf("lost\\n"); int e = errno; int f = ferror(stdout); clearerr(stdout); fprintf(stderr, "%d %d %d %d\\n", r, e, f, ferror(stdout));');
    const w = writes(s, true, (fd, t) => (fd === 1 ? -EIO : t.length));
    assert.deepEqual(w, [[1, 'lost\n'], [2, '-1 5 1 0\n']]);
  });

  it('a short write is written on from where it stopped', () => {
    const s = main('printf("%d\\n", puts("abcdef"));');
    let first = true;
    const w = writes(s, true, (_fd, t) => { if (first) { first = false; return 3; } return t.length; });
    assert.deepEqual(w, [[1, 'abcdef\n'], [1, 'def\n'], [1, '7\n']]);
  });

  it('stdout is glibc\'s FILE in the process\'s memory, its buffer between _IO_write_base and _IO_write_ptr', () => {
    const r = runToExit(main('int f0 = stdout->_flags; printf("abc"); long n = stdout->_IO_write_ptr - stdout->_IO_write_base;\n'
      + 'char c = stdout->_IO_write_base[1]; int f1 = stdout->_flags;\n'
      + 'fprintf(stderr, "%lu %d %d %x %ld %c %x %d %d\\n", sizeof(FILE), fileno(stdout), stdout->_fileno, f0, n, c, f1, stdout->_mode, stdout->_IO_buf_end - stdout->_IO_buf_base);'));
    // 0xfbad2084: magic, _IO_IS_FILEBUF, _IO_LINKED, _IO_NO_READS; then _IO_LINE_BUF and _IO_CURRENTLY_PUTTING.
    assert.equal(r.out, '216 1 1 fbad2084 3 b fbad2a84 -1 1024\nabc');
  });

  it('a bad FILE pointer faults as glibc does', () => {
    const r = runToExit(main('FILE *f = NULL; fputs("x", f);'));
    assert.equal(r.trap.kind === 'fault' && r.trap.signal, 'SIGSEGV');
  });
});

describe('machine: stdio across fork', () => {
  function output(src: string): string {
    const m = bootSource(src);
    const { events } = runToEnd(m);
    return events.map((e) => (e.kind === 'output' && e.fd === 1 ? e.text : '')).join('');
  }

  it('text still in the buffer at fork is printed by both processes (the "printed twice" lesson)', () => {
    assert.equal(output(`${H}int main(void) {\n  printf("hello ");\n  if (fork() == 0) { printf("child\\n"); return 0; }\n  wait(NULL);\n  printf("parent\\n");\n  return 0;\n}\n`),
      'hello child\nhello parent\n');
  });

  it('a line flushed before fork is printed once; the child\'s _exit loses its copy of a partial line', () => {
    assert.equal(output(`${H}int main(void) {\n  printf("once\\n");\n  printf("partial ");\n  if (fork() == 0) _exit(0);\n  wait(NULL);\n  printf("end\\n");\n  return 0;\n}\n`),
      'once\npartial end\n');
  });

  it('a process killed by a signal loses its buffer', () => {
    assert.equal(output(`${H}#include <signal.h>\nint main(void) {\n  if (fork() == 0) { printf("never"); raise(SIGKILL); }\n  wait(NULL);\n  printf("done\\n");\n  return 0;\n}\n`),
      'done\n');
  });
});

describe('debugger: a FILE', () => {
  it('evaluates stdout as the stream: its flags, how it buffers and the text waiting in its buffer', () => {
    const src = `${H}int main(void) {\n  printf("hello ");\n  printf("world");\n  return 0;\n}\n`;
    const m = bootSource(src);
    m.setLineBreakpoints('/scenarios/fork-wait.kproc', [{ line: src.split('\n').findIndex((l) => l.includes('world')) }]);
    const stop = runUntilStop(m);
    assert.equal(stop, 'breakpoint');
    const frame = m.stack(3).find((f) => f.kind === 'user')?.id;
    const r = m.evaluate('stdout', frame, 'watch');
    assert.equal(r.error, undefined, r.error);
    assert.match(r.value, /_IO_FILE/);
    const fields = m.variables(r.ref);
    const get = (n: string): string => fields.find((f) => f.name === n)?.value ?? '';
    assert.equal(get('buffered'), '"hello "');
    assert.equal(get('buffering'), '"line-buffered"');
    assert.equal(get('_fileno'), '1');
    assert.match(get('_flags'), /0xfbad2a84 .*_IO_LINE_BUF/);
    // Its members read as C reads them, too.
    assert.equal(m.evaluate('stdout->_IO_write_ptr - stdout->_IO_write_base', frame, 'watch').value, '6');
  });
});

function runUntilStop(m: ReturnType<typeof bootSource>): string {
  m.continue();
  for (;;) {
    const s = m.run(5000);
    if (s.reason !== 'yield') return s.reason;
  }
}

describe('vm: stdio input', () => {
  /** Runs with a terminal whose input is `input`, handed out a line per read as a terminal does. */
  function session(src: string, input: string): { out: string; calls: string[] } {
    const s = start(src);
    let rest = input;
    const calls: string[] = [];
    let out = '';
    for (let i = 0; i < 100000; i++) {
      const t: Trap = step(s);
      if (t.kind === 'budget') continue;
      if (t.kind !== 'syscall' || t.name === 'exit_group') return { out, calls };
      calls.push(t.name);
      if (t.name === 'write') { out += String(t.args[1]); completeCall(s.regs, s.mem, String(t.args[1]).length); continue; }
      if (t.name === 'read') {
        const nl = rest.indexOf('\n');
        const chunk = rest.slice(0, Math.min(nl < 0 ? rest.length : nl + 1, t.args[2] as number));
        rest = rest.slice(chunk.length);
        for (let k = 0; k < chunk.length; k++) s.mem.store((t.args[1] as number) + k, chunk.charCodeAt(k));
        completeCall(s.regs, s.mem, chunk.length);
        continue;
      }
      completeCall(s.regs, s.mem, 0);
    }
    throw new Error('did not end');
  }

  it('a prompt without a newline is written before stdin is read; fgets reads a line at a time', () => {
    const r = session(`${H}int main(void) { char line[64]; printf("name? "); while (fgets(line, sizeof line, stdin) != NULL) printf("[%s]", line); printf("end\\n"); return 0; }`, 'ann\nbob\n');
    assert.equal(r.out, 'name? [ann\n][bob\n]end\n');
    // isatty(stdout); stdin's buffer is set up (isatty) before the refill writes the prompt out;
    // then one read per line and the one that meets the end.
    assert.deepEqual(r.calls.slice(0, 4), ['ioctl', 'ioctl', 'write', 'read']);
    assert.equal(r.calls.filter((c) => c === 'read').length, 3);
  });

  it('scanf reads numbers and words across lines, stops at a mismatch, returns EOF at the end', () => {
    const r = session(`${H}int main(void) { int a = 0, b = 0; char w[16]; int n = scanf("%d %d", &a, &b); int m = scanf("%15s", w); int k = scanf("%d", &a); scanf("%*s"); int e = scanf("%d", &a);\nprintf("%d %d %d %s %d %d\\n", n, a, b, w, m, k == 0 ? e : -9); return 0; }`, '  12\n-7 word\nxyz\n');
    assert.equal(r.out, '2 12 -7 word 1 -1\n');
  });

  it('getchar returns each byte then EOF, and stays at EOF; ungetc puts one back', () => {
    const r = session(`${H}int main(void) { int c; while ((c = getchar()) != EOF) printf("%d ", c); printf("| %d %d ", getchar(), feof(stdin)); ungetc('z', stdin); printf("%c %d\\n", getchar(), feof(stdin)); return 0; }`, 'hi\n');
    assert.equal(r.out, '104 105 10 | -1 1 z 0\n');
  });

  it('getline allocates 120 bytes, grows to at least twice the size, keeps the newline; -1 at the end', () => {
    const long = 'x'.repeat(130);
    const r = session(`${H}int main(void) { char *l = NULL; size_t n = 0; ssize_t k; while ((k = getline(&l, &n, stdin)) != -1) printf("%zd %zu %c|", k, n, l[k - 1]); printf("%zd %zu\\n", k, n); free(l); return 0; }`, `ab\n${long}\nend`);
    assert.equal(r.out, '3 120 \n|131 240 \n|3 240 d|-1 240\n');
  });

  it('getdelim stops at its delimiter; getline with a NULL n pointer fails with EINVAL before reading', () => {
    const r = session(`${H}int main(void) { char *l = NULL; size_t n = 0; ssize_t k; while ((k = getdelim(&l, &n, ';', stdin)) > 0) printf("[%s]", l); errno = 0; k = getline(&l, NULL, stdin); printf(" %zd %d\\n", k, errno); return 0; }`, 'a;bc;\nd');
    assert.equal(r.out, '[a;][bc;][\nd] -1 22\n');
    assert.equal(r.calls.filter((c) => c === 'read').length, 3);
  });

  it('sscanf: integers in bases, %c, %[...], %n, * and the counts glibc returns', () => {
    const out = runToExit(main('int a, b, c, n; char s[8], t[8], ch; unsigned x;\n'
      + 'int r1 = sscanf("0x1f 017 -5", "%i %i %d", &a, &b, &c);\n'
      + 'int r2 = sscanf("abc,def", "%[a-z],%s%n", s, t, &n);\n'
      + 'int r3 = sscanf("  ff Q", "%x %c", &x, &ch);\n'
      + 'int r4 = sscanf("", "%d", &a); int r5 = sscanf("12 x", "%*d %d", &a);\n'
      + 'printf("%d %d %d %d|%d %s %s %d|%d %u %c|%d %d\\n", r1, a, b, c, r2, s, t, n, r3, x, ch, r4, r5);')).out;
    assert.equal(out, '3 31 15 -5|2 abc def 7|2 255 Q|-1 0\n');
  });
});

describe('vm: fopen, fdopen and fclose (over the file table\'s openat, fcntl, lseek, close)', () => {
  it('fopen "a" opens with O_WRONLY|O_CREAT|O_APPEND and seeks to the end; fprintf is buffered until fclose', () => {
    const s = main('FILE *f = fopen("/tmp/log", "a"); fprintf(f, "x=%d\\n", 1); fputs("more\\n", f); int r = fclose(f); printf("%d\\n", r);');
    const calls: Array<[string, Value[]]> = [];
    for (let i = 0; i < 1000; i++) {
      const t = step(s);
      if (t.kind === 'budget') continue;
      if (t.kind !== 'syscall' || t.name === 'exit_group') break;
      calls.push([t.name, t.args]);
      completeCall(s.regs, s.mem, t.name === 'openat' ? 3 : t.name === 'write' ? String(t.args[1]).length : t.name === 'ioctl' ? (t.args[0] === 1 ? 0 : -ENOTTY) : 0);
    }
    assert.deepEqual(calls.map(([n]) => n), ['openat', 'lseek', 'ioctl', 'write', 'close', 'ioctl', 'write']);
    assert.deepEqual(calls[0][1], [-100, '/tmp/log', 0x441, 0o666]);
    assert.deepEqual(calls[1][1], [3, 0, 2]);
    // Not a terminal: fully buffered, both lines in one write at fclose.
    assert.deepEqual(calls[3][1], [3, 'x=1\nmore\n']);
    assert.deepEqual(calls[4][1], [3]);
    assert.deepEqual(calls[6][1], [1, '0\n']);
  });

  it('a failed fopen returns NULL with the kernel\'s errno; a bad mode is EINVAL; fdopen checks the access mode', () => {
    const r = runToExit(main('FILE *f = fopen("/nope", "r"); int e1 = errno; FILE *g = fopen("/x", "q"); int e2 = errno;\n'
      + 'FILE *h = fdopen(1, "r"); int e3 = errno; printf("%d %d %d %d %d %d\\n", f == NULL, e1, g == NULL, e2, h == NULL, e3);'),
    { openat: -2, fcntl: 1 });
    assert.equal(r.out, '1 2 1 22 1 22\n');
  });
});
