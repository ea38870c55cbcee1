// qsort as glibc 2.36 does it (stdlib/msort.c): a top-down merge sort that calls the scenario's
// comparison function for each pair it merges, b1 before b2, taking b1 when the result is <= 0.
// The sort is a generator that yields each pair to compare; the VM calls the comparison function
// with the pair and returns onto the qsort call, which feeds the result back (run.ts).
import type { CallSite } from './image';
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Value } from './types';
import { cellCost } from './cost';
import { toI32 } from './int64';
import { Fault } from './libc-fault';

type Sort = Generator<[number, number], void, number>;

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
  if (n <= 1) return;
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
}

/**
 * One step of qsort at the call at fn/pc/depth: a Fault, null when the sort is done (qsort
 * returns), or the comparison to call next (function and the two element addresses).
 */
export function qsortStep(site: CallSite, a: Value[], mem: VmMemory, regs: VmRegs, fn: number, pc: number, depth: number):
  Fault | null | { compar: Value; x: number; y: number } {
  let runs = RUNS.get(regs);
  const top = runs !== undefined && runs.length > 0 ? runs[runs.length - 1] : undefined;
  let run: QsortRun;
  let step: IteratorResult<[number, number], void>;
  if (top !== undefined && top.fn === fn && top.pc === pc && top.depth === depth) {
    // Back from the comparison function: its int result is the last value popped.
    run = top;
    regs.owed += 2;
    step = run.sort.next(toI32(a[3]));
  } else {
    const base = typeof a[0] === 'number' ? a[0] : 0, n = typeof a[1] === 'number' ? a[1] : 0, size = typeof a[2] === 'number' ? a[2] : 0;
    if (n <= 1 || size <= 0) return null;
    // The element size in bytes as cells of the array's element type (site.scale).
    const [bytes, cells] = site.scale ?? [1, 1];
    const w = Math.max(1, Math.round((size / bytes) * cells));
    if (base === 0 || mem.cells(base, n * w) === null) return new Fault('SIGSEGV', 'qsort: the array is not mapped memory');
    run = { fn, pc, depth, sort: msort(mem, regs, base, n, w), compar: a[3] ?? 0 };
    if (runs === undefined) { runs = []; RUNS.set(regs, runs); }
    runs.push(run);
    step = run.sort.next(0);
  }
  if (step.done) {
    (runs as QsortRun[]).pop();
    return null;
  }
  return { compar: run.compar, x: step.value[0], y: step.value[1] };
}

/** A sort is under way in this thread (its state is a generator, which no checkpoint can copy). */
export function sortUnderWay(regs: VmRegs): boolean {
  const runs = RUNS.get(regs);
  return runs !== undefined && runs.length > 0;
}
