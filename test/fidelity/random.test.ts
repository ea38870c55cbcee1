// Random fidelity: fast-check writes sequential scenarios (forks and vforks waited for at once,
// exits, self-kills, faults, threads, SIGCHLD ignored, calls that fail) and each must print the
// same on the real kernel as under `kproc run`. KPROC_FIDELITY_RUNS sets how many (default 25).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSequential, sequentialArb } from './random-gen';
import { realKernelSuite, runReal } from './real';
import { runSimulated } from './simulated';

const RUNS = Number(process.env.KPROC_FIDELITY_RUNS ?? 25);

describe('fidelity of random sequential scenarios', function () {
  this.timeout(600000);
  const scratch = realKernelSuite('kproc-random-');

  it(`${RUNS} random scenarios print the same on the real kernel and in the simulator`, async () => {
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(sequentialArb, async (ops) => {
        const source = renderSequential(ops);
        const file = join(scratch.dir(), `random-${serial++}.kproc`);
        writeFileSync(file, source);
        const real = runReal(file);
        assert.equal(real.status, 0, `real run failed:\n${real.stderr}\n${source}`);
        const sim = await runSimulated(file);
        assert.equal(sim.stdout, real.stdout, `kproc run differs from the real kernel (exit ${sim.code})\n${sim.stderr}\n${source}`);
      }),
      { numRuns: RUNS, seed: Number(process.env.KPROC_FIDELITY_SEED ?? 11) },
    );
  });
});
