// UserMemory of the VM: one array of cells per segment (globals, each thread's stack, heap
// blocks). clone() copies only the arrays' used parts, so a fork of a small program is cheap.
// Unmapped segment numbers wait in a min-heap, so malloc and free are O(log n) however many
// blocks are live, and malloc still gets the lowest free address (as the old linear search did).
// A shared mapping (mmap MAP_SHARED, a System V segment) is one SharedCells whose array several
// address spaces hold as a segment: loads and stores go to the same cells, with no extra test.
import { GLOBAL_BASE, SEGMENT_SPAN, STACK_LIMIT } from './image';
import type { MemoryBudget, UserMemory, Value } from './types';
import { copyLibcState, newLibcState, type LibcState } from './libc-state';
import { cellArray, SharedCells } from './shared-cells';

export { cellArray, SharedCells };

/**
 * Cells a heap block of `len` cells takes from the budget: glibc's chunk for a request of `len`
 * bytes (an 8-byte size header, rounded up to 16, at least 32), so a million tiny blocks weigh
 * what they weigh in glibc's heap and the budget bounds the simulator's own memory too.
 */
export function chunkCells(len: number): number {
  return Math.max(32, Math.ceil((len + 8) / 16) * 16);
}

/** A binary min-heap of numbers (the unmapped segment numbers). */
function heapPush(h: number[], v: number): void {
  let i = h.length;
  h.push(v);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p] <= v) break;
    h[i] = h[p];
    i = p;
  }
  h[i] = v;
}

function heapPop(h: number[]): number {
  const top = h[0];
  const last = h.pop() as number;
  const n = h.length;
  if (n === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const c = l + 1 < n && h[l + 1] < h[l] ? l + 1 : l;
    if (h[c] >= last) break;
    h[i] = h[c];
    i = c;
  }
  h[i] = last;
  return top;
}

export class VmMemory implements UserMemory {
  /** The machine's budget this address space is charged to (null until an mm takes it). */
  private budget: MemoryBudget | null = null;
  /** Cells charged to it: the size when attached or copied, then heap blocks mapped and freed. */
  private charged = 0;

  /** segs[s] is segment s's cells, or null when it is not mapped. */
  readonly segs: Array<Value[] | null>;
  /** Segments that grow on demand (stacks) up to STACK_LIMIT; others have a fixed length. */
  readonly growable: boolean[];
  /** Unmapped segment numbers below segs.length, a min-heap (map takes the lowest). */
  private holes: number[];
  /**
   * Segment numbers munmap freed: only mmap takes them again (a process's mappings and its heap
   * are apart, as on Linux), so malloc never hands out an address a stale mapping pointer has.
   */
  private mapHoles: number[] = [];
  /**
   * Heap blocks (fixed segments) that may hold a cell other than a number (a string literal, a
   * handle): every write to a heap block goes through store(), which notes them. strlen scans
   * the others natively (indexOf) instead of cell by cell.
   */
  private mixed = new Set<number>();
  /**
   * Cells clone() copied out of this memory (fork's dup_mm) that no thread has paid for yet: the
   * next thread of this address space to run user code owes the copy (cost.ts).
   */
  copied = 0;
  /**
   * Segments mmap made: a SharedCells for a shared one, null for a private anonymous one (a
   * fixed block that free does not take). Null while there is none.
   */
  maps: Map<number, SharedCells | null> | null = null;
  /**
   * The length asked for of each shared mapping of a file: an access past the file's pages but
   * inside it is SIGBUS rather than SIGSEGV (pastObject). Null while there is none.
   */
  mapLengths: Map<number, number> | null = null;
  /**
   * Private mappings of a file not written yet (copy-on-write): the segment is still the file's
   * own cells (maps holds the object), so stores others make through the file show; the first
   * store here gives the mapping a copy of its own (breakCow). Null while there is none.
   */
  cow: Set<number> | null = null;
  /** The C library's per-process data (strtok's position, rand's table, the environment): fork copies it. */
  libc: LibcState = newLibcState();

  constructor(globals: Value[], segs?: Array<Value[] | null>, growable?: boolean[], holes?: number[]) {
    this.segs = segs ?? [cellArray(globals)];
    this.growable = growable ?? [false];
    this.holes = holes ?? [];
  }

