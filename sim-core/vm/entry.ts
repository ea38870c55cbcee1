// How threads start and stop in the VM: a fresh address space, registers that begin in a function
// (main with argc/argv, a thread's start routine), completing a call with the C library's errno
// convention, and signal frames that run a handler and return through rt_sigreturn.
import { SEGMENT_SPAN, TEXT_BASE, TEXT_STRIDE, type Image } from './image';
import { cellArray, VmMemory } from './memory';
import { Op } from './opcodes';
import { VmRegs } from './regs';
import { asMemory, asRegs } from './run';
import type { Trap, UserMemory, UserRegs, Value } from './types';
import { resumeLibc } from './libc-calls';
import { scriptFallback } from './exec-script';
import { layoutEnvironment } from './libc-env';
import { leaveCancelPoint, sigcancel, SIGCANCEL_HANDLER } from './libc-cancel';

/** A new address space holding the image's globals, as execve maps a program's data. */
export function createMemory(image: Image): VmMemory {
  return new VmMemory(image.globalInit.slice());
}

export interface EntryOptions {
  /** The thread's stack segment (from memory.newStack()). */
  stackSegment: number;
  /** What the outermost function's return means: exit_group for main, exit for a thread. */
  onReturn: 'exit_group' | 'exit';
}

/** Registers that start `fnName(args...)` on the given stack, or null when there is no such function. */
export function entryRegs(image: Image, mem: UserMemory, fnName: string, args: Value[], opts: EntryOptions): VmRegs | null {
  const fi = image.fnIndex.get(fnName);
  const m = asMemory(mem);
  const seg = m.segs[opts.stackSegment];
  if (fi === undefined || !seg) return null;
  const f = image.functions[fi];
  const r = new VmRegs(image, opts.stackSegment);
  const bo = seg.length;
  m.grow(seg, bo + f.frameSize, true);
  for (let i = 0; i < f.nparams && i < args.length; i++) seg[bo + i] = args[i];
  r.fn = fi;
  r.pc = 0;
  r.bp = opts.stackSegment * SEGMENT_SPAN + bo;
  r.sp = r.bp + f.frameSize;
  r.onReturn = opts.onReturn;
  return r;
}

/** A loaded program: its new address space and the registers of its first thread. */
export interface ExecImage {
  memory: VmMemory;
  regs: VmRegs;
}

/**
 * What execve builds: a new memory (its environment from envp), a main stack holding the argv
 * strings (one cell each, then NULL), and registers entering `fnName(argc, argv)` (or fewer parameters if it takes fewer).
 */
export function execEntry(image: Image, fnName: string, argv: readonly string[], envp: readonly string[] = []): ExecImage | null {
  if (!image.fnIndex.has(fnName)) return null;
  const memory = createMemory(image);
  const seg = memory.newStack();
  const cells = memory.segs[seg] as Value[];
  for (const a of argv) cells.push(a);
  cells.push(0);
  const argvAddr = seg * SEGMENT_SPAN;
  // The environment strings follow, and environ (main's envp) points at them.
  const envpAddr = layoutEnvironment(memory, image, cells, seg, envp);
  const regs = entryRegs(image, memory, fnName, [argv.length, argvAddr, envpAddr], { stackSegment: seg, onReturn: 'exit_group' });
  return regs ? { memory, regs } : null;
}

/** The program registered at an exec path in this image, if any. */
export function programFunction(image: Image, path: string): string | undefined {
  return image.programs.get(path);
}

/**
 * Finishes the pending call with the kernel's raw return value. The 'syscall' convention turns
 * -4095..-1 into errno and -1; out-parameters must already be stored with mem.store.
 */
export function completeCall(regs: UserRegs, mem: UserMemory, value: Value): void {
  const r = asRegs(regs);
  if (r.pending < 0) return;
  const site = r.image.sites[r.pending];
  r.pending = -1;
  if (r.libc !== null) {
    // A C library function between its system calls: it issues the next, or returns.
    if (scriptFallback(r, asMemory(mem), value)) return;
    const done = resumeLibc(r, asMemory(mem), value);
    if (done !== null) { r.stack.push(done.value); leaveCancelPoint(r, asMemory(mem)); }
    return;
  }
  leaveCancelPoint(r, asMemory(mem));
  let v: Value = value;
  if (typeof value === 'number' && value < 0 && value >= -4095 && site.convention === 'syscall') {
    r.errno = -value;
    v = -1;
  } else if (site.convention === 'none') v = 0;
  else if (r.pendingRet !== null && typeof value === 'number' && value >= 0) v = r.pendingRet;
  r.pendingRet = null;
  r.stack.push(v);
}

/**
 * The next system call of a C library function whose last call the kernel answered (run issues
 * it before any instruction), or null.
 */
