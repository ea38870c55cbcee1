// ioctl as far as the C library's isatty needs it before the file table exists: TCGETS answers
// 0 on descriptors 0, 1 and 2 (the scenario's terminal) and -ENOTTY on any other. The file
// table's own ioctl (which asks the open file whether it is the terminal) takes its place.
import type { Value } from '../vm/types';

const TCGETS = 0x5401, ENOTTY = 25;

export function tty_ioctl(args: Value[]): number {
  const fd = typeof args[0] === 'number' ? args[0] : -1;
  if (args[1] !== TCGETS) return -ENOTTY;
  return fd >= 0 && fd <= 2 ? 0 : -ENOTTY;
}