  /** What segment s costs the budget: its cells, or a heap block's chunk (chunkCells). */
  private cost(s: number, seg: Value[]): number {
    if (this.maps !== null && this.maps.get(s)) return 0;
    return s === 0 || this.growable[s] ? seg.length : chunkCells(seg.length);
  }

  /**
   * memset's store: `n` cells from `addr` set to `value` (a stack segment grows as store lets it).
   * Returns how many were set; fewer than n means the range ran into unmapped memory (SIGSEGV).
   */
  fill(addr: number, n: number, value: Value): number {
    if (n <= 0) return 0;
    if (!(addr > 0) || addr !== Math.floor(addr)) return 0;
    const s = Math.floor(addr / SEGMENT_SPAN);
    if (this.cow !== null && this.cow.has(s) && !this.breakCow(s)) return 0;
    const seg = this.segs[s];
    if (!seg) return 0;
    const off = addr - s * SEGMENT_SPAN;
    if (s === 0 && off < GLOBAL_BASE) return 0;
    const end = off + n;
    if (end > seg.length && this.growable[s]) this.grow(seg, Math.min(end, STACK_LIMIT));
    const stop = Math.min(end, seg.length);
    if (stop <= off) return 0;
    seg.fill(value, off, stop);
    return stop - off;
  }

  /**
   * The `n` cells from `addr` (write's buffer, copied in by the kernel); null when part of the
   * range is not mapped (EFAULT).
   */
  cells(addr: number, n: number): Value[] | null {
    if (n <= 0) return [];
    if (!(addr > 0) || addr !== Math.floor(addr)) return null;
    const s = Math.floor(addr / SEGMENT_SPAN);
    const seg = this.segs[s];
    const off = addr - s * SEGMENT_SPAN;
    if (!seg || (s === 0 && off < GLOBAL_BASE) || off + n > seg.length) return null;
    return seg.slice(off, off + n);
  }

  /**
   * read's copy_to_user: the bytes of `text` as char cells (signed, as x86-64's char is) from
   * `addr`; false when the range is not all mapped (EFAULT), with nothing stored.
   */
  storeBytes(addr: number, text: string): boolean {
    const n = text.length;
    if (n === 0) return true;
    if (!(addr > 0) || addr !== Math.floor(addr)) return false;
    const s = Math.floor(addr / SEGMENT_SPAN);
    if (this.cow !== null && this.cow.has(s) && !this.breakCow(s)) return false;
    const seg = this.segs[s];
    const off = addr - s * SEGMENT_SPAN;
    if (!seg || (s === 0 && off < GLOBAL_BASE)) return false;
    if (off + n > seg.length && (!this.growable[s] || off + n > STACK_LIMIT || !this.grow(seg, off + n))) return false;
    for (let i = 0; i < n; i++) seg[off + i] = (text.charCodeAt(i) << 24) >> 24;
    return true;
  }

  load(addr: number): Value | undefined {
    const s = Math.floor(addr / SEGMENT_SPAN);
    const seg = this.segs[s];
    if (!seg) return undefined;
    const off = addr - s * SEGMENT_SPAN;
    if (s === 0 && off < GLOBAL_BASE) return undefined;
    return seg[off];
  }

  store(addr: number, value: Value): boolean {
    if (!(addr > 0) || addr !== Math.floor(addr)) return false;
    const s = Math.floor(addr / SEGMENT_SPAN);
    if (this.cow !== null && this.cow.has(s) && !this.breakCow(s)) return false;
    const seg = this.segs[s];
    if (!seg) return false;
    const off = addr - s * SEGMENT_SPAN;
    if (s === 0 && off < GLOBAL_BASE) return false;
    if (off >= seg.length) {
      if (!this.growable[s] || off >= STACK_LIMIT || !this.grow(seg, off + 1)) return false;
    }
    if (typeof value !== 'number' && s !== 0 && !this.growable[s]) this.mixed.add(s);
    seg[off] = value;
    return true;
  }

  /** True when segment s is a heap block holding numbers only (see `mixed`). */
  numbersOnly(s: number): boolean {
    // Another process may have stored a string into shared cells: those are never taken as numbers only.
    return s !== 0 && this.growable[s] === false && !this.mixed.has(s) && !(this.maps !== null && this.maps.get(s));
  }