export function nextLibcTrap(r: VmRegs): Trap | null {
  const c = r.libc;
  if (c === null || c.next === null) return null;
  const t = c.next;
  c.next = null;
  r.pending = c.site;
  return t;
}

/**
 * A thread that has not started its function yet moves onto the first statement's boundary, as if
 * it had stopped there: nothing runs (the marker does nothing), but the frame now shows the line
 * that runs next, and a step from here runs that statement. Used for the entry stop.
 */
export function enterFirstStatement(regs: UserRegs): void {
  const r = asRegs(regs);
  if (r.fn < 0 || r.stmt >= 0 || r.pending >= 0 || r.ended) return;
  const code = r.image.functions[r.fn].code;
  if (code[r.pc] !== Op.STMT) return;
  r.stmt = code[r.pc + 1];
  r.pc += 2;
  // The statement's instruction is skipped, not free: its slice pays for it as if it ran.
  r.owed += 1;
}

/** Whether a call is waiting for completeCall, and which (its libc name). */
export function pendingCall(regs: UserRegs): string | null {
  const r = asRegs(regs);
  return r.pending >= 0 ? r.image.sites[r.pending].name : null;
}

export function functionAddress(image: Image, name: string): number | undefined {
  const i = image.fnIndex.get(name);
  return i === undefined ? undefined : TEXT_BASE + i * TEXT_STRIDE;
}

/** The function a text address designates (a handler, a thread start routine), if any. */
export function functionAt(image: Image, addr: Value): string | undefined {
  if (typeof addr === 'string') return image.fnIndex.has(addr) ? addr : undefined;
  if (typeof addr !== 'number') return undefined;
  const n = (addr - TEXT_BASE) / TEXT_STRIDE;
  return Number.isInteger(n) && n >= 0 && n < image.functions.length ? image.functions[n].name : undefined;
}

/** Cells of the ucontext_t an SA_SIGINFO handler's third parameter points at (left zero). */
const UCONTEXT_CELLS = 4;

/**
 * Arranges for the handler to run next, as the kernel's setup_rt_frame does: the interrupted
 * context is saved and the handler is entered with signo; its return traps 'rt_sigreturn'.
 *
 * A call still pending (a wait4 or pause the signal interrupted) stays pending in the saved
 * context. Restart convention: before pushing the frame the kernel either completes the call
 * (completeCall with -EINTR) or, for -ERESTARTSYS with SA_RESTART, leaves it pending and issues
 * it again after sigreturn; the VM itself never re-executes a call.
 */
export function pushSignalFrame(image: Image, regs: UserRegs, mem: UserMemory, handler: Value, signo: number, info: number[] | null = null): boolean {
  const r = asRegs(regs);
  const m = asMemory(mem);
  // The C library's own handler of SIGCANCEL: the thread ends if it was cancelled.
  if (handler === SIGCANCEL_HANDLER) return sigcancel(r, m);
  const name = functionAt(image, handler);
  const seg = m.segs[r.stackSeg];
  if (name === undefined || !seg) return false;
  const f = image.functions[image.fnIndex.get(name) as number];
  r.sigframes.push({
    fn: r.fn, pc: r.pc, bp: r.bp, sp: r.sp, stmt: r.stmt, stack: r.stack, frames: r.frames,
    pending: r.pending, pendingRet: r.pendingRet, libc: r.libc, signo,
  });
  // SA_SIGINFO: the rt_sigframe holds the siginfo (and a ucontext) below the handler's frame; the
  // handler's second and third parameters point at them.
  const infoAt = r.sp, extra = info ? info.length + UCONTEXT_CELLS : 0;
  const bo = r.sp + extra - r.stackSeg * SEGMENT_SPAN;
  m.grow(seg, bo + f.frameSize, true);
  for (let i = bo - extra; i < bo + f.frameSize; i++) seg[i] = 0;
  if (info) info.forEach((v, i) => { seg[bo - extra + i] = v; });
  if (f.nparams > 0) seg[bo] = signo;
  if (info && f.nparams > 1) seg[bo + 1] = infoAt;
  if (info && f.nparams > 2) seg[bo + 2] = infoAt + info.length;
  r.fn = f.index; r.pc = 0; r.bp = r.sp + extra; r.sp = r.bp + f.frameSize; r.stmt = -1;
  r.stack = cellArray(); r.frames = []; r.pending = -1; r.pendingRet = null; r.libc = null; r.entered = false;
  return true;
}

/** rt_sigreturn: restores the context the newest signal frame saved. False when there is none. */
export function sigreturn(regs: UserRegs): boolean {
  const r = asRegs(regs);
  const c = r.sigframes.pop();
  if (!c) return false;
  r.fn = c.fn; r.pc = c.pc; r.bp = c.bp; r.sp = c.sp; r.stmt = c.stmt;
  r.stack = c.stack; r.frames = c.frames; r.pending = c.pending; r.pendingRet = c.pendingRet; r.libc = c.libc;
  return true;
}
