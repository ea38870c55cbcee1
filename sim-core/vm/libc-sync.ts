// Thread synchronisation of the C library, as glibc's NPTL builds it on futexes: every object is
// words in user memory (pthread_mutex_t, pthread_cond_t, sem_t, pthread_barrier_t), an
// uncontended operation is one atomic instruction on them (a library call that finishes without
// the kernel), and only a thread that must sleep, or wake a sleeper, makes the futex system call.
// Mutexes follow lll_lock: the lock word is 0 (free), 1 (locked) or 2 (locked, maybe waiters).
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
/** Cells of pthread_cond_t: the sequence word waiters sleep on, and how many wait. */
const C_FUTEX = 0, C_NWAITERS = 1;
/** Cells of sem_t: the count (the futex word), the sleepers, the futex flag for pshared. */
const S_VALUE = 0, S_NWAITERS = 1, S_PRIVATE = 2;
/** Cells of pthread_barrier_t: arrivals this round, the round (the futex word), the count. */
const B_IN = 0, B_ROUND = 1, B_COUNT = 2;
/** Cells of pthread_attr_t: the detach state, the stack size. */
const A_DETACH = 0, A_STACKSIZE = 1;
const DEFAULT_STACKSIZE = 8 * 1024 * 1024;

/** A result returned without a(nother) system call; errno is set already when it is -1. */
export class SyncDone {
  constructor(readonly value: Value) {}
}

/** A bad pointer: glibc would touch it and fault. */
export class SyncFault {
  constructor(readonly message: string) {}
}

export const SYNC_OPS: ReadonlySet<string> = new Set(['pthread_mutex_lock', 'pthread_mutex_unlock', 'pthread_cond_wait',
  'pthread_cond_timedwait', 'pthread_cond_signal', 'pthread_cond_broadcast', 'sem_wait', 'sem_post', 'pthread_barrier_wait',
  '__pthread_once_enter', '__pthread_once_done']);
/** pthread_once_t: PTHREAD_ONCE_INIT, the routine running, the routine done (glibc's __PTHREAD_ONCE_*). */
const ONCE_INPROGRESS = 1, ONCE_DONE = 2;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

function futex(line: number, addr: number, op: number, val: number, timeout = 0, val3 = 0): Trap {
  return { kind: 'syscall', name: 'futex', args: [addr, op, val, timeout, 0, val3], line };
}

function wait(line: number, addr: number, val: number): Trap {
  return futex(line, addr, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, val);
}

function wake(line: number, addr: number, n: number): Trap {
  return futex(line, addr, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, n);
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
  if (num(mem.load(m + M_KIND)) === RECURSIVE) mem.store(m + M_COUNT, 1);
}

/**
 * lll_lock's fast path: a compare-and-swap from 0 to 1. Returns 0 when taken, an error number
 * (EDEADLK, EAGAIN, EINVAL), or -1 when the caller must sleep.
 */
