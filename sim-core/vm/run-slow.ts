// Instructions the dispatch loop runs out of line: the rare ones (division, 64-bit shifts,
// indirect calls, kernel fields, block copies) and the slow paths of common ones. Kept apart so
// that the loop stays small, which makes it quick to optimize and keeps its type feedback stable.
// Each pushes what its instruction pushes and returns a fault message, '' when there is none.
import { describe } from './alu';
import { TEXT_BASE, TEXT_STRIDE } from './image';
import type { VmMemory } from './memory';
import { Conv, Op } from './opcodes';
import type { Value, VmHost } from './types';

/** LOAD outside the running thread's stack: other segments, string literals, bad addresses. */
export function load(m: VmMemory, a: Value | undefined, stack: Value[]): string {
  let v: Value | undefined;
  if (typeof a === 'number') v = m.load(a);
  else if (typeof a === 'string') v = a.length > 0 ? a.charCodeAt(0) & 0xff : 0;
  if (v === undefined) {
    stack.push(0);
    return a === 0 || a === undefined ? 'NULL pointer dereference' : `invalid read at ${describe(a)}`;
  }
  stack.push(v);
  return '';
}

/** Why a STORE to `a` failed. */
export function storeFault(a: Value | undefined): string {
  return a === 0 ? 'NULL pointer dereference' : typeof a === 'string' ? 'write into a string literal' : `invalid write at ${describe(a)}`;
}

/** DIV or MOD of kind k (Kind in fold.ts); a fault (SIGFPE) where x86's idiv traps. */
export function divide(op: Op, k: number, stack: Value[]): string {
  const b = stack.pop() as number, a = stack.pop() as number;
  if (b === 0 || (k === 1 && a === -2147483648 && b === -1)) {
    stack.push(0);
    return b === 0 ? 'integer divide by zero' : 'integer overflow in division';
  }
  if (op === Op.DIV) stack.push(k === 1 ? (a / b) | 0 : Math.trunc(a / b) + 0);
  else stack.push(k === 1 ? (a % b) | 0 : (a % b) + 0);
  return '';
}

/** SHL or SHR of kind k. */
export function shift(op: Op, k: number, stack: Value[]): void {
  const b = stack.pop() as number, a = stack.pop() as number;
  if (op === Op.SHL) stack.push(k === 1 ? a << b : k === 2 ? (a << b) >>> 0 : Number(BigInt.asIntN(64, BigInt(Math.trunc(a)) << BigInt(b & 63))));
  else stack.push(k === 1 ? a >> b : k === 2 ? a >>> b : Math.floor(a / 2 ** (b & 63)));
}

/** CONV other than to int (which the loop does itself). */
export function convert(k: number, v: number): number {
  switch (k) {
    case Conv.U32: return v >>> 0;
    case Conv.I16: return (v << 16) >> 16;
    case Conv.U16: return v & 0xffff;
    case Conv.I8: return (v << 24) >> 24;
    case Conv.U8: return v & 0xff;
    default: return v === 0 ? 0 : 1;
  }
}

/**
 * CALLI: takes the text address from under the `argc` arguments and returns the function's
 * index, or (the arguments dropped and 0 pushed) the fault of a bad function pointer.
 */
export function indirect(stack: Value[], argc: number, functions: number): number | string {
  const addr = stack[stack.length - 1 - argc];
  stack.splice(stack.length - 1 - argc, 1);
  const n = typeof addr === 'number' ? (addr - TEXT_BASE) / TEXT_STRIDE : -1;
  if (Number.isInteger(n) && n >= 0 && n < functions) return n;
  stack.length -= argc;
  stack.push(0);
  return `call through a bad function pointer (${describe(addr)})`;
}

/** The `argc` values on top of the stack, popped, first argument first. */
export function popArgs(stack: Value[], argc: number): Value[] {
  const base = stack.length - argc;
  const args = new Array<Value>(argc);
  for (let i = 0; i < argc; i++) args[i] = stack[base + i];
  for (let i = 0; i < argc; i++) stack.pop();
  return args;
}

/** FIELD: a field of the kernel object whose handle is on top. */
export function field(host: VmHost, name: string, stack: Value[]): string {
  const ref = stack.pop();
  if (typeof ref !== 'object') { stack.push(0); return `reading ->${name} through ${describe(ref)}`; }
  stack.push(host.readField(ref, name));
  return '';
}

/** ZERO n: clears n cells at the address on top. */
export function zero(m: VmMemory, n: number, stack: Value[]): string {
  const a = stack.pop() as number;
  for (let i = 0; i < n; i++) if (!m.store(a + i, 0)) return `invalid write at ${describe(a + i)}`;
  return '';
}

/** COPY n: copies n cells from the address on top to the one under it. */
export function copy(m: VmMemory, n: number, stack: Value[]): string {
  const src = stack.pop() as number, dst = stack.pop() as number;
  for (let i = 0; i < n; i++) {
    const v = m.load(src + i);
    if (v === undefined || !m.store(dst + i, v)) return `invalid copy between ${describe(src)} and ${describe(dst)}`;
  }
  return '';
}
