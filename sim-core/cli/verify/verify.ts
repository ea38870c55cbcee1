// `kproc verify FILE`: runs the scenario's C with gcc on the machine's own kernel (pid 3 of a fresh
// PID namespace under an init laid out like the simulated boot) and in the simulator, and compares
// what each printed. It never claims agreement it has not seen: where the real side cannot run, it
// says what is missing and exits with its own status.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineMap } from '../../lang/linemap';
import type { MachineSettings } from '../../machine-types';
import { helpText, parseOptions, UsageError, type OptionSpec } from '../args';
import { formatDiagnostic } from '../check';
import { readScenario } from '../files';
import type { CliIo, Command } from '../io';
import { RUN_OPTIONS } from '../run';
import { firstDifference, quoteLine, sideBySideReport, stackedReport, type Column, type Difference } from './compare';
import {
  DEFAULT_TIMEOUT_MS, isKernelSide, realKernelUnavailable, realSettingsUnsupported, realSettingsWith, RealSetupError, runReal,
  type RealRun, type RealSettings,
} from './real';
import { runSimulation, type SimulatedRun } from './simulate';

const USAGE = 'kproc verify [options] FILE';

/** Exit codes of verify: the verdict. */
export const VERIFY_EXIT = { agree: 0, differ: 1, usage: 2, cannotCompare: 3, internal: 70, pipe: 141 } as const;

/** Side by side needs a terminal at least this wide; narrower, or not a terminal: one after the other. */
export const SIDE_BY_SIDE_MIN_WIDTH = 100;

/** The machine options of `kproc run` that mean the same here; pid-max, nproc and uid set up both sides. */
const SHARED = ['max-steps', 'seed', 'pid-max', 'nproc', 'uid'];

export const VERIFY_OPTIONS: readonly OptionSpec[] = [
  { name: 'json', kind: 'flag', help: 'print one JSON document: verdict, both outputs and ends, the first difference or the reason' },
  { name: 'side-by-side', kind: 'flag', help: 'two columns, real kernel left, simulator right (default on a terminal of 100+ columns)' },
  { name: 'stacked', kind: 'flag', help: 'the real kernel\'s output, then the simulator\'s (default otherwise)' },
  { name: 'width', kind: 'integer', value: 'N', min: 40, max: 1000, help: 'width of the side-by-side layout (default: the terminal\'s)' },
  { name: 'timeout', kind: 'integer', value: 'S', min: 1, max: 3600, help: `seconds the real run may last before every task is killed (default ${DEFAULT_TIMEOUT_MS / 1000})` },
  ...RUN_OPTIONS.filter((o) => SHARED.includes(o.name)).map((o) => o.name !== 'max-steps' ? o
    : { ...o, help: 'step budget of the simulated run (default 1000000); a run that uses it up has not ended' }),
];

const FOOTER = `Both sides read the scenario's #pragma kproc lines (uid, nproc, pid_max, program); options
given here override them on both sides. The real side needs gcc, unshare and root; it runs the
scenario as uid 1000 (or the scenario's uid) with stdout line-buffered, as the simulator's
terminal is. stdout and stderr are
compared line by line, and whether each run ended by itself.
Exit status: 0 the outputs agree, 1 they differ, 2 usage error, 3 cannot compare (gcc, unshare
or root missing, a kernel-side scenario, a side that cannot build it), 70 internal error.
`;

type Verdict = 'agree' | 'differ' | 'cannot compare';

interface RealSide { stdout: string; stderr: string; ended: boolean; end: string; mainStatus: number | null; kernel: string }
interface SimSide { stdout: string; stderr: string; ended: boolean; end: string }

interface Report {
  file: string;
  verdict: Verdict;
  exitCode: number;
  /** Why the outputs could not be compared, or what besides the output differs; null when nothing. */
  reason: string | null;
  real: RealSide | null;
  simulated: SimSide | null;
  firstDifference: Difference | null;
}

interface VerifyArgs {
  file: string;
  json: boolean;
  layout?: 'side-by-side' | 'stacked';
  width?: number;
  timeoutMs: number;
  maxSteps?: number;
  settings: MachineSettings;
}

