// The descriptor calls of the C library (<fcntl.h>, <unistd.h>, <sys/stat.h>, <dirent.h>): files,
// pipes, descriptor copies and the working directory, each a wrapper of the system call of the
// same kernel name (open is openat, pipe is pipe2; see sim-core/vm/libc-fd.ts), and their flags.
import type { CallInfo, ConstantInfo, Convention, StructInfo } from './builtins-types';

function fd(name: string, returns: string, params: string[], header: string, doc: string, path: string[], conv: Convention = 'syscall'): CallInfo {
  const fixed = params.filter((p) => p !== '...').length;
  return {
    name, params, returns, header, doc, side: 'user', minArgs: name === 'open' || name === 'openat' ? fixed - 1 : fixed,
    maxArgs: params.includes('...') ? fixed + 1 : fixed, convention: conv, kernelPath: path,
  };
}

const OPEN_PATH = ['__x64_sys_openat', 'do_sys_openat2', 'do_filp_open', 'path_openat'];
const READ_PATH = ['__x64_sys_read', 'vfs_read', 'pipe_read'];
const PIPE_PATH = ['__x64_sys_pipe2', 'do_pipe2', 'create_pipe_files'];
const U = '<unistd.h>', F = '<fcntl.h>';

export const FD_CALLS: CallInfo[] = [
  fd('open', 'int', ['const char *pathname', 'int flags', '...'], F,
    'Opens (O_CREAT: creates) a file and returns the lowest free descriptor. flags: O_RDONLY, O_WRONLY or O_RDWR, with O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_CLOEXEC, O_NONBLOCK, O_DIRECTORY; with O_CREAT the mode (0644) follows. -1 and ENOENT, EEXIST, EACCES, EISDIR, EMFILE.', OPEN_PATH),
  fd('openat', 'int', ['int dirfd', 'const char *pathname', 'int flags', '...'], F,
    'open relative to the directory open as dirfd (AT_FDCWD: the working directory). What glibc\'s open calls.', OPEN_PATH),
  fd('creat', 'int', ['const char *pathname', 'mode_t mode'], F, 'open(pathname, O_CREAT | O_WRONLY | O_TRUNC, mode).', OPEN_PATH),
  fd('close', 'int', ['int fd'], U,
    'Closes a descriptor: the struct file loses a reference, and the last one releases it (the last write end of a pipe closed: readers see end of file). EBADF for a descriptor not open.', ['__x64_sys_close', 'file_close_fd', 'filp_close', 'fput']),
  fd('read', 'ssize_t', ['int fd', 'void *buf', 'size_t count'], U,
    'Reads up to count bytes into buf and returns how many (0: end of file). On an empty pipe it sleeps in pipe_read until a writer writes or every writer has closed; on the terminal, a line at a time. EAGAIN with O_NONBLOCK.', READ_PATH),
  fd('lseek', 'off_t', ['int fd', 'off_t offset', 'int whence'], U,
    'Moves the file position (SEEK_SET, SEEK_CUR, SEEK_END) and returns it; ESPIPE on a pipe or terminal. Descriptors copied by dup or fork share the position.', ['__x64_sys_lseek', 'vfs_llseek']),
  fd('pipe', 'int', ['int pipefd[2]'], U,
    'Makes a pipe: pipefd[0] reads what pipefd[1] writes, through a 64 KiB ring in the kernel (16 pages).', PIPE_PATH),
  fd('pipe2', 'int', ['int pipefd[2]', 'int flags'], U, 'pipe with O_CLOEXEC and O_NONBLOCK on both ends.', PIPE_PATH),
  fd('dup', 'int', ['int oldfd'], U, 'A new descriptor (the lowest free) for the same open file: position and flags are shared.', ['__x64_sys_dup', 'alloc_fd', 'fd_install']),
  fd('dup2', 'int', ['int oldfd', 'int newfd'], U,
    'Makes newfd refer to oldfd\'s open file, closing what newfd had (how a shell redirects: dup2(fd, 1)). Returns newfd.', ['__x64_sys_dup2', 'do_dup2']),
  fd('dup3', 'int', ['int oldfd', 'int newfd', 'int flags'], U, 'dup2 that can set O_CLOEXEC on newfd; EINVAL when oldfd equals newfd.', ['__x64_sys_dup3', 'do_dup2']),
  fd('fcntl', 'int', ['int fd', 'int cmd', '...'], F,
    'F_GETFD/F_SETFD (FD_CLOEXEC), F_GETFL/F_SETFL (O_APPEND, O_NONBLOCK), F_DUPFD and F_DUPFD_CLOEXEC (the lowest free descriptor at or above the argument).', ['__x64_sys_fcntl', 'do_fcntl']),
  fd('chdir', 'int', ['const char *path'], U, 'Changes the working directory (fs_struct pwd), which relative paths start from.', ['__x64_sys_chdir', 'set_fs_pwd']),
  fd('stat', 'int', ['const char *pathname', 'struct stat *statbuf'], '<sys/stat.h>',
    'What a path is: st_mode (type and permissions, S_ISDIR/S_ISREG), st_size, st_ino, st_nlink... (newfstatat). ENOENT when it does not exist.', ['__x64_sys_newfstatat', 'vfs_statx', 'cp_new_stat']),
  fd('lstat', 'int', ['const char *pathname', 'struct stat *statbuf'], '<sys/stat.h>', 'stat of a symbolic link itself (/proc/self).', ['__x64_sys_newfstatat', 'vfs_statx', 'cp_new_stat']),
  fd('fstat', 'int', ['int fd', 'struct stat *statbuf'], '<sys/stat.h>',
    'stat of an open descriptor: a pipe is S_IFIFO, the terminal S_IFCHR; st_blksize is what stdio sizes its buffer by.', ['__x64_sys_fstat', 'vfs_fstat', 'cp_new_stat']),
  fd('access', 'int', ['const char *pathname', 'int mode'], U,
    'Whether the real user may reach pathname: F_OK (it exists), or R_OK, W_OK, X_OK together. 0, or -1 with ENOENT, EACCES, ENOTDIR, EINVAL (a bad mode).', ['__x64_sys_access', 'do_faccessat']),
  fd('faccessat', 'int', ['int dirfd', 'const char *pathname', 'int mode', 'int flags'], '<fcntl.h>',
    'access relative to dirfd (AT_FDCWD: the working directory); AT_EACCESS checks with the effective user, AT_SYMLINK_NOFOLLOW does not follow a last link.', ['__x64_sys_faccessat2', 'do_faccessat']),
  fd('chmod', 'int', ['const char *pathname', 'mode_t mode'], '<sys/stat.h>',
    'Sets a file\'s permission bits (0755, S_IRUSR | S_IWUSR...); only its owner or root may. 0, or -1 with EPERM or ENOENT.', ['__x64_sys_chmod', 'do_fchmodat', 'chmod_common']),
  fd('fchmod', 'int', ['int fd', 'mode_t mode'], '<sys/stat.h>', 'chmod of an open file.', ['__x64_sys_fchmod', 'chmod_common']),
  fd('remove', 'int', ['const char *pathname'], '<stdio.h>', 'Removes a file (unlink), or an empty directory (rmdir when unlink says EISDIR). 0, or -1 with errno.', ['__x64_sys_unlinkat', 'do_unlinkat']),
  fd('unlink', 'int', ['const char *pathname'], U, 'Removes a name; a file still open stays readable until its last close.', ['__x64_sys_unlink', 'do_unlinkat']),
  fd('rmdir', 'int', ['const char *pathname'], U, 'Removes an empty directory (ENOTEMPTY otherwise).', ['__x64_sys_rmdir', 'do_rmdir']),
  fd('mkdir', 'int', ['const char *pathname', 'mode_t mode'], '<sys/stat.h>', 'Makes a directory (mode less the umask 022).', ['__x64_sys_mkdir', 'do_mkdirat']),
  fd('isatty', 'int', ['int fd'], U, '1 when fd is a terminal (the TCGETS ioctl succeeds), else 0 with errno ENOTTY or EBADF.', ['__x64_sys_ioctl', 'tty_ioctl'], 'direct'),
  fd('ioctl', 'int', ['int fd', 'unsigned long request', '...'], '<sys/ioctl.h>',
    'Device requests: TCGETS (the terminal\'s settings; ENOTTY on anything else) and FIONREAD (bytes waiting in a pipe).', ['__x64_sys_ioctl', 'do_vfs_ioctl']),
  fd('opendir', 'DIR *', ['const char *name'], '<dirent.h>', 'Opens a directory for readdir (openat with O_DIRECTORY); NULL and errno on failure.', ['__x64_sys_openat', 'do_sys_openat2'], 'direct'),
  fd('readdir', 'struct dirent *', ['DIR *dirp'], '<dirent.h>',
    'The next entry (d_name, d_type, d_ino), \'.\' and \'..\' included; NULL at the end. Reads a block of entries at a time with getdents64.', ['__x64_sys_getdents64', 'iterate_dir'], 'direct'),
  fd('closedir', 'int', ['DIR *dirp'], '<dirent.h>', 'Closes the directory\'s descriptor and frees the DIR.', ['__x64_sys_close', 'filp_close']),
  ...['S_ISDIR', 'S_ISREG', 'S_ISCHR', 'S_ISFIFO', 'S_ISLNK'].map((name): CallInfo => ({
    name, params: ['mode_t m'], returns: 'int', header: '<sys/stat.h>', side: 'user', minArgs: 1, maxArgs: 1, convention: 'direct', isMacro: true,
    doc: `Nonzero when st_mode m is of that file type ((m & S_IFMT) == S_IF${name.slice(4)}).`,
  })),
  fd('umask', 'mode_t', ['mode_t mask'], '<sys/stat.h>', 'Sets the file mode creation mask (fs_struct umask: bits new files do not get) and returns the old one.', ['__x64_sys_umask']),
  fd('getcwd', 'char *', ['char *buf', 'size_t size'], U, 'Copies the working directory\'s path into buf and returns buf; NULL and ERANGE when size is too small.', ['__x64_sys_getcwd', 'd_path'], 'direct'),
];

