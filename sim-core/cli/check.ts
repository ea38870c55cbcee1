// `kproc check FILE...`: gcc-style diagnostics with the source line and a caret under the range.
import type { Diagnostic } from '../lang/ast';
import { analyze } from '../lang/check';
import { LineMap } from '../lang/linemap';
import type { CliIo, Command } from './io';

/** Columns of a long source line shown around the error (the rest is elided with "..."). */
const EXCERPT = 120;

/** Formats one diagnostic the way gcc does: `file:line:col: severity: message [code]`, source, caret. */
export function formatDiagnostic(file: string, text: string, lines: LineMap, d: Diagnostic): string {
  const from = lines.positionAt(d.range.start);
  const to = lines.positionAt(d.range.end);
  const sev = d.severity === 'info' ? 'note' : d.severity;
  let source = lines.lineText(from.line).replace(/\t/g, ' ');
  let col = from.character;
  const width = to.line === from.line ? Math.max(1, to.character - from.character) : Math.max(1, source.length - from.character);
  // A very long line (generated code) is shown as a window around the column, as clang does.
  if (source.length > EXCERPT) {
    const first = Math.max(0, Math.min(col - EXCERPT / 2, source.length - EXCERPT));
    const head = first > 0 ? '...' : '';
    const tail = first + EXCERPT < source.length ? '...' : '';
    source = head + source.slice(first, first + EXCERPT) + tail;
    col = col - first + head.length;
  }
  const caret = ' '.repeat(col) + '^' + '~'.repeat(Math.max(0, Math.min(width, source.length - col + 1) - 1));
  return `${file}:${from.line + 1}:${from.character + 1}: ${sev}: ${d.message} [${d.code}]\n ${source}\n ${caret}\n`;
}

export async function checkFiles(files: string[], io: CliIo): Promise<number> {
  if (files.length === 0) {
    io.err('kproc check: no input files\nusage: kproc check FILE...\n');
    return 2;
  }
  let errors = 0;
  let warnings = 0;
  let unreadable = false;
  for (const file of files) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (e) {
      const code = (e as { code?: string }).code;
      io.err(`kproc check: ${file}: ${code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : String((e as Error).message ?? e)}\n`);
      unreadable = true;
      continue;
    }
    const lines = new LineMap(text);
    for (const d of analyze(text).diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      io.out(formatDiagnostic(file, text, lines, d));
    }
  }
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  io.out(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files.length, 'file')}\n`);
  if (unreadable) return 2;
  return errors > 0 ? 1 : 0;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'parse and check scenarios, printing gcc-style diagnostics',
  usage: 'kproc check FILE...',
  run: (args, io) => checkFiles(args, io),
};
