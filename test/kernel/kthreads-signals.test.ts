// State in, state out: kernel threads (kthread_run/kthread_stop, the producer/consumer wake-up
// order), and the signal and process settings (SA_RESTART vs EINTR, SA_NOCLDWAIT, subreaper,
// pdeath_signal, nice, RLIMIT_NPROC through setrlimit), from C scenarios booted as the product
// boots them.

import assert from 'node:assert/strict';
import * as C from '../../sim-core/kernel/consts';
import { checkInvariants } from '../../sim-core/kernel/invariants';
import { bootSource, dmesgOf, HEADERS, outputOf, runSource } from './vm-run';
import { runEngine } from './run-engine';

const KERNEL_HEADERS = ['linux/module.h', 'linux/kthread.h', 'linux/list.h', 'linux/spinlock.h', 'linux/delay.h', 'linux/sched.h']
  .map((h) => `#include <${h}>`).join('\n');

describe('kernel: kthreads', () => {
  it('kthread_run creates the thread through kthreadd; kthread_stop returns its result', () => {
    const e = bootSource(`${KERNEL_HEADERS}
int worker_fn(void *data)
{
    int rounds = 0;

    while (!kthread_should_stop()) {
        rounds++;
        msleep(10);
    }
    printk(KERN_INFO "worker stopping");
    return rounds;
}

int init_fn(void)
{
    struct task_struct *w = kthread_run(worker_fn, NULL, "worker");
    msleep(35);
    printk(KERN_INFO "stop returned %d", kthread_stop(w));
    return 0;
}

module_init(init_fn);
MODULE_LICENSE("GPL");
`);
    let sawCreated = false;
    for (let i = 0; i < 100000 && !e.finished(); i++) {
      e.tick();
      const w = e.k.find_task_by_vpid(4);
      if (w && !sawCreated) {
        // The new task is a kthread child of kthreadd with no mm.
        assert.equal(w.real_parent && w.real_parent.pid, 2);
        assert.ok(w.flags & C.PF_KTHREAD);
        assert.equal(w.mm, null);
        sawCreated = true;
      }
      assert.deepEqual(checkInvariants(e.k), []);
    }
    assert.ok(sawCreated);
    const log = dmesgOf(e);
    assert.match(log, /worker stopping\n(?:.*\n)*stop returned (\d+)/);
    const rounds = Number(/stop returned (\d+)/.exec(log)?.[1]);
    assert.ok(rounds >= 3 && rounds <= 4, `rounds ${rounds}`);
    assert.equal(e.k.find_task_by_vpid(4), null, 'the stopped kthread was reaped (kthreadd ignores SIGCHLD)');
  });

  it('producer/consumer: the consumer sleeps on an empty list and each wake-up hands it one event', () => {
    const e = bootSource(`${KERNEL_HEADERS}
struct event { long id; struct list_head list; };
LIST_HEAD(events);
DEFINE_SPINLOCK(list_lock);
struct task_struct *consumer_task;

int consumer(void *data)
{
    int handled = 0;

    for (;;) {
        set_current_state(TASK_INTERRUPTIBLE);
        if (kthread_should_stop())
            break;
        spin_lock(&list_lock);
        if (list_empty(&events)) {
            spin_unlock(&list_lock);
            schedule();
            continue;
        }
        __set_current_state(TASK_RUNNING);
        struct event *ev = list_first_entry(&events, struct event, list);
        list_del(&ev->list);
        printk(KERN_INFO "consumer got %ld", ev->id);
        kfree(ev);
        handled++;
        spin_unlock(&list_lock);
    }
    __set_current_state(TASK_RUNNING);
    return handled;
}

int producer_init(void)
{
    long event;

    consumer_task = kthread_run(consumer, NULL, "consumer");
    for (event = 1; event <= 3; event++) {
        struct event *ev = kmalloc(sizeof(*ev), GFP_KERNEL);
        msleep(10);
        ev->id = event;
        spin_lock(&list_lock);
        list_add_tail(&ev->list, &events);
        spin_unlock(&list_lock);
        printk(KERN_INFO "producer queued %ld", event);
        wake_up_process(consumer_task);
    }
    msleep(10);
    printk(KERN_INFO "consumer handled %d", kthread_stop(consumer_task));
    return 0;
}

module_init(producer_init);
MODULE_LICENSE("GPL");
`);
    let sleptOffQueue = false;
    for (let i = 0; i < 200000 && !e.finished(); i++) {
      e.tick();
      const c = e.k.find_task_by_vpid(4);
      if (c && c.__state === C.TASK_INTERRUPTIBLE && !c.se.on_rq) sleptOffQueue = true;
    }
    assert.ok(sleptOffQueue, 'the consumer left the run queue while the list was empty');
    const lines = dmesgOf(e).split('\n').filter((l) => /producer|consumer/.test(l));
    assert.deepEqual(lines, [
      'producer queued 1', 'consumer got 1', 'producer queued 2', 'consumer got 2',
      'producer queued 3', 'consumer got 3', 'consumer handled 3',
    ]);
    const wakeups = e.k.events.filter((ev) => ev.kind === 'wakeup' && ev.pid === 4 && ev.by === 3).length;
    assert.ok(wakeups >= 3, `producer woke the consumer ${wakeups} times`);
  });
});

