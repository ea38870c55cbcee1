// `kproc run FILE`: boots the scenario and runs it to its end. stdout carries exactly what the
// scenario writes to stdout; flags add the event log, the final process tree, or JSON.
import { LineMap } from '../lang/linemap';
import { dmesgStamp } from '../debug/decode';
import { eventSummary } from '../debug/events';
import { lxPstree } from '../debug/lx';
import { boot, KMachine } from '../machine';
import type { BootOptions, FairPolicySetting, KEvent, KEventKind, Machine, MachineSettings, Stop, StopReason } from '../machine-types';
import { helpText, parseOptions, UsageError, type OptionSpec } from './args';
import { formatDiagnostic } from './check';
import { readScenario } from './files';
import { failureKind, InternalError, reportFailure, type CliIo, type Command } from './io';
import { Progress, progressMode } from './progress';
import { FORMAT_LIMIT } from '../vm/printf';
import { formatSchedStats, schedStatOf } from '../kernel/schedstat';
import { Destination, TRAVEL_OPTIONS, travelOf, type Travel } from './until';
import { EXPORT_OPTIONS, exportRecorder, exportRequest, isSchedEvent, type ExportRequest } from './exports';

const USAGE = 'kproc run [options] FILE';

/**
 * Exit codes of the simulator's own outcomes. A scenario that runs to its end exits with the
 * status of its main process as a shell's $? shows it (0..255: the status main returned or passed
 * to exit, 128 + N when it died of signal N), so the simulator's outcomes take codes a program
 * rarely uses, next to the 124 that `timeout` gives when time runs out and the 125/126 that
 * `timeout` and the shell give when they fail themselves or cannot run the command. `pipe` is the
 * status a shell shows for a tool killed by SIGPIPE, as the scenario's own writes would have been.
 * `missed` (--until, --at: the run ended before the moment) is 128, 128 + no signal: no death by
 * a signal gives it, and 127 is the shell's "command not found".
 */
export const EXIT_CODES = {
  deadlock: 120, panic: 121, output: 122, usage: 123, budget: 124, internal: 125, compile: 126, missed: 128, pipe: 141,
} as const;

/** Steps per call to the machine: between two, output is flushed and progress drawn. */
const SLICE = 100_000;

/** Machine options: option name and the MachineSettings field it sets. */
const SETTINGS: ReadonlyArray<readonly [string, keyof MachineSettings]> = [
  ['seed', 'seed'], ['pid-max', 'pidMax'], ['cpus', 'cpus'], ['nproc', 'nproc'], ['uid', 'uid'],
];

export const RUN_OPTIONS: readonly OptionSpec[] = [
  { name: 'trace', kind: 'flag', help: 'print the kernel event log on stdout, interleaved with the output' },
  { name: 'trace-sched', kind: 'flag', help: 'as --trace, with the scheduler\'s sched_switch and sched_wakeup events too' },
  { name: 'sched-stats', kind: 'flag', help: 'print each task\'s CPU time, waiting time and context switches (nvcsw, nivcsw) at the end' },
  { name: 'pstree', kind: 'flag', help: 'print the process tree at the end, as pstree -p draws it' },
  { name: 'dmesg', kind: 'flag', help: 'print the whole kernel log (dmesg) at the end; a module scenario otherwise prints its printk lines as they come' },
  { name: 'json', kind: 'flag', help: 'print one JSON document: output, events, tasks, dmesg, diagnostics' },
  ...TRAVEL_OPTIONS,
  { name: 'max-steps', kind: 'integer', value: 'N', min: 1, max: Number.MAX_SAFE_INTEGER, help: 'step budget: stop with exit status 124 after N steps (default 1000000)' },
  { name: 'max-output', kind: 'integer', value: 'N', min: 1, max: FORMAT_LIMIT, help: 'output limit: stop with exit status 122 after N characters of output (default 67108864, 64 MiB)' },
  { name: 'seed', kind: 'integer', value: 'N', min: 0, max: 4294967295, help: 'seed for the choices the kernel leaves open (default 1)' },
  { name: 'pid-max', kind: 'integer', value: 'N', min: 301, max: 4194304, help: '/proc/sys/kernel/pid_max (default 32768)' },
  { name: 'cpus', kind: 'integer', value: 'N', min: 1, max: 64, help: 'number of simulated CPUs (default 1)' },
  { name: 'nproc', kind: 'integer', value: 'N', min: 1, max: 4194304, help: 'RLIMIT_NPROC of the scenario\'s user (default 4096)' },
  { name: 'uid', kind: 'integer', value: 'N', min: 0, max: 4294967294, help: 'uid of the scenario\'s user; 0 is root (default 1000)' },
  { name: 'sched', kind: 'string', value: 'POLICY', help: 'the fair class: eevdf (Linux 6.6 and later, the default) or cfs (2.6.23 to 6.5)' },
  { name: 'stdin', kind: 'string', value: 'FILE', help: 'the scenario\'s standard input: the text of FILE, then end of file (default: kproc\'s own standard input, read when the scenario reads its terminal)' },
  { name: 'progress', kind: 'flag', help: 'show progress on stderr even when it is not a terminal' },
  { name: 'no-progress', kind: 'flag', help: 'never show progress (default: on a terminal, after 1 s)' },
  ...EXPORT_OPTIONS,
];

