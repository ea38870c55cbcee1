// What the debugger reads from a thread: its call stack with the locals in scope and their
// values, and side-effect-free expressions evaluated in a frame for the debug console.
import type { Expr } from '../lang/ast';
import { parse } from '../lang/parser';
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
      locals: inScope(f).map((v) => ({
        name: v.name, type: typeName(v.type), addr: f.bp + v.offset, value: scalarValue(mem, v.type, f.bp + v.offset),
      })),
    };
  });
}

export interface EvalResult {
  value?: Value;
  /** C type of the result, as the debugger displays it. */
  type?: string;
  error?: string;
}

/** Calls the debug console may make: they read, never write. */
const READ_ONLY_CALLS: ReadonlySet<string> = new Set([
  'WIFEXITED', 'WEXITSTATUS', 'WIFSIGNALED', 'WTERMSIG', 'WCOREDUMP', 'WIFSTOPPED', 'WSTOPSIG', 'WIFCONTINUED',
  'strcmp', 'strncmp', 'strlen', 'atoi', 'atol', 'abs', 'labs', 'strerror', 'sigismember', 'IS_ERR', 'PTR_ERR', 'msecs_to_jiffies',
]);

function sideEffect(e: Expr): string | null {
  switch (e.kind) {
    case 'Assign': return 'assignments';
    case 'Postfix': return 'increments and decrements';
    case 'Unary': return e.op === '++' || e.op === '--' ? 'increments and decrements' : sideEffect(e.operand);
    case 'Call':
      if (e.callee.kind !== 'Ident' || !READ_ONLY_CALLS.has(e.callee.name)) return 'calls that change state or need the kernel';
      for (const a of e.args) { const s = sideEffect(a); if (s) return s; }
      return null;
    case 'Binary': case 'Comma': return sideEffect(e.left) ?? sideEffect(e.right);
    case 'Conditional': return sideEffect(e.test) ?? sideEffect(e.consequent) ?? sideEffect(e.alternate);
    case 'Member': return sideEffect(e.object);
    case 'Index': return sideEffect(e.object) ?? sideEffect(e.index);
    case 'Cast': return sideEffect(e.operand);
    case 'Ident': return e.name === 'current' || e.name === 'jiffies' ? `'${e.name}' (it needs the kernel)` : null;
    default: return null;
  }
}

const NO_FIELDS: VmHost = { readField: () => 0 };
const PREFIX = 'void __kproc_eval(void) { ';

/**
 * Evaluates a C expression over the locals of frame `frameIndex` (0: innermost) and the globals.
 * Nothing is written: assignments and calls that change state are refused.
 */
export function evaluate(image: Image, regs: UserRegs, mem: UserMemory, host: VmHost | null, text: string, frameIndex = 0): EvalResult {
  const r = asRegs(regs);
  const parsed = parse(`${PREFIX}${text}\n; }`);
  const err = parsed.diagnostics.find((d) => d.severity === 'error');
  if (err) return { error: err.message };
  const fn = parsed.program.items[0];
  const first = fn && fn.kind === 'Function' ? fn.body?.body[0] : undefined;
  if (!first || first.kind !== 'ExprStmt') return { error: 'expected an expression' };
  const effect = sideEffect(first.expr);
  if (effect) return { error: `the debug console does not evaluate ${effect}` };
  const frame = rawFrames(image, r)[frameIndex];

  const m = new Module(image.text, image.lines, image.types);
  for (const g of image.globals) m.globals.set(g.name, g);
  image.fnIndex.forEach((i, name) => { m.fnIndex.set(name, i); m.fnTypes.set(name, image.functions[i].returnType); });
  image.defines.forEach((v, k) => m.defines.set(k, v));
  const b = new StmtCompiler(m);
  if (frame) for (const v of inScope(frame)) b.bindLocal(v);
  const t = b.expr(first.expr);
  const diag = m.diagnostics[0];
  if (diag) return { error: diag.message.replace('__kproc_eval', 'expression') };
  b.emit(Op.RET);
  const evalFn: FnCode = {
    name: '<eval>', index: image.functions.length, code: b.code, nparams: 0, frameSize: b.frameSize,
    locals: [], stmts: [], returnType: t, line: -1, start: 0,
  };
  const tmpImage: Image = { ...image, functions: [...image.functions, evalFn], consts: m.consts, sites: m.sites };
  const er = new VmRegs(tmpImage, r.stackSeg);
  er.fn = evalFn.index;
  er.bp = frame ? frame.bp : r.stackSeg * SEGMENT_SPAN;
  er.sp = er.bp + b.frameSize;
  er.errno = r.errno;
  er.onReturn = 'exit';
  const trap = run(tmpImage, er, asMemory(mem), host ?? NO_FIELDS, { budget: 100000, stopAtStatements: false });
  if (trap.kind === 'fault') return { error: `cannot access memory: ${trap.message}` };
  if (trap.kind === 'syscall' && trap.name === 'exit') return { value: trap.args[0], type: typeName(t) };
  return { error: 'the expression needs the kernel or runs too long' };
}
