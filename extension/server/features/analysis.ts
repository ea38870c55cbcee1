// The server's view of one document version: the scenario's analysis (parse, checker, symbol index,
// teacher warnings, then the compiler's diagnostics), which `kproc check` reads too, and
// conversions to LSP positions and ranges.
import type { Analysis, Position, Range } from '../../../sim-core/lang';
import { diagnose } from '../../../sim-core/vm/diagnose';

export type { Analysis };

export function analyzeText(text: string): Analysis {
  return diagnose(text);
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