const FOOTER = `Options given here override the scenario's #pragma kproc lines.
Exit status: when the scenario runs to its end, its main process's status as a shell shows it
(what main returned or passed to exit, 128+N when it died of signal N). Otherwise, with a
one-line reason on stderr: 120 deadlock, 121 kernel panic, 122 output limit reached, 123 usage
error, 124 step budget used up, 125 internal error, 126 the scenario has errors and was not run,
141 output pipe closed. With --until or --at: 0 once stopped at the moment (its step and time
on stderr), 128 when the run ended before it.
`;

interface RunArgs {
  file: string;
  trace: boolean;
  traceSched: boolean;
  schedStats: boolean;
  pstree: boolean;
  dmesg: boolean;
  json: boolean;
  maxSteps?: number;
  maxOutput?: number;
  settings: MachineSettings;
  progress?: 'always' | 'never';
  /** --stdin FILE: the file's name. */
  stdin?: string;
  /** --until EVENT or --at STEP: the moment to stop at. */
  travel?: Travel;
  /** --timeline and --graph: files written at the end. */
  exports: ExportRequest;
  /** --sched eevdf|cfs: the fair class, over the scenario's #pragma kproc sched. */
  sched?: FairPolicySetting;
}

function runArgs(args: string[]): RunArgs {
  const p = parseOptions('run', RUN_OPTIONS, args);
  if (p.positionals.length === 0) throw new UsageError(`run: no input file (usage: ${USAGE})`);
  if (p.positionals.length > 1) throw new UsageError(`run: only one scenario file can be run (got '${p.positionals[0]}' and '${p.positionals[1]}')`);
  const settings: MachineSettings = {};
  for (const [name, key] of SETTINGS) { const v = p.integers.get(name); if (v !== undefined) settings[key] = v; }
  const sched = p.strings.get('sched');
  if (sched !== undefined && sched !== 'eevdf' && sched !== 'cfs') throw new UsageError(`run: --sched must be eevdf or cfs (got '${sched}')`);
  if (p.flags.has('progress') && p.flags.has('no-progress')) throw new UsageError('run: --progress and --no-progress contradict each other');
  return {
    file: p.positionals[0], trace: p.flags.has('trace') || p.flags.has('trace-sched'), traceSched: p.flags.has('trace-sched'), schedStats: p.flags.has('sched-stats'), pstree: p.flags.has('pstree'), dmesg: p.flags.has('dmesg'), json: p.flags.has('json'),
    maxSteps: p.integers.get('max-steps'), maxOutput: p.integers.get('max-output'), settings,
    progress: p.flags.has('progress') ? 'always' : p.flags.has('no-progress') ? 'never' : undefined,
    stdin: p.strings.get('stdin'), travel: travelOf(p), sched,
    exports: exportRequest('run', p),
  };
}

/**
 * The kinds the event log prints (output goes to stdout as it is). A record over every kind, so a
 * kind added to KEvent must be listed here, and the kind column is as wide as the widest.
 */
const TRACED_KINDS: Record<Exclude<KEventKind, 'output'>, true> = {
  fork: true, 'fork-failed': true, exec: true, exit: true, zombie: true, reparent: true, reap: true, signal: true,
  signal_deliver: true, stopped: true, continued: true, wakeup: true, sched_migrate_task: true, sched_switch: true,
  sched_wakeup: true, echild: true, printk: true, panic: true, deadlock: true, log: true,
};
export const KIND_WIDTH = Math.max(...Object.keys(TRACED_KINDS).map((k) => k.length));

/** One line of the event log: dmesg-style time stamp, the event's kind and what happened. */
export function traceLine(e: KEvent): string {
  return `${dmesgStamp(e.time / 1e9)} ${e.kind.padEnd(KIND_WIDTH)} ${eventSummary(e)}\n`;
}

/**
 * The tasks a signal killed that they did not get from another task: a fault's signal (SIGSEGV,
 * SIGFPE, SIGILL), one the kernel sent (SIGALRM) or one a task sent itself (abort, raise). Each is
 * reported as a shell reports a dead job, on stderr: `main (pid 3) killed by SIGSEGV`. A signal
 * another task sent (kill(pid, SIGKILL)) is the scenario's own doing and is not reported, and
 * neither is SIGPIPE: a shell stays silent about a job killed writing to a pipe nobody reads.
 */
