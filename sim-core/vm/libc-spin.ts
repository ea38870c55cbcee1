// pthread spin locks as glibc makes them: the pthread_spinlock_t is an int, 0 free and 1 held,
// taken by an atomic exchange. pthread_spin_lock spins in user space while it is held, never
// sleeping: the VM runs the call again, each try costing an instruction of the thread's slice
// (run.ts), so a spinner burns its CPU time until the holder, elsewhere or after a preemption,
// unlocks.
import { Fault } from './libc-fault';
import type { VmMemory } from './memory';
import type { Value } from './types';

const EBUSY = 16;

export const SPIN_CALLS: ReadonlySet<string> = new Set(['pthread_spin_init', 'pthread_spin_destroy', 'pthread_spin_lock',
  'pthread_spin_trylock', 'pthread_spin_unlock']);

function word(mem: VmMemory, a: Value[]): { at: number; v: Value | undefined } {
  const at = typeof a[0] === 'number' ? a[0] : 0;
  return { at, v: at === 0 ? undefined : mem.load(at) };
}

/** pthread_spin_lock would spin: the lock is held (a bad pointer faults in spinCall instead). */
export function spinHeld(a: Value[], mem: VmMemory): boolean {
  const w = word(mem, a);
  return w.v !== undefined && w.v !== 0;
}

/** The spin lock calls on a free lock (or trylock's EBUSY): 0 or an error number. */
export function spinCall(name: string, a: Value[], mem: VmMemory): Value | Fault {
  const w = word(mem, a);
  if (w.v === undefined) return new Fault('SIGSEGV', `${name}: ${w.at === 0 ? 'NULL pointer dereference' : 'bad pthread_spinlock_t pointer'}`);
  switch (name) {
    case 'pthread_spin_init': case 'pthread_spin_unlock': mem.store(w.at, 0); return 0;
    case 'pthread_spin_destroy': return 0;
    case 'pthread_spin_trylock': if (w.v !== 0) return EBUSY; mem.store(w.at, 1); return 0;
    default: mem.store(w.at, 1); return 0;
  }
}
