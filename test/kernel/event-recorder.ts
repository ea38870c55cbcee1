// Records each event a kernel emits with who emitted it: the task that was running and the kernel
// frame at the top of its stack (function and step label), for tests of where an event fires.
import type { KEvent } from '../../sim-core/machine-types';
import type { Engine } from '../../sim-core/machine/engine';

export interface Seen { ev: KEvent; pid: number | undefined; fn: string | undefined; label: string | undefined }

/** From now on, every event `engine` emits is appended to the list returned. */
export function recordEvents(engine: Engine): Seen[] {
  const seen: Seen[] = [];
  const k = engine.k;
  const emit = k.emit.bind(k);
  k.emit = (ev: KEvent): KEvent => {
    const t = engine.current;
    const top = t && t.stack.length ? t.stack[t.stack.length - 1] : undefined;
    seen.push({ ev, pid: t?.pid, fn: top?.fn.name, label: top ? top.fn.labels[top.pc - 1] : undefined });
    return emit(ev);
  };
  return seen;
}
