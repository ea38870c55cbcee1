// Thread synchronisation of the C library, as glibc's NPTL builds it on futexes: every object is
// words in user memory (pthread_mutex_t, pthread_cond_t, sem_t, pthread_barrier_t), an
// uncontended operation is one atomic instruction on them (a library call that finishes without
// the kernel), and only a thread that must sleep, or wake a sleeper, makes the futex system call.
// Mutexes follow lll_lock: the lock word is 0 (free), 1 (locked) or 2 (locked, maybe waiters).
import { attrCall, ATTR_CELLS, COND_CLOCK_MONOTONIC_MASK, COND_SHARED_MASK, MUTEXATTR_KIND_MASK, MUTEXATTR_PSHARED } from './libc-sync-attr';
import type { VmMemory } from './memory';
import type { LibcCall, VmRegs } from './regs';
import type { Trap, Value } from './types';

const EINVAL = 22, EBUSY = 16, EDEADLK = 35, EPERM = 1, EAGAIN = 11, EINTR = 4, ETIMEDOUT = 110, EOVERFLOW = 75;
const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_WAIT_BITSET = 9, FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
const FUTEX_BITSET_MATCH_ANY = -1, INT_MAX = 2147483647, SEM_VALUE_MAX = INT_MAX;
const PTHREAD_BARRIER_SERIAL_THREAD = -1;
/** Mutex kinds (PTHREAD_MUTEX_TIMED_NP, _RECURSIVE_NP, _ERRORCHECK_NP, _ADAPTIVE_NP). */
const NORMAL = 0, RECURSIVE = 1, ERRORCHECK = 2, ADAPTIVE = 3;
/** Cells of pthread_mutex_t (ctypes.ts): __lock, __count, __owner, __nusers, __kind. */
const M_LOCK = 0, M_COUNT = 1, M_OWNER = 2, M_NUSERS = 3, M_KIND = 4, M_CELLS = 5;
/** Cells of pthread_cond_t: the sequence word waiters sleep on, how many wait, the attribute bits. */
const C_FUTEX = 0, C_NWAITERS = 1, C_WREFS = 2, C_CELLS = 3;
/** Cells of sem_t: the count (the futex word), the sleepers, the futex flag for pshared. */
const S_VALUE = 0, S_NWAITERS = 1, S_PRIVATE = 2;
/** Cells of pthread_barrier_t: arrivals this round, the round (the futex word), the count, the futex flag. */
const B_IN = 0, B_ROUND = 1, B_COUNT = 2, B_SHARED = 3;
/** PTHREAD_MUTEX_PSHARED_BIT of a mutex's __kind: its futex calls are shared (no FUTEX_PRIVATE_FLAG). */
const MUTEX_PSHARED = 128;

/** A result returned without a(nother) system call; errno is set already when it is -1. */
export class SyncDone {
  constructor(readonly value: Value) {}
}

/** A bad pointer: glibc would touch it and fault. */
export class SyncFault {
  constructor(readonly message: string) {}
}

export const SYNC_OPS: ReadonlySet<string> = new Set(['pthread_mutex_lock', 'pthread_mutex_unlock', 'pthread_cond_wait',
  'pthread_cond_timedwait', 'pthread_cond_signal', 'pthread_cond_broadcast', 'sem_wait', 'sem_timedwait', 'sem_post', 'pthread_barrier_wait',
  '__pthread_once_enter', '__pthread_once_done']);
/** pthread_once_t: PTHREAD_ONCE_INIT, the routine running, the routine done (glibc's __PTHREAD_ONCE_*). */
const ONCE_INPROGRESS = 1, ONCE_DONE = 2;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/** The futex system call as the C library makes it (op carries FUTEX_PRIVATE_FLAG when private). */
export function futex(line: number, addr: number, op: number, val: number, timeout = 0, val3 = 0): Trap {
  return { kind: 'syscall', name: 'futex', args: [addr, op, val, timeout, 0, val3], line };
}

function wait(line: number, addr: number, val: number, flag = FUTEX_PRIVATE_FLAG): Trap {
  return futex(line, addr, FUTEX_WAIT | flag, val);
}

function wake(line: number, addr: number, n: number, flag = FUTEX_PRIVATE_FLAG): Trap {
  return futex(line, addr, FUTEX_WAKE | flag, n);
}

