// The diagnostics published for a document: the analysis's own (parser, checker and teacher warnings,
// kproc-allow applied in sim-core/lang), converted to LSP ranges (0-based lines, UTF-16 characters),
// severities and tags.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic } from '../../../sim-core/lang';
import { type Analysis, toLspRange } from './analysis';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Codes whose range is code that never runs: editors fade it. */
const UNNECESSARY: ReadonlySet<string> = new Set(['unreachable']);

export function lspDiagnostics(a: Analysis): LspDiagnostic[] {
  return a.diagnostics.map((d) => {
    const out: LspDiagnostic = { range: toLspRange(a, d.range), severity: SEVERITY[d.severity], code: d.code, source: 'kproc', message: d.message };
    if (UNNECESSARY.has(d.code)) out.tags = [DiagnosticTag.Unnecessary];
    return out;
  });
}
