// Kernel-side calls of the scenario language: what a module or a kernel thread may call (kthreads,
// sleeping and waking, printk, spin locks, the event list), plus the module declaration macros.
import type { CallInfo, DeclMacroInfo } from './builtins-types';

interface Opts {
  min?: number;
  max?: number;
  noreturn?: boolean;
  macro?: boolean;
  path?: string[];
}

function k(name: string, returns: string, params: string[], header: string, doc: string, o: Opts = {}): CallInfo {
  const fixed = params.filter((p) => p !== '...').length;
  const info: CallInfo = {
    name, params, returns, header, doc, side: 'kernel',
    minArgs: o.min ?? fixed,
    maxArgs: o.max ?? (params.includes('...') ? -1 : fixed),
    convention: returns === 'void' ? 'none' : 'direct',
  };
  if (o.noreturn) info.noreturn = true;
  if (o.macro) info.isMacro = true;
  if (o.path) info.kernelPath = o.path;
  return info;
}

const KTHREAD_CREATE_PATH = ['kthread_create_on_node', '__kthread_create_on_node', 'kthreadd',
  'create_kthread', 'kernel_thread', 'kernel_clone', 'copy_process', 'wake_up_new_task'];
const WAKE_PATH = ['wake_up_process', 'try_to_wake_up', 'ttwu_queue', 'ttwu_do_activate', 'activate_task', 'enqueue_task'];
const SCHEDULE_PATH = ['schedule', '__schedule', 'pick_next_task', 'context_switch'];

