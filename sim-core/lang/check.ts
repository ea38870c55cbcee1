// The one analysis of a scenario: parse, check, symbol index and teacher warnings, with kproc-allow
// comments applied. `kproc check`, `kproc run`, the machine's boot and the language server all read
// this result, so they report the same diagnostics.
import type { Diagnostic, Program, Severity } from './ast';
import { isAllowed } from './allow';
import { check } from './checker';
import { LineMap } from './linemap';
import { parse } from './parser';
import { SymbolIndex } from './symbols';
import { teacherWarnings } from './teacher';

export { check } from './checker';

/** Diagnostics reported for one scenario at most; the last one shown then counts the rest. */
export const MAX_DIAGNOSTICS = 100;
/** The code of that last diagnostic. */
export const TOO_MANY_CODE = 'too-many-diagnostics';

export interface Analysis {
  text: string;
  lines: LineMap;
  program: Program;
  /** Parser, checker and teacher diagnostics in source order, without those a kproc-allow comment silences. */
  diagnostics: Diagnostic[];
  /** Diagnostics left out past MAX_DIAGNOSTICS, by severity (all zero when none were). */
  omitted: Record<Severity, number>;
  /** Every identifier resolved to its declaration; the roles of functions. */
  index: SymbolIndex;
}

/** Parses and analyses a scenario; never throws. */
export function analyze(text: string): Analysis {
  const r = parse(text);
  const lines = new LineMap(text);
  const index = new SymbolIndex(r.program, text.length);
  const found = [...r.diagnostics, ...check(r.program, text)];
  let teacher: Diagnostic[] = [];
  try {
    teacher = teacherWarnings(r.program, index);
  } catch {
    // A bug in a heuristic must not cost the user the parser's and checker's diagnostics.
    teacher = [];
  }
  const taken = new Set(found.map((d) => `${d.code}@${d.range.start}`));
  for (const d of teacher) if (!taken.has(`${d.code}@${d.range.start}`)) found.push(d);
  // A stable sort: diagnostics at the same offset keep the parser, checker, teacher order.
  const sorted = found.filter((d) => !isAllowed(lines, d)).sort((a, b) => a.range.start - b.range.start);
  return { text, lines, program: r.program, index, ...capDiagnostics(sorted) };
}

const PLURAL: Record<Severity, [string, string]> = { error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['note', 'notes'] };

/**
 * Keeps the first MAX_DIAGNOSTICS - 1 diagnostics and replaces the rest by one, at the first left
 * out, that counts them: as severe as the worst of them, so a scenario with errors still has one.
 */
export function capDiagnostics(all: Diagnostic[]): { diagnostics: Diagnostic[]; omitted: Record<Severity, number> } {
  const omitted: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  if (all.length <= MAX_DIAGNOSTICS) return { diagnostics: all, omitted };
  const rest = all.slice(MAX_DIAGNOSTICS - 1);
  for (const d of rest) omitted[d.severity]++;
  const kinds = (['error', 'warning', 'info'] as const).filter((s) => omitted[s] > 0);
  const counts = kinds.map((s) => `${omitted[s]} ${PLURAL[s][omitted[s] === 1 ? 0 : 1]}`);
  const what = kinds.length === 1 ? counts[0] : `${rest.length} diagnostics (${counts.join(', ')})`;
  const summary: Diagnostic = {
    range: rest[0].range, severity: kinds[0], code: TOO_MANY_CODE,
    message: `${what.replace(/^\d+/, (n) => `${n} more`)} not shown; fix the ones above first`,
  };
  return { diagnostics: [...all.slice(0, MAX_DIAGNOSTICS - 1), summary], omitted };
}
