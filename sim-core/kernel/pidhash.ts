// The pid namespace's tables: the IDR of allocated numbers as a bitmap, and the pid hash (number
// -> task) as a table indexed by number beside a dense list of the hashed tasks. Neither ever
// rehashes: a Map or Set that gains and loses an entry per fork rebuilds its table now and then,
// and once an old table has been promoted by the garbage collector it keeps each newer table and
// the tasks they held alive until the next full collection.

import type { task_struct } from './task';

/** Allocated pid numbers (the namespace's IDR), one bit each. */
export class PidBitmap {
  private words = new Uint32Array(1024);

  has(nr: number): boolean {
    const w = nr >>> 5;
    return w < this.words.length && (this.words[w] & (1 << (nr & 31))) !== 0;
  }

  add(nr: number): void {
    const w = nr >>> 5;
    if (w >= this.words.length) {
      const bigger = new Uint32Array(Math.max(w + 1, this.words.length * 2));
      bigger.set(this.words);
      this.words = bigger;
    }
    this.words[w] |= 1 << (nr & 31);
  }

  delete(nr: number): void {
    const w = nr >>> 5;
    if (w < this.words.length) this.words[w] &= ~(1 << (nr & 31));
  }
}

/** find_task_by_pid_ns's table: the task hashed under each number, and all of them in a list. */
export class PidHash {
  private byNr: Array<task_struct | null> = [];
  private readonly list: task_struct[] = [];
  /** The number each entry of `list` is hashed under. */
  private readonly nrs: number[] = [];
  /** Where the task hashed under each number sits in `list` (kept beside the tasks, not in them). */
  private readonly slot: number[] = [];

  get size(): number {
    return this.list.length;
  }

  get(nr: number): task_struct | undefined {
    return nr >= 0 && nr < this.byNr.length ? this.byNr[nr] ?? undefined : undefined;
  }

  /** Hashes t under nr, replacing whatever was there (de_thread swaps two tasks' numbers). */
  set(nr: number, t: task_struct): void {
    if (nr >= this.byNr.length) this.grow(nr);
    const old = this.byNr[nr];
    if (old === t) return;
    this.byNr[nr] = t;
    if (old) {
      this.list[this.slot[nr]] = t;
      return;
    }
    this.slot[nr] = this.list.length;
    this.list.push(t);
    this.nrs.push(nr);
  }

  delete(nr: number): boolean {
    const t = this.get(nr);
    if (t === undefined) return false;
    this.byNr[nr] = null;
    // The last entry of the list takes the freed place.
    const i = this.slot[nr];
    const last = this.list.pop() as task_struct;
    const lastNr = this.nrs.pop() as number;
    if (i < this.list.length) {
      this.list[i] = last;
      this.nrs[i] = lastNr;
      this.slot[lastNr] = i;
    }
    return true;
  }

  /** The hashed tasks, in no particular order (a live view: do not hash or unhash while reading). */
  values(): readonly task_struct[] {
    return this.list;
  }

  private grow(nr: number): void {
    const n = Math.max(nr + 1, this.byNr.length * 2, 64);
    const bigger = new Array<task_struct | null>(n).fill(null);
    for (let i = 0; i < this.byNr.length; i++) bigger[i] = this.byNr[i];
    this.byNr = bigger;
    while (this.slot.length < n) this.slot.push(0);
  }
}