export class FatalSignals {
  /** pid -> the fatal signal it received from the kernel or itself, until its exit event. */
  private readonly pending = new Map<number, { sig: number; name: string }>();

  /** Looks at one event; returns the line to print when a task died of such a signal. */
  see(e: KEvent): string | null {
    if (e.kind === 'signal') {
      if ((e.action === 'terminate' || e.action === 'core') && (e.from === 0 || e.from === e.to) && e.name !== 'SIGPIPE' && !this.pending.has(e.to)) {
        this.pending.set(e.to, { sig: e.sig, name: e.name });
      }
      return null;
    }
    if (e.kind !== 'exit') return null;
    const p = this.pending.get(e.pid);
    if (p === undefined) return null;
    this.pending.delete(e.pid);
    if ((e.code & 0x7f) !== p.sig) return null;
    return `${e.comm ?? 'task'} (pid ${e.pid}) killed by ${p.name}${e.code & 0x80 ? ' (core dumped)' : ''}\n`;
  }
}

function endMessage(file: string, stop: Stop): string {
  switch (stop.reason) {
    case 'deadlock': return `kproc run: ${file}: ${stop.message ?? 'deadlock'}\n`;
    case 'budget': return `kproc run: ${file}: ${stop.message ?? 'step budget used up'}\n`;
    case 'panic': return `kproc run: ${file}: ${stop.message ?? 'kernel panic'}\n`;
    case 'output': return `kproc run: ${file}: ${stop.message ?? 'output limit reached'}\n`;
    default: return `kproc run: ${file}: stopped (${stop.reason})\n`;
  }
}

/** `file:line` of the scenario line the running task had reached, or the file alone when that is not known. */
function whereRunning(file: string, machine: Machine): string {
  try {
    const pid = machine.tasks().find((t) => t.running)?.pid;
    const frame = pid === undefined ? undefined : machine.stack(pid).find((f) => f.kind === 'user');
    return frame ? `${file}:${frame.line + 1}` : file;
  } catch {
    return file;
  }
}

/** The status `kproc run` ends with once the machine stopped for good. */
function exitCode(machine: Machine, stop: Stop): number {
  switch (stop.reason) {
    case 'exited': return machine.exitStatus().exitCode ?? 0;
    case 'deadlock': return EXIT_CODES.deadlock;
    case 'budget': return EXIT_CODES.budget;
    case 'panic': return EXIT_CODES.panic;
    case 'output': return EXIT_CODES.output;
    default: return EXIT_CODES.internal;
  }
}

