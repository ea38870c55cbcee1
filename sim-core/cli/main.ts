// The `kproc` command line: a table of subcommands, each in its own file with its own options and
// --help; bin/kproc.js calls main(). Every failure ends as one line on stderr and an exit status.
import { version } from '../../package.json';
import { UsageError } from './args';
import { checkCommand } from './check';
import { failureKind, processIo, reportFailure, type CliIo, type Command } from './io';
import { runCommand } from './run';
import { verifyCommand } from './verify/verify';

/**
 * The statuses of kproc itself and of `kproc check` / `kproc verify`: 2 for a usage mistake, 70
 * (EX_SOFTWARE) for an internal error. `kproc run` has its own (run.ts EXIT_CODES), because its
 * status is otherwise the scenario's.
 */
export const KPROC_EXIT = { usage: 2, internal: 70 } as const;

/** Every command; adding one is one line here. */
export const COMMANDS: Command[] = [
  runCommand, checkCommand, verifyCommand,
];

function help(): string {
  const rows: Array<[string, string]> = [
    ...COMMANDS.map((c): [string, string] => [c.usage, c.summary]),
    ['kproc help [COMMAND]', 'show this help, or a command\'s options'],
    ['kproc --version', 'print the version'],
  ];
  const width = Math.max(...rows.map(([u]) => u.length));
  return 'Linux Process Lab: run and check process-management scenarios (.kproc files).\n\nusage:\n' +
    rows.map(([u, s]) => `  ${u.padEnd(width)}  ${s}\n`).join('') +
    '\nEach command lists its options with --help, e.g. kproc run --help.\n';
}

function find(name: string): Command {
  const cmd = COMMANDS.find((c) => c.name === name);
  if (cmd) return cmd;
  if (name.startsWith('-')) throw new UsageError(`unknown option '${name}' (see kproc --help)`);
  throw new UsageError(`unknown command '${name}'; commands: ${COMMANDS.map((c) => c.name).join(', ')} (see kproc --help)`);
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) { io.out(help()); return KPROC_EXIT.usage; }
  if (name === '--help' || name === '-h') { io.out(help()); return 0; }
  if (name === '--version') { io.out(`kproc ${version}\n`); return 0; }
  if (name === 'help') {
    if (rest.length === 0) io.out(help());
    else io.out(find(rest[0]).help());
    return 0;
  }
  const cmd = find(name);
  // Before anything else, so `kproc run --help --frob` still helps rather than complaining.
  if (rest.includes('--help') || rest.includes('-h')) { io.out(cmd.help()); return 0; }
  return await cmd.run(rest, io);
}

/** Runs the command line (without `node` and the script path); resolves to the exit status, never rejects. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    // A usage mistake, or a bug of ours: one line that says so and where, the stack only when asked for.
    reportFailure(e, io);
    return failureKind(e) === 'usage' ? KPROC_EXIT.usage : KPROC_EXIT.internal;
  }
}
