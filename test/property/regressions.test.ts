// Scenarios the random property tests once found, kept as fixed cases so they stay fixed: each
// runs step by step with the invariants checked, and must end the way a random scenario must.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { endingProblem, runChecked } from './stepper';

const DIR = join(__dirname, 'regressions');

describe('regression scenarios found by the property tests', () => {
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.kproc')).sort()) {
    it(name, () => {
      const run = runChecked(readFileSync(join(DIR, name), 'utf8'), 20000, name);
      assert.equal(endingProblem(run), undefined);
    });
  }
});
