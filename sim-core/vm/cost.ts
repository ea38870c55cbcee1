// The cost model of the C library: what a call charges in VM instructions, in proportion to its
// work, so that the step budget, virtual time and the debugger's pause bound every run. A call's
// work is done at once; its charge is owed by the thread (VmRegs.owed) and paid from the
// instruction budget of its next slices of user code, one tick (1,000 instructions, 1 virtual µs)
// at a time, before it runs anything else.

/**
 * Cells (bytes of a char array; one int, long or pointer) one instruction sets, reads, compares or
 * formats: 4, a 32-bit word, as a plain C loop over words goes (a 1 MiB memset is 262,144
 * instructions, 262 virtual µs). It also keeps the simulator's own time per step of such work
 * near that of a step of ordinary code, so a step budget bounds wall time alike.
 */
export const CELLS_PER_INSTRUCTION = 4;

/** malloc's and calloc's cost besides zeroing: glibc's fast path, a bin lookup and a chunk split. */
export const MALLOC_COST = 20;
/** free's cost: putting the chunk back in its bin. */
export const FREE_COST = 10;

/** Instructions for work over `cells` cells (memset, strlen, strcmp, formatting, a write's copy). */
export function cellCost(cells: number): number {
  return cells > 0 ? Math.ceil(cells / CELLS_PER_INSTRUCTION) : 0;
}
