// The views' data model: pstree shape, zombies, CFS run queues, and tolerance of bad event bodies.
import * as assert from 'node:assert/strict';
import {
  buildRunQueues, buildTaskTree, flattenTree, listZombies, parseTasksBody, taskLabel, taskTooltip, zombieDescription,
  type TaskNode, type TaskRow,
} from '../../extension/client/taskModel';

function task(pid: number, ppid: number, comm: string, extra: Partial<TaskRow> = {}): TaskRow {
  return {
    pid, tgid: pid, ppid, comm, state: 'S', stateName: 'TASK_INTERRUPTIBLE', kthread: false,
    threadGroupLeader: true, onRunqueue: false, nice: 0, ...extra,
  };
}

/** The tree as pstree -p would print it, one node per line, indented by depth. */
function draw(roots: TaskNode[]): string {
  const out: string[] = [];
  const walk = (n: TaskNode, depth: number) => {
    out.push(`${'  '.repeat(depth)}${taskLabel(n.row)}`);
    n.children.forEach((c) => walk(c, depth + 1));
  };
  roots.forEach((r) => walk(r, 0));
  return out.join('\n');
}

const kthread = (pid: number, ppid: number, comm: string) =>
  task(pid, ppid, comm, { kthread: true, state: 'I', stateName: 'TASK_IDLE' });

describe('buildTaskTree', () => {
  it('draws processes under real_parent, threads under their leader, kernel threads under kthreadd', () => {
    const rows = [
      task(5, 3, 'worker', { tgid: 3, threadGroupLeader: false }),
      task(1, 0, 'init'),
      kthread(2, 0, 'kthreadd'),
      task(3, 1, 'server'),
      task(4, 1, 'child', { state: 'Z', stateName: 'EXIT_ZOMBIE' }),
      task(6, 5, 'forked-by-thread'),
      kthread(7, 2, 'consumer'),
      kthread(8, 99, 'orphan-kthread'),
    ];
    assert.equal(draw(buildTaskTree(rows)), [
      'init(1)',
      '  server(3)',
      '    {worker}(5)',
      '    forked-by-thread(6)',
      '  child(4)',
      '[kthreadd](2)',
      '  [consumer](7)',
      '  [orphan-kthread](8)',
    ].join('\n'));
  });

  it('links every node to its parent, so reveal can walk up', () => {
    const roots = buildTaskTree([task(1, 0, 'init'), task(2, 1, 'a'), task(3, 2, 'b')]);
    const b = flattenTree(roots).find((n) => n.row.pid === 3);
    assert.equal(b?.parent?.row.pid, 2);
    assert.equal(b?.parent?.parent?.row.pid, 1);
    assert.equal(b?.parent?.parent?.parent, undefined);
    assert.deepEqual(flattenTree(roots).map((n) => n.id), ['1', '2', '3']);
  });

  it('never loops on a parent cycle in malformed input, and keeps every task', () => {
    const roots = buildTaskTree([task(1, 2, 'a'), task(2, 1, 'b'), task(3, 3, 'self')]);
    assert.deepEqual(flattenTree(roots).map((n) => n.row.pid).sort(), [1, 2, 3]);
  });

  it('returns an empty forest for no tasks', () => {
    assert.deepEqual(buildTaskTree([]), []);
  });
});

