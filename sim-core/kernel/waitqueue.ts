// Wait queues as arrays of tasks in the order they joined (signal->wait_chldexit), and the timer
// queue of sleepers with a timeout built on them. A Set that gains and loses a task per sleep
// rebuilds its table now and then, which keeps dead tasks alive through minor collections (see
// pidhash.ts); a handful of entries needs no hashing.

import type { task_struct } from './task';

/** add_wait_queue: t sleeps on the queue (once), woken in the order the sleepers came. */
export function add_wait_queue(q: task_struct[], t: task_struct): void {
  if (q.indexOf(t) < 0) q.push(t);
}

/** remove_wait_queue: t leaves the queue; the others keep their order. */
export function remove_wait_queue(q: task_struct[], t: task_struct): void {
  const i = q.indexOf(t);
  if (i < 0) return;
  for (let j = i + 1; j < q.length; j++) q[j - 1] = q[j];
  q.pop();
}

/** The sleepers with a timeout (schedule_timeout, msleep, nanosleep), in arming order. */
export class TimerQueue implements Iterable<task_struct> {
  private readonly list: task_struct[] = [];

  get size(): number {
    return this.list.length;
  }

  add(t: task_struct): void {
    add_wait_queue(this.list, t);
  }

  /** Disarms t's timer, if it has one. */
  delete(t: task_struct): void {
    remove_wait_queue(this.list, t);
  }

  [Symbol.iterator](): Iterator<task_struct> {
    return this.list[Symbol.iterator]();
  }
}
