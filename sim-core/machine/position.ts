// A moment of the run, exact enough to stop at again: the step count, where in its tick the
// machine stands (inside a CPU's step, after the tick's checks, at the tick's end), the CPU, and
// how far into the step (user instructions or kernel steps used).

/** [steps, phase, cpu, offset]: ordered as the run reaches them (see comparePositions). */
export type Position = readonly [number, number, number, number];

/** Offsets: a user point's grows with the instructions used, a kernel point's comes after them. */
const USER_OFFSET = 1e9;
const KERNEL_OFFSET = 2e9;

export function positionOf(steps: number, phase: number, cpu: number, kernel: boolean, left: number): Position {
  if (phase !== 0) return [steps, phase, cpu, 0];
  return [steps, 0, cpu, (kernel ? KERNEL_OFFSET : USER_OFFSET) - left];
}

export function comparePositions(a: Position, b: Position): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
