// Output is streamed and bounded: run() hands out what was written once about OUTPUT_FLUSH
// characters are waiting (whatever its slice), and the run's output limit ends it with an
// 'output' stop at exactly the limit. (Timeouts are hang guards.)
import { strict as assert } from 'node:assert';
import { OUTPUT_FLUSH } from '../../sim-core/machine/output';
import { bootSource } from './helpers';

const WRITE_LOOP = '#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\nint main(void)\n{\n    char *p = malloc(1048576);\n    memset(p, \'x\', 1048576);\n    for (;;)\n        write(1, p, 1048576);\n    return 0;\n}\n';

describe('machine: output streamed and bounded', function () {
  this.timeout(60000);

  it('hands out output every ~1 MB even when asked for an unbounded slice, and ends at the output limit', () => {
    const limit = 10 * 1048576 + 12345;
    const m = bootSource(WRITE_LOOP, 100_000_000, { maxOutput: limit });
    let total = 0;
    let runs = 0;
    for (;;) {
      const s = m.run();
      runs++;
      let chars = 0;
      for (const e of s.events) if (e.kind === 'output') chars += e.text.length;
      assert.ok(chars <= OUTPUT_FLUSH + 1048576, `one run held ${chars} characters`);
      total += chars;
      if (s.reason !== 'yield') {
        assert.equal(s.reason, 'output');
        assert.match(s.message ?? '', /^output limit reached/);
        assert.equal(s.pid, 3);
        break;
      }
      assert.ok(runs < 100);
    }
    assert.equal(total, limit);
    assert.ok(runs >= 5, `runs: ${runs}`);
    assert.equal(m.exitStatus().reason, 'output');
    assert.equal(m.run().reason, 'output', 'the end is final');
  });

  it('a loop of printf("%100000000d") ends at the default 64 MiB limit without building more', () => {
    const m = bootSource('#include <stdio.h>\nint main(void)\n{\n    for (;;)\n        printf("%100000000d", 1);\n    return 0;\n}\n', 100_000_000);
    let total = 0;
    let reason = 'yield';
    for (let i = 0; i < 1000 && reason === 'yield'; i++) {
      const s = m.run(100000);
      for (const e of s.events) if (e.kind === 'output') total += e.text.length;
      reason = s.reason;
    }
    assert.equal(reason, 'output');
    assert.equal(total, 1 << 26);
  });

  it('write returns the count it wrote', () => {
    const m = bootSource('#include <stdio.h>\n#include <unistd.h>\nint main(void)\n{\n    int n = write(1, "hello\\n", 6);\n    printf("%d\\n", n);\n    return 0;\n}\n');
    let out = '';
    for (;;) { const s = m.run(); for (const e of s.events) if (e.kind === 'output') out += e.text; if (s.reason !== 'yield') break; }
    assert.equal(out, 'hello\n6\n');
  });
});
