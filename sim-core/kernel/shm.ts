// System V shared memory (ipc/shm.c): shmget makes or finds a segment by key, shmat maps its
// cells into the caller's address space (the same SharedCells every attacher maps, memory.ts),
// shmdt unmaps them, shmctl IPC_RMID marks the segment to go when the last attachment does and
// IPC_STAT reports it. fork's children inherit attachments (their mappings are shared cells too).
import * as C from './consts';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import { task_tgid_vnr } from './pidns';
import { SharedCells } from '../vm/memory';
import { memoryOf } from './mman';
import { SEGMENT_SPAN } from '../vm/image';

const EEXIST = 17;
const IPC_PRIVATE = 0, IPC_CREAT = 0o1000, IPC_EXCL = 0o2000;
const IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3, SHM_STAT = 13, SHM_INFO = 14;
const SHM_RND = 0o20000, SHM_DEST = 0o1000;
const PAGE = 4096, SHMLBA = PAGE;
/** The largest segment the simulator makes: the machine's memory (SHMMAX is far more on Linux). */
const SHMMAX = 1 << 24;
/** IPCMNI_SHIFT: an id is the slot plus the sequence number shifted by this much. */
const IPCMNI_SHIFT = 15;

/** A segment (struct shmid_kernel): its cells, key, size, times and the pids of its users. */
export interface shmid_kernel {
  id: number;
  key: number;
  /** shm_segsz: the size asked for (the cells are that rounded up to pages). */
  size: number;
  mode: number;
  uid: number;
  gid: number;
  cpid: number;
  lpid: number;
  atime: number;
  dtime: number;
  ctime: number;
  /** IPC_RMID done: the segment goes with its last attachment (SHM_DEST), its key is private. */
  dest: boolean;
  cells: SharedCells;
}

/** The IPC namespace's segments by id, and the next sequence number (kernel-state.ts keeps them). */
export interface shm_ids {
  segs: Map<number, shmid_kernel>;
  seq: number;
}

export function newShmIds(): shm_ids {
  return { segs: new Map(), seq: 0 };
}

/** shm_nattch: the mappings of the cells (the id holds one more reference until IPC_RMID). */
function nattch(shp: shmid_kernel): number {
  return shp.cells.refs - (shp.dest ? 0 : 1);
}

/** Segments removed whose last attachment is gone are destroyed (shm_destroy). */
function reap(ids: shm_ids): void {
  for (const [id, shp] of ids.segs) if (shp.dest && shp.cells.refs === 0) ids.segs.delete(id);
}

function seconds(k: Kernel): number {
  return Math.floor(k.clock / 1e9);
}

/** shmget(key, size, shmflg): the id of the segment of `key` (IPC_PRIVATE: always a new one). */
export function sys_shmget(k: Kernel, t: task_struct, key: number, size: number, shmflg: number): number {
  const ids = k.shm_ids;
  reap(ids);
  if (key !== IPC_PRIVATE) {
    for (const shp of ids.segs.values()) {
      if (shp.dest || shp.key !== key) continue;
      if ((shmflg & IPC_CREAT) && (shmflg & IPC_EXCL)) return -EEXIST;
      if (size > shp.size) return -C.EINVAL;
      return shp.id;
    }
    if (!(shmflg & IPC_CREAT)) return -C.ENOENT;
  }
  // newseg: SHMMIN is 1.
  if (size < 1 || size > SHMMAX) return -C.EINVAL;
  const mem = memoryOf(t);
  const cells = SharedCells.create(Math.ceil(size / PAGE) * PAGE, k.mem_budget);
  if (cells === null || mem === null) return -C.ENOMEM;
  let slot = 0;
  const used = new Set([...ids.segs.keys()].map((id) => id & ((1 << IPCMNI_SHIFT) - 1)));
  while (used.has(slot)) slot++;
  const id = slot + (ids.seq << IPCMNI_SHIFT);
  ids.seq = (ids.seq + 1) % 65536;
  const now = seconds(k);
  ids.segs.set(id, {
    id, key, size, mode: shmflg & 0o777, uid: t.cred.euid, gid: 0, cpid: task_tgid_vnr(t, t), lpid: 0,
    atime: 0, dtime: 0, ctime: now, dest: false, cells: cells.get(),
  });
  return id;
}