export async function runFile(args: string[], io: CliIo): Promise<number> {
  const parsed = runArgs(args);
  const { file } = parsed;
  const source = readScenario(io, file);
  // --stdin FILE: the terminal holds the file's text, then end of file. Otherwise kproc's own
  // standard input is the terminal's, read when the scenario waits on it (an 'input' stop).
  const stdin = parsed.stdin === undefined ? undefined : readScenario(io, parsed.stdin);
  const input = { stdin, interactiveStdin: stdin === undefined && io.readInput !== undefined };
  // The command line only goes forward: no history to keep (going back is the debugger's).
  const options: BootOptions = { file, source, settings: parsed.settings, maxSteps: parsed.maxSteps, maxOutput: parsed.maxOutput, traceSched: parsed.traceSched || parsed.exports.timeline !== undefined, schedStats: parsed.schedStats, sched: parsed.sched, historyBytes: 0, ...input };
  let booted;
  try { booted = boot(options); } catch (e) { throw new InternalError(file, e); }
  const { diagnostics } = booted;
  let machine = booted.machine;
  const lines = new LineMap(source);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.json || !machine) for (const d of diagnostics) if (d.severity !== 'info') io.err(formatDiagnostic(file, source, lines, d));
  if (!machine || errors.length) {
    if (parsed.json) io.out(`${JSON.stringify({ file, reason: 'compile', diagnostics }, null, 2)}\n`);
    io.err(`kproc run: ${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}; the scenario was not run\n`);
    return EXIT_CODES.compile;
  }
  const progress = new Progress(io, progressMode(io, parsed.progress));
  const out = (t: string): void => { progress.clear(); io.out(t); };
  const err = (t: string): void => { progress.clear(); io.err(t); };
  // A module's printk lines are what a kernel-side scenario prints: shown as they come, as the
  // kernel log shows them (unless --dmesg asks for the whole log at the end, or --trace shows them).
  const printkLive = booted.moduleInit !== undefined && !parsed.dmesg && !parsed.trace;
  const all: KEvent[] = [];
  const recorder = exportRecorder(parsed.exports, machine);
  const killed = new FatalSignals();
  let stdout = '', stderr = '';
  // --until / --at: the run stops at that moment (a stop still 'yield' there).
  const dest = parsed.travel ? new Destination(parsed.travel) : null;
  let stop: Stop = { reason: 'yield', events: [] };
  const between = async (m: Machine): Promise<void> => {
    progress.tick(() => { const g = m.globals(); return { steps: g.steps, clock: g.clock, tasks: g.nr_threads }; });
    if (io.breathe) await io.breathe();
  };
  const show = (events: KEvent[]): void => {
    for (const e of events) {
      recorder?.see(e);
      if (!parsed.traceSched && isSchedEvent(e)) continue; // traced for --timeline only
      if (parsed.json) { all.push(e); if (e.kind === 'output') { if (e.fd === 2) stderr += e.text; else stdout += e.text; } continue; }
      if (e.kind === 'output') { if (e.fd === 2) err(e.text); else out(e.text); }
      else if (e.kind === 'printk' && printkLive) out(`${dmesgStamp(e.time / 1e9)} ${e.text}\n`);
      else if (parsed.trace) out(traceLine(e));
      const line = killed.see(e);
      if (line !== null) err(line);
    }
  };
  for (;;) {
    const slice = dest ? dest.slice(machine, SLICE) : SLICE;
    if (slice === 0) break;
    try { stop = machine.run(slice); } catch (e) { throw new InternalError(whereRunning(file, machine), e); }
    show(dest ? dest.take(stop.events, machine) : stop.events);
    if (dest?.reached(machine)) break;
    if (stop.reason === 'input') { const line = io.readInput ? io.readInput() : null; machine.input(dest ? dest.input(line) : line); continue; }
    if (stop.reason !== 'yield') break;
    await between(machine);
    if (io.closed?.()) break;
  }
  // At the moment (rebuilt exactly at an --until event), or short of it: the run ended first.
  const arrived = dest !== null && dest.reached(machine);
  if (dest && arrived && !io.closed?.()) {
    try { machine = await dest.arrive(machine, () => boot(options).machine as Machine, SLICE, between); } catch (e) { throw new InternalError(file, e); }
    // --until time: what the slice that passed the time wrote before it.
    show(dest.late());
  }
  progress.clear();
  // The reader of our output went away (`kproc run F | head -1`): stop quietly, as a tool killed by SIGPIPE does.
  if (io.closed?.()) return EXIT_CODES.pipe;
  const reason: StopReason = arrived ? 'goto' : stop.reason;
  const code = arrived ? 0 : dest ? EXIT_CODES.missed : exitCode(machine, stop);
  const travel = dest === null ? null : dest.outcome(machine.moment(), arrived);
  if (parsed.json) {
    io.out(`${JSON.stringify({
      file, reason, message: arrived ? travel : stop.message ?? null, exitCode: code, stdout, stderr,
      ...(dest ? { travel: dest.json(machine, arrived) } : {}),
      diagnostics: diagnostics.filter((d) => d.severity !== 'info'), events: all, tasks: machine.tasks(),
      dmesg: machine.dmesg(), globals: machine.globals(),
    }, null, 2)}\n`);
  } else {
    if (parsed.dmesg) for (const l of machine.dmesg()) io.out(`${dmesgStamp(l.time)} ${l.text}\n`);
    if (parsed.pstree) io.out(`${lxPstree(machine)}\n`);
    if (parsed.schedStats && machine instanceof KMachine) io.out(schedStatsText(machine));
  }
  if (reason !== 'exited' && reason !== 'goto') io.err(endMessage(file, stop));
  if (travel !== null) io.err(`kproc run: ${file}: ${travel}\n`);
  if (recorder && !recorder.write(file, machine, io)) return EXIT_CODES.usage;
  return io.closed?.() ? EXIT_CODES.pipe : code;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a scenario to its end, printing what it prints (--trace: the kernel events too)',
  usage: USAGE,
  help: () => helpText(USAGE, 'Boot the scenario on a simulated Linux 6.x machine and run it to its end. stdout carries\nexactly what the scenario writes to stdout, stderr what it writes to stderr.', RUN_OPTIONS, FOOTER),
  // Its own codes for a usage mistake and a failure of the simulator (one line each, as main
  // prints them), so that neither is taken for a status of the scenario's program.
  run: async (args, io) => {
    try {
      return await runFile(args, io);
    } catch (e) {
      reportFailure(e, io);
      return failureKind(e) === 'usage' ? EXIT_CODES.usage : EXIT_CODES.internal;
    }
  },
};

/** The --sched-stats table: the released tasks as they were freed, then the ones still there. */
function schedStatsText(machine: KMachine): string {
  const k = machine.engine.k;
  const rows = [...(k.sched_stats ?? [])];
  for (const t of k.allTasks()) if (t.pid > 0) rows.push(schedStatOf(t));
  return formatSchedStats(rows);
}
