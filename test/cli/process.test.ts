// The built CLI as a shell runs it (node bin/kproc.js, which loads dist/cli.js; run npm run build
// first): a reader that leaves early through a real pipe, one-line errors with no stack, and
// progress forced onto a stderr that is not a terminal.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'kproc.js');

function kproc(args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('kproc as a process', function () {
  this.timeout(120000);
  const dir = mkdtempSync(join(tmpdir(), 'kproc-proc-'));
  const write = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const many = write('many.kproc', '#include <stdio.h>\nint main(void)\n{\n    for (int i = 0; i < 10000000; i++)\n        printf("line %d\\n", i);\n    return 0;\n}\n');
  const spin = write('spin.kproc', '#include <sys/wait.h>\n#include <unistd.h>\nint main(void)\n{\n    for (;;)\n        if (fork() == 0)\n            _exit(0);\n        else\n            wait(NULL);\n    return 0;\n}\n');
  const bad = write('bad.kproc', 'int main(void)\n{\n    pid_t p = frok();\n    return 0;\n}\n');

  before(function () {
    if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run npm run build first');
  });

  it('ends quietly when the reader of its output goes away (kproc run FILE | head -1)', () => {
    // Ten million lines would take minutes: the run must stop at the closed pipe, not at the end.
    const script = `"${process.execPath}" "${BIN}" run --max-steps 1000000000 "${many}" | head -1; echo "kproc exited with \${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', timeout: 100000 });
    assert.equal(r.signal, null, 'the pipeline did not end in time');
    assert.equal(r.stdout, 'line 0\n');
    assert.equal(r.stderr, 'kproc exited with 141\n', 'no EPIPE message or stack, and the status of a tool killed by SIGPIPE');
  });

  it('prints one located line for scenario errors, and one kproc: line for usage errors, never a stack', () => {
    const compile = kproc(['run', bad]);
    assert.equal(compile.status, 126);
    const first = compile.stderr.split('\n')[0];
    assert.equal(first, `${bad}:3:15: error: implicit declaration of function 'frok'; did you mean 'fork'? [undefined-name]`);
    for (const [args, line] of [
      [['run', '--frob', spin], "kproc: run: unknown option '--frob' (see kproc run --help)"],
      [['run', join(dir, 'missing.kproc')], `kproc: ${join(dir, 'missing.kproc')}: No such file or directory`],
      [['check', join(dir, 'missing.kproc')], `kproc: ${join(dir, 'missing.kproc')}: No such file or directory`],
      [['frob'], "kproc: unknown command 'frob'; commands: run, check, verify (see kproc --help)"],
    ] as const) {
      const r = kproc([...args]);
      assert.equal(r.status, args[0] === 'run' ? 123 : 2, args.join(' '));
      assert.equal(r.stderr.split('\n')[0], line);
      assert.doesNotMatch(r.stderr, /^\s+at /m);
    }
    assert.doesNotMatch(compile.stderr, /^\s+at /m);
  });

  it('draws progress when forced, rewriting one line and clearing it at the end', () => {
    const r = kproc(['run', '--progress', '--max-steps', '150000', spin], { KPROC_PROGRESS_AFTER_MS: '0' });
    assert.equal(r.status, 124);
    assert.match(r.stderr, /^\r\x1b\[2Kkproc: 100,000 steps, virtual time 0\.\d{6} s, \d+ tasks/);
    assert.ok(r.stderr.endsWith(`\r\x1b[2Kkproc run: ${spin}: step budget of 150000 steps used up (raise it with --max-steps)\n`), JSON.stringify(r.stderr));
    assert.equal(r.stdout, '');
    const plain = kproc(['run', '--max-steps', '150000', spin]);
    assert.doesNotMatch(plain.stderr, /steps, virtual time/, 'stderr is a pipe here: no progress unless forced');
  });

  it('exits with main\'s status as the shell sees it, and the simulator\'s own outcomes with their codes', () => {
    const exit3 = write('exit3.kproc', '#include <stdio.h>\n#include <stdlib.h>\nint main(void)\n{\n    printf("bye\\n");\n    exit(3);\n}\n');
    const aborts = write('aborts.kproc', '#include <stdlib.h>\nint main(void)\n{\n    abort();\n}\n');
    const stuck = write('stuck.kproc', '#include <unistd.h>\nint main(void)\n{\n    pause();\n    return 0;\n}\n');
    const script = [exit3, aborts, stuck].map((f) => `"${process.execPath}" "${BIN}" run "${f}" >/dev/null 2>&1; echo $?`).join('; ');
    const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', timeout: 100000 });
    assert.equal(r.stdout, '3\n134\n120\n');
    const dead = kproc(['run', stuck]);
    assert.equal(dead.stderr.split('\n').filter(Boolean).length, 1, dead.stderr);
    assert.match(dead.stderr, /^kproc run: .*stuck\.kproc: deadlock/);
  });
});
