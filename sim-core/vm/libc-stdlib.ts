// <stdlib.h> and <string.h> helpers with process state or numbers as glibc has them on x86-64:
// strtol and friends (bases, endptr, ERANGE saturation), atoll, realloc, rand and srand (TYPE_3),
// the environment (getenv, setenv, unsetenv), atexit's list, strsignal's texts.
import type { CallSite } from './image';
import { SEGMENT_SPAN } from './image';
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Value } from './types';
import { cellCost, FREE_COST, MALLOC_COST } from './cost';
import { cstring } from './cstring';
import { norm } from './int64';
import { Fault } from './libc-fault';
import { envCall } from './libc-env';
import { OnExit, rand, srand } from './libc-state';
import { ptrAdd } from './libc-string';
import { mathLibCall } from './libc-math';

const EINVAL = 22, ENOMEM = 12, ERANGE = 34;
const MAX_STRING = 1 << 28;
/** glibc's limit is memory only; the simulator keeps a process's handlers to this many. */
const ATEXIT_MAX = 1024;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/** glibc's strsignal texts (sigabbrev order), indexed by signal number. */
const SIGNAL_TEXT: readonly string[] = [
  '', 'Hangup', 'Interrupt', 'Quit', 'Illegal instruction', 'Trace/breakpoint trap', 'Aborted', 'Bus error',
  'Floating point exception', 'Killed', 'User defined signal 1', 'Segmentation fault', 'User defined signal 2',
  'Broken pipe', 'Alarm clock', 'Terminated', 'Stack fault', 'Child exited', 'Continued', 'Stopped (signal)',
  'Stopped', 'Stopped (tty input)', 'Stopped (tty output)', 'Urgent I/O condition', 'CPU time limit exceeded',
  'File size limit exceeded', 'Virtual timer expired', 'Profiling timer expired', 'Window changed', 'I/O possible',
  'Power failure', 'Bad system call',
];
const SIGRTMIN = 34, SIGRTMAX = 64;

/** strsignal(sig) as glibc words it. */
export function strsignal(sig: number): string {
  if (sig >= 1 && sig < SIGNAL_TEXT.length) return SIGNAL_TEXT[sig];
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) return `Real-time signal ${sig - SIGRTMIN}`;
  return `Unknown signal ${sig}`;
}

/** psignal's text: the description __sigdescr_np has (none for the real-time signals), or "Unknown signal N". */
export function psignalText(sig: number): string {
  return sig >= 1 && sig < SIGNAL_TEXT.length ? SIGNAL_TEXT[sig] : `Unknown signal ${sig}`;
}

/**
 * strtol / strtoul / strtoll / strtoull: white space, a sign, a base prefix (0x for 16 and 0,
 * 0 for octal under base 0), then digits. Returns the value (saturated with ERANGE) and how many
 * characters were used (0 when there were no digits: *endptr is the string itself).
 */
export function strtoNum(s: string, base: number, unsigned: boolean): { value: bigint; used: number; erange: boolean } | null {
  if (base !== 0 && (base < 2 || base > 36)) return null;
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i])) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') { negative = s[i] === '-'; i++; }
  const digit = (ch: string | undefined): number => {
    if (ch === undefined) return 99;
    const c = ch.toLowerCase().charCodeAt(0);
    return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : 99;
  };
  let b = base;
  if ((b === 0 || b === 16) && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digit(s[i + 2]) < 16) { i += 2; b = 16; }
  else if (b === 0) b = s[i] === '0' ? 8 : 10;
  const first = i;
  let v = 0n;
  const big = BigInt(b);
  while (digit(s[i]) < b) {
    if (v < 2n ** 65n) v = v * big + BigInt(digit(s[i]));
    i++;
  }
  if (i === first) return { value: 0n, used: 0, erange: false };
  const max = unsigned ? 2n ** 64n - 1n : negative ? 2n ** 63n : 2n ** 63n - 1n;
  if (v > max) return { value: unsigned ? -1n : negative ? -(2n ** 63n) : 2n ** 63n - 1n, used: i, erange: true };
  // strtoul of "-1" is -(1) in unsigned long: all bits set.
  return { value: BigInt.asIntN(64, negative ? -v : v), used: i, erange: false };
}

/** The stdlib helpers; undefined when `site.name` is not one of them. */
export function stdlibCall(site: CallSite, a: Value[], mem: VmMemory, regs: VmRegs): Value | Fault | undefined {
  const fn = site.name;
  const st = mem.libc;
  switch (fn) {
    case 'strtol': case 'strtoul': case 'strtoll': case 'strtoull': case 'atoll': {
      const s = cstring(mem, a[0], MAX_STRING);
      if (s === null) return new Fault('SIGSEGV', `${fn}(NULL): NULL pointer dereference`);
      const r = strtoNum(s, fn === 'atoll' ? 10 : num(a[2]), fn === 'strtoul' || fn === 'strtoull');
      regs.owed += cellCost(r ? r.used + 1 : 1);
      if (r === null) { regs.errno = EINVAL; return 0; }
      if (r.erange) regs.errno = ERANGE;
      if (fn !== 'atoll' && num(a[1]) !== 0 && !mem.store(num(a[1]), ptrAdd(a[0], r.used))) return new Fault('SIGSEGV', `${fn}: bad endptr`);
      return norm(r.value);
    }
    case 'realloc': {
      const size = typeof a[1] === 'bigint' || num(a[1]) < 0 ? Infinity : num(a[1]);
      return reallocBlock(mem, regs, num(a[0]), size);
    }
    case 'rand': regs.owed += 10; return rand(st);
    case 'srand': srand(st, num(a[0])); regs.owed += 31 * 10 * 3; return 0;
    case 'getenv': case 'setenv': case 'unsetenv': case 'putenv': {
      if (fn === 'getenv' && cstring(mem, a[0], MAX_STRING) === null) return new Fault('SIGSEGV', 'getenv(NULL): NULL pointer dereference');
      return envCall(fn, a, mem, regs) ?? 0;
    }
    case 'atexit': case 'on_exit': {
      if (st.atexit.length >= ATEXIT_MAX) return -1;
      st.atexit.push(fn === 'on_exit' ? new OnExit(a[0] ?? 0, a[1] ?? 0) : a[0] ?? 0);
      return 0;
    }
    case 'strsignal': return strsignal(num(a[0]));
    default: return mathLibCall(site, a, mem, regs);
  }
}

/**
 * realloc(p, size): NULL p is malloc, size 0 frees and gives NULL, else a new block with the old
 * contents up to the new size (0 with ENOMEM when memory is short, p kept).
 */
export function reallocBlock(mem: VmMemory, regs: VmRegs, p: number, size: number): Value | Fault {
  const seg = p / SEGMENT_SPAN;
  const old = p !== 0 && Number.isInteger(seg) && !mem.growable[seg] ? mem.segs[seg] : null;
  if (p !== 0 && !old) return new Fault('SIGSEGV', 'realloc(): invalid pointer (not a block from malloc)');
  if (p !== 0 && size === 0) { mem.freeBlock(p); regs.owed += FREE_COST; return 0; }
  regs.owed += MALLOC_COST;
  if (size > 1 << 24) { regs.errno = ENOMEM; return 0; }
  const ns = mem.newBlock(Math.max(1, size));
  if (ns < 0) { regs.errno = ENOMEM; return 0; }
  const np = ns * SEGMENT_SPAN;
  if (old) {
    const keep = Math.min(old.length, size);
    for (let i = 0; i < keep; i++) mem.store(np + i, old[i]);
    regs.owed += cellCost(keep) + FREE_COST;
    mem.freeBlock(p);
  }
  return np;
}
