// Runaway library work ends at the step budget: a loop of 1 MB memsets or of strlen over a 1 MB
// string is charged per 4 bytes, so a budget of steps is a bound on work; a malloc loop ends in
// ENOMEM at the memory budget, and fork then fails with ENOMEM too. (Timeouts are hang guards.)
import { strict as assert } from 'node:assert';
import type { KEvent } from '../../sim-core/machine-types';
import { CELLS_PER_INSTRUCTION } from '../../sim-core/vm/cost';
import { bootSource, runUntil } from './helpers';

const MB = 1 << 20;
/** Calls of 1 MB work that 20,000 steps of 1,000 instructions pay for. */
const ROUNDS = (20000 * 1000) / (MB / CELLS_PER_INSTRUCTION);

function runAll(source: string, maxSteps: number): { reason: string; events: KEvent[]; out: string } {
  const m = bootSource(source, maxSteps);
  const events: KEvent[] = [];
  const stop = runUntil(m, { kind: 'continue' }, events, 20000);
  const out = events.filter((e) => e.kind === 'output').map((e) => (e.kind === 'output' ? e.text : '')).join('');
  return { reason: stop.reason, events, out };
}

describe('machine: runaway library work is bounded by the budgets', function () {
  this.timeout(60000);

  it('a loop of 1 MB memsets ends at the step budget after about budget * 4,000 bytes', () => {
    const src = `#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nint main(void)\n{\n    char *p = malloc(${MB});\n    for (int i = 0; ; i++) {\n        memset(p, 0, ${MB});\n        printf("%d\\n", i);\n    }\n    return 0;\n}\n`;
    const r = runAll(src, 20000);
    assert.equal(r.reason, 'budget');
    const rounds = r.out.split('\n').length - 1;
    assert.ok(rounds > ROUNDS * 0.8 && rounds <= ROUNDS + 2, `rounds: ${rounds}`);
  });

  it('a loop of strlen over a 1 MB string ends at the step budget', () => {
    const src = `#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nint main(void)\n{\n    char *p = malloc(${MB + 1});\n    memset(p, 'a', ${MB});\n    p[${MB}] = 0;\n    for (;;)\n        printf("%d\\n", (int)strlen(p));\n    return 0;\n}\n`;
    const r = runAll(src, 20000);
    assert.equal(r.reason, 'budget');
    const lines = r.out.split('\n').filter((l) => l !== '');
    assert.ok(lines.length > ROUNDS * 0.8 && lines.length <= ROUNDS + 2, `lines: ${lines.length}`);
    assert.ok(lines.every((l) => l === String(MB)));
  });

  it('a malloc loop ends in NULL with ENOMEM at the memory budget, and fork then fails with ENOMEM', () => {
    const src = '#include <stdio.h>\n#include <stdlib.h>\n#include <errno.h>\n#include <unistd.h>\nint main(void)\n{\n    long n = 0;\n    while (malloc(16) != NULL)\n        n++;\n    printf("%ld blocks, ENOMEM %d\\n", n, errno == ENOMEM);\n    errno = 0;\n    pid_t p = fork();\n    printf("fork %d, ENOMEM %d\\n", p, errno == ENOMEM);\n    return 0;\n}\n';
    const r = runAll(src, 1_000_000);
    assert.equal(r.reason, 'exited');
    // 16M cells, 32 per block (glibc's smallest chunk), less what the program itself holds.
    const m = /^(\d+) blocks, ENOMEM 1\nfork -1, ENOMEM 1\n$/.exec(r.out);
    assert.ok(m, r.out);
    const n = Number(m[1]);
    assert.ok(n > (1 << 24) / 32 - 1000 && n < (1 << 24) / 32, `blocks: ${n}`);
    assert.ok(r.events.some((e) => e.kind === 'fork-failed' && e.errno === 'ENOMEM' && e.limit === 'memory'));
  });
});
