// The VM's operators on cell values, shared by the dispatch loop's plain and fused instructions:
// the operators without an operand on exact 64-bit values (int64.ts), pointer arithmetic on
// string literals, equality of kernel handles, and one entry point for all of them.
import { addInt, big, bits, subInt, toNumber } from './int64';
import { Op } from './opcodes';
import type { KRef, Value } from './types';

export function bitop(op: Op, a: Value | undefined, b: Value | undefined): number | bigint {
  return bits(op === Op.AND ? 0 : op === Op.OR ? 1 : 2, a, b);
}

/** The conversion to int that follows an int operator (CONV I32), also for a value off the number path. */
export { toI32 as i32 } from './int64';

export function equal(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object') return (a as KRef).id === (b as KRef).id && (a as KRef).kref === (b as KRef).kref;
  return false;
}

/** Pointer arithmetic on a string literal's cell moves within the string (`s + 1`). */
export function add(a: Value | undefined, b: Value | undefined): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= Number.MAX_SAFE_INTEGER && r >= -Number.MAX_SAFE_INTEGER) return r;
  }
  if (typeof a === 'string') return a.slice(toNumber(b));
  if (typeof b === 'string') return b.slice(toNumber(a));
  return addInt(a, b);
}

/**
 * `a - b`. On a string literal: moving back before its start leaves the literal (0); two places
 * in one literal (`p - s` after `p = s + 3`) differ by the characters between them.
 */
export function sub(a: Value | undefined, b: Value | undefined): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= Number.MAX_SAFE_INTEGER && r >= -Number.MAX_SAFE_INTEGER) return r;
  }
  if (typeof a === 'string') {
    if (typeof b === 'string') return b.endsWith(a) || a.endsWith(b) ? b.length - a.length : 0;
    const n = toNumber(b);
    return n <= 0 ? a.slice(-n) : 0;
  }
  return subInt(a, b);
}

/** The operators without an operand that fuse.ts combines with their operands' loads. */
export function isBinary(op: number): boolean {
  return op === Op.ADD || op === Op.SUB || op === Op.AND || op === Op.OR || op === Op.XOR
    || op === Op.EQ || op === Op.NE || op === Op.LT || op === Op.LE || op === Op.GT || op === Op.GE;
}

/** `a op b` for an operator isBinary accepts, exactly as its own instruction computes it. */
export function binary(op: number, a: Value | undefined, b: Value | undefined): Value {
  // Two small integers, the common case, without a call.
  if (typeof a === 'number' && typeof b === 'number' && (a | 0) === a && (b | 0) === b) {
    switch (op) {
      case Op.ADD: return a + b;
      case Op.SUB: return a - b;
      case Op.AND: return a & b;
      case Op.OR: return a | b;
      case Op.XOR: return a ^ b;
      case Op.EQ: return a === b ? 1 : 0;
      case Op.NE: return a !== b ? 1 : 0;
      case Op.LT: return a < b ? 1 : 0;
      case Op.LE: return a <= b ? 1 : 0;
      case Op.GT: return a > b ? 1 : 0;
      default: return a >= b ? 1 : 0;
    }
  }
  switch (op) {
    case Op.ADD: return add(a, b);
    case Op.SUB: return sub(a, b);
    case Op.AND: case Op.OR: case Op.XOR: return bitop(op, a, b);
    case Op.EQ: return equal(a, b) ? 1 : 0;
    case Op.NE: return equal(a, b) ? 0 : 1;
    // Numbers and bigints compare exactly with each other.
    case Op.LT: return (a as number) < (b as number) ? 1 : 0;
    case Op.LE: return (a as number) <= (b as number) ? 1 : 0;
    case Op.GT: return (a as number) > (b as number) ? 1 : 0;
    default: return (a as number) >= (b as number) ? 1 : 0;
  }
}

export function describe(a: Value | undefined): string {
  if (typeof a === 'number' || typeof a === 'bigint') return `0x${BigInt.asUintN(64, big(a)).toString(16)}`;
  if (typeof a === 'string') return 'a string literal';
  return a === undefined ? 'an undefined value' : `a task handle`;
}
