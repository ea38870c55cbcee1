// The LOOP superinstruction's work: whole iterations of a counting loop whose body is one
// arithmetic statement over locals, as many as the budget covers, each charged exactly the
// instructions the plain code runs for it. Kept in its own small function, which V8 optimizes
// long before the dispatch loop, so a hot loop runs fast from its first milliseconds.
import { binary, i32 as int, isBinary } from './alu';
import { Conv, Op } from './opcodes';
import type { StmtInfo } from './image';
import type { Value } from './types';

/**
 * The loop's shape in `code` (fuse.ts checks it):
 *   head: STMT k; INCL i d; LOADL a; PUSH n | LOADL b; LTJZ exit     (5 instructions)
 *   body: STMT s; LOADL x; LOADL a; PUSH n; BIN1 [CONV I32]; BIN2 [CONV I32]; STORELP y
 *      or STMT s; LOADL a; PUSH n | LOADL b; BIN [CONV I32]; STORELP y
 *         JMP head
 * LOOP is written over the body's STMT; the head directly precedes it.
 */
export const HEAD_WORDS = 11;

/** Where a LOOP left the thread (written by runLoop; one object, no allocation per call). */
export interface LoopState {
  /** In: the body's first instruction (its STMT has run). Out: where the dispatch loop goes on. */
  pc: number;
  stmt: number;
  /** Instructions left to run (the body's STMT already charged). */
  budget: number;
}

/** Words of the instructions a loop body may hold. */
function words(op: number): number {
  return op === Op.LOADL || op === Op.PUSH || op === Op.CONV || op === Op.STORELP ? 2 : 1;
}

function i32(code: readonly number[], q: number): boolean {
  return code[q] === Op.CONV && code[q + 1] === Conv.I32;
}

/**
 * The body's JMP from `p` (its first instruction after STMT), or 0 when it is no body LOOP runs.
 */
export function loopBody(code: readonly number[], p: number): number {
  if (code[p] !== Op.LOADL) return 0;
  let q: number;
  if (code[p + 2] === Op.LOADL && code[p + 4] === Op.PUSH && isBinary(code[p + 6])) {
    q = p + 7;
    if (i32(code, q)) q += 2;
    if (!isBinary(code[q])) return 0;
    q++;
  } else if ((code[p + 2] === Op.PUSH || code[p + 2] === Op.LOADL) && isBinary(code[p + 4])) {
    q = p + 5;
  } else return 0;
  if (i32(code, q)) q += 2;
  return code[q] === Op.STORELP && code[q + 2] === Op.JMP ? q + 2 : 0;
}

/**
 * Runs whole iterations from st.pc while the budget covers them, unless a statement of the loop
 * can stop (`stopHere`: statements of this function stop, on the lines flagged in `stopLines`,
 * or on every line when it is null). Leaves the thread at the body's first instruction (budget
 * short of an iteration), at the body's STMT (used up just after the head), or at the loop's exit.
 */
export function runLoop(
  code: readonly number[], s: Value[], bo: number, st: LoopState, stmts: readonly StmtInfo[], stopHere: boolean, stopLines: Uint8Array | null,
): void {
  const p = st.pc;
  const head = p - 2 - HEAD_WORDS;
  const headStmt = code[head + 1], bodyStmt = code[p - 1];
  if (stopHere && (stopLines === null || stopLines[stmts[headStmt].line] === 1 || stopLines[stmts[bodyStmt].line] === 1)) return;
  const jmp = loopBody(code, p);
  if (jmp === 0) return;
  // The body: `y = x op2 (a op1 n)` (three loads) or `y = x op1 n|b` (a pair).
  const pair = !(code[p + 2] === Op.LOADL && code[p + 4] === Op.PUSH);
  const x = bo + code[p + 1];
  let op1: number, op2 = 0, wrap1 = false, wrap2 = false, a = 0, n: number, nLocal = false, q: number;
  if (pair) {
    nLocal = code[p + 2] === Op.LOADL; n = nLocal ? bo + code[p + 3] : code[p + 3]; op1 = code[p + 4];
    q = p + 5;
  } else {
    a = bo + code[p + 3]; n = code[p + 5]; op1 = code[p + 6];
    q = p + 7;
    if (code[q] === Op.CONV) { wrap1 = true; q += 2; }
    op2 = code[q++];
  }
  if (code[q] === Op.CONV) { wrap2 = true; q += 2; }
  const y = bo + code[q + 1];
  // Instructions per iteration: the body, its JMP and the head; the next iteration's STMT apart.
  let cost = 1 + 5;
  for (let r = p; r < jmp; r += words(code[r])) cost++;
  const ii = bo + code[head + 3], d = code[head + 4];
  const ia = bo + code[head + 6];
  const bLocal = code[head + 7] === Op.LOADL, b = bLocal ? bo + code[head + 8] : code[head + 8];
  const exit = code[head + 10];
  let budget = st.budget, pc = p, stmt = st.stmt;
  // One way out, so that the stores below run on every call: a path first taken when the loop
  // ends would otherwise throw away the code V8 optimized while it ran.
  while (budget >= cost) {
    budget -= cost;
    if (pair) {
      const v = binary(op1, s[x], nLocal ? s[n] : n);
      s[y] = wrap2 ? int(v) : v;
    } else {
      const u = binary(op1, s[a], n);
      const v = binary(op2, s[x], wrap1 ? int(u) : u);
      s[y] = wrap2 ? int(v) : v;
    }
    const iv = s[ii];
    s[ii] = typeof iv === 'number' ? (iv + d) | 0 : int(binary(Op.ADD, iv, d));
    stmt = headStmt;
    if (!((s[ia] as number) < ((bLocal ? s[b] : b) as number))) { pc = exit; break; }
    if (budget < 1) { pc = p - 2; break; }
    budget--;
    stmt = bodyStmt;
  }
  st.pc = pc;
  st.stmt = stmt;
  st.budget = budget;
}
