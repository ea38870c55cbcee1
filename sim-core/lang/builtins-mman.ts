// Shared memory between processes: <sys/mman.h>'s anonymous mmap and munmap (sim-core/vm/libc-mman.ts)
// and their flags. A MAP_SHARED mapping is the same cells in the parent and every child fork makes.
import type { CallInfo, ConstantInfo } from './builtins-types';

const M = '<sys/mman.h>';

function call(name: string, returns: string, params: string[], doc: string): CallInfo {
  return { name, params, returns, header: M, doc, side: 'user', minArgs: params.length, maxArgs: params.length, convention: 'direct' };
}

export const MMAN_CALLS: CallInfo[] = [
  call('mmap', 'void *', ['void *addr', 'size_t length', 'int prot', 'int flags', 'int fd', 'off_t offset'],
    'Maps length bytes (rounded up to 4096-byte pages) of zeroed anonymous memory: flags MAP_SHARED | MAP_ANONYMOUS for memory a parent shares with the children it forks afterwards (a counter, a sem_t with pshared 1), MAP_PRIVATE | MAP_ANONYMOUS for memory fork copies. fd -1, offset 0; addr is a hint and is ignored. MAP_FAILED and EINVAL (length 0, an unaligned offset, neither MAP_SHARED nor MAP_PRIVATE), EBADF (no MAP_ANONYMOUS and fd -1), ENOMEM. The simulator maps no files (ENODEV), does not place MAP_FIXED mappings (EINVAL) and does not enforce prot.'),
  call('munmap', 'int', ['void *addr', 'size_t length'],
    'Unmaps the mapping that starts at addr: a later access faults (SIGSEGV). EINVAL for an address not on a page boundary or a length of 0; nothing mapped there is no error. The simulator unmaps whole mappings only.'),
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
]);
