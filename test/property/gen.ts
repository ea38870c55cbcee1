// Random scenario generator for the property tests: fast-check builds a tree of process operations
// (fork with nested child/parent branches, exit, wait, kill, SIGCHLD ignored, subreaper, threads)
// and renders it as a .kproc source that the checker accepts and gcc would compile.
import fc from 'fast-check';

export type Sig = 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT' | 'SIGCHLD' | 'SIGUSR1';
export type ThreadFn = 't_sleep' | 't_exit' | 't_fork';

export type Op =
  | { k: 'fork'; child: Op[]; parent: Op[]; code: number; end: 'exit' | '_exit' | 'return' | 'pthread_exit' }
  | { k: 'forkloop'; n: number; code: number }
  | { k: 'wait' }
  | { k: 'waitnohang' }
  | { k: 'waitchild' }
  | { k: 'kill'; target: 'child' | 'parent' | 'group'; sig: Sig }
  | { k: 'ignchld' }
  | { k: 'subreaper' }
  | { k: 'thread'; fn: ThreadFn }
  | { k: 'sleep'; us: number }
  | { k: 'yield' }
  | { k: 'exit'; code: number };

export interface Scenario {
  pidMax?: number;
  /** Fork-and-reap rounds run first, so a small pid_max wraps around (only with pidMax). */
  churn?: number;
  nproc?: number;
  cpus?: number;
  seed: number;
  main: Op[];
}

const sig = fc.constantFrom<Sig>('SIGKILL', 'SIGTERM', 'SIGSTOP', 'SIGCONT', 'SIGCHLD', 'SIGUSR1');
const code = fc.integer({ min: 0, max: 255 });

const leafOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Op>({ k: 'wait' }) },
  { weight: 2, arbitrary: fc.constant<Op>({ k: 'waitnohang' }) },
  { weight: 2, arbitrary: fc.constant<Op>({ k: 'waitchild' }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('kill' as const), target: fc.constantFrom('child' as const, 'parent' as const, 'group' as const), sig }) },
  { weight: 1, arbitrary: fc.constant<Op>({ k: 'ignchld' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ k: 'subreaper' }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('thread' as const), fn: fc.constantFrom<ThreadFn>('t_sleep', 't_exit', 't_fork') }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('sleep' as const), us: fc.integer({ min: 1, max: 5000 }) }) },
  { weight: 1, arbitrary: fc.constant<Op>({ k: 'yield' }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('forkloop' as const), n: fc.integer({ min: 1, max: 12 }), code }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('exit' as const), code }) },
);

const ops = fc.letrec<{ block: Op[]; op: Op }>((tie) => ({
  op: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: leafOp },
    {
      weight: 3,
      arbitrary: fc.record({
        k: fc.constant('fork' as const),
        child: tie('block'),
        parent: tie('block'),
        code,
        end: fc.constantFrom('exit' as const, '_exit' as const, 'return' as const, 'pthread_exit' as const),
      }),
    },
  ),
  block: fc.array(tie('op'), { maxLength: 3 }),
}));

/** Undefined most of the time: each setting is an exception, not the rule. */
function sometimes<T>(arb: fc.Arbitrary<T>, weight = 1, nilWeight = 4): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: nilWeight, arbitrary: fc.constant(undefined) }, { weight, arbitrary: arb });
}

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  pidMax: sometimes(fc.integer({ min: 301, max: 330 })),
  // Costly (some 20,000 steps), so rare: about one scenario in fifty wraps its pids around.
  churn: sometimes(fc.integer({ min: 300, max: 330 }), 1, 9),
  nproc: sometimes(fc.integer({ min: 2, max: 24 })),
  cpus: sometimes(fc.integer({ min: 1, max: 3 }), 2),
  seed: fc.integer({ min: 0, max: 1000 }),
  main: fc.array(ops.op, { minLength: 1, maxLength: 6 }),
}).map((s) => (s.pidMax === undefined ? { ...s, churn: undefined } : s));

