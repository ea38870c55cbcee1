// Opening, closing and copying descriptors (fs/open.c, fs/file.c, fs/fcntl.c): openat with
// O_CREAT/O_EXCL/O_TRUNC/O_APPEND/O_CLOEXEC/O_DIRECTORY, close, dup, dup2, dup3 and fcntl, and
// the working directory (chdir, getcwd in fs_struct). Each is answered in one step.

import * as C from './consts';
import { truncate_setsize } from './shmem';
import type { Kernel } from './kernel';
import type { files_struct, task_struct } from './task';
import {
  alloc_fd, alloc_file, close_fd, do_dup2, fd_install, fdget, FD_CLOEXEC, F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_GETFL,
  F_SETFD, F_SETFL, get_file, nofile, O_ACCMODE, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_LARGEFILE,
  O_NONBLOCK, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, type FileOps, type file,
} from './file';
import {
  d_path, EACCES, EEXIST, EISDIR, ENOENT, ENOTDIR, inode_permission, is_dir, new_inode, path_lookupat, S_IFCHR, S_IFMT,
  S_IFREG, type inode,
} from './vfs';

const EMFILE = 24, ERANGE = 34, O_NOFOLLOW = 0o400000, O_DIRECT = 0o40000, O_NOATIME = 0o1000000, O_PATH = 0o10000000;
/** current_umask(): the task's file mode creation mask (022 as a shell leaves it). */
export function current_umask(t: task_struct): number {
  return t.fs ? t.fs.umask : 0o022;
}

/** umask(mask): sets the mask, returns the old one. */
export function sys_umask(t: task_struct, mask: number): number {
  const old = current_umask(t);
  if (t.fs) t.fs.umask = mask & 0o777;
  return old;
}

/** The file operations an inode's files use. */
function ops_of(i: inode): FileOps {
  if (i.proc) return i.proc.kind === 'dir' ? 'directory' : 'proc';
  if ((i.i_mode & S_IFMT) === S_IFCHR) return i.i_rdev === 'tty' ? 'tty' : 'null';
  return is_dir(i) ? 'directory' : 'regular';
}

/** do_filp_open: finds or creates the file, checks access, truncates; a new struct file or -errno. */
function do_filp_open(k: Kernel, t: task_struct, dirfd: number, path: string, flags: number, mode: number): file | number {
  const nd = path_lookupat(k, t, dirfd, path, !(flags & O_NOFOLLOW));
  if (typeof nd === 'number') return nd;
  const acc = flags & O_ACCMODE;
  let ino = nd.inode;
  if (!ino) {
    if (!(flags & O_CREAT)) return -ENOENT;
    if (path.endsWith('/')) return -EISDIR;
    const dir = nd.parent;
    if (!dir.children || !inode_permission(t, dir, 3)) return -EACCES;
    ino = new_inode(k, S_IFREG | (mode & 0o7777 & ~current_umask(t)), t.cred.euid, dir);
    dir.children.set(nd.name, ino);
  } else {
    if ((flags & O_CREAT) && (flags & O_EXCL)) return -EEXIST;
    if (is_dir(ino)) {
      if (acc !== O_RDONLY || (flags & O_CREAT)) return -EISDIR;
    } else if (flags & O_DIRECTORY) return -ENOTDIR;
    const want = (acc === O_RDONLY || acc === O_RDWR ? 4 : 0) | (acc === O_WRONLY || acc === O_RDWR ? 2 : 0);
    if (ino.proc && (want & 2) && t.cred.euid !== 0) return -EACCES;
    if (!inode_permission(t, ino, want)) return -EACCES;
    if ((flags & O_TRUNC) && (ino.i_mode & S_IFMT) === S_IFREG && !ino.proc && acc !== O_RDONLY) truncate_setsize(ino, 0);
  }
  const ops = ops_of(ino);
  const f = alloc_file(ops, ino, flags | O_LARGEFILE, nd.inode ? pathOf(k, t, dirfd, path) : pathOf(k, t, dirfd, path));
  if (ops === 'proc' && ino.proc && ino.proc.kind === 'file') f.seq = ino.proc.read();
  return f;
}

/** The absolute, normalised path a file was opened by. */
function pathOf(k: Kernel, t: task_struct, dirfd: number, path: string): string {
  let base = '/';
  if (!path.startsWith('/')) {
    const d = dirfd === -100 ? null : fdget(t, dirfd);
    base = d ? d_path(k, d.f_inode) : t.fs ? t.fs.pwd : '/';
  }
  const parts: string[] = [];
  for (const c of `${base}/${path}`.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') parts.pop(); else parts.push(c);
  }
  return `/${parts.join('/')}`;
}