export const KERNEL_CALLS: CallInfo[] = [
  k('kthread_create', 'struct task_struct *', ['int (*threadfn)(void *data)', 'void *data', 'const char namefmt[]', '...'], '<linux/kthread.h>',
    'Asks kthreadd to create a kernel thread that will run threadfn(data), named from namefmt. The new thread sleeps until someone calls wake_up_process on it.',
    { path: KTHREAD_CREATE_PATH }),
  k('kthread_run', 'struct task_struct *', ['int (*threadfn)(void *data)', 'void *data', 'const char namefmt[]', '...'], '<linux/kthread.h>',
    'kthread_create followed by wake_up_process: the thread is created and made runnable in one step.',
    { path: [...KTHREAD_CREATE_PATH, ...WAKE_PATH] }),
  k('kthread_stop', 'int', ['struct task_struct *k'], '<linux/kthread.h>',
    'Sets the should-stop flag of k, wakes it and waits until it exits; returns what its thread function returned.',
    { path: ['kthread_stop', 'wake_up_process', 'wait_for_completion'] }),
  k('kthread_should_stop', 'bool', [], '<linux/kthread.h>',
    'True once another task has called kthread_stop on the current thread; a kthread loop tests it to know when to return.'),
  k('wake_up_process', 'int', ['struct task_struct *p'], '<linux/sched.h>',
    'Makes a sleeping task TASK_RUNNING and puts it on a run queue. Returns 1 if it was asleep, 0 if it was already running.',
    { path: WAKE_PATH }),
  k('set_current_state', 'void', ['long state_value'], '<linux/sched.h>',
    'Sets current->__state (TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE, TASK_RUNNING) with a memory barrier, before testing the sleep condition and calling schedule().',
    { macro: true }),
  k('__set_current_state', 'void', ['long state_value'], '<linux/sched.h>',
    'Sets current->__state without the barrier; enough when no waker can race with the caller.', { macro: true }),
  k('schedule', 'void', [], '<linux/sched.h>',
    'Picks the next task to run. If the caller set a sleeping state first, it leaves the run queue and only continues after a wake-up.',
    { path: SCHEDULE_PATH }),
  k('schedule_timeout', 'long', ['long timeout'], '<linux/sched.h>',
    'Sleeps like schedule() for at most timeout jiffies (MAX_SCHEDULE_TIMEOUT: no limit); returns the jiffies left when woken early.',
    { path: ['schedule_timeout', ...SCHEDULE_PATH] }),
  k('msleep', 'void', ['unsigned int msecs'], '<linux/delay.h>',
    'Sleeps uninterruptibly for at least msecs milliseconds of virtual time.',
    { path: ['msleep', 'schedule_timeout_uninterruptible', 'schedule_timeout', ...SCHEDULE_PATH] }),
  k('ssleep', 'void', ['unsigned int seconds'], '<linux/delay.h>', 'msleep counted in seconds.',
    { path: ['msleep', 'schedule_timeout_uninterruptible', 'schedule_timeout', ...SCHEDULE_PATH] }),
  k('msecs_to_jiffies', 'unsigned long', ['unsigned int m'], '<linux/jiffies.h>', 'Converts milliseconds to jiffies (HZ ticks per second).'),
  k('signal_pending', 'int', ['struct task_struct *p'], '<linux/sched/signal.h>', 'True when p has a signal waiting to be handled.'),
  k('printk', 'int', ['const char *fmt', '...'], '<linux/printk.h>',
    'Writes a message to the kernel log; a KERN_* prefix written before the format sets its level.',
    { path: ['printk', 'vprintk', 'vprintk_emit'] }),
  ...(
    [
      ['pr_emerg', 'KERN_EMERG'], ['pr_alert', 'KERN_ALERT'], ['pr_crit', 'KERN_CRIT'], ['pr_err', 'KERN_ERR'],
      ['pr_warn', 'KERN_WARNING'], ['pr_notice', 'KERN_NOTICE'], ['pr_info', 'KERN_INFO'], ['pr_debug', 'KERN_DEBUG'],
    ] as const
  ).map(([name, level]) => k(name, 'int', ['const char *fmt', '...'], '<linux/printk.h>',
    `printk at level ${level}.`, { path: ['printk', 'vprintk', 'vprintk_emit'] })),
  k('spin_lock_init', 'void', ['spinlock_t *lock'], '<linux/spinlock.h>', 'Puts a spin lock in its unlocked state.'),
  k('spin_lock', 'void', ['spinlock_t *lock'], '<linux/spinlock.h>',
    'Takes the lock, spinning while another CPU holds it. The holder must not sleep.'),
  k('spin_unlock', 'void', ['spinlock_t *lock'], '<linux/spinlock.h>', 'Releases the lock.'),
  k('INIT_LIST_HEAD', 'void', ['struct list_head *list'], '<linux/list.h>', 'Makes list an empty list: next and prev point at itself.'),
  k('list_empty', 'int', ['const struct list_head *head'], '<linux/list.h>', 'True when the list holds no entries (head->next == head).'),
  k('list_add', 'void', ['struct list_head *new', 'struct list_head *head'], '<linux/list.h>',
    'Inserts new right after head: at the front of the list (a stack). The new entry comes first, the list second.'),
  k('list_add_tail', 'void', ['struct list_head *new', 'struct list_head *head'], '<linux/list.h>',
    'Inserts new right before head: at the end of the list (a queue), as copy_process adds a child to its parent\'s children.'),
  k('list_del', 'void', ['struct list_head *entry'], '<linux/list.h>',
    'Unlinks entry from its list and poisons its next and prev (LIST_POISON1/2): following them afterwards faults. Free the entry after, not before.'),
  k('list_del_init', 'void', ['struct list_head *entry'], '<linux/list.h>', 'Unlinks entry and makes it an empty list again.'),
  k('list_move', 'void', ['struct list_head *list', 'struct list_head *head'], '<linux/list.h>', 'Takes list off its list and adds it at the front of head.'),
  k('list_move_tail', 'void', ['struct list_head *list', 'struct list_head *head'], '<linux/list.h>', 'Takes list off its list and adds it at the end of head.'),
  k('list_is_last', 'int', ['const struct list_head *list', 'const struct list_head *head'], '<linux/list.h>', 'True when list is the last entry of head.'),
  k('container_of', 'void *', ['ptr', 'type', 'member'], '<linux/container_of.h>',
    'The structure of type `type` that contains `ptr` as its member `member`: ptr minus the member\'s offset.', { macro: true }),
  k('list_entry', 'type *', ['ptr', 'type', 'member'], '<linux/list.h>',
    'container_of for a list node: the entry a struct list_head * belongs to, e.g. list_entry(pos, struct task_struct, sibling).', { macro: true }),
  k('list_first_entry', 'type *', ['head', 'type', 'member'], '<linux/list.h>', 'The first entry of a list that is not empty: list_entry(head->next, type, member).', { macro: true }),
  k('list_last_entry', 'type *', ['head', 'type', 'member'], '<linux/list.h>', 'The last entry of a list that is not empty: list_entry(head->prev, type, member).', { macro: true }),
  k('list_first_entry_or_null', 'type *', ['head', 'type', 'member'], '<linux/list.h>', 'The first entry, or NULL when the list is empty.', { macro: true }),
  k('list_next_entry', 'typeof(pos)', ['pos', 'member'], '<linux/list.h>', 'The entry after pos in its list.', { macro: true }),
  k('list_prev_entry', 'typeof(pos)', ['pos', 'member'], '<linux/list.h>', 'The entry before pos in its list.', { macro: true }),
  k('list_entry_is_head', 'bool', ['pos', 'head', 'member'], '<linux/list.h>', 'True when pos is not an entry but the list head itself (&pos->member == head): how the entry walks end.', { macro: true }),
  k('next_task', 'struct task_struct *', ['struct task_struct *p'], '<linux/sched/signal.h>',
    'The process after p in the task list: list_entry(p->tasks.next, struct task_struct, tasks). After the last process comes init_task again.', { macro: true }),
  k('for_each_process', 'void', ['struct task_struct *p'], '<linux/sched/signal.h>',
    'Loop head: runs the statement after it once for every process (thread group leader), p set to each in task-list order: the oldest first, init_task itself left out.', { macro: true }),
  k('for_each_thread', 'void', ['struct task_struct *p', 'struct task_struct *t'], '<linux/sched/signal.h>',
    'Loop head: t set to each thread of p\'s thread group, in creation order (signal->thread_head linked through thread_node).', { macro: true }),
  k('list_for_each', 'void', ['struct list_head *pos', 'struct list_head *head'], '<linux/list.h>',
    'Loop head: pos set to each node of the list head, first to last. Get the entry with list_entry(pos, type, member).', { macro: true }),
  k('list_for_each_prev', 'void', ['struct list_head *pos', 'struct list_head *head'], '<linux/list.h>', 'list_for_each from the last node to the first.', { macro: true }),
  k('list_for_each_safe', 'void', ['struct list_head *pos', 'struct list_head *n', 'struct list_head *head'], '<linux/list.h>',
    'list_for_each that keeps the next node in n, so the body may list_del (and free) pos.', { macro: true }),
  k('list_for_each_entry', 'void', ['pos', 'struct list_head *head', 'member'], '<linux/list.h>',
    'Loop head: pos set to each entry (a pointer to the containing struct) of the list, linked through its member `member`.', { macro: true }),
  k('list_for_each_entry_reverse', 'void', ['pos', 'struct list_head *head', 'member'], '<linux/list.h>', 'list_for_each_entry from the last entry to the first.', { macro: true }),
  k('list_for_each_entry_safe', 'void', ['pos', 'n', 'struct list_head *head', 'member'], '<linux/list.h>',
    'list_for_each_entry that keeps the next entry in n, so the body may list_del and kfree pos.', { macro: true }),
  k('rcu_read_lock', 'void', [], '<linux/rcupdate.h>',
    'Starts an RCU read-side section: the task list and the structures read through it stay valid until rcu_read_unlock. for_each_process is meant to run inside one. Nothing is freed under a reader in the simulator, so the section has no other effect there.'),
  k('rcu_read_unlock', 'void', [], '<linux/rcupdate.h>', 'Ends the RCU read-side section rcu_read_lock began.'),
  k('current_thread_info', 'struct thread_info *', [], '<linux/thread_info.h>',
    'The current task\'s thread_info. On x86-64 6.x it is the first member of task_struct, so this is (struct thread_info *)current.', { macro: true }),
  k('task_cpu', 'unsigned int', ['const struct task_struct *p'], '<linux/sched.h>', 'The CPU p runs or last ran on (p->thread_info.cpu).'),
  k('spin_lock_irqsave', 'void', ['spinlock_t *lock', 'unsigned long flags'], '<linux/spinlock.h>',
    'spin_lock that also disables interrupts on this CPU, saving their previous state in flags (a macro: flags is assigned).', { macro: true }),
  k('spin_unlock_irqrestore', 'void', ['spinlock_t *lock', 'unsigned long flags'], '<linux/spinlock.h>', 'Releases the lock and restores the interrupt state saved in flags.', { macro: true }),
  k('kmalloc', 'void *', ['size_t size', 'gfp_t flags'], '<linux/slab.h>', 'Allocates kernel memory; GFP_KERNEL may sleep. NULL on failure.'),
  k('kzalloc', 'void *', ['size_t size', 'gfp_t flags'], '<linux/slab.h>', 'kmalloc that zeroes the memory.'),
  k('kfree', 'void', ['const void *objp'], '<linux/slab.h>', 'Frees memory from kmalloc.'),
  k('get_current', 'struct task_struct *', [], '<asm/current.h>',
    'The task running on this CPU (read from the per-CPU variable current_task); the `current` macro expands to it.'),
  k('find_task_by_vpid', 'struct task_struct *', ['pid_t nr'], '<linux/sched.h>',
    'Looks a task up by pid in the caller\'s pid namespace; NULL when there is none.'),
  k('task_pid_nr', 'pid_t', ['struct task_struct *tsk'], '<linux/sched.h>', 'The global pid of tsk.'),
  k('send_sig', 'int', ['int sig', 'struct task_struct *p', 'int priv'], '<linux/sched/signal.h>',
    'Sends sig to p from kernel code.', { path: ['send_sig', 'send_sig_info', 'do_send_sig_info', 'send_signal_locked'] }),
  k('do_exit', 'void', ['long code'], '<linux/sched/task.h>',
    'Ends the current task: releases mm and files, notifies the parent (exit_notify) and schedules away for good.',
    { noreturn: true, path: ['do_exit', 'exit_mm', 'exit_files', 'exit_notify', 'do_task_dead'] }),
  k('IS_ERR', 'bool', ['const void *ptr'], '<linux/err.h>', 'True when ptr encodes an error number (ERR_PTR), as kthread_run returns on failure.', { macro: true }),
  k('PTR_ERR', 'long', ['const void *ptr'], '<linux/err.h>', 'The negative error number encoded in an ERR_PTR.', { macro: true }),
];