  /**
   * Extends a stack segment with zeroed cells up to `len`, charged to the budget; false (nothing
   * grown) when the budget cannot hold them, unless `force` (a frame the kernel must build).
   */
  grow(seg: Value[], len: number, force = false): boolean {
    const more = len - seg.length;
    if (more <= 0) return true;
    if (!this.charge(more, force)) return false;
    for (let i = seg.length; i < len; i++) seg.push(0);
    return true;
  }

  /** Charges `cells` to the budget; false (nothing charged) when it cannot hold them, unless `force`. */
  private charge(cells: number, force = false): boolean {
    const b = this.budget;
    if (b === null) return true;
    if (!force && b.used + cells > b.limit) return false;
    b.used += cells;
    this.charged += cells;
    return true;
  }

  /** Unmaps segment s and gives its cells back to the budget. */
  private unmap(s: number): void {
    const seg = this.segs[s];
    if (!seg) return;
    if (this.budget !== null) {
      const c = this.cost(s, seg);
      this.budget.used -= c;
      this.charged -= c;
    }
    this.segs[s] = null;
    this.mixed.delete(s);
    if (this.maps !== null && this.maps.has(s)) {
      this.maps.get(s)?.put();
      this.maps.delete(s);
      this.mapLengths?.delete(s);
      this.cow?.delete(s);
      heapPush(this.mapHoles, s);
      return;
    }
    heapPush(this.holes, s);
  }

  newStack(): number {
    return this.map(cellArray(), true);
  }

  /**
   * Maps a fixed block of `cells` zeroed cells (malloc, kmalloc), charged as glibc's chunk for it;
   * returns its segment, or -1 when the budget is spent.
   */
  newBlock(cells: number): number {
    if (!this.charge(chunkCells(cells))) return -1;
    const block = cellArray();
    for (let i = 0; i < cells; i++) block.push(0);
    return this.map(block, false);
  }

  /** Unmaps the heap block that starts at `addr` (free); false when no block starts there. */
  freeBlock(addr: number): boolean {
    const s = addr / SEGMENT_SPAN;
    if (!(s >= 1) || s !== Math.floor(s) || s >= this.segs.length || this.growable[s] || !this.segs[s]) return false;
    if (this.maps !== null && this.maps.has(s)) return false;
    this.unmap(s);
    return true;
  }

  /**
   * mmap's anonymous mapping of `cells` zeroed cells: shared (the same cells in every copy fork
   * makes) or private (a block each copy copies). Returns its segment, or -1 when the budget is spent.
   */
  mapAnon(cells: number, shared: boolean): number {
    if (!shared) {
      if (!this.charge(chunkCells(cells))) return -1;
      const block = cellArray();
      for (let i = 0; i < cells; i++) block.push(0);
      const s = this.map(block, false, true);
      (this.maps ??= new Map()).set(s, null);
      return s;
    }
    const sc = SharedCells.create(cells, this.budget);
    return sc === null ? -1 : this.mapShared(sc);
  }

  /**
   * MAP_PRIVATE of a file: the object's own cells until the first store here (see `cow`);
   * `length` is the mapping's length in cells (past the file's pages: SIGBUS). Returns the segment.
   */
  mapPrivate(sc: SharedCells, length: number): number {
    const s = this.mapShared(sc, length);
    (this.cow ??= new Set()).add(s);
    return s;
  }

  /**
   * The first store into a private mapping not written yet: it gets a copy of the file's cells,
   * charged here, and is an ordinary private mapping from then on. False when the budget is spent.
   */
  private breakCow(s: number): boolean {
    const seg = this.segs[s], sc = this.maps?.get(s);
    if (!seg || !sc) return false;
    if (!this.charge(chunkCells(seg.length))) return false;
    this.segs[s] = seg.slice();
    (this.maps as Map<number, SharedCells | null>).set(s, null);
    sc.put();
    this.cow?.delete(s);
    // The copy may hold a string or handle another process stored: strlen goes cell by cell.
    this.mixed.add(s);
    return true;
  }

