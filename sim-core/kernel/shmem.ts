// Files as shared memory (mm/shmem.c, mm/mmap.c, fs/open.c, fs/namei.c): mmap of a regular file
// (a /dev/shm object from shm_open or sem_open, or any tmpfs file), ftruncate that sizes it, and
// link, which sem_open uses to publish a semaphore it has filled in. A file's bytes live in i_data
// until it is first mapped; then its page cache is one SharedCells (memory.ts), the same cells in
// every MAP_SHARED mapping of it, and read and write go to those cells a byte at a time.
import * as C from './consts';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { fdget, FMODE_READ, FMODE_WRITE, type file } from './file';
import { inode_permission, is_dir, path_lookupat, S_IFMT, S_IFREG, type inode } from './vfs';
import { SharedCells } from '../vm/memory';
import { memoryOf } from './mman';
import { SEGMENT_SPAN } from '../vm/image';

const PAGE = 4096;
const EACCES = 13, EEXIST = 17, ENODEV = 19, EFBIG = 27, EXDEV = 18, EPERM = 1;
const MAP_SHARED = 0x01, MAP_SHARED_VALIDATE = 0x03, PROT_WRITE = 2;
const AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
/** The largest file the simulator sizes (as the largest mapping: the machine's memory). */
const MAX_FILE = 1 << 24;

function pages(bytes: number): number {
  return Math.ceil(bytes / PAGE) * PAGE;
}

/**
 * The file's page cache as shared cells (shmem_get_folio for the whole file): made from its
 * bytes at the first mmap, held by the inode from then on. Null when the budget cannot hold it.
 */
export function shmem_mapping(k: Kernel, ino: inode): SharedCells | null {
  if (ino.i_mapping) return ino.i_mapping;
  const sc = SharedCells.create(pages(ino.i_data.length), k.mem_budget);
  if (sc === null) return null;
  for (let i = 0; i < ino.i_data.length; i++) sc.cells[i] = ino.i_data.charCodeAt(i);
  ino.i_mapping = sc.get();
  return sc;
}

/**
 * The last name of a file is gone (shmem_evict_inode, as far as the simulator follows it): the
 * page cache is no longer the inode's to hold, so its cells go back to the machine once the
 * last mapping goes. A descriptor still open may map it again (then its cells are charged to no one).
 */
export function shmem_evict_inode(ino: inode): void {
  if (ino.i_nlink !== 0 || !ino.i_mapping) return;
  const sc = ino.i_mapping;
  if (sc.refs > 0) sc.put();
}

/** The file's bytes as read sees them: i_data, or the page cache's cells when it is mapped. */
export function i_bytes(ino: inode): string {
  const sc = ino.i_mapping;
  if (!sc) return ino.i_data;
  let out = '';
  for (let i = 0; i < ino.i_data.length; i++) {
    const c = sc.cells[i];
    out += String.fromCharCode(typeof c === 'number' ? c & 0xff : 0);
  }
  return out;
}

/** write's bytes at pos reach the page cache of a mapped file too (i_data already holds them). */
export function shmem_write(ino: inode, pos: number, text: string): void {
  const sc = ino.i_mapping;
  if (!sc) return;
  if (sc.cells.length < pages(ino.i_data.length)) sc.resize(pages(ino.i_data.length));
  for (let i = 0; i < text.length; i++) sc.cells[pos + i] = text.charCodeAt(i);
}

/**
 * truncate_setsize: the file is `size` bytes long. Past the old end it reads as zeros; a mapped
 * file's cells follow (whole pages, the tail of the last one cleared as truncate_pagecache does).
 */
export function truncate_setsize(ino: inode, size: number): boolean {
  const sc = ino.i_mapping;
  if (sc && !sc.resize(pages(size))) return false;
  if (sc) for (let i = size; i < sc.cells.length; i++) sc.cells[i] = 0;
  const d = ino.i_data;
  ino.i_data = size <= d.length ? d.slice(0, size) : d + '\0'.repeat(size - d.length);
  return true;
}

/** do_ftruncate: a regular file open for writing gets `length` bytes. */
function do_ftruncate(k: Kernel, f: file, length: number): number {
  const ino = f.f_inode;
  if ((ino.i_mode & S_IFMT) !== S_IFREG || ino.proc || !(f.f_mode & FMODE_WRITE)) return -C.EINVAL;
  if (length > MAX_FILE) return -EFBIG;
  if (!truncate_setsize(ino, length)) return -C.ENOMEM;
  ino.i_mtime = k.clock;
  return 0;
}

/** ftruncate(fd, length) (ksys_ftruncate): EINVAL for a negative length, then EBADF for a descriptor not open. */
export function ksys_ftruncate(k: Kernel, t: task_struct, fd: number, length: number): number {
  if (length < 0) return -C.EINVAL;
  const f = fdget(t, fd);
  if (!f) return -C.EBADF;
  return do_ftruncate(k, f, length);
}

/**
 * do_mmap's file half: `len` bytes of the file open as fd, shared (the page cache's own cells)
 * or private (the same cells until its first store, then a copy: copy-on-write, for the whole
 * mapping at once rather than page by page). The checks are do_mmap's: a file without mmap (a pipe, a terminal,
 * a directory) is ENODEV, a shared writable mapping needs FMODE_WRITE and every mapping
 * FMODE_READ (EACCES). An offset other than 0 is not modelled (EINVAL).
 */
export function do_mmap_file(k: Kernel, t: task_struct, f: file, len: number, prot: number, type: number, off: number): number {
  const shared = type === MAP_SHARED || type === MAP_SHARED_VALIDATE;
  if (f.f_op !== 'regular') return -ENODEV;
  if (shared && (prot & PROT_WRITE) && !(f.f_mode & FMODE_WRITE)) return -EACCES;
  if (!(f.f_mode & FMODE_READ)) return -EACCES;
  if (off !== 0) return -C.EINVAL;
  const mem = memoryOf(t);
  const sc = shmem_mapping(k, f.f_inode);
  if (mem === null || sc === null) return -C.ENOMEM;
  const s = shared ? mem.mapShared(sc, pages(len)) : mem.mapPrivate(sc, pages(len));
  if (s < 0) return -C.ENOMEM;
  return s * SEGMENT_SPAN;
}

/**
 * linkat(olddirfd, oldpath, newdirfd, newpath, flags) (do_linkat, vfs_link): a second name for a
 * file. EEXIST when the new name is taken, EPERM for a directory, ENOENT for a missing old name.
 */
export function sys_linkat(k: Kernel, t: task_struct, olddfd: number, oldpath: string, newdfd: number, newpath: string, flags: number): number {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -C.EINVAL;
  const old = path_lookupat(k, t, olddfd, oldpath, (flags & AT_SYMLINK_FOLLOW) !== 0);
  if (typeof old === 'number') return old;
  if (!old.inode) return -C.ENOENT;
  const nd = path_lookupat(k, t, newdfd, newpath, false);
  if (typeof nd === 'number') return nd;
  if (nd.inode) return -EEXIST;
  const dir = nd.parent;
  if (!dir.children) return -EACCES;
  if (!inode_permission(t, dir, 3)) return -EACCES;
  const ino = old.inode;
  if (is_dir(ino)) return -EPERM;
  // A procfs file, or the other side of a mount, cannot be linked here.
  if (ino.proc || !old.parent.children) return -EXDEV;
  dir.children.set(nd.name, ino);
  ino.i_nlink++;
  return 0;
}
