// setjmp and longjmp: glibc's __sigsetjmp keeps the caller's registers in the jmp_buf, and
// __longjmp loads them back, which drops every frame pushed since (signal frames included, since
// they too are only memory on the stack). Here the registers are the VM's: the function, pc,
// frame and stack pointers, statement, how many caller frames and signal frames lie below, and
// the operand stack (the expression the call sits in).
import { JB_OPERANDS, JB_REGS } from './ctypes';
import { Fault } from './libc-fault';
import { SEGMENT_SPAN, type CallSite } from './image';
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Trap, Value } from './types';

/** The <setjmp.h> functions the VM runs itself (run.ts hands them the live registers). */
export const JMP_CALLS: ReadonlySet<string> = new Set(['setjmp', '_setjmp', 'sigsetjmp', 'longjmp', '_longjmp', 'siglongjmp']);

const SIG_BLOCK = 0, SIG_SETMASK = 2, SIG_SETSIZE = 8;
/** Cells of the jmp_buf: __mask_was_saved and __saved_mask follow the saved registers. */
const MASK_SAVED = JB_REGS, SAVED_MASK = JB_REGS + 1, OPERANDS = JB_REGS + 2;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/**
 * setjmp, sigsetjmp, longjmp or siglongjmp at `site`, with the thread's registers written back
 * (pc past the call). Returns what the call does: its result (setjmp's 0), a system call
 * (sigsetjmp reading the mask, siglongjmp setting it), a Fault, or null when the thread has
 * jumped (the registers are the setjmp's, and val is on the operand stack).
 */
export function jmpCall(site: CallSite, a: Value[], mem: VmMemory, r: VmRegs): Trap | Fault | number | null {
  const env = num(a[0]);
  if (site.name === 'longjmp' || site.name === '_longjmp' || site.name === 'siglongjmp') {
    // __longjmp returns val there, and 1 for 0 (setjmp's 0 must stay the first return).
    const val = num(a[1]) | 0 || 1;
    const saved = mem.load(env + MASK_SAVED);
    if (saved === undefined) return new Fault('SIGSEGV', `${site.name}: bad jmp_buf pointer`);
    const bad = jumpTarget(r, mem, env);
    if (bad !== '') return new Fault('SIGSEGV', `${site.name}: ${bad}`);
    if (saved !== 0) {
      // The mask sigsetjmp saved comes back first (__sigprocmask), then the jump (resumeJump).
      r.libc = { op: 'longjmp', site: r.image.sites.indexOf(site), step: 0, v: [env, val], next: null };
      return { kind: 'syscall', name: 'rt_sigprocmask', args: [SIG_SETMASK, env + SAVED_MASK, 0, SIG_SETSIZE], line: site.line };
    }
    jump(r, mem, env);
    r.stack.push(val);
    return null;
  }
  // setjmp: the registers, the depths below, the operand stack.
  if (r.stack.length > JB_OPERANDS) return new Fault('SIGSEGV', `${site.name}: called inside an expression too deep to save`);
  const words: Value[] = [r.fn, r.pc, r.bp, r.sp, r.stmt, r.frames.length, r.sigframes.length, r.stack.length];
  const savemask = site.name === 'sigsetjmp' && num(a[1]) !== 0 ? 1 : 0;
  words.push(savemask);
  for (let i = 0; i < words.length; i++) {
    if (!mem.store(env + i, words[i])) return new Fault('SIGSEGV', `${site.name}: bad jmp_buf pointer`);
  }
  for (let i = 0; i < r.stack.length; i++) {
    if (!mem.store(env + OPERANDS + i, r.stack[i])) return new Fault('SIGSEGV', `${site.name}: bad jmp_buf pointer`);
  }
  if (savemask === 0) return 0;
  // sigsetjmp(env, 1): __sigjmp_save reads the mask with sigprocmask(SIG_BLOCK, NULL, &env->__saved_mask).
  r.pendingRet = 0;
  return { kind: 'syscall', name: 'rt_sigprocmask', args: [SIG_BLOCK, 0, env + SAVED_MASK, SIG_SETSIZE], line: site.line };
}

/** siglongjmp once the kernel has set the mask back: the jump itself; val is the call's result. */
export function resumeJump(r: VmRegs, mem: VmMemory, v: Value[]): Value {
  const env = num(v[0]);
  if (jumpTarget(r, mem, env) === '') jump(r, mem, env);
  return v[1] ?? 1;
}

/** The registers a jmp_buf holds, or null when it is not mapped. */
function savedWords(mem: VmMemory, env: number): number[] | null {
  const w: number[] = [];
  for (let i = 0; i < JB_REGS; i++) {
    const c = mem.load(env + i);
    if (typeof c !== 'number') return null;
    w.push(c);
  }
  return w;
}

/**
 * Why the jump cannot be made ('' when it can): the jmp_buf was never filled, or the function
 * that called setjmp has returned (its frame is gone, or another function's frame is there now).
 */
function jumpTarget(r: VmRegs, mem: VmMemory, env: number): string {
  const w = savedWords(mem, env);
  if (w === null) return 'bad jmp_buf pointer';
  const [fn, , bp, , , depth, sigDepth, nops] = w;
  const fnOk = Number.isInteger(fn) && fn >= 0 && fn < r.image.functions.length;
  if (!fnOk || sigDepth > r.sigframes.length || nops > JB_OPERANDS || nops < 0 || bp === 0) return 'the jmp_buf was not filled by setjmp';
  // The context setjmp ran in: this one, or one a signal frame saved when a handler began.
  const ctx = sigDepth < r.sigframes.length ? r.sigframes[sigDepth] : r;
  const f = ctx.frames, base = r.stackSeg * SEGMENT_SPAN;
  const live = f.length === depth ? ctx.fn === fn && ctx.bp === bp : f.length > depth && f[depth] === fn && f[depth + 2] + base === bp;
  return live ? '' : 'the function that called setjmp has returned';
}

/** Puts the registers of a jmp_buf jumpTarget accepted back: frames above it and signal frames are dropped. */
function jump(r: VmRegs, mem: VmMemory, env: number): void {
  const w = savedWords(mem, env) as number[];
  const [fn, pc, bp, sp, stmt, depth, sigDepth, nops] = w;
  // The arrays are changed in place: the dispatch loop holds them.
  if (sigDepth < r.sigframes.length) {
    const f = r.sigframes[sigDepth].frames;
    r.frames.length = 0;
    for (let i = 0; i < depth; i++) r.frames.push(f[i]);
    r.sigframes.length = sigDepth;
  } else r.frames.length = depth;
  r.stack.length = 0;
  for (let i = 0; i < nops; i++) r.stack.push(mem.load(env + OPERANDS + i) ?? 0);
  r.fn = fn; r.pc = pc; r.bp = bp; r.sp = sp; r.stmt = stmt;
  r.pending = -1; r.pendingRet = null; r.libc = null; r.entered = false;
}
