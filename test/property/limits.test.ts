// Runaway scenarios end in a clean, named stop: a fork bomb meets EAGAIN (pid_max or RLIMIT_NPROC)
// and then the step budget, an endless loop meets the budget; memory and task counts stay bounded.
import { strict as assert } from 'node:assert';
import { boot, checkInvariants } from '../../sim-core/machine';
import type { KEvent, Stop } from '../../sim-core/machine-types';

interface Outcome {
  last: Stop;
  failures: Map<string, number>;
  maxTasks: number;
  heapGrowth: number;
  broken: string[];
}

/** Runs in slices so the events are counted, not kept; samples task counts and the heap. */
function runaway(source: string, maxSteps: number): Outcome {
  const heapBefore = process.memoryUsage().heapUsed;
  const { machine, diagnostics } = boot({ file: 'runaway.kproc', source, maxSteps });
  assert.ok(machine, diagnostics.map((d) => d.message).join('; '));
  const failures = new Map<string, number>();
  let maxTasks = 0;
  let broken: string[] = [];
  let last: Stop;
  do {
    last = machine.run(5000);
    for (const e of last.events as KEvent[]) {
      if (e.kind === 'fork-failed') failures.set(`${e.errno} ${e.limit}`, (failures.get(`${e.errno} ${e.limit}`) ?? 0) + 1);
    }
    maxTasks = Math.max(maxTasks, machine.tasks().length);
    if (broken.length === 0) broken = checkInvariants(machine);
  } while (last.reason === 'yield');
  return { last, failures, maxTasks, heapGrowth: process.memoryUsage().heapUsed - heapBefore, broken };
}

const MB = 1024 * 1024;

