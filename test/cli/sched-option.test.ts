// `kproc run --sched eevdf|cfs` chooses the fair class over the scenario's #pragma, and the
// debugger's `sched` launch attribute does the same through BootOptions.sched.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { planLaunch, LaunchError, type KprocLaunchArgs } from '../../extension/adapter/launch';
import { boot, KMachine } from '../../sim-core/machine';
import { capture } from './capture';

const SCENARIO = 'examples/fork-wait.kproc';

/** Parent and child both busy on one CPU: EEVDF's 0.75 ms requests against CFS's 3 ms shares. */
const BUSY = `#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    volatile long i;
    if (fork() == 0) {
        for (i = 0; i < 2000000; i++)
            ;
        _exit(0);
    }
    for (i = 0; i < 2000000; i++)
        ;
    wait(NULL);
    return 0;
}
`;

describe('the fair class as a run option', () => {
  it('--sched cfs runs CFS: two busy tasks switch at its longer slices, fewer times than under EEVDF', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kproc-sched-')), 'busy.kproc');
    writeFileSync(file, BUSY);
    const switches = async (args: string[]): Promise<string[]> => {
      const io = capture();
      assert.equal(await main(['run', '--trace-sched', ...args, file], io), 0, io.stderr);
      return io.stdout.split('\n').filter((l) => /sched_switch.*prev_state=R\+? /.test(l));
    };
    const eevdf = await switches(['--sched', 'eevdf']);
    const cfs = await switches(['--sched', 'cfs']);
    assert.deepEqual(await switches([]), eevdf, 'eevdf is the default');
    assert.ok(eevdf.length > cfs.length && cfs.length > 0, `preemptions: eevdf ${eevdf.length}, cfs ${cfs.length}`);
  });

  it('--sched with another word is a usage error (status 123) that names the choices', async () => {
    const io = capture();
    assert.equal(await main(['run', '--sched', 'bfs', SCENARIO], io), 123);
    assert.match(io.stderr, /--sched must be eevdf or cfs \(got 'bfs'\)/);
  });

  it('the launch attribute sched reaches BootOptions.sched, and the machine runs that policy', () => {
    const read = (): string => '#include <unistd.h>\nint main(void) { return 0; }\n';
    const plan = planLaunch({ program: 'x.kproc', sched: 'cfs' }, read);
    assert.equal(plan.boot.sched, 'cfs');
    assert.equal(planLaunch({ program: 'x.kproc' }, read).boot.sched, undefined);
    const booted = boot(plan.boot);
    assert.ok(booted.machine instanceof KMachine);
    assert.equal(booted.machine.engine.k.rq[0].eevdf, false);
    assert.throws(() => planLaunch({ program: 'x.kproc', sched: 'bfs' } as unknown as KprocLaunchArgs, read), (e: unknown) => e instanceof LaunchError && /'sched' must be "eevdf" or "cfs"/.test(e.message));
  });
});
