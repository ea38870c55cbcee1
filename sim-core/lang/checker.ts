// The checker: names with C block scoping, argument counts, unknown flags and signals, unreachable
// code, exit statuses, duplicates, pragmas, and calls made on the wrong side of the kernel boundary.
import type { Declarator, Diagnostic, Expr, FunctionDef, Program, Range, Stmt, TypeRef, VarDecl } from './ast';
import {
  BUILTIN_PROGRAMS, CALLS, CONSTANT_TABLE, FAMILY_PREFIXES, lookupCall, lookupConstant, lookupDeclMacro, lookupStruct, constantsInGroup,
} from './builtins';
import { checkPragmas } from './check-pragmas';
import { checkSides, findRoots, type FunctionFacts } from './check-sides';
import { closest } from './suggest';
import { execCandidates } from './exec-path';
import { walkExpr } from './walk';

interface Sym {
  kind: 'var' | 'function' | 'define';
  /** The block scope that declared a local (its number); -1 for file-scope names. */
  scope: number;
  range: Range;
  type?: { name: string; pointer: number };
  fn?: FunctionDef;
}

/** The format argument of the printf family. */
const FORMAT_ARG: ReadonlyMap<string, number> = new Map([
  ['printf', 0], ['fprintf', 1], ['dprintf', 1], ['sprintf', 1], ['snprintf', 2], ['printk', 0], ['pr_info', 0], ['pr_err', 0],
]);
/** Widths above this (1 MB of output per conversion) are warned about. */
const MAX_FORMAT_WIDTH = 1 << 20;

/** What the checker knows of a value: a pointer, an integer, or not known here. */
type Cls = 'ptr' | 'int' | '?';

const EXIT_CALLS: ReadonlySet<string> = new Set(['exit', '_exit']);

/**
 * #defines one use may expand through (`A1` defined as `A2`, `A2` as `A3`...). The compiler expands
 * a use by walking each body in turn, so the chain is bounded as the parser bounds nesting.
 */
export const MAX_MACRO_DEPTH = 200;

export class Checker {
  private readonly out: Diagnostic[] = [];
  private readonly globals = new Map<string, Sym>();
  private readonly structs = new Map<string, Map<string, { name: string; pointer: number }>>();
  private readonly defines = new Map<string, Expr | undefined>();
  /**
   * Locals visible at this point, one entry per name (inner declarations shadow outer ones). Leaving
   * a scope replays its undo entries (name, shadowed symbol) backwards, so no map is copied or made.
   */
  private readonly locals = new Map<string, Sym>();
  private readonly undoNames: string[] = [];
  private readonly undoSyms: Array<Sym | undefined> = [];
  private readonly scopeMarks: number[] = [];
  /** Number of the innermost open scope; every scope gets a fresh one. */
  private scope = -1;
  private scopeCount = 0;
  private facts = new Map<string, FunctionFacts>();
  private current: FunctionFacts | null = null;
  private currentFn: FunctionDef | null = null;
  private programFns = new Set<string>();
  /** How many #defines deep each macro's expansion goes (capped at MAX_MACRO_DEPTH + 1). */
  private readonly macroDepths = new Map<string, number>();
  private inDefine = false;
  private readonly memberTypes = new Map<Expr, { name: string; pointer: number } | undefined>();

  constructor(private readonly program: Program) {}

  private diag(range: Range, severity: Diagnostic['severity'], code: string, message: string): void {
    this.out.push({ range, severity, code, message });
  }

