// The C library's own side of a call: helpers the VM evaluates without the kernel (wait-status
// macros, strings, signal sets, malloc) and the shaping of a libc call into the x86-64 system
// call the kernel sees, by its kernel name (printf is write, exit is exit_group, waitpid is wait4,
// execl is execve with an argv). Functions of several calls are in libc-calls.ts.
import { startRwlock } from './libc-rwlock';
import type { CallSite } from './image';
import { SEGMENT_SPAN } from './image';
import type { VmMemory } from './memory';
import { format, formatCounted } from './printf';
import { neg, norm, toI32, toI64 } from './int64';
import type { VmRegs } from './regs';
import type { Trap, Value } from './types';
import { Done, self, SIG_SETSIZE, startLibc } from './libc-calls';
import { startDirectExec } from './exec-script';
import { PROC_OPS, startProc } from './libc-proc';
import { startSync, SyncDone, SyncFault } from './libc-sync';
import { getEnviron } from './libc-env';
import { CONSTANTS } from '../lang/builtins-constants';
import { cellCost, FREE_COST, MALLOC_COST } from './cost';
import { cstrcmp, cstring, cstrlen } from './cstring';
import { strerror } from './strerror';
import { STDIO_CALLS, stdioCall, stdioPure } from './stdio-calls';

import { Fault } from './libc-fault';
import { stringCall } from './libc-string';
import { stdlibCall } from './libc-stdlib';
import { ctypeCall } from './libc-ctype';
import { encodeBytes } from './byte-image';
import { bytesCall } from './union-bytes';
import { fdMacro, fdSetMacro, startFd } from './libc-fd';
import { ShmDone, startShm } from './libc-shm';
import { startMsg } from './libc-msg';
import { enterCancelPoint } from './libc-cancel';
import { TSD_CALLS, tsdCall } from './libc-tsd';
import { spinCall } from './libc-spin';

export { Done, Fault };

/** The kernel names of the x86-64 system call numbers <sys/syscall.h> defines (SYS_exit -> exit). */
const SYSCALL_BY_NUMBER: ReadonlyMap<number, string> = new Map(CONSTANTS.filter((c) => c.group === 'syscall-nr' && typeof c.value === 'number')
  .map((c) => [c.value as number, c.name.slice(4)]));

export { strerror };


const EINVAL = 22, ENOMEM = 12, EFAULT = 14, EOVERFLOW = 75;
/** The largest block malloc maps: the machine's whole memory (the budget refuses it first when it is in use). */
const MAX_BLOCK = 1 << 24;

/** The longest C string the library reads as one argument (printf's %s, puts, a path): 256 MiB. */
const MAX_STRING = 1 << 28;

/** Reads a C string argument: a literal cell, or NUL-terminated character cells; null for NULL. */
export function readString(mem: VmMemory, v: Value | undefined): string | null {
  return cstring(mem, v, MAX_STRING);
}

/**
 * write's buffer: `n` character cells from an address as text (a string literal: its first n
 * characters), or null when the range is not mapped. A cell holding a literal ends the text
 * with the literal's characters (up to n in all), as readString reads it.
 */
function bufferText(mem: VmMemory, v: Value | undefined, n: number): string | null {
  if (typeof v === 'string') return v.slice(0, n);
  if (n === 0) return '';
  if (typeof v !== 'number' || v === 0) return null;
  const cells = mem.cells(v, n);
  if (cells === null) return null;
  // Character codes a chunk at a time (String.fromCharCode over a typed array), not a string per cell.
  let out = '';
  const codes = new Uint16Array(Math.min(cells.length, 8192));
  let k = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (typeof c === 'string') { out += String.fromCharCode.apply(null, codes.subarray(0, k) as unknown as number[]) + c; k = 0; break; }
    codes[k++] = typeof c === 'number' ? c & 0xff : 0;
    if (k === codes.length) { out += String.fromCharCode.apply(null, codes as unknown as number[]); k = 0; }
  }
  if (k > 0) out += String.fromCharCode.apply(null, codes.subarray(0, k) as unknown as number[]);
  return out.length > n ? out.slice(0, n) : out;
}

