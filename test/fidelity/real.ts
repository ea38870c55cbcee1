// The real-kernel harness of the fidelity tests is the one `kproc verify` ships
// (sim-core/cli/verify/real.ts); this adds the mocha hooks a real-kernel suite needs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realKernelUnavailable } from '../../sim-core/cli/verify/real';

export {
  compileScenario, DEFAULT_NPROC, DEFAULT_UID, realKernelUnavailable, realSettings, realSettingsUnsupported, runReal,
  type RealRun, type RealSettings,
} from '../../sim-core/cli/verify/real';

/**
 * Mocha hooks for a suite that runs programs on the real kernel: skips the suite (saying why)
 * where that is not possible, and gives it a scratch folder removed afterwards. Read `dir()` in
 * tests, not at definition time.
 */
export function realKernelSuite(prefix: string): { dir: () => string } {
  let dir = '';
  before(function () {
    const why = realKernelUnavailable();
    if (why) {
      console.log(`    (skipped: ${why})`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
  return { dir: () => dir };
}