  run(): Diagnostic[] {
    this.collectGlobals();
    for (const d of this.program.directives) {
      if (d.kind === 'Pragma' && d.key === 'program' && typeof d.args[1]?.value === 'string') this.programFns.add(d.args[1].value);
    }
    const defined = new Set<string>();
    for (const it of this.program.items) if (it.kind === 'Function' && it.body) defined.add(it.name);
    checkPragmas(this.program, defined, this.out);
    // A #define's body is checked where it is written; its expansion depth where it is used.
    this.inDefine = true;
    for (const d of this.program.directives) if (d.kind === 'Define' && d.value) this.expr(d.value);
    this.inDefine = false;
    for (const it of this.program.items) {
      if (it.kind === 'Function' && it.body) this.fn(it);
      else if (it.kind === 'VarDecl') {
        for (const d of it.declarators) { if (d.init) { this.expr(d.init); this.designators(it, d); } if (d.arraySize) this.expr(d.arraySize); }
      }
      else if (it.kind === 'MacroDecl') this.macroDecl(it);
    }
    const roots = findRoots(this.program);
    if (roots.user.length === 0 && roots.kernel.length === 0 && this.program.items.some((i) => i.kind === 'Function')) {
      this.diag({ start: 0, end: 0 }, 'warning', 'no-entry', "nothing to run: define 'main' or register a kernel entry with module_init(fn)");
    }
    checkSides(roots, this.facts, this.out);
    return this.out.sort((a, b) => a.range.start - b.range.start);
  }

  // ---- declarations ----
  private collectGlobals(): void {
    for (const d of this.program.directives) {
      if (d.kind !== 'Define') continue;
      if (this.defines.has(d.name)) this.diag(d.nameRange, 'warning', 'duplicate', `'${d.name}' redefined`);
      this.defines.set(d.name, d.value);
      this.globals.set(d.name, { kind: 'define', scope: -1, range: d.nameRange });
    }
    for (const it of this.program.items) {
      if (it.kind === 'Struct') {
        if (this.structs.has(it.name)) this.diag(it.nameRange, 'error', 'duplicate', `redefinition of 'struct ${it.name}'`);
        for (const f of it.fields) {
          // A member struct must be complete where it is written: defined above, not this one.
          const tag = f.type.name.startsWith('struct ') && f.type.pointer === 0 ? f.type.name.slice(7) : undefined;
          if (tag !== undefined && (tag === it.name || !this.structs.has(tag)) && !lookupStruct(tag) && tag !== 'list_head') {
            this.diag(f.nameRange, 'error', 'unknown-type', `field '${f.name}' has incomplete type '${f.type.name}'`);
          }
        }
        this.structs.set(it.name, new Map(it.fields.map((f) => [f.name, { name: f.type.name, pointer: f.type.pointer }])));
      } else if (it.kind === 'Function') {
        const prev = this.globals.get(it.name);
        if (prev && (prev.kind !== 'function' || (prev.fn?.body && it.body))) {
          this.diag(it.nameRange, 'error', 'duplicate', `redefinition of '${it.name}'`);
        }
        if (CALLS.has(it.name) && it.body) {
          this.diag(it.nameRange, 'error', 'duplicate', `'${it.name}' is a built-in call and cannot be redefined`);
        }
        if (!prev || it.body) this.globals.set(it.name, { kind: 'function', scope: -1, range: it.nameRange, fn: it });
      } else if (it.kind === 'VarDecl') {
        for (const d of it.declarators) {
          const prev = this.globals.get(d.name);
          if (prev && (prev.kind !== 'var' || it.storage !== 'extern')) {
            this.diag(d.nameRange, 'error', 'duplicate', `redefinition of '${d.name}'`);
          }
          this.globals.set(d.name, { kind: 'var', scope: -1, range: d.nameRange, type: { name: it.type.name, pointer: it.type.pointer + d.pointer } });
        }
      } else if (it.kind === 'MacroDecl' && (it.name === 'LIST_HEAD' || it.name === 'DEFINE_SPINLOCK')) {
        const a = it.args[0];
        if (a?.kind === 'Ident') {
          if (this.globals.has(a.name)) this.diag(a.range, 'error', 'duplicate', `redefinition of '${a.name}'`);
          this.globals.set(a.name, { kind: 'var', scope: -1, range: a.range, type: { name: it.name === 'LIST_HEAD' ? 'struct list_head' : 'spinlock_t', pointer: 0 } });
        }
      }
    }
  }

