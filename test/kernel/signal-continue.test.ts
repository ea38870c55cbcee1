// SIGCONT and the parent's CLD_CONTINUED notification as Linux 6.x does them: prepare_signal (in
// the sender) resumes the stopped group and only records SIGNAL_CLD_CONTINUED; the continued
// child sends the SIGCHLD itself, from get_signal, once it runs again. Each event is recorded with
// the task that was running and the kernel frame (function and step) at the top of its stack.
import { strict as assert } from 'node:assert';
import { recordEvents, type Seen } from './event-recorder';
import { runEngine } from './run-engine';
import { bootSource, HEADERS, outputOf } from './vm-run';
import * as C from '../../sim-core/kernel/consts';
import type { MachineSettings } from '../../sim-core/machine-types';


function trace(source: string, settings: MachineSettings = {}): { seen: Seen[]; out: string } {
  const engine = bootSource(`${HEADERS}\n#define _GNU_SOURCE\n#include <sched.h>\n#include <string.h>\n${source}`, settings);
  const seen = recordEvents(engine);
  const end = runEngine(engine, 2_000_000);
  assert.equal(end.reason, 'exited', `the scenario did not run to its end: ${end.reason}`);
  return { seen, out: outputOf(engine) };
}

/** A SIGCHLD handler that records each si_code; show() prints them. */
const RECORDER = `volatile sig_atomic_t codes[8], n;
void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (n < 8)
        codes[n++] = si->si_code;
}
static void show(const char *when)
{
    printf("%s:", when);
    for (int i = 0; i < n; i++)
        printf(" %d", codes[i]);
    printf("\\n");
}
`;

/**
 * The parent, SCHED_FIFO on the child's only CPU, lets the child run only when it blocks: it
 * continues the stopped child, waits for that, sleeps, then stops it again and sends SIGCONT and
 * SIGKILL back to back.
 */
const FIFO_PARENT = `${RECORDER}
int main(void)
{
    struct sigaction sa;
    struct sched_param sp;
    int st;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    pid_t child = fork();
    if (child == 0) {
        raise(SIGSTOP);
        for (;;)
            pause();
    }
    sp.sched_priority = 50;
    sched_setscheduler(0, SCHED_FIFO, &sp);
    waitpid(child, &st, WUNTRACED);
    show("stopped");
    kill(child, SIGCONT);
    show("sent");
    waitpid(child, &st, WCONTINUED);
    printf("WIFCONTINUED %d\\n", WIFCONTINUED(st));
    show("waited");
    usleep(10000);
    show("ran");
    kill(child, SIGSTOP);
    waitpid(child, &st, WUNTRACED);
    kill(child, SIGCONT);
    kill(child, SIGKILL);
    waitpid(child, &st, 0);
    show("killed");
    return 0;
}
`;

const isSigchld = (s: Seen): boolean => s.ev.kind === 'signal' && s.ev.sig === C.SIGCHLD;

