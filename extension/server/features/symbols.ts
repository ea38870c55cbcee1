// Resolves every identifier of a scenario to its declaration with C block scoping, and records the
// role a function plays (thread, kthread, signal handler): the base of navigation, hovers and tokens.
import type { Expr, FunctionDef, Program, Range, Stmt, TypeRef, VarDecl } from '../../../sim-core/lang';
import { isBuiltinName } from '../../../sim-core/lang';
import { calleeName, childExprs } from './walk';

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
  roles: Set<Role>;
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
    this.build();
    this.occurrences.sort((a, b) => a.range.start - b.range.start);
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
    const s: Sym = { id: this.symbols.length, name, kind, nameRange, range, scope, pointer: 0, roles: new Set(), ...extra };
    if (s.type && TASK_TYPES.has(s.type.name) && (s.type.name !== 'struct task_struct' || s.type.pointer + s.pointer > 0)) s.roles.add('taskHandle');
    this.symbols.push(s);
    this.occurrences.push({ range: nameRange, name, sym: s, decl: true, call: false });
    return s;
  }

  private build(): void {
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
    for (const it of this.program.items) {
      if (it.kind === 'Function' && it.body) this.fn(it);
      else if (it.kind === 'MacroDecl') {
        this.occurrences.push({ range: it.nameRange, name: it.name, builtin: isBuiltinName(it.name), decl: false, call: true });
        for (const a of it.args) this.expr(a);
      }
    }
  }

  private declare(v: VarDecl, kind: 'global' | 'local', scope: Range): void {
    for (const d of v.declarators) {
      if (d.arraySize) this.expr(d.arraySize);
      if (d.init) this.expr(d.init);
      const s = this.add(d.name, kind, d.nameRange, d.range, { start: d.nameRange.start, end: scope.end },
        { type: v.type, pointer: d.pointer, container: this.fnName });
      if (kind === 'global') this.globals.set(d.name, s);
      else this.scopes[this.scopes.length - 1]?.set(d.name, s);
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
      case 'While': case 'DoWhile': case 'Switch':
        this.expr(s.test); this.stmt(s.body, blockRange); return;
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

  private expr(root: Expr): void {
    const stack: Expr[] = [root];
    while (stack.length > 0) {
      const e = stack.pop() as Expr;
      if (e.kind === 'Ident') this.ident(e.name, e.range, false);
      else if (e.kind === 'Call' && e.callee.kind === 'Ident') {
        this.ident(e.callee.name, e.callee.range, true);
        this.roles(e);
        for (let i = e.args.length - 1; i >= 0; i--) stack.push(e.args[i]);
        continue;
      } else if (e.kind === 'InitList' && e.fields) {
        e.fields.forEach((f, i) => { if (f?.name === 'sa_handler' || f?.name === 'sa_sigaction') this.mark(e.items[i], 'signalHandler'); });
      } else if (e.kind === 'Assign' && e.target.kind === 'Member' && (e.target.name === 'sa_handler' || e.target.name === 'sa_sigaction')) {
        this.mark(e.value, 'signalHandler');
      }
      const kids = childExprs(e);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
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
    if (sym?.kind === 'function') sym.roles.add(role);
  }
}