  private macroDecl(m: Extract<Program['items'][number], { kind: 'MacroDecl' }>): void {
    const info = lookupDeclMacro(m.name);
    if (!info) {
      const s = closest(m.name, ['module_init', 'module_exit', 'MODULE_LICENSE', 'MODULE_AUTHOR', 'MODULE_DESCRIPTION', 'LIST_HEAD', 'DEFINE_SPINLOCK']);
      this.diag(m.nameRange, 'error', 'undefined-name', `unknown declaration macro '${m.name}'${s ? `; did you mean '${s}'?` : ''}`);
      return;
    }
    if (m.args.length < info.minArgs || m.args.length > info.maxArgs) {
      this.diag(m.range, 'error', 'arg-count', `'${m.name}' takes ${info.minArgs} argument${info.minArgs === 1 ? '' : 's'}, got ${m.args.length}`);
    }
    if (m.name === 'module_init' || m.name === 'module_exit') {
      const a = m.args[0];
      if (a && (a.kind !== 'Ident' || this.globals.get(a.name)?.kind !== 'function')) {
        this.diag(a.range, 'error', 'undefined-name', `'${m.name}' needs a function defined in this file`);
      }
    }
  }

  private checkType(t: TypeRef, declaring: boolean): void {
    if (!t.name.startsWith('struct ')) return;
    const tag = t.name.slice(7);
    if (this.structs.has(tag) || lookupStruct(tag) || tag === 'list_head' || t.pointer > 0 || !declaring) return;
    this.diag(t.range, 'error', 'unknown-type', `storage size of '${t.name}' is not known: no such struct is defined`);
  }

  private openScope(): void {
    this.scopeMarks.push(this.undoNames.length);
    this.scopeMarks.push(this.scope);
    this.scope = this.scopeCount++;
  }

  private closeScope(): void {
    this.scope = this.scopeMarks.pop() as number;
    const mark = this.scopeMarks.pop() as number;
    for (let i = this.undoNames.length - 1; i >= mark; i--) {
      const prev = this.undoSyms[i];
      if (prev) this.locals.set(this.undoNames[i], prev);
      else this.locals.delete(this.undoNames[i]);
    }
    this.undoNames.length = mark;
    this.undoSyms.length = mark;
  }

  private declare(name: string, range: Range, type: { name: string; pointer: number }): void {
    const prev = this.locals.get(name);
    if (prev && prev.scope === this.scope) this.diag(range, 'error', 'duplicate', `redefinition of '${name}'`);
    this.undoNames.push(name);
    this.undoSyms.push(prev);
    this.locals.set(name, { kind: 'var', scope: this.scope, range, type });
  }

  private lookup(name: string): Sym | undefined {
    return this.locals.get(name) ?? this.globals.get(name);
  }

  // ---- functions and statements ----
  private fn(f: FunctionDef): void {
    this.current = this.facts.get(f.name) ?? { refs: new Set(), uses: [] };
    this.facts.set(f.name, this.current);
    this.currentFn = f;
    this.openScope();
    for (const p of f.params) if (p.name && p.nameRange) this.declare(p.name, p.nameRange, { name: p.type.name, pointer: p.type.pointer });
    if (f.body) this.stmts(f.body.body);
    this.closeScope();
    this.current = null;
    this.currentFn = null;
  }

  /** Whether control can leave the statement at its end (false after return, exit, break...). */
  private terminates(s: Stmt): string | null {
    switch (s.kind) {
      case 'Return': return 'return';
      case 'Break': return 'break';
      case 'Continue': return 'continue';
      case 'ExprStmt': {
        const e = s.expr;
        if (e.kind === 'Call' && e.callee.kind === 'Ident' && !this.lookupLocalOrFile(e.callee.name) && lookupCall(e.callee.name)?.noreturn) {
          return e.callee.name;
        }
        return null;
      }
      case 'Block': {
        let t: string | null = null;
        for (const x of s.body) {
          if (x.kind === 'Case' || x.kind === 'Default') t = null;
          else if (!t) t = this.terminates(x);
        }
        return t;
      }
      case 'If': {
        if (!s.alternate) return null;
        const a = this.terminates(s.consequent);
        return a && this.terminates(s.alternate) ? a : null;
      }
      default: return null;
    }
  }

  private lookupLocalOrFile(name: string): boolean {
    const s = this.lookup(name);
    return s !== undefined && s.kind !== 'define';
  }