describe('runaway scenarios', function () {
  this.timeout(120000);

  it('a fork bomb under a small pid_max gets EAGAIN, then stops at the step budget', () => {
    const out = runaway(`#include <unistd.h>
#pragma kproc pid_max 400
int main(void)
{
    for (;;)
        fork();
}
`, 200000);
    assert.equal(out.last.reason, 'budget', out.last.message);
    assert.ok(out.last.message && out.last.message.length > 0, 'the budget stop should say why');
    assert.ok((out.failures.get('EAGAIN pid_max') ?? 0) > 0, `no EAGAIN from pid_max: ${[...out.failures]}`);
    // pids 300..399 plus the first ones: never more tasks than pid_max allows.
    assert.ok(out.maxTasks <= 400, `${out.maxTasks} tasks with pid_max 400`);
    assert.deepEqual(out.broken, []);
    assert.ok(out.heapGrowth < 200 * MB, `heap grew by ${(out.heapGrowth / MB).toFixed(1)} MB`);
  });

  it('a fork bomb under RLIMIT_NPROC gets EAGAIN from the limit, not from pid_max', () => {
    const out = runaway(`#include <unistd.h>
#pragma kproc nproc 64
int main(void)
{
    while (1)
        fork();
}
`, 200000);
    assert.equal(out.last.reason, 'budget', out.last.message);
    assert.ok((out.failures.get('EAGAIN RLIMIT_NPROC') ?? 0) > 0, `no EAGAIN from RLIMIT_NPROC: ${[...out.failures]}`);
    assert.equal(out.failures.get('EAGAIN pid_max') ?? 0, 0);
    // The user's 64 tasks, plus init, kthreadd and anything the kernel runs as root.
    assert.ok(out.maxTasks <= 64 + 8, `${out.maxTasks} tasks with RLIMIT_NPROC 64`);
    assert.deepEqual(out.broken, []);
  });

  it('an endless loop stops at the step budget with a message', () => {
    const out = runaway(`int main(void)
{
    long n = 0;
    for (;;)
        n++;
}
`, 60000);
    assert.equal(out.last.reason, 'budget');
    assert.match(out.last.message ?? '', /\S/);
    assert.ok(out.heapGrowth < 64 * MB, `heap grew by ${(out.heapGrowth / MB).toFixed(1)} MB in a loop that allocates nothing`);
  });

  it('a long run keeps only the newest output for output(); every write still comes out as an event', () => {
    const { machine } = boot({ file: 'spam.kproc', source: `#include <stdio.h>
int main(void)
{
    for (int i = 0; i < 40000; i++)
        printf("line %06d of output, padded to forty\\n", i);
    return 0;
}
` });
    assert.ok(machine);
    let written = 0, last = '';
    let stop;
    do {
      stop = machine.run(20000);
      for (const e of stop.events as KEvent[]) if (e.kind === 'output') { written += e.text.length; last = e.text; }
    } while (stop.reason === 'yield');
    assert.equal(stop.reason, 'exited');
    assert.equal(written, 40000 * last.length);
    const kept = machine.output();
    assert.ok(kept.length <= 1 << 20 && kept.length >= (3 << 20) / 4 - 40, `${kept.length} characters kept`);
    assert.ok(kept.startsWith('line ') && kept.endsWith(last) && last === 'line 039999 of output, padded to forty\n');
  });

  it('malloc in an endless loop gets NULL and ENOMEM when the machine\'s memory is spent', () => {
    const { machine } = boot({ file: 'malloc.kproc', source: `#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
int main(void)
{
    long n = 0;
    for (;;) {
        char *p = malloc(1 << 20);
        if (!p) {
            printf("NULL after %ld blocks, errno %d\\n", n, errno);
            return 1;
        }
        n++;
    }
}
` });
    assert.ok(machine);
    const heapBefore = process.memoryUsage().heapUsed;
    let stop;
    do stop = machine.run(20000); while (stop.reason === 'yield');
    assert.equal(stop.reason, 'exited');
    // 16M cells: 15 blocks of 1M beside the program's own globals and stack.
    assert.equal(machine.output(), 'NULL after 15 blocks, errno 12\n');
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 400 * MB);
  });

  it('free gives the memory back: a malloc and free loop never runs out', () => {
    const out = runaway(`#include <stdlib.h>
int main(void)
{
    for (int i = 0; i < 40; i++) {
        char *p = malloc(1 << 20);
        if (!p)
            return 1;
        p[0] = 1;
        free(p);
    }
    return 0;
}
`, 10_000_000);
    assert.equal(out.last.reason, 'exited', out.last.message);
  });

  it('deep recursion ends in SIGSEGV, in many processes at once, within the machine\'s memory', () => {
    const out = runaway(`#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
int f(int n) { return f(n + 1) + 1; }
int main(void)
{
    for (int i = 0; i < 20; i++)
        if (fork() == 0) { f(0); _exit(0); }
    int status, segv = 0;
    while (wait(&status) > 0)
        if (WIFSIGNALED(status) && WTERMSIG(status) == 11) segv++;
    printf("%d\\n", segv);
    return 0;
}
`, 100_000_000);
    assert.equal(out.last.reason, 'exited', out.last.message);
    assert.deepEqual(out.broken, []);
  });

  it('a fork that would copy more memory than is left fails with ENOMEM, and exits give it back', () => {
    const out = runaway(`#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void)
{
    char *big[12];
    for (int i = 0; i < 12; i++)
        big[i] = malloc(1 << 20);
    pid_t p = fork();
    if (p < 0)
        perror("fork");
    /* Half of it freed, each fork fits again, and only because each exit gives its copy back. */
    for (int i = 0; i < 6; i++)
        free(big[i]);
    for (int i = 0; i < 10; i++) {
        pid_t c = fork();
        if (c == 0)
            _exit(0);
        if (c < 0) {
            perror("fork again");
            return 1;
        }
        waitpid(c, NULL, 0);
    }
    printf("done\\n");
    return 0;
}
`, 10_000_000);
    assert.equal(out.last.reason, 'exited', out.last.message);
    assert.equal(out.failures.get('ENOMEM memory'), 1, `${[...out.failures]}`);
    assert.deepEqual(out.broken, []);
  });
});