/** A mutex's kind without the process-shared bit (destroyed: -1 stays out of range). */
function kindOf(mem: VmMemory, m: number): number {
  const k = num(mem.load(m + M_KIND));
  return k < 0 ? k : k & ~MUTEX_PSHARED;
}

/** The futex flag of a mutex's lock word: private unless the mutex is process-shared (lll_lock's LLL_SHARED). */
function mflag(mem: VmMemory, m: number): number {
  const k = num(mem.load(m + M_KIND));
  return k >= 0 && k & MUTEX_PSHARED ? 0 : FUTEX_PRIVATE_FLAG;
}

/** atomic_exchange: the old value, the new one stored. */
function xchg(mem: VmMemory, addr: number, v: number): number {
  const old = num(mem.load(addr));
  mem.store(addr, v);
  return old;
}

function begin(r: VmRegs, op: string, site: number, v: Value[]): void {
  r.libc = { op, site, step: 0, v, next: null };
}

/** The mutex is the caller's now: the owner's tid, the user count (and a recursive one's depth). */
function owned(mem: VmMemory, m: number, tid: number, users: boolean): void {
  mem.store(m + M_OWNER, tid);
  if (users) mem.store(m + M_NUSERS, num(mem.load(m + M_NUSERS)) + 1);
  if (kindOf(mem, m) === RECURSIVE) mem.store(m + M_COUNT, 1);
}

/**
 * lll_lock's fast path: a compare-and-swap from 0 to 1. Returns 0 when taken, an error number
 * (EDEADLK, EAGAIN, EINVAL), or -1 when the caller must sleep.
 */
function lockFast(mem: VmMemory, m: number, tid: number): number {
  const kind = kindOf(mem, m);
  if (kind < NORMAL || kind > ADAPTIVE) return EINVAL;
  const owner = num(mem.load(m + M_OWNER));
  if (kind === ERRORCHECK && owner === tid && num(mem.load(m + M_LOCK)) !== 0) return EDEADLK;
  if (kind === RECURSIVE && owner === tid && num(mem.load(m + M_LOCK)) !== 0) {
    const count = num(mem.load(m + M_COUNT));
    if (count + 1 > 0xffffffff) return EAGAIN;
    mem.store(m + M_COUNT, count + 1);
    return 0;
  }
  if (num(mem.load(m + M_LOCK)) === 0) {
    mem.store(m + M_LOCK, 1);
    owned(mem, m, tid, true);
    return 0;
  }
  return -1;
}

/** lll_lock_wait: mark the word 2 (a waiter); taken if it was free, otherwise sleep on 2. */
function lockSlow(mem: VmMemory, m: number): boolean {
  return xchg(mem, m + M_LOCK, 2) === 0;
}

/**
 * The unlock half: checks by kind, then the word goes to 0. Returns an error number, 0 when no
 * one sleeps, or -1 when a waiter must be woken (the word was 2).
 */
function unlockWord(mem: VmMemory, m: number, tid: number, users: boolean): number {
  const kind = kindOf(mem, m);
  if (kind < NORMAL || kind > ADAPTIVE) return EINVAL;
  const owner = num(mem.load(m + M_OWNER));
  if (kind === ERRORCHECK && (owner !== tid || num(mem.load(m + M_LOCK)) === 0)) return EPERM;
  if (kind === RECURSIVE) {
    if (owner !== tid) return EPERM;
    const count = num(mem.load(m + M_COUNT)) - 1;
    mem.store(m + M_COUNT, Math.max(0, count));
    if (count > 0) return 0;
  }
  mem.store(m + M_OWNER, 0);
  if (users) mem.store(m + M_NUSERS, Math.max(0, num(mem.load(m + M_NUSERS)) - 1));
  return xchg(mem, m + M_LOCK, 0) > 1 ? -1 : 0;
}

function failed(r: VmRegs, err: number): SyncDone {
  r.errno = err;
  return new SyncDone(-1);
}

/** Checks that every pointer argument the function works on is mapped. */
function mapped(mem: VmMemory, addr: number, cells: number): boolean {
  return addr !== 0 && mem.load(addr) !== undefined && mem.load(addr + cells - 1) !== undefined;
}

