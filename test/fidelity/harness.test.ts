// The real-kernel harness itself: pragma reading, and the boot layout the comparisons rely on
// (pid 1 reaps orphans after main has gone, pid 2 is taken, main is pid 3, a hang is cut off).
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_NPROC, DEFAULT_UID, realKernelSuite, realSettings, runReal } from './real';

describe('real-kernel harness', function () {
  this.timeout(60000);

  it('reads the pragmas that need the real side', () => {
    const s = realSettings(`#pragma kproc pid_max 400
#pragma kproc nproc 9
  #pragma kproc uid 0
#pragma kproc program "/bin/worker" worker_main
#pragma kproc program "/bin/other" other_main
int worker_main(void) { return 0; }
int other_main(int argc, char *argv[]) { return argc; }
`);
    assert.deepEqual(s, {
      pidMax: 400, nproc: 9, uid: 0,
      programs: [{ path: '/bin/worker', fn: 'worker_main', params: 0 }, { path: '/bin/other', fn: 'other_main', params: 2 }],
      terminal: false,
    });
    assert.deepEqual(realSettings('int main(void) { return 0; }'), { uid: DEFAULT_UID, nproc: DEFAULT_NPROC, programs: [], terminal: false });
    assert.equal(realSettings('// real side: stdout on a pseudo-terminal\nint main(void) { return 0; }').terminal, true);
  });

  describe('on the real kernel', () => {
    const scratch = realKernelSuite('kproc-harness-');

    const scenario = (name: string, text: string): string => {
      const path = join(scratch.dir(), name);
      writeFileSync(path, text);
      return path;
    };

    it('boots main as pid 3 under pid 1, with pid 2 taken, as uid 1000', () => {
      const r = runReal(scenario('ids.kproc', `#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
int main(void)
{
    printf("pid %d ppid %d uid %d pid2 %d\\n", getpid(), getppid(), getuid(), kill(2, 0) == 0 || errno == EPERM);
    return 0;
}
`));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'pid 3 ppid 1 uid 1000 pid2 1\n');
    });

    it('waits for orphans that outlive main; stdout is line-buffered, so fork copies a partial line', () => {
      const r = runReal(scenario('orphan.kproc', `#include <stdio.h>
#include <unistd.h>
int main(void)
{
    printf("before fork ");
    if (fork() == 0) {
        usleep(200000);
        printf("orphan %d, parent %d\\n", getpid(), getppid());
        return 0;
    }
    return 0;
}
`));
      assert.equal(r.status, 0, r.stderr);
      // main's exit flushes its "before fork "; the child's copy of it comes out with its line.
      assert.equal(r.stdout, 'before fork before fork orphan 4, parent 1\n');
    });

    it('runs a case marked for a pseudo-terminal with stdout and stderr on one', () => {
      const r = runReal(scenario('tty.kproc', `// real side: stdout on a pseudo-terminal
#include <stdio.h>
#include <unistd.h>
int main(void)
{
    printf("tty %d %d ", isatty(1), isatty(2));
    fprintf(stderr, "to stderr\\n");
    printf("line\\n");
    return 0;
}
`));
      assert.equal(r.status, 0, r.stderr);
      // stderr is unbuffered: it reaches the terminal before stdout's partial line.
      assert.equal(r.stdout, 'to stderr\ntty 1 1 line\n');
    });

    it('kills a scenario that never ends when the timeout expires', () => {
      const r = runReal(scenario('hang.kproc', `#include <unistd.h>
int main(void) { for (;;) pause(); }
`), 500);
      assert.equal(r.status, 124, r.stderr);
      assert.match(r.stderr, /timed out/);
    });
  });
});
