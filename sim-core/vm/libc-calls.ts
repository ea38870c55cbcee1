// The C library functions that are more than one system call, as glibc (2.34 and later) writes
// them for x86-64: execvp's PATH walk, sleep and usleep over clock_nanosleep, pthread_create over
// clone3 and pthread_join's futex loop on the thread's tid word, raise (gettid, getpid, tgkill),
// pthread_kill (getpid, tgkill), abort, signal over rt_sigaction, nice (getpriority, setpriority,
// getpriority). Each starts with
// startLibc and goes on in resumeLibc each time the kernel answers one of its calls.
import { SEGMENT_SPAN } from './image';
import type { VmMemory } from './memory';
import type { LibcCall, VmRegs } from './regs';
import type { Trap, Value } from './types';
import { execCandidates } from '../lang/exec-path';
import { cstring } from './cstring';
import { resumeSync, SYNC_OPS } from './libc-sync';
import { envValue } from './libc-env';
import { resumeStdio, STDIO_OPS } from './stdio-ops';
import { exitCall } from './stdio-calls';
import { FD_OPS, resumeFd } from './libc-fd';
import { resumeShm, SHM_OPS } from './libc-shm';
import { MSG_OPS, resumeMsg } from './libc-msg';
import { PROC_OPS, resumeProc } from './libc-proc';
import { resumeRwlock, RWLOCK_OPS } from './libc-rwlock';
import { resumeJump } from './libc-jmp';
import { CANCEL_OPS, resumeCancel } from './libc-cancel';

// Numbers of the Linux x86-64 ABI the library uses (its own headers, as glibc has them).
const ESRCH = 3, ENOENT = 2, EACCES = 13, EINVAL = 22, EDEADLK = 35, ENOTDIR = 20, ENODEV = 19;
const EINTR = 4, EISDIR = 21, EFAULT = 14;
const AT_FDCWD = -100, AT_REMOVEDIR = 0x200;
/** si_code values glibc looks at (and the cell of si_code in a siginfo_t). */
const SI_USER = 0, SI_TKILL = -6, SI_CODE_CELL = 2;
const ESTALE = 116, ETIMEDOUT = 110, EPERM = 1, ENOMEM = 12, EAGAIN = 11;
const CLOCK_REALTIME = 0;
/** sizeof(sigset_t) as the kernel takes it (rt_sigaction's and rt_sigprocmask's last argument). */
export const SIG_SETSIZE = 8;
const SIGABRT = 6, SIG_UNBLOCK = 1, SIG_DFL = 0, SIG_ERR = -1, NSIG = 65;
/** The signals glibc keeps for itself: thread cancellation and set*id across threads. */
const SIGCANCEL = 32, SIGSETXID = 33;
const SA_RESTART = 0x10000000, SA_RESTORER = 0x04000000;
/** struct sigaction's cells as the kernel reads them (sigaction.ts): handler, mask, flags. */
const SA_HANDLER = 0, SA_MASK = 1, SA_FLAGS = 2;
const PRIO_PROCESS = 0;
const FUTEX_WAIT_BITSET = 9, FUTEX_CLOCK_REALTIME = 256, FUTEX_BITSET_MATCH_ANY = -1;
/** The flags glibc's create_thread passes to clone3. */
export const PTHREAD_CLONE_FLAGS = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x80000 | 0x100000 | 0x200000;
/** Cells of struct clone_args as the kernel reads them: flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls. */
export const CLONE_ARGS_CELLS = 8;
/**
 * Cells of the thread descriptor (struct pthread) the library keeps: tid, result, joinid
 * (the descriptor itself once the thread is detached, as glibc marks it), cancelhandling and
 * the newest cleanup handler (libc-cancel.ts).
 */
