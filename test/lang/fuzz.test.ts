// Property test: the parser and checker never throw, and every diagnostic lies inside the document,
// for random bytes, random token soup, and valid scenarios with random cuts and insertions.
// KPROC_FUZZ_RUNS sets the number of cases per property (default 10000).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { analyze } from '../../sim-core/lang/check';
import { LineMap } from '../../sim-core/lang/linemap';

const RUNS = Number(process.env.KPROC_FUZZ_RUNS ?? 10000);

function holds(text: string): void {
  const { diagnostics, program } = analyze(text);
  assert.ok(program.kind === 'Program');
  for (const d of diagnostics) {
    if (!(d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= text.length)) {
      assert.fail(`diagnostic ${JSON.stringify(d)} outside a document of ${text.length} characters`);
    }
    assert.notEqual(d.code, 'internal', d.message);
  }
  // The line map must place every range on a real line.
  const lines = new LineMap(text);
  for (const d of diagnostics) assert.ok(lines.positionAt(d.range.end).line < lines.lineCount);
}

const TOKENS = ['int', 'char', 'void', 'pid_t', 'struct', 'sigaction', 'task_struct', '*', '&', '(', ')', '{', '}', '[', ']',
  ';', ',', '=', '==', '+', '-', '->', '.', '?', ':', 'if', 'else', 'while', 'for', 'do', 'switch', 'case', 'default',
  'return', 'break', 'fork', 'waitpid', 'exit', 'printf', 'main', 'x', 'SIGCHLD', 'CLONE_VMM', '0', '0x1f', '"s"',
  "'c'", '"unterminated', '/*', '*/', '//', '\n', '#include <stdio.h>\n', '#define N 3\n', '#pragma kproc cpus 99\n',
  '#if 0\n', '#endif\n', '#define F(x) x\n', 'module_init', 'kthread_run', 'sizeof', '...', '\\\n', '@', '\u00e9'];

const SEEDS = [
  readFileSync('examples/fork-wait.kproc', 'utf8'),
  `#include <linux/kthread.h>\nstatic struct task_struct *t;\nLIST_HEAD(ev);\nDEFINE_SPINLOCK(l);\nstatic int c(void *d) {\n  while (!kthread_should_stop()) {\n    set_current_state(TASK_INTERRUPTIBLE);\n    spin_lock(&l);\n    if (list_empty(&ev)) { spin_unlock(&l); schedule(); continue; }\n    __set_current_state(TASK_RUNNING);\n    printk(KERN_INFO "%d\\n", list_is_last(ev.next, &ev)); list_del_init(ev.next);\n    spin_unlock(&l);\n  }\n  return 0;\n}\nstatic int __init i(void) { t = kthread_run(c, NULL, "c"); return 0; }\nmodule_init(i);\n`,
];

describe('parser and checker fuzz', function () {
  this.timeout(600000);

  it('random bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), holds), { numRuns: RUNS });
  });

  it('random token soup', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), fc.constantFrom(' ', '', '\n'),
      (toks, sep) => holds(toks.join(sep))), { numRuns: RUNS });
  });

  it('valid scenarios with random cuts and insertions', () => {
    const edit = fc.record({
      seed: fc.nat(SEEDS.length - 1),
      at: fc.nat(),
      cut: fc.nat(40),
      insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })),
    });
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
      let text = SEEDS[edits[0].seed];
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.cut));
      }
      holds(text);
    }), { numRuns: RUNS });
  });
});
