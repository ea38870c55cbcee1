// The scripted machine's scenario (fakeMachine.ts): the C source the adapter shows, two kernel
// files, and the timeline of positions a run goes through, each with what it changes.

import type { FakeMachine } from './fakeMachine';

export const FAKE_SCENARIO = [
  'int main(void)',
  '{',
  '    pid_t c = fork();',
  '    if (c == 0) {',
  '        exit(7);',
  '    }',
  '    waitpid(c, 0, 0);',
  '    return 0;',
  '}',
  '',
].join('\n');

export const FAKE_KERNEL = [
  { path: 'kernel/fork.c', text: ['/* fork.c */', 'pid_t kernel_clone(struct kernel_clone_args *args)', '{', '\tp = copy_process(NULL, trace, NUMA_NO_NODE, args);', '\twake_up_new_task(p);', '}', '', 'struct task_struct *copy_process(struct pid *pid, int trace, int node, struct kernel_clone_args *args)', '{', '\tp = dup_task_struct(current, node);', '\tpid = alloc_pid(p->nsproxy->pid_ns_for_children);', '\treturn p;', '}', ''].join('\n') },
  { path: 'kernel/exit.c', text: ['/* exit.c */', 'static long do_wait(struct wait_opts *wo)', '{', '\tretval = do_wait_pid(wo);', '}', ''].join('\n') },
];

// The kernel's values of the few constants the script uses.
export const PF_KTHREAD = 0x00200000, PF_EXITING = 0x4, TASK_RUNNING = 0, TASK_NEW = 0x800, EXIT_ZOMBIE = 0x20, SIGCHLD = 17;

export interface Pos {
  pid: number;
  frames: Array<[string, 'kernel' | 'user', string, number]>;
  effect?: (f: FakeMachine) => void;
}

const U = (line: number): [string, 'user', string, number] => ['main', 'user', '', line];

/** The run: main forks, the child prints and exits with 7, the parent waits and reaps it. */
export function fakeTimeline(): Pos[] {
  return [
    { pid: 3, frames: [U(2)] },
    { pid: 3, frames: [['kernel_clone', 'kernel', 'kernel/fork.c', 3], U(2)] },
    { pid: 3, frames: [['copy_process', 'kernel', 'kernel/fork.c', 9], ['kernel_clone', 'kernel', 'kernel/fork.c', 3], U(2)] },
    { pid: 3, frames: [['copy_process', 'kernel', 'kernel/fork.c', 10], ['kernel_clone', 'kernel', 'kernel/fork.c', 3], U(2)],
      effect: (f) => { f.mk(4, 'fake', 3).__state = TASK_NEW; f.emit({ kind: 'fork', parent: 3, child: 4, flags: SIGCHLD, via: 'fork' }); } },
    { pid: 3, frames: [['kernel_clone', 'kernel', 'kernel/fork.c', 4], U(2)], effect: (f) => { const c = f.tasksById.get(4); if (c) c.__state = TASK_RUNNING; } },
    { pid: 3, frames: [U(6)], effect: (f) => f.emit({ kind: 'output', pid: 3, fd: 1, text: 'parent\n' }) },
    { pid: 4, frames: [U(3)] },
    { pid: 4, frames: [U(4)], effect: (f) => f.emit({ kind: 'printk', pid: 4, text: 'child exiting' }) },
    { pid: 3, frames: [['do_wait', 'kernel', 'kernel/exit.c', 3], U(6)], effect: (f) => {
      const c = f.tasksById.get(4);
      if (c) { c.exit_state = EXIT_ZOMBIE; c.exit_code = 7 << 8; c.flags |= PF_EXITING; c.zombie_since = f.steps; }
      f.emit({ kind: 'zombie', pid: 4, parent: 3 });
    } },
    { pid: 3, frames: [U(7)], effect: (f) => { f.tasksById.delete(4); f.emit({ kind: 'reap', pid: 4, by: 3, status: 7 << 8 }); } },
  ];
}
