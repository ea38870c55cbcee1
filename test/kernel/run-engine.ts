// Drives an Engine through its run loop, the one the machine's run() uses, in slices until the
// scenario ends; each slice's events are handed to `drain` (else they stay in k.events).
import type { Engine } from '../../sim-core/machine/engine';
import type { EngineEnd } from '../../sim-core/machine/engine-types';
import type { KEvent } from '../../sim-core/machine-types';

export function runEngine(e: Engine, maxSteps: number, opts: { slice?: number; drain?: (events: KEvent[]) => void } = {}): EngineEnd {
  const slice = opts.slice ?? 10_000;
  for (;;) {
    const end = e.run(slice, maxSteps);
    if (opts.drain !== undefined && e.k.events.length > 0) {
      const evs = e.k.events;
      e.k.events = [];
      opts.drain(evs);
    }
    if (end.reason !== 'slice') return end;
  }
}