const HEADER = `#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_t th;

void *t_sleep(void *a)
{
    usleep(2000);
    return a;
}

void *t_exit(void *a)
{
    (void)a;
    usleep(1000);
    exit(3);
}

void *t_fork(void *a)
{
    pid_t p = fork();
    if (p == 0)
        _exit(4);
    if (p > 0)
        waitpid(p, NULL, 0);
    return a;
}
`;

/** Renders a scenario as source text. */
export function render(s: Scenario): string {
  let next = 0;
  const lines: string[] = [];
  const emit = (depth: number, text: string): void => { lines.push(`${'    '.repeat(depth)}${text}`); };

  // `child` is the variable of the latest fork in scope, so kill(child) has a target.
  // Returns true when the block ends in exit(), so nothing may follow it.
  const block = (list: Op[], depth: number, child: string | undefined, inMain: boolean): boolean => {
    for (const op of list) {
      switch (op.k) {
        case 'fork': {
          const v = `p${next++}`;
          emit(depth, `pid_t ${v} = fork();`);
          emit(depth, `if (${v} == 0) {`);
          if (!block(op.child, depth + 1, undefined, false)) {
            if (op.end === 'pthread_exit') emit(depth + 1, 'pthread_exit(NULL);');
            else if (op.end === 'return' && inMain) emit(depth + 1, `return ${op.code};`);
            else emit(depth + 1, `${op.end === '_exit' ? '_exit' : 'exit'}(${op.code});`);
          }
          emit(depth, '}');
          emit(depth, `if (${v} > 0) {`);
          block(op.parent, depth + 1, v, inMain);
          emit(depth, '}');
          child = v;
          break;
        }
        case 'forkloop':
          emit(depth, `for (int i = 0; i < ${op.n}; i++) {`);
          emit(depth + 1, `if (fork() == 0)`);
          emit(depth + 2, `exit(${op.code});`);
          emit(depth, '}');
          break;
        case 'wait': emit(depth, 'wait(NULL);'); break;
        case 'waitnohang': emit(depth, 'waitpid(-1, NULL, WNOHANG);'); break;
        case 'waitchild': emit(depth, child ? `waitpid(${child}, NULL, 0);` : 'waitpid(-1, NULL, WNOHANG);'); break;
        case 'kill': {
          const target = op.target === 'group' ? '0' : op.target === 'child' && child ? child : 'getppid()';
          emit(depth, `kill(${target}, ${op.sig});`);
          break;
        }
        case 'ignchld': emit(depth, 'signal(SIGCHLD, SIG_IGN);'); break;
        case 'subreaper': emit(depth, 'prctl(PR_SET_CHILD_SUBREAPER, 1);'); break;
        case 'thread': emit(depth, `pthread_create(&th, NULL, ${op.fn}, NULL);`); break;
        case 'sleep': emit(depth, `usleep(${op.us});`); break;
        case 'yield': emit(depth, 'sched_yield();'); break;
        case 'exit': emit(depth, `exit(${op.code});`); return true;
      }
    }
    return false;
  };

  if (s.churn !== undefined) {
    emit(1, `for (int i = 0; i < ${s.churn}; i++) {`);
    emit(2, 'pid_t c = fork();');
    emit(2, 'if (c == 0)');
    emit(3, '_exit(0);');
    emit(2, 'if (c > 0)');
    emit(3, 'waitpid(c, NULL, 0);');
    emit(1, '}');
  }
  if (!block(s.main, 1, undefined, true)) emit(1, 'return 0;');
  const pragmas = [
    s.pidMax !== undefined ? `#pragma kproc pid_max ${s.pidMax}` : '',
    s.nproc !== undefined ? `#pragma kproc nproc ${s.nproc}` : '',
    s.cpus !== undefined ? `#pragma kproc cpus ${s.cpus}` : '',
    `#pragma kproc seed ${s.seed}`,
  ].filter(Boolean).join('\n');
  return `${HEADER}\n${pragmas}\n\nint main(void)\n{\n${lines.join('\n')}\n}\n`;
}