/** struct stat and struct dirent, as stat and readdir fill them. */
export const FD_STRUCTS: StructInfo[] = [
  {
    name: 'stat', side: 'user', header: '<sys/stat.h>', doc: 'What stat and fstat report about a file.',
    fields: [
      { name: 'st_dev', type: 'dev_t', doc: 'The device the file lives on.' }, { name: 'st_ino', type: 'ino_t', doc: 'Its inode number.' },
      { name: 'st_nlink', type: 'nlink_t', doc: 'Hard links to it.' }, { name: 'st_mode', type: 'mode_t', doc: 'File type (S_IFMT bits) and permissions.' },
      { name: 'st_uid', type: 'uid_t', doc: 'Owner.' }, { name: 'st_gid', type: 'gid_t', doc: 'Group.' },
      { name: 'st_rdev', type: 'dev_t', doc: 'The device number of a device file.' }, { name: 'st_size', type: 'off_t', doc: 'Size in bytes (a regular file).' },
      { name: 'st_blksize', type: 'blksize_t', doc: 'The I/O block size stdio buffers by (4096; 1024 on a terminal).' },
      { name: 'st_blocks', type: 'blkcnt_t', doc: '512-byte blocks allocated.' },
      { name: 'st_atime', type: 'time_t', doc: 'Last access (seconds).' }, { name: 'st_mtime', type: 'time_t', doc: 'Last modification.' },
      { name: 'st_ctime', type: 'time_t', doc: 'Last status change.' },
    ],
  },
  {
    name: 'dirent', side: 'user', header: '<dirent.h>', doc: 'One directory entry, as readdir returns it.',
    fields: [
      { name: 'd_ino', type: 'ino_t', doc: 'The entry\'s inode number.' }, { name: 'd_off', type: 'off_t', doc: 'Position of the next entry.' },
      { name: 'd_reclen', type: 'unsigned short', doc: 'Length of this record.' }, { name: 'd_type', type: 'unsigned char', doc: 'DT_DIR, DT_REG, DT_CHR, DT_FIFO, DT_LNK...' },
      { name: 'd_name', type: 'char [256]', doc: 'The name, NUL-terminated.' },
    ],
  },
];

