// The kernel-side fragments of the course's notes, restated as small modules: the process family
// (current, its parent, its children, init_task, the task list), the task_struct members the
// notes list, thread_info, the producer/consumer with list_head entries, and a kthread started and
// stopped. Each runs as written once it has includes and a module init around it, and prints what
// the notes say it shows.

import assert from 'node:assert/strict';
import { bootSource, dmesgOf } from '../kernel/vm-run';
import { runEngine } from '../kernel/run-engine';

const INCLUDES = ['linux/module.h', 'linux/kernel.h', 'linux/sched.h', 'linux/sched/signal.h', 'linux/list.h', 'linux/slab.h',
  'linux/spinlock.h', 'linux/kthread.h', 'linux/delay.h'].map((h) => `#include <${h}>`).join('\n');

/** Runs `init` as a module's init function and returns its printk lines. */
function run(decls: string, init: string): string[] {
  const e = bootSource(`${INCLUDES}\n${decls}\nstatic int __init notes_init(void)\n{\n${init}\n}\nmodule_init(notes_init);\nMODULE_LICENSE("GPL");\n`);
  runEngine(e, 2_000_000);
  return dmesgOf(e).split('\n');
}

const SLEEPY = 'static int sleepy(void *unused) { while (!kthread_should_stop()) msleep(25); return 0; }';

