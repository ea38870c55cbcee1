// Shared memory between processes: <sys/mman.h>'s anonymous mmap and munmap (sim-core/kernel/mman.ts)
// and their flags. A MAP_SHARED mapping is the same cells in the parent and every child fork makes.
// System V shared memory (<sys/shm.h>): shmget, shmat, shmdt, shmctl (sim-core/kernel/shm.ts).
// POSIX shared memory and named semaphores: shm_open, ftruncate, sem_open... (vm/libc-shm.ts, kernel/shmem.ts).
import type { CallInfo, ConstantInfo, StructInfo } from './builtins-types';

const M = '<sys/mman.h>', SHM = '<sys/shm.h>', SEM = '<semaphore.h>';

function call(name: string, returns: string, params: string[], doc: string, header = M): CallInfo {
  return {
    name, params, returns, header, doc, side: 'user', minArgs: params.length, maxArgs: params.length, convention: 'syscall',
    kernelPath: [`__x64_sys_${name}`],
  };
}

/** A C library function over files in /dev/shm: it sets errno itself and returns its value as it is. */
function posix(name: string, returns: string, params: string[], doc: string, header: string, path: string[]): CallInfo {
  const fixed = params.filter((p) => p !== '...').length;
  return {
    name, params, returns, header, doc, side: 'user', minArgs: fixed, maxArgs: params.includes('...') ? fixed + 2 : fixed,
    convention: 'direct', kernelPath: path,
  };
}

const OPEN_PATH = ['__x64_sys_openat', 'do_sys_openat2', 'do_filp_open', 'path_openat'];
const UNLINK_PATH = ['__x64_sys_unlinkat', 'do_unlinkat'];

/** POSIX shared memory objects and named semaphores (files in /dev/shm), and ftruncate that sizes them. */
const POSIX_SHM_CALLS: CallInfo[] = [
  posix('shm_open', 'int', ['const char *name', 'int oflag', 'mode_t mode'],
    'Opens the shared memory object called name ("/name": one leading slash, no other) and returns a descriptor for it, close-on-exec. The object is the file /dev/shm/name: O_CREAT makes it (empty, with the mode bits), O_EXCL with O_CREAT refuses one that exists, O_RDWR or O_RDONLY say how it is opened, O_TRUNC empties it. Size it with ftruncate and map it with mmap(..., MAP_SHARED, fd, 0); every process that maps it sees the same bytes, and it stays until shm_unlink, even after every descriptor is closed. -1 with ENOENT (missing, no O_CREAT), EEXIST, EINVAL (an empty name or one with a slash inside).',
    M, OPEN_PATH),
  posix('shm_unlink', 'int', ['const char *name'],
    'Removes the name of a shared memory object: shm_open no longer finds it, but processes that have it mapped (or open) keep using it until they unmap (close) it. -1 with ENOENT when there is no such object (a name with a slash inside included).',
    M, UNLINK_PATH),
  call('ftruncate', 'int', ['int fd', 'off_t length'],
    'Sets the size of the regular file open as fd (opened for writing) to length bytes: past the old end it reads as zero bytes. This is how a new shm_open object gets its size before mmap. -1 with EBADF (not open), EINVAL (a negative length, not a regular file, or not open for writing).',
    '<unistd.h>'),
  // sem_open publishes a semaphore it has filled in under its name with link.
  call('link', 'int', ['const char *oldpath', 'const char *newpath'],
    'Gives the file oldpath a second name newpath (a hard link): both names are the same file, which lives on until the last is removed. -1 with EEXIST (newpath exists), ENOENT (oldpath missing), EPERM (a directory).',
    '<unistd.h>'),
  posix('sem_open', 'sem_t *', ['const char *name', 'int oflag', '...'],
    'Opens the named semaphore name ("/name") shared by every process that opens it: sem_open(name, 0) finds an existing one; sem_open(name, O_CREAT, mode, value) makes it with the count value unless it exists (then opens it, value ignored); O_CREAT | O_EXCL refuses one that exists. Use the sem_t * with sem_wait, sem_post, sem_trywait, sem_timedwait and sem_getvalue; a second open in the same process gives the same pointer. SEM_FAILED with ENOENT (missing, no O_CREAT), EEXIST, EINVAL (a bad name, or value above SEM_VALUE_MAX). Made as the file /dev/shm/sem.name.',
    SEM, [...OPEN_PATH, 'do_mmap']),
  posix('sem_close', 'int', ['sem_t *sem'],
    'Closes a semaphore sem_open returned; its last close in the process unmaps it. The semaphore itself lives on until sem_unlink. -1 and EINVAL for a pointer sem_open did not return.',
    SEM, ['__x64_sys_munmap']),
  posix('sem_unlink', 'int', ['const char *name'],
    'Removes a named semaphore\'s name: later sem_open calls no longer find it, while processes that have it open go on using it. -1 with ENOENT when there is no such semaphore.',
    SEM, UNLINK_PATH),
];

