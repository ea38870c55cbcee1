// Instructions the dispatch loop runs out of line: the rare ones (division, 64-bit shifts,
// indirect calls, kernel fields, block copies) and the slow paths of common ones. Kept apart so
// that the loop stays small, which makes it quick to optimize and keeps its type feedback stable.
// Each pushes what its instruction pushes and returns a fault message, '' when there is none.
import { describe } from './alu';
import { intToFloat, num, toInt, toLong, toUint, toUlong } from './float';
import { divmod, shift as shiftBy, toI32, toI64, toU32, toU64 } from './int64';
import { TEXT_BASE, TEXT_STRIDE } from './image';
import type { VmMemory } from './memory';
import { Conv, Op } from './opcodes';
import type { Value, VmHost } from './types';

/** LOAD outside the running thread's stack: other segments, string literals, bad addresses. */
export function load(m: VmMemory, a: Value | undefined, stack: Value[]): string {
  let v: Value | undefined;
  if (typeof a === 'number') v = m.load(a);
  else if (typeof a === 'string') v = a.length > 0 ? (a.charCodeAt(0) << 24) >> 24 : 0;
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

/** DIV or MOD of kind k (Kind in int64.ts); a fault (SIGFPE) where x86's div and idiv trap. */
export function divide(op: Op, k: number, stack: Value[]): string {
  const b = stack.pop(), a = stack.pop();
  const v = divmod(op === Op.DIV, k, a, b);
  if (typeof v === 'string') { stack.push(0); return v; }
  stack.push(v);
  return '';
}

/** SHL or SHR of kind k. */
export function shift(op: Op, k: number, stack: Value[]): void {
  const b = stack.pop(), a = stack.pop();
  stack.push(shiftBy(op === Op.SHL, k, a, b));
}

/** CONV of kind k other than a number to int (which the loop does itself). */
export function convert(k: number, v: Value | undefined): number | bigint {
  switch (k) {
    case Conv.I32: return toI32(v);
    case Conv.U32: return toU32(v);
    case Conv.I16: return (toI32(v) << 16) >> 16;
    case Conv.U16: return toI32(v) & 0xffff;
    case Conv.I8: return (toI32(v) << 24) >> 24;
    case Conv.U8: return toI32(v) & 0xff;
    case Conv.I64: return toI64(v);
    case Conv.U64: return toU64(v);
    case Conv.F64: return typeof v === 'bigint' ? Number(v) : num(v);
    case Conv.F32: return intToFloat(v);
    case Conv.D2F: return Math.fround(num(v));
    case Conv.FI32: return toInt(num(v));
    case Conv.FU32: return toUint(num(v));
    case Conv.FI64: return toLong(num(v));
    case Conv.FU64: return toUlong(num(v));
    case Conv.FBOOL: return num(v) === 0 ? 0 : 1; // NaN is true
    // A string literal or a kernel handle is a non-null pointer.
    default: return v === 0 || v === undefined ? 0 : 1;
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

/**
 * The `argc` values on top of the stack, popped, first argument first, for a call of library
 * function `name`. The printf family formats every integer exactly; other functions and the
 * kernel take their integers as numbers (a value beyond 2^53 is a nonsense size or id for them).
 */
export function popArgs(stack: Value[], argc: number, name: string): Value[] {
  const base = stack.length - argc;
  const args = new Array<Value>(argc);
  let wide = false;
  for (let i = 0; i < argc; i++) { const v = stack[base + i]; args[i] = v; if (typeof v === 'bigint') wide = true; }
  for (let i = 0; i < argc; i++) stack.pop();
  if (wide && !FORMATS.test(name)) for (let i = 0; i < argc; i++) if (typeof args[i] === 'bigint') args[i] = Number(args[i]);
  return args;
}

/**
 * Library functions that take 64-bit integers exactly: the printf family (printk, pr_info, ...),
 * labs and llabs, a union member's store, and list.h's operations (a poisoned link, 0xdead000000000100, must reach them as it is).
 */
const FORMATS = /printf$|^printk$|^pr_[a-z]+$|^ll?abs$|^list_|^INIT_LIST_HEAD$|^__le_store$/;

/** FIELD: a field of the kernel object whose handle is on top. */
export function field(host: VmHost, name: string, stack: Value[]): string {
  const ref = stack.pop();
  if (typeof ref !== 'object' && (typeof ref !== 'number' || ref === 0)) {
    stack.push(0);
    return ref === 0 || ref === undefined ? `NULL pointer dereference reading ->${name}` : `reading ->${name} through ${describe(ref)}`;
  }
  stack.push(host.readField(ref, name));
  return '';
}

/** ZERO n: clears n cells at the address on top. */
export function zero(m: VmMemory, n: number, stack: Value[]): string {
  const a = stack.pop();
  if (typeof a !== 'number') return `invalid write at ${describe(a)}`;
  for (let i = 0; i < n; i++) if (!m.store(a + i, 0)) return `invalid write at ${describe(a + i)}`;
  return '';
}

/** COPY n: copies n cells from the address on top to the one under it. */
export function copy(m: VmMemory, n: number, stack: Value[]): string {
  const src = stack.pop(), dst = stack.pop();
  if (typeof src !== 'number' || typeof dst !== 'number') return `invalid copy between ${describe(src)} and ${describe(dst)}`;
  for (let i = 0; i < n; i++) {
    const v = m.load(src + i);
    if (v === undefined || !m.store(dst + i, v)) return `invalid copy between ${describe(src)} and ${describe(dst)}`;
  }
  return '';
}
