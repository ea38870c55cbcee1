// The checker's state: file-scope names, structs and #defines, block scopes with their undo log,
// and the lookups and constant evaluation the statement and expression checks share.
import type { Diagnostic, Expr, FunctionDef, Program, Range, TypeRef } from './ast';
import { CALLS, lookupConstant, lookupDeclMacro, lookupStruct } from './builtins';
import type { FunctionFacts } from './check-sides';
import { closest } from './suggest';

export interface Sym {
  kind: 'var' | 'function' | 'define';
  /** The block scope that declared a local (its number); -1 for file-scope names. */
  scope: number;
  range: Range;
  type?: { name: string; pointer: number; array?: boolean };
  fn?: FunctionDef;
}

export abstract class CheckerScope {
  protected readonly out: Diagnostic[] = [];
  protected readonly globals = new Map<string, Sym>();
  protected readonly structs = new Map<string, Map<string, { name: string; pointer: number }>>();
  protected readonly defines = new Map<string, Expr | undefined>();
  /**
   * Locals visible at this point, one entry per name (inner declarations shadow outer ones). Leaving
   * a scope replays its undo entries (name, shadowed symbol) backwards, so no map is copied or made.
   */
  protected readonly locals = new Map<string, Sym>();
  private readonly undoNames: string[] = [];
  private readonly undoSyms: Array<Sym | undefined> = [];
  private readonly scopeMarks: number[] = [];
  /** Number of the innermost open scope; every scope gets a fresh one. */
  protected scope = -1;
  private scopeCount = 0;
  protected facts = new Map<string, FunctionFacts>();
  protected current: FunctionFacts | null = null;
  protected currentFn: FunctionDef | null = null;
  protected programFns = new Set<string>();
  /** How many #defines deep each macro's expansion goes (capped at MAX_MACRO_DEPTH + 1). */
  protected readonly macroDepths = new Map<string, number>();
  protected inDefine = false;
  protected readonly memberTypes = new Map<Expr, { name: string; pointer: number } | undefined>();

  constructor(protected readonly program: Program) {}

  /** Diagnostics given, by place and text: a node a macro's expansion repeats is reported once. */
  private readonly given = new Set<string>();

  protected diag(range: Range, severity: Diagnostic['severity'], code: string, message: string): void {
    const key = `${range.start}:${range.end}:${code}:${message}`;
    if (this.given.has(key)) return;
    this.given.add(key);
    this.out.push({ range, severity, code, message });
  }

  // ---- declarations ----
  protected collectGlobals(): void {
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
          this.globals.set(d.name, { kind: 'var', scope: -1, range: d.nameRange, type: { name: it.type.name, pointer: it.type.pointer + d.pointer, array: d.arraySize !== undefined } });
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

  protected macroDecl(m: Extract<Program['items'][number], { kind: 'MacroDecl' }>): void {
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

  protected checkType(t: TypeRef, declaring: boolean): void {
    if (!t.name.startsWith('struct ')) return;
    const tag = t.name.slice(7);
    if (this.structs.has(tag) || lookupStruct(tag) || tag === 'list_head' || t.pointer > 0 || !declaring) return;
    this.diag(t.range, 'error', 'unknown-type', `storage size of '${t.name}' is not known: no such struct is defined`);
  }

  protected openScope(): void {
    this.scopeMarks.push(this.undoNames.length);
    this.scopeMarks.push(this.scope);
    this.scope = this.scopeCount++;
  }

  protected closeScope(): void {
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

  protected declare(name: string, range: Range, type: { name: string; pointer: number; array?: boolean }): void {
    const prev = this.locals.get(name);
    if (prev && prev.scope === this.scope) this.diag(range, 'error', 'duplicate', `redefinition of '${name}'`);
    this.undoNames.push(name);
    this.undoSyms.push(prev);
    this.locals.set(name, { kind: 'var', scope: this.scope, range, type });
  }

  protected lookup(name: string): Sym | undefined {
    return this.locals.get(name) ?? this.globals.get(name);
  }

  protected lookupLocalOrFile(name: string): boolean {
    const s = this.lookup(name);
    return s !== undefined && s.kind !== 'define';
  }

  protected fieldsOf(typeName: string): Map<string, { name: string; pointer: number }> | undefined {
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

  protected constValue(e: Expr, depth: number): number | undefined {
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
