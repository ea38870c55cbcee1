// <sys/mman.h>: anonymous mmap and munmap as the kernel answers them (mm/mmap.c's checks, in
// the order do_mmap makes them). A mapping is a segment of its own (memory.ts): MAP_SHARED
// cells stay the same cells in every process fork makes, MAP_PRIVATE ones are copied.
import type { CallSite } from './image';
import { SEGMENT_SPAN } from './image';
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Value } from './types';
import { MALLOC_COST, FREE_COST } from './cost';

const EINVAL = 22, ENOMEM = 12, EBADF = 9, ENODEV = 19, EOPNOTSUPP = 95;
const PAGE = 4096;
const MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0f, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
/** The flags MAP_SHARED_VALIDATE knows (LEGACY_MAP_MASK and the newer ones the simulator accepts). */
const MAP_KNOWN = 0x3f | 0x100 | 0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x100000;
/** The largest mapping: the machine's whole memory (as malloc's MAX_BLOCK); the budget refuses sooner. */
const MAX_MAP = 1 << 24;
/** MAP_FAILED, (void *) -1. */
const MAP_FAILED = -1;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

function fail(regs: VmRegs, err: number): number {
  regs.errno = err;
  return MAP_FAILED;
}

/** mmap and munmap; undefined when `site.name` is neither. */
export function mmanCall(site: CallSite, a: Value[], mem: VmMemory, regs: VmRegs): Value | undefined {
  if (site.name === 'mmap') return mmap(a, mem, regs);
  if (site.name === 'munmap') return munmap(a, mem, regs);
  return undefined;
}

/**
 * mmap(addr, length, prot, flags, fd, offset). Only anonymous mappings are modelled: a file
 * mapping is refused with ENODEV. addr is a hint the simulator does not follow; MAP_FIXED,
 * which must be followed, is refused with EINVAL. prot is not enforced (the
 * simulator has no page protection): a mapping is readable and writable.
 */
function mmap(a: Value[], mem: VmMemory, regs: VmRegs): number {
  regs.owed += MALLOC_COST;
  const len = typeof a[1] === 'bigint' || num(a[1]) < 0 ? Infinity : num(a[1]);
  const flags = num(a[3]), fd = num(a[4]), off = typeof a[5] === 'bigint' ? 1 : num(a[5]);
  // The system call checks the offset, ksys_mmap_pgoff the descriptor of a file mapping, then
  // do_mmap the length and the mapping type.
  if (off % PAGE !== 0) return fail(regs, EINVAL);
  const anon = (flags & MAP_ANONYMOUS) !== 0;
  if (!anon && fd < 0) return fail(regs, EBADF);
  if (len === 0) return fail(regs, EINVAL);
  const pages = Math.ceil(len / PAGE);
  if (!(pages * PAGE <= MAX_MAP)) return fail(regs, ENOMEM);
  const type = flags & MAP_TYPE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return fail(regs, EINVAL);
  if (type === MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN) !== 0) return fail(regs, EOPNOTSUPP);
  if (!anon) return fail(regs, ENODEV);
  if ((flags & MAP_FIXED) !== 0) return fail(regs, EINVAL);
  const s = mem.mapAnon(pages * PAGE, type !== MAP_PRIVATE);
  if (s < 0) return fail(regs, ENOMEM);
  return s * SEGMENT_SPAN;
}

/**
 * munmap(addr, length): EINVAL for an unaligned address or a zero length; the mapping that
 * starts at addr goes. A range with nothing mapped is no error. Part of a mapping stays mapped
 * (the simulator unmaps whole mappings only, when the range starts at one).
 */
function munmap(a: Value[], mem: VmMemory, regs: VmRegs): number {
  regs.owed += FREE_COST;
  const addr = num(a[0]), len = typeof a[1] === 'bigint' ? Infinity : num(a[1]);
  if (addr % PAGE !== 0 || addr < 0 || len === 0 || len < 0) { regs.errno = EINVAL; return -1; }
  const s = addr / SEGMENT_SPAN;
  if (Number.isInteger(s)) mem.unmapSegment(s);
  return 0;
}
