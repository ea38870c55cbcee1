// The C library's descriptor wrappers as glibc makes them on x86-64: open and creat are openat
// on AT_FDCWD, pipe is pipe2 with no flags, getcwd returns its buffer (NULL on failure); the
// rest (read, close, dup2, fcntl, lseek...) are the system call of the same name with the
// arguments as they are.
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Trap, Value } from './types';
import { cstring } from './cstring';

const AT_FDCWD = -100, O_CREAT = 0o100, O_WRONLY = 1, O_TRUNC = 0o1000;
const MAX_PATH = 4096 * 4;

/** The wrappers whose kernel answer the library turns into something else (resumeFd). */
export const FD_OPS: ReadonlySet<string> = new Set(['getcwd']);

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

function trap(line: number, name: string, args: Value[]): Trap {
  return { kind: 'syscall', name, args, line };
}

/** A path argument as the kernel copies it (strncpy_from_user), or an EFAULT address. */
function pathArg(mem: VmMemory, v: Value | undefined): Value {
  if (typeof v === 'string') return v;
  const s = cstring(mem, v, MAX_PATH);
  return s === null ? 0 : s;
}

/**
 * The system call a descriptor wrapper makes, or null when `name` is not one that reshapes its
 * arguments (the call goes to the kernel under its own name).
 */
export function startFd(name: string, site: number, line: number, a: Value[], mem: VmMemory, r: VmRegs): Trap | null {
  switch (name) {
    // The mode is read only with O_CREAT (a variadic argument glibc takes then).
    case 'open': return trap(line, 'openat', [AT_FDCWD, pathArg(mem, a[0]), num(a[1]), num(a[1]) & O_CREAT ? num(a[2]) : 0]);
    case 'openat': return trap(line, 'openat', [num(a[0]), pathArg(mem, a[1]), num(a[2]), num(a[2]) & O_CREAT ? num(a[3]) : 0]);
    case 'creat': return trap(line, 'openat', [AT_FDCWD, pathArg(mem, a[0]), O_CREAT | O_WRONLY | O_TRUNC, num(a[1])]);
    case 'pipe': return trap(line, 'pipe2', [num(a[0]), 0]);
    case 'chdir': return trap(line, 'chdir', [pathArg(mem, a[0])]);
    case 'getcwd':
      r.libc = { op: name, site, step: 0, v: [num(a[0])], next: null };
      return trap(line, 'getcwd', [num(a[0]), num(a[1])]);
    default: return null;
  }
}

/** The result of a wrapper in FD_OPS once the kernel answered: its return value (errno set). */
export function resumeFd(r: VmRegs, op: string, v: Value[], raw: number): Value {
  switch (op) {
    case 'getcwd':
      if (raw < 0) { r.errno = -raw; return 0; }
      return v[0];
    default: return raw;
  }
}
