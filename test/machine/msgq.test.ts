// Message queues through the machine's API: a receiver asleep in msgrcv shows do_msgrcv as its
// wait channel and do_msgrcv on top of its kernel stack while the sender is stopped in do_msgsnd;
// going back in time to that moment brings the queue's sleeping receiver back with it.
import assert from 'node:assert/strict';
import { KMachine } from '../../sim-core/machine';
import { bootSource, runUntil } from './helpers';

const SRC = `#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
struct msg { long mtype; char text[16]; };
int main(void)
{
    int q = msgget(IPC_PRIVATE, 0600);
    if (fork() == 0) {
        struct msg m = { 2, "late" };
        sleep(1);
        msgsnd(q, &m, 5, 0);
        exit(0);
    }
    struct msg r;
    msgrcv(q, &r, sizeof(r.text), 2, 0);
    printf("%s\\n", r.text);
    wait(NULL);
    return 0;
}
`;

describe('machine: message queues', () => {
  it('the receiver sleeps in do_msgrcv (its wchan) until the sender, stopped in do_msgsnd, goes on', () => {
    const m = bootSource(SRC);
    m.setFunctionBreakpoints([{ name: 'do_msgsnd' }]);
    const stop = runUntil(m, { kind: 'continue' });
    assert.equal(stop.reason, 'function breakpoint');
    assert.equal(stop.pid, 4);
    const receiver = m.tasks().find((t) => t.pid === 3);
    assert.equal(receiver?.stateName, 'TASK_INTERRUPTIBLE');
    assert.equal(receiver?.wchan, 'do_msgrcv');
    assert.equal(m.stack(3)[0].name, 'do_msgrcv');
    m.setFunctionBreakpoints([]);
    runUntil(m, { kind: 'continue' });
    assert.ok(m.output().includes('late\n'));
  });

  it('reverseContinue back to do_msgsnd finds the receiver asleep on the queue again, and the run ends as before', () => {
    const m = bootSource(SRC);
    m.setFunctionBreakpoints([{ name: 'do_msgsnd' }]);
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'function breakpoint');
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'exited');
    m.reverseContinue();
    let s = m.run(5000);
    for (let i = 0; i < 1000 && s.reason === 'yield'; i++) s = m.run(5000);
    assert.equal(s.reason, 'function breakpoint');
    assert.equal(s.travelled, 'back');
    assert.equal(m.tasks().find((t) => t.pid === 3)?.wchan, 'do_msgrcv');
    assert.ok(m instanceof KMachine);
    const msq = [...m.engine.k.msg_ids.queues.values()][0];
    assert.deepEqual([msq.q_receivers.length, msq.q_qnum], [1, 0]);
    assert.equal(msq.q_receivers[0].r_tsk, m.engine.k.pid_hash.get(3), 'the sleeper is the restored task');
    m.setFunctionBreakpoints([]);
    assert.equal(runUntil(m, { kind: 'continue' }).reason, 'exited');
    assert.equal(m.output().split('late\n').length, 2, 'late printed once');
  });
});
