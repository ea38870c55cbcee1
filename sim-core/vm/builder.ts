// Shared state of one compilation (types, globals, constants, call sites, diagnostics) and the
// per-function code builder: emitting, labels with fixups, scopes and frame slots.
import type { Diagnostic, Expr, Range } from '../lang/ast';
import type { Convention } from '../lang/builtins-types';
import type { LineMap } from '../lang/linemap';
import type { CType, TypeTable } from './ctypes';
import { Op } from './opcodes';
import type { CallSite, GlobalVar, LocalVar, StmtInfo } from './image';
import type { Value } from './types';

export class Module {
  readonly globals = new Map<string, GlobalVar>();
  readonly globalInit: Value[] = [];
  readonly fnIndex = new Map<string, number>();
  /** Return types of every declared function, prototypes included. */
  readonly fnTypes = new Map<string, CType>();
  /** Parameter types of every declared function. */
  readonly fnParams = new Map<string, CType[]>();
  readonly defines = new Map<string, Expr | undefined>();
  readonly consts: Value[] = [];
  private readonly constIndex = new Map<Value, number>();
  readonly sites: CallSite[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /**
   * Library functions used as values, in the order first met (libc-values.ts): each gets a
   * wrapper function, numbered from wrapperBase (after the file's own functions).
   */
  readonly libcWrappers: Array<{ name: string; range: Range }> = [];
  wrapperBase = 0;
  /** Unions already reported as unsupported: one error each, at their first use. */
  readonly refusedUnions = new Set<string>();
  /** Places a `static` local in the global segment (set by the compiler): its offset there. */
  defineStatic: (name: string, type: CType, init: Expr | undefined) => number = () => 0;
  /** The global a block-scope `extern` declaration names (made when no file-scope one exists): its offset. */
  defineExtern: (name: string, type: CType) => number = () => 0;

  constructor(readonly text: string, readonly lines: LineMap, readonly types: TypeTable) {}

  constant(v: Value): number {
    let k = this.constIndex.get(v);
    if (k === undefined) {
      k = this.consts.length;
      this.consts.push(v);
      this.constIndex.set(v, k);
    }
    return k;
  }

  site(name: string, argc: number, convention: Convention, at: Range, scale?: [number, number]): number {
    const s: CallSite = { name, argc, convention, line: this.lines.positionAt(at.start).line };
    if (scale) s.scale = scale;
    this.sites.push(s);
    return this.sites.length - 1;
  }

  error(range: Range, message: string, code = 'vm-unsupported'): void {
    this.diagnostics.push({ range: { start: range.start, end: range.end }, severity: 'error', message, code });
  }
}

interface Label { pc: number; fixups: number[] }

export class FnBuilder {
  readonly code: number[] = [];
  readonly locals: LocalVar[] = [];
  readonly stmts: StmtInfo[] = [];
  frameSize = 0;
  /** The function being compiled (names its static locals). */
  fnName = '';
  /** Names whose address the function takes (they live in memory; arg-order.ts). */
  addressed: ReadonlySet<string> = new Set();
  private readonly labels: Label[] = [];
  private readonly scopes: Array<Map<string, LocalVar>> = [new Map()];
  /** Where the latest instruction starts, and the pc of the latest label bound (a jump lands there). */
  protected lastAt = -1;
  protected boundAt = -1;

  constructor(readonly m: Module) {}

  emit(op: Op, ...operands: number[]): void {
    this.lastAt = this.code.length;
    this.code.push(op, ...operands);
  }

  /** The constant the last instruction pushed, when nothing jumps past it; undefined otherwise. */
  protected pushedConstant(): number | undefined {
    const at = this.lastAt;
    return at >= 0 && at === this.code.length - 2 && this.code[at] === Op.PUSH && this.boundAt !== this.code.length ? this.code[at + 1] : undefined;
  }

  /** PUSH of any value: inline for small integers, the constant pool otherwise. */
  pushValue(v: Value): void {
    if (typeof v === 'number' && (v | 0) === v && !Object.is(v, -0)) this.emit(Op.PUSH, v);
    else this.emit(Op.PUSHK, this.m.constant(v));
  }

  newLabel(): number {
    this.labels.push({ pc: -1, fixups: [] });
    return this.labels.length - 1;
  }

  bind(label: number): void {
    const l = this.labels[label];
    l.pc = this.code.length;
    this.boundAt = l.pc;
    for (const f of l.fixups) this.code[f] = l.pc;
  }

  jump(op: Op.JMP | Op.JZ | Op.JNZ | Op.LTJZ, label: number): void {
    const l = this.labels[label];
    this.lastAt = this.code.length;
    this.code.push(op, l.pc);
    if (l.pc < 0) l.fixups.push(this.code.length - 1);
  }

  pushScope(): void { this.scopes.push(new Map()); }

  /** Closes a scope: its names stop being visible to the debugger after this pc. */
  popScope(): void {
    const s = this.scopes.pop();
    if (s) for (const v of s.values()) v.to = this.code.length;
  }

  declare(name: string, type: CType, cells: number): LocalVar {
    const v: LocalVar = { name, type, offset: this.frameSize, from: this.code.length, to: Number.MAX_SAFE_INTEGER };
    this.frameSize += Math.max(1, cells);
    this.scopes[this.scopes.length - 1].set(name, v);
    this.locals.push(v);
    return v;
  }

  /** A `static` local: a name in this scope for a cell of the global segment. */
  declareStatic(name: string, type: CType, offset: number): void {
    const v: LocalVar = { name, type, offset, from: this.code.length, to: Number.MAX_SAFE_INTEGER, isStatic: true };
    this.scopes[this.scopes.length - 1].set(name, v);
    this.locals.push(v);
  }

  /** Makes an existing frame cell visible under its name (the debug console's view of a frame). */
  bindLocal(v: LocalVar): void {
    this.scopes[this.scopes.length - 1].set(v.name, v);
    if (!v.isStatic) this.frameSize = Math.max(this.frameSize, v.offset + 1);
  }

  /** A hidden frame cell (switch values). */
  temp(): number {
    return this.frameSize++;
  }

  lookupLocal(name: string): LocalVar | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].get(name);
      if (v) return v;
    }
    return undefined;
  }

  /** Emits a statement marker and records where it is. */
  marker(range: Range): void {
    const line = this.m.lines.positionAt(range.start).line;
    this.stmts.push({ line, start: range.start, end: range.end });
    this.emit(Op.STMT, this.stmts.length - 1);
  }
}
