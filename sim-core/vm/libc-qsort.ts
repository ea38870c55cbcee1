// qsort as glibc 2.36 does it (stdlib/msort.c): a top-down merge sort that calls the scenario's
// comparison function for each pair it merges, b1 before b2, taking b1 when the result is <= 0;
// and bsearch (bits/stdlib-bsearch.h), halving [l, u) around compar(key, middle).
// Each is a generator that yields the pair to compare; the VM calls the comparison function
// with the pair and returns onto the library call, which feeds the result back (run.ts).
import type { CallSite } from './image';
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Value } from './types';
import { cellCost } from './cost';
import { toI32 } from './int64';
import { Fault } from './libc-fault';

/** Yields pairs to compare; returns what the call returns (bsearch's element, or 0). */
type Sort = Generator<[number, number], number | void, number>;

interface QsortRun {
  /** Where the qsort call is: its function, instruction and frame depth. */
  fn: number;
  pc: number;
  depth: number;
  sort: Sort;
  compar: Value;
}

/**
 * The sorts under way per thread, innermost last (a comparison function may itself call qsort).
 * Generators cannot be copied: a fork from inside a comparison function leaves the child without
 * the sort, and its qsort call ends there.
 */
const RUNS = new WeakMap<VmRegs, QsortRun[]>();

/** msort_with_tmp over `n` elements of `w` cells at b (regs.owed pays the copying). */
function* msort(mem: VmMemory, regs: VmRegs, b: number, n: number, w: number): Sort {
  if (n <= 1) return 0;
  const n1 = n >> 1, n2 = n - n1;
  yield* msort(mem, regs, b, n1, w);
  yield* msort(mem, regs, b + n1 * w, n2, w);
  let b1 = b, b2 = b + n1 * w, k1 = n1, k2 = n2;
  const tmp: Value[] = [];
  const take = (at: number): void => { for (let i = 0; i < w; i++) tmp.push(mem.load(at + i) ?? 0); };
  while (k1 > 0 && k2 > 0) {
    if ((yield [b1, b2]) <= 0) { take(b1); b1 += w; k1--; } else { take(b2); b2 += w; k2--; }
  }
  // The rest of the first run goes after; the rest of the second is already in place.
  for (; k1 > 0; k1--, b1 += w) take(b1);
  for (let i = 0; i < tmp.length; i++) mem.store(b + i, tmp[i]);
  regs.owed += cellCost(2 * tmp.length);
  return 0;
}

/** bsearch over `n` elements of `w` cells at b: the element compar finds equal to key, or 0. */
function* bsearch(key: number, b: number, n: number, w: number): Sort {
  let l = 0, u = n;
  while (l < u) {
    const idx = (l + u) >>> 1, p = b + idx * w;
    const c = yield [key, p];
    if (c < 0) u = idx;
    else if (c > 0) l = idx + 1;
    else return p;
  }
  return 0;
}

/**
 * One step of qsort or bsearch at the call at fn/pc/depth: a Fault, done with the call's value
 * when it returns, or the comparison to call next (function and the two addresses).
 */
export function qsortStep(site: CallSite, a: Value[], mem: VmMemory, regs: VmRegs, fn: number, pc: number, depth: number):
  Fault | { done: number } | { compar: Value; x: number; y: number } {
  const search = site.name === 'bsearch';
  let runs = RUNS.get(regs);
  const top = runs !== undefined && runs.length > 0 ? runs[runs.length - 1] : undefined;
  let run: QsortRun;
  let step: IteratorResult<[number, number], number | void>;
  if (top !== undefined && top.fn === fn && top.pc === pc && top.depth === depth) {
    // Back from the comparison function: its int result is the last value popped.
    run = top;
    regs.owed += 2;
    step = run.sort.next(toI32(a[search ? 4 : 3]));
  } else {
    const at = search ? 1 : 0, num = (v: Value | undefined): number => typeof v === 'number' ? v : 0;
    const base = num(a[at]), n = num(a[at + 1]), size = num(a[at + 2]);
    if (n < (search ? 1 : 2) || size <= 0) return { done: 0 };
    // The element size in bytes as cells of the array's element type (site.scale).
    const [bytes, cells] = site.scale ?? [1, 1];
    const w = Math.max(1, Math.round((size / bytes) * cells));
    if (base === 0 || mem.cells(base, n * w) === null) return new Fault('SIGSEGV', `${site.name}: the array is not mapped memory`);
    const sort = search ? bsearch(num(a[0]), base, n, w) : msort(mem, regs, base, n, w);
    run = { fn, pc, depth, sort, compar: a[at + 3] ?? 0 };
    if (runs === undefined) { runs = []; RUNS.set(regs, runs); }
    runs.push(run);
    step = run.sort.next(0);
  }
  if (step.done) {
    (runs as QsortRun[]).pop();
    return { done: step.value ?? 0 };
  }
  return { compar: run.compar, x: step.value[0], y: step.value[1] };
}

/** A sort is under way in this thread (its state is a generator, which no checkpoint can copy). */
export function sortUnderWay(regs: VmRegs): boolean {
  const runs = RUNS.get(regs);
  return runs !== undefined && runs.length > 0;
}
