// The command line itself, through main(): subcommands and their --help, every option of run in
// both spellings, usage errors as one `kproc:` line, internal errors without a stack, and the
// progress line drawn from an injected clock and terminal (no wall-clock time in the test).
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../sim-core/cli/main';
import type { CliIo } from '../../sim-core/cli/io';
import { RUN_OPTIONS } from '../../sim-core/cli/run';
import { CHECK_OPTIONS } from '../../sim-core/cli/check';
import { capture } from './capture';
import { KMachine } from '../../sim-core/machine';

const FORK_WAIT = 'examples/fork-wait.kproc';
const CLEAR = '\r\x1b[2K';

describe('kproc command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kproc-opts-'));
  const spin = join(dir, 'spin.kproc');
  writeFileSync(spin, 'int main(void)\n{\n    for (;;) {}\n    return 0;\n}\n');
  /** Forks and reaps without end: mostly kernel steps, which run fast whatever ran before in this process. */
  const churnBody = (extra: string): string => '#include <sys/wait.h>\n#include <unistd.h>\nint main(void)\n{\n    for (int i = 0; ; i++) {\n' +
    `        pid_t p = fork();\n        if (p == 0)\n            _exit(0);\n        waitpid(p, NULL, 0);\n${extra}    }\n    return 0;\n}\n`;
  const churn = join(dir, 'churn.kproc');
  writeFileSync(churn, churnBody(''));

  it('lists the commands, and each command\'s --help lists every one of its options', async () => {
    const top = capture();
    assert.equal(await main(['help'], top), 0);
    assert.match(top.stdout, /kproc run \[options\] FILE/);
    assert.match(top.stdout, /kproc check \[options\] FILE\.\.\./);
    for (const [cmd, specs] of [['run', RUN_OPTIONS], ['check', CHECK_OPTIONS]] as const) {
      for (const form of [[cmd, '--help'], [cmd, '-h'], ['help', cmd]]) {
        const io = capture();
        assert.equal(await main([...form], io), 0, form.join(' '));
        assert.ok(io.stdout.startsWith(`usage: kproc ${cmd} [options]`), io.stdout);
        for (const s of specs) assert.match(io.stdout, new RegExp(`--${s.name}${s.value ? ` ${s.value}` : ''} +${s.help.slice(0, 20).replace(/[()]/g, '\\$&')}`), `${cmd} --help lacks --${s.name}`);
        assert.equal(io.stderr, '');
      }
    }
  });

  it('prints the version from package.json', async () => {
    const io = capture();
    assert.equal(await main(['--version'], io), 0);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    assert.equal(io.stdout, `kproc ${pkg.version}\n`);
  });

  it('takes every machine option as --opt N and --opt=N, and they reach the machine', async () => {
    const io = capture();
    const args = ['run', '--json', '--seed', '7', '--pid-max=400', '--cpus', '2', '--nproc=50', '--uid', '0', '--max-steps=100000', FORK_WAIT];
    assert.equal(await main(args, io), 0, io.stderr);
    const doc = JSON.parse(io.stdout) as { globals: { pid_max: number; nr_cpus: number } };
    assert.equal(doc.globals.pid_max, 400);
    assert.equal(doc.globals.nr_cpus, 2);
    // The step budget applies: a spinning scenario stops exactly there.
    const b = capture();
    assert.equal(await main(['run', '--max-steps=300', spin], b), 124);
    assert.match(b.stderr, /step budget of 300 steps used up/);
  });

  it('reports each usage mistake as one line starting with kproc:, exit status 2 (123 for run)', async () => {
    const cases: Array<[string[], string]> = [
      [['run', '--frobnicate', spin], "kproc: run: unknown option '--frobnicate' (see kproc run --help)"],
      [['run', '-x', spin], "kproc: run: unknown option '-x' (see kproc run --help)"],
      [['run', '--cpus', 'x', spin], "kproc: run: --cpus needs an integer from 1 to 64, not 'x'"],
      [['run', '--pid-max=100', spin], "kproc: run: --pid-max needs an integer from 301 to 4194304, not '100'"],
      [['run', '--seed', '-1', spin], 'kproc: run: --seed needs an integer from 0 to 4294967295 (see kproc run --help)'],
      [['run', '--seed', '4294967296', spin], "kproc: run: --seed needs an integer from 0 to 4294967295, not '4294967296'"],
      [['run', '--uid=4294967295', spin], "kproc: run: --uid needs an integer from 0 to 4294967294, not '4294967295'"],
      [['run', '--max-steps=0', spin], "kproc: run: --max-steps needs an integer from 1 to 9007199254740991, not '0'"],
      [['run', spin, '--max-steps'], 'kproc: run: --max-steps needs an integer from 1 to 9007199254740991 (see kproc run --help)'],
      [['run', '--trace=yes', spin], 'kproc: run: --trace takes no value (see kproc run --help)'],
      [['run'], 'kproc: run: no input file (usage: kproc run [options] FILE)'],
      [['run', spin, spin], `kproc: run: only one scenario file can be run (got '${spin}' and '${spin}')`],
      [['run', join(dir, 'missing.kproc')], `kproc: ${join(dir, 'missing.kproc')}: No such file or directory`],
      [['run', dir], `kproc: ${dir}: Is a directory`],
      [['check', '--frob', spin], "kproc: check: unknown option '--frob' (see kproc check --help)"],
      [['--frob'], "kproc: unknown option '--frob' (see kproc --help)"],
      [['help', 'frob'], "kproc: unknown command 'frob'; commands: run, check, verify (see kproc --help)"],
    ];
    for (const [args, line] of cases) {
      const io = capture();
      assert.equal(await main(args, io), args[0] === 'run' ? 123 : 2, args.join(' '));
      assert.equal(io.stderr, `${line}\n`, args.join(' '));
      assert.equal(io.stdout, '');
    }
  });

  it('turns an internal error into one line and exit status 70 (125 for run), without a stack', async () => {
    const io = capture();
    const broken: CliIo = { ...io, out: () => { throw new TypeError('cannot write'); }, err: (t) => io.err(t) };
    assert.equal(await main(['check', FORK_WAIT], broken), 70);
    assert.equal(io.stderr, 'kproc: internal error: TypeError: cannot write (set KPROC_DEBUG=1 for the stack trace; please report it)\n');
  });

  it('names the scenario and the line reached when the simulator fails while running it', async () => {
    const io = capture();
    const debug = Object.assign(capture(), { env: { KPROC_DEBUG: '1' } });
    const proto = KMachine.prototype as unknown as { run: (n: number) => unknown };
    const saved = proto.run;
    proto.run = () => { throw new RangeError('Invalid string length'); };
    try {
      assert.equal(await main(['run', FORK_WAIT], io), 125);
      assert.equal(await main(['run', FORK_WAIT], debug), 125);
    } finally { proto.run = saved; }
    // KPROC_DEBUG=1 adds the stack of the original error below the same line.
    assert.ok(debug.stderr.startsWith(io.stderr));
    assert.match(debug.stderr.slice(io.stderr.length), /^RangeError: Invalid string length\n\s+at /);
    const lines = io.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1);
    assert.match(lines[0], new RegExp(`^kproc: internal error at ${FORK_WAIT}(:\\d+)?: RangeError: Invalid string length \\(set KPROC_DEBUG=1 for the stack trace; please report it\\)$`));
  });

  describe('progress on stderr', () => {
    /** A clock that moves a second every time it is read: each slice of the run looks long. */
    function terminal(opts: { tty: boolean; env?: Record<string, string>; step?: number }): CliIo & { stdout: string; stderr: string } {
      const io = capture();
      let t = 0;
      return Object.assign(io, { stderrIsTerminal: opts.tty, env: opts.env ?? {}, now: () => (t += opts.step ?? 1000) });
    }
    const args = ['run', '--max-steps', '150000', churn];
    const budget = `kproc run: ${churn}: step budget of 150000 steps used up (raise it with --max-steps)\n`;

    it('is drawn in place after the first second on a terminal, then cleared', async () => {
      const io = terminal({ tty: true });
      assert.equal(await main(args, io), 124);
      // The run returns every 100,000 steps and once more when it reaches the budget; each return
      // draws the line over the last one.
      const lines = io.stderr.split(CLEAR);
      assert.equal(lines[0], '');
      assert.match(lines[1], /^kproc: 100,000 steps, virtual time 0\.\d{6} s, \d+ tasks$/);
      assert.match(lines[2], /^kproc: 150,000 steps, virtual time 0\.\d{6} s, \d+ tasks$/);
      assert.equal(lines[3], budget, 'the line is cleared before the end message');
      assert.equal(lines.length, 4);
      assert.equal(io.stdout, '');
    });

    it('is not drawn before the threshold, nor when stderr is no terminal, nor when turned off', async () => {
      for (const io of [terminal({ tty: true, step: 1 }), terminal({ tty: false }), terminal({ tty: true, env: { KPROC_PROGRESS: 'never' } })]) {
        assert.equal(await main(args, io), 124);
        assert.equal(io.stderr, budget);
      }
      const off = terminal({ tty: true });
      assert.equal(await main(['run', '--no-progress', ...args.slice(1)], off), 124);
      assert.equal(off.stderr, budget);
    });

    it('can be forced where stderr is no terminal, with its own threshold', async () => {
      for (const io of [terminal({ tty: false, step: 1, env: { KPROC_PROGRESS_AFTER_MS: '0' } })]) {
        assert.equal(await main(['run', '--progress', ...args.slice(1)], io), 124);
        // A clock that moves 1 ms a read: redrawn at most every 100 ms, so only the first slice draws.
        assert.equal(io.stderr.split(CLEAR).length, 3, JSON.stringify(io.stderr));
        assert.match(io.stderr, /kproc: 100,000 steps/);
      }
      const env = terminal({ tty: false, env: { KPROC_PROGRESS: 'always' } });
      assert.equal(await main(args, env), 124);
      assert.match(env.stderr, /150,000 steps/);
    });

    it('clears the line before the scenario writes, and leaves stdout alone', async () => {
      const chatty = join(dir, 'chatty.kproc');
      writeFileSync(chatty, churnBody('        if (i % 100 == 0)\n            write(2, "tick\\n", 5);\n'));
      const io = terminal({ tty: true });
      assert.equal(await main(['run', '--max-steps', '150000', chatty], io), 124);
      // Every "tick" starts at the left edge: after a clear, or at the very start.
      for (const m of io.stderr.matchAll(/tick\n/g)) {
        const before = io.stderr.slice(0, m.index);
        assert.ok(before === '' || before.endsWith('\n') || before.endsWith(CLEAR), JSON.stringify(before.slice(-60)));
      }
      assert.match(io.stderr, /steps, virtual time/);
      assert.equal(io.stdout, '');
    });
  });
});