/** Reads a NULL-terminated array of string pointers (argv). */
export function readArgv(mem: VmMemory, v: Value | undefined): string[] {
  if (typeof v !== 'number' || v === 0) return [];
  const out: string[] = [];
  for (let a = v; out.length < 1024; a++) {
    const c = mem.load(a);
    if (c === undefined || c === 0) break;
    out.push(readString(mem, c) ?? '');
  }
  return out;
}

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/** A size_t argument as a number of bytes: Infinity past what a number holds exactly or below 0. */
export function bytes(v: Value | undefined): number {
  if (typeof v === 'bigint') return Infinity;
  const n = num(v);
  return n < 0 ? Infinity : n;
}

function sigbit(signo: number): number {
  return 2 ** (signo - 1);
}

/**
 * The signals glibc keeps for itself (SIGCANCEL 32 and SIGSETXID 33): sigfillset leaves them
 * out, and sigaddset and sigdelset refuse them with EINVAL (__is_internal_signal).
 */
const SIGCANCEL = 32, SIGSETXID = 33;
/** The highest signal number (SIGRTMAX). */
const NSIG_MAX = 64;
const FILLED_SET = (2n ** 64n - 1n) & ~(1n << BigInt(SIGCANCEL - 1)) & ~(1n << BigInt(SIGSETXID - 1));

/**
 * Evaluates a helper the VM runs itself. Returns the C result, or a Fault. Work beyond one
 * instruction is charged to regs.owed (cost.ts).
 */
