// Exec paths and scenario settings: what a `#pragma kproc` key means, which program a path string
// names (a built-in one, or a function registered with `#pragma kproc program`), and where it is.
import type { Expr, Pragma, Range } from '../../../sim-core/lang';
import { BUILTIN_PROGRAMS, INT_SETTINGS } from '../../../sim-core/lang';
import type { Analysis } from './analysis';
import { walkExpr, walkStmtExprs } from './walk';

export interface PathAt {
  path: string;
  range: Range;
  /** The `#pragma kproc program` line registering the path, if any. */
  pragma?: Pragma;
}

function registration(a: Analysis, path: string): Pragma | undefined {
  let found: Pragma | undefined;
  for (const d of a.program.directives) if (d.kind === 'Pragma' && d.key === 'program' && d.args[0]?.value === path) found = d;
  return found;
}

/** The string literal under the cursor when it is an absolute path (an exec target), or a pragma's path. */
export function pathAt(a: Analysis, offset: number): PathAt | undefined {
  for (const d of a.program.directives) {
    if (d.kind !== 'Pragma' || d.key !== 'program') continue;
    const p = d.args[0];
    if (p && typeof p.value === 'string' && p.range.start <= offset && offset <= p.range.end) return { path: p.value, range: p.range, pragma: d };
  }
  const fn = a.index.functionAt(offset);
  if (!fn?.body) return undefined;
  let hit: Extract<Expr, { kind: 'String' }> | undefined;
  const visit = (e: Expr): void => {
    if (e.kind === 'String' && e.range.start <= offset && offset <= e.range.end && e.value.startsWith('/')) hit = e;
  };
  walkStmtExprs(fn.body, (e) => { if (e.range.start <= offset && offset <= e.range.end) walkExpr(e, visit); });
  return hit ? { path: hit.value, range: hit.range, pragma: registration(a, hit.value) } : undefined;
}

/** Markdown lines describing an exec path. */
export function pathMarkdown(p: PathAt): string[] | undefined {
  const fn = p.pragma?.args[1]?.value;
  if (typeof fn === 'string') {
    const replaces = BUILTIN_PROGRAMS.has(p.path) ? ` It replaces the built-in ${p.path}.` : '';
    return [`**Program** \`${p.path}\``, `Registered by \`#pragma kproc program\`: an exec of this path starts \`${fn}\` as the new program's main, with a fresh address space.${replaces}`];
  }
  const builtin = BUILTIN_PROGRAMS.get(p.path);
  if (builtin) return [`**Built-in program** \`${p.path}\``, builtin];
  return undefined;
}

/** Hover lines for the `#pragma kproc` key under the cursor. */
export function pragmaKeyAt(a: Analysis, offset: number): { lines: string[]; range: Range } | undefined {
  for (const d of a.program.directives) {
    if (d.kind !== 'Pragma' || offset < d.keyRange.start || offset > d.keyRange.end) continue;
    const s = INT_SETTINGS[d.key];
    if (s) return { lines: ['```c\n#pragma kproc ' + `${d.key} N` + '\n```', `Sets ${s.what}, from ${s.min} to ${s.max}. gcc ignores the line, so the file stays plain C.`], range: d.keyRange };
    if (d.key === 'program') {
      return { lines: ['```c\n#pragma kproc program "/path" function\n```', 'Registers a function of this file as the program found at an exec path: execl("/path", ...) then runs it as main. gcc ignores the line.'], range: d.keyRange };
    }
  }
  return undefined;
}
