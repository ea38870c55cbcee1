// The attribute objects of the C library's synchronisation (pthread_attr_t, pthread_mutexattr_t,
// pthread_condattr_t, pthread_barrierattr_t): words in user memory that an init function reads,
// laid out as glibc lays them out. None of them needs the kernel.
import type { VmMemory } from './memory';
import type { Value } from './types';

const EINVAL = 22;
/** Mutex kinds (PTHREAD_MUTEX_TIMED_NP .. _ADAPTIVE_NP). */
export const MUTEX_NORMAL = 0, MUTEX_ADAPTIVE = 3;
/** Cells of pthread_attr_t: the detach state, the stack size. */
const A_DETACH = 0, A_STACKSIZE = 1;
const DEFAULT_STACKSIZE = 8 * 1024 * 1024;
/** PTHREAD_STACK_MIN on x86-64: the smallest stack pthread_attr_setstacksize accepts. */
const PTHREAD_STACK_MIN = 16384;
const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;
const PTHREAD_PROCESS_PRIVATE = 0, PTHREAD_PROCESS_SHARED = 1;
/**
 * pthread_mutexattr_t's int: the kind in the low bits, PTHREAD_MUTEXATTR_FLAG_PSHARED in the top
 * one (an int, so negative when set); pthread_mutex_init turns it into PTHREAD_MUTEX_PSHARED_BIT.
 */
export const MUTEXATTR_PSHARED = -0x80000000, MUTEXATTR_KIND_MASK = 0xfff;
/**
 * pthread_condattr_t's one int: bit 0 process-shared, bit 1 the clock (COND_CLOCK_BITS is 1:
 * CLOCK_REALTIME or CLOCK_MONOTONIC). pthread_cond_init copies them into the condition's
 * __wrefs as __PTHREAD_COND_SHARED_MASK (1) and __PTHREAD_COND_CLOCK_MONOTONIC_MASK (2).
 */
export const COND_SHARED_MASK = 1, COND_CLOCK_MONOTONIC_MASK = 2;

/** The cells each attribute function touches through its first argument. */
export const ATTR_CELLS: Readonly<Record<string, number>> = {
  pthread_mutexattr_init: 1, pthread_mutexattr_settype: 1, pthread_mutexattr_gettype: 1, pthread_mutexattr_destroy: 1,
  pthread_mutexattr_setpshared: 1, pthread_mutexattr_getpshared: 1,
  pthread_attr_init: 2, pthread_attr_setdetachstate: 2, pthread_attr_getdetachstate: 2, pthread_attr_destroy: 2,
  pthread_attr_setstacksize: 2, pthread_attr_getstacksize: 2,
  pthread_condattr_init: 1, pthread_condattr_destroy: 1, pthread_condattr_setclock: 1, pthread_condattr_getclock: 1,
  pthread_condattr_setpshared: 1, pthread_condattr_getpshared: 1,
  pthread_barrierattr_init: 1, pthread_barrierattr_destroy: 1, pthread_barrierattr_setpshared: 1, pthread_barrierattr_getpshared: 1,
};

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/**
 * One attribute function on the attributes at p: its return value (0 or an error number), or a
 * message when an output pointer is bad (glibc would fault writing it); null for another name.
 */
export function attrCall(name: string, p: number, a: Value[], mem: VmMemory): number | string | null {
  const out = (v: number): number | string => (mem.store(num(a[1]), v) ? 0 : `${name}: bad pointer`);
  switch (name) {
    case 'pthread_mutexattr_init': mem.store(p, MUTEX_NORMAL); return 0;
    case 'pthread_mutexattr_settype': {
      const kind = num(a[1]);
      if (kind < MUTEX_NORMAL || kind > MUTEX_ADAPTIVE) return EINVAL;
      mem.store(p, (num(mem.load(p)) & MUTEXATTR_PSHARED) | kind);
      return 0;
    }
    case 'pthread_mutexattr_gettype': return out(num(mem.load(p)) & MUTEXATTR_KIND_MASK);
    case 'pthread_mutexattr_setpshared': {
      const shared = num(a[1]);
      if (shared !== PTHREAD_PROCESS_PRIVATE && shared !== PTHREAD_PROCESS_SHARED) return EINVAL;
      const kind = num(mem.load(p)) & MUTEXATTR_KIND_MASK;
      mem.store(p, shared === PTHREAD_PROCESS_SHARED ? MUTEXATTR_PSHARED | kind : kind);
      return 0;
    }
    case 'pthread_mutexattr_getpshared': return out(num(mem.load(p)) & MUTEXATTR_PSHARED ? PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE);
    case 'pthread_attr_init': mem.store(p + A_DETACH, 0); mem.store(p + A_STACKSIZE, DEFAULT_STACKSIZE); return 0;
    case 'pthread_attr_setdetachstate': {
      const s = num(a[1]);
      if (s !== 0 && s !== 1) return EINVAL;
      mem.store(p + A_DETACH, s);
      return 0;
    }
    case 'pthread_attr_getdetachstate': return out(num(mem.load(p + A_DETACH)));
    // The size is only recorded: a thread's stack in the simulator grows as it needs.
    case 'pthread_attr_setstacksize': {
      const size = a[1];
      if (typeof size === 'number' && size < PTHREAD_STACK_MIN) return EINVAL;
      mem.store(p + A_STACKSIZE, size ?? 0);
      return 0;
    }
    case 'pthread_attr_getstacksize': {
      const size = mem.load(p + A_STACKSIZE) ?? DEFAULT_STACKSIZE;
      return mem.store(num(a[1]), size) ? 0 : `${name}: bad pointer`;
    }
    // pthread_condattr_init and pthread_barrierattr_init clear the word: private, CLOCK_REALTIME.
    case 'pthread_condattr_init': case 'pthread_barrierattr_init': mem.store(p, 0); return 0;
    case 'pthread_condattr_setclock': {
      // Only the clocks a futex can time out against; the CPU-time clocks are EINVAL too.
      const clock = num(a[1]);
      if (clock !== CLOCK_REALTIME && clock !== CLOCK_MONOTONIC) return EINVAL;
      mem.store(p, (num(mem.load(p)) & ~COND_CLOCK_MONOTONIC_MASK) | (clock << 1));
      return 0;
    }
    case 'pthread_condattr_getclock': return out((num(mem.load(p)) >> 1) & 1);
    case 'pthread_condattr_setpshared': case 'pthread_barrierattr_setpshared': {
      const shared = num(a[1]);
      if (shared !== PTHREAD_PROCESS_PRIVATE && shared !== PTHREAD_PROCESS_SHARED) return EINVAL;
      mem.store(p, (num(mem.load(p)) & ~1) | shared);
      return 0;
    }
    case 'pthread_condattr_getpshared': case 'pthread_barrierattr_getpshared': return out(num(mem.load(p)) & 1);
    case 'pthread_mutexattr_destroy': case 'pthread_attr_destroy': case 'pthread_condattr_destroy':
    case 'pthread_barrierattr_destroy':
      return 0;
    default: return null;
  }
}
