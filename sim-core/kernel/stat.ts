// What a path or descriptor is (fs/stat.c newfstatat, fstat), directory listings (fs/readdir.c
// getdents64), access and chmod (fs/open.c do_faccessat, chmod_common), unlink and mkdir (fs/namei.c), and ioctl's terminal requests (TCGETS, which
// isatty asks, and FIONREAD). Each is answered in one step.

import * as C from './consts';
import { shmem_evict_inode } from './shmem';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { fdget, type file } from './file';
import {
  AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, dir_entries, EACCES, EEXIST, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY,
  i_size, inode_permission, is_dir, new_inode, path_lookupat, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, type inode,
} from './vfs';
import { current_umask } from './open';

const ENOTTY = 25, EPERM = 1;
export const TCGETS = 0x5401, FIONREAD = 0x541b;
/** Cells of struct stat as the C library lays it out (see vm/ctypes.ts). */
const ST_DEV = 0, ST_INO = 1, ST_NLINK = 2, ST_MODE = 3, ST_UID = 4, ST_GID = 5, ST_RDEV = 6, ST_SIZE = 7,
  ST_BLKSIZE = 8, ST_BLOCKS = 9, ST_ATIME = 10, ST_MTIME = 11, ST_CTIME = 12;
/** Device numbers: the tmpfs root's, /dev's, procfs's, pipefs's; /dev/null 1:3, /dev/pts/0 136:0. */
const DEV_ROOT = 0x20, DEV_DEV = 0x5, DEV_PROC = 0x16, DEV_PIPE = 0xe, RDEV_NULL = 0x103, RDEV_PTS0 = 0x8800;

/** The device a file of this inode lives on. */
function dev_of(i: inode): number {
  if (i.proc_path) return DEV_PROC;
  if (i.i_pipe || (i.i_mode & S_IFMT) === S_IFIFO) return DEV_PIPE;
  if (i.i_rdev !== '') return DEV_DEV;
  return DEV_ROOT;
}

/** cp_new_stat: the inode's attributes into a struct stat in user memory. */
function cp_new_stat(k: Kernel, t: task_struct, i: inode, f: file | null, addr: number): number {
  const size = f && f.f_op === 'pipe' ? 0 : i_size(i);
  const blksize = f && f.f_op === 'tty' ? 1024 : 4096;
  const rdev = i.i_rdev === 'null' ? RDEV_NULL : i.i_rdev === 'tty' ? RDEV_PTS0 : 0;
  const sec = Math.floor(i.i_mtime / 1e9);
  const cells: Array<[number, number]> = [
    [ST_DEV, dev_of(i)], [ST_INO, i.i_ino], [ST_NLINK, i.i_nlink], [ST_MODE, i.i_mode], [ST_UID, i.i_uid], [ST_GID, i.i_uid],
    [ST_RDEV, rdev], [ST_SIZE, size], [ST_BLKSIZE, blksize], [ST_BLOCKS, (i.i_mode & S_IFMT) === S_IFREG && !i.proc ? Math.ceil(size / 4096) * 8 : 0],
    [ST_ATIME, sec], [ST_MTIME, sec], [ST_CTIME, sec],
  ];
  for (const [off, v] of cells) if (!k.user.putUser(t, addr + off, v)) return -C.EFAULT;
  return 0;
}

/** newfstatat(dirfd, path, statbuf, flags): stat, lstat, and fstatat. */
export function sys_newfstatat(k: Kernel, t: task_struct, dirfd: number, path: string, buf: number, flags: number): number {
  if (path === '' && (flags & AT_EMPTY_PATH)) return sys_fstat(k, t, dirfd, buf);
  const nd = path_lookupat(k, t, dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW));
  if (typeof nd === 'number') return nd;
  if (!nd.inode) return -ENOENT;
  return cp_new_stat(k, t, nd.inode, null, buf);
}

/** AT_EACCESS: faccessat checks with the effective ids instead of the real ones. */
const AT_EACCESS = 0x200;
const MAY_EXEC = 1, S_IXUGO = 0o111;

