// CPU affinity (kernel/sched/syscalls.c, core.c): sched_setaffinity narrows the CPUs a task may
// run on (cpus_mask) and, when its CPU is no longer one of them, moves it (affine_move_task:
// the running task through the stopper, a queued one with move_queued_task, a sleeping one when
// it wakes); each move is a sched_migrate_task event. sched_getaffinity and getcpu answer at once.

import * as C from './consts';
import { ret0, kfunc } from './frame';
import type { Kernel } from './kernel';
import { NS_ZERO, type task_struct } from './task';
import { ENQUEUE_RESTORE } from './rq';
import { rt_task } from './rt';
import { check_same_owner, find_process_by_pid } from './sched-syscalls';

/** cpumask_size(): the bytes of a struct cpumask (one unsigned long for up to 64 CPUs). */
const CPUMASK_SIZE = 8;

/** cpu_active_mask of the machine: its CPUs 0..n-1. */
export function cpu_active_mask(k: Kernel): bigint {
  return (1n << BigInt(k.rq.length)) - 1n;
}

function maskBits(v: number | bigint): bigint {
  return BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(v)));
}

/** The mask as hexadecimal, as /proc/<pid>/status's Cpus_allowed prints it. */
export function cpumaskString(k: Kernel, m: bigint): string {
  return (m & cpu_active_mask(k)).toString(16);
}

export function popcount(m: bigint): number {
  let n = 0;
  for (let x = m; x !== 0n; x >>= 1n) if (x & 1n) n++;
  return n;
}

/**
 * set_task_cpu (with the sched_migrate_task tracepoint) for a task that is on no run queue, or
 * move_queued_task for one that is: off the old CPU's queue (EEVDF keeps its lag; CFS's vruntime
 * is carried relative to min_vruntime), onto the new one, and a preemption check there.
 */
export function migrate_task(k: Kernel, p: task_struct, dest: number): void {
  const orig = p.cpu;
  if (orig === dest) return;
  const from = k.rq[orig], to = k.rq[dest];
  const queued = p.se.on_rq;
  if (from.curr === p) {
    // migration_cpu_stop: the stopper takes the CPU from p, which continues on dest.
    if (from.cfs_curr === p) from.cfs_curr = null;
    from.curr = null;
    from.need_resched = true;
    p.on_cpu = false;
  }
  if (queued) from.dequeue(p);
  k.emit({ time: NS_ZERO, step: 0, kind: 'sched_migrate_task', comm: p.comm, pid: p.pid, prio: p.prio, orig_cpu: orig, dest_cpu: dest });
  if (!from.eevdf && !rt_task(p)) p.se.vruntime = p.se.vruntime - from.min_vruntime + to.min_vruntime;
  p.cpu = dest;
  if (queued) {
    to.enqueue_entity(p, to.eevdf ? ENQUEUE_RESTORE : 0);
    to.wakeup_preempt(p);
  }
}

interface SaL { pid: number; len: number; user_mask_ptr: number; new_mask: bigint; retval: number }

export function setaffinityLocals(pid: number, len: number, ptr: number): SaL {
  return { pid, len, user_mask_ptr: ptr, new_mask: 0n, retval: 0 };
}

export const __x64_sys_sched_setaffinity = kfunc<SaL>('__x64_sys_sched_setaffinity', 'kernel/sched/syscalls.c', `
/**
 * sys_sched_setaffinity - set the CPU affinity of a process
 * @pid: pid of the process
 * @len: length in bytes of the bitmask pointed to by user_mask_ptr
 * @user_mask_ptr: user-space pointer to the new CPU mask
 */
SYSCALL_DEFINE3(sched_setaffinity, pid_t, pid, unsigned int, len,
		unsigned long __user *, user_mask_ptr)
{
	cpumask_var_t new_mask;
	int retval;

	retval = get_user_cpu_mask(user_mask_ptr, len, new_mask); @copy
	if (retval == 0)
		retval = sched_setaffinity(pid, new_mask);      @set
	return retval;                                      @ret
}
`, {
  // get_user_cpu_mask: a shorter mask is zero-extended, a longer one cut to cpumask_size().
  copy: (k, t, f) => {
    const L = f.locals;
    const v = k.user.getUser(t, L.user_mask_ptr);
    if (typeof v !== 'number' && typeof v !== 'bigint') { L.retval = -C.EFAULT; k.jump(f, 'ret'); return; }
    let m = maskBits(v);
    if (L.len < CPUMASK_SIZE) m &= (1n << BigInt(8 * Math.max(0, L.len))) - 1n;
    L.new_mask = m;
  },
  set: (k, t, f) => k.call(t, sched_setaffinity, { pid: f.locals.pid, in_mask: f.locals.new_mask, p: null }, 'retval'),
  ret: (k, t, f) => k.ret(t, f.locals.retval),
}, ['pid', 'len', 'retval']);

interface SchAL { pid: number; in_mask: bigint; p: task_struct | null }

