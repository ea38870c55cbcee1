// The C library's descriptor wrappers as glibc makes them on x86-64: open and creat are openat
// on AT_FDCWD, pipe is pipe2 with no flags, getcwd returns its buffer (NULL on failure); the
// rest (read, close, dup2, fcntl, lseek...) are the system call of the same name with the
// arguments as they are.
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Trap, Value } from './types';
import { cstring } from './cstring';
import { SEGMENT_SPAN } from './image';
import { Done } from './libc-calls';
import { decodeBytes } from './byte-image';
import { Fault } from './libc-fault';
import { norm } from './int64';

const AT_FDCWD = -100, O_CREAT = 0o100, O_WRONLY = 1, O_TRUNC = 0o1000, O_NONBLOCK = 0o4000, O_DIRECTORY = 0o200000,
  O_CLOEXEC = 0o2000000, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, TCGETS = 0x5401;
const ENOMEM = 12, EBADF = 9, EFAULT = 14;
const MAX_PATH = 4096 * 4;
/** A DIR: its descriptor, the position and fill of its buffer, then the buffer (glibc's 32 KiB). */
const DIR_FD = 0, DIR_POS = 1, DIR_LEN = 2, DIR_BUF = 3, DIR_BUF_CELLS = 32768;
/** Cells of a record before d_name (d_ino, d_off, d_reclen, d_type: kernel/stat.ts). */
const DIRENT_HEAD = 4;
const S_IFMT = 0o170000;
const FILE_TYPES: ReadonlyMap<string, number> = new Map([
  ['S_ISDIR', 0o040000], ['S_ISREG', 0o100000], ['S_ISCHR', 0o020000], ['S_ISFIFO', 0o010000], ['S_ISLNK', 0o120000],
]);

/** The wrappers whose kernel answer the library turns into something else (resumeFd). */
export const FD_OPS: ReadonlySet<string> = new Set(['getcwd', 'isatty', 'opendir', 'readdir', 'closedir', 'read']);

/** S_ISDIR and its kind (macros the VM evaluates), or undefined for another name. */
export function fdMacro(name: string, a: Value[]): number | undefined {
  const type = FILE_TYPES.get(name);
  return type === undefined ? undefined : (num(a[0]) & S_IFMT) === type ? 1 : 0;
}

/** Words of an fd_set: FD_SETSIZE (1024) bits in unsigned longs, descriptor n in bit n % 64 of word n / 64. */
const FD_SET_WORDS = 16;

/** <sys/select.h>'s FD_ZERO, FD_SET, FD_CLR and FD_ISSET on an fd_set. */
export function fdSetMacro(name: string, a: Value[], mem: VmMemory): Value | Fault {
  const set = num(name === 'FD_ZERO' ? a[0] : a[1]);
  if (name === 'FD_ZERO') {
    if (mem.fill(set, FD_SET_WORDS, 0) < FD_SET_WORDS) return new Fault('SIGSEGV', 'FD_ZERO: bad fd_set pointer');
    return 0;
  }
  const fd = num(a[0]);
  // A descriptor outside the set is ignored (FD_ISSET says 0).
  if (fd < 0 || fd >= FD_SET_WORDS * 64) return 0;
  const addr = set + Math.floor(fd / 64);
  const w = mem.load(addr);
  if (typeof w !== 'number' && typeof w !== 'bigint') return new Fault('SIGSEGV', `${name}: bad fd_set pointer`);
  const word = BigInt.asUintN(64, BigInt(w)), bit = 1n << BigInt(fd % 64);
  if (name === 'FD_ISSET') return (word & bit) !== 0n ? 1 : 0;
  mem.store(addr, norm(BigInt.asIntN(64, name === 'FD_SET' ? word | bit : word & ~bit)));
  return 0;
}