/**
 * do_faccessat(dirfd, path, mode, flags): access, faccessat and faccessat2. The check uses the
 * real uid (access_override_creds) unless AT_EACCESS; root passes every check except X_OK on a
 * file no one may execute (generic_permission). F_OK (0) asks only whether the path exists.
 */
export function sys_faccessat(k: Kernel, t: task_struct, dirfd: number, path: string, mode: number, flags: number): number {
  if (mode & ~7) return -C.EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -C.EINVAL;
  let ino: inode;
  if (path === '' && (flags & AT_EMPTY_PATH)) {
    const f = fdget(t, dirfd);
    if (!f) return -C.EBADF;
    ino = f.f_inode;
  } else {
    const nd = path_lookupat(k, t, dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW));
    if (typeof nd === 'number') return nd;
    if (!nd.inode) return -ENOENT;
    ino = nd.inode;
  }
  if (mode === 0) return 0;
  const uid = flags & AT_EACCESS ? t.cred.euid : t.cred.uid;
  if (uid === 0) return !(mode & MAY_EXEC) || is_dir(ino) || (ino.i_mode & S_IXUGO) !== 0 ? 0 : -EACCES;
  const bits = ino.i_uid === uid ? (ino.i_mode >> 6) & 7 : ino.i_mode & 7;
  return (bits & mode) === mode ? 0 : -EACCES;
}

/**
 * chmod_common: the owner (or root) sets the permission bits of an inode; the file type stays.
 * chmod and fchmodat follow links to the inode; fchmod takes a descriptor.
 */
function chmod_common(t: task_struct, ino: inode, mode: number): number {
  if (ino.proc) return -EPERM;
  if (t.cred.euid !== 0 && t.cred.euid !== ino.i_uid) return -EPERM;
  ino.i_mode = (ino.i_mode & S_IFMT) | (mode & 0o7777);
  return 0;
}

export function sys_fchmodat(k: Kernel, t: task_struct, dirfd: number, path: string, mode: number): number {
  const nd = path_lookupat(k, t, dirfd, path, true);
  if (typeof nd === 'number') return nd;
  if (!nd.inode) return -ENOENT;
  return chmod_common(t, nd.inode, mode);
}

export function sys_fchmod(t: task_struct, fd: number, mode: number): number {
  const f = fdget(t, fd);
  if (!f) return -C.EBADF;
  return chmod_common(t, f.f_inode, mode);
}

export function sys_fstat(k: Kernel, t: task_struct, fd: number, buf: number): number {
  const f = fdget(t, fd);
  if (!f) return -C.EBADF;
  return cp_new_stat(k, t, f.f_inode, f, buf);
}

/** d_type of a directory entry (DT_*). */
function dt_type(i: inode): number {
  switch (i.i_mode & S_IFMT) {
    case S_IFDIR: return 4;
    case S_IFREG: return 8;
    case S_IFCHR: return 2;
    case S_IFLNK: return 10;
    case S_IFIFO: return 1;
    default: return 0;
  }
}

/** Cells of a linux_dirent64 record before its name: d_ino, d_off, d_reclen, d_type. */
export const DIRENT_HEAD = 4;

/**
 * getdents64(fd, dirp, count): as many records as fit in `count` cells from the directory's
 * position (f_pos counts entries); each is d_ino, d_off, d_reclen (the kernel's bytes), d_type,
 * then the name and a NUL. Returns the cells filled, 0 at the end.
 */
export function sys_getdents64(k: Kernel, t: task_struct, fd: number, dirp: number, count: number): number {
  const f = fdget(t, fd);
  if (!f) return -C.EBADF;
  const dir = f.f_inode;
  if (!is_dir(dir)) return -ENOTDIR;
  // '.' and '..', then the entries: a tmpfs directory lists its newest first.
  const kids = dir_entries(k, t, dir);
  const list: Array<[string, inode]> = [['.', dir], ['..', dir.parent ?? dir], ...(dir.children ? kids.reverse() : kids)];
  let used = 0;
  while (f.f_pos < list.length) {
    const [name, ino] = list[f.f_pos];
    const cells = DIRENT_HEAD + name.length + 1;
    if (used + cells > count) { if (used === 0) return -C.EINVAL; break; }
    const reclen = Math.ceil((19 + name.length + 1) / 8) * 8;
    const a = dirp + used;
    const head = [ino.i_ino, f.f_pos + 1, reclen, dt_type(ino)];
    for (let i = 0; i < head.length; i++) if (!k.user.putUser(t, a + i, head[i])) return -C.EFAULT;
    for (let i = 0; i < name.length; i++) k.user.putUser(t, a + DIRENT_HEAD + i, name.charCodeAt(i));
    k.user.putUser(t, a + DIRENT_HEAD + name.length, 0);
    used += cells;
    f.f_pos++;
  }
  return used;
}

