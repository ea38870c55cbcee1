// A scenario's diagnostics as a run would meet them: the one analysis (parser, checker, teacher)
// and, when it finds no error, the compiler's own, so that what `kproc check` and the editor
// accept is what `kproc run` runs.
import type { Diagnostic, Severity } from '../lang/ast';
import { analyze, capDiagnostics, TOO_MANY_CODE, type Analysis } from '../lang/check';
import { compile } from './compile';

/** analyze(), plus the compiler's diagnostics when the analysis has no error. */
export function diagnose(text: string): Analysis {
  const a = analyze(text);
  if (a.diagnostics.some((d) => d.severity === 'error')) return a;
  const compiled = compile(a.program, text).diagnostics;
  if (compiled.length === 0) return a;
  const taken = new Set(a.diagnostics.map((d) => `${d.code}@${d.range.start}`));
  const all: Diagnostic[] = a.diagnostics.filter((d) => d.code !== TOO_MANY_CODE);
  for (const d of compiled) if (!taken.has(`${d.code}@${d.range.start}`)) all.push(d);
  all.sort((x, y) => x.range.start - y.range.start);
  const capped = capDiagnostics(all);
  const omitted: Record<Severity, number> = {
    error: a.omitted.error + capped.omitted.error,
    warning: a.omitted.warning + capped.omitted.warning,
    info: a.omitted.info + capped.omitted.info,
  };
  return { ...a, diagnostics: capped.diagnostics, omitted };
}