  private stmts(list: Stmt[]): void {
    let after: string | null = null;
    let reported = false;
    for (const s of list) {
      if (s.kind === 'Case' || s.kind === 'Default') { after = null; reported = false; }
      else if (after && !reported && s.kind !== 'Empty') {
        this.diag(s.range, 'warning', 'unreachable', `code after '${after}' is never executed`);
        reported = true;
      }
      this.stmt(s);
      if (!after) after = this.terminates(s);
    }
  }

  private stmt(s: Stmt): void {
    switch (s.kind) {
      case 'Block':
        this.openScope();
        this.stmts(s.body);
        this.closeScope();
        return;
      case 'VarDecl':
        this.checkType(s.type, true);
        for (const d of s.declarators) {
          if (d.arraySize) this.expr(d.arraySize);
          this.declare(d.name, d.nameRange, { name: s.type.name, pointer: s.type.pointer + d.pointer });
          if (d.init) { this.expr(d.init); this.designators(s, d); }
        }
        return;
      case 'ExprStmt': this.expr(s.expr); return;
      case 'If': this.expr(s.test); this.sub(s.consequent); if (s.alternate) this.sub(s.alternate); return;
      case 'While': this.expr(s.test); this.sub(s.body); return;
      case 'DoWhile': this.sub(s.body); this.expr(s.test); return;
      case 'For':
        this.openScope();
        if (s.init) this.stmt(s.init);
        if (s.test) this.expr(s.test);
        if (s.update) this.expr(s.update);
        this.sub(s.body);
        this.closeScope();
        return;
      case 'Switch': this.expr(s.test); this.sub(s.body); return;
      case 'Case': this.expr(s.value); return;
      case 'Return':
        if (s.value) {
          this.expr(s.value);
          const f = this.currentFn;
          if (f && (f.name === 'main' || this.programFns.has(f.name))) this.exitStatus(s.value, 'return from main');
        }
        return;
      default: return;
    }
  }

  /** A nested statement gets its own scope, as a C compiler gives it. */
  private sub(s: Stmt): void {
    this.openScope();
    // A lone statement has nothing before it to make it unreachable: checking it is enough.
    if (s.kind === 'Block') this.stmts(s.body);
    else this.stmt(s);
    this.closeScope();
  }

  // ---- expressions ----
  /** Checks e and everything in it; says whether its value is a pointer, an integer, or not known here. */
  private expr(e: Expr): Cls {
    switch (e.kind) {
      case 'Number': case 'Char': case 'Sizeof':
        if (e.kind === 'Sizeof') { if (e.operand) this.expr(e.operand); if (e.type) this.sizeofType(e.type); }
        return 'int';
      case 'String': return 'ptr';
      case 'Ident': {
        const t = this.ident(e.name, e.range, false)?.type;
        return t && t.pointer > 0 ? 'ptr' : '?';
      }
      case 'Unary': case 'Postfix': {
        const c = this.expr(e.operand);
        if (e.op === '&') return 'ptr';
        if (e.op === '*') return '?';
        if (e.op === '!') return 'int';
        if (c === 'ptr' && (e.op === '-' || e.op === '~' || e.op === '+')) {
          this.diag(e.range, 'error', 'operand-type', `wrong type argument to ${e.op === '-' ? 'unary minus' : e.op === '+' ? 'unary plus' : 'bit-complement'} (a pointer)`);
          return 'int';
        }
        return c;
      }
      case 'Binary': return this.binary(e);
      case 'Assign': { const c = this.expr(e.target); this.expr(e.value); return c; }
      case 'Conditional': this.expr(e.test); this.expr(e.consequent); this.expr(e.alternate); return '?';
      case 'Call': this.call(e); return '?';
      case 'Member': this.expr(e.object); this.member(e); return '?';
      case 'Index': this.expr(e.object); this.expr(e.index); return '?';
      case 'Cast':
        this.checkType(e.type, false);
        this.expr(e.operand);
        return e.type.pointer > 0 ? 'ptr' : '?';
      case 'InitList':
        e.items.forEach((x, i) => { const at = e.indices?.[i]; if (at) this.expr(at); this.expr(x); });
        return '?';
      case 'Comma': this.expr(e.left); return this.expr(e.right);
      default: return '?';
    }
  }

