// Hover text for exec paths and scenario settings: what a `#pragma kproc` key means, and which
// program a path string names (a built-in one, or a function registered with `#pragma kproc program`).
import type { PathAt, Range } from '../../../sim-core/lang';
import { BUILTIN_PROGRAMS, INT_SETTINGS, pathAt as pathInProgram } from '../../../sim-core/lang';
import type { Analysis } from './analysis';

/** The exec path under the cursor (found by sim-core/lang). */
export function pathAt(a: Analysis, offset: number): PathAt | undefined {
  return pathInProgram(a.program, a.index, offset);
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
