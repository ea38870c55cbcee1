// `kproc run`'s exit status: the scenario's main process's status as a shell's $? shows it (the
// status main returned or passed to exit, 128 + N when it died of signal N), compared with the
// same C built by gcc and run on this machine's kernel; and the simulator's own outcomes.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { EXIT_CODES } from '../../sim-core/cli/run';
import { capture } from './capture';

const HEAD = '#include <pthread.h>\n#include <signal.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <sys/wait.h>\n#include <unistd.h>\n';

/** Scenario bodies and the status a shell reports for them on Linux. */
const CASES: ReadonlyArray<readonly [string, string, number]> = [
  ['return 0', 'int main(void)\n{\n    return 0;\n}\n', 0],
  ['return 42', 'int main(void)\n{\n    return 42;\n}\n', 42],
  ['exit(3)', 'int main(void)\n{\n    exit(3);\n}\n', 3],
  ['_exit(7) after printf', 'int main(void)\n{\n    printf("x\\n");\n    _exit(7);\n}\n', 7],
  ['exit(256): only the low 8 bits', 'int main(void)\n{\n    exit(256);\n}\n', 0],
  ['exit(-1)', 'int main(void)\n{\n    exit(-1);\n}\n', 255],
  ['abort()', 'int main(void)\n{\n    abort();\n}\n', 128 + 6],
  ['raise(SIGTERM)', 'int main(void)\n{\n    raise(SIGTERM);\n    return 1;\n}\n', 128 + 15],
  ['killed by its child with SIGKILL', 'int main(void)\n{\n    if (fork() == 0) {\n        kill(getppid(), SIGKILL);\n        _exit(0);\n    }\n    for (;;)\n        pause();\n}\n', 128 + 9],
  ['a child\'s status is not main\'s', 'int main(void)\n{\n    int st;\n    if (fork() == 0)\n        exit(9);\n    wait(&st);\n    return WEXITSTATUS(st) - 4;\n}\n', 5],
  ['a thread calls exit(12)', 'void *worker(void *arg)\n{\n    exit(12);\n}\nint main(void)\n{\n    pthread_t t;\n    pthread_create(&t, NULL, worker, NULL);\n    pthread_join(t, NULL);\n    return 0;\n}\n', 12],
  ['the leader calls pthread_exit, a thread exit(21)', 'void *worker(void *arg)\n{\n    usleep(1000);\n    exit(21);\n}\nint main(void)\n{\n    pthread_t t;\n    pthread_create(&t, NULL, worker, NULL);\n    pthread_exit(NULL);\n}\n', 21],
  ['NULL dereference', 'int main(void)\n{\n    volatile int *p = 0;\n    *p = 1;\n    return 0;\n}\n', 128 + 11],
];

describe('kproc run exit status', function () {
  this.timeout(120000);
  const dir = mkdtempSync(join(tmpdir(), 'kproc-status-'));
  const write = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };

  for (const [name, body, status] of CASES) {
    it(`is main's status as a shell shows it: ${name} -> ${status}`, async () => {
      const io = capture();
      assert.equal(await main(['run', write('s.kproc', HEAD + body)], io), status, io.stderr);
      assert.doesNotMatch(io.stderr, /^kproc run:/m, 'a program\'s own status comes with no reason line');
    });
  }

  it('matches the status of the same C built by gcc and run on the real kernel', function () {
    if (!existsSync('/usr/bin/gcc')) this.skip();
    for (const [name, body, status] of CASES) {
      const src = write('real.c', HEAD + body);
      const exe = join(dir, 'real');
      const cc = spawnSync('gcc', ['-O0', '-pthread', '-w', '-o', exe, src], { encoding: 'utf8' });
      assert.equal(cc.status, 0, cc.stderr);
      const r = spawnSync(exe, [], { encoding: 'utf8', timeout: 20000 });
      const real = r.status ?? 128 + constants.signals[r.signal as keyof typeof constants.signals];
      assert.equal(real, status, `${name}: the real kernel says ${real}`);
    }
  });

  it('gives each of the simulator\'s own outcomes a distinct code outside what a shell gives for signals 1-31 and 0..119', () => {
    const codes = Object.values(EXIT_CODES);
    assert.equal(new Set(codes).size, codes.length);
    for (const c of codes) assert.ok(c >= 120 && c <= 141 && (c < 129 || c === 141), `${c}`);
  });

  it('ends a deadlock with 120 and one reason line, even when main had already exited', async () => {
    // main exits 0, its child blocks forever: the run did not end by itself.
    const io = capture();
    const src = write('stuck.kproc', HEAD + 'int main(void)\n{\n    if (fork() == 0) {\n        sigset_t s;\n        sigemptyset(&s);\n        sigsuspend(&s);\n    }\n    return 0;\n}\n');
    const code = await main(['run', src], io);
    assert.equal(code, EXIT_CODES.deadlock, io.stderr);
    assert.equal(io.stderr.split('\n').filter((l) => l.startsWith('kproc run:')).length, 1);
  });

  it('reports main\'s status in --json as exitCode', async () => {
    const io = capture();
    assert.equal(await main(['run', '--json', write('j.kproc', HEAD + 'int main(void)\n{\n    return 77;\n}\n')], io), 77);
    const doc = JSON.parse(io.stdout) as { reason: string; exitCode: number };
    assert.equal(doc.reason, 'exited');
    assert.equal(doc.exitCode, 77);
  });

  it('keeps 2 for usage errors of kproc itself and kproc check, 123 for kproc run', async () => {
    assert.equal(await main(['frob'], capture()), 2);
    assert.equal(await main(['check', '--frob'], capture()), 2);
    const io = capture();
    assert.equal(await main(['run', '--frob'], io), EXIT_CODES.usage);
    assert.equal(io.stderr, "kproc: run: unknown option '--frob' (see kproc run --help)\n");
  });
});
