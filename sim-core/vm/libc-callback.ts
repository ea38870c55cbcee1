// A C library function calling into the program (an atexit or on_exit handler at main's return,
// a thread's cleanup handlers): the function is entered on the thread's registers, which run.ts
// has written back and reloads after, either as a call returning to r.pc or, for a thread that
// is ending, on the bottom of its stack in place of every frame.
import { describe } from './alu';
import { SEGMENT_SPAN, STACK_LIMIT, TEXT_BASE, TEXT_STRIDE } from './image';
import type { VmMemory } from './memory';
import { FRAME_WORDS, type VmRegs } from './regs';
import type { Value } from './types';

/** Enters routine(args...). Returns null, or why it cannot (a bad pointer, no stack left). */
export function enterCallback(r: VmRegs, mem: VmMemory, routine: Value, args: Value[], bottom: boolean): string | null {
  const fns = r.image.functions;
  const n = typeof routine === 'number' ? (routine - TEXT_BASE) / TEXT_STRIDE : -1;
  if (!Number.isInteger(n) || n < 0 || n >= fns.length) return `call through a bad function pointer (${describe(routine)})`;
  const f = fns[n], segBase = r.stackSeg * SEGMENT_SPAN, seg = mem.segs[r.stackSeg];
  let bo: number;
  if (bottom) {
    // The outermost frame's place: below any signal frame, the start routine's.
    const ctx = r.sigframes.length > 0 ? r.sigframes[0] : r;
    bo = (ctx.frames.length >= FRAME_WORDS ? ctx.frames[2] + segBase : ctx.bp) - segBase;
  } else bo = r.sp - segBase + FRAME_WORDS;
  const end = bo + f.frameSize;
  if (!seg || end > STACK_LIMIT) return 'stack overflow';
  if (seg.length < end && !mem.grow(seg, end)) return 'stack overflow (out of memory)';
  if (bottom) {
    r.sigframes.length = 0;
    r.frames.length = 0;
    r.stack.length = 0;
  } else r.frames.push(r.fn, r.pc, r.bp - segBase, r.sp - segBase, r.stmt);
  for (let i = bo; i < end; i++) seg[i] = 0;
  for (let i = 0; i < args.length && i < f.nparams; i++) seg[bo + i] = args[i];
  r.fn = n; r.pc = 0; r.bp = bo + segBase; r.sp = end + segBase; r.stmt = -1;
  r.pending = -1; r.pendingRet = null; r.libc = null; r.entered = false; r.ended = false;
  return null;
}
