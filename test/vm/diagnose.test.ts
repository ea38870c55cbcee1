// What `kproc check` and the editor accept is what `kproc run` runs: diagnose() reports the
// compiler's errors as boot() meets them, and nothing more for a scenario that runs.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { boot } from '../../sim-core/machine';
import { diagnose } from '../../sim-core/vm/diagnose';
import { exampleFiles } from '../fidelity/simulated';

const errorsOf = (ds: ReadonlyArray<{ severity: string; code?: string; range: { start: number } }>): string[] =>
  ds.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.range.start}`).sort();

const REFUSED_BY_THE_COMPILER = [
  '#include <errno.h>\nint main(void)\n{\n    int *p = &errno;\n    return *p;\n}\n',
  'int main(void)\n{\n    int a = 1;\n    switch (a) { case 1: break; case 1: break; }\n    return 0;\n}\n',
];

describe('diagnose: check reports what run refuses', () => {
  it('reports the compiler\'s errors for constructs only the compiler refuses, as boot does', () => {
    for (const text of REFUSED_BY_THE_COMPILER) {
      const checked = errorsOf(diagnose(text).diagnostics);
      assert.ok(checked.length > 0, `diagnose found no error in:\n${text}`);
      assert.deepEqual(checked, errorsOf(boot({ file: 'x.kproc', source: text }).diagnostics));
    }
  });

  it('finds no error in any example (each of them runs)', () => {
    for (const file of exampleFiles()) {
      const text = readFileSync(file, 'utf8');
      assert.deepEqual(errorsOf(diagnose(text).diagnostics), [], file);
      assert.ok(boot({ file, source: text }).machine, file);
    }
  });
});
