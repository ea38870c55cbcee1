// The C library's static data of one process, kept beside its memory: strtok's saved position,
// random()'s TYPE_3 table, where environ is (libc-env.ts) and the atexit and on_exit handlers. fork copies it
// with the address space (dup_mm); execve starts a fresh one.
import type { Value } from './types';
import { copyTsd, newTsd, type TsdState } from './libc-tsd';

export interface LibcState {
  /** Where strtok goes on when called with NULL (its static `olds`). */
  strtok: Value;
  /** random_r's table r[0..33] and its front and rear indexes, or null until first use (srand(1)). */
  rand: { r: number[]; f: number; b: number } | null;
  /** environ (a char ** in user memory, or 0) when the program does not declare the variable. */
  environ: Value;
  /** The address of the program's own `environ` variable, or 0 (then `environ` above is it). */
  environAt: number;
  /** The array setenv made last (it is freed when setenv replaces it), or 0. */
  environBlock: number;
  /** Handlers atexit and on_exit registered, in the order registered; exit takes them from the end. */
  atexit: Array<Value | OnExit>;
  /**
   * While exit (or main's return) runs the handlers: the exit status and where the call is (its
   * function, instruction and frame depth), which each handler returns onto. null otherwise.
   */
  exiting: { status: Value; fn: number; pc: number; depth: number } | null;
  /**
   * Descriptors of detached threads that have ended, to free once the kernel has cleared their
   * tid word (CLONE_CHILD_CLEARTID), as glibc's stack cache takes them back.
   */
  detachedExited: number[];
  /**
   * Descriptors of threads that are gone (joined, or detached and ended), kept for the next
   * pthread_create as glibc's stack cache keeps them, the last one given back first. A joined
   * one's tid word reads -1, so a second pthread_join of it finds ESRCH.
   */
  stackCache: number[];
  /** The streams popen handed out and the shell behind each (glibc's proc_file_chain). */
  popen: { stream: Value; pid: number }[];
  /** Named semaphores sem_open mapped, by name and inode, with their opens (glibc's __sem_mappings). */
  sems: NamedSem[];
  /** Thread-specific data: the keys and each thread's values (libc-tsd.ts). */
  tsd: TsdState;
}

/** One semaphore sem_open mapped: the name it was opened by, its file's inode, where, how many opens. */
export interface NamedSem {
  name: string;
  ino: number;
  addr: number;
  refs: number;
}

/** An on_exit handler: called as fn(status, arg). */
export class OnExit {
  constructor(readonly fn: Value, readonly arg: Value) {}
}

export function newLibcState(): LibcState {
  return { strtok: 0, rand: null, environ: 0, environAt: 0, environBlock: 0, atexit: [], exiting: null, detachedExited: [], stackCache: [], popen: [], sems: [], tsd: newTsd() };
}

export function copyLibcState(s: LibcState): LibcState {
  return {
    strtok: s.strtok,
    rand: s.rand && { r: s.rand.r.slice(), f: s.rand.f, b: s.rand.b },
    environ: s.environ,
    environAt: s.environAt,
    environBlock: s.environBlock,
    atexit: s.atexit.slice(),
    exiting: s.exiting && { ...s.exiting },
    detachedExited: s.detachedExited.slice(),
    stackCache: s.stackCache.slice(),
    popen: s.popen.map((p) => ({ ...p })),
    sems: s.sems.map((m) => ({ ...m })),
    tsd: copyTsd(s.tsd),
  };
}

/** glibc's TYPE_3 degree and separation (random.c: DEG_3 31, SEP_3 3). */
const DEG = 31, SEP = 3;

/**
 * srandom_r: r[0] = seed (0 becomes 1), r[i] = 16807 * r[i-1] % 2147483647 (Schrage's method,
 * kept in 32 bits), then 310 outputs thrown away.
 */
export function srand(s: LibcState, seed: number): void {
  const r = new Array<number>(DEG).fill(0);
  let word = seed >>> 0 === 0 ? 1 : seed | 0;
  r[0] = word;
  for (let i = 1; i < DEG; i++) {
    const hi = Math.trunc(word / 127773), lo = word % 127773;
    word = (16807 * lo - 2836 * hi) | 0;
    if (word < 0) word = (word + 2147483647) | 0;
    r[i] = word;
  }
  s.rand = { r, f: SEP, b: 0 };
  for (let i = 0; i < DEG * 10; i++) rand(s);
}

/** random_r: r[f] += r[b] (32-bit wrap), the result is that sum shifted right once. */
export function rand(s: LibcState): number {
  if (s.rand === null) srand(s, 1);
  const st = s.rand as { r: number[]; f: number; b: number };
  const v = (st.r[st.f] + st.r[st.b]) | 0;
  st.r[st.f] = v;
  const result = (v >>> 1) & 0x7fffffff;
  st.f = (st.f + 1) % DEG;
  st.b = (st.b + 1) % DEG;
  return result;
}

/**
 * One step of exit's handler walk at the call (or main's RET) at fn/pc/depth: the status to end
 * with (the one first given; on a return from a handler the VM's popped value is the handler's
 * own and is dropped) and the next handler to run, or null when none is left.
 */
export function atexitStep(s: LibcState, popped: Value | undefined, fn: number, pc: number, depth: number): { status: Value; handler: Value | null; args: Value[] } {
  const e = s.exiting;
  const again = e !== null && e.fn === fn && e.pc === pc && e.depth === depth;
  const status = again ? e.status : popped ?? 0;
  const next = s.atexit.pop() ?? null;
  s.exiting = next === null ? null : { status, fn, pc, depth };
  // An on_exit handler gets the status (as the int exit was given) and its argument.
  if (next instanceof OnExit) return { status, handler: next.fn, args: [typeof status === 'number' ? status | 0 : status, next.arg] };
  return { status, handler: next, args: [] };
}