export const MMAN_CALLS: CallInfo[] = [
  call('mmap', 'void *', ['void *addr', 'size_t length', 'int prot', 'int flags', 'int fd', 'off_t offset'],
    'Maps length bytes (rounded up to 4096-byte pages) of zeroed anonymous memory: flags MAP_SHARED | MAP_ANONYMOUS for memory a parent shares with the children it forks afterwards (a counter, a sem_t with pshared 1), MAP_PRIVATE | MAP_ANONYMOUS for memory fork copies. fd -1, offset 0; addr is a hint and is ignored. With a descriptor instead (a shm_open object sized by ftruncate) it maps the file: MAP_SHARED gives every process that maps it the same memory, MAP_PRIVATE a copy of its own. MAP_FAILED and EINVAL (length 0, an unaligned offset, neither MAP_SHARED nor MAP_PRIVATE), EBADF (no MAP_ANONYMOUS and fd not open), EACCES (MAP_SHARED with PROT_WRITE of a file not opened for writing), ENODEV (a file that cannot be mapped, such as a pipe), ENOMEM. The simulator maps files from offset 0 only (EINVAL), does not place MAP_FIXED mappings (EINVAL) and does not enforce prot.'),
  call('munmap', 'int', ['void *addr', 'size_t length'],
    'Unmaps the mapping that starts at addr: a later access faults (SIGSEGV). EINVAL for an address not on a page boundary or a length of 0; nothing mapped there is no error. The simulator unmaps whole mappings only.'),
  call('shmget', 'int', ['key_t key', 'size_t size', 'int shmflg'],
    'The id of the System V shared memory segment of key: IPC_PRIVATE always makes a new one (size bytes, zeroed, rounded up to pages); another key finds its segment, or makes one with IPC_CREAT (the low 9 bits of shmflg are its mode). -1 and ENOENT (no segment, no IPC_CREAT), EEXIST (IPC_CREAT | IPC_EXCL and it exists), EINVAL (size 0, or more than an existing segment has), ENOMEM.', SHM),
  call('shmat', 'void *', ['int shmid', 'const void *shmaddr', 'int shmflg'],
    'Attaches the segment: returns the address where it is mapped in the caller (shmaddr NULL: the kernel chooses). fork\'s children inherit the attachment; exit and execve detach. (void *) -1 and EINVAL for an unknown id. The simulator places no segment at a given address (EINVAL) and does not enforce SHM_RDONLY.', SHM),
  call('shmdt', 'int', ['const void *shmaddr'],
    'Detaches the segment attached at shmaddr (a later access is SIGSEGV); a segment IPC_RMID removed goes when its last attachment does. EINVAL when no segment is attached there.', SHM),
  call('shmctl', 'int', ['int shmid', 'int cmd', 'struct shmid_ds *buf'],
    'IPC_STAT fills *buf (shm_segsz, shm_nattch, shm_cpid, shm_lpid, the times, shm_perm); IPC_RMID marks the segment to be destroyed once nobody has it attached (its key becomes IPC_PRIVATE). EINVAL for an unknown id; IPC_SET and the INFO commands are not modelled (EINVAL).', SHM),
  ...POSIX_SHM_CALLS,
];