export const PD_TID = 0, PD_RESULT = 1, PD_CANCEL = 3, PD_CLEANUP = 4;
const PD_JOINID = 2, PD_CELLS = 5;
/** The detach-state cell of a pthread_attr_t (ctypes.ts), and PTHREAD_CREATE_DETACHED. */
const ATTR_DETACHSTATE = 0, PTHREAD_CREATE_DETACHED = 1;

/** A result the library returns without (another) system call; errno is already set. */
export class Done {
  constructor(readonly value: Value) {}
}

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

function trap(line: number, name: string, args: Value[]): Trap {
  return { kind: 'syscall', name, args, line };
}

/** The kernel's -errno convention as the C library reports it: -1 and errno. */
function sysret(r: VmRegs, raw: Value): Value {
  if (typeof raw === 'number' && raw < 0 && raw >= -4095) { r.errno = -raw; return -1; }
  return raw;
}

/** A block of user memory for a structure the library passes by pointer (0 when memory is exhausted). */
export function scratch(mem: VmMemory, cells: Value[]): number {
  const seg = mem.newBlock(cells.length);
  if (seg < 0) return 0;
  const a = seg * SEGMENT_SPAN;
  cells.forEach((c, i) => mem.store(a + i, c));
  return a;
}

export function release(mem: VmMemory, addr: Value | undefined): void {
  if (typeof addr === 'number' && addr !== 0) mem.freeBlock(addr);
}

export function begin(r: VmRegs, op: string, site: number, v: Value[]): void {
  r.libc = { op, site, step: 0, v, next: null };
}

/**
 * The end of a thread (start_thread after its routine, or pthread_exit, which libc-cancel.ts
 * handles): a detached thread's descriptor is given back (__nptl_free_tcb). Its tid word is still to be cleared by the
 * kernel at exit, so it is freed once that has happened, when the next thread starts or ends.
 */
export function threadEnds(r: VmRegs, mem: VmMemory): void {
  reclaimDescriptors(mem);
  const pd = r.self, list = mem.libc.detachedExited;
  if (pd !== 0 && mem.load(pd + PD_JOINID) === pd && !list.includes(pd)) list.push(pd);
}

/** Gives back the descriptors of ended detached threads whose tid the kernel has cleared. */
function reclaimDescriptors(mem: VmMemory): void {
  const list = mem.libc.detachedExited;
  if (list.length === 0) return;
  mem.libc.detachedExited = list.filter((pd) => {
    if (mem.load(pd + PD_TID) !== 0) return true;
    cacheDescriptor(mem, pd);
    return false;
  });
}

/**
 * How many descriptors the cache keeps: glibc's stack cache holds 40 MiB, and each thread's
 * stack is 8 MiB (RLIMIT_STACK) plus a guard page, so four fit; a fifth frees the oldest.
 */
const STACK_CACHE_DESCRIPTORS = 4;

/** queue_stack: the descriptor stays mapped for reuse; past the cache's size the oldest is unmapped. */
function cacheDescriptor(mem: VmMemory, pd: number): void {
  const cache = mem.libc.stackCache;
  cache.push(pd);
  while (cache.length > STACK_CACHE_DESCRIPTORS) release(mem, cache.shift());
}

/** get_cached_stack: the descriptor given back last, cleared, or a new one. */
function newDescriptor(mem: VmMemory): number {
  const pd = mem.libc.stackCache.pop();
  if (pd === undefined) return scratch(mem, new Array<Value>(PD_CELLS).fill(0));
  for (let i = 0; i < PD_CELLS; i++) mem.store(pd + i, 0);
  return pd;
}

/** The thread's descriptor; the main thread's is made on first use (glibc's static one). */
export function self(r: VmRegs, mem: VmMemory): number {
  if (r.self === 0) r.self = scratch(mem, new Array<Value>(PD_CELLS).fill(0));
  // A running thread's descriptor holds its tid (set_tid_address for the main thread at start,
  // and anew in a fork's child), so that other threads can signal it.
  if (r.self !== 0 && r.tid > 0) mem.store(r.self + PD_TID, r.tid);
  return r.self;
}

