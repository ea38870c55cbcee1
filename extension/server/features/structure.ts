// Folding ranges, code lenses over the entry points, and signature help: features that read the
// document's shape rather than its names.
import { FoldingRangeKind, type CodeLens, type FoldingRange, type Position, type SignatureHelp } from 'vscode-languageserver';
import type { Stmt } from '../../../sim-core/lang';
import { childStmts, lookupCall, lookupDeclMacro } from '../../../sim-core/lang';
import { type Analysis, toLspRange } from './analysis';
import { callAt } from './context';
import { signatureOf } from './hover';

export function foldingRanges(a: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const add = (start: number, end: number, kind?: FoldingRangeKind): void => {
    const s = a.lines.positionAt(start).line;
    const e = a.lines.positionAt(end).line;
    if (e > s) out.push(kind ? { startLine: s, endLine: e, kind } : { startLine: s, endLine: e });
  };
  const stmt = (s: Stmt): void => {
    // Fold a block up to the line before its closing brace, so the brace stays visible.
    if (s.kind === 'Block') add(s.range.start, s.range.end - 1);
    for (const c of childStmts(s)) stmt(c);
  };
  for (const it of a.program.items) {
    if (it.kind === 'Function' && it.body) stmt(it.body);
    else if (it.kind === 'Struct') add(it.range.start, it.range.end - 1);
  }
  // Runs of #include lines fold as imports.
  const includes = a.program.directives.filter((d) => d.kind === 'Include').map((d) => a.lines.positionAt(d.range.start).line);
  for (let i = 0; i < includes.length;) {
    let j = i;
    while (j + 1 < includes.length && includes[j + 1] === includes[j] + 1) j++;
    if (j > i) out.push({ startLine: includes[i], endLine: includes[j], kind: FoldingRangeKind.Imports });
    i = j + 1;
  }
  blockComments(a.text, (s, e) => add(s, e, FoldingRangeKind.Comment));
  return out;
}

/** Calls back with the span of each block comment, skipping strings and line comments. */
function blockComments(text: string, found: (start: number, end: number) => void): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) {
      for (i++; i < text.length && text.charCodeAt(i) !== c && text.charCodeAt(i) !== 10; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      found(i, stop);
      i = stop - 1;
    }
  }
}

/** "Run" and "Debug" over main and over each module_init, with the document URI as argument. */
export function codeLenses(a: Analysis, uri: string): CodeLens[] {
  const out: CodeLens[] = [];
  const lens = (r: { start: number; end: number }): void => {
    const range = toLspRange(a, r);
    out.push({ range, command: { title: '$(play) Run Scenario', command: 'kproc.runScenario', arguments: [uri] } });
    out.push({ range, command: { title: '$(debug-alt) Debug Scenario', command: 'kproc.debugScenario', arguments: [uri] } });
  };
  for (const it of a.program.items) {
    if (it.kind === 'Function' && it.name === 'main' && it.body) lens(it.nameRange);
    if (it.kind === 'MacroDecl' && it.name === 'module_init') lens(it.nameRange);
  }
  return out;
}

export function signatureHelp(a: Analysis, pos: Position): SignatureHelp | null {
  const offset = a.lines.offsetAt(pos);
  const call = callAt(a.text, offset);
  if (!call) return null;
  const builtin = lookupCall(call.callee);
  let label: string;
  let params: string[];
  let doc: string | undefined;
  if (builtin) {
    label = signatureOf(builtin);
    params = builtin.params;
    doc = builtin.doc;
  } else {
    const macro = lookupDeclMacro(call.callee);
    const fn = a.index.global(call.callee)?.fn;
    if (fn) {
      params = fn.params.map((p) => a.text.slice(p.range.start, p.range.end));
      if (fn.variadic) params.push('...');
      label = `${a.text.slice(fn.returnType.range.start, fn.returnType.range.end)} ${fn.name}(${params.join(', ')})`;
    } else if (macro) {
      params = macro.params;
      label = `${macro.name}(${params.join(', ')})`;
      doc = macro.doc;
    } else return null;
  }
  // Offsets of each parameter inside the label, so editors underline the right one.
  const open = label.indexOf('(') + 1;
  let at = open;
  const parameters = params.map((p) => {
    const start = label.indexOf(p, at);
    at = start + p.length;
    return { label: [start, start + p.length] as [number, number] };
  });
  const variadic = params[params.length - 1] === '...';
  const active = variadic && call.arg >= params.length - 1 ? params.length - 1 : Math.min(call.arg, Math.max(0, params.length - 1));
  return {
    signatures: [{ label, ...(doc ? { documentation: doc } : {}), parameters }],
    activeSignature: 0,
    activeParameter: params.length === 0 ? undefined : active,
  };
}
