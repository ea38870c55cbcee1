// A small kernel event log the timeline and process-graph tests share: an orphaned grandchild with
// a thread, reparented to init, and a child reaped by its parent.
import type { KEvent } from '../../sim-core/machine-types';

type Body = KEvent extends infer E ? E extends KEvent ? Omit<E, 'time' | 'step'> : never : never;

/** Events at the given microseconds, numbered steps 10, 20, 30... */
export function log(...items: Array<[number, Body]>): KEvent[] {
  return items.map(([us, body], i) => ({ ...body, time: us * 1000, step: (i + 1) * 10 }) as KEvent);
}

export const BOOT = [{ pid: 1, tgid: 1, comm: 'init', ppid: 0 }, { pid: 2, tgid: 2, comm: 'kthreadd', ppid: 0, kthread: true }, { pid: 3, tgid: 3, comm: 'main', ppid: 1 }];

/** 3 forks 4, 4 forks 5 and 5 a thread 6; 4 exits, 5 is reparented to init; 3 reaps 4. */
export const ORPHAN = log(
  [1, { kind: 'fork', parent: 3, child: 4, flags: 17, via: 'fork' }],
  [2, { kind: 'fork', parent: 4, child: 5, flags: 17, via: 'fork' }],
  [3, { kind: 'fork', parent: 5, child: 6, flags: 0x10f00, via: 'clone3' }],
  [5, { kind: 'exit', pid: 4, code: 0 }],
  [5, { kind: 'reparent', pid: 5, from: 4, to: 1, why: 'init' }],
  [5, { kind: 'zombie', pid: 4, parent: 3 }],
  [7, { kind: 'reap', pid: 4, by: 3, status: 0 }],
);