describe('the notes\' kernel fragments', () => {
  it('current and its parent: struct task_struct *my_parent = current->parent', () => {
    const log = run('', `
    struct task_struct *my_parent = current->parent;
    printk(KERN_INFO "I am %s (%d); my parent is %s (%d)\\n", current->comm, current->pid, my_parent->comm, my_parent->pid);
    return 0;`);
    assert.ok(log.includes('I am insmod (3); my parent is init (1)'), log.join('\n'));
  });

  it('climbing parents from current until &init_task reaches init last', () => {
    const log = run('', `
    struct task_struct *task;
    for (task = current; task != &init_task; task = task->parent)
        pr_info("%s[%d]\\n", task->comm, task->pid);
    return 0;`);
    assert.deepEqual(log, ['insmod[3]', 'init[1]']);
  });

  it('the children of a task through &task->children, each found with list_entry(..., sibling)', () => {
    const log = run(SLEEPY, `
    struct task_struct *t[2], *child, *daddy;
    struct list_head *list;
    t[0] = kthread_run(sleepy, NULL, "first");
    t[1] = kthread_run(sleepy, NULL, "second");
    msleep(5);
    daddy = t[0]->parent;
    list_for_each(list, &daddy->children) {
        child = list_entry(list, struct task_struct, sibling);
        pr_info("%s has child %s\\n", daddy->comm, child->comm);
    }
    kthread_stop(t[0]);
    kthread_stop(t[1]);
    return 0;`);
    assert.deepEqual(log, ['kthreadd has child first', 'kthreadd has child second']);
  });

  it('the next task: list_entry(task->tasks.next, struct task_struct, tasks) and next_task(task) agree', () => {
    const log = run('', `
    struct task_struct *task = current;
    struct task_struct *a = list_entry(task->tasks.next, struct task_struct, tasks);
    struct task_struct *b = next_task(task);
    struct task_struct *prev = list_entry(task->tasks.prev, struct task_struct, tasks);
    pr_info("after %s: %s %s; before: %s\\n", task->comm, a->comm, b->comm, prev->comm);
    return 0;`);
    // insmod is the newest process: after it the list comes back to init_task (swapper/0).
    assert.deepEqual(log, ['after insmod: swapper/0 swapper/0; before: kthreadd']);
  });

  it('for_each_process(task) visits the whole task list, oldest first', () => {
    const log = run(SLEEPY, `
    struct task_struct *task, *k = kthread_run(sleepy, NULL, "helper");
    msleep(5);
    rcu_read_lock();
    for_each_process(task)
        printk("%s[%d]\\n", task->comm, task->pid);
    rcu_read_unlock();
    kthread_stop(k);
    return 0;`);
    assert.deepEqual(log, ['init[1]', 'kthreadd[2]', 'insmod[3]', 'helper[4]']);
  });

  it('the task_struct members the notes list, read through a task pointer', () => {
    const log = run(SLEEPY, `
    struct task_struct *k = kthread_run(sleepy, NULL, "member");
    msleep(60);
    pr_info("state %ld prio %d stack %d mm %d\\n", (long)k->__state, k->prio, k->stack != NULL, k->mm == NULL);
    pr_info("ran %d tasks %d children %d sibling %d signal %d\\n", k->se.sum_exec_runtime > 0,
            next_task(k) != k, list_empty(&k->children), !list_empty(&k->sibling), k->signal->nr_threads);
    kthread_stop(k);
    return 0;`);
    // Asleep in msleep (TASK_UNINTERRUPTIBLE), default priority 120, a kernel stack, no mm.
    assert.deepEqual(log, ['state 2 prio 120 stack 1 mm 1', 'ran 1 tasks 1 children 1 sibling 1 signal 1']);
  });

  it('current_thread_info(): on x86-64 6.x the thread_info inside task_struct, with the CPU', () => {
    const log = run('', `
    struct thread_info *ti = current_thread_info();
    pr_info("cpu %u same %d\\n", ti->cpu, (void *)ti == (void *)&current->thread_info);
    return 0;`);
    assert.deepEqual(log, ['cpu 0 same 1']);
  });

  const EVENTS = `
struct event { int id; struct list_head list; };
static LIST_HEAD(event_list);
static DEFINE_SPINLOCK(list_lock);
static struct task_struct *consumer_task;
`;

  it('producer/consumer: events are list_head entries; the consumer sleeps until woken and empties the list', () => {
    const log = run(`${EVENTS}
static int consumer(void *unused)
{
    struct list_head *pos, *n;
    while (!kthread_should_stop()) {
        set_current_state(TASK_INTERRUPTIBLE);
        spin_lock(&list_lock);
        if (list_empty(&event_list)) {
            spin_unlock(&list_lock);
            schedule();
            spin_lock(&list_lock);
        }
        set_current_state(TASK_RUNNING);
        list_for_each_safe(pos, n, &event_list) {
            struct event *ev = list_entry(pos, struct event, list);
            list_del(pos);
            pr_info("consumed %d\\n", ev->id);
            kfree(ev);
        }
        spin_unlock(&list_lock);
    }
    return 0;
}`, `
    int i;
    consumer_task = kthread_run(consumer, NULL, "consumer");
    for (i = 1; i <= 3; i++) {
        struct event *new_event = kmalloc(sizeof(*new_event), GFP_KERNEL);
        new_event->id = i;
        msleep(20);
        spin_lock(&list_lock);
        list_add_tail(&new_event->list, &event_list);
        spin_unlock(&list_lock);
        pr_info("produced %d\\n", i);
        wake_up_process(consumer_task);
    }
    msleep(20);
    kthread_stop(consumer_task);
    return 0;`);
    assert.deepEqual(log, ['produced 1', 'consumed 1', 'produced 2', 'consumed 2', 'produced 3', 'consumed 3']);
  });

  it('the notes\' list_for_each with list_del in its body follows a poisoned next pointer, as on Linux', () => {
    const log = run(EVENTS, `
    struct list_head *pos;
    struct event *a = kmalloc(sizeof(*a), GFP_KERNEL), *b = kmalloc(sizeof(*b), GFP_KERNEL);
    list_add_tail(&a->list, &event_list);
    list_add_tail(&b->list, &event_list);
    list_for_each(pos, &event_list) {
        pr_info("deleting\\n");
        list_del(pos);
    }
    pr_info("never printed\\n");
    return 0;`);
    // The first list_del poisons pos->next: the loop's step makes pos LIST_POISON1, which is not
    // the head, so the body runs again and list_del follows the poisoned pointer.
    assert.deepEqual(log, ['deleting', 'deleting', 'general protection fault, probably for non-canonical address 0xdead000000000100']);
  });

  it('the reparenting walk: list_for_each_entry_safe(p, n, &father->children, sibling)', () => {
    const log = run(SLEEPY, `
    struct task_struct *p, *n, *father, *k[3];
    int i, count = 0;
    for (i = 0; i < 3; i++) k[i] = kthread_run(sleepy, NULL, "kid%d", i);
    msleep(5);
    father = k[0]->real_parent;
    list_for_each_entry_safe(p, n, &father->children, sibling) {
        count++;
        pr_info("%s: real_parent %s\\n", p->comm, p->real_parent->comm);
    }
    pr_info("%d children\\n", count);
    for (i = 0; i < 3; i++) kthread_stop(k[i]);
    return 0;`);
    assert.deepEqual(log, ['kid0: real_parent kthreadd', 'kid1: real_parent kthreadd', 'kid2: real_parent kthreadd', '3 children']);
  });

  it('kthread_run then kthread_stop: the thread runs until it is asked to stop, and its result comes back', () => {
    const log = run(`static int count_fn(void *data)
{
    int n = 0;
    while (!kthread_should_stop()) { n++; msleep(10); }
    return n;
}`, `
    struct task_struct *k = kthread_run(count_fn, NULL, "counter");
    msleep(35);
    pr_info("stopped after %d rounds\\n", kthread_stop(k));
    return 0;`);
    assert.equal(log.length, 1);
    assert.match(log[0], /^stopped after [34] rounds$/);
  });
});
