// Cells as the VM keeps them (cellArray), and the shared object several address spaces map
// (SharedCells: mmap MAP_SHARED, a System V segment, a file's page cache), apart from memory.ts.
import type { MemoryBudget, Value } from './types';

/**
 * An array of cells whose elements kind is already V8's generic one, holding `values`. Cells hold
 * numbers, strings and handles; an array that starts with small integers only changes its map
 * when the first string, handle or double is stored, and code the dispatch loop was optimized
 * with for the old map is thrown away (a deoptimization, then a recompilation).
 */
export function cellArray(values: readonly Value[] = []): Value[] {
  const a: Value[] = [''];
  a.pop();
  for (const v of values) a.push(v);
  return a;
}

let nextSharedId = 1;

/**
 * Cells several address spaces map (the shmem object behind MAP_SHARED or a System V segment):
 * charged to the machine's budget once, while any mapping (or the segment's id) holds it.
 */
export class SharedCells {
  /** Names the object in futex keys (the inode a shared futex is keyed by). */
  readonly id = nextSharedId++;
  /** Mappings and other holders (a System V id not yet removed). */
  refs = 0;

  constructor(readonly cells: Value[], private budget: MemoryBudget | null) {}

  /** A zeroed object of `n` cells charged to `budget`; null when the budget cannot hold it. */
  static create(n: number, budget: MemoryBudget | null): SharedCells | null {
    if (budget !== null) {
      if (budget.used + n > budget.limit) return null;
      budget.used += n;
    }
    const cells = cellArray();
    for (let i = 0; i < n; i++) cells.push(0);
    return new SharedCells(cells, budget);
  }

  get(): this {
    this.refs++;
    return this;
  }

  /**
   * Grows or shrinks the object to `n` cells in place (ftruncate of a tmpfs file): every mapping
   * holds this same array, so each sees the new length. False when the budget cannot grow it.
   */
  resize(n: number): boolean {
    const old = this.cells.length;
    if (n > old && this.budget !== null) {
      if (this.budget.used + n - old > this.budget.limit) return false;
      this.budget.used += n - old;
    } else if (this.budget !== null) this.budget.used -= old - n;
    if (n < old) this.cells.length = n;
    for (let i = old; i < n; i++) this.cells.push(0);
    return true;
  }

  /** Drops a holder; the last one gives the cells back. */
  put(): void {
    if (--this.refs > 0 || this.budget === null) return;
    this.budget.used -= this.cells.length;
    this.budget = null;
  }
}