/**
 * Starts a C library function that needs more than one system call, or work around its one.
 * Returns its first trap (with r.libc set), a Done when it returns at once, or null when
 * `name` is not one of these (or, for execvp and execlp, when the file has a slash). The exec
 * functions take [file (read already), argv address, envp address].
 */
export function startLibc(name: string, site: number, line: number, a: Value[], mem: VmMemory, r: VmRegs): Trap | Done | null {
  switch (name) {
    case 'execvp': case 'execlp': {
      // __execvpe: a name with a slash is used as it is; otherwise each PATH entry is tried.
      const file = String(a[0]);
      if (file === '') { r.errno = ENOENT; return new Done(-1); }
      // PATH as the caller's environment has it when the call starts.
      const path = envValue(mem, 'PATH');
      const paths = execCandidates(file, true, path);
      if (paths.length === 1 && paths[0] === file) return null;
      begin(r, name, site, [file, a[1] ?? 0, a[2] ?? 0, 0, path ?? 0]);
      return trap(line, 'execve', [paths[0], a[1] ?? 0, a[2] ?? 0]);
    }
    case 'remove': {
      // unlinkat(AT_FDCWD, file, 0), and for a directory (EISDIR) unlinkat with AT_REMOVEDIR.
      const file = typeof a[0] === 'string' ? a[0] : cstring(mem, a[0], 4096 * 4);
      if (file === null) { r.errno = EFAULT; return new Done(-1); }
      begin(r, name, site, [file]);
      return trap(line, 'unlinkat', [AT_FDCWD, file, 0]);
    }
    case 'sleep': {
      // struct timespec ts = { seconds, 0 }; clock_nanosleep(CLOCK_REALTIME, 0, &ts, &ts).
      const ts = scratch(mem, [num(a[0]), 0]);
      if (!ts) return new Done(num(a[0]));
      begin(r, name, site, [ts]);
      return trap(line, 'clock_nanosleep', [CLOCK_REALTIME, 0, ts, ts]);
    }
    case 'usleep': {
      const us = num(a[0]);
      const ts = scratch(mem, [Math.floor(us / 1e6), (us % 1e6) * 1000]);
      if (!ts) { r.errno = ENOMEM; return new Done(-1); }
      begin(r, name, site, [ts]);
      return trap(line, 'clock_nanosleep', [CLOCK_REALTIME, 0, ts, 0]);
    }
    case 'pthread_create': {
      reclaimDescriptors(mem);
      // The descriptor holds the tid word the kernel sets (CLONE_PARENT_SETTID) and clears at
      // exit (CLONE_CHILD_CLEARTID); TLS points at it (CLONE_SETTLS). pthread_t is its address.
      const pd = newDescriptor(mem);
      if (!pd) return new Done(EAGAIN);
      const ca = scratch(mem, [PTHREAD_CLONE_FLAGS, 0, pd + PD_TID, pd + PD_TID, 0, 0, 0, pd]);
      if (!ca) { cacheDescriptor(mem, pd); return new Done(EAGAIN); }
      if (num(a[0]) !== 0 && !mem.store(num(a[0]), pd)) { cacheDescriptor(mem, pd); release(mem, ca); return new Done(EINVAL); }
      // Detached from the start: nobody joins it (pthread_attr_setdetachstate).
      if (num(a[1]) !== 0 && mem.load(num(a[1]) + ATTR_DETACHSTATE) === PTHREAD_CREATE_DETACHED) mem.store(pd + PD_JOINID, pd);
      begin(r, name, site, [pd, ca]);
      return trap(line, 'clone3', [ca, CLONE_ARGS_CELLS * 8, a[2] ?? 0, a[3] ?? 0]);
    }
    case 'pthread_join': {
      const pd = num(a[0]);
      if (pd === self(r, mem)) return new Done(EDEADLK);
      const tid = mem.load(pd + PD_TID);
      if (typeof tid !== 'number' || tid < 0) return new Done(ESRCH);
      if (mem.load(pd + PD_JOINID) === pd) return new Done(EINVAL);
      if (tid === 0) return new Done(joined(mem, pd, num(a[1])));
      begin(r, name, site, [pd, num(a[1])]);
      return futexWait(line, pd, tid);
    }
    case 'pthread_self': return new Done(self(r, mem));
    case 'pthread_detach': {
      // Marks the descriptor detached; a thread that has ended already is freed now.
      const pd = num(a[0]);
      const tid = mem.load(pd + PD_TID);
      if (typeof tid !== 'number' || tid < 0) return new Done(ESRCH);
      if (mem.load(pd + PD_JOINID) === pd) return new Done(EINVAL);
      mem.store(pd + PD_JOINID, pd);
      if (tid === 0 && pd !== self(r, mem)) cacheDescriptor(mem, pd);
      return new Done(0);
    }
    case 'raise':
      begin(r, name, site, [num(a[0]), 0]);
      return trap(line, 'gettid', []);
    case 'pthread_kill': {
      // __pthread_kill_implementation: the caller itself is tgkill(getpid(), its tid); another
      // thread that has ended (or is ending) is not signalled and 0 returned.
      const pd = num(a[0]), sig = num(a[1]);
      if (sig < 0 || sig > NSIG - 1 || sig === SIGCANCEL || sig === SIGSETXID) return new Done(EINVAL);
      const tid = pd === self(r, mem) ? r.tid : mem.load(pd + PD_TID);
      if (typeof tid !== 'number' || tid <= 0) return new Done(0);
      begin(r, name, site, [tid, sig]);
      return trap(line, 'getpid', []);
    }
    case 'pthread_sigmask':
      begin(r, name, site, []);
      return trap(line, 'rt_sigprocmask', [num(a[0]), num(a[1]), num(a[2]), SIG_SETSIZE]);
    case 'abort': {
      // Unblock SIGABRT, raise it; if a handler returns, reset it to SIG_DFL and raise it again.
      const set = scratch(mem, [2 ** (SIGABRT - 1)]);
      begin(r, name, site, [SIGABRT, 0, set]);
      return trap(line, 'rt_sigprocmask', [SIG_UNBLOCK, set, 0, SIG_SETSIZE]);
    }
    case 'sigaction': {
      // __libc_sigaction: *act copied into a kernel_sigaction with SA_RESTORER (the return
      // trampoline) added to its flags, which oldact then shows; glibc's own signals are EINVAL.
      const sig = num(a[0]), act = num(a[1]);
      if (sig < 1 || sig >= NSIG || sig === SIGCANCEL || sig === SIGSETXID) { r.errno = EINVAL; return new Done(-1); }
      let kact = 0;
      if (act !== 0) {
        kact = scratch(mem, [mem.load(act + SA_HANDLER) ?? SIG_DFL, mem.load(act + SA_MASK) ?? 0, num(mem.load(act + SA_FLAGS)) | SA_RESTORER]);
        if (!kact) { r.errno = ENOMEM; return new Done(-1); }
      }
      begin(r, name, site, [kact]);
      return trap(line, 'rt_sigaction', [sig, kact, num(a[2]), SIG_SETSIZE]);
    }
    case 'signal': {
      // __bsd_signal: the handler with its own signal blocked and SA_RESTART.
      const sig = num(a[0]);
      if (a[1] === SIG_ERR || sig < 1 || sig >= NSIG || sig === SIGCANCEL || sig === SIGSETXID) { r.errno = EINVAL; return new Done(SIG_ERR); }
      const act = scratch(mem, [a[1] ?? SIG_DFL, 2 ** (sig - 1), SA_RESTART | SA_RESTORER]);
      const oact = scratch(mem, [0, 0, 0]);
      begin(r, name, site, [act, oact]);
      return trap(line, 'rt_sigaction', [sig, act, oact, SIG_SETSIZE]);
    }
    case 'sigwaitinfo': case 'sigtimedwait': {
      // rt_sigtimedwait(set, info, timeout, 8); sigwaitinfo has no timeout.
      const ts = name === 'sigtimedwait' ? num(a[2]) : 0;
      begin(r, name, site, [num(a[1])]);
      return trap(line, 'rt_sigtimedwait', [num(a[0]), num(a[1]), ts, SIG_SETSIZE]);
    }
    case 'sigwait':
      // sigtimedwait(set, NULL, NULL) again while EINTR; the signal goes to *sig, 0 is returned.
      begin(r, name, site, [num(a[0]), num(a[1])]);
      return trap(line, 'rt_sigtimedwait', [num(a[0]), 0, 0, SIG_SETSIZE]);
    case 'killpg':
      if (num(a[0]) < 0) { r.errno = EINVAL; return new Done(-1); }
      begin(r, name, site, []);
      return trap(line, 'kill', [-num(a[0]), num(a[1])]);
    case 'nice':
      begin(r, name, site, [num(a[0])]);
      return trap(line, 'getpriority', [PRIO_PROCESS, 0]);
    // getpriority: the kernel's 20 - nice turned back into the nice value.
    case 'getpriority':
      begin(r, name, site, []);
      return trap(line, 'getpriority', [num(a[0]), num(a[1])]);
    // sched_getaffinity: the bytes past what the kernel copied are cleared, and 0 returned.
    case 'sched_getaffinity':
      begin(r, name, site, [num(a[1]), num(a[2])]);
      return trap(line, 'sched_getaffinity', [num(a[0]), num(a[1]), num(a[2])]);
    // sched_getcpu: getcpu(&cpu, NULL) (glibc reads it from rseq or the vDSO when it can).
    case 'sched_getcpu': {
      const cpu = scratch(mem, [0]);
      if (!cpu) { r.errno = ENOMEM; return new Done(-1); }
      begin(r, name, site, [cpu]);
      return trap(line, 'getcpu', [cpu, 0, 0]);
    }
    default: return null;
  }
}