export function pureCall(site: CallSite, a: Value[], mem: VmMemory, regs: VmRegs): Value | Fault {
  const s = a[0];
  switch (site.name) {
    case 'WEXITSTATUS': case 'WSTOPSIG': return (num(s) & 0xff00) >> 8;
    case 'WTERMSIG': return num(s) & 0x7f;
    case 'WIFEXITED': return (num(s) & 0x7f) === 0 ? 1 : 0;
    case 'WIFSIGNALED': return ((((num(s) & 0x7f) + 1) << 24) >> 25) > 0 ? 1 : 0;
    case 'WIFSTOPPED': return (num(s) & 0xff) === 0x7f ? 1 : 0;
    case 'WIFCONTINUED': return num(s) === 0xffff ? 1 : 0;
    case 'WCOREDUMP': return num(s) & 0x80 ? 1 : 0;
    // glibc's abs and labs: |INT_MIN| and |LONG_MIN| wrap back to themselves.
    case 'abs': return Math.abs(toI32(s)) | 0;
    case 'pthread_equal': return s === a[1] ? 1 : 0;
    case 'labs': case 'llabs': { const n = toI64(s); return n < 0 ? neg(n) : n; }
    case 'getpagesize': return 4096;
    case 'strlen': {
      const n = cstrlen(mem, s);
      if (n < 0) return new Fault('SIGSEGV', s === 0 || s === undefined ? 'strlen(NULL): NULL pointer dereference' : 'strlen: bad pointer');
      regs.owed += cellCost(n + 1);
      return n;
    }
    case 'strcmp': case 'strncmp': {
      const n = site.name === 'strncmp' ? num(a[2]) : Infinity;
      if (n <= 0) return 0;
      const c = cstrcmp(mem, s, a[1], n);
      if (c === null) return new Fault('SIGSEGV', `${site.name} on a NULL pointer`);
      regs.owed += cellCost(c.read);
      return c.result;
    }
    case 'atoi': case 'atol': {
      const str = readString(mem, s);
      if (str === null) return new Fault('SIGSEGV', `${site.name}(NULL): NULL pointer dereference`);
      regs.owed += cellCost(str.length);
      const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(str);
      // strtol's value, saturated at LONG_MIN and LONG_MAX; atoi keeps its low 32 bits.
      const n = BigInt(m ? m[1] : '0'), l = n > 2n ** 63n - 1n ? 2n ** 63n - 1n : n < -(2n ** 63n) ? -(2n ** 63n) : n;
      return site.name === 'atoi' ? Number(BigInt.asIntN(32, l)) : norm(l);
    }
    case 'strerror': return strerror(num(s));
    case 'sigemptyset': case 'sigfillset':
      if (!mem.store(num(s), site.name === 'sigemptyset' ? 0 : FILLED_SET)) return new Fault('SIGSEGV', `${site.name}: bad sigset_t pointer`);
      return 0;
    case 'sigaddset': case 'sigdelset': case 'sigismember': {
      const signo = num(a[1]);
      const internal = site.name !== 'sigismember' && (signo === SIGCANCEL || signo === SIGSETXID);
      if (signo < 1 || signo > NSIG_MAX || internal) { regs.errno = EINVAL; return -1; }
      const cur = mem.load(num(s));
      if (typeof cur !== 'number' && typeof cur !== 'bigint') return new Fault('SIGSEGV', `${site.name}: bad sigset_t pointer`);
      // Signals above 53 do not fit a number's exact range: the set is a bigint while it has one.
      if (typeof cur === 'bigint' || signo > 53) {
        const bit = 1n << BigInt(signo - 1), big = BigInt(cur);
        if (site.name === 'sigismember') return (big & bit) !== 0n ? 1 : 0;
        const next = site.name === 'sigaddset' ? big | bit : big & ~bit;
        mem.store(num(s), next <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(next) : next);
        return 0;
      }
      const bit = sigbit(signo);
      const has = Math.floor(cur / bit) % 2 === 1;
      if (site.name === 'sigismember') return has ? 1 : 0;
      const next = site.name === 'sigaddset' ? (has ? cur : cur + bit) : has ? cur - bit : cur;
      mem.store(num(s), next);
      return 0;
    }
    case 'CPU_ZERO': case 'CPU_SET': case 'CPU_CLR': case 'CPU_ISSET': case 'CPU_COUNT':
      return cpuSetMacro(site.name, a, mem);
    case 'FD_ZERO': case 'FD_SET': case 'FD_CLR': case 'FD_ISSET':
      return fdSetMacro(site.name, a, mem);
    case 'pthread_spin_init': case 'pthread_spin_destroy': case 'pthread_spin_lock': case 'pthread_spin_trylock': case 'pthread_spin_unlock':
      return spinCall(site.name, a, mem);
    case 'memset': {
      const [bytes, cells] = site.scale ?? [1, 1];
      const n = Math.ceil(num(a[2]) / bytes) * cells;
      const c = num(a[1]) & 0xff;
      const fill = c === 0 ? 0 : bytes === 1 ? (c << 24) >> 24 : c === 0xff ? -1 : c * 0x01010101;
      const done = mem.fill(num(s), n, fill);
      regs.owed += cellCost(done);
      if (done < n) return new Fault('SIGSEGV', 'memset: bad pointer');
      return s ?? 0;
    }
    case 'malloc': case 'kmalloc': case 'kzalloc': case 'calloc': {
      // A size_t past 2^53 (a bigint) or negative (a huge size_t) is more than any block; so is a
      // calloc product that overflows size_t.
      const cells = site.name === 'calloc' ? bytes(s) * bytes(a[1]) : bytes(s);
      regs.owed += MALLOC_COST;
      if (!(cells <= MAX_BLOCK)) { regs.errno = ENOMEM; return 0; }
      const seg = mem.newBlock(Math.max(1, cells));
      if (seg < 0) { regs.errno = ENOMEM; return 0; }
      // calloc and kzalloc clear the block (malloc's is zero here too, but real malloc does not pay for it).
      if (site.name === 'calloc' || site.name === 'kzalloc') regs.owed += cellCost(cells);
      return seg * SEGMENT_SPAN;
    }
    // The block is unmapped, so a later malloc may get the same address (as glibc often gives).
    case 'free': case 'kfree': if (typeof s === 'number' && s !== 0) { mem.freeBlock(s); regs.owed += FREE_COST; } return 0;
    case 'IS_ERR': return typeof s === 'number' && s < 0 && s >= -4095 ? 1 : 0;
    case 'PTR_ERR': case 'ERR_PTR': return typeof s === 'number' ? s : 0;
    case 'msecs_to_jiffies': return num(s);
    default: return stringCall(site, a, mem, regs) ?? ctypeCall(site.name, a) ?? stdlibCall(site, a, mem, regs) ?? stdioPure(site.name, a, mem) ?? bytesCall(site.name, a, mem) ?? fdMacro(site.name, a) ?? 0;
  }
}

const PR_SET_NAME = 15;
// A Map: looking a system call's name up in an object would search its prototype chain.
const PRINTK_LEVEL: ReadonlyMap<string, string> = new Map([
  ['pr_emerg', '0'], ['pr_alert', '1'], ['pr_crit', '2'], ['pr_err', '3'], ['pr_warn', '4'], ['pr_notice', '5'], ['pr_info', '6'], ['pr_debug', '7'],
]);

