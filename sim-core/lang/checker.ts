// The checker: names with C block scoping, argument counts, unknown flags and signals, unreachable
// code, exit statuses, duplicates, pragmas, and calls made on the wrong side of the kernel boundary.
import type { Declarator, Diagnostic, Expr, FunctionDef, Program, Range, Stmt, TypeRef, VarDecl } from './ast';
import {
  BUILTIN_PROGRAMS, CALLS, CONSTANT_TABLE, FAMILY_PREFIXES, lookupCall, lookupConstant, lookupStruct, constantsInGroup,
} from './builtins';
import { checkContainerOf, checkKernelWrite } from './check-kernel';
import { checkPragmas } from './check-pragmas';
import { checkSides, findRoots } from './check-sides';
import { closest } from './suggest';
import { unsupportedHeader } from './unsupported';
import { childStmts } from './walk';
import { isFloatingText } from './lexer-numbers';
import { execCandidates } from './exec-path';
import { CheckerScope, type Sym } from './checker-scope';
import {
  badOperandsMessage, binaryClass, FORMAT_ARG, formatTypeWarnings, formatWidthWarning, isFloatingName, macroDepth, MAX_MACRO_DEPTH, shiftCountWarning, type Cls,
} from './check-values';

export { MAX_MACRO_DEPTH } from './check-values';


const EXIT_CALLS: ReadonlySet<string> = new Set(['exit', '_exit']);

export class Checker extends CheckerScope {
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








  // ---- functions and statements ----
  private fn(f: FunctionDef): void {
    this.current = this.facts.get(f.name) ?? { refs: new Set(), uses: [] };
    this.facts.set(f.name, this.current);
    this.currentFn = f;
    this.openScope();
    for (const p of f.params) if (p.name && p.nameRange) this.declare(p.name, p.nameRange, { name: p.type.name, pointer: p.type.pointer });
    if (f.body) {
      this.stmts(f.body.body);
      this.labels(f.body);
    }
    this.closeScope();
    this.current = null;
    this.currentFn = null;
  }

  /** Labels defined twice, and `goto`s to a label the function does not define (C's rules). */
  private labels(body: Stmt): void {
    const defined = new Set<string>();
    const gotos: Array<Extract<Stmt, { kind: 'Goto' }>> = [];
    const visit = (s: Stmt): void => {
      if (s.kind === 'Goto') gotos.push(s);
      else if (s.kind === 'Label') {
        if (defined.has(s.name)) this.diag(s.nameRange, 'error', 'duplicate', `duplicate label '${s.name}'`);
        defined.add(s.name);
      }
      for (const c of childStmts(s)) visit(c);
    };
    visit(body);
    for (const g of gotos) if (!defined.has(g.label)) this.diag(g.labelRange, 'error', 'undefined-name', `label '${g.label}' used but not defined`);
  }

