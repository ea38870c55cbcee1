// What the debugger shows of a FILE: its members as glibc names them, the flags spelled out, and
// the text still waiting in the buffer (_IO_write_base up to _IO_write_ptr) as a string.
import type { UserMemory } from './types';
import { VmMemory } from './memory';
import { pendingText } from './stdio-buffer';
import {
  cell, F_BUF_BASE, F_BUF_END, F_FILENO, F_FLAGS, F_MODE, F_READ_END, F_READ_PTR, F_WRITE_BASE, F_WRITE_END, F_WRITE_PTR,
  IO_CURRENTLY_PUTTING, IO_EOF_SEEN, IO_ERR_SEEN, IO_LINE_BUF, IO_LINKED, IO_NO_READS, IO_NO_WRITES, IO_UNBUFFERED, IO_USER_BUF,
} from './stdio-file';

const FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [IO_USER_BUF, '_IO_USER_BUF'], [IO_UNBUFFERED, '_IO_UNBUFFERED'], [IO_NO_READS, '_IO_NO_READS'], [IO_NO_WRITES, '_IO_NO_WRITES'],
  [IO_EOF_SEEN, '_IO_EOF_SEEN'], [IO_ERR_SEEN, '_IO_ERR_SEEN'], [IO_LINKED, '_IO_LINKED'], [IO_LINE_BUF, '_IO_LINE_BUF'],
  [IO_CURRENTLY_PUTTING, '_IO_CURRENTLY_PUTTING'],
];

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** How the stream buffers, in words. */
function buffering(flags: number, bufBase: number): string {
  if (flags & IO_UNBUFFERED) return 'unbuffered';
  if (flags & IO_LINE_BUF) return 'line-buffered';
  return bufBase === 0 ? 'not decided yet (at the first output)' : 'fully buffered';
}

/** A FILE at `fp` as the Variables pane expands it; null when fp is not one (no glibc magic). */
export function describeFile(memory: UserMemory, fp: number): Record<string, string | number> | null {
  if (!(memory instanceof VmMemory) || fp === 0) return null;
  const flags = memory.load(fp + F_FLAGS);
  if (typeof flags !== 'number' || (flags >>> 16) !== 0xfbad) return null;
  const c = (f: number): number => cell(memory, fp, f);
  const set = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
  return {
    type: '_IO_FILE', addr: fp,
    _flags: `${hex(flags)} (${set.join(' | ') || 'magic only'})`,
    buffering: buffering(flags, c(F_BUF_BASE)),
    buffered: pendingText(memory, fp),
    _IO_read_ptr: hex(c(F_READ_PTR)), _IO_read_end: hex(c(F_READ_END)),
    _IO_write_base: hex(c(F_WRITE_BASE)), _IO_write_ptr: hex(c(F_WRITE_PTR)), _IO_write_end: hex(c(F_WRITE_END)),
    _IO_buf_base: hex(c(F_BUF_BASE)), _IO_buf_end: hex(c(F_BUF_END)),
    _fileno: c(F_FILENO), _mode: c(F_MODE),
  };
}
