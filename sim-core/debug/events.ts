// Kernel events in plain words, for the debugger's exception view and the console: what happened,
// to whom, and why, in terms a student can check against the kernel source.

import { signame } from '../kernel/consts';
import type { EventFilterId, KEvent } from '../machine-types';

export interface EventFilterInfo {
  id: EventFilterId;
  label: string;
  description: string;
}

/** The kernel events the debugger can break on, as offered in the Breakpoints pane. */
export const EVENT_FILTERS: readonly EventFilterInfo[] = [
  { id: 'zombie', label: 'Task becomes a zombie', description: 'exit_notify() set exit_state = EXIT_ZOMBIE: the task has exited and waits for its parent to reap it with wait4().' },
  { id: 'reparent', label: 'Orphan reparented', description: 'A parent exited before its children; forget_original_parent() hands them to a subreaper or to init.' },
  { id: 'fork-failed', label: 'fork() fails', description: 'copy_process() or alloc_pid() refused a new task (EAGAIN from pid_max or RLIMIT_NPROC, ENOMEM when the machine has no memory left for a copy of the address space, EINVAL from bad clone flags).' },
  { id: 'echild', label: 'wait() returns ECHILD', description: 'do_wait() found no child to wait for.' },
  { id: 'signal', label: 'Signal delivered', description: 'get_signal() in the receiving task dequeued a signal (the signal_deliver tracepoint) and its action runs: a handler, terminate, stop, or nothing (ignored). The stop is in the receiving task.' },
  { id: 'signal-sent', label: 'Signal sent', description: 'send_signal_locked() generated a signal for a task (the signal_generate tracepoint): queued, or dropped at once when ignored. Delivery comes later, if at all.' },
  { id: 'stopped', label: 'Task stopped', description: 'A job-control signal (SIGSTOP, SIGTSTP...) put the task in TASK_STOPPED.' },
  { id: 'panic', label: 'Kernel panic', description: 'The kernel cannot go on, for example init exited: "Attempted to kill init!".' },
];

const FILTER_IDS = new Set<string>(EVENT_FILTERS.map((f) => f.id));

export function isEventFilterId(s: string): s is EventFilterId {
  return FILTER_IDS.has(s);
}

function reparentWhy(why: string, to: number): string {
  switch (why) {
    case 'subreaper': return `task ${to} is the nearest ancestor marked as a child subreaper (PR_SET_CHILD_SUBREAPER)`;
    case 'thread group': return `another live thread of the dying process (task ${to}) takes over its children`;
    default: return `no subreaper was found, so the children go to the namespace's init (pid ${to})`;
  }
}

function waitStatusWords(status: number | undefined): string {
  if (status === undefined) return '';
  const sig = status & 0x7f;
  if (sig === 0) return `, exit status ${(status >> 8) & 0xff}`;
  return `, killed by ${signame(sig)}`;
}

/** One sentence, shown as the stop's description. */
export function eventSummary(e: KEvent): string {
  switch (e.kind) {
    case 'fork': return `Task ${e.parent} created task ${e.child} with ${e.via}()`;
    case 'fork-failed': return `fork() in task ${e.pid} failed with ${e.errno} (${e.limit})`;
    case 'exec': return `Task ${e.pid} executed ${e.path}`;
    // exit_code is a wait status: the exit status in bits 8-15, or the signal that killed it.
    case 'exit': return `Task ${e.pid} exited: exit_code ${e.code} (${exitMeaning(e.code)})`;
    case 'zombie': return `Task ${e.pid} became a zombie`;
    case 'reparent': return `Orphan ${e.pid} reparented from ${e.from} to ${e.to}`;
    case 'reap': return `Task ${e.pid} was reaped${e.by !== null ? ` by ${e.by}` : ''}`;
    case 'signal': return `${e.name} sent to task ${e.to} by ${e.from === 0 ? 'the kernel' : `task ${e.from}`} (${e.action})`;
    case 'signal_deliver': return `${e.name} delivered to task ${e.pid} (${e.action}${e.handler !== undefined ? ` ${e.handler}` : ''})`;
    case 'stopped': return `Task ${e.pid} stopped by ${signame(e.sig)}`;
    case 'continued': return `Task ${e.pid} continued`;
    case 'wakeup': return `Task ${e.pid} woken by ${e.by}`;
    // The tracepoint's own format: comm=%s pid=%d prio=%d orig_cpu=%d dest_cpu=%d.
    // sched_switch's and sched_wakeup's formats as the trace buffer prints them.
    case 'sched_switch': return `prev_comm=${e.prev_comm} prev_pid=${e.prev_pid} prev_prio=${e.prev_prio} prev_state=${e.prev_state} ==> next_comm=${e.next_comm} next_pid=${e.next_pid} next_prio=${e.next_prio}`;
    case 'sched_wakeup': return `comm=${e.comm} pid=${e.pid} prio=${e.prio} target_cpu=${String(e.target_cpu).padStart(3, '0')}`;
    case 'sched_migrate_task': return `comm=${e.comm} pid=${e.pid} prio=${e.prio} orig_cpu=${e.orig_cpu} dest_cpu=${e.dest_cpu}`;
    case 'echild': return `wait() in task ${e.pid} returned ECHILD`;
    case 'printk': return e.text;
    case 'output': return e.text;
    case 'panic': return `Kernel panic - not syncing: ${e.message}`;
    case 'deadlock': return `Deadlock: tasks ${e.sleeping.join(', ')} sleep and nothing can wake them`;
    case 'log': return e.text;
  }
}

