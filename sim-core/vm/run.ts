// The dispatch loop: executes a thread's bytecode on its registers and memory until a Trap.
// One switch on numeric opcodes read from the superinstruction copy of the code (fuse.ts),
// locals read straight from the stack segment's array, no allocation per instruction, rare
// instructions out of line (run-slow.ts); every exit writes the live registers back first.
import { add, binary, bitop, equal, i32, sub } from './alu';
import { Done, Fault, pureCall, syscallTrap } from './libc';
import { nextLibcTrap } from './entry';
import { runLoop, type LoopState } from './loop';
import { returnTrap } from './libc-calls';
import { spinHeld } from './libc-spin';
import { atexitStep } from './libc-state';
import { qsortStep } from './libc-qsort';
import { jmpCall, JMP_CALLS } from './libc-jmp';
import { cancelPending, cleanupCall, CLEANUP_CALLS, exitingReturn, leaveCancelPoint } from './libc-cancel';
import { enterCallback } from './libc-callback';
import { bnot, mul, neg } from './int64';
import { fop, FOp } from './float';
import { convert, copy, divide, field, indirect, load, popArgs, shift, storeFault, zero } from './run-slow';
import { SEGMENT_SPAN, STACK_LIMIT, type Image } from './image';
import { VmMemory } from './memory';
import { Conv, Op } from './opcodes';
import { FRAME_WORDS, VmRegs } from './regs';
import type { Trap, UserMemory, UserRegs, Value, VmHost } from './types';

export interface RunOptions {
  /**
   * Instructions to execute at most before a 'budget' trap. At a 'statement' or 'call' trap, run
   * leaves here what is left of it, so that a debugger's traps never change how far a slice goes.
   */
  budget: number;
  /** Stop with a 'statement' trap before each statement. */
  stopAtStatements: boolean;
  /**
   * With stopAtStatements, only statements on lines flagged 1 here stop (line breakpoints); null:
   * all. A change of the lines is a new array: which functions have such lines is cached per array.
   */
  stopLines?: Uint8Array | null;
  /** Stop with a 'call' trap on entry to each scenario function. */
  callTraps?: boolean;
}

/** The one 'budget' trap run returns: callers may test for it by identity. */
export const BUDGET: Trap = { kind: 'budget' };
/** LOOP's in and out (one object for every run). */
const loopState: LoopState = { pc: 0, stmt: 0, budget: 0 };

/** Per function of `image`, 1 when one of its statements is on a line flagged in `lines`. */
let flagsFor: { lines: Uint8Array; image: Image; fns: Uint8Array } | null = null;

function functionsWithLines(image: Image, lines: Uint8Array): Uint8Array {
  if (flagsFor !== null && flagsFor.lines === lines && flagsFor.image === image) return flagsFor.fns;
  const fns = new Uint8Array(image.functions.length);
  image.functions.forEach((f, i) => { if (f.stmts.some((st) => lines[st.line] === 1)) fns[i] = 1; });
  flagsFor = { lines, image, fns };
  return fns;
}

export function asRegs(r: UserRegs): VmRegs {
  if (!(r instanceof VmRegs)) throw new TypeError('registers were not created by this VM');
  return r;
}

export function asMemory(m: UserMemory): VmMemory {
  if (!(m instanceof VmMemory)) throw new TypeError('memory was not created by this VM');
  return m;
}