  /** Operands C rejects (`"abc" - 1 & 1`: a pointer where an integer is needed), and shift counts past the width. */
  private binary(e: Extract<Expr, { kind: 'Binary' }>): Cls {
    const l = this.expr(e.left), r = this.expr(e.right);
    switch (e.op) {
      case '*': case '/': case '%': case '&': case '|': case '^': case '<<': case '>>':
        if (l === 'ptr' || r === 'ptr') return this.badOperands(e, l, r);
        if (e.op === '<<' || e.op === '>>') this.shiftCount(e);
        return 'int';
      case '+':
        if (l === 'ptr' && r === 'ptr') return this.badOperands(e, l, r);
        return l === 'ptr' || r === 'ptr' ? 'ptr' : l === 'int' && r === 'int' ? 'int' : '?';
      case '-':
        if (l === 'ptr') return r === 'ptr' ? 'int' : 'ptr';
        if (r === 'ptr') return this.badOperands(e, l, r);
        return l === 'int' && r === 'int' ? 'int' : '?';
      default: return 'int';
    }
  }

  private badOperands(e: Extract<Expr, { kind: 'Binary' }>, l: Cls, r: Cls): Cls {
    const what = (c: Cls): string => (c === 'ptr' ? 'a pointer' : 'an integer');
    this.diag(e.range, 'error', 'operand-type', `invalid operands to binary ${e.op} (${what(l)} and ${what(r)})`);
    return 'int';
  }

  /** gcc's -Wshift-count-negative and -Wshift-count-overflow, for a constant count. */
  private shiftCount(e: Extract<Expr, { kind: 'Binary' }>): void {
    const n = this.constValue(e.right, 0);
    if (n === undefined) return;
    const dir = e.op === '<<' ? 'left' : 'right';
    // An integer constant on the left without an L suffix is an int: 32 bits wide.
    const width = e.left.kind === 'Number' && !/l/i.test(e.left.text) && e.left.value <= 0x7fffffff ? 32 : 64;
    if (n < 0) this.diag(e.right.range, 'warning', 'shift-count', `${dir} shift count is negative`);
    else if (n >= width) this.diag(e.right.range, 'warning', 'shift-count', `${dir} shift count >= width of type (${width} bits): the result is undefined`);
  }

  /** Designators that name no member of the struct, or an element past the end of the array. */
  private designators(v: VarDecl, d: Declarator): void {
    const init = d.init;
    if (init?.kind !== 'InitList') return;
    if (d.arraySize !== undefined) {
      const n = d.arraySize ? this.constValue(d.arraySize, 0) : undefined;
      init.items.forEach((_, i) => {
        const at = init.indices?.[i];
        const k = at ? this.constValue(at, 0) : undefined;
        if (at && k !== undefined && (k < 0 || (n !== undefined && k >= n))) {
          this.diag(at.range, 'error', 'init-range', 'array index in initializer exceeds array bounds');
        }
      });
      return;
    }
    if (v.type.pointer + d.pointer > 0 || !init.fields) return;
    const fields = this.fieldsOf(v.type.name);
    if (!fields) return;
    for (const f of init.fields) {
      if (f && !fields.has(f.name)) {
        const s = closest(f.name, fields.keys());
        this.diag(f.range, 'error', 'unknown-field', `unknown field '${f.name}' specified in initializer${s ? `; did you mean '${s}'?` : ''}`);
      }
    }
  }

  /** sizeof needs a complete type: a struct this file or the catalog defines. */
  private sizeofType(t: TypeRef): void {
    if (!t.name.startsWith('struct ') || t.pointer > 0) return;
    const tag = t.name.slice(7);
    // struct list_head is declared by LIST_HEAD() but has no layout here: its size is not known either.
    if (this.structs.has(tag) || lookupStruct(tag)) return;
    this.diag(t.range, 'error', 'unknown-type', `invalid application of 'sizeof' to incomplete type '${t.name}'`);
  }

