// Compiles a parsed scenario to an Image: struct layouts, globals in segment 0 with their static
// initialisers, #define folding, registered programs and module entry points, then every body.
import type { Diagnostic, Expr, FunctionDef, Program, Range, TypeRef, VarDecl } from '../lang/ast';
import { LineMap } from '../lang/linemap';
import { addressTaken } from './arg-order';
import { Module } from './builder';
import { cellsOf, decay, INT, TypeTable, VOID_PTR, type CType } from './ctypes';
import { StmtCompiler } from './compile-stmt';
import { convertConst, convertValue } from './fold';
import { fuse } from './fuse';
import { initListLength, initSlots, innerArrays } from './init-list';
import { GLOBAL_BASE, SEGMENT_SPAN, TEXT_BASE, TEXT_STRIDE, type FnCode, type Image } from './image';
import { Op } from './opcodes';
import type { Value } from './types';
import { addStdioGlobals } from './stdio-file';
import { libcValue, wrapperName } from './libc-values';
import { libraryParams } from './compile-call';

export function compile(program: Program, text: string): { image: Image; diagnostics: Diagnostic[] } {
  const lines = new LineMap(text);
  const types = new TypeTable();
  const m = new Module(text, lines, types);
  const programs = new Map<string, string>();
  for (const d of program.directives) {
    if (d.kind === 'Define') m.defines.set(d.name, d.value);
    if (d.kind === 'Pragma' && d.key === 'program' && d.args.length >= 2) programs.set(String(d.args[0].value), String(d.args[1].value));
  }
  const scratch = new StmtCompiler(m);
  m.defineStatic = (name, t, init) => {
    let unique = name;
    for (let n = 2; m.globals.has(unique); n++) unique = `${name}#${n}`;
    const off = addGlobal(m, unique, t);
    if (init) staticInit(m, scratch, off, t, init);
    return off;
  };
  m.defineExtern = (name, t) => addGlobal(m, name, t);
  const bodies: FunctionDef[] = [];
  for (const it of program.items) {
    if (it.kind === 'Struct') {
      types.define(it.name, it.fields.map((f) => {
        let t = innerArrays(m, (x) => scratch.fold(x), types.resolve(f.type), f.dims);
        if (f.arraySize !== undefined) {
          const n = f.arraySize ? scratch.foldInt(f.arraySize) : undefined;
          if (!n || typeof n.v !== 'number' || n.v < 0) m.error(f.range, 'array size must be a constant', 'vm-array');
          t = { k: 'array', of: t, n: n && typeof n.v === 'number' ? Math.max(0, n.v) : 1 };
        }
        const base = t.k === 'array' ? t.of : t;
        if (base.k === 'struct' && !base.layout) m.error(f.range, `field '${f.name}' has incomplete type`, 'vm-type');
        return { name: f.name, type: t };
      }), it.union === true);
    } else if (it.kind === 'Function') {
      m.fnTypes.set(it.name, types.resolve(it.returnType));
      m.fnParams.set(it.name, it.params.map((p) => paramType(m, scratch, p.type)));
      if (it.body) {
        if (m.fnIndex.has(it.name)) { m.error(it.nameRange, `redefinition of '${it.name}'`, 'vm-redefined'); continue; }
        m.fnIndex.set(it.name, bodies.length);
        bodies.push(it);
      }
    }
  }
  m.wrapperBase = bodies.length;
  m.globalInit.length = GLOBAL_BASE;
  m.globalInit.fill(0);
  let moduleInit: string | undefined, moduleExit: string | undefined;
  for (const it of program.items) {
    if (it.kind === 'VarDecl') globalDecl(m, scratch, it);
    else if (it.kind === 'MacroDecl') {
      const a0 = it.args[0];
      const name = a0 && a0.kind === 'Ident' ? a0.name : undefined;
      if (it.name === 'module_init') moduleInit = name;
      else if (it.name === 'module_exit') moduleExit = name;
      else if (it.name === 'LIST_HEAD' && name) addGlobal(m, name, m.types.struct('list_head'));
      else if (it.name === 'DEFINE_SPINLOCK' && name) addGlobal(m, name, INT);
    }
  }
  // The C library's standard streams, after the program's own globals; and a call site for the
  // exit a return from main makes (its flush of the streams is a call of the library).
  if (!['stdin', 'stdout', 'stderr', '_IO_list_all'].some((n) => m.globals.has(n))) addStdioGlobals(m, (n, t) => addGlobal(m, n, t));
  m.site('exit', 1, 'none', { start: 0, end: 0 });
  const functions = bodies.map((f, i) => compileFunction(m, f, i));
  // Wrappers of library functions used as values; one may be met first while compiling another.
  for (let i = 0; i < m.libcWrappers.length; i++) functions.push(compileWrapper(m, m.libcWrappers[i], bodies.length + i));
  const image: Image = {
    text, lines, functions, fnIndex: m.fnIndex, globals: [...m.globals.values()], globalInit: m.globalInit,
    consts: m.consts, sites: m.sites, programs, types, defines: m.defines,
  };
  if (moduleInit) image.moduleInit = moduleInit;
  if (moduleExit) image.moduleExit = moduleExit;
  return { image, diagnostics: m.diagnostics };
}