/** A paragraph explaining the event in the kernel's own terms, for exceptionInfo. */
export function eventExplanation(e: KEvent): string {
  switch (e.kind) {
    case 'zombie':
      return `Task ${e.pid} has exited. exit_notify() set its exit_state to EXIT_ZOMBIE and sent its parent (task ${e.parent}) `
        + 'the exit signal. The task_struct and the pid stay allocated until the parent collects the exit status with wait4(); '
        + 'until then ps shows it as <defunct> with state Z.';
    case 'reparent':
      return `Task ${e.pid} lost its parent (task ${e.from}), which exited first. forget_original_parent() moved it to `
        + `task ${e.to}: ${reparentWhy(e.why, e.to)}. Its ppid is now ${e.to}, and that task will reap it.`;
    case 'fork-failed':
      if (e.limit === 'pid_max') {
        return `alloc_pid() found no free pid: every number up to pid_max is in use (live tasks and zombies both hold their pid). `
          + `fork() in task ${e.pid} returns -1 with errno ${e.errno}.`;
      }
      if (e.limit === 'RLIMIT_NPROC') {
        return `copy_process() counted the user's tasks and found RLIMIT_NPROC reached (zombies count until they are reaped). `
          + `fork() in task ${e.pid} returns -1 with errno ${e.errno}.`;
      }
      if (e.limit === 'pidns') {
        return e.errno === 'ENOMEM'
          ? `alloc_pid() refused a number in a pid namespace whose init has exited (zap_pid_namespace cleared PIDNS_ADDING): `
            + `no task can enter it any more. fork() in task ${e.pid} returns -1 with errno ENOMEM.`
          : `copy_namespaces() refused CLONE_NEWPID (EPERM without CAP_SYS_ADMIN, ENOSPC past 32 nested namespaces, `
            + `EINVAL after unshare(CLONE_NEWPID) from inside). The call in task ${e.pid} returns -1 with errno ${e.errno}.`;
      }
      return `copy_process() rejected the clone flags (for example CLONE_THREAD without CLONE_SIGHAND, or CLONE_SIGHAND without CLONE_VM). `
        + `The call in task ${e.pid} returns -1 with errno ${e.errno}.`;
    case 'echild':
      return `do_wait() in task ${e.pid} looked through its children (and those of its thread group) and found none that `
        + 'matches the request, so wait() returns -1 with errno ECHILD. Children reparented away, or already reaped, no longer count.';
    case 'signal':
      return `${e.from === 0 ? 'The kernel' : `Task ${e.from}`} sent ${e.name} (${e.sig}) to task ${e.to}: send_signal_locked() `
        + (e.action === 'ignore'
          ? 'found it ignored (SIG_IGN, or a default action of nothing) and dropped it, unless the receiver blocks it: a blocked signal stays queued, and is delivered (and dropped) once unblocked.'
          : e.action === 'continue'
            ? 'continued the stopped group at once (prepare_signal); with no handler SIGCONT has nothing more to do: it is dropped, unless blocked (then it stays queued, and is delivered with nothing to do).'
            : `queued it, unless the same standard signal was already pending, and woke a thread that can take it. Its action as things stand is "${e.action}"; `
              + 'it is delivered when get_signal() dequeues it on the way back to user space (not while it is blocked).');
    case 'signal_deliver':
      return `get_signal() in task ${e.pid} dequeued ${e.name} (${e.sig}) on its way back to user space. `
        + (e.action === 'handler' ? `The handler${e.handler !== undefined ? ` ${e.handler}()` : ''} runs next, with the signal blocked while it runs (unless SA_NODEFER).`
          : e.action === 'ignore' ? 'Its disposition is to ignore it: it is dropped.'
            : e.action === 'stop' ? 'Its default action stops the process: do_signal_stop() puts it in TASK_STOPPED.'
              : e.action === 'continue' ? 'Its default action is to continue, which already happened when it was sent: nothing more to do.'
                : `Its default action kills the process${e.action === 'core' ? ' with a core dump' : ''}: do_group_exit().`);
    case 'stopped':
      return `Task ${e.pid} received ${signame(e.sig)}; do_signal_stop() put it in TASK_STOPPED (ps shows T). `
        + 'It runs again only after SIGCONT, and its parent can see the stop with waitpid(..., WUNTRACED).';
    case 'panic':
      return `The kernel panicked: ${e.message}. Typically init (pid 1) exited or was killed: the pid namespace's reaper `
        + 'is gone, so there is nobody left to adopt orphans, and a real kernel halts here.';
    case 'reap':
      return `release_task() freed task ${e.pid}${e.by !== null ? ` after task ${e.by} collected its status` : ''}${waitStatusWords(e.status)}.`;
    default:
      return eventSummary(e);
  }
}

/** What do_exit's code means to the parent's wait(). */
function exitMeaning(code: number): string {
  const sig = code & 0x7f;
  if (sig === 0) return `exit status ${(code >> 8) & 0xff}`;
  return `killed by ${signame(sig)}${code & 0x80 ? ', core dumped' : ''}`;
}
