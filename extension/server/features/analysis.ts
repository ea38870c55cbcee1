// One analysis of one document version: the parse, the checker's diagnostics, the line map and the
// symbol index. Every feature reads from it; the server keeps the latest one per open document.
import type { Diagnostic, Position, Program, Range } from '../../../sim-core/lang';
import { LineMap, analyze } from '../../../sim-core/lang';
import { SymbolIndex } from './symbols';

export interface Analysis {
  text: string;
  lines: LineMap;
  program: Program;
  /** Parser and checker diagnostics, in source order. */
  diagnostics: Diagnostic[];
  index: SymbolIndex;
}

export function analyzeText(text: string): Analysis {
  const r = analyze(text);
  return { text, lines: new LineMap(text), program: r.program, diagnostics: r.diagnostics, index: new SymbolIndex(r.program, text.length) };
}

export interface LspRange {
  start: Position;
  end: Position;
}

export function toLspRange(a: Analysis, r: Range): LspRange {
  return { start: a.lines.positionAt(r.start), end: a.lines.positionAt(r.end) };
}

export function offsetAt(a: Analysis, p: Position): number {
  return a.lines.offsetAt(p);
}
