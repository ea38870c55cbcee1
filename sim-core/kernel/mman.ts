// mmap and munmap (mm/mmap.c, mm/util.c): the checks in the order the system call,
// ksys_mmap_pgoff and do_mmap make them. A mapping is a segment of its own (vm/memory.ts):
// MAP_SHARED cells stay the same cells in every process fork makes, MAP_PRIVATE ones are copied.
// A file's mapping (a /dev/shm object) is made by shmem.ts.
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { SEGMENT_SPAN } from '../vm/image';
import { VmMemory } from '../vm/memory';
import { fdget } from './file';
import { do_mmap_file } from './shmem';
import type { Value } from '../vm/types';

const EINVAL = 22, ENOMEM = 12, EBADF = 9, EOPNOTSUPP = 95;
const PAGE = 4096;
const MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0f, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
/** The flags MAP_SHARED_VALIDATE knows (LEGACY_MAP_MASK and the newer ones the simulator accepts). */
const MAP_KNOWN = 0x3f | 0x100 | 0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x100000;
/** The largest mapping: the machine's whole memory (as malloc's MAX_BLOCK); the budget refuses sooner. */
const MAX_MAP = 1 << 24;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

/** The VM memory of t's address space (null for a task without one). */
export function memoryOf(t: task_struct): VmMemory | null {
  const m = t.mm?.memory;
  return m instanceof VmMemory ? m : null;
}

/**
 * mmap(addr, length, prot, flags, fd, offset): anonymous memory, or a regular file (a shm_open
 * object) from offset 0; another file is ENODEV. addr is a hint the simulator does not follow; MAP_FIXED,
 * which must be followed, is refused with EINVAL. prot is not enforced (the
 * simulator has no page protection): a mapping is readable and writable.
 */
export function sys_mmap(k: Kernel, t: task_struct, a: Value[]): number {
  const mem = memoryOf(t);
  const len = typeof a[1] === 'bigint' || num(a[1]) < 0 ? Infinity : num(a[1]);
  const prot = num(a[2]), flags = num(a[3]), fd = num(a[4]), off = typeof a[5] === 'bigint' ? 1 : num(a[5]);
  // The system call checks the offset, ksys_mmap_pgoff the descriptor of a file mapping, then
  // do_mmap the length and the mapping type.
  if (off % PAGE !== 0) return -EINVAL;
  const anon = (flags & MAP_ANONYMOUS) !== 0;
  const file = anon ? null : fdget(t, fd >>> 0);
  if (!anon && !file) return -EBADF;
  if (len === 0) return -EINVAL;
  const pages = Math.ceil(len / PAGE);
  if (!(pages * PAGE <= MAX_MAP)) return -ENOMEM;
  const type = flags & MAP_TYPE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return -EINVAL;
  if (type === MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN) !== 0) return -EOPNOTSUPP;
  if ((flags & MAP_FIXED) !== 0) return -EINVAL;
  if (file) return do_mmap_file(k, t, file, pages * PAGE, prot, type, off);
  const s = mem === null ? -1 : mem.mapAnon(pages * PAGE, type !== MAP_PRIVATE);
  if (s < 0) return -ENOMEM;
  return s * SEGMENT_SPAN;
}

/**
 * munmap(addr, length): EINVAL for an unaligned address or a zero length; the mapping that
 * starts at addr goes. A range with nothing mapped is no error. Part of a mapping stays mapped
 * (the simulator unmaps whole mappings only, when the range starts at one).
 */
export function sys_munmap(_k: Kernel, t: task_struct, a: Value[]): number {
  const addr = num(a[0]), len = typeof a[1] === 'bigint' ? Infinity : num(a[1]);
  if (addr % PAGE !== 0 || addr < 0 || len === 0 || len < 0) return -EINVAL;
  const s = addr / SEGMENT_SPAN;
  if (Number.isInteger(s)) memoryOf(t)?.unmapSegment(s);
  return 0;
}
