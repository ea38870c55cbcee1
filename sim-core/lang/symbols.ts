// Resolves every identifier of a scenario to its declaration with C block scoping, and records the
// role a function plays (thread, kthread, signal handler): the base of the teacher warnings and of
// the editor's navigation, hovers and tokens.
import type { Expr, FunctionDef, Program, Range, Stmt, TypeRef, VarDecl } from './ast';
import { isBuiltinName } from './builtins';
import { calleeName } from './walk';

export type SymKind = 'function' | 'global' | 'local' | 'param' | 'define' | 'struct';
export type Role = 'threadFunction' | 'kthreadFunction' | 'signalHandler' | 'taskHandle';

export interface Sym {
  id: number;
  name: string;
  kind: SymKind;
  nameRange: Range;
  /** The whole declaration (function with its body, declarator, #define line). */
  range: Range;
  type?: TypeRef;
  /** Extra pointer level of a declarator (`int *p`). */
  pointer: number;
  fn?: FunctionDef;
  /** Enclosing function for locals and parameters. */
  container?: string;
  /** Where the name is visible: from its declaration to the end of its block. */
  scope: Range;
  /** Bits of ROLE_BIT: a number rather than a Set, since every symbol of a large file carries one. */
  roles: number;
}

export const ROLES: readonly Role[] = ['threadFunction', 'kthreadFunction', 'signalHandler', 'taskHandle'];
const ROLE_BIT: Readonly<Record<Role, number>> = { threadFunction: 1, kthreadFunction: 2, signalHandler: 4, taskHandle: 8 };

export function hasRole(s: Sym, r: Role): boolean {
  return (s.roles & ROLE_BIT[r]) !== 0;
}

export function rolesOf(s: Sym): Role[] {
  return ROLES.filter((r) => hasRole(s, r));
}

export interface Occurrence {
  range: Range;
  name: string;
  sym?: Sym;
  /** Set when the name is a catalog call, constant or declaration macro and no scenario name hides it. */
  builtin?: boolean;
  decl: boolean;
  /** The identifier is the callee of a call. */
  call: boolean;
}

const TASK_TYPES: ReadonlySet<string> = new Set(['pid_t', 'pthread_t', 'struct task_struct']);

/** Which argument of which call names a function, and the role that gives it. */
const FUNCTION_ARGS: ReadonlyArray<{ call: string; arg: number; role: Role }> = [
  { call: 'pthread_create', arg: 2, role: 'threadFunction' },
  { call: 'clone', arg: 0, role: 'threadFunction' },
  { call: 'kthread_create', arg: 0, role: 'kthreadFunction' },
  { call: 'kthread_run', arg: 0, role: 'kthreadFunction' },
  { call: 'signal', arg: 1, role: 'signalHandler' },
];

export class SymbolIndex {
  readonly symbols: Sym[] = [];
  /** Sorted by start offset. */
  readonly occurrences: Occurrence[] = [];
  /** Scenario functions each function calls or hands over (by name). */
  readonly calls = new Map<string, Set<string>>();
  private readonly globals = new Map<string, Sym>();
  private scopes: Array<Map<string, Sym>> = [];
  private fnName: string | undefined;

  constructor(private readonly program: Program, private readonly textLength: number) {
    const early = this.build();
    this.sortOccurrences(early);
  }

  /** File-level occurrences come first and out of order; bodies are walked in source order. Sorting
   * only the first part and merging keeps this linear on large files. */
  private sortOccurrences(early: number): void {
    const byStart = (a: Occurrence, b: Occurrence): number => a.range.start - b.range.start;
    const head = this.occurrences.slice(0, early).sort(byStart);
    const tail = this.occurrences.slice(early);
    for (let i = 1; i < tail.length; i++) if (tail[i].range.start < tail[i - 1].range.start) { tail.sort(byStart); break; }
    const out = this.occurrences;
    out.length = 0;
    let i = 0;
    let j = 0;
    while (i < head.length || j < tail.length) {
      if (j >= tail.length || (i < head.length && head[i].range.start <= tail[j].range.start)) out.push(head[i++]);
      else out.push(tail[j++]);
    }
  }