/** A parameter's type: `int g[][4]` is a pointer to arrays of 4 ints. */
function paramType(m: Module, b: StmtCompiler, ref: TypeRef): CType {
  if (!ref.dims) return decay(m.types.resolve(ref));
  const rows = innerArrays(m, (x) => b.fold(x), m.types.resolve({ ...ref, pointer: Math.max(0, ref.pointer - 1) }), ref.dims);
  return { k: 'ptr', to: rows };
}

function addGlobal(m: Module, name: string, type: CType): number {
  const prev = m.globals.get(name);
  if (prev) return prev.offset;
  const offset = m.globalInit.length;
  for (let i = 0; i < cellsOf(type); i++) m.globalInit.push(0);
  m.globals.set(name, { name, type, offset });
  return offset;
}

function globalDecl(m: Module, b: StmtCompiler, d: VarDecl): void {
  for (const dc of d.declarators) {
    let t = innerArrays(m, (x) => b.fold(x), m.types.resolve(d.type, dc.pointer), dc.dims);
    if (dc.arraySize !== undefined) {
      const n = dc.arraySize ? b.foldInt(dc.arraySize) : undefined;
      let len = n && typeof n.v === 'number' ? n.v : -1;
      if (len < 0 && dc.init?.kind === 'InitList') len = initListLength(m, (x) => b.fold(x), dc.init);
      if (len < 0 && dc.init?.kind === 'String') len = dc.init.value.length + 1;
      if (len < 0) { m.error(dc.range, 'array size must be a constant', 'vm-array'); len = 1; }
      t = { k: 'array', of: t, n: len };
    }
    if (d.storage === 'extern' && !dc.init) {
      if (!m.globals.has(dc.name) && dc.name !== 'errno') addGlobal(m, dc.name, t);
      continue;
    }
    const off = addGlobal(m, dc.name, t);
    if (dc.init) staticInit(m, b, off, t, dc.init);
  }
}

/** Evaluates a static initialiser at compile time into the global segment. */
function staticInit(m: Module, b: StmtCompiler, off: number, t: CType, init: Expr): void {
  if (init.kind === 'InitList') {
    for (const slot of initSlots(m, (x) => b.fold(x), t, init)) staticInit(m, b, off + slot.offset, slot.type, slot.item);
    return;
  }
  if (t.k === 'array' && init.kind === 'String') {
    for (let i = 0; i < t.n; i++) m.globalInit[off + i] = i < init.value.length ? convertValue(init.value.charCodeAt(i), t.of) : 0;
    return;
  }
  const f = b.fold(init);
  if (f && typeof f.v !== 'string' && (f.t.k === 'float' || t.k === 'float')) {
    m.globalInit[off] = convertConst(f.v, f.t, t);
    return;
  }
  const v = staticValue(m, b, init);
  if (v === undefined) { m.error(init.range, 'initializer element is not constant', 'vm-init'); return; }
  m.globalInit[off] = typeof v === 'number' ? convertValue(v, t) : v;
}