/** The next record of a DIR's buffer as readdir returns it (its address), or 0 when it is used up. */
function nextRecord(mem: VmMemory, dir: number): number {
  const pos = num(mem.load(dir + DIR_POS)), len = num(mem.load(dir + DIR_LEN));
  if (pos >= len) return 0;
  const rec = dir + DIR_BUF + pos;
  let n = 0;
  while (n < 256 && num(mem.load(rec + DIRENT_HEAD + n)) !== 0) n++;
  mem.store(dir + DIR_POS, pos + DIRENT_HEAD + n + 1);
  return rec;
}

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
export function startFd(name: string, site: number, line: number, a: Value[], mem: VmMemory, r: VmRegs): Trap | Done | null {
  switch (name) {
    // The mode is read only with O_CREAT (a variadic argument glibc takes then).
    case 'open': return trap(line, 'openat', [AT_FDCWD, pathArg(mem, a[0]), num(a[1]), num(a[1]) & O_CREAT ? num(a[2]) : 0]);
    case 'openat': return trap(line, 'openat', [num(a[0]), pathArg(mem, a[1]), num(a[2]), num(a[2]) & O_CREAT ? num(a[3]) : 0]);
    case 'creat': return trap(line, 'openat', [AT_FDCWD, pathArg(mem, a[0]), O_CREAT | O_WRONLY | O_TRUNC, num(a[1])]);
    case 'pipe': return trap(line, 'pipe2', [num(a[0]), 0]);
    case 'chdir': return trap(line, 'chdir', [pathArg(mem, a[0])]);
    case 'stat': return trap(line, 'newfstatat', [AT_FDCWD, pathArg(mem, a[0]), num(a[1]), 0]);
    case 'lstat': return trap(line, 'newfstatat', [AT_FDCWD, pathArg(mem, a[0]), num(a[1]), AT_SYMLINK_NOFOLLOW]);
    case 'access': return trap(line, 'access', [pathArg(mem, a[0]), num(a[1])]);
    // glibc's faccessat is faccessat2 when flags are given, the older call otherwise.
    case 'faccessat': return trap(line, num(a[3]) !== 0 ? 'faccessat2' : 'faccessat', [num(a[0]), pathArg(mem, a[1]), num(a[2]), num(a[3])]);
    case 'chmod': return trap(line, 'chmod', [pathArg(mem, a[0]), num(a[1])]);
    case 'unlink': return trap(line, 'unlinkat', [AT_FDCWD, pathArg(mem, a[0]), 0]);
    case 'rmdir': return trap(line, 'unlinkat', [AT_FDCWD, pathArg(mem, a[0]), AT_REMOVEDIR]);
    case 'mkdir': return trap(line, 'mkdirat', [AT_FDCWD, pathArg(mem, a[0]), num(a[1])]);
    case 'read': {
      // Into an int or a struct: the kernel copies bytes into a scratch block, which are then
      // put together into the objects (byte-image.ts). Into bytes: the plain call.
      const t = r.image.sites[site]?.bufType;
      const n = num(a[2]);
      if (!t || typeof a[1] !== 'number' || n <= 0) return null;
      const seg = mem.newBlock(n);
      if (seg < 0) { r.errno = ENOMEM; return new Done(-1); }
      r.libc = { op: name, site, step: 0, v: [a[1], seg * SEGMENT_SPAN], next: null };
      return trap(line, 'read', [num(a[0]), seg * SEGMENT_SPAN, n]);
    }
    case 'getcwd':
      r.libc = { op: name, site, step: 0, v: [num(a[0])], next: null };
      return trap(line, 'getcwd', [num(a[0]), num(a[1])]);
    // isatty: the terminal's settings (TCGETS) can be read only from a terminal.
    case 'isatty':
      r.libc = { op: name, site, step: 0, v: [], next: null };
      return trap(line, 'ioctl', [num(a[0]), TCGETS, 0]);
    case 'opendir':
      r.libc = { op: name, site, step: 0, v: [], next: null };
      return trap(line, 'openat', [AT_FDCWD, pathArg(mem, a[0]), O_NONBLOCK | O_DIRECTORY | O_CLOEXEC, 0]);
    case 'readdir': {
      // The next record of the buffer, or getdents64 for the next block of them.
      const dir = num(a[0]);
      if (dir === 0 || mem.load(dir + DIR_FD) === undefined) { r.errno = EBADF; return new Done(0); }
      const rec = nextRecord(mem, dir);
      if (rec !== 0) return new Done(rec);
      r.libc = { op: name, site, step: 0, v: [dir], next: null };
      return trap(line, 'getdents64', [num(mem.load(dir + DIR_FD)), dir + DIR_BUF, DIR_BUF_CELLS]);
    }
    case 'closedir': {
      const dir = num(a[0]);
      if (dir === 0 || mem.load(dir + DIR_FD) === undefined) { r.errno = EBADF; return new Done(-1); }
      r.libc = { op: name, site, step: 0, v: [dir], next: null };
      return trap(line, 'close', [num(mem.load(dir + DIR_FD))]);
    }
    default: return null;
  }
}

/** The result of a wrapper in FD_OPS once the kernel answered: its return value (errno set). */
export function resumeFd(r: VmRegs, mem: VmMemory, op: string, v: Value[], raw: number): Value {
  const fail = raw < 0 && raw >= -4095;
  if (fail) r.errno = -raw;
  switch (op) {
    case 'read': {
      const tmp = num(v[1]);
      const t = r.image.sites[r.libc?.site ?? -1]?.bufType;
      const cells = raw > 0 ? mem.cells(tmp, raw) : [];
      mem.freeBlock(tmp);
      if (fail) return -1;
      let data = '';
      for (const c of cells ?? []) data += String.fromCharCode(num(c) & 0xff);
      if (t && !decodeBytes(mem, num(v[0]), t, data)) { r.errno = EFAULT; return -1; }
      return raw;
    }
    case 'getcwd': return fail ? 0 : v[0];
    case 'isatty': return fail ? 0 : 1;
    case 'opendir': {
      if (fail) return 0;
      const seg = mem.newBlock(DIR_BUF + DIR_BUF_CELLS);
      if (seg < 0) { r.errno = ENOMEM; return 0; }
      const dir = seg * SEGMENT_SPAN;
      mem.store(dir + DIR_FD, raw);
      return dir;
    }
    case 'readdir': {
      const dir = num(v[0]);
      if (fail || raw === 0) return 0;
      mem.store(dir + DIR_POS, 0);
      mem.store(dir + DIR_LEN, raw);
      return nextRecord(mem, dir);
    }
    case 'closedir':
      mem.freeBlock(num(v[0]));
      return fail ? -1 : 0;
    default: return raw;
  }
}
