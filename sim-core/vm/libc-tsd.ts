// Thread-specific data as glibc's nptl keeps it: a process-wide table of keys (__pthread_keys:
// a sequence number, odd while the key is in use, and a destructor) and, per thread, a value and
// the key's sequence number when it was stored. At a thread's end (its start routine returned, or
// pthread_exit after the cleanup handlers) __nptl_deallocate_tsd clears each non-NULL value and
// calls the key's destructor with it, in key order, for up to PTHREAD_DESTRUCTOR_ITERATIONS
// rounds while destructors store new values. exit() from main runs none.
import type { LibcState } from './libc-state';
import type { Value } from './types';

/** PTHREAD_KEYS_MAX and PTHREAD_DESTRUCTOR_ITERATIONS (glibc's limits). */
export const PTHREAD_KEYS_MAX = 1024, PTHREAD_DESTRUCTOR_ITERATIONS = 4;
const EINVAL = 22, EAGAIN = 11;

export interface pthread_key_struct {
  seq: number;
  destr: Value;
}

/** One thread's values (specific_1stblock and the blocks after it) and its walk at exit. */
export interface ThreadSpecific {
  data: Map<number, { seq: number; value: Value }>;
  /** specific_used: a non-NULL value was stored since the last round began. */
  used: boolean;
  /** The destructor walk in progress: its round and the next key to look at, or null. */
  walk: { round: number; idx: number } | null;
}

/** The TSD part of the C library's state: the key table and each thread's values by descriptor. */
export interface TsdState {
  keys: pthread_key_struct[];
  threads: Map<number, ThreadSpecific>;
}

export function newTsd(): TsdState {
  return { keys: [], threads: new Map() };
}

/** fork copies the table and the values (the child's one thread keeps its own). */
export function copyTsd(s: TsdState): TsdState {
  const threads = new Map<number, ThreadSpecific>();
  for (const [pd, t] of s.threads) {
    threads.set(pd, { data: new Map([...t.data].map(([k, v]) => [k, { ...v }])), used: t.used, walk: t.walk && { ...t.walk } });
  }
  return { keys: s.keys.map((k) => ({ ...k })), threads };
}

function isNull(v: Value | undefined): boolean {
  return v === undefined || v === 0;
}

function thread(s: TsdState, pd: number): ThreadSpecific {
  let t = s.threads.get(pd);
  if (!t) { t = { data: new Map(), used: false, walk: null }; s.threads.set(pd, t); }
  return t;
}

/** pthread_key_create: the first unused slot; EAGAIN when all PTHREAD_KEYS_MAX are taken. */
export function keyCreate(s: TsdState, destr: Value): { err: number; key: number } {
  for (let i = 0; i < PTHREAD_KEYS_MAX; i++) {
    const k = s.keys[i] ?? (s.keys[i] = { seq: 0, destr: 0 });
    if (k.seq % 2 === 0) {
      k.seq++;
      k.destr = destr;
      return { err: 0, key: i };
    }
  }
  return { err: EAGAIN, key: 0 };
}

function inUse(s: TsdState, key: number): boolean {
  return key >= 0 && key < PTHREAD_KEYS_MAX && (s.keys[key]?.seq ?? 0) % 2 === 1;
}

/** pthread_key_delete: the slot is free again; no destructor runs, values stay where they are. */
export function keyDelete(s: TsdState, key: number): number {
  if (!inUse(s, key)) return EINVAL;
  s.keys[key].seq++;
  return 0;
}

/** pthread_setspecific: 0, or EINVAL for a key not in use. */
export function setSpecific(s: TsdState, pd: number, key: number, value: Value): number {
  if (!inUse(s, key)) return EINVAL;
  const t = thread(s, pd);
  t.data.set(key, { seq: s.keys[key].seq, value });
  if (!isNull(value)) t.used = true;
  return 0;
}

/** pthread_getspecific: the value, or NULL (a value stored under a key since deleted reads NULL). */
export function getSpecific(s: TsdState, pd: number, key: number): Value {
  if (key < 0 || key >= PTHREAD_KEYS_MAX) return 0;
  const d = s.threads.get(pd)?.data.get(key);
  if (!d || isNull(d.value)) return 0;
  if (d.seq !== (s.keys[key]?.seq ?? 0)) { d.value = 0; return 0; }
  return d.value;
}

/**
 * The next destructor call of the ending thread's __nptl_deallocate_tsd, or null when the walk
 * is over (the thread's values are then gone).
 */
export function nextDestructor(st: LibcState, pd: number): { routine: Value; arg: Value } | null {
  const s = st.tsd, t = s.threads.get(pd);
  if (!t) return null;
  if (t.walk === null) {
    if (!t.used) { s.threads.delete(pd); return null; }
    t.walk = { round: 0, idx: 0 };
    t.used = false;
  }
  const w = t.walk;
  for (;;) {
    while (w.idx < PTHREAD_KEYS_MAX) {
      const i = w.idx++;
      const d = t.data.get(i);
      if (!d || isNull(d.value)) continue;
      const data = d.value;
      d.value = 0;
      const k = s.keys[i];
      if (k && d.seq === k.seq && !isNull(k.destr)) return { routine: k.destr, arg: data };
    }
    // A round is over: again only if a destructor stored a new value, at most four rounds.
    if (!t.used || ++w.round >= PTHREAD_DESTRUCTOR_ITERATIONS) break;
    t.used = false;
    w.idx = 0;
  }
  s.threads.delete(pd);
  return null;
}

/** Whether the thread has values a destructor walk must look at. */
export function tsdPending(st: LibcState, pd: number): boolean {
  const t = st.tsd.threads.get(pd);
  return t !== undefined && (t.used || t.walk !== null);
}

/** The names tsdCall answers. */
export const TSD_CALLS: ReadonlySet<string> = new Set(['pthread_key_create', 'pthread_key_delete', 'pthread_setspecific', 'pthread_getspecific']);

/**
 * pthread_key_create, pthread_key_delete, pthread_setspecific and pthread_getspecific, which need
 * no system call: the result (an error number, or getspecific's value), or a fault message for a
 * bad key pointer. `pd` gives the calling thread's descriptor.
 */
export function tsdCall(name: string, a: Value[], st: LibcState, store: (addr: number, v: Value) => boolean, pd: () => number): Value | { fault: string } {
  const s = st.tsd, key = typeof a[0] === 'number' ? a[0] >>> 0 : -1;
  switch (name) {
    case 'pthread_key_create': {
      const r = keyCreate(s, a[1] ?? 0);
      if (r.err === 0 && !store(typeof a[0] === 'number' ? a[0] : 0, r.key)) {
        keyDelete(s, r.key);
        return { fault: 'pthread_key_create: bad pthread_key_t pointer' };
      }
      return r.err;
    }
    case 'pthread_key_delete': return keyDelete(s, key);
    case 'pthread_setspecific': return setSpecific(s, pd(), key, a[1] ?? 0);
    default: return getSpecific(s, pd(), key);
  }
}
