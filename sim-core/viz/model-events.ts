// The timeline's marks, read from the task lifecycle events of the log: fork, exec, exit, zombie,
// reap, reparenting, signals sent and delivered (each naming its kernel function), and the lane
// states those events set (zombie; stopped and continued without the scheduler's tracepoints).
import type { KEvent, SignalAction } from '../machine-types';
import { CLONE_PARENT, CLONE_THREAD } from '../kernel/consts';
import { exitText, REPARENT_WHY } from './labels';
import type { LaneBook, LaneBuild } from './model-lanes';
import type { Mark, MarkKind } from './model-types';

/** What a delivered signal does, in words (the handler's name when the action runs one). */
const DELIVER_WORDS: Record<SignalAction, (handler?: string) => string> = {
  handler: (h) => `handler ${h ?? '(unknown)'} runs`,
  terminate: () => 'the process is killed (do_group_exit)',
  core: () => 'the process is killed, core dump (do_group_exit)',
  stop: () => 'the process stops (do_signal_stop)',
  continue: () => 'nothing more (SIGCONT continued the process when it was sent)',
  ignore: () => 'ignored, dropped',
};

export class LifecycleMarks {
  readonly marks: Mark[] = [];
  /** The tgid of the thread release_task freed just before (for the zombie event it then emits for the leader). */
  private reapedTgid = -1;

  constructor(private readonly b: LaneBook, private readonly sched: boolean) {}

  private mark(e: KEvent, kind: MarkKind, l: LaneBuild, label: string, fn: string, other?: number, otherLane?: LaneBuild): Mark {
    const m: Mark = { time: e.time, step: e.step, kind, pid: l.pid, label, fn, lane: l.order };
    if (other !== undefined) m.other = other;
    if (otherLane) m.otherLane = otherLane.order;
    this.marks.push(m);
    return m;
  }

  /** Reads one event of the log (the scheduler's tracepoints are read elsewhere). */
  see(e: KEvent): void {
    const b = this.b;
    const t = e.time;
    switch (e.kind) {
      case 'fork': {
        const caller = b.laneOf(e.parent);
        const thread = (e.flags & CLONE_THREAD) !== 0;
        // CLONE_PARENT and CLONE_THREAD give the child the caller's own parent (copy_process).
        const realParent = (e.flags & (CLONE_PARENT | CLONE_THREAD)) !== 0 ? (caller?.parent ?? null) : e.parent;
        const old = b.live.get(e.child);
        if (old) b.close(old, t, e.step);
        const child = b.newLane(e.child, thread && caller ? caller.tgid : e.child, caller?.comm ?? `pid ${e.child}`, t, realParent,
          thread && caller ? caller.group : null, e.via === 'kthread', false);
        child.bornStep = e.step;
        if (caller) {
          const what = e.via === 'kthread' ? 'kernel_thread() created kernel thread' : thread ? `${e.via}() created thread` : `${e.via}() created child`;
          this.mark(e, 'fork', caller, `${what} ${e.child} (copy_process)`, 'kernel_clone', e.child, child);
        }
        break;
      }
      case 'exec': {
        const l = b.laneOf(e.pid);
        if (!l) break;
        if (l.gone === undefined) b.setState(l, t, this.sched ? 'running' : 'alive');
        l.comm = e.comm;
        const de = e.oldPid !== undefined ? `; thread ${e.oldPid} took over pid ${e.pid} (de_thread)` : '';
        this.mark(e, 'exec', l, `execve ${e.path}: comm is now ${e.comm}${de}`, 'begin_new_exec', e.oldPid, e.oldPid === undefined ? undefined : b.lastLane.get(e.oldPid));
        break;
      }
      case 'exit': {
        const l = b.laneOf(e.pid);
        if (!l) break;
        if (e.comm !== undefined) l.comm = e.comm;
        // exit_notify makes a leader a zombie at once while other threads of its group live on.
        if (l.pid === l.tgid) {
          const g = b.groups.get(l.group);
          if (g && g.size > 1) b.setState(l, t, 'zombie');
        }
        this.mark(e, 'exit', l, `${exitText(e.code)} (exit_code ${e.code})`, 'do_exit');
        break;
      }
      case 'zombie': {
        const l = b.laneOf(e.pid);
        if (!l) break;
        b.setState(l, t, 'zombie');
        const viaRelease = this.reapedTgid === l.tgid;
        this.mark(e, 'zombie', l, viaRelease
          ? `zombie once its last thread was freed: waits for ${e.parent} to reap it`
          : `zombie (EXIT_ZOMBIE): waits for ${e.parent} to reap it`, viaRelease ? 'release_task' : 'exit_notify', e.parent, b.lastLane.get(e.parent));
        break;
      }
      case 'reap': {
        const l = b.laneOf(e.pid);
        if (!l) break;
        const by = e.by === null ? undefined : b.laneOf(e.by);
        const status = e.status === undefined ? '' : `, ${exitText(e.status)}`;
        this.mark(e, 'reap', l, e.by === null
          ? `released at once, never a zombie (autoreap)${status}`
          : `reaped by ${e.by} (wait_task_zombie)${status}`, 'release_task', e.by ?? undefined, by);
        b.close(l, t, e.step);
        break;
      }
      case 'reparent': {
        const l = b.laneOf(e.pid);
        if (!l) break;
        const m = this.mark(e, 'reparent', l, `reparented from ${e.from} to ${e.to}: ${REPARENT_WHY[e.why] ?? e.why}`, 'forget_original_parent', e.to, b.laneOf(e.to));
        m.from = e.from;
        break;
      }
      case 'signal': {
        const l = b.laneOf(e.to);
        if (!l) break;
        const from = e.from === 0 ? 'the kernel' : `${e.from}`;
        const m = this.mark(e, 'signal', l, `${e.name} sent by ${from} (${e.action})`, 'send_signal_locked', e.from, e.from === 0 ? undefined : b.laneOf(e.from));
        m.sig = e.sig;
        break;
      }
      case 'signal_deliver': {
        const l = b.laneOf(e.pid);
        if (!l) break;
        const m = this.mark(e, 'deliver', l, `${e.name} delivered: ${DELIVER_WORDS[e.action](e.handler)}`, 'get_signal');
        m.sig = e.sig;
        break;
      }
      case 'stopped': {
        if (this.sched) break; // sched_switch's prev_state T says it, thread by thread
        const leader = b.laneOf(e.pid);
        const g = leader && b.groups.get(leader.group);
        if (g) for (const l of g) if (l.state !== 'zombie') b.setState(l, t, 'stopped');
        break;
      }
      case 'continued': {
        const leader = b.laneOf(e.pid);
        const g = leader && b.groups.get(leader.group);
        if (g) for (const l of g) if (l.state === 'stopped') b.setState(l, t, this.sched ? 'runnable' : 'alive');
        break;
      }
      default:
        break;
    }
    if (e.kind === 'reap') { const r = b.lastLane.get(e.pid); this.reapedTgid = r && r.pid !== r.tgid ? r.tgid : -1; }
    else if (e.kind !== 'wakeup') this.reapedTgid = -1;
  }
}