export function run(image: Image, regs: UserRegs, memory: UserMemory, host: VmHost, opts: RunOptions): Trap {
  const r = asRegs(regs);
  const m = asMemory(memory);
  if (r.pending >= 0) throw new Error('run: the pending call has not been completed (completeCall)');
  let budget = opts.budget;
  // Library work done already (a long memset, a printf's formatting) is paid for first.
  if (r.owed > 0) {
    const pay = Math.min(r.owed, Math.max(0, budget));
    r.owed -= pay;
    budget -= pay;
    if (r.owed > 0 || budget <= 0) return BUDGET;
  }
  // A C library function between two system calls makes its next one first.
  if (r.libc !== null) { const queued = nextLibcTrap(r); if (queued !== null) return queued; }
  if (r.fn < 0 || r.ended) return { kind: 'syscall', name: r.onReturn, args: [0], line: -1 };
  const fns = image.functions, consts = image.consts, sites = image.sites;
  if (r.pc === 0 && r.stmt < 0 && opts.callTraps === true && !r.entered) {
    r.entered = true;
    opts.budget = budget;
    return { kind: 'call', fn: fns[r.fn].name, line: fns[r.fn].line };
  }
  r.entered = false;
  const stack = r.stack, frames = r.frames;
  const glob = m.segs[0] as Value[];
  const segBase = r.stackSeg * SEGMENT_SPAN;
  const stk = m.segs[r.stackSeg];
  const stopStmt = opts.stopAtStatements, callTraps = opts.callTraps === true;
  const stopLines = opts.stopLines ?? null;
  // Statements can stop only in functions with a flagged line: elsewhere STMT is one test.
  const stopFns = stopStmt && stopLines !== null ? functionsWithLines(image, stopLines) : null;
  let fi = r.fn, code = fns[fi].code, fast = fns[fi].fast ?? code, pc = r.pc, bo = r.bp - segBase, so = r.sp - segBase, stmt = r.stmt;
  let stopHere = stopStmt && (stopFns === null || stopFns[fi] === 1);
  let fault = '';
  let sig: 'SIGSEGV' | 'SIGFPE' | 'SIGILL' | 'SIGBUS' = 'SIGSEGV';
  if (!stk) { fault = 'the thread\'s stack is not mapped'; budget = -1; }

  const s = stk as Value[];

  loop: for (;;) {
    if (--budget < 0) break;
    const op = fast[pc++];
    switch (op) {
      case Op.PUSH: stack.push(code[pc++]); break;
      case Op.PUSHK: stack.push(consts[code[pc++]]); break;
      case Op.POP: stack.pop(); break;
      case Op.DUP: stack.push(stack[stack.length - 1]); break;
      case Op.LOADL: stack.push(s[bo + code[pc++]]); break;
      case Op.STOREL: s[bo + code[pc++]] = stack[stack.length - 1]; break;
      case Op.STORELP: s[bo + code[pc++]] = stack.pop() as Value; break;
      case Op.LOADG: stack.push(glob[code[pc++]]); break;
      case Op.STOREG: glob[code[pc++]] = stack[stack.length - 1]; break;
      case Op.STOREGP: glob[code[pc++]] = stack.pop() as Value; break;
      case Op.ADDRL: stack.push(segBase + bo + code[pc++]); break;
      case Op.ADDRG: stack.push(code[pc++]); break;
      case Op.LOAD: case Op.ADD_LOAD: {
        if (op === Op.ADD_LOAD) {
          // ADD; LOAD (fused): the ADD, then the LOAD when the budget covers it.
          const b = stack.pop();
          stack.push(add(stack.pop(), b));
          if (budget < 1) break;
          budget--;
          pc++;
        }
        const a = stack.pop();
        // The thread's own stack inline; everything else, and faults, out of line.
        if (typeof a === 'number' && a >= segBase && a - segBase < s.length) {
          const v = s[a - segBase];
          if (v !== undefined) { stack.push(v); break; }
        }
        fault = load(m, a, stack);
        if (fault !== '') { if (m.pastObject(a)) sig = 'SIGBUS'; break loop; }
        break;
      }
      case Op.STORE: case Op.STOREP: {
        const v = stack.pop() as Value, a = stack.pop();
        if (typeof a !== 'number' || !m.store(a, v)) {
          fault = storeFault(a);
          if (m.pastObject(a)) sig = 'SIGBUS';
          if (op === Op.STORE) stack.push(v);
          break loop;
        }
        if (op === Op.STORE) stack.push(v);
        break;
      }
      case Op.ADD: { const b = stack.pop(); stack.push(add(stack.pop(), b)); break; }
      case Op.SUB: { const b = stack.pop(); stack.push(sub(stack.pop(), b)); break; }
      case Op.MUL: case Op.LK_MUL: {
        let a: Value | undefined, b: Value | undefined, k: number;
        if (op === Op.MUL) { k = code[pc++]; b = stack.pop(); a = stack.pop(); } else {
          // LK_MUL (fused): LOADL a; PUSH n; MUL k
          if (budget < 2) { stack.push(s[bo + code[pc++]]); break; }
          budget -= 2;
          a = s[bo + code[pc]]; b = code[pc + 2]; k = code[pc + 4];
          pc += 5;
        }
        stack.push(mul(k, a, b));
        break;
      }
      case Op.DIV: case Op.MOD:
        fault = divide(op, code[pc++], stack);
        if (fault !== '') { sig = 'SIGFPE'; break loop; }
        break;
      case Op.SHL: case Op.SHR: shift(op, code[pc++], stack); break;
      case Op.AND: case Op.OR: case Op.XOR: {
        const b = stack.pop();
        stack.push(bitop(op, stack.pop(), b));
        break;
      }
      case Op.NEG: stack.push(neg(stack.pop())); break;
      case Op.FOP: {
        const k = code[pc++];
        if ((k & 7) === FOp.NEG) { stack.push(fop(k, stack.pop(), 0)); break; }
        const b = stack.pop();
        stack.push(fop(k, stack.pop(), b));
        break;
      }
      case Op.BNOT: stack.push(bnot(stack.pop())); break;
      case Op.LNOT: stack.push(stack.pop() === 0 ? 1 : 0); break;
      case Op.EQ: { const b = stack.pop(); stack.push(equal(stack.pop(), b) ? 1 : 0); break; }
      case Op.NE: { const b = stack.pop(); stack.push(equal(stack.pop(), b) ? 0 : 1); break; }
      // Numbers and bigints compare exactly with each other.
      case Op.LT: { const b = stack.pop() as number; stack.push((stack.pop() as number) < b ? 1 : 0); break; }
      case Op.LE: { const b = stack.pop() as number; stack.push((stack.pop() as number) <= b ? 1 : 0); break; }
      case Op.GT: { const b = stack.pop() as number; stack.push((stack.pop() as number) > b ? 1 : 0); break; }
      case Op.GE: { const b = stack.pop() as number; stack.push((stack.pop() as number) >= b ? 1 : 0); break; }
      case Op.CONV: {
        const v = stack.pop(), k = code[pc++];
        stack.push(k === Conv.I32 && typeof v === 'number' ? v | 0 : convert(k, v));
        break;
      }
      case Op.JMP: pc = code[pc]; break;
      // A conditional jump reads its target whether or not it jumps: code that V8 optimized
      // while a loop ran would otherwise meet an operation it has no feedback for when the loop
      // ends, and be thrown away (deoptimized) there.
      case Op.JZ: { const t = code[pc]; pc = stack.pop() === 0 ? t : pc + 1; break; }
      case Op.JNZ: { const t = code[pc]; pc = stack.pop() !== 0 ? t : pc + 1; break; }
      case Op.LTJZ: {
        const b = stack.pop() as number, a = stack.pop() as number;
        const t = code[pc];
        pc = a < b ? pc + 1 : t;
        break;
      }
      case Op.INCL: { const i = bo + code[pc++], v = s[i]; s[i] = typeof v === 'number' ? (v + code[pc++]) | 0 : i32(add(v, code[pc++])); break; }
      case Op.CALL: case Op.CALLI: {
        let callee: number, argc: number;
        if (op === Op.CALL) { callee = code[pc++]; argc = code[pc++]; } else {
          argc = code[pc++];
          const n = indirect(stack, argc, fns.length);
          if (typeof n === 'string') { fault = n; break loop; }
          callee = n;
        }
        const f = fns[callee];
        // FRAME_WORDS cells of stack stand for the saved frame (return address, saved registers),
        // so deep recursion uses up the stack, and the machine's memory, at a C-like pace.
        const nbo = so + FRAME_WORDS, nso = nbo + f.frameSize;
        if (nso > STACK_LIMIT) { stack.length -= argc; stack.push(0); fault = 'stack overflow'; break loop; }
        frames.push(fi, pc, bo, so, stmt);
        if (s.length < nso && !m.grow(s, nso)) { stack.length -= argc; stack.push(0); fault = 'stack overflow (out of memory)'; break loop; }
        for (let i = nbo; i < nso; i++) s[i] = 0;
        const base = stack.length - argc;
        for (let i = 0; i < argc && i < f.nparams; i++) s[nbo + i] = stack[base + i];
        // pop() rather than a length store: setting length is a slow path of the engine.
        while (stack.length > base) stack.pop();
        fi = callee; code = f.code; fast = f.fast ?? code; pc = 0;
        stopHere = stopStmt && (stopFns === null || stopFns[fi] === 1);
        bo = nbo; so = nso; stmt = -1;
        if (callTraps) { r.fn = fi; r.pc = pc; r.bp = bo + segBase; r.sp = so + segBase; r.stmt = stmt; r.entered = true; opts.budget = budget; return { kind: 'call', fn: f.name, line: f.line }; }
        break;
      }
      case Op.RET: {
        if (frames.length === 0) {
          const v = stack.pop() ?? 0;
          r.fn = fi; r.pc = pc; r.bp = bo + segBase; r.sp = so + segBase; r.stmt = stmt;
          if (r.sigframes.length > 0) {
            // Stay on the RET so that running again (before sigreturn) repeats this trap.
            stack.push(v);
            r.pc = pc - 1;
            return { kind: 'syscall', name: 'rt_sigreturn', args: [r.sigframes[r.sigframes.length - 1].signo], line: r.line };
          }
          // A thread that is ending (pthread_exit, cancellation) goes on with its next cleanup handler.
          const x = r.onReturn === 'exit' && r.self !== 0 ? exitingReturn(r, m, v) : undefined;
          if (typeof x === 'string') { fault = x; break loop; }
          if (x === null) {
            fi = r.fn; code = fns[fi].code; fast = fns[fi].fast ?? code; pc = 0; bo = r.bp - segBase; so = r.sp - segBase; stmt = -1;
            stopHere = stopStmt && (stopFns === null || stopFns[fi] === 1);
            break;
          }
          if (x !== undefined) { r.ended = true; return x; }
          if (r.onReturn === 'exit_group' && (m.libc.atexit.length > 0 || m.libc.exiting !== null)) {
            // A return from main is exit(v): its atexit handlers run first, each returning onto this RET.
            const x = atexitStep(m.libc, v, fi, pc - 1, 0);
            if (x.handler !== null) {
              r.pc = pc - 1;
              const e = enterCallback(r, m, x.handler, x.args, false);
              if (e !== null) { fault = `atexit handler: ${e}`; break loop; }
              fi = r.fn; code = fns[fi].code; fast = fns[fi].fast ?? code; pc = 0; bo = r.bp - segBase; so = r.sp - segBase; stmt = -1;
              stopHere = stopStmt && (stopFns === null || stopFns[fi] === 1);
              break;
            }
            r.ended = true;
            return returnTrap(r, m, x.status);
          }
          r.ended = true;
          return returnTrap(r, m, v);
        }
        // The saved frame, popped in reverse order of CALL's push (FRAME_WORDS words).
        stmt = frames.pop() as number; so = frames.pop() as number; bo = frames.pop() as number;
        pc = frames.pop() as number; fi = frames.pop() as number;
        code = fns[fi].code; fast = fns[fi].fast ?? code;
        stopHere = stopStmt && (stopFns === null || stopFns[fi] === 1);
        break;
      }
      case Op.STMT: case Op.FOR_K: case Op.FOR_L: case Op.JMP_FOR: case Op.LOOP: {
        let head = op;
        if (op === Op.JMP_FOR) {
          // JMP_FOR (fused): the jump, then the FOR_K or FOR_L it lands on.
          pc = code[pc];
          if (budget < 1) break;
          budget--;
          head = fast[pc++];
        }
        stmt = code[pc++];
        if (stopHere && (stopLines === null || stopLines[fns[fi].stmts[stmt].line] === 1)) {
          r.fn = fi; r.pc = pc; r.bp = bo + segBase; r.sp = so + segBase; r.stmt = stmt;
          const st = fns[fi].stmts[stmt];
          opts.budget = budget;
          return { kind: 'statement', line: st.line, start: st.start, end: st.end, fn: fns[fi].name };
        }
        if (head === Op.STMT) break;
        if (head === Op.LOOP) {
          const ls = loopState;
          ls.pc = pc; ls.stmt = stmt; ls.budget = budget;
          runLoop(code, s, bo, ls, fns[fi].stmts, stopHere, stopLines);
          pc = ls.pc; stmt = ls.stmt; budget = ls.budget;
          break;
        }
        if (budget < 4) break;
        // FOR_K, FOR_L (fused): STMT k; INCL i d; LOADL a; PUSH n | LOADL b; LTJZ t
        budget -= 4;
        const i = bo + code[pc + 1], iv = s[i];
        s[i] = typeof iv === 'number' ? (iv + code[pc + 2]) | 0 : i32(add(iv, code[pc + 2]));
        const a = s[bo + code[pc + 4]] as number, b = (head === Op.FOR_K ? code[pc + 6] : s[bo + code[pc + 6]]) as number;
        const t = code[pc + 8];
        pc = a < b ? pc + 9 : t;
        break;
      }
      case Op.SYS: case Op.PURE: {
        const site = sites[code[pc++]];
        const args = popArgs(stack, site.argc, site.name);
        if (op === Op.PURE) {
          // A spin lock that is held: the thread spins away the rest of its budget and tries the
          // same call again when it next runs (libc-spin.ts).
          if (site.name === 'pthread_spin_lock' && spinHeld(args, m)) { for (const x of args) stack.push(x); pc -= 2; budget = 0; break; }
          const v = pureCall(site, args, m, r);
          if (v instanceof Fault) { stack.push(0); sig = v.signal; fault = v.message; break loop; }
          stack.push(v);
          // The call's work beyond this instruction (cost.ts): what the slice covers now, the rest next time.
          if (r.owed > 0) { const pay = Math.min(r.owed, Math.max(0, budget)); r.owed -= pay; budget -= pay; }
          break;
        }
        // Library functions that call back into the program: exit runs the atexit handlers
        // (newest first), qsort and bsearch call the comparison function. The callback returns onto this
        // call, which runs again and goes on (the status or the sort kept aside meanwhile).
        let cb: Value | null = null, cbArgs: Value[] = [];
        if (site.name === 'exit' && (m.libc.atexit.length > 0 || m.libc.exiting !== null)) {
          const x = atexitStep(m.libc, args[0], fi, pc - 2, frames.length);
          args[0] = x.status;
          cb = x.handler; cbArgs = x.args;
        } else if (site.name === 'qsort' || site.name === 'bsearch') {
          const q = qsortStep(site, args, m, r, fi, pc - 2, frames.length);
          if (q instanceof Fault) { stack.push(0); sig = q.signal; fault = q.message; break loop; }
          if ('done' in q) { stack.push(q.done); break; }
          cb = q.compar; cbArgs = [q.x, q.y];
        }
        if (cb !== null) {
          // The callback's one result stands in for the last argument when the call runs again.
          for (let i = 1; i < site.argc; i++) stack.push(0);
          stack.push(cb, ...cbArgs);
          const n = indirect(stack, cbArgs.length, fns.length);
          if (typeof n === 'string') { fault = `${site.name}: ${n}`; break loop; }
          const f = fns[n];
          const nbo = so + FRAME_WORDS, nso = nbo + f.frameSize;
          if (nso > STACK_LIMIT) { fault = 'stack overflow'; break loop; }
          frames.push(fi, pc - 2, bo, so, stmt);
          if (s.length < nso && !m.grow(s, nso)) { fault = 'stack overflow (out of memory)'; break loop; }
          for (let i = nbo; i < nso; i++) s[i] = 0;
          const base = stack.length - cbArgs.length;
          for (let i = 0; i < cbArgs.length && i < f.nparams; i++) s[nbo + i] = stack[base + i];
          while (stack.length > base) stack.pop();
          fi = n; code = f.code; fast = f.fast ?? code; pc = 0;
          stopHere = stopStmt && (stopFns === null || stopFns[fi] === 1);
          bo = nbo; so = nso; stmt = -1;
          break;
        }
        let t: ReturnType<typeof syscallTrap>;
        if (JMP_CALLS.has(site.name) || CLEANUP_CALLS.has(site.name) || (r.self !== 0 && cancelPending(site, m, r))) {
          // setjmp saves these registers, longjmp loads saved ones (libc-jmp.ts); a thread that
          // ends runs its cleanup handlers, pthread_cleanup_pop may call one (libc-cancel.ts).
          r.fn = fi; r.pc = pc; r.bp = bo + segBase; r.sp = so + segBase; r.stmt = stmt;
          const j = JMP_CALLS.has(site.name) ? jmpCall(site, args, m, r) : cleanupCall(site, args, m, r);
          if (typeof j === 'string') { fault = j; break loop; }
          if (j === null) {
            fi = r.fn; code = fns[fi].code; fast = fns[fi].fast ?? code; pc = r.pc;
            bo = r.bp - segBase; so = r.sp - segBase; stmt = r.stmt;
            stopHere = stopStmt && (stopFns === null || stopFns[fi] === 1);
            break;
          }
          if (typeof j === 'number') { stack.push(j); break; }
          t = j;
        } else t = syscallTrap(site, args, m, r);
        if (t instanceof Fault) { stack.push(0); sig = t.signal; fault = t.message; break loop; }
        if (t instanceof Done) { if (r.self !== 0) leaveCancelPoint(r, m); stack.push(t.value); break; }
        r.fn = fi; r.pc = pc; r.bp = bo + segBase; r.sp = so + segBase; r.stmt = stmt;
        r.pending = code[pc - 1];
        return t;
      }
      case Op.FIELD:
        fault = field(host, String(consts[code[pc++]]), stack);
        if (fault !== '') break loop;
        break;
      case Op.LOAD_ERRNO: stack.push(r.errno); break;
      case Op.STORE_ERRNO: r.errno = i32(stack[stack.length - 1]); break;
      case Op.ZERO: case Op.COPY:
        fault = op === Op.ZERO ? zero(m, code[pc++], stack) : copy(m, code[pc++], stack);
        if (fault !== '') break loop;
        break;
      // Superinstructions (fuse.ts): pc is one past the sequence's first opcode, operands come from
      // `code` at the sequence's own positions. Each checks first that the budget covers the whole
      // sequence; when it does not, it does the sequence's first instruction alone.
      case Op.LTJZ_K: case Op.LTJZ_L: {
        // LOADL a; PUSH n | LOADL b; LTJZ t
        if (budget < 2) { stack.push(s[bo + code[pc++]]); break; }
        budget -= 2;
        const a = s[bo + code[pc]] as number, b = (op === Op.LTJZ_K ? code[pc + 2] : s[bo + code[pc + 2]]) as number;
        const t = code[pc + 4];
        pc = a < b ? pc + 5 : t;
        break;
      }
      case Op.LK_BIN: case Op.LK_BIN32: case Op.LL_BIN: case Op.LL_BIN32: {
        // LOADL a; PUSH n | LOADL b; BIN [CONV I32]
        const wrap = op === Op.LK_BIN32 || op === Op.LL_BIN32;
        if (budget < (wrap ? 3 : 2)) { stack.push(s[bo + code[pc++]]); break; }
        budget -= wrap ? 3 : 2;
        const b = op === Op.LK_BIN || op === Op.LK_BIN32 ? code[pc + 2] : s[bo + code[pc + 2]];
        const v = binary(code[pc + 3], s[bo + code[pc]], b);
        stack.push(wrap ? i32(v) : v);
        pc += wrap ? 6 : 4;
        break;
      }
      case Op.K_BIN: case Op.K_BIN32: case Op.L_BIN: case Op.L_BIN32: {
        // PUSH n | LOADL b; BIN [CONV I32]
        const local = op === Op.L_BIN || op === Op.L_BIN32, wrap = op === Op.K_BIN32 || op === Op.L_BIN32;
        const b = local ? s[bo + code[pc]] : code[pc];
        if (budget < (wrap ? 2 : 1)) { stack.push(b); pc++; break; }
        budget -= wrap ? 2 : 1;
        const v = binary(code[pc + 1], stack.pop(), b);
        stack.push(wrap ? i32(v) : v);
        pc += wrap ? 4 : 2;
        break;
      }
      case Op.BIN_STL: case Op.BIN32_STL: {
        // BIN [CONV I32]; STORELP x
        const b = stack.pop(), v = binary(code[pc - 1], stack.pop(), b);
        const wrap = op === Op.BIN32_STL;
        if (budget < (wrap ? 2 : 1)) { stack.push(v); break; }
        budget -= wrap ? 2 : 1;
        if (wrap) { s[bo + code[pc + 3]] = i32(v); pc += 4; } else { s[bo + code[pc + 1]] = v; pc += 2; }
        break;
      }
      case Op.L_LK_STL: {
        // LOADL x; LOADL a; PUSH n; BIN1 [CONV I32]; BIN2 [CONV I32]; STORELP y
        let p = pc + 6, more = 5;
        const wrap1 = code[p] === Op.CONV;
        if (wrap1) { p += 2; more++; }
        const op2 = code[p++];
        const wrap2 = code[p] === Op.CONV;
        if (wrap2) { p += 2; more++; }
        if (budget < more) { stack.push(s[bo + code[pc++]]); break; }
        budget -= more;
        const u = binary(code[pc + 5], s[bo + code[pc + 2]], code[pc + 4]);
        const v = binary(op2, s[bo + code[pc]], wrap1 ? i32(u) : u);
        s[bo + code[p + 1]] = wrap2 ? i32(v) : v;
        pc = p + 2;
        break;
      }
      default:
        sig = 'SIGILL';
        fault = `illegal instruction ${op} at ${fns[fi].name}+${pc - 1}`;
        break loop;
    }
  }
  r.fn = fi; r.pc = pc; r.bp = bo + segBase; r.sp = so + segBase; r.stmt = stmt;
  if (fault === '') return BUDGET;
  return { kind: 'fault', signal: sig, message: fault, line: r.line };
}
