// The `kproc` command line: a table of commands, each in its own file; bin/kproc.js calls main().
import { checkCommand } from './check';
import { runCommand } from './run';
import { processIo, type CliIo, type Command } from './io';

/** Every command; adding one is one line here. */
export const COMMANDS: Command[] = [
  checkCommand, runCommand,
];

function help(io: CliIo): void {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  io.out('Linux Process Lab: run and check process-management scenarios (.kproc files).\n\nusage:\n');
  for (const c of COMMANDS) io.out(`  ${c.usage.padEnd(width)}  ${c.summary}\n`);
  io.out('\nOptions: --help shows this text.\n');
}

/** Runs the command line (without `node` and the script path); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`kproc: unknown command '${name}'; commands: ${COMMANDS.map((c) => c.name).join(', ')} (see kproc --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${cmd.usage}\n${cmd.summary}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    io.err(`kproc ${name}: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 70;
  }
}