  private ident(name: string, range: Range, callee: boolean): Sym | undefined {
    const sym = this.lookup(name);
    if (sym?.kind === 'define' && !this.inDefine && this.macroDepth(name) > MAX_MACRO_DEPTH) {
      this.diag(range, 'error', 'too-deep', `macro expansion too deep: '${name}' expands through more than ${MAX_MACRO_DEPTH} nested #defines`);
    }
    if (sym) {
      if (sym.kind === 'function' && this.current) this.current.refs.add(name);
      return sym;
    }
    const c = lookupConstant(name);
    if (c) {
      if (c.side !== 'both' && this.current) this.current.uses.push({ name, range, side: c.side, what: 'constant' });
      return undefined;
    }
    const call = lookupCall(name);
    if (call) return undefined;
    for (const fam of FAMILY_PREFIXES) {
      if (!fam.prefix.test(name)) continue;
      const candidates = fam.groups.flatMap((g) => constantsInGroup(g).map((x) => x.name));
      const s = closest(name, candidates);
      this.diag(range, 'error', 'unknown-constant', `unknown ${fam.what} '${name}'${s ? `; did you mean '${s}'?` : ''}`);
      return undefined;
    }
    const s = closest(name, this.visibleNames(callee));
    this.diag(range, 'error', 'undefined-name', callee
      ? `implicit declaration of function '${name}'${s ? `; did you mean '${s}'?` : ''}`
      : `'${name}' undeclared${s ? `; did you mean '${s}'?` : ''}`);
    return undefined;
  }

  /** The names of #defines a macro's body uses. */
  private macroRefs(name: string): string[] {
    const body = this.defines.get(name);
    const out: string[] = [];
    if (body) walkExpr(body, (e) => { if (e.kind === 'Ident' && this.defines.has(e.name)) out.push(e.name); });
    return out;
  }

