// `kproc verify`: the comparison and its layouts, the verdicts and their exit statuses (agree,
// differ, cannot compare), the reasons it gives where gcc, root or a user-space scenario is
// missing, --json, and the built CLI run as a shell would run it. Runs on the real kernel are
// skipped, saying why, where gcc, unshare or root are not available.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { firstDifference, outputLines, quoteLine, sideBySideReport, stackedReport } from '../../sim-core/cli/verify/compare';
import { realKernelUnavailable, type RealRun } from '../../sim-core/cli/verify/real';
import { chooseLayout, VERIFY_EXIT, verifyFile, type RealKernel } from '../../sim-core/cli/verify/verify';
import { exampleFiles, isKernelSide } from '../fidelity/simulated';
import { capture } from './capture';

const ROOT = resolve(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'fork-wait.kproc');
const FORK_WAIT_OUTPUT = 'parent 3: started child 4\nchild 4: done, exiting with 7\nparent: child 4 exited with status 7\n';

/** A real side that prints what it is given, for the paths that need no kernel. */
function fakeKernel(run: RealRun, columns?: number): RealKernel & { runs: number } {
  const k = { runs: 0, unavailable: () => undefined, run: () => { k.runs++; return run; }, terminalColumns: () => columns };
  return k;
}

interface JsonReport {
  file: string; verdict: string; exitCode: number; reason: string | null;
  real: { stdout: string; stderr: string; ended: boolean; mainStatus: number | null } | null;
  simulated: { stdout: string; stderr: string; ended: boolean } | null;
  firstDifference: { stream: string; line: number; real: string | null; simulated: string | null } | null;
}

