// The one analysis of a scenario: parse, check, symbol index and teacher warnings, with kproc-allow
// comments applied. `kproc check`, `kproc run`, the machine's boot and the language server all read
// this result, so they report the same diagnostics.
import type { Diagnostic, Program } from './ast';
import { isAllowed } from './allow';
import { check } from './checker';
import { LineMap } from './linemap';
import { parse } from './parser';
import { SymbolIndex } from './symbols';
import { teacherWarnings } from './teacher';

export { check } from './checker';

export interface Analysis {
  text: string;
  lines: LineMap;
  program: Program;
  /** Parser, checker and teacher diagnostics in source order, without those a kproc-allow comment silences. */
  diagnostics: Diagnostic[];
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
  const diagnostics = found.filter((d) => !isAllowed(lines, d)).sort((a, b) => a.range.start - b.range.start);
  return { text, lines, program: r.program, diagnostics, index };
}