function staticValue(m: Module, b: StmtCompiler, e: Expr): Value | undefined {
  const f = b.fold(e);
  if (f) return f.v;
  if (e.kind === 'Cast') return staticValue(m, b, e.operand);
  const target = e.kind === 'Unary' && e.op === '&' ? e.operand : e;
  if (target.kind === 'Ident') {
    const fi = m.fnIndex.get(target.name);
    if (fi !== undefined) return TEXT_BASE + fi * TEXT_STRIDE;
    const g = m.globals.get(target.name);
    if (g && (target !== e || g.type.k === 'array')) return 0 * SEGMENT_SPAN + g.offset;
    const wrapper = g ? undefined : libcValue(m, target.name, target.range);
    if (wrapper !== undefined) return TEXT_BASE + wrapper * TEXT_STRIDE;
  }
  return undefined;
}

function compileFunction(m: Module, f: FunctionDef, index: number): FnCode {
  const b = new StmtCompiler(m);
  b.fnName = f.name;
  if (f.body) b.addressed = addressTaken(f.body);
  b.returnType = m.fnTypes.get(f.name) ?? INT;
  const params = m.fnParams.get(f.name) ?? [];
  // A struct passed by value arrives as the caller's address in its parameter cell; the function
  // works on its own copy, made at entry, under the parameter's name.
  const byValue: Array<[number, string, CType]> = [];
  f.params.forEach((p, i) => {
    const t = params[i];
    if (t && t.k === 'struct' && p.name) {
      // (The address cell is no variable of the program: the debugger never shows it.)
      b.declare(`<param ${i + 1}>`, VOID_PTR, 1).to = -1;
      byValue.push([i, p.name, t]);
    } else b.declare(p.name ?? `<param ${i + 1}>`, t, 1);
  });
  for (const [i, name, t] of byValue) {
    const copy = b.declare(name, t, cellsOf(t));
    b.emit(Op.ADDRL, copy.offset);
    b.emit(Op.LOADL, i);
    b.emit(Op.COPY, cellsOf(t));
  }
  const body = f.body as NonNullable<FunctionDef['body']>;
  b.stmt(body);
  b.checkLabels();
  // Falling off the end: the closing brace is a step point, and main returns 0 (C99).
  b.marker({ start: Math.max(body.range.start, body.range.end - 1), end: body.range.end });
  b.emit(Op.PUSH, 0);
  b.emit(Op.RET);
  return {
    name: f.name, index, code: b.code, fast: fuse(b.code), nparams: f.params.length, frameSize: Math.max(1, b.frameSize),
    locals: b.locals, stmts: b.stmts, returnType: b.returnType, line: m.lines.positionAt(f.nameRange.start).line,
    start: f.range.start,
  };
}

/** The wrapper of a library function used as a value: its parameters passed on to the call, its result returned. */
function compileWrapper(m: Module, w: { name: string; range: Range }, index: number): FnCode {
  const b = new StmtCompiler(m);
  const name = wrapperName(w.name);
  b.fnName = name;
  const params = libraryParams(w.name);
  params.forEach((t, i) => b.declare(`arg${i + 1}`, t, 1));
  b.marker(w.range);
  const args: Expr[] = params.map((_, i) => ({ kind: 'Ident', name: `arg${i + 1}`, range: w.range }));
  b.returnType = b.libraryCall({ kind: 'Call', callee: { kind: 'Ident', name: w.name, range: w.range }, args, range: w.range });
  b.emit(Op.RET);
  return {
    name, index, code: b.code, fast: fuse(b.code), nparams: params.length, frameSize: Math.max(1, b.frameSize),
    locals: b.locals, stmts: b.stmts, returnType: b.returnType, line: m.lines.positionAt(w.range.start).line, start: w.range.start,
  };
}