function futexWait(line: number, pd: number, tid: number): Trap {
  return trap(line, 'futex', [pd + PD_TID, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, tid, 0, 0, FUTEX_BITSET_MATCH_ANY]);
}

/**
 * The thread is gone: marked joined (pd->tid = -1), its result goes to *retval and the
 * descriptor back to the cache (__nptl_free_tcb).
 */
function joined(mem: VmMemory, pd: number, retval: number): number {
  mem.store(pd + PD_TID, -1);
  if (retval !== 0) mem.store(retval, mem.load(pd + PD_RESULT) ?? 0);
  cacheDescriptor(mem, pd);
  return 0;
}

/**
 * The kernel answered one system call of r.libc. Returns the function's C result (it returned),
 * or null after queueing its next system call in r.libc.next.
 */
export function resumeLibc(r: VmRegs, mem: VmMemory, ret: Value): Done | null {
  const c = r.libc as LibcCall;
  c.step++;
  const line = r.line;
  const next = (name: string, args: Value[]): null => { c.next = trap(line, name, args); return null; };
  const end = (value: Value): Done => { r.libc = null; return new Done(value); };
  const raw = num(ret);
  if (STDIO_OPS.has(c.op)) {
    const done = resumeStdio(r, c, mem, raw, line);
    if (done !== null) r.libc = null;
    return done;
  }
  if (CANCEL_OPS.has(c.op)) { const v = resumeCancel(r, c, mem, raw, line); return v === null ? null : end(v); }
  if (SYNC_OPS.has(c.op)) {
    const done = resumeSync(r, c, mem, raw, line);
    return done === null ? null : end(done.value);
  }
  if (FD_OPS.has(c.op)) return end(resumeFd(r, mem, c.op, c.v, raw));
  if (SHM_OPS.has(c.op)) { const v = resumeShm(r, c, mem, raw, line); return v === null ? null : end(v); }
  if (MSG_OPS.has(c.op)) return end(resumeMsg(r, mem, c.op, c.v, raw));
  if (RWLOCK_OPS.has(c.op)) {
    const done = resumeRwlock(r, c, mem, line);
    return done === null ? null : end(done.value);
  }
  if (PROC_OPS.has(c.op)) {
    const done = resumeProc(r, c, mem, raw, line);
    return done === null ? null : end(done.value);
  }
  switch (c.op) {
    case 'longjmp': return end(resumeJump(r, mem, c.v));
    case 'execvp': case 'execlp': {
      // Only failures return here. glibc goes on to the next entry on these errors, remembers
      // EACCES, and stops on any other.
      const err = -raw;
      if (err === EACCES) c.v[3] = 1;
      const goOn = err === EACCES || err === ENOENT || err === ESTALE || err === ENOTDIR || err === ENODEV || err === ETIMEDOUT;
      const paths = execCandidates(String(c.v[0]), true, typeof c.v[4] === 'string' ? c.v[4] : null);
      if (goOn && c.step < paths.length) return next('execve', [paths[c.step], c.v[1], c.v[2]]);
      return end(sysret(r, goOn && c.v[3] === 1 ? -EACCES : raw));
    }
    case 'remove':
      if (raw === -EISDIR && c.step === 1) return next('unlinkat', [AT_FDCWD, c.v[0], AT_REMOVEDIR]);
      return end(sysret(r, raw));
    case 'sleep': {
      // Interrupted: the whole seconds not slept (what the kernel left in ts).
      const ts = num(c.v[0]);
      const left = raw < 0 ? num(mem.load(ts)) : 0;
      if (raw < 0) r.errno = -raw;
      release(mem, ts);
      return end(left);
    }
    case 'usleep':
      release(mem, c.v[0]);
      return end(sysret(r, raw));
    case 'pthread_create':
      release(mem, c.v[1]);
      if (raw < 0) { cacheDescriptor(mem, num(c.v[0])); return end(-raw); }
      return end(0);
    case 'pthread_join': {
      // while ((tid = pd->tid) != 0) futex_wait(&pd->tid, tid): woken, interrupted or not.
      const pd = num(c.v[0]);
      const tid = num(mem.load(pd + PD_TID));
      if (tid !== 0) return futexAgain(c, line, pd, tid);
      return end(joined(mem, pd, num(c.v[1])));
    }
    case 'raise': case 'abort': return raiseStep(r, c, mem, raw, next, end);
    case 'sigwaitinfo': case 'sigtimedwait': {
      // glibc folds SI_TKILL (raise's tgkill) into SI_USER for the caller.
      const info = num(c.v[0]);
      if (raw > 0 && info !== 0 && mem.load(info + SI_CODE_CELL) === SI_TKILL) mem.store(info + SI_CODE_CELL, SI_USER);
      return end(sysret(r, raw));
    }
    case 'sigwait':
      if (raw === -EINTR) return next('rt_sigtimedwait', [c.v[0], 0, 0, SIG_SETSIZE]);
      if (raw < 0) return end(-raw);
      mem.store(num(c.v[1]), raw);
      return end(0);
    case 'killpg': return end(sysret(r, raw));
    case 'sigaction':
      release(mem, c.v[0]);
      return end(sysret(r, raw));
    case 'pthread_kill':
      if (c.step === 1) return next('tgkill', [raw, c.v[0], c.v[1]]);
      return end(raw < 0 ? -raw : 0);
    case 'pthread_sigmask': return end(raw < 0 ? -raw : 0);
    case 'signal': {
      const oact = num(c.v[1]);
      const old = mem.load(oact) ?? SIG_DFL;
      release(mem, c.v[0]);
      release(mem, oact);
      return end(raw < 0 ? sysret(r, raw) : old);
    }
    case 'getpriority': return end(raw < 0 ? sysret(r, raw) : 20 - raw);
    case 'sched_getaffinity': {
      if (raw < 0) return end(sysret(r, raw));
      // 8 bytes (one cell) per unsigned long of the mask.
      for (let i = raw / 8; i < num(c.v[0]) / 8; i++) mem.store(num(c.v[1]) + i, 0);
      return end(0);
    }
    case 'sched_getcpu': {
      const cpu = mem.load(num(c.v[0])) ?? 0;
      release(mem, c.v[0]);
      return end(raw < 0 ? sysret(r, raw) : cpu);
    }
    case 'nice': {
      // getpriority returns 20 - nice; setpriority's EACCES is EPERM for nice().
      if (c.step === 1) return raw < 0 ? end(sysret(r, raw)) : next('setpriority', [PRIO_PROCESS, 0, 20 - raw + num(c.v[0])]);
      if (c.step === 2) {
        if (raw < 0) { r.errno = -raw === EACCES ? EPERM : -raw; return end(-1); }
        return next('getpriority', [PRIO_PROCESS, 0]);
      }
      return end(raw < 0 ? sysret(r, raw) : 20 - raw);
    }
    default: return end(ret);
  }
}

