// Superinstructions: a function's dispatch copy of its code, where the first opcode of common
// sequences (a for loop's step and test, `x += a & 7`, an operator with its operands' loads) is
// replaced by one instruction that does the whole sequence. Only opcodes change: every operand,
// and every instruction inside a sequence, stays where it was, so a jump into a sequence, a
// return address or a pc saved at a trap runs the original instructions from there.
import { isBinary } from './alu';
import { HEAD_WORDS, loopBody } from './loop';
import { Conv, Op } from './opcodes';

/** Words an instruction takes (opcode and operands). */
export function width(op: number): number {
  switch (op) {
    case Op.INCL: case Op.CALL: return 3;
    case Op.PUSH: case Op.PUSHK: case Op.LOADL: case Op.STOREL: case Op.STORELP: case Op.LOADG: case Op.STOREG:
    case Op.STOREGP: case Op.ADDRL: case Op.ADDRG: case Op.MUL: case Op.DIV: case Op.MOD: case Op.SHL: case Op.SHR:
    case Op.CONV: case Op.JMP: case Op.JZ: case Op.JNZ: case Op.CALLI: case Op.SYS: case Op.PURE: case Op.STMT:
    case Op.FIELD: case Op.ZERO: case Op.COPY: case Op.LTJZ: case Op.FOP:
      return 2;
    default: return 1;
  }
}

/** The dispatch copy of `code`: the same words, with superinstruction opcodes where they apply. */
export function fuse(code: readonly number[]): number[] {
  const fast = code.slice();
  for (let pc = 0; pc < code.length; pc += width(code[pc])) {
    const op = superinstruction(code, pc);
    if (op !== 0) fast[pc] = op;
  }
  // Back edges, once the loop heads they jump to are known.
  for (let pc = 0; pc < code.length; pc += width(code[pc])) {
    if (code[pc] === Op.JMP && (fast[code[pc + 1]] === Op.FOR_K || fast[code[pc + 1]] === Op.FOR_L)) fast[pc] = Op.JMP_FOR;
  }
  // Loops whose body is one arithmetic statement: the head right before the body's STMT, the
  // body's JMP back to the head.
  for (let pc = 0; pc < code.length; pc += width(code[pc])) {
    const head = pc - HEAD_WORDS;
    if (code[pc] !== Op.STMT || head < 0 || (fast[head] !== Op.FOR_K && fast[head] !== Op.FOR_L)) continue;
    const jmp = loopBody(code, pc + 2);
    if (jmp !== 0 && code[jmp + 1] === head) fast[pc] = Op.LOOP;
  }
  return fast;
}

function superinstruction(code: readonly number[], pc: number): number {
  // The opcodes of the instructions from pc on (0 past the end).
  const ops: number[] = [];
  const at: number[] = [];
  for (let p = pc; p < code.length && ops.length < 8; p += width(code[p])) { ops.push(code[p]); at.push(p); }
  while (ops.length < 8) ops.push(0);
  const i32 = (k: number): boolean => ops[k] === Op.CONV && code[at[k] + 1] === Conv.I32;
  switch (ops[0]) {
    case Op.STMT:
      if (ops[1] === Op.INCL && ops[2] === Op.LOADL && ops[4] === Op.LTJZ) {
        if (ops[3] === Op.PUSH) return Op.FOR_K;
        if (ops[3] === Op.LOADL) return Op.FOR_L;
      }
      return 0;
    case Op.LOADL:
      if (ops[2] === Op.LTJZ) return ops[1] === Op.PUSH ? Op.LTJZ_K : ops[1] === Op.LOADL ? Op.LTJZ_L : 0;
      if (ops[1] === Op.LOADL && ops[2] === Op.PUSH && isBinary(ops[3])) {
        // LOADL x; LOADL a; PUSH n; BIN1 [CONV I32]; BIN2 [CONV I32]; STORELP y
        let k = 4;
        if (ops[k] === Op.CONV) { if (!i32(k)) return 0; k++; }
        if (!isBinary(ops[k])) return 0;
        k++;
        if (ops[k] === Op.CONV) { if (!i32(k)) return 0; k++; }
        return ops[k] === Op.STORELP ? Op.L_LK_STL : 0;
      }
      if ((ops[1] === Op.PUSH || ops[1] === Op.LOADL) && isBinary(ops[2])) {
        const k = ops[1] === Op.PUSH;
        if (i32(3)) return k ? Op.LK_BIN32 : Op.LL_BIN32;
        return k ? Op.LK_BIN : Op.LL_BIN;
      }
      if (isBinary(ops[1])) return i32(2) ? Op.L_BIN32 : Op.L_BIN;
      if (ops[1] === Op.PUSH && ops[2] === Op.MUL) return Op.LK_MUL;
      return 0;
    case Op.PUSH:
      if (isBinary(ops[1])) return i32(2) ? Op.K_BIN32 : Op.K_BIN;
      return 0;
    default:
      if (!isBinary(ops[0])) return 0;
      if (ops[0] === Op.ADD && ops[1] === Op.LOAD) return Op.ADD_LOAD;
      if (ops[1] === Op.STORELP) return Op.BIN_STL;
      if (i32(1) && ops[2] === Op.STORELP) return Op.BIN32_STL;
      return 0;
  }
}
