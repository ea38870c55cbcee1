// Fidelity: every user-space example prints the same on the real kernel (a fresh PID namespace
// under sim-core/cli/verify/init.c) as under `kproc run`, pids included; and the real side is stable.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { realKernelUnavailable, realSettings, realSettingsUnsupported, runReal, type RealRun } from './real';
import { exampleFiles, isKernelSide, runSimulated } from './simulated';

const userExamples = exampleFiles().filter((f) => !isKernelSide(f));
/** Extra scenarios that pin down behaviour the examples do not show (faults, errno values). */
const CASES_DIR = join(__dirname, 'cases');
const cases = readdirSync(CASES_DIR).filter((f) => f.endsWith('.kproc')).sort().map((f) => join(CASES_DIR, f));

/** The one check that needs no kernel support beyond gcc. */
const COMPILES = 'compiles with gcc -Wall without warnings (unknown pragmas aside)';

/** main's wait status as init reported it (`kproc-init: main status 0x...`), as a shell's $? shows it. */
function realMainStatus(r: RealRun): number | null {
  const m = /^kproc-init: main status 0x([0-9a-f]+)$/m.exec(r.stderr);
  if (!m) return null;
  const status = parseInt(m[1], 16);
  return status & 0x7f ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
}

function describeRun(r: RealRun): string {
  return `init status ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

describe('fidelity: examples on the real kernel and in the simulator', function () {
  this.timeout(120000);
  const unavailable = realKernelUnavailable();
  const realRuns = new Map<string, RealRun>();

  before(function () {
    if (unavailable) {
      console.log(`    (skipped: ${unavailable})`);
      this.skip();
    }
  });

  it('has user-space examples to compare', () => {
    assert.ok(userExamples.length >= 14, `only ${userExamples.length} user-space examples`);
  });

  for (const file of [...userExamples, ...cases]) {
    const name = file.startsWith(CASES_DIR) ? `cases/${basename(file)}` : basename(file);
    describe(name, () => {
      const unsupported = realSettingsUnsupported(realSettings(readFileSync(file, 'utf8')));
      beforeEach(function () {
        if (unsupported && this.currentTest?.title !== COMPILES) {
          console.log(`      (skipped: ${unsupported})`);
          this.skip();
        }
      });

      it(COMPILES, () => {
        const r = spawnSync('gcc', ['-Wall', '-Wno-unknown-pragmas', '-fsyntax-only', '-x', 'c', file], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '', r.stderr);
      });

      it('prints the same thing twice on the real kernel', () => {
        const first = runReal(file);
        const second = runReal(file);
        assert.equal(first.status, 0, describeRun(first));
        assert.equal(second.status, 0, describeRun(second));
        assert.ok(first.stdout.length > 0, 'the example printed nothing');
        assert.equal(second.stdout, first.stdout, 'two real runs differ: the example is not deterministic');
        realRuns.set(file, first);
      });

      it('kproc run prints what the real kernel prints and exits with main\'s status', async () => {
        const real = realRuns.get(file) ?? runReal(file);
        const sim = await runSimulated(file);
        // On a terminal (a case run so on the real side) stdout and stderr share the screen.
        const terminal = realSettings(readFileSync(file, 'utf8')).terminal;
        assert.equal(terminal ? sim.terminal : sim.stdout, real.stdout, `kproc run (exit ${sim.code}) differs from the real kernel\n${sim.stderr}`);
        assert.doesNotMatch(sim.stderr, /^kproc run: /m, 'kproc run did not finish the scenario');
        assert.equal(sim.code, realMainStatus(real), `kproc run's status is not main's on the real kernel\n${sim.stderr}`);
      });
    });
  }

  describe('RLIMIT_NPROC and root', () => {
    let dir = '';
    let rootVariant = '';
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'kproc-rlimit-'));
      rootVariant = join(dir, 'rlimit-root.kproc');
      const source = readFileSync(userExamples.find((f) => basename(f) === 'rlimit-nproc.kproc') ?? '', 'utf8');
      writeFileSync(rootVariant, source.replace('#define LIMIT 3', '#pragma kproc uid 0\n#define LIMIT 3'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('root is not bound by the limit, on the real kernel and in the simulator', async () => {
      const real = runReal(rootVariant);
      assert.equal(real.status, 0, describeRun(real));
      assert.match(real.stdout, /^fork 3: child 6$/m, 'root should pass the RLIMIT_NPROC check');
      const sim = await runSimulated(rootVariant);
      assert.equal(sim.stdout, real.stdout, sim.stderr);
    });
  });
});
