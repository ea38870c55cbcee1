// What the debugger reads from a thread: its call stack with the locals in scope and their
// values, and the typed read of the scenario's memory behind the debugger's C evaluator
// (sim-core/debug/evaluate.ts parses and checks the expression; here it is compiled with the
// scenario's own compiler, so pointers, arrays and structs mean what they mean when it runs).
import type { Expr } from '../lang/ast';
import { Module } from './builder';
import { StmtCompiler } from './compile-stmt';
import { typeName, type CType } from './ctypes';
import { SEGMENT_SPAN, type FnCode, type Image } from './image';
import { Op } from './opcodes';
import { FRAME_WORDS, VmRegs } from './regs';
import { asMemory, asRegs, run } from './run';
import type { UserFrameInfo, UserMemory, UserRegs, Value, VmHost } from './types';

interface RawFrame { fn: FnCode; pc: number; bp: number; stmt: number }

/** The thread's frames, innermost first, continuing below signal frames into what they interrupted. */
function rawFrames(image: Image, r: VmRegs): RawFrame[] {
  if (r.fn < 0) return [];
  const base = r.stackSeg * SEGMENT_SPAN;
  const out: RawFrame[] = [{ fn: image.functions[r.fn], pc: r.pc, bp: r.bp, stmt: r.stmt }];
  const walk = (frames: number[]): void => {
    for (let n = frames.length - FRAME_WORDS; n >= 0; n -= FRAME_WORDS) {
      out.push({ fn: image.functions[frames[n]], pc: frames[n + 1], bp: base + frames[n + 2], stmt: frames[n + 4] });
    }
  };
  walk(r.frames);
  for (let i = r.sigframes.length - 1; i >= 0; i--) {
    const c = r.sigframes[i];
    out.push({ fn: image.functions[c.fn], pc: c.pc, bp: c.bp, stmt: c.stmt });
    walk(c.frames);
  }
  return out;
}

function inScope(f: RawFrame): FnCode['locals'] {
  // Later declarations shadow earlier ones of the same name.
  const seen = new Map<string, FnCode['locals'][number]>();
  for (const v of f.fn.locals) if (v.from <= f.pc && f.pc <= v.to) seen.set(v.name, v);
  return [...seen.values()];
}

function scalarValue(mem: UserMemory, t: CType, addr: number): Value | undefined {
  return t.k === 'array' || t.k === 'struct' ? addr : mem.load(addr);
}

/** The call stack as the debugger shows it, innermost first. */
export function frames(image: Image, regs: UserRegs, mem: UserMemory): UserFrameInfo[] {
  const r = asRegs(regs);
  return rawFrames(image, r).map((f) => {
    const st = f.fn.stmts[f.stmt];
    return {
      function: f.fn.name,
      line: st ? st.line : f.fn.line,
      start: st ? st.start : f.fn.start,
      end: st ? st.end : f.fn.start,
      locals: inScope(f).map((v) => {
        // A static local lives in the global segment (segment 0: its address is its offset).
        const addr = v.isStatic ? v.offset : f.bp + v.offset;
        return { name: v.name, type: typeName(v.type), addr, value: scalarValue(mem, v.type, addr) };
      }),
    };
  });
}

export interface ReadResult {
  value?: Value;
  /** C type of the result, as the debugger displays it. */
  type?: string;
  error?: string;
}

const NO_FIELDS: VmHost = { readField: () => 0 };

type Compiled = { error: string } | { error?: undefined; tmpImage: Image; evalFn: FnCode; t: CType };

/**
 * Compiled expressions by image, expression and the frame's scope: a breakpoint condition is read
 * at every hit, and compiling it each time would cost more than running the scenario.
 */
const COMPILED = new WeakMap<Image, WeakMap<Expr, Map<string, Compiled>>>();

function compiled(image: Image, expr: Expr, frame: RawFrame | undefined): Compiled {
  const scope = frame ? inScope(frame) : [];
  const key = frame ? `${frame.fn.index}:${scope.map((v) => `${v.name}@${v.offset}`).join(',')}` : '-';
  let byExpr = COMPILED.get(image);
  if (!byExpr) COMPILED.set(image, byExpr = new WeakMap());
  let byScope = byExpr.get(expr);
  if (!byScope) byExpr.set(expr, byScope = new Map());
  let c = byScope.get(key);
  if (!c) {
    c = compileExpression(image, expr, scope);
    if (byScope.size >= 64) byScope.clear();
    byScope.set(key, c);
  }
  return c;
}

function compileExpression(image: Image, expr: Expr, scope: FnCode['locals']): Compiled {
  const m = new Module(image.text, image.lines, image.types);
  for (const g of image.globals) m.globals.set(g.name, g);
  image.fnIndex.forEach((i, name) => { m.fnIndex.set(name, i); m.fnTypes.set(name, image.functions[i].returnType); });
  image.defines.forEach((v, k) => m.defines.set(k, v));
  const b = new StmtCompiler(m);
  for (const v of scope) b.bindLocal(v);
  const t = b.expr(expr);
  const diag = m.diagnostics[0];
  if (diag) return { error: diag.message.replace('__kproc_eval', 'expression') };
  b.emit(Op.RET);
  const evalFn: FnCode = {
    name: '<eval>', index: image.functions.length, code: b.code, nparams: 0, frameSize: b.frameSize,
    locals: [], stmts: [], returnType: t, line: -1, start: 0,
  };
  return { tmpImage: { ...image, functions: [...image.functions, evalFn], consts: m.consts, sites: m.sites }, evalFn, t };
}

/**
 * Reads an expression over the locals of frame `frameIndex` (0: innermost) and the globals. The
 * caller has refused side effects (assignments, calls that change state); the code runs on a
 * scratch frame, so even so nothing of the thread is written.
 */
export function readExpression(image: Image, regs: UserRegs, mem: UserMemory, host: VmHost | null, expr: Expr, frameIndex = 0): ReadResult {
  const r = asRegs(regs);
  const frame = rawFrames(image, r)[frameIndex];
  const c = compiled(image, expr, frame);
  if (c.error !== undefined) return { error: c.error };
  const { tmpImage, evalFn, t } = c;
  const er = new VmRegs(tmpImage, r.stackSeg);
  er.fn = evalFn.index;
  er.bp = frame ? frame.bp : r.stackSeg * SEGMENT_SPAN;
  er.sp = er.bp + evalFn.frameSize;
  er.errno = r.errno;
  er.onReturn = 'exit';
  const trap = run(tmpImage, er, asMemory(mem), host ?? NO_FIELDS, { budget: 100000, stopAtStatements: false });
  if (trap.kind === 'fault') return { error: `cannot access memory: ${trap.message}` };
  if (trap.kind === 'syscall' && trap.name === 'exit') return { value: trap.args[0], type: typeName(t) };
  return { error: 'the expression needs the kernel or runs too long' };
}
