// `kproc check FILE...`: the scenario's diagnostics (sim-core/lang's one analysis, as the editor
// shows them), gcc-style with the source line and a caret under the range, or as JSON with --json.
import type { Diagnostic } from '../lang/ast';
import { TOO_MANY_CODE } from '../lang/check';
import { diagnose } from '../vm/diagnose';
import type { LineMap } from '../lang/linemap';
import { helpText, parseOptions, UsageError, type OptionSpec } from './args';
import { readScenario } from './files';
import { InternalError, type CliIo, type Command } from './io';

const USAGE = 'kproc check [options] FILE...';

export const CHECK_OPTIONS: readonly OptionSpec[] = [
  { name: 'json', kind: 'flag', help: 'print one JSON document: per file, each diagnostic with its range, severity, code, message' },
];

const FOOTER = `Lines and characters in --json are 0-based, characters in UTF-16 code units, as in LSP.
Exit status: 0 no errors (warnings allowed), 1 errors, 2 a file could not be read or usage error.
`;

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

/** One diagnostic as --json prints it: an LSP-style range, the severity's name, code and message. */
export interface JsonDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: Diagnostic['severity'];
  code: string;
  message: string;
}

export function jsonDiagnostic(lines: LineMap, d: Diagnostic): JsonDiagnostic {
  return { range: { start: lines.positionAt(d.range.start), end: lines.positionAt(d.range.end) }, severity: d.severity, code: d.code, message: d.message };
}

export function checkFiles(args: string[], io: CliIo): number {
  const opts = parseOptions('check', CHECK_OPTIONS, args);
  const files = opts.positionals;
  const json = opts.flags.has('json');
  if (files.length === 0) throw new UsageError(`check: no input files (usage: ${USAGE})`);
  let errors = 0;
  let warnings = 0;
  let unreadable = false;
  const doc: Array<{ file: string; error?: string; diagnostics: JsonDiagnostic[] }> = [];
  for (const file of files) {
    let text: string;
    try {
      text = readScenario(io, file);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      io.err(`kproc: ${e.message}\n`);
      doc.push({ file, error: e.message, diagnostics: [] });
      unreadable = true;
      continue;
    }
    let a;
    try { a = diagnose(text); } catch (e) { throw new InternalError(file, e); }
    // The count covers the diagnostics past the cap too, not the one line that summarises them.
    errors += a.omitted.error;
    warnings += a.omitted.warning;
    for (const d of a.diagnostics) {
      const counted = d.code !== TOO_MANY_CODE;
      if (counted && d.severity === 'error') errors++;
      else if (counted && d.severity === 'warning') warnings++;
      if (!json) io.out(formatDiagnostic(file, text, a.lines, d));
    }
    if (json) doc.push({ file, diagnostics: a.diagnostics.map((d) => jsonDiagnostic(a.lines, d)) });
  }
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (json) io.out(`${JSON.stringify({ files: doc, errors, warnings }, null, 2)}\n`);
  else io.out(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files.length, 'file')}\n`);
  if (unreadable) return 2;
  return errors > 0 ? 1 : 0;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'check scenarios and print their diagnostics, gcc-style (the same as the editor shows)',
  usage: USAGE,
  help: () => helpText(USAGE, 'Parse and check each scenario and print its diagnostics: errors, warnings and the teacher\'s\nnotes, exactly as the editor shows them (kproc-allow comments silence warnings in both).', CHECK_OPTIONS, FOOTER),
  run: (args, io) => checkFiles(args, io),
};
