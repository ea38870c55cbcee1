// Random *sequential* scenarios for real-kernel fidelity: every fork is followed by a wait for
// that child, so the output is the same on every real run and can be compared with the simulator.
import fc from 'fast-check';

export type SeqOp =
  | { k: 'fork'; via: 'fork' | 'vfork'; child: SeqOp[]; end: End }
  | { k: 'ids' }
  | { k: 'thread' }
  | { k: 'wait-none' }
  | { k: 'kill-none' }
  | { k: 'ignchld'; on: boolean };

export type End =
  | { how: 'exit' | '_exit' | 'return'; code: number }
  | { how: 'signal'; sig: 'SIGTERM' | 'SIGKILL' | 'SIGUSR1' }
  | { how: 'fault'; what: 'div0' | 'null' };

const end: fc.Arbitrary<End> = fc.oneof(
  fc.record({ how: fc.constantFrom('exit' as const, '_exit' as const, 'return' as const), code: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ how: fc.constant('signal' as const), sig: fc.constantFrom('SIGTERM' as const, 'SIGKILL' as const, 'SIGUSR1' as const) }),
  fc.record({ how: fc.constant('fault' as const), what: fc.constantFrom('div0' as const, 'null' as const) }),
);

const seq = fc.letrec<{ op: SeqOp; block: SeqOp[] }>((tie) => ({
  op: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 2, arbitrary: fc.constant<SeqOp>({ k: 'ids' }) },
    { weight: 3, arbitrary: fc.record({ k: fc.constant('fork' as const), via: fc.constantFrom('fork' as const, 'fork' as const, 'vfork' as const), child: tie('block'), end }) },
    { weight: 1, arbitrary: fc.constant<SeqOp>({ k: 'thread' }) },
    { weight: 1, arbitrary: fc.constant<SeqOp>({ k: 'wait-none' }) },
    { weight: 1, arbitrary: fc.constant<SeqOp>({ k: 'kill-none' }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('ignchld' as const), on: fc.boolean() }) },
  ),
  block: fc.array(tie('op'), { maxLength: 3 }),
}));

export const sequentialArb: fc.Arbitrary<SeqOp[]> = fc.array(seq.op, { minLength: 1, maxLength: 5 });

const HEADER = `#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

volatile int zero = 0;

void *worker(void *arg)
{
    printf("thread %d in %d\\n", gettid(), getpid());
    return arg;
}

void report(pid_t child)
{
    int status = 0;
    pid_t r = waitpid(child, &status, 0);
    if (r < 0) {
        printf("%d: waitpid(%d) = -1 errno %d\\n", getpid(), child, errno);
        return;
    }
    if (WIFEXITED(status))
        printf("%d: child %d exited %d\\n", getpid(), r, WEXITSTATUS(status));
    else
        printf("%d: child %d killed by %d\\n", getpid(), r, WTERMSIG(status));
}
`;

/** Renders the operations as main's body; a vfork child only exits (anything else is undefined). */
export function renderSequential(ops: SeqOp[]): string {
  const out: string[] = [];
  let n = 0;
  const emit = (d: number, s: string): void => { out.push(`${'    '.repeat(d)}${s}`); };
  const finish = (d: number, e: End, vforked: boolean): void => {
    if (e.how === 'signal') {
      emit(d, `kill(getpid(), ${e.sig});`);
      emit(d, '_exit(99);');
    } else if (e.how === 'fault') {
      // A vfork child shares the parent's memory and stack: it may only exec or _exit.
      if (!vforked) emit(d, e.what === 'div0' ? 'printf("%d\\n", 10 / zero);' : '*(volatile int *)NULL = 1;');
      emit(d, '_exit(98);');
    } else if (vforked || e.how === '_exit') {
      emit(d, `_exit(${e.code});`);
    } else {
      emit(d, e.how === 'return' ? `return ${e.code};` : `exit(${e.code});`);
    }
  };
  const block = (ops: SeqOp[], d: number): void => {
    for (const op of ops) {
      switch (op.k) {
        case 'fork': {
          const v = `c${n++}`;
          emit(d, `pid_t ${v} = ${op.via}();`);
          emit(d, `if (${v} == 0) {`);
          if (op.via === 'fork') block(op.child, d + 1);
          finish(d + 1, op.end, op.via === 'vfork');
          emit(d, '}');
          emit(d, `report(${v});`);
          break;
        }
        case 'ids': emit(d, 'printf("pid %d ppid %d\\n", getpid(), getppid());'); break;
        case 'thread':
          emit(d, '{');
          emit(d + 1, 'pthread_t t;');
          emit(d + 1, 'pthread_create(&t, NULL, worker, NULL);');
          emit(d + 1, 'pthread_join(t, NULL);');
          emit(d, '}');
          break;
        case 'wait-none':
          emit(d, '{');
          emit(d + 1, 'int r = waitpid(-1, NULL, WNOHANG);');
          emit(d + 1, 'printf("%d: waitpid(-1, WNOHANG) = %d errno %d\\n", getpid(), r, r < 0 ? errno : 0);');
          emit(d, '}');
          break;
        case 'kill-none':
          emit(d, '{');
          emit(d + 1, 'int r = kill(30000, 0);');
          emit(d + 1, 'printf("kill(30000, 0) = %d errno %d\\n", r, r < 0 ? errno : 0);');
          emit(d, '}');
          break;
        case 'ignchld': emit(d, `signal(SIGCHLD, ${op.on ? 'SIG_IGN' : 'SIG_DFL'});`); break;
      }
    }
  };
  block(ops, 1);
  return `${HEADER}\nint main(void)\n{\n${out.join('\n')}\n    printf("main done\\n");\n    return 0;\n}\n`;
}