function lockFast(mem: VmMemory, m: number, tid: number): number {
  const kind = num(mem.load(m + M_KIND));
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
  const kind = num(mem.load(m + M_KIND));
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
  pthread_mutex_init: M_CELLS, pthread_mutex_lock: M_CELLS, pthread_mutex_trylock: M_CELLS, pthread_mutex_unlock: M_CELLS,
  pthread_mutex_destroy: M_CELLS, pthread_mutexattr_init: 1, pthread_mutexattr_settype: 1, pthread_mutexattr_gettype: 1,
  pthread_mutexattr_destroy: 1, pthread_cond_init: 2, pthread_cond_wait: 2, pthread_cond_timedwait: 2, pthread_cond_signal: 2,
  pthread_cond_broadcast: 2, pthread_cond_destroy: 2, sem_init: 3, sem_wait: 3, sem_trywait: 3, sem_post: 3, sem_getvalue: 3,
  sem_destroy: 3, pthread_barrier_init: 3, pthread_barrier_wait: 3, pthread_barrier_destroy: 3, pthread_attr_init: 2,
  pthread_attr_setdetachstate: 2, pthread_attr_getdetachstate: 2, pthread_attr_destroy: 2,
  __pthread_once_enter: 1, __pthread_once_done: 1,
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
  switch (name) {
    case 'pthread_mutex_init': {
      const attr = num(a[1]);
      for (let i = 0; i < M_CELLS; i++) mem.store(p + i, 0);
      mem.store(p + M_KIND, attr !== 0 ? num(mem.load(attr)) : NORMAL);
      return new SyncDone(0);
    }
    case 'pthread_mutex_lock': {
      const got = lockFast(mem, p, tid);
      if (got >= 0) return new SyncDone(got);
      if (num(mem.load(p + M_LOCK)) !== 2 && lockSlow(mem, p)) { owned(mem, p, tid, true); return new SyncDone(0); }
      begin(r, name, site, [p]);
      return wait(line, p + M_LOCK, 2);
    }
    case 'pthread_mutex_trylock': {
      const kind = num(mem.load(p + M_KIND));
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
      return wake(line, p + M_LOCK, 1);
    }
    case 'pthread_mutex_destroy':
      if (num(mem.load(p + M_NUSERS)) !== 0) return new SyncDone(EBUSY);
      mem.store(p + M_KIND, -1);
      return new SyncDone(0);
    case 'pthread_mutexattr_init': mem.store(p, NORMAL); return new SyncDone(0);
    case 'pthread_mutexattr_settype': {
      const kind = num(a[1]);
      if (kind < NORMAL || kind > ADAPTIVE) return new SyncDone(EINVAL);
      mem.store(p, kind);
      return new SyncDone(0);
    }
    case 'pthread_mutexattr_gettype':
      if (!mem.store(num(a[1]), num(mem.load(p)))) return new SyncFault('pthread_mutexattr_gettype: bad pointer');
      return new SyncDone(0);
    case 'pthread_mutexattr_destroy': case 'pthread_cond_destroy': case 'pthread_attr_destroy': case 'pthread_barrier_destroy':
      return new SyncDone(0);
    case 'pthread_cond_init': mem.store(p + C_FUTEX, 0); mem.store(p + C_NWAITERS, 0); return new SyncDone(0);
    case 'pthread_cond_wait': case 'pthread_cond_timedwait': return condWait(name, site, line, a, mem, r);
    case 'pthread_cond_signal': case 'pthread_cond_broadcast': {
      if (num(mem.load(p + C_NWAITERS)) === 0) return new SyncDone(0);
      mem.store(p + C_FUTEX, (num(mem.load(p + C_FUTEX)) + 1) >>> 0);
      begin(r, name, site, []);
      return wake(line, p + C_FUTEX, name === 'pthread_cond_signal' ? 1 : INT_MAX);
    }
    case 'sem_init': {
      const value = num(a[2]);
      if (value < 0 || value > SEM_VALUE_MAX) return failed(r, EINVAL);
      mem.store(p + S_VALUE, value);
      mem.store(p + S_NWAITERS, 0);
      mem.store(p + S_PRIVATE, num(a[1]) !== 0 ? 0 : FUTEX_PRIVATE_FLAG);
      return new SyncDone(0);
    }
    case 'sem_wait': case 'sem_trywait': {
      const v = num(mem.load(p + S_VALUE));
      if (v > 0) { mem.store(p + S_VALUE, v - 1); return new SyncDone(0); }
      if (name === 'sem_trywait') return failed(r, EAGAIN);
      mem.store(p + S_NWAITERS, num(mem.load(p + S_NWAITERS)) + 1);
      begin(r, name, site, [p]);
      return semWait(line, mem, p);
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
      mem.store(p + B_IN, 0); mem.store(p + B_ROUND, 0); mem.store(p + B_COUNT, count);
      return new SyncDone(0);
    }
    case 'pthread_barrier_wait': {
      const arrived = num(mem.load(p + B_IN)) + 1;
      const round = num(mem.load(p + B_ROUND));
      if (arrived < num(mem.load(p + B_COUNT))) {
        mem.store(p + B_IN, arrived);
        begin(r, name, site, [p, round]);
        return wait(line, p + B_ROUND, round);
      }
      // The last of the round: the next round starts, the others wake.
      mem.store(p + B_IN, 0);
      mem.store(p + B_ROUND, (round + 1) >>> 0);
      if (arrived === 1) return new SyncDone(PTHREAD_BARRIER_SERIAL_THREAD);
      begin(r, name, site, [p, -1]);
      return wake(line, p + B_ROUND, INT_MAX);
    }
    case 'pthread_attr_init': mem.store(p + A_DETACH, 0); mem.store(p + A_STACKSIZE, DEFAULT_STACKSIZE); return new SyncDone(0);
    case 'pthread_attr_setdetachstate': {
      const s = num(a[1]);
      if (s !== 0 && s !== 1) return new SyncDone(EINVAL);
      mem.store(p + A_DETACH, s);
      return new SyncDone(0);
    }
    case 'pthread_attr_getdetachstate':
      if (!mem.store(num(a[1]), num(mem.load(p + A_DETACH)))) return new SyncFault('pthread_attr_getdetachstate: bad pointer');
      return new SyncDone(0);
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

function semWait(line: number, mem: VmMemory, s: number): Trap {
  return futex(line, s + S_VALUE, FUTEX_WAIT_BITSET | num(mem.load(s + S_PRIVATE)), 0, 0, FUTEX_BITSET_MATCH_ANY);
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
  begin(r, name, site, [cv, m, abstime, seq]);
  if (res < 0) return wake(line, m + M_LOCK, 1);
  return condSleep(r.libc as LibcCall, line);
}

function condSleep(c: LibcCall, line: number): Trap {
  const [cv, , abstime, seq] = c.v.map(num);
  c.step = 1;
  if (abstime === 0) return wait(line, cv + C_FUTEX, seq);
  return futex(line, cv + C_FUTEX, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME | FUTEX_PRIVATE_FLAG, seq, abstime, FUTEX_BITSET_MATCH_ANY);
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
      return again(wait(line, m + M_LOCK, 2));
    }
    case 'pthread_cond_wait': case 'pthread_cond_timedwait': {
      const [cv, m] = c.v.map(num);
      // Step 0: the mutex's waiter was woken; now sleep on the condition.
      if (c.step === 1 && c.v.length === 4) return again(condSleep(c, line));
      if (c.v.length === 4) {
        // Back from the sleep (woken, the sequence moved, a signal or the deadline).
        mem.store(cv + C_NWAITERS, Math.max(0, num(mem.load(cv + C_NWAITERS)) - 1));
        c.v.push(raw === -ETIMEDOUT ? ETIMEDOUT : 0);
      }
      // Take the mutex back as lll_cond_lock does: always marked contended (2).
      if (lockSlow(mem, m)) { owned(mem, m, r.tid, false); return new SyncDone(num(c.v[4])); }
      return again(wait(line, m + M_LOCK, 2));
    }
    case 'sem_wait': {
      const s = num(c.v[0]);
      if (raw === -EINTR) {
        mem.store(s + S_NWAITERS, Math.max(0, num(mem.load(s + S_NWAITERS)) - 1));
        return failed(r, EINTR);
      }
      const v = num(mem.load(s + S_VALUE));
      if (v === 0) return again(semWait(line, mem, s));
      mem.store(s + S_VALUE, v - 1);
      mem.store(s + S_NWAITERS, Math.max(0, num(mem.load(s + S_NWAITERS)) - 1));
      return new SyncDone(0);
    }
    case 'pthread_barrier_wait': {
      const [b, round] = c.v.map(num);
      if (round < 0) return new SyncDone(PTHREAD_BARRIER_SERIAL_THREAD);
      if (num(mem.load(b + B_ROUND)) === round) return again(wait(line, b + B_ROUND, round));
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