/** The trap a libc wrapper ends in: the system call it makes, with its arguments. */
function sysTrap(line: number, name: string, args: Value[]): Trap {
  return { kind: 'syscall', name, args, line };
}

/** A string argument as the kernel copies it in ("(null)" for NULL, as glibc prints it). */
function strArg(mem: VmMemory, v: Value | undefined): string {
  return readString(mem, v) ?? '(null)';
}

/** printf-style formatting of a format argument and the rest. */
function fmtArgs(mem: VmMemory, f: Value | undefined, rest: Value[]): string {
  return format(strArg(mem, f), rest, (v) => readString(mem, v));
}

/**
 * Shapes a libc call into the system call the kernel sees, or starts a function of several calls
 * (libc-calls.ts). execve gets [path, argv address, envp address]: the kernel copies the strings
 * (copy_strings) with getUser, as do_execveat_common does. Sets regs.pendingRet when the C library
 * reports something other than the kernel's result (printf's character count). A Done is a
 * result the library has without a system call.
 */
export function syscallTrap(site: CallSite, a: Value[], mem: VmMemory, regs: VmRegs): Trap | Fault | Done {
  regs.pendingRet = null;
  const line = site.line;
  // The thread is inside a cancellation point until the call returns (libc-cancel.ts).
  if (regs.self !== 0) enterCancelPoint(site, mem, regs);
  // The functions of a FILE: printf, puts, fputs... (buffered: stdio-*.ts).
  if (STDIO_CALLS.has(site.name)) return stdioCall(site, a, mem, regs);
  switch (site.name) {
    // exit flushes the streams first (stdio-calls.ts); _exit and _Exit do not.
    case '_exit': case '_Exit': return sysTrap(line, 'exit_group', [num(a[0])]);
    case 'dprintf': {
      // A width of 100,000,000 is legal: its characters are counted and charged, and built only up
      // to FORMAT_LIMIT (the machine's output limit ends such a run). Past INT_MAX: EOVERFLOW.
      const r = formatCounted(strArg(mem, a[1]), a.slice(2), (v) => readString(mem, v));
      regs.owed += cellCost(r.length);
      if (r.overflow) { regs.errno = EOVERFLOW; return new Done(-1); }
      regs.pendingRet = r.length;
      return sysTrap(line, 'write', [num(a[0]), r.text]);
    }
    case 'write': {
      // The kernel copies count bytes from the buffer (copy_from_user): a range that is not all
      // mapped fails with EFAULT.
      const n = Math.max(0, num(a[2]));
      // An int or a struct goes out as the bytes it has in x86-64 memory.
      const t = site.bufType && typeof a[1] === 'number' ? encodeBytes(mem, a[1], site.bufType, n) : bufferText(mem, a[1], n);
      if (t === null) { regs.errno = EFAULT; return new Done(-1); }
      regs.owed += cellCost(t.length);
      return sysTrap(line, 'write', [num(a[0]), t]);
    }
    case 'execl': case 'execlp': case 'execle': {
      // Like glibc, gather the listed arguments into an argv array (here a fresh block of cells);
      // execle's envp follows the NULL.
      const end = a.indexOf(0, 1);
      const list = a.slice(1, end < 0 ? a.length : end);
      const seg = mem.newBlock(list.length + 1);
      if (seg < 0) { regs.errno = ENOMEM; return new Done(-1); }
      const block = seg * SEGMENT_SPAN;
      list.forEach((v, i) => mem.store(block + i, typeof v === 'string' ? v : strArg(mem, v)));
      const envp = site.name === 'execle' && end >= 0 ? num(a[end + 1]) : environ(mem);
      const path = strArg(mem, a[0]);
      if (site.name === 'execlp') return startLibc('execlp', siteIndex(regs, site), line, [path, block, envp], mem, regs) ?? startDirectExec(regs, 'execlp', siteIndex(regs, site), line, path, block, envp);
      return sysTrap(line, 'execve', [path, block, envp]);
    }
    case 'execvp': {
      const path = strArg(mem, a[0]);
      return startLibc('execvp', siteIndex(regs, site), line, [path, num(a[1]), environ(mem)], mem, regs) ?? startDirectExec(regs, 'execvp', siteIndex(regs, site), line, path, num(a[1]), environ(mem));
    }
    case 'execv': case 'execve':
      return sysTrap(line, 'execve', [strArg(mem, a[0]), num(a[1]), site.name === 'execve' ? num(a[2]) : environ(mem)]);
    // clone(fn, stack, flags, arg): the system call takes flags and stack (parent_tid, child_tid
    // and tls are not passed); the wrapper's child side calls fn(arg), carried here after them.
    case 'clone': return sysTrap(line, 'clone', [num(a[2]), a[1] ?? 0, 0, 0, 0, a[0] ?? 0, a[3] ?? 0]);
    case 'wait': return sysTrap(line, 'wait4', [-1, num(a[0]), 0, 0]);
    case 'waitpid': return sysTrap(line, 'wait4', [num(a[0]), num(a[1]), num(a[2]), 0]);
    // glibc's sigqueue: a siginfo of SI_QUEUE (-1) with the value (union sigval, passed as its
    // address here) for rt_sigqueueinfo; getpid and getuid fill si_pid and si_uid (the kernel side).
    case 'sigqueue': {
      const at = num(a[2]);
      const v = at === 0 ? undefined : mem.load(at);
      if (v === undefined) return new Fault('SIGSEGV', 'sigqueue: bad union sigval');
      return sysTrap(line, 'rt_sigqueueinfo', [num(a[0]), num(a[1]), -1, v]);
    }
    case 'wait3': return sysTrap(line, 'wait4', [-1, num(a[0]), num(a[1]), num(a[2])]);
    case 'wait4': return sysTrap(line, 'wait4', [num(a[0]), num(a[1]), num(a[2]), num(a[3])]);
    case 'sigaction': {
      // glibc copies *act into its kernel_sigaction in user space: a bad pointer faults here.
      const act = num(a[1]);
      if (act !== 0 && (mem.load(act) === undefined || mem.load(act + 1) === undefined || mem.load(act + 2) === undefined)) {
        return new Fault('SIGSEGV', 'sigaction: bad struct sigaction pointer');
      }
      return startLibc('sigaction', siteIndex(regs, site), line, a, mem, regs) ?? sysTrap(line, 'rt_sigaction', [num(a[0]), act, num(a[2]), SIG_SETSIZE]);
    }
    case 'syscall': {
      // syscall(number, ...): the call of that x86-64 number, with the arguments as they are.
      const name = SYSCALL_BY_NUMBER.get(num(a[0]));
      return sysTrap(line, name ?? `syscall_${num(a[0])}`, a.slice(1));
    }
    case 'sigpending': return sysTrap(line, 'rt_sigpending', [num(a[0]), SIG_SETSIZE]);
    case 'sigsuspend': return sysTrap(line, 'rt_sigsuspend', [num(a[0]), SIG_SETSIZE]);
    case 'sigprocmask': return sysTrap(line, 'rt_sigprocmask', [num(a[0]), num(a[1]), num(a[2]), SIG_SETSIZE]);
    case 'setrlimit': return sysTrap(line, 'prlimit64', [0, num(a[0]), num(a[1]), 0]);
    case 'getrlimit': return sysTrap(line, 'prlimit64', [0, num(a[0]), 0, num(a[1])]);
    case 'nanosleep': return sysTrap(line, 'clock_nanosleep', [0, 0, num(a[0]), num(a[1])]);
    case 'kthread_run': case 'kthread_create':
      return sysTrap(line, site.name, [a[0] ?? 0, a[1] ?? 0, fmtArgs(mem, a[2], a.slice(3))]);
    case 'printk': return sysTrap(line, 'printk', [fmtArgs(mem, a[0], a.slice(1))]);
    case 'prctl': {
      const args = a.slice();
      if (num(a[0]) === PR_SET_NAME) args[1] = strArg(mem, a[1]).slice(0, 15);
      return sysTrap(line, 'prctl', args);
    }
    default: {
      const level = PRINTK_LEVEL.get(site.name);
      if (level !== undefined) return sysTrap(line, 'printk', [`\x01${level}${fmtArgs(mem, a[0], a.slice(1))}`]);
      const sync = startSync(site.name, siteIndex(regs, site), line, a, mem, regs);
      if (sync instanceof SyncDone) return new Done(sync.value);
      if (sync instanceof SyncFault) return new Fault('SIGSEGV', sync.message);
      if (sync !== null) return sync;
      const rwlock = startRwlock(site.name, siteIndex(regs, site), line, a, mem, regs);
      if (rwlock !== null) return 'kind' in rwlock ? rwlock : 'fault' in rwlock ? new Fault('SIGSEGV', rwlock.fault) : new Done(rwlock.value);
      if (PROC_OPS.has(site.name)) {
        const cmd = num(a[0]) === 0 && typeof a[0] !== 'string' ? null : strArg(mem, a[0]);
        const mode = site.name === 'popen' ? readString(mem, a[1]) : null;
        const p = startProc(site.name, siteIndex(regs, site), line, cmd, mode, mem, regs);
        if (p !== null) return p;
      }
      const shm = startShm(site.name, siteIndex(regs, site), line, a, mem, regs);
      if (shm !== null) return shm instanceof ShmDone ? new Done(shm.value) : shm;
      if (TSD_CALLS.has(site.name)) {
        const v = tsdCall(site.name, a, mem.libc, (at, x) => mem.store(at, x), () => self(regs, mem));
        return typeof v === 'object' && v !== null && 'fault' in v ? new Fault('SIGSEGV', v.fault) : new Done(v);
      }
      const fdTrap = startFd(site.name, siteIndex(regs, site), line, a, mem, regs);
      if (fdTrap instanceof Done) return fdTrap;
      if (fdTrap !== null) return fdTrap;
      const msgTrap = startMsg(site.name, siteIndex(regs, site), line, a, mem, regs);
      if (msgTrap !== null) return msgTrap;
      const started = startLibc(site.name, siteIndex(regs, site), line, a, mem, regs);
      if (started !== null) return started;
      // Same name in the kernel (getpid, kill, fork...), or a kernel function scenario kernel code calls.
      return sysTrap(line, site.name, a);
    }
  }
}


