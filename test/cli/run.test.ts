// `kproc run` through main(): the scenario's stdout and nothing else, the flags, exit codes and
// the messages on stderr for compile errors, deadlock and the step budget.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { capture } from './capture';


const FORK_WAIT_OUT = 'parent 3: started child 4\nchild 4: done, exiting with 7\nparent: child 4 exited with status 7\n';

describe('kproc run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kproc-run-'));
  const write = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const bad = write('bad.kproc', 'int main(void) {\n\tpid_t p = fork()\n\treturn 0;\n}\n');
  const stuck = write('stuck.kproc', '#include <unistd.h>\nint main(void)\n{\n    pause();\n    return 0;\n}\n');
  const spin = write('spin.kproc', 'int main(void)\n{\n    for (;;) {}\n    return 0;\n}\n');
  const errout = write('errout.kproc', '#include <stdio.h>\n#include <unistd.h>\nint main(void)\n{\n    write(2, "oops\\n", 5);\n    printf("fine\\n");\n    return 0;\n}\n');

  it('prints exactly what the scenario prints and exits 0', async () => {
    const io = capture();
    assert.equal(await main(['run', 'examples/fork-wait.kproc'], io), 0);
    assert.equal(io.stdout, FORK_WAIT_OUT);
    assert.equal(io.stderr, '');
  });

  it('sends the scenario\'s stderr to stderr', async () => {
    const io = capture();
    assert.equal(await main(['run', errout], io), 0);
    assert.equal(io.stdout, 'fine\n');
    assert.equal(io.stderr, 'oops\n');
  });

  it('--trace interleaves the event log with the output', async () => {
    const io = capture();
    assert.equal(await main(['run', '--trace', 'examples/fork-wait.kproc'], io), 0);
    const lines = io.stdout.split('\n');
    const fork = lines.findIndex((l) => /^\[ +0\.\d{6}\] fork +Task 3 created task 4 with fork\(\)$/.test(l));
    const parent = lines.indexOf('parent 3: started child 4');
    const reap = lines.findIndex((l) => / reap +Task 4 was reaped by 3$/.test(l));
    assert.ok(fork >= 0 && parent > fork && reap > parent, io.stdout);
    assert.equal(lines.filter((l) => !l.startsWith('[')).join('\n'), `${FORK_WAIT_OUT}`);
  });

  it('--trace keeps the kind column aligned, its longest kinds (signal_deliver, sched_migrate_task) included', async () => {
    const moved = write('moved.kproc', '#pragma kproc cpus 2\n#define _GNU_SOURCE\n#include <sched.h>\n#include <signal.h>\n'
      + '#include <sys/wait.h>\n#include <unistd.h>\nint main(void)\n{\n    cpu_set_t cpus;\n    CPU_ZERO(&cpus);\n    CPU_SET(1, &cpus);\n'
      + '    sched_setaffinity(0, sizeof(cpus), &cpus);\n    pid_t c = fork();\n    if (c == 0) {\n        raise(SIGSTOP);\n        _exit(0);\n    }\n'
      + '    waitpid(c, NULL, WUNTRACED);\n    kill(c, SIGCONT);\n    waitpid(c, NULL, 0);\n    return 0;\n}\n');
    const io = capture();
    assert.equal(await main(['run', '--trace', moved], io), 0, io.stderr);
    const lines = io.stdout.split('\n').filter((l) => l.startsWith('['));
    const kinds = new Set(lines.map((l) => /^\[[ \d.]+\] (\S+)/.exec(l)?.[1]));
    assert.ok(kinds.has('signal_deliver') && kinds.has('sched_migrate_task'), [...kinds].join(' '));
    // The summary starts in the same column on every line, one space or more after the kind.
    const columns = new Set(lines.map((l) => /^\[[ \d.]+\] \S+ +/.exec(l)?.[0].length));
    assert.deepEqual([...columns], [lines[0].indexOf('comm=')], io.stdout);
  });

  it('--pstree prints the final tree and --json everything machine-readable', async () => {
    const io = capture();
    assert.equal(await main(['run', '--pstree', 'examples/fork-wait.kproc'], io), 0);
    assert.equal(io.stdout, `${FORK_WAIT_OUT}init(1)\n[kthreadd](2)\n`);
    const j = capture();
    assert.equal(await main(['run', '--json', 'examples/fork-wait.kproc'], j), 0);
    const doc = JSON.parse(j.stdout) as { reason: string; stdout: string; events: Array<{ kind: string }>; tasks: unknown[] };
    assert.equal(doc.reason, 'exited');
    assert.equal(doc.stdout, FORK_WAIT_OUT);
    assert.ok(doc.events.some((e) => e.kind === 'zombie'));
    assert.equal(doc.tasks.length, 2);
  });

  it('--trace-sched adds the scheduler tracepoints and --sched-stats prints a table per task', async () => {
    const io = capture();
    assert.equal(await main(['run', '--trace-sched', '--sched-stats', 'examples/fork-wait.kproc'], io), 0);
    assert.match(io.stdout, /sched_switch +prev_comm=swapper\/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=init next_pid=1 next_prio=120/);
    assert.match(io.stdout, /sched_wakeup +comm=fork-wait pid=3 prio=120 target_cpu=000/);
    assert.match(io.stdout, /^ +PID COMM +POLICY +RUNTIME\(ms\) +WAIT\(ms\) +NVCSW +NIVCSW$/m);
    assert.match(io.stdout, /^ +4 fork-wait +SCHED_OTHER +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+$/m);
    const plain = capture();
    assert.equal(await main(['run', '--trace', 'examples/fork-wait.kproc'], plain), 0);
    assert.doesNotMatch(plain.stdout, /sched_switch|sched_wakeup|NVCSW/);
  });

  it('gives the same trace twice', async () => {
    const a = capture(), b = capture();
    await main(['run', '--trace', '--seed', '9', 'examples/fork-wait.kproc'], a);
    await main(['run', '--trace', '--seed', '9', 'examples/fork-wait.kproc'], b);
    assert.equal(a.stdout, b.stdout);
  });

  it('runs getsid: a child shares its parent\'s session until setsid makes it a leader', async () => {
    const sess = write('sess.kproc', '#include <stdio.h>\n#include <stdlib.h>\n#include <sys/wait.h>\n#include <unistd.h>\n' +
      'int main(void)\n{\n    int st;\n    pid_t c = fork();\n    if (c == 0) {\n' +
      '        printf("child %d: sid %d\\n", getpid(), getsid(0));\n        setsid();\n' +
      '        printf("after setsid: sid %d, parent\'s sid %d\\n", getsid(0), getsid(getppid()));\n        exit(0);\n    }\n' +
      '    waitpid(c, &st, 0);\n    printf("getsid(99) = %d\\n", getsid(99));\n    return 0;\n}\n');
    const io = capture();
    assert.equal(await main(['run', sess], io), 0, io.stderr);
    assert.equal(io.stdout, 'child 4: sid 0\nafter setsid: sid 4, parent\'s sid 0\ngetsid(99) = -1\n');
  });

  it('reports compile errors gcc-style and exits 126 without running', async () => {
    const io = capture();
    assert.equal(await main(['run', bad], io), 126);
    assert.equal(io.stdout, '');
    assert.match(io.stderr, /bad\.kproc:2:\d+: error: /);
    assert.match(io.stderr, /the scenario was not run/);
  });

  it('names the sleeping tasks of a deadlock and exits 120', async () => {
    const io = capture();
    assert.equal(await main(['run', stuck], io), 120);
    assert.match(io.stderr, /deadlock: .*sleeping: 3 \(stuck, TASK_INTERRUPTIBLE\)/);
  });

  it('stops an endless loop at --max-steps and exits 124', async () => {
    const io = capture();
    assert.equal(await main(['run', '--max-steps', '200', spin], io), 124);
    assert.match(io.stderr, /step budget of 200 steps used up/);
  });

  it('rejects bad options and missing files with exit 123', async () => {
    const io = capture();
    assert.equal(await main(['run', '--frobnicate', spin], io), 123);
    assert.match(io.stderr, /unknown option '--frobnicate'/);
    const io2 = capture();
    assert.equal(await main(['run', '--cpus', 'x', spin], io2), 123);
    const io3 = capture();
    assert.equal(await main(['run', join(dir, 'missing.kproc')], io3), 123);
    assert.match(io3.stderr, /No such file or directory/);
  });
});
