// The diagnostics published for a document: the parser's and checker's, then the teacher warnings,
// converted to LSP ranges (0-based lines, UTF-16 characters) and severities.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic } from '../../../sim-core/lang';
import { type Analysis, toLspRange } from './analysis';
import { teacherWarnings } from './teacher';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Codes whose range is code that never runs: editors fade it. */
const UNNECESSARY: ReadonlySet<string> = new Set(['unreachable']);

/** Every diagnostic of the document in source order: the checker's first, then the teacher's. */
export function allDiagnostics(a: Analysis): Diagnostic[] {
  let extra: Diagnostic[] = [];
  try {
    extra = teacherWarnings(a.program, a.index);
  } catch {
    // A bug in a heuristic must not cost the user the checker's diagnostics.
    extra = [];
  }
  const taken = new Set(a.diagnostics.map((d) => `${d.code}@${d.range.start}`));
  return [...a.diagnostics, ...extra.filter((d) => !taken.has(`${d.code}@${d.range.start}`))]
    .filter((d) => d.severity === 'error' || !allowed(a, d))
    .sort((x, y) => x.range.start - y.range.start);
}

const ALLOW = /kproc-allow:\s*([\w-]+(?:\s*,\s*[\w-]+)*)/;

/**
 * A scenario that shows a mistake on purpose (a zombie, an orphan, a busy vfork child) silences
 * the warning with a comment `kproc-allow: CODE` on the warning's line or on the line above it.
 */
function allowed(a: Analysis, d: Diagnostic): boolean {
  const line = a.lines.positionAt(d.range.start).line;
  for (const l of [line, line - 1]) {
    if (l < 0) continue;
    const m = ALLOW.exec(a.lines.lineText(l));
    if (m && m[1].split(/\s*,\s*/).includes(d.code)) return true;
  }
  return false;
}

export function lspDiagnostics(a: Analysis): LspDiagnostic[] {
  return allDiagnostics(a).map((d) => {
    const out: LspDiagnostic = { range: toLspRange(a, d.range), severity: SEVERITY[d.severity], code: d.code, source: 'kproc', message: d.message };
    if (UNNECESSARY.has(d.code)) out.tags = [DiagnosticTag.Unnecessary];
    return out;
  });
}