describe('listZombies', () => {
  const rows = [
    task(1, 0, 'init'),
    task(3, 1, 'late', { state: 'Z', stateName: 'EXIT_ZOMBIE', exitCode: 9, exitSignal: 17, zombieSinceStep: 40, zombieSteps: 2 }),
    task(2, 1, 'early', { state: 'Z', stateName: 'EXIT_ZOMBIE', exitCode: 99 << 8, exitSignal: 17, zombieSinceStep: 10, zombieSteps: 32 }),
    task(4, 1, 'alive'),
  ];

  it('lists only EXIT_ZOMBIE tasks, oldest first, with their parent', () => {
    const z = listZombies(rows);
    assert.deepEqual(z.map((i) => i.row.pid), [2, 3]);
    assert.equal(z[0].parent?.comm, 'init');
  });

  it('describes the exit code, or the killing signal, and the steps waited', () => {
    const [early, late] = listZombies(rows);
    assert.equal(zombieDescription(early), 'exited with code 99; parent init(1), waiting 32 steps');
    assert.equal(zombieDescription(late), 'killed by SIGKILL; parent init(1), waiting 2 steps');
  });

  it('decodes exit_code as a wait status, core dumps included', () => {
    const zombie = (exitCode: number) => zombieDescription(listZombies([task(5, 1, 'z', { state: 'Z', stateName: 'EXIT_ZOMBIE', exitCode })])[0]);
    assert.match(zombie(0), /^exited with code 0;/);
    assert.match(zombie(255 << 8), /^exited with code 255;/);
    assert.match(zombie(11 | 0x80), /^killed by SIGSEGV \(core dumped\);/);
    assert.match(zombie(15), /^killed by SIGTERM;/);
  });

  it('names the parent by pid when the parent is not in the table', () => {
    const [z] = listZombies([task(9, 42, 'lost', { state: 'Z', stateName: 'EXIT_ZOMBIE' })]);
    assert.equal(zombieDescription(z), 'exited; parent pid 42');
  });
});

describe('buildRunQueues', () => {
  it('groups runnable tasks per CPU in vruntime order, leftmost first', () => {
    const rq = (pid: number, cpu: number, vruntime: number) =>
      task(pid, 1, `t${pid}`, { state: 'R', stateName: 'TASK_RUNNING', onRunqueue: true, cpu, vruntime });
    const queues = buildRunQueues([rq(4, 1, 300), rq(2, 0, 900), rq(3, 0, 100), rq(5, 0, 100), task(6, 1, 'sleeper')]);
    assert.deepEqual(queues.map((q) => [q.cpu, q.entities.map((e) => e.row.pid)]), [[0, [3, 5, 2]], [1, [4]]]);
    assert.equal(queues[0].id, 'cpu:0');
  });

  it('orders an EEVDF queue by deadline, the tree\'s key, not by vruntime', () => {
    const rq = (pid: number, vruntime: number, deadline: number) =>
      task(pid, 1, `t${pid}`, { state: 'R', stateName: 'TASK_RUNNING', onRunqueue: true, cpu: 0, vruntime, deadline, eligible: vruntime <= 500 });
    const [q] = buildRunQueues([rq(3, 100, 900), rq(4, 700, 800), rq(5, 400, 850)]);
    assert.deepEqual(q.entities.map((e) => e.row.pid), [4, 5, 3]);
  });

  it('lists the real-time tasks first, highest priority (lowest prio) first', () => {
    const rq = (pid: number, prio: number, deadline: number) =>
      task(pid, 1, `t${pid}`, { state: 'R', stateName: 'TASK_RUNNING', onRunqueue: true, cpu: 0, vruntime: 0, deadline, prio });
    const [q] = buildRunQueues([rq(3, 120, 100), rq(4, 89, 900), rq(5, 49, 950), rq(6, 120, 50)]);
    assert.deepEqual(q.entities.map((e) => e.row.pid), [5, 4, 6, 3]);
  });
});

describe('parseTasksBody', () => {
  it('accepts a well-formed body and drops malformed rows', () => {
    const rows = parseTasksBody({ tasks: [task(1, 0, 'init'), { pid: 'x' }, null, 7] });
    assert.deepEqual(rows?.map((r) => r.pid), [1]);
  });

  it('rejects bodies without a task array', () => {
    for (const body of [undefined, null, 3, 'tasks', {}, { tasks: {} }]) assert.equal(parseTasksBody(body), undefined);
  });
});

describe('taskTooltip', () => {
  it('shows the key task_struct fields with kernel names', () => {
    const t = taskTooltip(task(5, 3, 'worker', { tgid: 3, threadGroupLeader: false, cpu: 1, vruntime: 1200, onRunqueue: true }));
    assert.match(t, /pid 5, tgid 3, real_parent 3/);
    assert.match(t, /__state S \(TASK_INTERRUPTIBLE\)/);
    assert.match(t, /thread of group 3/);
    assert.match(t, /cpu 1, vruntime 1200, on run queue/);
  });
});