const POINTER_CELLS: Readonly<Record<string, number>> = {
  ...ATTR_CELLS,
  pthread_mutex_init: M_CELLS, pthread_mutex_lock: M_CELLS, pthread_mutex_trylock: M_CELLS, pthread_mutex_unlock: M_CELLS,
  pthread_mutex_destroy: M_CELLS, pthread_cond_init: C_CELLS, pthread_cond_wait: C_CELLS, pthread_cond_timedwait: C_CELLS,
  pthread_cond_signal: C_CELLS, pthread_cond_broadcast: C_CELLS, pthread_cond_destroy: C_CELLS, sem_init: 3, sem_wait: 3,
  sem_timedwait: 3, sem_trywait: 3, sem_post: 3, sem_getvalue: 3, sem_destroy: 3, pthread_barrier_init: 4,
  pthread_barrier_wait: 4, pthread_barrier_destroy: 4, __pthread_once_enter: 1, __pthread_once_done: 1,
};

/**
 * Starts a synchronisation function: its result when it needs no system call, its first futex
 * call (r.libc set), a fault for a bad pointer, or null when `name` is not one of these.
 */
export function startSync(name: string, site: number, line: number, a: Value[], mem: VmMemory, r: VmRegs): Trap | SyncDone | SyncFault | null {
  const cells = POINTER_CELLS[name];
  if (cells === undefined) return null;
  const p = num(a[0]);
  if (!mapped(mem, p, cells)) return new SyncFault(`${name}: ${p === 0 ? 'NULL pointer dereference' : 'bad pointer'}`);
  const tid = r.tid;
  const attr = attrCall(name, p, a, mem);
  if (typeof attr === 'string') return new SyncFault(attr);
  if (attr !== null) return new SyncDone(attr);
  switch (name) {
    case 'pthread_mutex_init': {
      const attr = num(a[1]);
      for (let i = 0; i < M_CELLS; i++) mem.store(p + i, 0);
      // The attributes' kind, and their process-shared flag as the mutex's PTHREAD_MUTEX_PSHARED_BIT.
      const v = attr !== 0 ? num(mem.load(attr)) : NORMAL;
      mem.store(p + M_KIND, (v & MUTEXATTR_KIND_MASK) | (v & MUTEXATTR_PSHARED ? MUTEX_PSHARED : 0));
      return new SyncDone(0);
    }
    case 'pthread_mutex_lock': {
      const got = lockFast(mem, p, tid);
      if (got >= 0) return new SyncDone(got);
      if (num(mem.load(p + M_LOCK)) !== 2 && lockSlow(mem, p)) { owned(mem, p, tid, true); return new SyncDone(0); }
      begin(r, name, site, [p]);
      return wait(line, p + M_LOCK, 2, mflag(mem, p));
    }
    case 'pthread_mutex_trylock': {
      const kind = kindOf(mem, p);
      if (kind === RECURSIVE || kind < NORMAL || kind > ADAPTIVE || num(mem.load(p + M_LOCK)) === 0) {
        const got = lockFast(mem, p, tid);
        return new SyncDone(got < 0 ? EBUSY : got);
      }
      return new SyncDone(EBUSY);
    }
    case 'pthread_mutex_unlock': {
      const res = unlockWord(mem, p, tid, true);
      if (res >= 0) return new SyncDone(res);
      begin(r, name, site, [p]);
      return wake(line, p + M_LOCK, 1, mflag(mem, p));
    }
    case 'pthread_mutex_destroy':
      if (num(mem.load(p + M_NUSERS)) !== 0) return new SyncDone(EBUSY);
      mem.store(p + M_KIND, -1);
      return new SyncDone(0);
    case 'pthread_cond_destroy': case 'pthread_barrier_destroy':
      return new SyncDone(0);
    case 'pthread_cond_init': {
      // The attributes' shared bit and clock go to __wrefs (glibc's pthread_cond_init).
      const at = num(a[1]);
      const value = at !== 0 ? mem.load(at) : 0;
      if (value === undefined) return new SyncFault('pthread_cond_init: bad attribute pointer');
      const v = num(value);
      mem.store(p + C_FUTEX, 0); mem.store(p + C_NWAITERS, 0);
      mem.store(p + C_WREFS, (v & 1 ? COND_SHARED_MASK : 0) | ((v >> 1) & 1 ? COND_CLOCK_MONOTONIC_MASK : 0));
      return new SyncDone(0);
    }
    case 'pthread_cond_wait': case 'pthread_cond_timedwait': return condWait(name, site, line, a, mem, r);
    case 'pthread_cond_signal': case 'pthread_cond_broadcast': {
      if (num(mem.load(p + C_NWAITERS)) === 0) return new SyncDone(0);
      mem.store(p + C_FUTEX, (num(mem.load(p + C_FUTEX)) + 1) >>> 0);
      begin(r, name, site, []);
      const priv = num(mem.load(p + C_WREFS)) & COND_SHARED_MASK ? 0 : FUTEX_PRIVATE_FLAG;
      return wake(line, p + C_FUTEX, name === 'pthread_cond_signal' ? 1 : INT_MAX, priv);
    }
    case 'sem_init': {
      const value = num(a[2]);
      if (value < 0 || value > SEM_VALUE_MAX) return failed(r, EINVAL);
      mem.store(p + S_VALUE, value);
      mem.store(p + S_NWAITERS, 0);
      mem.store(p + S_PRIVATE, num(a[1]) !== 0 ? 0 : FUTEX_PRIVATE_FLAG);
      return new SyncDone(0);
    }
    case 'sem_wait': case 'sem_trywait': case 'sem_timedwait': {
      // sem_timedwait checks the deadline's nanoseconds before anything else (EINVAL).
      const abstime = name === 'sem_timedwait' ? num(a[1]) : 0;
      if (name === 'sem_timedwait') {
        const nsec = mem.load(abstime + 1);
        if (abstime === 0 || nsec === undefined) return new SyncFault('sem_timedwait: bad abstime pointer');
        if (num(nsec) < 0 || num(nsec) >= 1e9) return failed(r, EINVAL);
      }
      const v = num(mem.load(p + S_VALUE));
      if (v > 0) { mem.store(p + S_VALUE, v - 1); return new SyncDone(0); }
      if (name === 'sem_trywait') return failed(r, EAGAIN);
      mem.store(p + S_NWAITERS, num(mem.load(p + S_NWAITERS)) + 1);
      begin(r, name, site, [p, abstime]);
      return semWait(line, mem, p, abstime);
    }
    case 'sem_post': {
      const v = num(mem.load(p + S_VALUE));
      if (v >= SEM_VALUE_MAX) return failed(r, EOVERFLOW);
      mem.store(p + S_VALUE, v + 1);
      if (num(mem.load(p + S_NWAITERS)) === 0) return new SyncDone(0);
      begin(r, name, site, []);
      return futex(line, p + S_VALUE, FUTEX_WAKE | num(mem.load(p + S_PRIVATE)), 1);
    }
    case 'sem_getvalue':
      if (!mem.store(num(a[1]), num(mem.load(p + S_VALUE)))) return new SyncFault('sem_getvalue: bad pointer');
      return new SyncDone(0);
    case 'sem_destroy': return new SyncDone(0);
    case 'pthread_barrier_init': {
      const count = num(a[2]);
      if (count <= 0 || count > INT_MAX) return new SyncDone(EINVAL);
      // The attribute's process-shared setting picks the futex flag (glibc's barrier->shared).
      const at = num(a[1]);
      const shared = at !== 0 && num(mem.load(at)) & 1;
      mem.store(p + B_IN, 0); mem.store(p + B_ROUND, 0); mem.store(p + B_COUNT, count);
      mem.store(p + B_SHARED, shared ? 0 : FUTEX_PRIVATE_FLAG);
      return new SyncDone(0);
    }
    case 'pthread_barrier_wait': {
      const arrived = num(mem.load(p + B_IN)) + 1;
      const round = num(mem.load(p + B_ROUND));
      if (arrived < num(mem.load(p + B_COUNT))) {
        mem.store(p + B_IN, arrived);
        begin(r, name, site, [p, round]);
        return wait(line, p + B_ROUND, round, bflag(mem, p));
      }
      // The last of the round: the next round starts, the others wake.
      mem.store(p + B_IN, 0);
      mem.store(p + B_ROUND, (round + 1) >>> 0);
      if (arrived === 1) return new SyncDone(PTHREAD_BARRIER_SERIAL_THREAD);
      begin(r, name, site, [p, -1]);
      return wake(line, p + B_ROUND, INT_MAX, bflag(mem, p));
    }
    case '__pthread_once_enter': {
      // 1: the caller runs the routine; 0: it has run. Another thread running it: sleep until done.
      const state = num(mem.load(p));
      if (state === ONCE_DONE) return new SyncDone(0);
      if (state === 0) { mem.store(p, ONCE_INPROGRESS); return new SyncDone(1); }
      begin(r, name, site, [p]);
      return wait(line, p, ONCE_INPROGRESS);
    }
    case '__pthread_once_done':
      // The routine returned: done, and every thread waiting for it wakes (glibc always calls futex here).
      mem.store(p, ONCE_DONE);
      begin(r, name, site, []);
      return wake(line, p, INT_MAX);
    default: return null;
  }
}