describe('SIGCONT: the parent hears of it from the continued child (get_signal)', () => {
  it('waitpid(WCONTINUED) reports at once; the CLD_CONTINUED SIGCHLD comes only when the child runs, and not at all if SIGKILL comes first', () => {
    const { seen, out } = trace(FIFO_PARENT, { uid: 0 });
    const codes = (xs: number[]): string => xs.join(' ');
    assert.equal(out, [
      `stopped: ${C.CLD_STOPPED}`,
      `sent: ${C.CLD_STOPPED}`,
      'WIFCONTINUED 1',
      `waited: ${C.CLD_STOPPED}`,
      `ran: ${codes([C.CLD_STOPPED, C.CLD_CONTINUED])}`,
      `killed: ${codes([C.CLD_STOPPED, C.CLD_CONTINUED, C.CLD_STOPPED, C.CLD_KILLED])}`,
      '',
    ].join('\n'));
    // The one CLD_CONTINUED notification: generated in the child, at get_signal's notify step,
    // after the parent's SIGCONT resumed the group.
    // (The CLD_STOPPED ones come from get_signal too, from its do_signal_stop step.)
    const fromNotify = seen.filter((s) => isSigchld(s) && s.fn === 'get_signal' && s.label === 'notify');
    assert.equal(fromNotify.length, 1, 'one notification from get_signal\'s relock');
    const note = fromNotify[0];
    assert.ok(note.ev.kind === 'signal');
    assert.equal(note.pid, note.ev.from, 'sent by the continued child itself');
    const cont = seen.findIndex((s) => s.ev.kind === 'signal' && s.ev.sig === C.SIGCONT);
    const continued = seen.findIndex((s) => s.ev.kind === 'continued');
    assert.ok(continued >= 0 && cont > continued, 'the group continues inside prepare_signal, before the SIGCONT is reported generated');
    assert.ok(seen.indexOf(note) > cont, 'the notification comes after the SIGCONT');
    assert.equal(seen[cont].fn, '__x64_sys_kill');
    // The parent's kill did not generate any SIGCHLD.
    assert.ok(!seen.some((s) => isSigchld(s) && s.fn === '__x64_sys_kill'));
  });

  it('generates no SIGCHLD for a stop or a continue when the parent ignores SIGCHLD or asks SA_NOCLDSTOP', () => {
    for (const setup of ['signal(SIGCHLD, SIG_IGN);', 'struct sigaction sa;\n    memset(&sa, 0, sizeof(sa));\n    sa.sa_handler = SIG_DFL;\n    sa.sa_flags = SA_NOCLDSTOP;\n    sigaction(SIGCHLD, &sa, NULL);']) {
      const { seen, out } = trace(`int main(void)
{
    int st;
    ${setup}
    pid_t child = fork();
    if (child == 0) {
        raise(SIGSTOP);
        usleep(1000);
        exit(0);
    }
    waitpid(child, &st, WUNTRACED);
    printf("stopped %d\\n", WIFSTOPPED(st));
    kill(child, SIGCONT);
    usleep(100000);
    return 0;
}
`);
      assert.equal(out, 'stopped 1\n', setup);
      const exit = seen.findIndex((s) => s.ev.kind === 'exit');
      assert.ok(seen.some((s) => s.ev.kind === 'continued'), setup);
      assert.deepEqual(seen.slice(0, exit).filter(isSigchld).map((s) => s.fn), [], `${setup}: SIGCHLD generated before the child exits`);
    }
  });

  it('reports the SIGCONT it generates by the disposition: continue (SIG_DFL, also when dropped), handler, ignore', () => {
    const actions = (disposition: string): string[] => {
      const { seen } = trace(`void on_cont(int sig)
{
    (void)sig;
}
int main(void)
{
    pid_t child = fork();
    if (child == 0) {
        signal(SIGCONT, ${disposition});
        for (;;)
            pause();
    }
    usleep(1000);
    kill(child, SIGCONT);
    kill(child, SIGSTOP);
    usleep(1000);
    kill(child, SIGCONT);
    usleep(1000);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    return 0;
}
`);
      return seen.flatMap((s) => (s.ev.kind === 'signal' && s.ev.sig === C.SIGCONT ? [s.ev.action] : []));
    };
    assert.deepEqual(actions('SIG_DFL'), ['continue', 'continue']);
    assert.deepEqual(actions('on_cont'), ['handler', 'handler']);
    assert.deepEqual(actions('SIG_IGN'), ['ignore', 'ignore']);
  });

  it('a pid namespace\'s init stays unkillable after a stop and a continue: SIGTERM from outside is dropped', () => {
    const { seen, out } = trace(`int main(void)
{
    int st;
    unshare(CLONE_NEWPID);
    pid_t init = fork();
    if (init == 0) {
        for (;;)
            pause();
    }
    usleep(1000);
    kill(init, SIGSTOP);
    waitpid(init, &st, WUNTRACED);
    kill(init, SIGCONT);
    waitpid(init, &st, WCONTINUED);
    kill(init, SIGTERM);
    usleep(10000);
    printf("after SIGTERM: %d\\n", waitpid(init, &st, WNOHANG));
    kill(init, SIGKILL);
    waitpid(init, &st, 0);
    printf("killed by %d\\n", WTERMSIG(st));
    return 0;
}
`, { uid: 0 });
    assert.equal(out, 'after SIGTERM: 0\nkilled by 9\n');
    const term = seen.find((s) => s.ev.kind === 'signal' && s.ev.sig === C.SIGTERM);
    assert.ok(term && term.ev.kind === 'signal');
    assert.equal(term.ev.action, 'ignore');
  });
});