/** openat(dirfd, path, flags, mode): the lowest free descriptor on the file, or -errno. */
export function sys_openat(k: Kernel, t: task_struct, dirfd: number, path: string, flags: number, mode: number): number {
  const files = t.files;
  if (!files) return -EMFILE;
  if (flags & O_PATH) return -C.EINVAL;
  const fd = alloc_fd(files, 0, nofile(t), (flags & O_CLOEXEC) !== 0);
  if (fd < 0) return fd;
  const f = do_filp_open(k, t, dirfd, path, flags, mode);
  if (typeof f === 'number') { release_fd(files, fd); return f; }
  fd_install(files, fd, f);
  return fd;
}

/** put_unused_fd for a reserved slot that never got a file. */
function release_fd(files: files_struct, fd: number): void {
  files.fdt.fd[fd] = null;
  files.fdt.close_on_exec[fd] = false;
  if (fd < files.next_fd) files.next_fd = fd;
  while (files.fdt.fd.length > 0 && files.fdt.fd[files.fdt.fd.length - 1] === null) { files.fdt.fd.pop(); files.fdt.close_on_exec.pop(); }
}

export function sys_close(k: Kernel, t: task_struct, fd: number): number {
  return close_fd(k, t, fd) ? 0 : -C.EBADF;
}

/** dup and fcntl(F_DUPFD): the lowest free descriptor at or above `start`. */
function dupfd(t: task_struct, f: file, start: number, cloexec: boolean): number {
  const files = t.files as files_struct;
  const fd = alloc_fd(files, start, nofile(t), cloexec);
  if (fd < 0) return fd;
  fd_install(files, fd, get_file(f));
  return fd;
}

export function sys_dup(t: task_struct, fd: number): number {
  const f = fdget(t, fd);
  return f ? dupfd(t, f, 0, false) : -C.EBADF;
}

export function sys_dup2(k: Kernel, t: task_struct, oldfd: number, newfd: number): number {
  const f = fdget(t, oldfd);
  if (!f) return -C.EBADF;
  if (oldfd === newfd) return newfd;
  if (newfd < 0) return -C.EBADF;
  return do_dup2(k, t, f, newfd, false);
}

export function sys_dup3(k: Kernel, t: task_struct, oldfd: number, newfd: number, flags: number): number {
  if (flags & ~O_CLOEXEC) return -C.EINVAL;
  if (oldfd === newfd) return -C.EINVAL;
  const f = fdget(t, oldfd);
  if (!f) return -C.EBADF;
  if (newfd < 0) return -C.EBADF;
  return do_dup2(k, t, f, newfd, (flags & O_CLOEXEC) !== 0);
}

/** The status flags F_SETFL may change (SETFL_MASK). */
const SETFL_MASK = O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME;

export function sys_fcntl(t: task_struct, fd: number, cmd: number, arg: number): number {
  const f = fdget(t, fd);
  if (!f) return -C.EBADF;
  const files = t.files as files_struct;
  switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC:
      if (arg < 0 || arg >= nofile(t)) return -C.EINVAL;
      return dupfd(t, f, arg, cmd === F_DUPFD_CLOEXEC);
    case F_GETFD: return files.fdt.close_on_exec[fd] ? FD_CLOEXEC : 0;
    case F_SETFD: files.fdt.close_on_exec[fd] = (arg & FD_CLOEXEC) !== 0; return 0;
    case F_GETFL: return f.f_flags;
    case F_SETFL: f.f_flags = (f.f_flags & ~SETFL_MASK) | (arg & SETFL_MASK); return 0;
    default: return -C.EINVAL;
  }
}

/** chdir(path): the pwd of t's fs_struct (shared by CLONE_FS). */
export function sys_chdir(k: Kernel, t: task_struct, path: string): number {
  const nd = path_lookupat(k, t, -100, path);
  if (typeof nd === 'number') return nd;
  if (!nd.inode) return -ENOENT;
  if (!is_dir(nd.inode)) return -ENOTDIR;
  if (!inode_permission(t, nd.inode, 1)) return -EACCES;
  if (t.fs) t.fs.pwd = d_path(k, nd.inode);
  return 0;
}

/** getcwd(buf, size): the path and its NUL into buf; its length with the NUL, or -ERANGE. */
export function sys_getcwd(k: Kernel, t: task_struct, buf: number, size: number): number {
  const cwd = t.fs ? t.fs.pwd : '/';
  const len = cwd.length + 1;
  if (size < len) return -ERANGE;
  for (let i = 0; i < cwd.length; i++) if (!k.user.putUser(t, buf + i, cwd.charCodeAt(i))) return -C.EFAULT;
  if (!k.user.putUser(t, buf + cwd.length, 0)) return -C.EFAULT;
  return len;
}