function futexAgain(c: LibcCall, line: number, pd: number, tid: number): null {
  c.next = futexWait(line, pd, tid);
  return null;
}

/**
 * raise(sig) is gettid, getpid, then tgkill(pid, tid, sig) (no signal blocking when a thread
 * signals itself). abort is rt_sigprocmask(SIG_UNBLOCK, {SIGABRT}), raise(SIGABRT); if that
 * returns, rt_sigaction(SIGABRT, SIG_DFL) and raise(SIGABRT) again; then _exit(127).
 * v: [sig, tid, scratch block].
 */
function raiseStep(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number, next: (n: string, a: Value[]) => null, end: (v: Value) => Done): Done | null {
  // Where in raise this answer falls: 1 gettid answered, 2 getpid answered, 3 tgkill answered.
  const inRaise = c.op === 'raise' ? c.step : c.step === 1 || c.step === 5 ? 0 : c.step < 5 ? c.step - 1 : c.step - 5;
  switch (inRaise) {
    case 0: return next('gettid', []);
    case 1: c.v[1] = raw; return next('getpid', []);
    case 2: return next('tgkill', [raw, c.v[1], c.v[0]]);
    default: break;
  }
  if (c.op === 'raise') return end(sysret(r, raw));
  release(mem, c.v[2]);
  c.v[2] = 0;
  if (c.step === 4) {
    const act = scratch(mem, [SIG_DFL, 2 ** 53 - 1, SA_RESTORER]);
    c.v[2] = act;
    return next('rt_sigaction', [SIGABRT, act, 0, SIG_SETSIZE]);
  }
  return next('exit_group', [127]);
}

/**
 * What the outermost function's return becomes: main's value goes to exit_group (exit), a
 * thread's start routine's to its descriptor for pthread_join, then exit(0) (start_thread); a
 * bare clone()'s function's value is the exit status (the clone wrapper calls exit with it).
 */
export function returnTrap(r: VmRegs, mem: VmMemory, v: Value): Trap {
  if (r.onReturn === 'exit' && r.self !== 0) {
    mem.store(r.self + PD_RESULT, v);
    threadEnds(r, mem);
    return trap(r.line, 'exit', [0]);
  }
  // main's return is exit(v): the streams are flushed first (at the call site kept for it).
  if (r.onReturn === 'exit_group') {
    const site = r.image.sites.findIndex((s) => s.name === 'exit');
    const t = exitCall(r, mem, site, r.line, v) as Trap;
    if (r.libc !== null) r.pending = site;
    return t;
  }
  return trap(r.line, r.onReturn, [v]);
}
