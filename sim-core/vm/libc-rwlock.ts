// Read-write locks of the C library (pthread_rwlock_t), on futexes as the rest of libc-sync.ts:
// words in user memory, taken without the kernel when free, and a futex sleep on a sequence word
// otherwise. glibc's default kind prefers readers (PTHREAD_RWLOCK_PREFER_READER_NP): a reader
// gets in while only readers hold the lock, even with a writer waiting; a writer needs it free.
// An unlock that leaves the lock free (or to readers only) wakes every waiter to try again.
import { futex } from './libc-sync';
import type { VmMemory } from './memory';
import type { LibcCall, VmRegs } from './regs';
import type { Trap, Value } from './types';

const EINVAL = 22, EBUSY = 16, EDEADLK = 35, EPERM = 1, EAGAIN = 11;
const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_PRIVATE_FLAG = 128, INT_MAX = 2147483647;
/** Cells of pthread_rwlock_t (ctypes.ts): readers holding it, the writer's tid, the sequence word, sleepers. */
const RW_READERS = 0, RW_WRITER = 1, RW_SEQ = 2, RW_NWAITERS = 3, RW_CELLS = 4;
/** The most readers at once (glibc counts them in the upper bits of one word). */
const MAX_READERS = 0x3fffffff;

export const RWLOCK_OPS: ReadonlySet<string> = new Set(['pthread_rwlock_rdlock', 'pthread_rwlock_wrlock', 'pthread_rwlock_unlock']);
const RWLOCK_CALLS: ReadonlySet<string> = new Set([...RWLOCK_OPS, 'pthread_rwlock_init', 'pthread_rwlock_destroy',
  'pthread_rwlock_tryrdlock', 'pthread_rwlock_trywrlock']);

/** A result without a(nother) system call, or a bad pointer (glibc would fault on it). */
export type RwlockResult = { value: Value } | { fault: string };

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}


/** Takes the lock for reading or writing if it can: 0, an error number, or -1 (must sleep). */
function take(mem: VmMemory, rw: number, tid: number, write: boolean): number {
  const readers = num(mem.load(rw + RW_READERS)), writer = num(mem.load(rw + RW_WRITER));
  if (writer === tid) return EDEADLK;
  if (write) {
    if (writer !== 0 || readers !== 0) return -1;
    mem.store(rw + RW_WRITER, tid);
    return 0;
  }
  if (writer !== 0) return -1;
  if (readers >= MAX_READERS) return EAGAIN;
  mem.store(rw + RW_READERS, readers + 1);
  return 0;
}

/** Sleeps until an unlock moves the sequence word on. */
function sleep(line: number, mem: VmMemory, rw: number): Trap {
  mem.store(rw + RW_NWAITERS, num(mem.load(rw + RW_NWAITERS)) + 1);
  return futex(line, rw + RW_SEQ, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, num(mem.load(rw + RW_SEQ)));
}

/**
 * Starts a read-write lock function: its result when it needs no system call, its futex call
 * (r.libc set), or null when `name` is not one of these.
 */
export function startRwlock(name: string, site: number, line: number, a: Value[], mem: VmMemory, r: VmRegs): Trap | RwlockResult | null {
  if (!RWLOCK_CALLS.has(name)) return null;
  const rw = num(a[0]);
  if (rw === 0 || mem.load(rw) === undefined || mem.load(rw + RW_CELLS - 1) === undefined) {
    return { fault: `${name}: ${rw === 0 ? 'NULL pointer dereference' : 'bad pointer'}` };
  }
  switch (name) {
    case 'pthread_rwlock_init':
      for (let i = 0; i < RW_CELLS; i++) mem.store(rw + i, 0);
      return { value: 0 };
    case 'pthread_rwlock_destroy': return { value: 0 };
    case 'pthread_rwlock_tryrdlock': case 'pthread_rwlock_trywrlock': {
      const got = take(mem, rw, r.tid, name === 'pthread_rwlock_trywrlock');
      // A trylock never sleeps, and the caller holding it for writing is EBUSY too.
      return { value: got < 0 || got === EDEADLK ? EBUSY : got };
    }
    case 'pthread_rwlock_rdlock': case 'pthread_rwlock_wrlock': {
      const got = take(mem, rw, r.tid, name === 'pthread_rwlock_wrlock');
      if (got >= 0) return { value: got };
      r.libc = { op: name, site, step: 0, v: [rw], next: null };
      return sleep(line, mem, rw);
    }
    default: {
      // pthread_rwlock_unlock: the writer lets go, or one reader; waiters try again.
      const readers = num(mem.load(rw + RW_READERS)), writer = num(mem.load(rw + RW_WRITER));
      if (writer === r.tid) mem.store(rw + RW_WRITER, 0);
      else if (writer === 0 && readers > 0) mem.store(rw + RW_READERS, readers - 1);
      else return { value: writer === 0 ? EINVAL : EPERM };
      if (num(mem.load(rw + RW_NWAITERS)) === 0 || num(mem.load(rw + RW_READERS)) !== 0) return { value: 0 };
      mem.store(rw + RW_SEQ, (num(mem.load(rw + RW_SEQ)) + 1) >>> 0);
      mem.store(rw + RW_NWAITERS, 0);
      r.libc = { op: name, site, step: 0, v: [rw], next: null };
      return futex(line, rw + RW_SEQ, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX);
    }
  }
}

/** The kernel answered the futex call: the lock is tried again, or the unlock is done. */
export function resumeRwlock(r: VmRegs, c: LibcCall, mem: VmMemory, line: number): { value: Value } | null {
  if (c.op === 'pthread_rwlock_unlock') return { value: 0 };
  const rw = num(c.v[0]);
  const got = take(mem, rw, r.tid, c.op === 'pthread_rwlock_wrlock');
  if (got >= 0) return { value: got };
  c.next = sleep(line, mem, rw);
  return null;
}
