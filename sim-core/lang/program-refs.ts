// Exec paths in a scenario: which string literal under a position names a program (an absolute path
// given to exec, or a `#pragma kproc program` path), and the pragma that registers it, if any.
import type { Expr, Pragma, Program, Range } from './ast';
import type { SymbolIndex } from './symbols';
import { walkExpr, walkStmtExprs } from './walk';

export interface PathAt {
  path: string;
  range: Range;
  /** The `#pragma kproc program` line registering the path, if any. */
  pragma?: Pragma;
}

/** The last `#pragma kproc program` line registering path. */
export function registrationOf(program: Program, path: string): Pragma | undefined {
  let found: Pragma | undefined;
  for (const d of program.directives) if (d.kind === 'Pragma' && d.key === 'program' && d.args[0]?.value === path) found = d;
  return found;
}

/** The string literal at offset when it is an absolute path (an exec target), or a pragma's path. */
export function pathAt(program: Program, index: SymbolIndex, offset: number): PathAt | undefined {
  for (const d of program.directives) {
    if (d.kind !== 'Pragma' || d.key !== 'program') continue;
    const p = d.args[0];
    if (p && typeof p.value === 'string' && p.range.start <= offset && offset <= p.range.end) return { path: p.value, range: p.range, pragma: d };
  }
  const fn = index.functionAt(offset);
  if (!fn?.body) return undefined;
  let hit: Extract<Expr, { kind: 'String' }> | undefined;
  const visit = (e: Expr): void => {
    if (e.kind === 'String' && e.range.start <= offset && offset <= e.range.end && e.value.startsWith('/')) hit = e;
  };
  walkStmtExprs(fn.body, (e) => { if (e.range.start <= offset && offset <= e.range.end) walkExpr(e, visit); });
  return hit ? { path: hit.value, range: hit.range, pragma: registrationOf(program, hit.value) } : undefined;
}