function verifyArgs(args: string[]): VerifyArgs {
  const p = parseOptions('verify', VERIFY_OPTIONS, args);
  if (p.positionals.length === 0) throw new UsageError(`verify: no input file (usage: ${USAGE})`);
  if (p.positionals.length > 1) throw new UsageError(`verify: only one scenario file can be verified (got '${p.positionals[0]}' and '${p.positionals[1]}')`);
  if (p.flags.has('side-by-side') && p.flags.has('stacked')) throw new UsageError('verify: --side-by-side and --stacked contradict each other');
  const settings: MachineSettings = {};
  const keys: ReadonlyArray<readonly [string, keyof MachineSettings]> = [['seed', 'seed'], ['pid-max', 'pidMax'], ['nproc', 'nproc'], ['uid', 'uid']];
  for (const [name, key] of keys) { const v = p.integers.get(name); if (v !== undefined) settings[key] = v; }
  return {
    file: p.positionals[0], json: p.flags.has('json'),
    layout: p.flags.has('side-by-side') ? 'side-by-side' : p.flags.has('stacked') ? 'stacked' : undefined,
    width: p.integers.get('width'), timeoutMs: (p.integers.get('timeout') ?? DEFAULT_TIMEOUT_MS / 1000) * 1000,
    maxSteps: p.integers.get('max-steps'), settings,
  };
}

/** The layout when none is asked for: side by side on a terminal wide enough, else one after the other. */
export function chooseLayout(terminalColumns: number | undefined): 'side-by-side' | 'stacked' {
  return terminalColumns !== undefined && terminalColumns >= SIDE_BY_SIDE_MIN_WIDTH ? 'side-by-side' : 'stacked';
}

/** Width of this process's stdout when it is a terminal. */
function stdoutColumns(): number | undefined {
  return process.stdout.isTTY ? process.stdout.columns : undefined;
}

/** The outside world of the real side, replaceable in tests. */
export interface RealKernel {
  unavailable: typeof realKernelUnavailable;
  run: typeof runReal;
  /** Width of the terminal stdout goes to; undefined when it is not one. */
  terminalColumns(): number | undefined;
}

const THIS_MACHINE: RealKernel = { unavailable: realKernelUnavailable, run: runReal, terminalColumns: stdoutColumns };

const cannot = (file: string, reason: string, parts: Partial<Report> = {}): Report =>
  ({ file, verdict: 'cannot compare', exitCode: VERIFY_EXIT.cannotCompare, reason, real: null, simulated: null, firstDifference: null, ...parts });

/** init's own lines on stderr (`kproc-init: ...`) are the harness's, not the scenario's. */
const HARNESS_LINE = /^kproc-init: /;

/** A line of init's that reports a failure of the harness itself (setup, exec, dropping root). */
function harnessFailure(stderr: string): string | undefined {
  return stderr.split('\n').find((l) => HARNESS_LINE.test(l) && !/^kproc-init: (main status|timed out)/.test(l));
}

function realSide(stdout: string, stderr: string, status: number, timeoutMs: number): RealSide {
  const main = /^kproc-init: main status 0x([0-9a-f]+)$/m.exec(stderr);
  return {
    stdout, stderr: stderr.split(/(?<=\n)/).filter((l) => !HARNESS_LINE.test(l)).join(''),
    ended: status === 0, end: status === 0 ? 'ended' : `still running after ${timeoutMs / 1000} s: killed`,
    mainStatus: main ? parseInt(main[1], 16) : null, kernel: `Linux ${release()}`,
  };
}

/**
 * The simulator's side as the real one is shown: when the real side runs on a terminal, stdout
 * and stderr share that screen (the real side's stdout is the screen), so the simulator's two
 * streams are compared as one, in the order they were written.
 */
function simSide(run: SimulatedRun, terminal: boolean): SimSide {
  const end = run.reason === 'exited' ? 'ended' : run.reason === 'budget' ? 'step budget used up' : run.reason === 'deadlock' ? 'deadlock: every task waits forever' : run.reason;
  const out = terminal ? { stdout: run.terminal, stderr: '' } : { stdout: run.stdout, stderr: run.stderr };
  return { ...out, ended: run.reason === 'exited', end };
}