type Row = [string, number, string];

function group(rows: Row[], header: string): ConstantInfo[] {
  return rows.map(([name, value, doc]) => ({ name, value, doc, group: 'fcntl', side: 'user', header }));
}

export const FD_CONSTANTS: ConstantInfo[] = [
  ...group([
    ['O_RDONLY', 0, 'Open for reading only.'], ['O_WRONLY', 1, 'Open for writing only.'], ['O_RDWR', 2, 'Open for reading and writing.'],
    ['O_ACCMODE', 3, 'The access-mode bits of the flags.'],
    ['O_CREAT', 0o100, 'Create the file if it does not exist (the mode argument follows).'],
    ['O_EXCL', 0o200, 'With O_CREAT: fail with EEXIST if the file exists.'],
    ['O_NOCTTY', 0o400, 'Do not make a terminal the controlling terminal.'],
    ['O_TRUNC', 0o1000, 'Truncate a regular file opened for writing to length 0.'],
    ['O_APPEND', 0o2000, 'Every write goes to the end of the file.'],
    ['O_NONBLOCK', 0o4000, 'Reads and writes that would sleep fail with EAGAIN instead.'],
    ['O_DIRECTORY', 0o200000, 'Fail with ENOTDIR unless the path is a directory.'],
    ['O_NOFOLLOW', 0o400000, 'Do not follow a symbolic link in the last component.'],
    ['O_CLOEXEC', 0o2000000, 'Close the descriptor on a successful execve (close_on_exec bit).'],
    ['AT_FDCWD', -100, 'The *at calls: relative to the working directory.'],
    ['F_DUPFD', 0, 'fcntl: duplicate to the lowest free descriptor at or above arg.'],
    ['F_GETFD', 1, 'fcntl: read the descriptor flags (FD_CLOEXEC).'], ['F_SETFD', 2, 'fcntl: set the descriptor flags.'],
    ['F_GETFL', 3, 'fcntl: read the file status flags and access mode.'],
    ['F_SETFL', 4, 'fcntl: set O_APPEND and O_NONBLOCK (other bits are ignored).'],
    ['F_DUPFD_CLOEXEC', 1030, 'fcntl: F_DUPFD with close-on-exec set on the copy.'],
    ['FD_CLOEXEC', 1, 'The close-on-exec descriptor flag.'],
  ], '<fcntl.h>'),
  ...group([
    ['S_IFMT', 0o170000, 'The file-type bits of st_mode.'], ['S_IFDIR', 0o040000, 'A directory.'], ['S_IFREG', 0o100000, 'A regular file.'],
    ['S_IFCHR', 0o020000, 'A character device (/dev/null, a terminal).'], ['S_IFIFO', 0o010000, 'A pipe or FIFO.'], ['S_IFLNK', 0o120000, 'A symbolic link.'],
    ['S_IRWXU', 0o700, 'Owner may read, write, execute.'], ['S_IRUSR', 0o400, 'Owner may read.'], ['S_IWUSR', 0o200, 'Owner may write.'],
    ['S_IXUSR', 0o100, 'Owner may execute.'], ['S_IRWXG', 0o070, 'Group: all.'], ['S_IRGRP', 0o040, 'Group may read.'], ['S_IWGRP', 0o020, 'Group may write.'],
    ['S_IXGRP', 0o010, 'Group may execute.'], ['S_IRWXO', 0o007, 'Others: all.'], ['S_IROTH', 0o004, 'Others may read.'],
    ['S_IWOTH', 0o002, 'Others may write.'], ['S_IXOTH', 0o001, 'Others may execute.'],
    ['AT_REMOVEDIR', 0x200, 'unlinkat: remove a directory (rmdir).'], ['AT_SYMLINK_NOFOLLOW', 0x100, 'fstatat: do not follow a last symbolic link.'],
    ['AT_EACCESS', 0x200, 'faccessat: check with the effective user and group.'],
    ['AT_EMPTY_PATH', 0x1000, 'fstatat: an empty path means dirfd itself.'],
  ], '<sys/stat.h>'),
  ...group([
    ['DT_UNKNOWN', 0, 'd_type: unknown.'], ['DT_FIFO', 1, 'd_type: a pipe.'], ['DT_CHR', 2, 'd_type: a character device.'],
    ['DT_DIR', 4, 'd_type: a directory.'], ['DT_REG', 8, 'd_type: a regular file.'], ['DT_LNK', 10, 'd_type: a symbolic link.'],
  ], '<dirent.h>'),
  ...group([
    ['TCGETS', 0x5401, 'ioctl: read the terminal\'s termios (isatty asks this).'], ['FIONREAD', 0x541b, 'ioctl: bytes ready to read (int *).'],
  ], '<sys/ioctl.h>'),
  ...group([
    ['SEEK_SET', 0, 'lseek: from the start of the file.'], ['SEEK_CUR', 1, 'lseek: from the current position.'],
    ['SEEK_END', 2, 'lseek: from the end of the file.'],
    ['F_OK', 0, 'access: the file exists.'], ['R_OK', 4, 'access: may read.'], ['W_OK', 2, 'access: may write.'],
    ['X_OK', 1, 'access: may execute (a directory: may search).'],
  ], '<unistd.h>'),
];
