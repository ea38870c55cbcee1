// The sleepers with a timeout (schedule_timeout, msleep, nanosleep): an array in arming order.
// A Set that gains and loses a task per sleep rebuilds its table now and then, which keeps dead
// tasks alive through minor collections (see pidhash.ts); a handful of entries needs no hashing.

import type { task_struct } from './task';

export class TimerQueue implements Iterable<task_struct> {
  private readonly list: task_struct[] = [];

  get size(): number {
    return this.list.length;
  }

  add(t: task_struct): void {
    if (this.list.indexOf(t) < 0) this.list.push(t);
  }

  /** Disarms t's timer, if it has one; the others keep their order. */
  delete(t: task_struct): void {
    const l = this.list;
    const i = l.indexOf(t);
    if (i < 0) return;
    for (let j = i + 1; j < l.length; j++) l[j - 1] = l[j];
    l.pop();
  }

  [Symbol.iterator](): Iterator<task_struct> {
    return this.list[Symbol.iterator]();
  }
}