  /**
   * Maps the shared object (shmat, mapAnon, a file) at the lowest free segment and returns it;
   * `length`, for a file, is the mapping's length in cells, which may reach past the file.
   */
  mapShared(sc: SharedCells, length = 0): number {
    const s = this.map(sc.cells, false, true);
    (this.maps ??= new Map()).set(s, sc.get());
    if (length > 0) (this.mapLengths ??= new Map()).set(s, length);
    return s;
  }

  /** True when addr is inside a file's shared mapping but past the file's pages (a SIGBUS there). */
  pastObject(addr: Value | undefined): boolean {
    if (this.mapLengths === null || typeof addr !== 'number') return false;
    const s = Math.floor(addr / SEGMENT_SPAN);
    const len = this.mapLengths.get(s), seg = this.segs[s];
    const off = addr - s * SEGMENT_SPAN;
    return len !== undefined && !!seg && off >= seg.length && off < len;
  }

  /** The object mapped at segment s (shmdt's check), or undefined. */
  sharedAt(s: number): SharedCells | null | undefined {
    return this.maps === null ? undefined : this.maps.get(s);
  }

  /** munmap of the mapping at segment s; false when s is not one mmap made. */
  unmapSegment(s: number): boolean {
    if (this.maps === null || !this.maps.has(s)) return false;
    this.unmap(s);
    return true;
  }

  /**
   * The key of a shared futex at `addr`: the object and the offset in it, the same in every
   * address space that maps it (get_futex_key's inode and page offset); null when not shared.
   */
  sharedKey(addr: number): string | null {
    if (this.maps === null) return null;
    const s = Math.floor(addr / SEGMENT_SPAN);
    const sc = this.maps.get(s);
    return sc ? `shm${sc.id}+${addr - s * SEGMENT_SPAN}` : null;
  }

  private map(cells: Value[], growable: boolean, mapping = false): number {
    const holes = mapping ? this.mapHoles : this.holes;
    const s = holes.length > 0 ? heapPop(holes) : this.segs.length;
    this.segs[s] = cells;
    this.growable[s] = growable;
    return s;
  }

  freeStack(segment: number): void {
    if (segment > 0 && segment < this.segs.length) this.unmap(segment);
  }

  clone(): VmMemory | null {
    const n = this.budget !== null ? this.size() : 0;
    if (!this.charge(n)) return null;
    const segs = new Array<Value[] | null>(this.segs.length);
    const maps = this.maps;
    for (let i = 0; i < segs.length; i++) {
      const s = this.segs[i];
      // A shared mapping is the same cells in the copy (MAP_SHARED survives fork).
      const sc = maps !== null ? maps.get(i) : undefined;
      segs[i] = sc ? sc.cells : s ? s.slice() : null;
      if (s && !sc) this.copied += s.length;
    }
    const copy = new VmMemory(segs[0] as Value[], segs, this.growable.slice(), this.holes.slice());
    copy.mixed = new Set(this.mixed);
    copy.mapHoles = this.mapHoles.slice();
    if (this.mapLengths !== null) copy.mapLengths = new Map(this.mapLengths);
    if (this.cow !== null) copy.cow = new Set(this.cow);
    copy.libc = copyLibcState(this.libc);
    if (maps !== null) {
      copy.maps = new Map();
      for (const [s, sc] of maps) copy.maps.set(s, sc ? sc.get() : null);
    }
    // The copy's cells were charged above, to this memory: they move to the copy.
    if (this.budget !== null) {
      this.charged -= n;
      copy.budget = this.budget;
      copy.charged = n;
    }
    return copy;
  }

  attach(budget: MemoryBudget): void {
    if (this.budget === budget) return;
    if (this.budget !== null) this.budget.used -= this.charged;
    this.budget = budget;
    this.charged = this.size();
    budget.used += this.charged;
  }

  release(): void {
    // The address space is torn down: its shared mappings go too (exit_mmap).
    if (this.maps !== null) for (const sc of this.maps.values()) sc?.put();
    this.maps = null;
    this.mapLengths = null;
    this.cow = null;
    if (this.budget !== null) this.budget.used -= this.charged;
    this.budget = null;
    this.charged = 0;
  }

  /** Cells charged for all segments: each stack's and the globals' cells, each heap block's chunk. */
  size(): number {
    let n = 0;
    for (let i = 0; i < this.segs.length; i++) {
      const s = this.segs[i];
      if (s) n += this.cost(i, s);
    }
    return n;
  }
}
