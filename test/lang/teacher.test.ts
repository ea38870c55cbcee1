// The teacher warnings: each one fires on the mistake it names and stays quiet on the correct form.
import { strict as assert } from 'node:assert';
import { analyze } from '../../sim-core/lang';

/** Codes with their 1-based lines, for compact expectations. */
function codes(text: string): string[] {
  const a = analyze(text);
  return a.diagnostics.map((d) => `${d.code}@${a.lines.positionAt(d.range.start).line + 1}`);
}

function main(body: string, before = ''): string {
  return `${before}int main(void)\n{\n${body}\n    return 0;\n}\n`;
}

describe('teacher warnings', () => {
  describe('a child never waited for', () => {
    it('fires when nothing waits', () => {
      assert.deepEqual(codes(main('    if (fork() == 0)\n        _exit(0);\n    sleep(1);')), ['never-waited@3']);
    });
    it('is quiet when main, a helper or a SIGCHLD handler waits, or SIGCHLD is ignored', () => {
      assert.deepEqual(codes(main('    if (fork() == 0)\n        _exit(0);\n    wait(NULL);')), []);
      const helper = 'void reap(void) { while (wait(NULL) > 0) ; }\n';
      assert.deepEqual(codes(main('    if (fork() == 0)\n        _exit(0);\n    reap();', helper)), []);
      const spawn = 'void spawn(void) { if (fork() == 0) _exit(0); }\n';
      assert.deepEqual(codes(main('    spawn();\n    wait(NULL);', spawn)), []);
      const handler = 'void on_chld(int s) { wait(NULL); }\n';
      assert.deepEqual(codes(main('    signal(SIGCHLD, on_chld);\n    if (fork() == 0)\n        _exit(0);\n    pause();', handler)), []);
      assert.deepEqual(codes(main('    signal(SIGCHLD, SIG_IGN);\n    if (fork() == 0)\n        _exit(0);')), []);
    });
    it('ignores clone with CLONE_THREAD, which makes a thread, not a child', () => {
      const fn = 'int fn(void *a) { return 0; }\nchar stack[4096];\n';
      assert.deepEqual(codes(main('    clone(fn, stack + 4096, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, NULL);\n    sleep(1);', fn)), []);
    });
  });

  describe('wait where no child can exist', () => {
    it('fires when nothing in the scenario creates a child', () => {
      assert.deepEqual(codes(main('    int s;\n    wait(&s);')), ['wait-no-child@4']);
    });
    it('fires when main waits before its first fork', () => {
      assert.deepEqual(codes(main('    wait(NULL);\n    if (fork() == 0)\n        _exit(0);\n    wait(NULL);')), ['wait-no-child@3']);
    });
    it('is quiet in a loop that forks and in programs started by exec', () => {
      assert.deepEqual(codes(main('    for (int i = 0; i < 3; i++) {\n        if (i > 0)\n            wait(NULL);\n        if (fork() == 0)\n            _exit(0);\n    }\n    wait(NULL);')), []);
      const prog = '#pragma kproc program "/bin/w" w\nint w(void) { wait(NULL); return 0; }\n';
      assert.ok(!codes(main('    if (fork() == 0)\n        execl("/bin/w", "w", NULL);\n    wait(NULL);', prog)).some((c) => c.startsWith('wait-no-child')));
    });
  });

  describe('vfork children', () => {
    it('accepts a child that only execs and _exits', () => {
      assert.deepEqual(codes(main('    pid_t p = vfork();\n    if (p == 0) {\n        execl("/bin/true", "true", NULL);\n        _exit(127);\n    }\n    waitpid(p, NULL, 0);')), []);
    });
    it('flags other work, exit and return in the child, whatever the test looks like', () => {
      assert.deepEqual(codes(main('    pid_t p = vfork();\n    if (p == 0) {\n        printf("hi\\n");\n        exit(0);\n    }\n    wait(NULL);')),
        ['vfork-child@5', 'vfork-child@6']);
      assert.deepEqual(codes(main('    if (!vfork()) {\n        return 1;\n    }\n    wait(NULL);')), ['vfork-child@4']);
      assert.deepEqual(codes(main('    pid_t p;\n    switch (p = vfork()) {\n    case 0:\n        sleep(1);\n        _exit(0);\n    default:\n        wait(NULL);\n    }')),
        ['vfork-child@6']);
    });
    it('says nothing about a fork child doing work', () => {
      assert.deepEqual(codes(main('    if (fork() == 0) {\n        printf("hi\\n");\n        _exit(0);\n    }\n    wait(NULL);')), []);
    });
  });

  describe('exec in a child', () => {
    it('warns when a failed exec would fall through into the parent\'s code', () => {
      assert.deepEqual(codes(main('    if (fork() == 0) {\n        execl("/bin/true", "true", NULL);\n    }\n    wait(NULL);')), ['exec-fallthrough@4']);
    });
    it('notes code after exec that only runs if it failed', () => {
      assert.deepEqual(codes(main('    if (fork() == 0) {\n        execl("/bin/true", "true", NULL);\n        printf("done\\n");\n    }\n    wait(NULL);')),
        ['exec-fallthrough@4', 'after-exec@5']);
    });
  });

  describe('kproc-allow comments', () => {
    it('silence the named warning on their line or the next, and nothing else', () => {
      const body = '    if (fork() == 0) /* kproc-allow: never-waited */\n        _exit(0);\n    sleep(1);';
      assert.deepEqual(codes(main(body)), []);
      const above = '    // kproc-allow: vfork-child, never-waited\n    if (fork() == 0)\n        _exit(0);';
      assert.deepEqual(codes(main(above)), []);
      const other = '    if (fork() == 0) /* kproc-allow: vfork-child */\n        _exit(0);';
      assert.deepEqual(codes(main(other)), ['never-waited@3']);
      assert.ok(codes(main('    undefined_thing(); // kproc-allow: undefined-name')).includes('undefined-name@3'), 'errors stay');
    });
  });

  describe('from the checker', () => {
    it('keeps the checker\'s exit status and unreachable warnings, once each', () => {
      assert.deepEqual(codes(main('    exit(256);\n    printf("never\\n");')), ['exit-code@3', 'unreachable@4']);
    });
  });
});
