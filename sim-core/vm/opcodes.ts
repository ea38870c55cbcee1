// The VM's instruction set: a flat array of numbers per function, an opcode followed by its
// operands. Kept numeric so the dispatch loop is one switch on small integers.

export const enum Op {
  /** PUSH n: an inline number. */ PUSH = 1,
  /** PUSHK k: constant pool entry k (a string literal, a large number). */ PUSHK,
  POP, DUP,
  /** LOADL off / STOREL off (keeps the value) / STORELP off (pops it): a local cell at bp+off. */
  LOADL, STOREL, STORELP,
  /** The same for globals (segment 0). */
  LOADG, STOREG, STOREGP,
  /** ADDRL off / ADDRG off: the address of a local or global cell. */
  ADDRL, ADDRG,
  /** LOAD: [addr] -> [value]; STORE: [addr, value] -> [value]; STOREP pops both. */
  LOAD, STORE, STOREP,
  ADD, SUB, MUL, DIV, MOD, SHL, SHR, AND, OR, XOR, NEG, BNOT, LNOT,
  EQ, NE, LT, LE, GT, GE,
  /** CONV kind: converts the top to a narrower integer type (Conv). */ CONV,
  /** JMP t / JZ t / JNZ t: absolute pc in the function's code. */
  JMP, JZ, JNZ,
  /** CALL fn argc: a scenario function by index. CALLI argc: through a text address under the args. */
  CALL, CALLI, RET,
  /** SYS site: a call the kernel answers (a trap). PURE site: a library helper the VM evaluates. */
  SYS, PURE,
  /** STMT id: a statement boundary (a step point). */ STMT,
  /** FIELD k: reads field consts[k] of the KRef on top through the host. */ FIELD,
  LOAD_ERRNO, STORE_ERRNO,
  /** ZERO n: [addr] -> [], clears n cells. COPY n: [dst, src] -> [], copies n cells. */
  ZERO, COPY,
  /** INCL off delta: adds delta to an int local and wraps it to 32 bits (i++ as a statement). */
  INCL,
  /** LTJZ t: [a, b] -> [], jumps when !(a < b) (the test of a counting loop). */
  LTJZ,
  /** FOP k: floating +, -, *, / (two operands) or negation (one), in double or float (float.ts FOp). */
  FOP,

  // Superinstructions. The compiler never emits them: fuse.ts writes one over the first opcode of
  // a sequence in the function's dispatch copy (FnCode.fast), and its operands are those of the
  // sequence, read where the sequence has them. Each does what the sequence does and counts as
  // that many instructions against the budget; with less budget left it does the first alone.
  /** STMT k; INCL i d; LOADL i; PUSH n (FOR_K) or LOADL n (FOR_L); LTJZ t: a for loop's step and test. */
  FOR_K, FOR_L,
  /** LOADL a; PUSH n (LTJZ_K) or LOADL b (LTJZ_L); LTJZ t. */
  LTJZ_K, LTJZ_L,
  /** LOADL a; PUSH n; BIN (LK_BIN); with CONV I32 after it (LK_BIN32). BIN: an operator without operand. */
  LK_BIN, LK_BIN32,
  /** LOADL a; LOADL b; BIN [CONV I32]. */
  LL_BIN, LL_BIN32,
  /** PUSH n; BIN [CONV I32]: the top combined with a constant. */
  K_BIN, K_BIN32,
  /** LOADL b; BIN [CONV I32]: the top combined with a local. */
  L_BIN, L_BIN32,
  /** BIN [CONV I32]; STORELP x: the result goes to a local. */
  BIN_STL, BIN32_STL,
  /** LOADL x; LOADL a; PUSH n; BIN1 [CONV I32]; BIN2 [CONV I32]; STORELP y: `y = x op2 (a op1 n)`, `x += a & n`. */
  L_LK_STL,
  /** ADD; LOAD: an element through a pointer and an index. */
  ADD_LOAD,
  /** LOADL a; PUSH n; MUL k: a local times a constant. */
  LK_MUL,
  /** JMP t to a FOR_K or FOR_L: a loop's back edge with the step and test it jumps to. */
  JMP_FOR,
  /**
   * STMT s over the body of a FOR_K or FOR_L loop that is one arithmetic statement over locals
   * (loop.ts): the statement, then as many whole iterations as the budget covers.
   */
  LOOP,
}

/** Integer conversions applied when a value is stored into, or cast to, another integer type. */
export const enum Conv {
  I32 = 0, U32, I16, U16, I8, U8, BOOL, I64, U64,
  /** An integer to double (F64) or float (F32), rounded to nearest; a double to float (D2F). */
  F64, F32, D2F,
  /** A double or float to int, unsigned int, long, unsigned long (truncated toward zero), _Bool. */
  FI32, FU32, FI64, FU64, FBOOL,
}