export const DECL_MACROS: DeclMacroInfo[] = [
  { name: 'module_init', params: ['initfn'], minArgs: 1, maxArgs: 1, side: 'kernel', header: '<linux/module.h>',
    doc: 'Names the function the kernel calls when the module is loaded; in a scenario it runs in a kernel thread at boot.' },
  { name: 'module_exit', params: ['exitfn'], minArgs: 1, maxArgs: 1, side: 'kernel', header: '<linux/module.h>',
    doc: 'Names the function called when the module is unloaded; the scenario calls it after the init function\'s work is done.' },
  { name: 'MODULE_LICENSE', params: ['license'], minArgs: 1, maxArgs: 1, side: 'kernel', header: '<linux/module.h>',
    doc: 'The module\'s license string; recorded and otherwise ignored.' },
  { name: 'MODULE_AUTHOR', params: ['author'], minArgs: 1, maxArgs: 1, side: 'kernel', header: '<linux/module.h>', doc: 'Recorded and ignored.' },
  { name: 'MODULE_DESCRIPTION', params: ['description'], minArgs: 1, maxArgs: 1, side: 'kernel', header: '<linux/module.h>', doc: 'Recorded and ignored.' },
  { name: 'LIST_HEAD', params: ['name'], minArgs: 1, maxArgs: 1, side: 'kernel', header: '<linux/list.h>',
    doc: 'Declares an empty list named name (a struct list_head pointing at itself).' },
  { name: 'DEFINE_SPINLOCK', params: ['name'], minArgs: 1, maxArgs: 1, side: 'kernel', header: '<linux/spinlock.h>',
    doc: 'Declares an unlocked spin lock named name.' },
];
