// `kproc-allow: CODE[, CODE...]` comments: a scenario that shows a mistake on purpose (a zombie, an
// orphan, a vfork child writing to its parent's memory) silences that warning on the comment's line
// or on the line just below it. Errors cannot be silenced.
import type { Diagnostic } from './ast';
import type { LineMap } from './linemap';

const ALLOW = /kproc-allow:\s*([\w-]+(?:\s*,\s*[\w-]+)*)/;

/** True when a kproc-allow comment on the diagnostic's line, or the line above, names its code. */
export function isAllowed(lines: LineMap, d: Diagnostic): boolean {
  if (d.severity === 'error') return false;
  const line = lines.positionAt(d.range.start).line;
  for (const l of [line, line - 1]) {
    if (l < 0) continue;
    const m = ALLOW.exec(lines.lineText(l));
    if (m && m[1].split(/\s*,\s*/).includes(d.code)) return true;
  }
  return false;
}
