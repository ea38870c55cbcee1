// Moving in a FILE (glibc's _IO_new_file_seekoff): fseek and rewind write out what the stream
// has buffered, lseek its descriptor (SEEK_CUR counted from what the program has read, not from
// what the buffer read ahead), drop the read-ahead and clear the end-of-file flag (rewind the
// error flag too); ftell asks lseek where the descriptor is and takes the buffer into account.
import type { VmMemory } from './memory';
import type { LibcCall, VmRegs } from './regs';
import type { Trap, Value } from './types';
import { Done } from './libc-calls';
import { Fault } from './libc-fault';
import {
  cell, F_BUF_BASE, F_FILENO, F_READ_BASE, F_READ_END, F_READ_PTR, F_WRITE_BASE, F_WRITE_END, F_WRITE_PTR,
  IO_EOF_SEEN, IO_ERR_SEEN,
} from './stdio-file';
import { begin, FAILED, first, FP, PHASE, setFlags, TEXT, trap, validStream } from './stdio-ops';

const EINVAL = 22, SEEK_CUR = 1, SEEK_END = 2;

/** The calls this module runs. */
export const SEEK_CALLS: ReadonlySet<string> = new Set(['fseek', 'ftell', 'rewind', 'fseeko', 'ftello']);

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

/** Starts fseek(fp, offset, whence), ftell(fp) or rewind(fp): a flush first for the two that move. */
export function startSeek(op: string, site: number, line: number, mem: VmMemory, r: VmRegs, a: Value[]): Trap | Done | Fault {
  const fp = num(a[0]);
  if (!validStream(mem, fp)) return new Fault('SIGSEGV', `${op}: ${fp === 0 ? 'NULL' : 'bad'} FILE pointer`);
  const tell = op === 'ftell' || op === 'ftello';
  const offset = op === 'rewind' ? 0 : num(a[1]), whence = op === 'rewind' ? 0 : num(a[2]);
  if (!tell && (whence < 0 || whence > SEEK_END)) { r.errno = EINVAL; return new Done(-1); }
  const how = JSON.stringify([tell ? 'tell' : op === 'rewind' ? 'rewind' : 'seek', offset, whence]);
  return first(r, begin(r, op, site, ['seek', fp, how, 0, 0, -1, 0, 'write', fp, ...(tell ? [] : [fp])]), mem, line);
}

/** The flush is over: the lseek (or the failed flush's -1). */
export function seekStep(c: LibcCall, mem: VmMemory, line: number): Done | null {
  const v = c.v;
  const fp = num(v[FP]);
  if (v[FAILED] === 1) return new Done(-1);
  const [kind, offset, whence] = JSON.parse(String(v[TEXT])) as [string, number, number];
  const unread = cell(mem, fp, F_READ_END) - cell(mem, fp, F_READ_PTR);
  v[PHASE] = 'seeking';
  const fd = cell(mem, fp, F_FILENO);
  if (kind === 'tell') c.next = trap(line, 'lseek', [fd, 0, SEEK_CUR]);
  else c.next = trap(line, 'lseek', [fd, whence === SEEK_CUR ? offset - unread : offset, whence]);
  return null;
}

/** lseek answered: ftell's position, or fseek's 0 with the buffer emptied. */
export function seekDone(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number): Done {
  const fp = num(c.v[FP]);
  const [kind] = JSON.parse(String(c.v[TEXT])) as [string];
  if (raw < 0) { r.errno = -raw; return new Done(-1); }
  if (kind === 'tell') {
    const unread = cell(mem, fp, F_READ_END) - cell(mem, fp, F_READ_PTR);
    const pending = cell(mem, fp, F_WRITE_PTR) - cell(mem, fp, F_WRITE_BASE);
    return new Done(raw - unread + pending);
  }
  const base = cell(mem, fp, F_BUF_BASE);
  if (base !== 0) for (const f of [F_WRITE_BASE, F_WRITE_PTR, F_WRITE_END, F_READ_BASE, F_READ_PTR, F_READ_END]) mem.store(fp + f, base);
  setFlags(mem, fp, 0, kind === 'rewind' ? IO_EOF_SEEN | IO_ERR_SEEN : IO_EOF_SEEN);
  return new Done(0);
}