async function compare(a: VerifyArgs, io: CliIo, kernel: RealKernel): Promise<Report> {
  const { file } = a;
  const source = readScenario(io, file);
  if (isKernelSide(source)) {
    return cannot(file, 'a kernel-side scenario (module_init) runs its code inside the kernel; the real kernel cannot run it as a program, so only the simulator can (kproc run)');
  }
  const env = io.env ?? process.env;
  const missing = kernel.unavailable(env);
  if (missing) return cannot(file, `the real kernel cannot be used here: ${missing}`);
  const overrides = { pidMax: a.settings.pidMax, uid: a.settings.uid, nproc: a.settings.nproc };
  let realSettings: RealSettings;
  try {
    realSettings = realSettingsWith(source, overrides);
  } catch (e) {
    if (e instanceof RealSetupError) return cannot(file, `the real side cannot set up the scenario: ${e.message}`);
    throw e;
  }
  const unsupported = realSettingsUnsupported(realSettings);
  if (unsupported) return cannot(file, `the real kernel cannot run it as the simulator would: ${unsupported}`);

  const { run, diagnostics } = await runSimulation(file, source, a.settings, a.maxSteps, io);
  if (!run) {
    const lines = new LineMap(source);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (!a.json) for (const d of errors) io.err(formatDiagnostic(file, source, lines, d));
    return cannot(file, `the simulator does not accept the scenario (${errors.length} error${errors.length === 1 ? '' : 's'}; see kproc check)`);
  }
  const simulated = simSide(run, realSettings.terminal);
  if (run.reason === 'pause') return cannot(file, 'stopped: the reader of the output went away', { simulated });

  const workDir = mkdtempSync(join(tmpdir(), 'kproc-verify-'));
  // The scenario runs as its own uid, not root: it must be able to reach its binary.
  chmodSync(workDir, 0o755);
  let r: RealRun;
  try {
    r = kernel.run(file, { timeoutMs: a.timeoutMs, env, workDir, overrides });
  } catch (e) {
    if (e instanceof RealSetupError) return cannot(file, `the real side cannot build the scenario: ${e.message}`, { simulated });
    throw e;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  if (r.status !== 0 && r.status !== 124) {
    const why = r.status === null ? 'the real run did not stop when told to' : `the real-kernel harness failed (status ${r.status})`;
    return cannot(file, `${why}: ${r.stderr.trim().split('\n').slice(-3).join(' / ') || 'no message'}`, { simulated });
  }
  const failure = harnessFailure(r.stderr);
  if (failure) return cannot(file, `the real-kernel harness failed: ${failure}`, { simulated });
  const real = realSide(r.stdout, r.stderr, r.status, a.timeoutMs);
  const diff = firstDifference(real, simulated) ?? null;
  let reason: string | null = null;
  if (real.ended !== simulated.ended) reason = `the real run ${real.ended ? 'ended' : 'did not end'}, the simulation ${simulated.ended ? 'ended' : `did not (${simulated.end})`}`;
  else if (!real.ended) reason = `neither run ended: the real one was killed after ${a.timeoutMs / 1000} s, the simulation stopped (${simulated.end})`;
  const verdict: Verdict = diff || real.ended !== simulated.ended ? 'differ' : 'agree';
  return { file, verdict, exitCode: verdict === 'agree' ? VERIFY_EXIT.agree : VERIFY_EXIT.differ, reason, real, simulated, firstDifference: diff };
}

/** The closing lines: the verdict, and where the outputs first part. */
function verdictText(r: Report): string {
  const head = `kproc verify: ${r.file}: `;
  if (r.verdict === 'cannot compare') return `${head}cannot compare: ${r.reason}\n`;
  if (r.verdict === 'agree') return `${head}the real kernel and the simulator agree${r.reason ? ` (${r.reason})` : ''}\n`;
  const d = r.firstDifference;
  if (!d) return `${head}the outputs are the same, but ${r.reason}\n`;
  return `${head}the outputs differ first at ${d.stream} line ${d.line}\n` +
    `  real kernel: ${quoteLine(d.real)}\n  simulator:   ${quoteLine(d.simulated)}\n` +
    (r.reason ? `  and ${r.reason}\n` : '');
}

function columns(r: Report): [Column, Column] {
  const real = r.real as RealSide;
  const sim = r.simulated as SimSide;
  const main = real.mainStatus === null ? '' : `, main's status 0x${real.mainStatus.toString(16)}`;
  return [
    { name: 'real kernel', detail: `${real.kernel}, gcc, pid 3 of a new PID namespace: ${real.end}${main}`, out: real },
    { name: 'simulator', detail: `kproc run: ${sim.end}`, out: sim },
  ];
}

export async function verifyFile(args: string[], io: CliIo, kernel: RealKernel = THIS_MACHINE): Promise<number> {
  const a = verifyArgs(args);
  const report = await compare(a, io, kernel);
  if (io.closed?.()) return VERIFY_EXIT.pipe;
  if (a.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return report.exitCode;
  }
  if (report.real && report.simulated) {
    const [real, sim] = columns(report);
    const diff = report.firstDifference ?? undefined;
    const width = a.width ?? kernel.terminalColumns();
    const layout = a.layout ?? chooseLayout(width);
    io.out(layout === 'side-by-side' ? sideBySideReport(real, sim, diff, width ?? SIDE_BY_SIDE_MIN_WIDTH) : stackedReport(real, sim, diff));
    io.out(verdictText(report));
  } else {
    io.err(verdictText(report));
  }
  return report.exitCode;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'run the scenario on the real kernel (gcc, a new PID namespace) and in the simulator; compare',
  usage: USAGE,
  help: () => helpText(USAGE, 'Build the scenario with gcc and run it as pid 3 of a fresh PID namespace on this machine\'s\nkernel, run it in the simulator, and show both outputs with the first difference marked.', VERIFY_OPTIONS, FOOTER),
  run: (args, io) => verifyFile(args, io),
};