/** The envp the exec functions without one pass: glibc's __environ, the process's environment. */
function environ(mem: VmMemory): Value {
  return getEnviron(mem);
}

/** The index of a call site in its image (for a function that spans several system calls). */
function siteIndex(regs: VmRegs, site: CallSite): number {
  return regs.image.sites.indexOf(site);
}

/** Words of a cpu_set_t (CPU_SETSIZE 1024 bits in unsigned longs). */
const CPU_SET_WORDS = 16;

/** The <sched.h> CPU_* macros on a cpu_set_t: CPU n is bit n % 64 of word n / 64. */
function cpuSetMacro(name: string, a: Value[], mem: VmMemory): Value | Fault {
  const set = num(name === 'CPU_ZERO' || name === 'CPU_COUNT' ? a[0] : a[1]);
  if (name === 'CPU_ZERO') {
    if (mem.fill(set, CPU_SET_WORDS, 0) < CPU_SET_WORDS) return new Fault('SIGSEGV', 'CPU_ZERO: bad cpu_set_t pointer');
    return 0;
  }
  if (name === 'CPU_COUNT') {
    let n = 0;
    for (let i = 0; i < CPU_SET_WORDS; i++) {
      const w = mem.load(set + i);
      if (typeof w !== 'number' && typeof w !== 'bigint') return new Fault('SIGSEGV', 'CPU_COUNT: bad cpu_set_t pointer');
      for (let x = BigInt.asUintN(64, BigInt(w)); x !== 0n; x >>= 1n) if (x & 1n) n++;
    }
    return n;
  }
  const cpu = num(a[0]);
  // glibc's macros ignore a CPU number outside the set (CPU_ISSET says 0).
  if (cpu < 0 || cpu >= CPU_SET_WORDS * 64) return 0;
  const addr = set + Math.floor(cpu / 64);
  const w = mem.load(addr);
  if (typeof w !== 'number' && typeof w !== 'bigint') return new Fault('SIGSEGV', `${name}: bad cpu_set_t pointer`);
  const word = BigInt.asUintN(64, BigInt(w));
  const bit = 1n << BigInt(cpu % 64);
  if (name === 'CPU_ISSET') return (word & bit) !== 0n ? 1 : 0;
  mem.store(addr, norm(name === 'CPU_SET' ? word | bit : word & ~bit));
  return 0;
}
