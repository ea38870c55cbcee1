// The kernel's invariants, checked by property tests after every step: the task list, the pid
// hash, parent/children links, zombie states and the reference counts of shared structures.

import * as C from './consts';
import type { Kernel } from './kernel';
import { list_entries } from './list';
import type { task_struct } from './task';

export function checkInvariants(k: Kernel): string[] {
  const errs: string[] = [];
  const live = new Set<task_struct>(k.pid_hash.values());
  const onList = new Set(list_entries(k.init_task.tasks));
  // Between EXIT_DEAD and __unhash_process a task is on some release path's frame.
  const releasing = new Set<task_struct>();
  const running = k.rq.map((rq) => rq.curr).filter((x): x is task_struct => x !== null);
  for (const t of [...live, ...running]) {
    for (const f of t.stack) {
      if (!RELEASE_PATH.has(f.fn.name)) continue;
      const l = f.locals as { p?: task_struct; tsk?: task_struct; leader?: task_struct | null; dead?: task_struct[] };
      for (const x of [l.p, l.tsk, l.leader, ...(l.dead ?? [])]) if (x) releasing.add(x);
    }
  }
  // forget_original_parent sets real_parent before it splices the children list, all under
  // tasklist_lock: a child still on its father's list may already name the new reaper.
  const moving = new Map<task_struct, task_struct>();
  for (const t of [...live, ...running]) {
    for (const f of t.stack) {
      if (f.fn.name !== 'forget_original_parent') continue;
      const l = f.locals as { father: task_struct; reaper: task_struct | null };
      if (l.reaper) for (const c of list_entries(l.father.children)) moving.set(c, l.reaper);
    }
  }
  for (const t of live) {
    const name = `${t.pid} (${t.comm})`;
    if (k.find_task_by_vpid(t.pid) !== t) errs.push(`${name}: not findable by pid`);
    if (t.pid === t.tgid && !onList.has(t)) errs.push(`${name}: leader missing from the task list`);
    const rp = t.real_parent;
    if (!rp) errs.push(`${name}: no real_parent`);
    else if (rp !== k.init_task && !live.has(rp)) errs.push(`${name}: real_parent ${rp.pid} was released`);
    if (t.pid === t.tgid && rp && moving.get(t) !== rp && !list_entries(rp.children).includes(t)) errs.push(`${name}: not on real_parent ${rp.pid}'s children`);
    if (!live.has(t.group_leader)) errs.push(`${name}: group_leader ${t.group_leader.pid} was released`);
    const zombieState = t.exit_state === C.EXIT_ZOMBIE;
    if (zombieState !== (t.zombie_since >= 0)) errs.push(`${name}: exit_state ${t.exit_state} disagrees with zombie bookkeeping`);
    if (t.exit_state === C.EXIT_DEAD && !releasing.has(t)) errs.push(`${name}: EXIT_DEAD task still hashed`);
  }
  for (const t of onList) if (!live.has(t)) errs.push(`${t.pid} (${t.comm}): on the task list but released`);
  for (const p of [k.init_task, ...live]) {
    for (const c of list_entries(p.children)) {
      if (c.real_parent !== p && moving.get(c) !== c.real_parent) errs.push(`${c.pid}: on ${p.pid}'s children but real_parent is ${c.real_parent ? c.real_parent.pid : 'null'}`);
      if (!live.has(c)) errs.push(`${c.pid}: released but still on ${p.pid}'s children`);
    }
  }
  // A task copy_process is still building holds some references and not others: it may
  // account for at most one reference to each structure it points at.
  const count = <T>(key: (t: task_struct) => T | null): Map<T, [number, number]> => {
    const m = new Map<T, [number, number]>();
    for (const t of live) {
      const v = key(t);
      if (v) { const c = m.get(v) ?? [0, 0]; c[0]++; m.set(v, c); }
    }
    for (const t of [...k.forking, ...[...releasing].filter((x) => !live.has(x))]) {
      const v = key(t);
      if (v) { const c = m.get(v) ?? [0, 0]; c[1]++; m.set(v, c); }
    }
    return m;
  };
  const check = <T extends { addr: number }>(what: string, key: (t: task_struct) => T | null, ref: (v: T) => number, name: string): void => {
    for (const [v, [n, inflight]] of count(key)) {
      const r = ref(v);
      if (r < n || r > n + inflight) errs.push(`${what} ${hex(v.addr)}: ${name} ${r}, sharers ${n}${inflight ? ` (+${inflight} being forked)` : ''}`);
    }
  };
  // Between exit_mm's 'current->mm = NULL' (exec_mmap's 'tsk->mm = mm') and the mmput on the
  // next step, the task's reference to the mm it left is in flight.
  const exiting = new Map<NonNullable<task_struct['mm']>, number>();
  for (const t of [...live, ...running]) {
    const f = t.stack[t.stack.length - 1];
    const leaving = f ? MM_LEAVING[f.fn.name] : undefined;
    if (!f || !leaving || f.pc !== f.fn.at.get(leaving[0])) continue;
    const mm = (f.locals as Record<string, task_struct['mm']>)[leaving[1]];
    if (mm && t.mm !== mm) exiting.set(mm, (exiting.get(mm) ?? 0) + 1);
  }
  for (const [v, [n, inflight]] of count((t) => t.mm)) {
    const r = v.mm_users;
    const held = exiting.get(v) ?? 0;
    if (r < n || r > n + inflight + held) errs.push(`mm ${hex(v.addr)}: mm_users ${r}, sharers ${n}${inflight ? ` (+${inflight} being forked)` : ''}${held ? ` (+${held} in exit_mm)` : ''}`);
  }
  check('files', (t) => t.files, (v) => v.count, 'count');
  // Each open file's f_count is the descriptors that point at it, in every table (fput at 0).
  const refs = new Map<object, [number, number]>();
  for (const [files] of count((t) => t.files)) {
    for (const f of files.fdt.fd) if (f) { const c = refs.get(f) ?? [f.f_count, 0]; c[1]++; refs.set(f, c); }
  }
  for (const [f, [r, n]] of refs) if (r !== n) errs.push(`file ${hex((f as { addr: number }).addr)}: f_count ${r}, descriptors ${n}`);
  check('fs', (t) => t.fs, (v) => v.users, 'users');
  check('sighand', (t) => t.sighand, (v) => v.count, 'count');
  check('signal', (t) => t.signal, (v) => v.sigcnt, 'sigcnt');
  return errs;
}

/** Functions that let go of an mm one step after the task stops pointing at it: [step, local]. */
const MM_LEAVING: Record<string, [string, string] | undefined> = { exit_mm: ['mmput', 'mm'], exec_mmap: ['put', 'old_mm'] };

const RELEASE_PATH = new Set(['exit_notify', 'release_task', '__exit_signal', 'wait_task_zombie', 'wait_consider_task', 'de_thread']);

function hex(n: number): string {
  return '0x' + n.toString(16);
}
