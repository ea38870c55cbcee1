// Go to definition, find references, and the outline (document symbols): functions, globals,
// #defines, structs, programs registered for exec, and the module's entry points.
import { SymbolKind, type DocumentSymbol, type Location, type Position } from 'vscode-languageserver';
import { type Analysis, toLspRange } from './analysis';
import { pathAt } from './programs';
import { rolesOf } from '../../../sim-core/lang';

export function definition(a: Analysis, uri: string, pos: Position): Location | null {
  const offset = a.lines.offsetAt(pos);
  const occ = a.index.at(offset);
  if (occ?.sym) return { uri, range: toLspRange(a, occ.sym.nameRange) };
  // An exec path leads to the function registered for it.
  const fn = pathAt(a, offset)?.pragma?.args[1]?.value;
  const target = typeof fn === 'string' ? a.index.global(fn) : undefined;
  return target ? { uri, range: toLspRange(a, target.nameRange) } : null;
}

export function references(a: Analysis, uri: string, pos: Position, includeDeclaration: boolean): Location[] {
  const occ = a.index.at(a.lines.offsetAt(pos));
  if (!occ?.sym) return [];
  return a.index.references(occ.sym)
    .filter((o) => includeDeclaration || !o.decl)
    .map((o) => ({ uri, range: toLspRange(a, o.range) }));
}

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const sym = (name: string, detail: string, kind: SymbolKind, range: { start: number; end: number }, sel: { start: number; end: number }, children?: DocumentSymbol[]): DocumentSymbol => {
    const s: DocumentSymbol = { name: name || '?', detail, kind, range: toLspRange(a, range), selectionRange: toLspRange(a, sel) };
    if (children && children.length > 0) s.children = children;
    return s;
  };
  for (const d of a.program.directives) {
    if (d.kind === 'Define') out.push(sym(d.name, d.value ? a.text.slice(d.value.range.start, d.value.range.end) : '', SymbolKind.Constant, d.range, d.nameRange));
    if (d.kind === 'Pragma' && d.key === 'program' && d.args.length === 2) {
      const [path, fn] = d.args;
      out.push(sym(String(path.value), `program → ${String(fn.value)}`, SymbolKind.Module, d.range, path.range));
    }
  }
  for (const it of a.program.items) {
    if (it.kind === 'Function') {
      if (!it.body) continue;
      const s = a.index.global(it.name);
      const roles = s ? rolesOf(s).filter((r) => r !== 'taskHandle') : [];
      const params = it.params.map((p) => a.text.slice(p.range.start, p.range.end)).join(', ');
      const children = a.index.symbols.filter((x) => x.kind === 'local' && x.container === it.name && x.scope.start >= it.range.start && x.scope.start <= it.range.end)
        .map((x) => sym(x.name, x.type ? `${x.type.name} ${'*'.repeat(x.type.pointer + x.pointer)}`.trim() : '', SymbolKind.Variable, x.range, x.nameRange));
      out.push(sym(it.name, `(${params})${roles.length > 0 ? ` · ${roles.join(', ')}` : ''}`, SymbolKind.Function, it.range, it.nameRange, children));
    } else if (it.kind === 'VarDecl') {
      for (const d of it.declarators) out.push(sym(d.name, `${it.type.name} ${'*'.repeat(it.type.pointer + d.pointer)}`.trim(), SymbolKind.Variable, d.range, d.nameRange));
    } else if (it.kind === 'Struct') {
      out.push(sym(`struct ${it.name}`, '', SymbolKind.Struct, it.range, it.nameRange,
        it.fields.map((f) => sym(f.name, f.type.name, SymbolKind.Field, f.range, f.nameRange))));
    } else if (it.kind === 'MacroDecl') {
      const arg = it.args[0];
      const argText = arg ? a.text.slice(arg.range.start, arg.range.end) : '';
      const kind = it.name === 'module_init' || it.name === 'module_exit' ? SymbolKind.Event : SymbolKind.Variable;
      out.push(sym(`${it.name}(${argText})`, it.name === 'module_init' ? 'kernel entry point' : '', kind, it.range, it.nameRange));
    }
  }
  return out.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
}
