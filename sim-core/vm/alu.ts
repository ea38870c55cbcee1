// The VM's operators on cell values, shared by the dispatch loop's plain and fused instructions:
// C's bitwise operators on 64-bit values, pointer arithmetic on string literals, equality of
// kernel handles, and one entry point for the operators that take no operand.
import { Op } from './opcodes';
import type { KRef, Value } from './types';

export function bitop(op: Op, a: number, b: number): number {
  if ((a | 0) === a && (b | 0) === b) return op === Op.AND ? a & b : op === Op.OR ? a | b : a ^ b;
  const x = BigInt(Math.trunc(a)), y = BigInt(Math.trunc(b));
  return Number(BigInt.asIntN(64, op === Op.AND ? x & y : op === Op.OR ? x | y : x ^ y));
}

export function equal(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object') return (a as KRef).id === (b as KRef).id && (a as KRef).kref === (b as KRef).kref;
  return false;
}

/** Pointer arithmetic on a string literal's cell moves within the string (`s + 1`). */
export function add(a: Value | undefined, b: Value | undefined): Value {
  if (typeof a === 'string' && typeof b === 'number') return a.slice(b);
  if (typeof b === 'string' && typeof a === 'number') return b.slice(a);
  return (a as number) + (b as number);
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
    case Op.SUB: return (a as number) - (b as number);
    case Op.AND: case Op.OR: case Op.XOR: return bitop(op, a as number, b as number);
    case Op.EQ: return equal(a, b) ? 1 : 0;
    case Op.NE: return equal(a, b) ? 0 : 1;
    case Op.LT: return (a as number) < (b as number) ? 1 : 0;
    case Op.LE: return (a as number) <= (b as number) ? 1 : 0;
    case Op.GT: return (a as number) > (b as number) ? 1 : 0;
    default: return (a as number) >= (b as number) ? 1 : 0;
  }
}

export function describe(a: Value | undefined): string {
  if (typeof a === 'number') return `0x${a.toString(16)}`;
  if (typeof a === 'string') return 'a string literal';
  return a === undefined ? 'an undefined value' : `a task handle`;
}
