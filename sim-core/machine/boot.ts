// Boot: the tasks the machine starts with (init, kthreadd and the scenario's main task) and what
// they need around them (file system, terminal, a module's init).

import * as C from '../kernel/consts';
import type { Kernel } from '../kernel/kernel';
import { list_add_tail } from '../kernel/list';
import { blankTask, newCred, newFiles, newFs, newMm, newSighand, newSignal, set_sigaction } from '../kernel/objects';
import { start_kthreadd } from '../kernel/kthread';
import { load_module } from '../kernel/module';
import type { task_struct, user_struct } from '../kernel/task';
import { newPid } from '../kernel/pidns';
import type { UserMemory, UserRegs } from '../vm/types';
import { ENQUEUE_INITIAL } from '../kernel/rq';
import { open_console, tty_init } from '../kernel/tty';
import { vfs_init } from '../kernel/vfs';
import type { BootExtras } from './engine-types';

/** The scenario's main program: its memory and registers, its name and argv. */
export interface BootMain { memory: UserMemory; regs: UserRegs; comm: string; argv?: readonly string[] }

/**
 * rest_init: kernel_init becomes pid 1, kthreadd pid 2, both children of the swapper; the
 * scenario's main task, owned by `user`, is init's child.
 */
export function rest_init(k: Kernel, user: user_struct, main: BootMain, opts: BootExtras = {}): task_struct {
  vfs_init(k, opts.programs ?? []);
  tty_init(k, opts.stdin ?? '', opts.interactiveStdin === true);
  const root: user_struct = { uid: 0, processes: 0 };
  const init = bootTask(k, k.init_task, 'init', root, 'init');
  init.signal.flags |= C.SIGNAL_UNKILLABLE;
  // Like tini or systemd, init catches SIGCHLD so that its pause() ends when a child dies.
  const initSighand = init.sighand as NonNullable<task_struct['sighand']>;
  set_sigaction(initSighand, C.SIGCHLD, { ...initSighand.action[C.SIGCHLD - 1], handler: 'reap_children' });
  const kthreadd = bootTask(k, k.init_task, 'kthreadd', root, 'kthreadd');
  kthreadd.flags |= C.PF_KTHREAD;
  kthreadd.mm = kthreadd.active_mm = null;
  k.kthreadd_task = kthreadd;
  start_kthreadd(k, kthreadd);
  const mainTask = bootTask(k, init, main.comm, user, '');
  mainTask.mm = mainTask.active_mm = newMm(main.comm, main.memory, main.argv ?? [`./${main.comm}`]);
  main.memory.attach(k.mem_budget);
  mainTask.thread.regs = main.regs;
  mainTask.signal.rlim_nproc = { rlim_cur: k.config.nproc, rlim_max: k.config.nproc };
  // Descriptors 0, 1 and 2 on the terminal, as the shell that started it left them.
  open_console(k, mainTask);
  // A module scenario: pid 3 is an insmod running the module_init function in finit_module.
  if (opts.moduleInit) load_module(k, mainTask, opts.moduleInit, main.memory);
  return mainTask;
}

/** A task made at boot, as copy_process would, linked under `parent` and queued on CPU 0. */
function bootTask(k: Kernel, parent: task_struct, comm: string, user: user_struct, builtin: string): task_struct {
  const t = blankTask(newSignal(C.RLIM_INFINITY), newCred(user));
  user.processes++;
  t.comm = comm;
  t.builtin = builtin;
  t.sighand = newSighand();
  t.files = newFiles();
  t.fs = newFs();
  t.pid = t.tgid = k.last_pid + 1;
  k.last_pid = t.pid;
  k.pid_idr.add(t.pid);
  k.init_pid_ns.pid_allocated++;
  t.thread_pid = newPid(k.init_pid_ns, [t.pid]);
  t.nsproxy = parent.nsproxy;
  t.nsproxy.count++;
  t.real_parent = t.parent = parent;
  t.exit_signal = C.SIGCHLD;
  t.start_time = k.clock;
  list_add_tail(t.sibling, parent.children);
  list_add_tail(t.thread_node, t.signal.thread_head);
  k.link_task(t);
  k.pid_hash.set(t.pid, t);
  k.nr_threads++;
  // The boot tasks start level at min_vruntime; EEVDF gives each its first deadline (half a
  // request, as for any new task).
  const rq = k.rq[0];
  t.se.vruntime = rq.min_vruntime;
  rq.enqueue_entity(t, rq.eevdf ? ENQUEUE_INITIAL : 0);
  return t;
}
