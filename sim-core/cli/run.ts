// `kproc run FILE`: boots the scenario and runs it to its end. stdout carries exactly what the
// scenario writes to stdout; flags add the event log, the final process tree, or JSON.
import { LineMap } from '../lang/linemap';
import { dmesgStamp } from '../debug/decode';
import { eventSummary } from '../debug/events';
import { lxPstree } from '../debug/lx';
import { boot } from '../machine';
import type { KEvent, MachineSettings, Stop, StopReason } from '../machine-types';
import { formatDiagnostic } from './check';
import type { CliIo, Command } from './io';

const USAGE = 'kproc run FILE [--trace] [--pstree] [--dmesg] [--json] [--max-steps N] [--seed N] [--pid-max N] [--cpus N]';

/** Exit codes: why the run ended. */
export const EXIT_CODES: Readonly<Record<string, number>> = {
  exited: 0, compile: 1, usage: 2, deadlock: 3, budget: 4, panic: 5,
};

const SLICE = 100_000;

interface RunArgs {
  file: string;
  trace: boolean;
  pstree: boolean;
  dmesg: boolean;
  json: boolean;
  maxSteps?: number;
  settings: MachineSettings;
}

const NUMERIC: Record<string, keyof MachineSettings | 'maxSteps'> = {
  '--max-steps': 'maxSteps', '--seed': 'seed', '--pid-max': 'pidMax', '--cpus': 'cpus',
};

function parseArgs(args: string[]): RunArgs | string {
  const out: RunArgs = { file: '', trace: false, pstree: false, dmesg: false, json: false, settings: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--trace') out.trace = true;
    else if (flag === '--pstree') out.pstree = true;
    else if (flag === '--dmesg') out.dmesg = true;
    else if (flag === '--json') out.json = true;
    else if (flag in NUMERIC) {
      const text = inline ?? args[++i];
      const n = Number(text);
      if (text === undefined || !Number.isInteger(n) || n < 0) return `${flag} needs a non-negative integer${text === undefined ? '' : `, not '${text}'`}`;
      const key = NUMERIC[flag];
      if (key === 'maxSteps') out.maxSteps = n;
      else out.settings[key] = n;
    } else if (a.startsWith('-') && a !== '-') return `unknown option '${a}'`;
    else if (out.file) return `only one scenario file can be run (got '${out.file}' and '${a}')`;
    else out.file = a;
  }
  if (!out.file) return 'no input file';
  const s = out.settings;
  if (s.pidMax !== undefined && (s.pidMax < 301 || s.pidMax > 4194304)) return '--pid-max must be between 301 and 4194304';
  if (s.cpus !== undefined && (s.cpus < 1 || s.cpus > 64)) return '--cpus must be between 1 and 64';
  return out;
}

/** One line of the event log: dmesg-style time stamp, the event's kind and what happened. */
export function traceLine(e: KEvent): string {
  return `${dmesgStamp(e.time / 1e9)} ${e.kind.padEnd(11)} ${eventSummary(e)}\n`;
}

function endMessage(file: string, stop: Stop): string {
  switch (stop.reason) {
    case 'deadlock': return `kproc run: ${file}: ${stop.message ?? 'deadlock'}\n`;
    case 'budget': return `kproc run: ${file}: ${stop.message ?? 'step budget used up'}\n`;
    case 'panic': return `kproc run: ${file}: ${stop.message ?? 'kernel panic'}\n`;
    default: return `kproc run: ${file}: stopped (${stop.reason})\n`;
  }
}

export function runFile(args: string[], io: CliIo): number {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`kproc run: ${parsed}\nusage: ${USAGE}\n`);
    return EXIT_CODES.usage;
  }
  const { file } = parsed;
  let source: string;
  try {
    source = io.readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    io.err(`kproc run: ${file}: ${code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : String((e as Error).message ?? e)}\n`);
    return EXIT_CODES.usage;
  }
  const { machine, diagnostics } = boot({ file, source, settings: parsed.settings, maxSteps: parsed.maxSteps });
  const lines = new LineMap(source);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.json || !machine) for (const d of diagnostics) if (d.severity !== 'info') io.err(formatDiagnostic(file, source, lines, d));
  if (!machine || errors.length) {
    if (parsed.json) io.out(`${JSON.stringify({ file, reason: 'compile', diagnostics }, null, 2)}\n`);
    io.err(`kproc run: ${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}; the scenario was not run\n`);
    return EXIT_CODES.compile;
  }
  const all: KEvent[] = [];
  let stdout = '', stderr = '';
  let stop: Stop;
  for (;;) {
    stop = machine.run(SLICE);
    for (const e of stop.events) {
      if (parsed.json) { all.push(e); if (e.kind === 'output') { if (e.fd === 2) stderr += e.text; else stdout += e.text; } continue; }
      if (e.kind === 'output') { if (e.fd === 2) io.err(e.text); else io.out(e.text); }
      else if (parsed.trace) io.out(traceLine(e));
    }
    if (stop.reason !== 'yield') break;
  }
  const reason: StopReason = stop.reason;
  const code = EXIT_CODES[reason] ?? 1;
  if (parsed.json) {
    io.out(`${JSON.stringify({
      file, reason, message: stop.message ?? null, exitCode: code, stdout, stderr,
      diagnostics: diagnostics.filter((d) => d.severity !== 'info'), events: all, tasks: machine.tasks(),
      dmesg: machine.dmesg(), globals: machine.globals(),
    }, null, 2)}\n`);
  } else {
    if (parsed.dmesg) for (const l of machine.dmesg()) io.out(`${dmesgStamp(l.time)} ${l.text}\n`);
    if (parsed.pstree) io.out(`${lxPstree(machine)}\n`);
  }
  if (reason !== 'exited') io.err(endMessage(file, stop));
  return code;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a scenario to its end, printing what it prints (--trace: the kernel events too)',
  usage: USAGE,
  run: (args, io) => runFile(args, io),
};