/** A barrier's futex flag: FUTEX_PRIVATE_FLAG, or 0 when pthread_barrier_init found it process-shared. */
function bflag(mem: VmMemory, b: number): number {
  return num(mem.load(b + B_SHARED)) === 0 ? 0 : FUTEX_PRIVATE_FLAG;
}

/** Sleeps while the count is 0; with a deadline, an absolute CLOCK_REALTIME time as sem_timedwait's. */
function semWait(line: number, mem: VmMemory, s: number, abstime: number): Trap {
  const op = FUTEX_WAIT_BITSET | num(mem.load(s + S_PRIVATE)) | (abstime !== 0 ? FUTEX_CLOCK_REALTIME : 0);
  return futex(line, s + S_VALUE, op, 0, abstime, FUTEX_BITSET_MATCH_ANY);
}

/**
 * pthread_cond_wait: note the sequence, count the waiter, release the mutex (waking one of its
 * sleepers if any), then sleep while the sequence has not moved. v: [cond, mutex, abstime, seq].
 */
function condWait(name: string, site: number, line: number, a: Value[], mem: VmMemory, r: VmRegs): Trap | SyncDone | SyncFault {
  const cv = num(a[0]), m = num(a[1]), abstime = name === 'pthread_cond_timedwait' ? num(a[2]) : 0;
  if (!mapped(mem, m, M_CELLS)) return new SyncFault(`${name}: bad mutex pointer`);
  if (abstime !== 0) {
    const nsec = mem.load(abstime + 1);
    if (nsec === undefined) return new SyncFault(`${name}: bad abstime pointer`);
    if (num(nsec) < 0 || num(nsec) >= 1e9) return new SyncDone(EINVAL);
  }
  const seq = num(mem.load(cv + C_FUTEX));
  const res = unlockWord(mem, m, r.tid, false);
  if (res > 0) return new SyncDone(res);
  mem.store(cv + C_NWAITERS, num(mem.load(cv + C_NWAITERS)) + 1);
  begin(r, name, site, [cv, m, abstime, seq, num(mem.load(cv + C_WREFS))]);
  if (res < 0) return wake(line, m + M_LOCK, 1, mflag(mem, m));
  return condSleep(r.libc as LibcCall, line);
}