  /** The occurrence whose range holds offset (an identifier touching the cursor on either side). */
  at(offset: number): Occurrence | undefined {
    const occ = this.occurrences;
    let lo = 0;
    let hi = occ.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = occ[mid].range;
      if (r.end < offset) lo = mid + 1;
      else if (r.start > offset) hi = mid - 1;
      else return occ[mid].range.end === offset && occ[mid + 1]?.range.start === offset ? occ[mid + 1] : occ[mid];
    }
    return undefined;
  }

  references(sym: Sym): Occurrence[] {
    return this.occurrences.filter((o) => o.sym === sym);
  }

  /** Scenario names visible at offset: locals and parameters of the enclosing blocks, then file scope. */
  visibleAt(offset: number): Sym[] {
    const seen = new Set<string>();
    const out: Sym[] = [];
    const local = this.symbols.filter((s) => (s.kind === 'local' || s.kind === 'param') && s.scope.start <= offset && offset <= s.scope.end);
    local.sort((a, b) => b.scope.start - a.scope.start);
    for (const s of [...local, ...this.globals.values()]) {
      if (seen.has(s.name)) continue;
      seen.add(s.name);
      out.push(s);
    }
    return out;
  }

  functionAt(offset: number): FunctionDef | undefined {
    for (const it of this.program.items) if (it.kind === 'Function' && it.body && it.range.start <= offset && offset <= it.range.end) return it;
    return undefined;
  }

  global(name: string): Sym | undefined {
    return this.globals.get(name);
  }

  private add(name: string, kind: SymKind, nameRange: Range, range: Range, scope: Range, extra: Partial<Sym> = {}): Sym {
    const s: Sym = { id: this.symbols.length, name, kind, nameRange, range, scope, pointer: extra.pointer ?? 0, roles: 0,
      type: extra.type, fn: extra.fn, container: extra.container };
    if (s.type && TASK_TYPES.has(s.type.name) && (s.type.name !== 'struct task_struct' || s.type.pointer + s.pointer > 0)) s.roles |= ROLE_BIT.taskHandle;
    this.symbols.push(s);
    this.occurrences.push({ range: nameRange, name, sym: s, decl: true, call: false });
    return s;
  }

  /** Returns how many occurrences the file-level pass recorded before the function bodies. */
  private build(): number {
    const file: Range = { start: 0, end: this.textLength };
    for (const d of this.program.directives) {
      if (d.kind === 'Define') this.globals.set(d.name, this.add(d.name, 'define', d.nameRange, d.range, file));
    }
    for (const it of this.program.items) {
      if (it.kind === 'Function') {
        const prev = this.globals.get(it.name);
        if (prev?.kind === 'function') {
          // A prototype and its definition are one function: the definition is where it lives.
          this.occurrences.push({ range: it.nameRange, name: it.name, sym: prev, decl: true, call: false });
          if (it.body && !prev.fn?.body) { prev.fn = it; prev.nameRange = it.nameRange; prev.range = it.range; }
          continue;
        }
        this.globals.set(it.name, this.add(it.name, 'function', it.nameRange, it.range, file, { fn: it, type: it.returnType }));
      } else if (it.kind === 'Struct') {
        this.add(it.name, 'struct', it.nameRange, it.range, file);
      } else if (it.kind === 'VarDecl') {
        this.declare(it, 'global', file);
      }
    }
    for (const d of this.program.directives) {
      if (d.kind === 'Define' && d.value) this.expr(d.value);
      if (d.kind === 'Pragma' && d.key === 'program' && typeof d.args[1]?.value === 'string') {
        const a = d.args[1];
        const name = a.value as string;
        this.occurrences.push({ range: a.range, name, sym: this.globals.get(name), decl: false, call: false });
      }
    }
    const early = this.occurrences.length;
    for (const it of this.program.items) {
      if (it.kind === 'Function' && it.body) this.fn(it);
      else if (it.kind === 'MacroDecl') {
        this.occurrences.push({ range: it.nameRange, name: it.name, builtin: isBuiltinName(it.name), decl: false, call: true });
        for (const a of it.args) this.expr(a);
      }
    }
    return early;
  }

  private declare(v: VarDecl, kind: 'global' | 'local', scope: Range): void {
    for (const d of v.declarators) {
      // In C a name is in scope from its declarator on, its own initializer included.
      const s = this.add(d.name, kind, d.nameRange, d.range, { start: d.nameRange.start, end: scope.end },
        { type: v.type, pointer: d.pointer, container: this.fnName });
      if (kind === 'global') this.globals.set(d.name, s);
      else this.scopes[this.scopes.length - 1]?.set(d.name, s);
      if (d.arraySize) this.expr(d.arraySize);
      if (d.init) this.expr(d.init);
    }
  }

  private fn(f: FunctionDef): void {
    this.fnName = f.name;
    if (!this.calls.has(f.name)) this.calls.set(f.name, new Set());
    const body = f.body as Extract<Stmt, { kind: 'Block' }>;
    this.scopes = [new Map()];
    for (const p of f.params) {
      if (p.name && p.nameRange) {
        this.scopes[0].set(p.name, this.add(p.name, 'param', p.nameRange, p.range, { start: p.nameRange.start, end: body.range.end },
          { type: p.type, container: f.name }));
      }
    }
    this.block(body.body, body.range);
    this.scopes = [];
    this.fnName = undefined;
  }

  private block(list: Stmt[], range: Range): void {
    this.scopes.push(new Map());
    for (const s of list) this.stmt(s, range);
    this.scopes.pop();
  }

  private stmt(s: Stmt, blockRange: Range): void {
    switch (s.kind) {
      case 'Block': this.block(s.body, s.range); return;
      case 'VarDecl': this.declare(s, 'local', blockRange); return;
      case 'ExprStmt': this.expr(s.expr); return;
      case 'If':
        this.expr(s.test); this.stmt(s.consequent, blockRange);
        if (s.alternate) this.stmt(s.alternate, blockRange);
        return;
      case 'While': case 'Switch':
        this.expr(s.test); this.stmt(s.body, blockRange); return;
      case 'DoWhile':
        this.stmt(s.body, blockRange); this.expr(s.test); return;
      case 'For':
        this.scopes.push(new Map());
        if (s.init) this.stmt(s.init, s.range);
        if (s.test) this.expr(s.test);
        if (s.update) this.expr(s.update);
        this.stmt(s.body, s.range);
        this.scopes.pop();
        return;
      case 'Case': this.expr(s.value); return;
      case 'Return': if (s.value) this.expr(s.value); return;
      default: return;
    }
  }

  private lookup(name: string): Sym | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i].get(name);
      if (s) return s;
    }
    return this.globals.get(name);
  }

  private expr(e: Expr): void {
    switch (e.kind) {
      case 'Ident': this.ident(e.name, e.range, false); return;
      case 'Call':
        if (e.callee.kind === 'Ident') {
          this.ident(e.callee.name, e.callee.range, true);
          this.roles(e);
        } else this.expr(e.callee);
        for (const x of e.args) this.expr(x);
        return;
      case 'InitList':
        e.items.forEach((x, i) => {
          const f = e.fields?.[i];
          if (f?.name === 'sa_handler' || f?.name === 'sa_sigaction') this.mark(x, 'signalHandler');
          const at = e.indices?.[i];
          if (at) this.expr(at);
          this.expr(x);
        });
        return;
      case 'Assign':
        if (e.target.kind === 'Member' && (e.target.name === 'sa_handler' || e.target.name === 'sa_sigaction')) this.mark(e.value, 'signalHandler');
        this.expr(e.target); this.expr(e.value);
        return;
      case 'Unary': case 'Postfix': case 'Cast': this.expr(e.operand); return;
      case 'Binary': case 'Comma': this.expr(e.left); this.expr(e.right); return;
      case 'Conditional': this.expr(e.test); this.expr(e.consequent); this.expr(e.alternate); return;
      case 'Member': this.expr(e.object); return;
      case 'Index': this.expr(e.object); this.expr(e.index); return;
      case 'Sizeof': if (e.operand) this.expr(e.operand); return;
      default: return;
    }
  }

  private ident(name: string, range: Range, call: boolean): void {
    const sym = this.lookup(name);
    if (sym?.kind === 'function' && this.fnName) this.calls.get(this.fnName)?.add(name);
    this.occurrences.push({ range, name, sym, builtin: !sym && isBuiltinName(name), decl: false, call });
  }

  private roles(call: Expr): void {
    const name = calleeName(call);
    if (call.kind !== 'Call' || !name) return;
    for (const f of FUNCTION_ARGS) if (f.call === name && call.args[f.arg]) this.mark(call.args[f.arg], f.role);
  }

  private mark(e: Expr | undefined, role: Role): void {
    let x = e;
    while (x && (x.kind === 'Cast' || (x.kind === 'Unary' && x.op === '&'))) x = x.operand;
    if (x?.kind !== 'Ident') return;
    const sym = this.lookup(x.name);
    if (sym?.kind === 'function') sym.roles |= ROLE_BIT[role];
  }
}

/** Scenario functions that run in the kernel: module entry points, kthread functions, and whatever they call. */
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