/** unlinkat(dirfd, path, flags): unlink, or rmdir with AT_REMOVEDIR. Open files keep the inode. */
export function sys_unlinkat(k: Kernel, t: task_struct, dirfd: number, path: string, flags: number): number {
  if (flags & ~AT_REMOVEDIR) return -C.EINVAL;
  const nd = path_lookupat(k, t, dirfd, path, false);
  if (typeof nd === 'number') return nd;
  const ino = nd.inode;
  if (!ino) return -ENOENT;
  const dir = nd.parent;
  if (!dir.children) return ino.proc ? -EACCES : -EPERM;
  if (nd.name === '.' || nd.name === '..') {
    // do_unlinkat refuses every last component but a name (EISDIR); do_rmdir tells them apart:
    // the root (LAST_ROOT) is busy, '..' not empty, '.' invalid.
    if (!(flags & AT_REMOVEDIR)) return -EISDIR;
    if (path.split('/').every((c) => c === '')) return -C.EBUSY;
    return nd.name === '..' ? -ENOTEMPTY : -C.EINVAL;
  }
  if (!inode_permission(t, dir, 3)) return -EACCES;
  // The sticky bit (/tmp): only the owner of the file (or of the directory) removes it.
  if ((dir.i_mode & 0o1000) && t.cred.euid !== 0 && ino.i_uid !== t.cred.euid && dir.i_uid !== t.cred.euid) return -EPERM;
  if (flags & AT_REMOVEDIR) {
    if (!is_dir(ino)) return -ENOTDIR;
    if (ino.children && ino.children.size > 0) return -ENOTEMPTY;
    dir.i_nlink--;
  } else if (is_dir(ino)) return -EISDIR;
  dir.children.delete(nd.name);
  // A file linked under another name (sem_open's link) keeps that one.
  ino.i_nlink = is_dir(ino) ? 0 : Math.max(0, ino.i_nlink - 1);
  shmem_evict_inode(ino);
  return 0;
}

/** mkdirat(dirfd, path, mode). */
export function sys_mkdirat(k: Kernel, t: task_struct, dirfd: number, path: string, mode: number): number {
  const nd = path_lookupat(k, t, dirfd, path, false);
  if (typeof nd === 'number') return nd;
  if (nd.inode) return -EEXIST;
  const dir = nd.parent;
  if (!dir.children || !inode_permission(t, dir, 3)) return -EACCES;
  const d = new_inode(k, S_IFDIR | (mode & 0o7777 & ~current_umask(t)), t.cred.euid, dir);
  dir.children.set(nd.name, d);
  dir.i_nlink++;
  return 0;
}

/** ioctl(fd, request, arg): TCGETS answers on the terminal only (isatty), FIONREAD a pipe's bytes. */
export function sys_ioctl(k: Kernel, t: task_struct, fd: number, request: number, arg: number): number {
  const f = fdget(t, fd);
  if (!f) return -C.EBADF;
  if (request === TCGETS) return f.f_op === 'tty' ? 0 : -ENOTTY;
  if (request === FIONREAD) {
    if (f.f_op === 'pipe' && f.pipe) return k.user.putUser(t, arg, f.pipe.nr_bytes) ? 0 : -C.EFAULT;
    if (f.f_op === 'regular') return k.user.putUser(t, arg, Math.max(0, f.f_inode.i_data.length - f.f_pos)) ? 0 : -C.EFAULT;
    return -ENOTTY;
  }
  return -ENOTTY;
}