/** struct ipc_perm and struct shmid_ds, as shmctl(IPC_STAT) fills them. */
export const SHM_STRUCTS: StructInfo[] = [
  {
    name: 'ipc_perm', side: 'user', header: SHM, doc: 'Owner and mode of a System V IPC object.',
    fields: [
      { name: '__key', type: 'key_t', doc: 'The key it was made with (IPC_PRIVATE after IPC_RMID).' },
      { name: 'uid', type: 'uid_t', doc: 'Owner.' }, { name: 'gid', type: 'gid_t', doc: 'Owner\'s group.' },
      { name: 'cuid', type: 'uid_t', doc: 'Creator.' }, { name: 'cgid', type: 'gid_t', doc: 'Creator\'s group.' },
      { name: 'mode', type: 'unsigned short', doc: 'Permission bits, and SHM_DEST once removed.' },
      { name: '__seq', type: 'unsigned short', doc: 'Sequence number (the id\'s high part).' },
    ],
  },
  {
    name: 'shmid_ds', side: 'user', header: SHM, doc: 'A System V shared memory segment, as shmctl(IPC_STAT) reports it.',
    fields: [
      { name: 'shm_perm', type: 'struct ipc_perm', doc: 'Owner and mode.' },
      { name: 'shm_segsz', type: 'size_t', doc: 'Size in bytes, as shmget was asked.' },
      { name: 'shm_atime', type: 'time_t', doc: 'Last shmat.' }, { name: 'shm_dtime', type: 'time_t', doc: 'Last shmdt.' },
      { name: 'shm_ctime', type: 'time_t', doc: 'Creation or last change.' },
      { name: 'shm_cpid', type: 'pid_t', doc: 'The creator\'s pid.' }, { name: 'shm_lpid', type: 'pid_t', doc: 'The pid of the last shmat or shmdt.' },
      { name: 'shm_nattch', type: 'shmatt_t', doc: 'Attachments now (fork\'s children count).' },
    ],
  },
];

function group(rows: Array<[string, number, string]>): ConstantInfo[] {
  return rows.map(([name, value, doc]) => ({ name, value, doc, group: 'mman', side: 'user', header: M }));
}

export const MMAN_CONSTANTS: ConstantInfo[] = group([
  ['PROT_NONE', 0, 'mmap: no access.'], ['PROT_READ', 1, 'mmap: the pages may be read.'],
  ['PROT_WRITE', 2, 'mmap: the pages may be written.'], ['PROT_EXEC', 4, 'mmap: the pages may be executed.'],
  ['MAP_SHARED', 0x01, 'mmap: stores are seen by every process that maps the same memory (the children fork makes after the mmap).'],
  ['MAP_PRIVATE', 0x02, 'mmap: a private copy-on-write mapping; fork gives the child its own copy.'],
  ['MAP_SHARED_VALIDATE', 0x03, 'mmap: MAP_SHARED, refusing unknown flags.'],
  ['MAP_FIXED', 0x10, 'mmap: place the mapping exactly at addr (not modelled: EINVAL).'],
  ['MAP_ANONYMOUS', 0x20, 'mmap: memory of no file, zeroed; fd is -1 and offset 0.'],
  ['MAP_ANON', 0x20, 'The old name of MAP_ANONYMOUS.'],
  ['MAP_FAILED', -1, 'What mmap returns on failure, ((void *) -1); errno says why.'],
]).concat([{ name: 'SEM_FAILED', value: 0, doc: 'What sem_open returns on failure, ((sem_t *) 0); errno says why.', group: 'mman', side: 'user', header: SEM }]).concat([
  ['IPC_PRIVATE', 0, 'shmget: a new segment no other key finds.'], ['IPC_CREAT', 0o1000, 'shmget: make the segment if the key has none.'],
  ['IPC_EXCL', 0o2000, 'shmget: with IPC_CREAT, fail with EEXIST if it exists.'], ['IPC_RMID', 0, 'shmctl: remove the segment (once no one has it attached).'],
  ['IPC_SET', 1, 'shmctl: change owner and mode (not modelled).'], ['IPC_STAT', 2, 'shmctl: copy the segment\'s struct shmid_ds out.'],
  ['SHM_RDONLY', 0o10000, 'shmat: attach read-only (not enforced).'], ['SHM_RND', 0o20000, 'shmat: round shmaddr down to SHMLBA.'],
  ['SHM_DEST', 0o1000, 'shm_perm.mode: IPC_RMID was done; the segment goes with its last attachment.'],
].map(([name, value, doc]) => ({ name: name as string, value: value as number, doc: doc as string, group: 'mman' as const, side: 'user' as const, header: SHM })));