describe('kernel: signals and process settings', () => {
  const waitWithSignal = (flags: string): string => {
    const { reason, out } = runSource(`${HEADERS}
#include <string.h>
void h(int sig)
{
    (void)sig;
    printf("handler\\n");
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = h;
    sa.sa_flags = ${flags};
    sigaction(SIGUSR1, &sa, NULL);
    if (fork() == 0) {
        usleep(1000);
        kill(getppid(), SIGUSR1);
        usleep(1000);
        exit(5);
    }
    int r = wait(NULL);
    printf("wait returned %d errno %d\\n", r, r < 0 ? errno : 0);
    wait(NULL);
    return 0;
}
`);
    assert.equal(reason, 'exited');
    return out;
  };

  it('SA_RESTART restarts wait4 after the handler; without it wait4 fails with EINTR', () => {
    assert.equal(waitWithSignal('SA_RESTART'), 'handler\nwait returned 4 errno 0\n');
    assert.equal(waitWithSignal('0'), `handler\nwait returned -1 errno ${C.EINTR}\n`);
  });

  it('SA_NOCLDWAIT: children are reaped at exit, wait ends with ECHILD', () => {
    const { reason, engine: e } = runSource(`${HEADERS}
#include <string.h>
int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = SA_NOCLDWAIT;
    sigaction(SIGCHLD, &sa, NULL);
    if (fork() == 0)
        exit(1);
    int r = wait(NULL);
    printf("wait %d errno %d\\n", r, errno);
    return 0;
}
`);
    assert.equal(reason, 'exited');
    assert.equal(outputOf(e), `wait -1 errno ${C.ECHILD}\n`);
    assert.ok(!e.k.events.some((ev) => ev.kind === 'zombie' && ev.pid === 4));
  });

  it('a child subreaper adopts its orphaned grandchild; pdeath_signal fires when the parent dies', () => {
    const { reason, engine: e } = runSource(`${HEADERS}
int main(void)
{
    int st = 0;
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (fork() == 0) {
        if (fork() == 0) {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            sleep(10);
            return 0;
        }
        usleep(1000);
        return 0;
    }
    pid_t r = wait(&st);
    printf("reaped %d status %d\\n", r, st);
    r = wait(&st);
    printf("reaped %d status %d\\n", r, st);
    return 0;
}
`, {}, 200000);
    assert.equal(reason, 'exited');
    assert.equal(outputOf(e), `reaped 4 status 0\nreaped 5 status ${C.SIGTERM}\n`);
    const rep = e.k.events.find((ev) => ev.kind === 'reparent');
    assert.deepEqual(rep && rep.kind === 'reparent' ? [rep.pid, rep.to, rep.why] : null, [5, 3, 'subreaper']);
  });

  it('nice lowers the weight; setrlimit(RLIMIT_NPROC) limits fork; PR_SET_NAME sets comm', () => {
    const e = bootSource(`${HEADERS}
int main(void)
{
    printf("nice %d\\n", nice(5));
    int r = nice(-10);
    printf("renice %d errno %d\\n", r, errno);
    prctl(PR_SET_NAME, "renamed-process-long");
    struct rlimit rl = { 1, 1 };
    setrlimit(RLIMIT_NPROC, &rl);
    pid_t c = fork();
    if (c == 0)
        return 0;
    printf("fork %d errno %d\\n", c, errno);
    return 0;
}
`);
    const t = e.k.find_task_by_vpid(3);
    assert.equal(runEngine(e, 100000).reason, 'exited');
    assert.equal(outputOf(e), `nice 5\nrenice -1 errno ${C.EPERM}\nfork -1 errno ${C.EAGAIN}\n`);
    assert.ok(t);
    assert.equal(t.static_prio, 125);
    assert.equal(t.se.load.weight, C.sched_prio_to_weight[25]);
    assert.equal(t.comm, 'renamed-process');
  });
});
