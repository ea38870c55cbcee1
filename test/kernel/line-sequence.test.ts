// Every line the debugger highlights in a kernel frame is one the displayed C can reach from the
// line highlighted before it: every example is stepped at kernel granularity with a slice of one
// step, so that every step point of every task is a stop; every kernel frame of every task is
// followed from its push to its pop, and each move is checked against the graph of the function's
// displayed text (test/kernel/linecfg.ts), with the conditions the frame's shown variables decide.
// The displayed copy_process, do_exit and do_wait are also checked against Linux 6.x's order.
// The recorder is line-recorder.ts; the scenarios besides the examples, line-scenarios.ts.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { relativeLines } from '../../sim-core/kernel/frame';
import { kernelCatalog } from '../../sim-core/machine/sources';
import { exampleFiles } from '../fidelity/simulated';
import { allowed, buildCfg, call, COPY_PROCESS_ORDER, ladderProblems, orderProblems, type LineCfg } from './linecfg';
import { Report, stepScenario, type Scenario } from './line-recorder';
import { FAILING, STEPPED_SCHED, TWO_CPUS } from './line-scenarios';

describe('the lines the debugger highlights in kernel frames', function () {
  this.timeout(600_000);

  it('every displayed kernel function reads as C, and each step line is a statement its entry can reach', () => {
    const problems: string[] = [];
    for (const fn of kernelCatalog().byName.values()) {
      let cfg: LineCfg;
      try {
        cfg = buildCfg(fn.text, fn.name);
      } catch (e) {
        problems.push(`${fn.file}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      const text = fn.text.split('\n');
      for (const rel of new Set(relativeLines(fn))) {
        if (!cfg.byLine.has(rel)) problems.push(`${fn.name}: step line '${text[rel].trim()}' is no statement`);
        else if (!allowed(cfg, new Set(), 'entry', rel)) problems.push(`${fn.name}: step line '${text[rel].trim()}' cannot be reached from the entry`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('follow the displayed C in every example, in failing forks and in error returns', () => {
    const report = new Report();
    const examples = exampleFiles().map((f) => ({ name: basename(f), source: readFileSync(f, 'utf8') }));
    const scenarios: Scenario[] = [
      ...examples,
      // Tasks that exit, reap and reparent on two CPUs at once: their steps interleave otherwise.
      ...examples.filter((e) => TWO_CPUS.includes(e.name)).map((e) => ({ ...e, name: `${e.name} on 2 CPUs`, settings: { cpus: 2 } })),
      ...FAILING,
      // The tick and the switch run as frames when a breakpoint is in them (one that never stops
      // will do): every line of sched_tick's and __schedule's paths, under both policies.
      ...examples.filter((e) => STEPPED_SCHED.includes(e.name)).flatMap((e) => (['eevdf', 'cfs'] as const).map((sched) => ({
        ...e, name: `${e.name} (${sched}) with the tick and switch stepped`, sched, maxStops: 15_000,
        breakpoints: [{ name: 'sched_tick', hitCondition: '== 0' }, { name: '__schedule', hitCondition: '== 0' }],
      }))),
    ];
    const runs: string[] = [];
    for (const s of scenarios) {
      const r = stepScenario(s, report);
      runs.push(`${s.name}: ${r.stops} stops, ${r.end}${r.failures.length ? `, forks failed: ${[...new Set(r.failures)].join(', ')}` : ''}`);
      // A run that stops early (or never gets going) would check nothing.
      if (r.stops < 100 || ['deadlock', 'panic', 'budget'].includes(r.end)) report.add(`run ${s.name}`, `${s.name}: the run ended with ${r.end} after ${r.stops} stops`, '');
      // A failing fork unwinds visibly: its cleanup ladder is stepped, not done in one line.
      if (s.fails && r.ladder < 3) report.add(`ladder ${s.name}`, `${s.name}: the failing fork shows ${r.ladder} line(s) of copy_process's cleanup ladder (at least 3: a label's cleanup, bad_fork_free, the return)`, '');
      if (s.fails && !r.failures.includes(s.fails)) report.add(`scenario ${s.name}`, `${s.name}: no fork failed with ${s.fails} (${r.failures.join(', ') || 'none failed'})`, '');
    }
    assert.equal(report.found.size, 0, `${report.found.size} distinct violations:\n${report.text()}\n\nruns:\n${runs.join('\n')}`);
  });
});

function displayed(name: string): string | null {
  return kernelCatalog().byName.get(name)?.text ?? null;
}

describe('the displayed copy_process, do_exit and do_wait follow Linux 6.x', () => {
  it('copy_process: credentials, the RLIMIT_NPROC check, then each copy, then alloc_pid', () => {
    const problems = orderProblems('copy_process', displayed('copy_process'), COPY_PROCESS_ORDER);
    assert.deepEqual([...problems, ...ladderProblems(displayed('copy_process'))], []);
  });

  it('do_exit: exit_signals, the group count, exit_code, then mm, files, fs, exit_notify, do_task_dead', () => {
    assert.deepEqual(orderProblems('do_exit', displayed('do_exit'), [
      call('synchronize_group_exit', false), call('exit_signals'), ['the signal->live count', /atomic_dec_and_test\(&tsk->signal->live\)/, true],
      call('is_global_init', false), ['tsk->exit_code = code', /tsk->exit_code\s*=\s*code/, true], call('exit_mm'), call('exit_sem', false),
      call('exit_shm', false), call('exit_files'), call('exit_fs'), call('exit_task_namespaces', false), call('exit_task_work', false),
      call('exit_thread', false), call('cgroup_exit', false), call('exit_notify'), call('proc_exit_connector', false), call('do_task_dead'),
    ]), []);
  });

  it('exit_notify: reparent the children, become a zombie, tell the parent, then release the self-reaped', () => {
    assert.deepEqual(orderProblems('exit_notify', displayed('exit_notify'), [
      call('forget_original_parent'), ['EXIT_ZOMBIE', /exit_state\s*=\s*EXIT_ZOMBIE/, true], call('do_notify_parent'),
      ['EXIT_DEAD', /exit_state\s*=\s*EXIT_DEAD/, true], ['the de_thread wake-up', /notify_count\s*<\s*0/, false], call('release_task'),
    ]), []);
  });

  it('do_wait and __do_wait: queue, sleep state, scan, and the -ERESTARTSYS loop', () => {
    assert.deepEqual([
      ...orderProblems('do_wait', displayed('do_wait'), [
        call('add_wait_queue'), ['TASK_INTERRUPTIBLE', /\bset_current_state\(TASK_INTERRUPTIBLE\)/, true], call('__do_wait'),
        ['the -ERESTARTSYS test', /retval\s*!=\s*-ERESTARTSYS/, true], call('signal_pending', false), call('schedule'),
        ['TASK_RUNNING', /__set_current_state\(TASK_RUNNING\)/, true], call('remove_wait_queue'),
      ]),
      ...orderProblems('__do_wait', displayed('__do_wait'), [
        ['notask_error = -ECHILD', /notask_error\s*=\s*-ECHILD/, true], call('pid_has_task', false), call('read_lock', false),
        ['the children', /\b(do_wait_thread|list_for_each_entry)\(/, true], ['__WNOTHREAD', /__WNOTHREAD/, true],
        ['notask:', /^\s*notask:/, true], ['return -ERESTARTSYS', /return -ERESTARTSYS;/, true],
      ]),
    ], []);
  });
});

describe('the displayed scheduler paths follow Linux 6.x', () => {
  it('pick_eevdf: the one-entity shortcut, curr\'s eligibility, RUN_TO_PARITY, the leftmost, the heap search', () => {
    assert.deepEqual(orderProblems('pick_eevdf', displayed('pick_eevdf'), [
      call('__pick_first_entity'), ['nr_running == 1', /cfs_rq->nr_running == 1/, true],
      ['curr\'s eligibility', /!entity_eligible\(cfs_rq, curr\)/, true], ['RUN_TO_PARITY', /RUN_TO_PARITY/, true],
      ['the eligible leftmost', /if \(se && entity_eligible\(cfs_rq, se\)\)/, true], ['the heap search', /while \(node\)/, true],
      ['found:', /^\s*found:/, true], call('entity_before'), ['return best', /return best;/, true],
    ]), []);
  });

  it('check_preempt_wakeup_fair: update_curr, then pick_eevdf decides', () => {
    assert.deepEqual(orderProblems('check_preempt_wakeup_fair', displayed('check_preempt_wakeup_fair'), [
      ['se == pse', /se == pse/, true], call('update_curr'), call('pick_eevdf'), ['preempt:', /^\s*preempt:/, true], call('resched_curr'),
    ]), []);
  });

  it('sched_yield: do_sched_yield calls yield_task, then schedule; yield_task_fair moves the deadline', () => {
    assert.deepEqual([
      ...orderProblems('do_sched_yield', displayed('do_sched_yield'), [
        call('this_rq_lock_irq'), ['->yield_task', /->yield_task\(rq\)/, true], call('rq_unlock_irq'), call('schedule'),
      ]),
      ...orderProblems('yield_task_fair', displayed('yield_task_fair'), [
        ['nr_running == 1', /rq->nr_running == 1/, true], call('clear_buddies'), call('update_curr'),
        ['the deadline', /se->deadline \+= calc_delta_fair\(se->slice, se\)/, true],
      ]),
    ], []);
  });
});