/** shmat(shmid, shmaddr, shmflg): the segment's address in the caller's memory. */
export function sys_shmat(k: Kernel, t: task_struct, shmid: number, shmaddr: number, shmflg: number): number {
  reap(k.shm_ids);
  const shp = k.shm_ids.segs.get(shmid);
  if (!shp) return -C.EINVAL;
  // An unaligned address without SHM_RND is EINVAL; placing a segment at a chosen address is
  // not modelled, so an aligned or rounded one is EINVAL too.
  if (shmaddr !== 0 && (shmaddr % SHMLBA !== 0 || !(shmflg & SHM_RND))) return -C.EINVAL;
  if (shmaddr !== 0) return -C.EINVAL;
  const mem = memoryOf(t);
  if (mem === null) return -C.ENOMEM;
  const s = mem.mapShared(shp.cells);
  shp.atime = seconds(k);
  shp.lpid = task_tgid_vnr(t, t);
  return s * SEGMENT_SPAN;
}

/** shmdt(shmaddr): unmaps the segment attached at shmaddr; EINVAL when none is. */
export function sys_shmdt(k: Kernel, t: task_struct, shmaddr: number): number {
  const mem = memoryOf(t);
  const s = shmaddr / SEGMENT_SPAN;
  if (mem === null || !Number.isInteger(s) || s < 1) return -C.EINVAL;
  const cells = mem.sharedAt(s);
  const shp = cells ? [...k.shm_ids.segs.values()].find((x) => x.cells === cells) : undefined;
  if (!shp) return -C.EINVAL;
  mem.unmapSegment(s);
  shp.dtime = seconds(k);
  shp.lpid = task_tgid_vnr(t, t);
  reap(k.shm_ids);
  return 0;
}

/** The cells of struct shmid_ds as ctypes.ts lays it out: the ipc_perm, then the segment's own fields. */
function shmid_ds_cells(shp: shmid_kernel): number[] {
  const perm = [shp.dest ? IPC_PRIVATE : shp.key, shp.uid, shp.gid, shp.uid, shp.gid, shp.mode | (shp.dest ? SHM_DEST : 0), shp.id >> IPCMNI_SHIFT];
  return [...perm, shp.size, shp.atime, shp.dtime, shp.ctime, shp.cpid, shp.lpid, nattch(shp)];
}

/** shmctl(shmid, cmd, buf): IPC_STAT copies the segment's description out, IPC_RMID removes it. */
export function sys_shmctl(k: Kernel, t: task_struct, shmid: number, cmd: number, buf: number): number {
  reap(k.shm_ids);
  if (cmd !== IPC_RMID && cmd !== IPC_STAT && cmd !== IPC_SET && cmd !== IPC_INFO && cmd !== SHM_STAT && cmd !== SHM_INFO) return -C.EINVAL;
  const shp = k.shm_ids.segs.get(shmid);
  if (!shp) return -C.EINVAL;
  if (cmd === IPC_STAT) {
    const cells = shmid_ds_cells(shp);
    for (let i = 0; i < cells.length; i++) if (!k.user.putUser(t, buf + i, cells[i])) return -C.EFAULT;
    return 0;
  }
  if (cmd === IPC_RMID) {
    if (shp.dest) return 0;
    shp.dest = true;
    shp.ctime = seconds(k);
    // The id's own reference goes: the last detach (or exit) then frees the cells.
    shp.cells.put();
    reap(k.shm_ids);
    return 0;
  }
  // IPC_SET, IPC_INFO, SHM_STAT and SHM_INFO are not modelled.
  return -C.EINVAL;
}
