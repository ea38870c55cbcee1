// Semantic tokens for the names a scenario defines, refining the TextMate grammar: which functions
// run as threads, kthreads or signal handlers, and which variables hold a task (pid_t, pthread_t,
// struct task_struct *). Catalog names are left to the grammar, which already sets them apart.
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { Analysis } from './analysis';
import { rolesOf, type SymKind } from '../../../sim-core/lang';

const TYPES = ['function', 'variable', 'parameter', 'macro', 'struct'] as const;
const MODIFIERS = ['declaration', 'readonly', 'global', 'taskHandle', 'threadFunction', 'kthreadFunction', 'signalHandler'] as const;

export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const TYPE_OF: Record<SymKind, (typeof TYPES)[number]> = {
  function: 'function', global: 'variable', local: 'variable', param: 'parameter', define: 'macro', struct: 'struct',
};

function bit(m: (typeof MODIFIERS)[number]): number {
  return 1 << MODIFIERS.indexOf(m);
}

export function semanticTokens(a: Analysis): SemanticTokens {
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  for (const o of a.index.occurrences) {
    if (!o.sym) continue;
    const start = a.lines.positionAt(o.range.start);
    const end = a.lines.positionAt(o.range.end);
    // Tokens cannot span lines; an identifier never does, but a pragma argument could be odd.
    if (end.line !== start.line || end.character <= start.character) continue;
    let mods = o.decl ? bit('declaration') : 0;
    if (o.sym.kind === 'define') mods |= bit('readonly');
    if (o.sym.kind === 'global') mods |= bit('global');
    for (const r of rolesOf(o.sym)) mods |= bit(r);
    const type = TYPES.indexOf(TYPE_OF[o.sym.kind]);
    const dl = start.line - prevLine;
    data.push(dl, dl === 0 ? start.character - prevChar : start.character, end.character - start.character, type, mods);
    prevLine = start.line;
    prevChar = start.character;
  }
  return { data };
}
