// Shared memory between processes: <sys/mman.h>'s anonymous mmap and munmap (sim-core/kernel/mman.ts)
// and their flags. A MAP_SHARED mapping is the same cells in the parent and every child fork makes.
// System V shared memory (<sys/shm.h>): shmget, shmat, shmdt, shmctl (sim-core/kernel/shm.ts).
import type { CallInfo, ConstantInfo, StructInfo } from './builtins-types';

const M = '<sys/mman.h>', SHM = '<sys/shm.h>';

function call(name: string, returns: string, params: string[], doc: string, header = M): CallInfo {
  return {
    name, params, returns, header, doc, side: 'user', minArgs: params.length, maxArgs: params.length, convention: 'syscall',
    kernelPath: [`__x64_sys_${name}`],
  };
}

export const MMAN_CALLS: CallInfo[] = [
  call('mmap', 'void *', ['void *addr', 'size_t length', 'int prot', 'int flags', 'int fd', 'off_t offset'],
    'Maps length bytes (rounded up to 4096-byte pages) of zeroed anonymous memory: flags MAP_SHARED | MAP_ANONYMOUS for memory a parent shares with the children it forks afterwards (a counter, a sem_t with pshared 1), MAP_PRIVATE | MAP_ANONYMOUS for memory fork copies. fd -1, offset 0; addr is a hint and is ignored. MAP_FAILED and EINVAL (length 0, an unaligned offset, neither MAP_SHARED nor MAP_PRIVATE), EBADF (no MAP_ANONYMOUS and fd -1), ENOMEM. The simulator maps no files (ENODEV), does not place MAP_FIXED mappings (EINVAL) and does not enforce prot.'),
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
]).concat([
  ['IPC_PRIVATE', 0, 'shmget: a new segment no other key finds.'], ['IPC_CREAT', 0o1000, 'shmget: make the segment if the key has none.'],
  ['IPC_EXCL', 0o2000, 'shmget: with IPC_CREAT, fail with EEXIST if it exists.'], ['IPC_RMID', 0, 'shmctl: remove the segment (once no one has it attached).'],
  ['IPC_SET', 1, 'shmctl: change owner and mode (not modelled).'], ['IPC_STAT', 2, 'shmctl: copy the segment\'s struct shmid_ds out.'],
  ['SHM_RDONLY', 0o10000, 'shmat: attach read-only (not enforced).'], ['SHM_RND', 0o20000, 'shmat: round shmaddr down to SHMLBA.'],
  ['SHM_DEST', 0o1000, 'shm_perm.mode: IPC_RMID was done; the segment goes with its last attachment.'],
].map(([name, value, doc]) => ({ name: name as string, value: value as number, doc: doc as string, group: 'mman' as const, side: 'user' as const, header: SHM })));