  /** Expansion depth of a macro, computed without recursion (chains can be thousands long). */
  private macroDepth(name: string): number {
    const memo = this.macroDepths;
    const known = memo.get(name);
    if (known !== undefined) return known;
    const stack: Array<{ name: string; refs: string[]; next: number; deepest: number }> = [];
    const open = new Set<string>();
    const push = (n: string): void => { stack.push({ name: n, refs: this.macroRefs(n), next: 0, deepest: 0 }); open.add(n); };
    if (!memo.has(name)) push(name);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.refs.length) {
        const r = top.refs[top.next++];
        const known = memo.get(r);
        // A macro is not expanded inside its own expansion: a cycle adds nothing.
        if (known !== undefined) top.deepest = Math.max(top.deepest, known);
        else if (!open.has(r)) push(r);
        continue;
      }
      stack.pop();
      open.delete(top.name);
      const d = Math.min(top.deepest + 1, MAX_MACRO_DEPTH + 1);
      memo.set(top.name, d);
      if (stack.length > 0) stack[stack.length - 1].deepest = Math.max(stack[stack.length - 1].deepest, d);
    }
    return memo.get(name) ?? 1;
  }

  private *visibleNames(callee: boolean): Iterable<string> {
    // In the order of declaration, outer scopes first, as a walk of nested scopes would give.
    yield* this.locals.keys();
    yield* this.globals.keys();
    yield* CALLS.keys();
    if (!callee) yield* CONSTANT_TABLE.keys();
  }

  private call(e: Extract<Expr, { kind: 'Call' }>): void {
    for (const a of e.args) this.expr(a);
    if (e.callee.kind !== 'Ident') {
      this.expr(e.callee);
      if (!this.callable(e.callee)) this.diag(e.callee.range, 'error', 'not-callable', 'called object is not a function or function pointer');
      return;
    }
    const name = e.callee.name;
    const sym = this.ident(name, e.callee.range, true);
    const n = e.args.length;
    // An argument the parser could not read has its own syntax error: counting it would add a
    // second, misleading one (`fork(;` is not a call with one argument).
    const counted = !e.args.some((a) => a.kind === 'ErrorExpr');
    if (sym?.kind === 'function' && sym.fn) {
      const f = sym.fn;
      const need = f.params.length;
      if (counted && (n < need || (n > need && !f.variadic))) {
        this.diag(e.range, 'error', 'arg-count', `too ${n < need ? 'few' : 'many'} arguments to function '${name}': expected ${need}, got ${n}`);
      }
      return;
    }
    if (sym) return;
    const info = lookupCall(name);
    if (!info) return;
    if (counted && (n < info.minArgs || (info.maxArgs >= 0 && n > info.maxArgs))) {
      const expected = info.maxArgs === -1 ? `at least ${info.minArgs}` : info.minArgs === info.maxArgs ? `${info.minArgs}` : `${info.minArgs} to ${info.maxArgs}`;
      this.diag(e.range, 'error', 'arg-count', `too ${n < info.minArgs ? 'few' : 'many'} arguments to '${name}': expected ${expected}, got ${n}`);
    }
    if (info.side !== 'both' && this.current) this.current.uses.push({ name, range: e.callee.range, side: info.side, what: 'call' });
    if (EXIT_CALLS.has(name) && e.args[0]) this.exitStatus(e.args[0], `${name}()`);
    const at = FORMAT_ARG.get(name);
    const fmt = at === undefined ? undefined : e.args[at];
    if (fmt?.kind === 'String') this.formatWidths(fmt);
    if (info.returnsOnlyOnError && e.args[0]?.kind === 'String') this.execPath(name, e.args[0].value, e.args[0].range);
  }

  /** False when e certainly is no function: a literal, or the result of a call returning a plain value. */
  private callable(e: Expr): boolean {
    if (e.kind === 'Number' || e.kind === 'Char' || e.kind === 'String') return false;
    if (e.kind !== 'Call' || e.callee.kind !== 'Ident') return true;
    const sym = this.lookup(e.callee.name);
    if (sym?.kind === 'function' && sym.fn) return sym.fn.returnType.pointer > 0 || sym.fn.returnType.name === 'sighandler_t';
    if (sym) return true;
    const r = lookupCall(e.callee.name)?.returns;
    return r === undefined || r.includes('*') || r.includes('(') || r === 'sighandler_t';
  }

  /** A field width or precision so large that one conversion writes megabytes (`%2000000000d`). */
  private formatWidths(fmt: Extract<Expr, { kind: 'String' }>): void {
    if (!/\d{7}/.test(fmt.value)) return;
    for (const m of fmt.value.matchAll(/%[-+ #0]*(\d*)(?:\.(\d*))?[hlLqjzt]*[a-zA-Z%]?/g)) {
      const n = Math.max(Number(m[1] || 0), Number(m[2] || 0));
      if (n <= MAX_FORMAT_WIDTH) continue;
      this.diag(fmt.range, 'warning', 'format-width', `field width or precision ${m[1] || m[2]} in '${m[0]}' writes that many characters for one conversion${n > 0x7fffffff ? ' (more than INT_MAX: printf fails with EOVERFLOW)' : ''}`);
      return;
    }
  }

  /** A path execve cannot find fails with ENOENT at run time; say so while the file is edited. */
  private execPath(name: string, path: string, range: Range): void {
    const candidates = execCandidates(path, name === 'execlp' || name === 'execvp');
    const searched = candidates.length > 1;
    const registered = new Set<string>(BUILTIN_PROGRAMS.keys());
    for (const d of this.program.directives) {
      if (d.kind === 'Pragma' && d.key === 'program' && typeof d.args[0]?.value === 'string') registered.add(d.args[0].value);
    }
    if (candidates.some((c) => registered.has(c))) return;
    this.diag(range, 'warning', 'unknown-program',
      `no program at '${path}' in the simulated file system: ${name} will fail with ENOENT (register one with #pragma kproc program "${searched ? `/bin/${path}` : path}" function)`);
  }

  private typeOf(e: Expr): { name: string; pointer: number } | undefined {
    if (e.kind === 'Ident') {
      const s = this.lookup(e.name);
      if (s) return s.type;
      if (e.name === 'current') return { name: 'struct task_struct', pointer: 1 };
      return undefined;
    }
    if (e.kind === 'Call' && e.callee.kind === 'Ident' && !this.lookup(e.callee.name)) {
      const r = lookupCall(e.callee.name)?.returns;
      const m = r && /^struct (\w+) \*$/.exec(r);
      return m ? { name: `struct ${m[1]}`, pointer: 1 } : undefined;
    }
    if (e.kind === 'Member') {
      // Kept per node: each link of `a->n->n->...` asks for the type of the chain below it.
      if (this.memberTypes.has(e)) return this.memberTypes.get(e);
      const t = this.typeOf(e.object);
      const f = t && this.fieldsOf(t.name)?.get(e.name);
      this.memberTypes.set(e, f);
      return f;
    }
    return undefined;
  }

  private fieldsOf(typeName: string): Map<string, { name: string; pointer: number }> | undefined {
    if (!typeName.startsWith('struct ')) return undefined;
    const tag = typeName.slice(7);
    const own = this.structs.get(tag);
    if (own) return own;
    const b = lookupStruct(tag);
    if (!b) return undefined;
    return new Map(b.fields.map((f) => {
      const stars = (f.type.match(/\*/g) ?? []).length;
      return [f.name, { name: f.type.replace(/\s*\*+$/, ''), pointer: f.type.includes('(') ? 1 : stars }];
    }));
  }

  private member(e: Extract<Expr, { kind: 'Member' }>): void {
    const t = this.typeOf(e.object);
    if (!t) return;
    const fields = this.fieldsOf(t.name);
    if (!fields) return;
    if (e.arrow && t.pointer !== 1) {
      this.diag(e.range, 'error', 'member-access', `'->' needs a pointer to a struct; use '.' on '${t.name}'`);
    } else if (!e.arrow && t.pointer !== 0) {
      this.diag(e.range, 'error', 'member-access', `'.' on a pointer; use '->' to reach '${e.name}'`);
    }
    if (!fields.has(e.name)) {
      const s = closest(e.name, fields.keys());
      this.diag(e.nameRange, 'error', 'unknown-field', `'${t.name}' has no field named '${e.name}'${s ? `; did you mean '${s}'?` : ''}`);
    }
  }

  /** Exit statuses keep only their low 8 bits; a constant outside 0..255 is almost always a mistake. */
  private exitStatus(e: Expr, how: string): void {
    const v = this.constValue(e, 0);
    if (v === undefined || (v >= 0 && v <= 255)) return;
    this.diag(e.range, 'warning', 'exit-code', `exit status ${v} from ${how} is outside 0..255; the parent sees ${((v % 256) + 256) % 256}`);
  }

  private constValue(e: Expr, depth: number): number | undefined {
    if (depth > 20) return undefined;
    switch (e.kind) {
      case 'Number': case 'Char': return e.value;
      case 'Unary': {
        const v = this.constValue(e.operand, depth + 1);
        if (v === undefined) return undefined;
        return e.op === '-' ? -v : e.op === '+' ? v : e.op === '~' ? ~v : e.op === '!' ? Number(!v) : undefined;
      }
      case 'Ident': {
        if (this.lookup(e.name)?.kind === 'var') return undefined;
        if (this.defines.has(e.name)) {
          const d = this.defines.get(e.name);
          return d ? this.constValue(d, depth + 1) : undefined;
        }
        const c = lookupConstant(e.name);
        return typeof c?.value === 'number' && c.group !== 'kernel-var' && c.group !== 'libc-var' ? c.value : undefined;
      }
      case 'Binary': {
        const a = this.constValue(e.left, depth + 1);
        const b = this.constValue(e.right, depth + 1);
        if (a === undefined || b === undefined) return undefined;
        switch (e.op) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          case '<<': return a << b;
          case '|': return a | b;
          default: return undefined;
        }
      }
      case 'Cast': return this.constValue(e.operand, depth + 1);
      default: return undefined;
    }
  }
}

/** Checks a parsed scenario; the text is accepted for checks that look at the source itself. */
export function check(program: Program, _text?: string): Diagnostic[] {
  try {
    return new Checker(program).run();
  } catch (e) {
    return [{ range: { start: 0, end: 0 }, severity: 'error', code: 'internal', message: `internal checker error: ${String(e)}` }];
  }
}
