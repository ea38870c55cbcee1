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
  for (const t of live) {
    const name = `${t.pid} (${t.comm})`;
    if (k.find_task_by_vpid(t.pid) !== t) errs.push(`${name}: not findable by pid`);
    if (t.pid === t.tgid && !onList.has(t)) errs.push(`${name}: leader missing from the task list`);
    const rp = t.real_parent;
    if (!rp) errs.push(`${name}: no real_parent`);
    else if (rp !== k.init_task && !live.has(rp)) errs.push(`${name}: real_parent ${rp.pid} was released`);
    if (t.pid === t.tgid && rp && !list_entries(rp.children).includes(t)) errs.push(`${name}: not on real_parent ${rp.pid}'s children`);
    if (!live.has(t.group_leader)) errs.push(`${name}: group_leader ${t.group_leader.pid} was released`);
    const zombieState = t.exit_state === C.EXIT_ZOMBIE;
    if (zombieState !== (t.zombie_since >= 0)) errs.push(`${name}: exit_state ${t.exit_state} disagrees with zombie bookkeeping`);
    if (t.exit_state === C.EXIT_DEAD) errs.push(`${name}: EXIT_DEAD task still hashed`);
  }
  for (const t of onList) if (!live.has(t)) errs.push(`${t.pid} (${t.comm}): on the task list but released`);
  for (const p of [k.init_task, ...live]) {
    for (const c of list_entries(p.children)) {
      if (c.real_parent !== p) errs.push(`${c.pid}: on ${p.pid}'s children but real_parent is ${c.real_parent ? c.real_parent.pid : 'null'}`);
      if (!live.has(c)) errs.push(`${c.pid}: released but still on ${p.pid}'s children`);
    }
  }
  const count = <T>(key: (t: task_struct) => T | null): Map<T, number> => {
    const m = new Map<T, number>();
    for (const t of live) {
      const v = key(t);
      if (v) m.set(v, (m.get(v) ?? 0) + 1);
    }
    return m;
  };
  for (const [mm, n] of count((t) => t.mm)) if (mm.mm_users !== n) errs.push(`mm ${hex(mm.addr)}: mm_users ${mm.mm_users}, sharers ${n}`);
  for (const [f, n] of count((t) => t.files)) if (f.count !== n) errs.push(`files ${hex(f.addr)}: count ${f.count}, sharers ${n}`);
  for (const [f, n] of count((t) => t.fs)) if (f.users !== n) errs.push(`fs ${hex(f.addr)}: users ${f.users}, sharers ${n}`);
  for (const [s, n] of count((t) => t.sighand)) if (s.count !== n) errs.push(`sighand ${hex(s.addr)}: count ${s.count}, sharers ${n}`);
  for (const [s, n] of count((t) => t.signal)) if (s.sigcnt !== n) errs.push(`signal ${hex(s.addr)}: sigcnt ${s.sigcnt}, sharers ${n}`);
  return errs;
}

function hex(n: number): string {
  return '0x' + n.toString(16);
}
