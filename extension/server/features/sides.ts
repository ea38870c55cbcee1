// Which scenario functions run in the kernel: module entry points, kthread functions, and whatever
// they call. Completion offers kernel calls there and user calls elsewhere.
import type { Program } from '../../../sim-core/lang';
import { hasRole, type SymbolIndex } from './symbols';

export function kernelFunctions(program: Program, index: SymbolIndex): Set<string> {
  const roots: string[] = [];
  for (const it of program.items) {
    if (it.kind === 'MacroDecl' && (it.name === 'module_init' || it.name === 'module_exit') && it.args[0]?.kind === 'Ident') roots.push(it.args[0].name);
  }
  for (const s of index.symbols) if (hasRole(s, 'kthreadFunction')) roots.push(s.name);
  const seen = new Set<string>();
  while (roots.length > 0) {
    const r = roots.pop() as string;
    if (seen.has(r)) continue;
    seen.add(r);
    roots.push(...(index.calls.get(r) ?? []));
  }
  return seen;
}