export const sched_setaffinity = kfunc<SchAL>('sched_setaffinity', 'kernel/sched/syscalls.c', `
long sched_setaffinity(pid_t pid, const struct cpumask *in_mask)
{
	struct affinity_context ac;
	struct cpumask *user_mask;
	int retval;

	CLASS(find_get_task, p)(pid);                       @find
	if (!p)
		return -ESRCH;

	if (!check_same_owner(p)) {                         @perm
		guard(rcu)();
		if (!ns_capable(__task_cred(p)->user_ns, CAP_SYS_NICE))
			return -EPERM;
	}

	ac = (struct affinity_context){
		.new_mask  = in_mask,
		.user_mask = user_mask,
		.flags     = SCA_USER,
	};

	retval = __set_cpus_allowed_ptr(p, &ac);            @apply @ret
	return retval;
}
`, {
  find: (k, t, f) => {
    f.locals.p = find_process_by_pid(t, f.locals.pid);
    if (!f.locals.p) k.ret(t, -C.ESRCH);
  },
  perm: (k, t, f) => {
    if (!check_same_owner(t, f.locals.p as task_struct) && t.cred.euid !== 0) k.ret(t, -C.EPERM);
  },
  apply: (k, t, f) => k.call(t, __set_cpus_allowed_ptr, { p: f.locals.p as task_struct, new_mask: f.locals.in_mask, dest_cpu: -1 }),
  ret: (k, t, f) => k.ret(t, f.ret),
}, ['pid', 'p']);

interface ScaL { p: task_struct; new_mask: bigint; dest_cpu: number }

export const __set_cpus_allowed_ptr = kfunc<ScaL>('__set_cpus_allowed_ptr', 'kernel/sched/core.c', `
/*
 * Change a given task's CPU affinity. Migrate the thread to a
 * proper CPU and schedule it away if the CPU it's executing on
 * is removed from the allowed bitmask.
 */
int __set_cpus_allowed_ptr(struct task_struct *p, struct affinity_context *ctx)
{
	const struct cpumask *cpu_valid_mask = cpu_active_mask;
	unsigned int dest_cpu;
	struct rq_flags rf;
	struct rq *rq;

	rq = task_rq_lock(p, &rf);
	/*
	 * Picking a ~random cpu helps in cases where we are changing affinity
	 * for groups of tasks (ie. cpuset), so that load balancing is not
	 * immediately required to distribute the tasks within their new mask.
	 */
	dest_cpu = cpumask_any_and_distribute(cpu_valid_mask, ctx->new_mask); @dest
	if (dest_cpu >= nr_cpu_ids) {
		task_rq_unlock(rq, p, &rf);
		return -EINVAL;
	}

	__do_set_cpus_allowed(p, ctx);                      @set

	/* affine_move_task: stay if the current CPU is still allowed. */
	if (cpumask_test_cpu(task_cpu(p), ctx->new_mask)) { @test
		task_rq_unlock(rq, p, &rf);
		return 0;
	}
	/* The stopper moves a running task; move_queued_task a queued one. */
	move_task_to(rq, p, dest_cpu);                      @move
	return 0;                                           @ret
}
`, {
  dest: (k, t, f) => {
    const L = f.locals;
    L.dest_cpu = cpumask_any_and_distribute(k, L.new_mask & cpu_active_mask(k));
    if (L.dest_cpu < 0) k.ret(t, -C.EINVAL);
  },
  set: (_k, _t, f) => {
    const p = f.locals.p;
    p.cpus_mask = f.locals.new_mask;
    p.nr_cpus_allowed = popcount(f.locals.new_mask);
  },
  test: (k, t, f) => {
    if ((f.locals.new_mask >> BigInt(f.locals.p.cpu)) & 1n) k.ret(t, 0);
  },
  move: (k, _t, f) => migrate_task(k, f.locals.p, f.locals.dest_cpu),
  ret: ret0,
}, ['p', 'new_mask', 'dest_cpu']);

/**
 * cpumask_any_and_distribute: an allowed CPU, starting after the one it gave last time (so that a
 * group of tasks moved together spreads out); -1 when the masks do not intersect.
 */
function cpumask_any_and_distribute(k: Kernel, m: bigint): number {
  const n = k.rq.length;
  if (m === 0n) return -1;
  const prev = k.distribute_cpu_mask_prev;
  for (let i = 1; i <= n; i++) {
    const cpu = (prev + i) % n;
    if ((m >> BigInt(cpu)) & 1n) { k.distribute_cpu_mask_prev = cpu; return cpu; }
  }
  return -1;
}

/**
 * sched_getaffinity(pid, len, mask): the task's mask and the online CPUs, as one unsigned long.
 * The system call returns the bytes copied (cpumask_size()); the C library's wrapper clears the
 * rest of the caller's cpu_set_t and returns 0.
 */
export function sched_getaffinity(k: Kernel, t: task_struct, pid: number, len: number, ptr: number): number {
  if (len * 8 < k.rq.length || len & 7) return -C.EINVAL;
  const p = find_process_by_pid(t, pid);
  if (!p) return -C.ESRCH;
  const m = p.cpus_mask & cpu_active_mask(k);
  return k.user.putUser(t, ptr, m <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(m) : m) ? CPUMASK_SIZE : -C.EFAULT;
}

/** getcpu(cpup, nodep, unused): the CPU the caller runs on, node 0. */
export function getcpu(k: Kernel, t: task_struct, cpup: number, nodep: number): number {
  if (cpup && !k.user.putUser(t, cpup, t.cpu)) return -C.EFAULT;
  if (nodep && !k.user.putUser(t, nodep, 0)) return -C.EFAULT;
  return 0;
}