  /** Whether control can leave the statement at its end (false after return, exit, break...). */
  private terminates(s: Stmt): string | null {
    switch (s.kind) {
      case 'Return': return 'return';
      case 'Break': return 'break';
      case 'Continue': return 'continue';
      case 'Goto': return 'goto';
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
          if (x.kind === 'Case' || x.kind === 'Default' || x.kind === 'Label') t = null;
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


  private stmts(list: Stmt[]): void {
    let after: string | null = null;
    let reported = false;
    for (const s of list) {
      if (s.kind === 'Case' || s.kind === 'Default' || s.kind === 'Label') { after = null; reported = false; }
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
          if (d.arraySize && this.expr(d.arraySize) === 'float') this.diag(d.arraySize.range, 'error', 'operand-type', `size of array '${d.name}' has non-integer type`);
          this.declare(d.name, d.nameRange, { name: s.type.name, pointer: s.type.pointer + d.pointer, array: d.arraySize !== undefined });
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
      case 'Switch':
        if (this.expr(s.test) === 'float') this.diag(s.test.range, 'error', 'operand-type', 'switch quantity not an integer');
        this.sub(s.body);
        return;
      case 'Case': if (this.expr(s.value) === 'float') this.diag(s.value.range, 'error', 'operand-type', 'case label does not reduce to an integer constant'); return;
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
        return e.kind === 'Number' && isFloatingText(e.text) ? 'float' : 'int';
      case 'String': return 'ptr';
      case 'Ident': {
        const t = this.ident(e.name, e.range, false)?.type;
        if (t && t.pointer === 0 && !t.array && isFloatingName(t.name)) return 'float';
        return t && t.pointer > 0 ? 'ptr' : '?';
      }
      case 'Unary': case 'Postfix': {
        const c = this.expr(e.operand);
        if (e.op === '++' || e.op === '--') checkKernelWrite(e.operand, (x) => this.typeOf(x), this.report);
        if (e.op === '&') return 'ptr';
        if (e.op === '*') return '?';
        if (e.op === '!') return 'int';
        if (c === 'ptr' && (e.op === '-' || e.op === '~' || e.op === '+')) {
          this.diag(e.range, 'error', 'operand-type', `wrong type argument to ${e.op === '-' ? 'unary minus' : e.op === '+' ? 'unary plus' : 'bit-complement'} (a pointer)`);
          return 'int';
        }
        if (c === 'float' && e.op === '~') {
          this.diag(e.range, 'error', 'operand-type', 'wrong type argument to bit-complement (a floating value)');
          return 'int';
        }
        return c;
      }
      case 'Binary': return this.binary(e);
      case 'Assign': {
        const c = this.expr(e.target);
        checkKernelWrite(e.target, (x) => this.typeOf(x), this.report);
        this.expr(e.value);
        return c;
      }
      case 'Conditional': this.expr(e.test); this.expr(e.consequent); this.expr(e.alternate); return '?';
      case 'Call': this.call(e); return '?';
      case 'Member': this.expr(e.object); this.member(e); return '?';
      case 'Index':
        this.expr(e.object);
        if (this.expr(e.index) === 'float') this.diag(e.index.range, 'error', 'operand-type', 'array subscript is not an integer');
        return '?';
      case 'Cast':
        this.checkType(e.type, false);
        this.expr(e.operand);
        return e.type.pointer > 0 ? 'ptr' : isFloatingName(e.type.name) ? 'float' : '?';
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
    const c = binaryClass(e.op, l, r);
    if (c === 'bad') {
      this.diag(e.range, 'error', 'operand-type', badOperandsMessage(e.op, l, r));
      return 'int';
    }
    if (e.op === '<<' || e.op === '>>') {
      const n = this.constValue(e.right, 0);
      const w = n === undefined ? undefined : shiftCountWarning(e, n);
      if (w) this.diag(e.right.range, 'warning', 'shift-count', w);
    }
    return c;
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
    if (sym?.kind === 'define' && !this.inDefine && macroDepth(this.defines, this.macroDepths, name) > MAX_MACRO_DEPTH) {
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
    const header = unsupportedHeader(name);
    if (header) {
      this.diag(range, 'error', 'unsupported', `'${name}' (${header}) is not supported by the simulator`);
      return undefined;
    }
    const s = closest(name, this.visibleNames(callee));
    this.diag(range, 'error', 'undefined-name', callee
      ? `implicit declaration of function '${name}'${s ? `; did you mean '${s}'?` : ''}`
      : `'${name}' undeclared${s ? `; did you mean '${s}'?` : ''}`);
    return undefined;
  }

  private *visibleNames(callee: boolean): Iterable<string> {
    // In the order of declaration, outer scopes first, as a walk of nested scopes would give.
    yield* this.locals.keys();
    yield* this.globals.keys();
    yield* CALLS.keys();
    if (!callee) yield* CONSTANT_TABLE.keys();
  }

  private call(e: Extract<Expr, { kind: 'Call' }>): void {
    const classes = e.args.map((a) => this.expr(a));
    if (e.callee.kind !== 'Ident') {
      this.expr(e.callee);
      if (!this.callable(e.callee)) this.diag(e.callee.range, 'error', 'not-callable', 'called object is not a function or function pointer');
      return;
    }
    const name = e.callee.name;
    const sym = this.ident(name, e.callee.range, true);
    if (name === 'container_of' && !sym) checkContainerOf(e, (x) => this.typeOf(x), (t) => this.fieldsOf(t), this.report);
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
    const wide = fmt?.kind === 'String' ? formatWidthWarning(fmt.value) : undefined;
    if (fmt && wide) this.diag(fmt.range, 'warning', 'format-width', wide);
    if (fmt?.kind === 'String' && at !== undefined) {
      for (const w of formatTypeWarnings(fmt.value, classes.slice(at + 1), at + 2)) this.diag(e.args[w.arg - 1].range, 'warning', 'format-type', w.message);
    }
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

  private readonly report = (e: Expr, message: string, code: string): void => {
    this.diag(e.kind === 'Member' ? e.nameRange : e.range, 'error', code, message);
  };

  private typeOf(e: Expr): { name: string; pointer: number } | undefined {
    if (e.kind === 'Ident') {
      const s = this.lookup(e.name);
      if (s) return s.type;
      if (e.name === 'current') return { name: 'struct task_struct', pointer: 1 };
      if (e.name === 'init_task') return { name: 'struct task_struct', pointer: 0 };
      return undefined;
    }
    if (e.kind === 'Call' && e.callee.kind === 'Ident' && !this.lookup(e.callee.name)) {
      const r = lookupCall(e.callee.name)?.returns;
      const m = r && /^struct (\w+) \*$/.exec(r);
      return m ? { name: `struct ${m[1]}`, pointer: 1 } : undefined;
    }
    if (e.kind === 'Unary' && e.op === '&') {
      const t = this.typeOf(e.operand);
      return t && { name: t.name, pointer: t.pointer + 1 };
    }
    if (e.kind === 'Cast' && e.type.name.startsWith('struct ')) return { name: e.type.name, pointer: e.type.pointer };
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

}

/** Checks a parsed scenario; the text is accepted for checks that look at the source itself. */
export function check(program: Program, _text?: string): Diagnostic[] {
  try {
    return new Checker(program).run();
  } catch (e) {
    return [{ range: { start: 0, end: 0 }, severity: 'error', code: 'internal', message: `internal checker error: ${String(e)}` }];
  }
}
