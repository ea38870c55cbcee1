// A double or float as the debugger shows it: a value of a scenario's floating variable keeps its
// C type on its way to the Variables view, the console and watch expressions, and prints as gdb
// prints it under VS Code's C debuggers (%.17g for double, %.9g for float: 0.1 shows as
// 0.10000000000000001, 0.1f as 0.100000001; inf, -inf, and NaN with its payload).
import { formatFloat } from '../vm/printf-float';

/** A floating value read from the scenario's memory, with its C type. */
export class CFloat {
  constructor(readonly value: number, readonly type: 'double' | 'float') {}
}

/** gdb's text for a double or float. */
export function floatText(v: number, type: 'double' | 'float'): string {
  // Every NaN the simulator computes is x86's default NaN (sign set, quiet bit only).
  if (Number.isNaN(v)) return type === 'double' ? '-nan(0x8000000000000)' : '-nan(0x400000)';
  const f = formatFloat(v, 'g', type === 'double' ? 17 : 9, '');
  return f.sign + f.body;
}

/** The floating type a debugger type name stands for, if it is one. */
export function floatType(type: string | undefined): 'double' | 'float' | undefined {
  return type === 'double' || type === 'float' ? type : undefined;
}