/** The sleep on the sequence word; a deadline is on the condition's clock (pthread_condattr_setclock). */
function condSleep(c: LibcCall, line: number): Trap {
  const [cv, , abstime, seq, wrefs] = c.v.map(num);
  c.step = 1;
  const priv = wrefs & COND_SHARED_MASK ? 0 : FUTEX_PRIVATE_FLAG;
  if (abstime === 0) return futex(line, cv + C_FUTEX, FUTEX_WAIT | priv, seq);
  const clock = wrefs & COND_CLOCK_MONOTONIC_MASK ? 0 : FUTEX_CLOCK_REALTIME;
  return futex(line, cv + C_FUTEX, FUTEX_WAIT_BITSET | clock | priv, seq, abstime, FUTEX_BITSET_MATCH_ANY);
}

/**
 * The kernel answered one futex call of a synchronisation function. Returns its C result, or
 * null after queueing the next call in c.next.
 */
export function resumeSync(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number, line: number): SyncDone | null {
  const again = (t: Trap): null => { c.next = t; return null; };
  switch (c.op) {
    case 'pthread_mutex_lock': {
      // Woken (or the word changed): try again to take it, marking it contended.
      const m = num(c.v[0]);
      if (lockSlow(mem, m)) { owned(mem, m, r.tid, true); return new SyncDone(0); }
      return again(wait(line, m + M_LOCK, 2, mflag(mem, m)));
    }
    case 'pthread_cond_wait': case 'pthread_cond_timedwait': {
      const [cv, m] = c.v.map(num);
      // Step 0: the mutex's waiter was woken; now sleep on the condition.
      if (c.step === 1 && c.v.length === 5) return again(condSleep(c, line));
      if (c.v.length === 5) {
        // Back from the sleep (woken, the sequence moved, a signal or the deadline).
        mem.store(cv + C_NWAITERS, Math.max(0, num(mem.load(cv + C_NWAITERS)) - 1));
        c.v.push(raw === -ETIMEDOUT ? ETIMEDOUT : 0);
      }
      // A recursive mutex held more than once was never released (its count only went down):
      // __pthread_mutex_cond_lock finds the caller the owner and counts up again.
      if (kindOf(mem, m) === RECURSIVE && num(mem.load(m + M_OWNER)) === r.tid && num(mem.load(m + M_LOCK)) !== 0) {
        mem.store(m + M_COUNT, num(mem.load(m + M_COUNT)) + 1);
        return new SyncDone(num(c.v[5]));
      }
      // Take the mutex back as lll_cond_lock does: always marked contended (2).
      if (lockSlow(mem, m)) { owned(mem, m, r.tid, false); return new SyncDone(num(c.v[5])); }
      return again(wait(line, m + M_LOCK, 2, mflag(mem, m)));
    }
    case 'sem_wait': case 'sem_timedwait': {
      const [s, abstime] = c.v.map(num);
      if (raw === -EINTR || raw === -ETIMEDOUT) {
        mem.store(s + S_NWAITERS, Math.max(0, num(mem.load(s + S_NWAITERS)) - 1));
        return failed(r, -raw);
      }
      const v = num(mem.load(s + S_VALUE));
      if (v === 0) return again(semWait(line, mem, s, abstime));
      mem.store(s + S_VALUE, v - 1);
      mem.store(s + S_NWAITERS, Math.max(0, num(mem.load(s + S_NWAITERS)) - 1));
      return new SyncDone(0);
    }
    case 'pthread_barrier_wait': {
      const [b, round] = c.v.map(num);
      if (round < 0) return new SyncDone(PTHREAD_BARRIER_SERIAL_THREAD);
      if (num(mem.load(b + B_ROUND)) === round) return again(wait(line, b + B_ROUND, round, bflag(mem, b)));
      return new SyncDone(0);
    }
    case '__pthread_once_enter': {
      const o = num(c.v[0]), state = num(mem.load(o));
      if (state === ONCE_DONE) return new SyncDone(0);
      if (state === 0) { mem.store(o, ONCE_INPROGRESS); return new SyncDone(1); }
      return again(wait(line, o, ONCE_INPROGRESS));
    }
    case 'pthread_mutex_unlock': case 'pthread_cond_signal': case 'pthread_cond_broadcast': case 'sem_post':
    case '__pthread_once_done':
      return new SyncDone(0);
    default: return new SyncDone(raw);
  }
}

/**
 * A thread cancelled while in pthread_cond_wait (c: that call) takes the mutex back before its
 * cleanup handlers run, as glibc's __condvar_cleanup_waiting does: at once when it is free,
 * else by sleeping on it (a pthread_mutex_lock the thread then runs as its next calls). One
 * without handlers, ending at once, keeps a mutex that was free: nobody can take it after.
 */
export function condCancelled(r: VmRegs, c: LibcCall, mem: VmMemory, line: number, mayWait = true): void {
  const [cv, m] = c.v.map(num);
  if (c.v.length === 5) mem.store(cv + C_NWAITERS, Math.max(0, num(mem.load(cv + C_NWAITERS)) - 1));
  if (lockSlow(mem, m)) { owned(mem, m, r.tid, false); return; }
  // A thread that ends at once (no handlers) takes it only when it is free (it does not wait).
  if (!mayWait) return;
  begin(r, 'pthread_mutex_lock', c.site, [m]);
  (r.libc as LibcCall).next = wait(line, m + M_LOCK, 2);
}
