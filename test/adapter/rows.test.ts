// The task table the views draw: a task asleep on a futex shows it as its wait channel, and a
// change of wait channel alone is a change of the table.
import * as assert from 'node:assert/strict';
import { sameRows, viewRow } from '../../extension/adapter/rows';
import type { TaskRow } from '../../sim-core/machine-types';

const ROW: TaskRow = {
  pid: 4, tgid: 3, ppid: 1, comm: 'main', state: 'S', stateName: 'TASK_INTERRUPTIBLE', flags: 0, kthread: false,
  threadGroupLeader: 3, exitCode: 0, exitSignal: -1, cpu: 0, vruntime: 0, onRunqueue: false, nice: 0, running: false,
  policy: 'SCHED_OTHER', rtPriority: 0, prio: 120, cpusAllowed: '0-1',
};

describe('adapter: task rows', () => {
  it('names the futex word a sleeping task waits on, as ps names a wait channel', () => {
    assert.equal(viewRow(ROW, 0).wchan, undefined);
    const waiting = viewRow({ ...ROW, futex: 0x2a0 }, 0);
    assert.equal(waiting.wchan, 'futex_wait 0x2a0');
    assert.equal(sameRows([viewRow(ROW, 0)], [waiting]), false);
    assert.equal(sameRows([waiting], [viewRow({ ...ROW, futex: 0x2a0 }, 0)]), true);
  });

  it('carries the policy, rt_priority, prio and allowed CPUs; a change of policy is a change of the table', () => {
    const fifo = viewRow({ ...ROW, policy: 'SCHED_FIFO', rtPriority: 10, prio: 89, cpusAllowed: '1' }, 0);
    assert.deepEqual([fifo.policy, fifo.rtPriority, fifo.prio, fifo.cpusAllowed], ['SCHED_FIFO', 10, 89, '1']);
    assert.equal(sameRows([viewRow(ROW, 0)], [fifo]), false);
  });
});