describe('kproc verify', function () {
  this.timeout(120000);
  const dir = mkdtempSync(join(tmpdir(), 'kproc-verify-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };

  describe('the comparison', () => {
    it('finds the first line that differs, stdout before stderr, a shorter side and a lost newline included', () => {
      const same = { stdout: 'a\nb\n', stderr: 'e\n' };
      assert.equal(firstDifference(same, { ...same }), undefined);
      assert.deepEqual(firstDifference(same, { stdout: 'a\nc\n', stderr: 'x\n' }), { stream: 'stdout', line: 2, real: 'b\n', simulated: 'c\n' });
      assert.deepEqual(firstDifference(same, { stdout: 'a\n', stderr: 'e\n' }), { stream: 'stdout', line: 2, real: 'b\n', simulated: null });
      assert.deepEqual(firstDifference(same, { stdout: 'a\nb', stderr: 'e\n' }), { stream: 'stdout', line: 2, real: 'b\n', simulated: 'b' });
      assert.deepEqual(firstDifference(same, { stdout: 'a\nb\n', stderr: '' }), { stream: 'stderr', line: 1, real: 'e\n', simulated: null });
      assert.deepEqual(outputLines('x\n\ny'), ['x\n', '\n', 'y']);
      assert.equal(quoteLine('b\tc\n'), '"b\\tc"');
      assert.equal(quoteLine('b'), '"b" (no newline at the end)');
      assert.match(quoteLine(null), /ends before/);
    });

    it('lays the outputs out one after the other or in two columns, the first difference marked on its line', () => {
      const real = { name: 'real', detail: 'ended', out: { stdout: 'same\nreal line\n', stderr: '' } };
      const sim = { name: 'sim', detail: 'deadlock', out: { stdout: 'same\nsim line\n', stderr: '' } };
      const diff = firstDifference(real.out, sim.out);
      assert.equal(stackedReport(real, sim, diff), '== real: ended\n  1  same\n> 2  real line\n== sim: deadlock\n  1  same\n> 2  sim line\n');
      const wide = sideBySideReport(real, sim, diff, 40).split('\n');
      assert.deepEqual(wide.slice(0, 5), [
        'real  ended', 'sim   deadlock', `     ${'real'.padEnd(16)} | sim`,
        `  1  ${'same'.padEnd(16)} | same`, `> 2  ${'real line'.padEnd(16)} | sim line`,
      ]);
      for (const l of wide) assert.ok(l.length <= 40, `'${l}' is wider than 40 columns`);
      const long = { name: 'real', detail: '', out: { stdout: `${'x'.repeat(50)}\n`, stderr: 'oops\n' } };
      const cut = sideBySideReport(long, sim, undefined, 40);
      assert.match(cut, /x~ \|/, 'a long line is cut at its column, the cut marked');
      assert.match(cut, /-- stderr\n {2}1 {2}oops/, 'stderr gets its own block when either side wrote to it');
    });

    it('goes side by side only on a terminal of 100 columns or more', () => {
      assert.equal(chooseLayout(undefined), 'stacked');
      assert.equal(chooseLayout(99), 'stacked');
      assert.equal(chooseLayout(100), 'side-by-side');
    });
  });

  describe('verdicts without a real kernel', () => {
    it('says it cannot compare when gcc cannot be found, and names gcc (exit 3, nothing on stdout)', async () => {
      const io = Object.assign(capture(), { env: { PATH: mkdtempSync(join(dir, 'empty-path-')) } });
      const code = await main(['verify', EXAMPLE], io);
      assert.equal(code, VERIFY_EXIT.cannotCompare);
      assert.equal(io.stdout, '');
      assert.match(io.stderr, /cannot compare: the real kernel cannot be used here: gcc is not installed \(not found on PATH\)/);
      const json = Object.assign(capture(), { env: io.env });
      assert.equal(await main(['verify', '--json', EXAMPLE], json), VERIFY_EXIT.cannotCompare);
      const r = JSON.parse(json.stdout) as JsonReport;
      assert.equal(r.verdict, 'cannot compare');
      assert.match(r.reason ?? '', /gcc/);
      assert.equal(r.real, null);
    });

    it('refuses a kernel-side scenario with its reason, before looking for a kernel', async () => {
      const kthread = exampleFiles().find((f) => basename(f) === 'kthread.kproc') ?? '';
      const kernel = fakeKernel({ stdout: '', stderr: '', status: 0 });
      const io = capture();
      assert.equal(await verifyFile(['--json', kthread], io, kernel), VERIFY_EXIT.cannotCompare);
      const r = JSON.parse(io.stdout) as JsonReport;
      assert.match(r.reason ?? '', /kernel-side scenario \(module_init\).*only the simulator can/);
      assert.equal(kernel.runs, 0);
    });

    it('reports a difference, its line and both lines, with exit status 1', async () => {
      const kernel = fakeKernel({ stdout: FORK_WAIT_OUTPUT.replace('status 7', 'status 8'), stderr: 'kproc-init: main status 0x0\n', status: 0 });
      const io = capture();
      assert.equal(await verifyFile(['--stacked', EXAMPLE], io, kernel), VERIFY_EXIT.differ);
      assert.match(io.stdout, /^> 3 {2}parent: child 4 exited with status 8$/m);
      assert.match(io.stdout, /^> 3 {2}parent: child 4 exited with status 7$/m);
      assert.match(io.stdout, /differ first at stdout line 3\n {2}real kernel: "parent: child 4 exited with status 8"\n {2}simulator: {3}"parent: child 4 exited with status 7"\n$/);
      const json = capture();
      assert.equal(await verifyFile(['--json', EXAMPLE], json, kernel), VERIFY_EXIT.differ);
      const r = JSON.parse(json.stdout) as JsonReport;
      assert.deepEqual(Object.keys(r), ['file', 'verdict', 'exitCode', 'reason', 'real', 'simulated', 'firstDifference']);
      assert.equal(r.verdict, 'differ');
      assert.deepEqual(r.firstDifference, { stream: 'stdout', line: 3, real: 'parent: child 4 exited with status 8\n', simulated: 'parent: child 4 exited with status 7\n' });
      assert.equal(r.real?.stderr, '', 'init\'s own lines are not the scenario\'s stderr');
      assert.equal(r.real?.mainStatus, 0);
      assert.equal(r.simulated?.stdout, FORK_WAIT_OUTPUT);
    });

    it('a scenario whose real side runs on a terminal is compared as that screen: the simulator\'s stdout and stderr as one, in the order written', async () => {
      const file = write('screen.kproc', `// real side: stdout on a pseudo-terminal
#include <stdio.h>
int main(void)
{
    printf("one ");
    fprintf(stderr, "two\\n");
    printf("three\\n");
    return 0;
}
`);
      const json = capture();
      const kernel = fakeKernel({ stdout: 'two\none three\n', stderr: 'kproc-init: main status 0x0\n', status: 0 });
      assert.equal(await verifyFile(['--json', file], json, kernel), VERIFY_EXIT.agree, json.stdout);
      const r = JSON.parse(json.stdout) as JsonReport;
      assert.deepEqual([r.simulated?.stdout, r.simulated?.stderr], ['two\none three\n', '']);
      // Without the line, the streams stay apart, as a pipe and a file would have them.
      const piped = write('piped.kproc', readFileSync(file, 'utf8').replace(/^.*\n/, ''));
      const json2 = capture();
      assert.equal(await verifyFile(['--json', piped], json2, fakeKernel({ stdout: 'one three\n', stderr: 'two\nkproc-init: main status 0x0\n', status: 0 })), VERIFY_EXIT.agree, json2.stdout);
    });

    it('agrees on equal outputs and lays them side by side on a wide terminal', async () => {
      const io = capture();
      const code = await verifyFile([EXAMPLE], io, fakeKernel({ stdout: FORK_WAIT_OUTPUT, stderr: '', status: 0 }, 120));
      assert.equal(code, VERIFY_EXIT.agree);
      assert.match(io.stdout, /^ {2}1 {2}parent 3: started child 4 +\| parent 3: started child 4$/m);
      assert.match(io.stdout, /the real kernel and the simulator agree\n$/);
    });

    it('differs when one side ends and the other is killed at the timeout, even with the same output', async () => {
      const io = capture();
      const code = await verifyFile(['--json', EXAMPLE], io, fakeKernel({ stdout: FORK_WAIT_OUTPUT, stderr: 'kproc-init: timed out after 20000 ms\n', status: 124 }));
      assert.equal(code, VERIFY_EXIT.differ);
      const r = JSON.parse(io.stdout) as JsonReport;
      assert.equal(r.firstDifference, null);
      assert.match(r.reason ?? '', /the real run did not end, the simulation ended/);
    });

    it('cannot compare when the harness itself fails, or the simulator rejects the scenario', async () => {
      const broken = fakeKernel({ stdout: '', stderr: 'kproc-init: execv scenario: Permission denied\nkproc-init: main status 0x7d00\n', status: 0 });
      const io = capture();
      assert.equal(await verifyFile([EXAMPLE], io, broken), VERIFY_EXIT.cannotCompare);
      assert.match(io.stderr, /harness failed: kproc-init: execv scenario: Permission denied/);
      const bad = write('bad.kproc', 'int main(void)\n{\n    pid_t p = frok();\n    return 0;\n}\n');
      const io2 = capture();
      assert.equal(await verifyFile([bad], io2, fakeKernel({ stdout: '', stderr: '', status: 0 })), VERIFY_EXIT.cannotCompare);
      assert.match(io2.stderr, /bad\.kproc:3:15: error: .*'frok'/);
      assert.match(io2.stderr, /cannot compare: the simulator does not accept the scenario \(1 error/);
    });

    it('rejects bad usage with exit status 2 and lists its options', async () => {
      const io = capture();
      assert.equal(await main(['verify'], io), VERIFY_EXIT.usage);
      assert.match(io.stderr, /verify: no input file/);
      assert.equal(await main(['verify', '--stacked', '--side-by-side', EXAMPLE], capture()), VERIFY_EXIT.usage);
      assert.equal(await main(['verify', '--timeout', '0', EXAMPLE], capture()), VERIFY_EXIT.usage);
      const help = capture();
      assert.equal(await main(['verify', '--help'], help), 0);
      for (const o of ['--json', '--side-by-side', '--stacked', '--width', '--timeout', '--seed', '--max-steps', '--pid-max', '--nproc', '--uid']) {
        assert.ok(help.stdout.includes(o), `--help lists ${o}`);
      }
      assert.match(help.stdout, /3 cannot compare/);
      assert.match(help.stdout, /--max-steps N +step budget of the simulated run/, 'verify has no exit status 4');
    });
  });

  describe('on the real kernel', () => {
    const unavailable = realKernelUnavailable();
    before(function () {
      if (unavailable) {
        console.log(`      (skipped: ${unavailable})`);
        this.skip();
      }
    });

    it('agrees on fork-wait.kproc, and --json carries both outputs', async () => {
      const io = capture();
      assert.equal(await main(['verify', '--json', EXAMPLE], io), VERIFY_EXIT.agree, io.stdout + io.stderr);
      const r = JSON.parse(io.stdout) as JsonReport;
      assert.equal(r.verdict, 'agree');
      assert.equal(r.real?.stdout, FORK_WAIT_OUTPUT);
      assert.equal(r.simulated?.stdout, FORK_WAIT_OUTPUT);
      assert.equal(r.real?.mainStatus, 0);
      assert.equal(r.firstDifference, null);
    });

    it('bounds a run that never ends: the real side is killed at --timeout', async () => {
      const hang = write('hang.kproc', '#include <stdio.h>\n#include <unistd.h>\nint main(void)\n{\n    printf("waiting\\n");\n    for (;;)\n        pause();\n}\n');
      const io = capture();
      assert.equal(await main(['verify', '--json', '--timeout', '1', hang], io), VERIFY_EXIT.agree, io.stderr);
      const r = JSON.parse(io.stdout) as JsonReport;
      assert.equal(r.real?.stdout, 'waiting\n');
      assert.equal(r.real?.ended, false);
      assert.match(r.reason ?? '', /neither run ended: the real one was killed after 1 s, the simulation stopped \(deadlock/);
    });

    it('says gcc\'s own words when gcc cannot build the scenario, and never compares', async () => {
      // A gcc that refuses the scenario's translation unit and builds everything else.
      const fake = mkdtempSync(join(dir, 'fake-gcc-'));
      writeFileSync(join(fake, 'gcc'), '#!/bin/sh\ncase "$*" in *wrapper.c*) echo "scenario.c:3:5: error: gcc says no" >&2; exit 1;; esac\nexec /usr/bin/gcc "$@"\n', { mode: 0o755 });
      const io = Object.assign(capture(), { env: { ...process.env, PATH: `${fake}:${process.env.PATH ?? ''}` } });
      assert.equal(await main(['verify', EXAMPLE], io), VERIFY_EXIT.cannotCompare);
      assert.equal(io.stdout, '');
      assert.match(io.stderr, /cannot compare: the real side cannot build the scenario: gcc cannot build fork-wait\.kproc:\nscenario\.c:3:5: error: gcc says no/);
    });

    it('refuses a program path the real side cannot place', async () => {
      const opt = write('opt.kproc', '#include <unistd.h>\n#pragma kproc program "/opt/tool" tool_main\nint tool_main(void) { return 0; }\nint main(void)\n{\n    return 0;\n}\n');
      const io = capture();
      assert.equal(await main(['verify', opt], io), VERIFY_EXIT.cannotCompare, io.stderr);
      assert.match(io.stderr, /cannot compare: the real side cannot build the scenario: real runs support programs in \/bin only, not \/opt\/tool/);
    });

    it('names root as what is missing when run without it', function () {
      const asNobody = (args: string[]) => spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args],
        { encoding: 'utf8', cwd: ROOT, timeout: 60000 });
      // Only where user nobody can read the built CLI and the example.
      if (!existsSync('/usr/bin/setpriv') || asNobody(['-e', `require(${JSON.stringify(join(ROOT, 'dist', 'cli.js'))}); require('fs').readFileSync(${JSON.stringify(EXAMPLE)})`]).status !== 0) this.skip();
      const r = asNobody([join(ROOT, 'bin', 'kproc.js'), 'verify', EXAMPLE]);
      assert.equal(r.status, VERIFY_EXIT.cannotCompare, r.stderr);
      assert.match(r.stderr, /cannot compare: the real kernel cannot be used here: a new PID namespace \(unshare --pid\) needs root\n$/);
    });

    it('passes --uid to both sides', async () => {
      const ids = write('uid.kproc', '#include <stdio.h>\n#include <unistd.h>\nint main(void)\n{\n    printf("uid %d\\n", getuid());\n    return 0;\n}\n');
      const io = capture();
      assert.equal(await main(['verify', '--json', '--uid', '1234', ids], io), VERIFY_EXIT.agree, io.stdout + io.stderr);
      assert.equal((JSON.parse(io.stdout) as JsonReport).real?.stdout, 'uid 1234\n');
    });

    // The fidelity suite compares stdout for every example; this runs the command itself over
    // them, stderr and the ends of both runs included. Each real run is bounded by --timeout.
    for (const file of exampleFiles()) {
      it(`${isKernelSide(file) ? 'refuses' : 'agrees on'} ${basename(file)}`, async () => {
        const io = capture();
        const code = await main(['verify', '--json', '--timeout', '30', file], io);
        const r = JSON.parse(io.stdout) as JsonReport;
        if (isKernelSide(file)) {
          assert.equal(code, VERIFY_EXIT.cannotCompare);
          assert.match(r.reason ?? '', /kernel-side/);
        } else {
          assert.equal(code, VERIFY_EXIT.agree, JSON.stringify({ reason: r.reason, diff: r.firstDifference }));
        }
      });
    }
  });

  describe('the built CLI (node bin/kproc.js; run npm run build first)', () => {
    const BIN = join(ROOT, 'bin', 'kproc.js');
    before(function () {
      if (!existsSync(join(ROOT, 'dist', 'cli.js')) || !existsSync(join(ROOT, 'dist', 'init.c'))) {
        throw new Error('dist/cli.js or dist/init.c is missing: run npm run build first');
      }
    });

    it('names what is missing without gcc on PATH, with exit status 3', () => {
      const r = spawnSync(process.execPath, [BIN, 'verify', EXAMPLE], { encoding: 'utf8', env: { PATH: mkdtempSync(join(dir, 'empty-')) } });
      assert.equal(r.status, VERIFY_EXIT.cannotCompare, r.stderr);
      assert.match(r.stderr, /^kproc verify: .*fork-wait\.kproc: cannot compare: .*gcc is not installed/);
    });

    it('compiles init.c from next to the bundle and prints one output after the other into a pipe', function () {
      if (realKernelUnavailable()) this.skip();
      const r = spawnSync(process.execPath, [BIN, 'verify', EXAMPLE], { encoding: 'utf8', timeout: 100000 });
      assert.equal(r.status, VERIFY_EXIT.agree, r.stdout + r.stderr);
      assert.match(r.stdout, /^== real kernel: Linux [^\n]*, gcc, pid 3 of a new PID namespace: ended, main's status 0x0\n {2}1 {2}parent 3: started child 4\n/);
      assert.match(r.stdout, /\n== simulator: kproc run: ended\n {2}1 {2}parent 3/);
    });
  });
});
