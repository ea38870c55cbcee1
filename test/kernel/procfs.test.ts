// procfs as proc_lookup builds it from a booted machine's kernel: the /proc listing, self and
// thread-self, /proc/PID/{stat,status,cmdline,comm}, task/TID, the numbers of the viewer's pid
// namespace, zombies and kernel threads as Linux prints them; and, against this machine's real
// kernel, the same lines and fields in the same order and format (values aside).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as C from '../../sim-core/kernel/consts';
import type { Kernel } from '../../sim-core/kernel/kernel';
import { proc_lookup } from '../../sim-core/kernel/procfs';
import type { task_struct } from '../../sim-core/kernel/task';
import { bootSource, HEADERS, runSource } from './vm-run';

function node(k: Kernel, viewer: task_struct, path: string) {
  return proc_lookup(k, viewer, path === '' ? [] : path.split('/'));
}
function read(k: Kernel, viewer: task_struct, path: string): string {
  const n = node(k, viewer, path);
  assert.ok(n && n.kind === 'file', `/proc/${path} is not a file`);
  return n.read();
}
function list(k: Kernel, viewer: task_struct, path: string): string[] {
  const n = node(k, viewer, path);
  assert.ok(n && n.kind === 'dir', `/proc/${path} is not a directory`);
  return n.entries();
}
function link(k: Kernel, viewer: task_struct, path: string): string {
  const n = node(k, viewer, path);
  assert.ok(n && n.kind === 'link', `/proc/${path} is not a link`);
  return n.target();
}
/** The fields of a stat line, 1-based as proc(5) numbers them; the comm is field 2 with its parentheses. */
function statFields(line: string): string[] {
  assert.ok(line.endsWith('\n'));
  const close = line.lastIndexOf(')');
  const open = line.indexOf(' (');
  return [line.slice(0, open), line.slice(open + 1, close + 1), ...line.slice(close + 2, -1).split(' ')];
}
const field = (line: string, n: number): string => statFields(line)[n - 1];
/** status as a map of its lines. */
function status(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of text.split('\n').slice(0, -1)) { const i = l.indexOf(':'); m.set(l.slice(0, i), l.slice(i + 2)); }
  return m;
}

/** main (pid 3) with a thread (4) asleep, a zombie child (5) that exited 3, SIGUSR1 blocked, SIGINT caught. */
const FAMILY = `${HEADERS}
void on_int(int sig) { }
void *worker(void *arg)
{
    pause();
    return 0;
}
int main(void)
{
    pthread_t t;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    signal(SIGINT, on_int);
    signal(34, SIG_IGN);
    pthread_create(&t, NULL, worker, NULL);
    if (fork() == 0)
        exit(3);
    pause();
    return 0;
}
`;

describe('kernel: procfs', () => {
  const family = (): { k: Kernel; main: task_struct; thread: task_struct; zombie: task_struct } => {
    const r = runSource(FAMILY);
    assert.equal(r.reason, 'deadlock');
    const k = r.engine.k;
    return { k, main: k.pid_hash.get(3) as task_struct, thread: k.pid_hash.get(4) as task_struct, zombie: k.pid_hash.get(5) as task_struct };
  };

  it('lists the top-level files, self, thread-self and the processes, not their threads', () => {
    const { k, main, thread } = family();
    assert.deepEqual(list(k, main, ''), ['sys', 'uptime', 'loadavg', 'self', 'thread-self', '1', '2', '3', '5']);
    assert.deepEqual(list(k, main, '3'), ['task', 'status', 'comm', 'cmdline', 'stat']);
    assert.deepEqual(list(k, main, '3/task'), ['3', '4']);
    assert.deepEqual(list(k, main, '3/task/4'), ['status', 'comm', 'cmdline', 'stat']);
    // /proc/sys/kernel/pid_max: the viewer's namespace's limit (ps sizes its PID column by it).
    assert.deepEqual(list(k, main, 'sys'), ['kernel']);
    assert.equal(read(k, main, 'sys/kernel/pid_max'), `${k.init_pid_ns.pid_max}\n`);
    assert.equal(k.init_pid_ns.pid_max, 32768);
    // A thread's number is not listed but can be looked up (proc_pid_lookup finds any task).
    assert.equal(field(read(k, main, '4/stat'), 1), '4');
    assert.equal(link(k, main, 'self'), '3');
    assert.equal(link(k, thread, 'self'), '3');
    assert.equal(link(k, thread, 'thread-self'), '3/task/4');
    for (const missing of ['99', '03', '3/nope', '3/task/5', '3/task/4/task', '5/task/4', 'uptime/x', '3/stat/x']) {
      assert.equal(node(k, main, missing), null, missing);
    }
  });

  it('prints /proc/PID/stat with 52 fields of the process', () => {
    const { k, main } = family();
    const f = statFields(read(k, main, '3/stat'));
    assert.equal(f.length, 52);
    assert.deepEqual(f.slice(0, 4), ['3', '(main)', 'S', '1']);
    assert.equal(f[18 - 1], '20', 'priority: prio - MAX_RT_PRIO');
    assert.equal(f[19 - 1], '0', 'nice');
    assert.equal(f[20 - 1], '2', 'num_threads');
    assert.equal(f[25 - 1], '18446744073709551615', 'rsslim');
    assert.ok(Number(f[23 - 1]) > 0 && Number(f[23 - 1]) % 4096 === 0, 'vsize: whole pages');
    assert.equal(Number(f[24 - 1]) * 4096, Number(f[23 - 1]), 'rss in pages');
    assert.equal(f[32 - 1], String(1 << (C.SIGUSR1 - 1)), 'blocked');
    assert.equal(f[33 - 1], '0', 'sigignore: SIGRTMIN is above the 31 bits stat shows');
    assert.equal(f[34 - 1], String(1 << (C.SIGINT - 1)), 'sigcatch');
    assert.equal(f[35 - 1], '0', 'wchan: only without other threads');
    assert.equal(f[38 - 1], String(C.SIGCHLD), 'exit_signal');
    // arg_start..arg_end holds "./main" and its NUL.
    assert.equal(Number(f[49 - 1]) - Number(f[48 - 1]), './main'.length + 1);
    assert.equal(f[52 - 1], '0');
  });

  it('prints task/TID/stat of one thread, with exit_signal -1 and its own wchan', () => {
    const { k, main } = family();
    const f = statFields(read(k, main, '3/task/4/stat'));
    assert.equal(f.length, 52);
    assert.deepEqual([f[0], f[2], f[3], f[19], f[34], f[37]], ['4', 'S', '1', '2', '1', '-1']);
  });

  it('prints /proc/PID/status in Linux 6.x order with the signal masks as 16 hex digits', () => {
    const { k, main } = family();
    const s = status(read(k, main, '3/status'));
    assert.deepEqual([...s.keys()].slice(0, 18), ['Name', 'Umask', 'State', 'Tgid', 'Ngid', 'Pid', 'PPid', 'TracerPid', 'Uid', 'Gid', 'FDSize', 'Groups', 'NStgid', 'NSpid', 'NSpgid', 'NSsid', 'Kthread', 'VmPeak']);
    assert.deepEqual([s.get('Name'), s.get('State'), s.get('Tgid'), s.get('Pid'), s.get('PPid'), s.get('Threads')], ['main', 'S (sleeping)', '3', '3', '1', '2']);
    assert.equal(s.get('Uid'), '1000\t1000\t1000\t1000');
    assert.equal(s.get('FDSize'), '64');
    assert.equal(s.get('SigBlk'), '0000000000000200');
    assert.equal(s.get('SigCgt'), '0000000000000002');
    assert.equal(s.get('SigIgn'), '0000000200000000', 'signal 34 (SIGRTMIN) is bit 33');
    assert.equal(s.get('CapEff'), '0000000000000000');
    assert.match(s.get('VmRSS') ?? '', /^ {4,7}\d+ kB$/);
    const t = status(read(k, main, '3/task/4/status'));
    assert.deepEqual([t.get('Tgid'), t.get('Pid'), t.get('State')], ['3', '4', 'S (sleeping)']);
    assert.equal(read(k, main, '3/comm'), 'main\n');
    assert.equal(read(k, main, '3/cmdline'), './main\0');
  });

  it('shows a zombie as Linux does: Z, no Umask or Vm lines, empty cmdline, the wait status in stat', () => {
    const { k, main } = family();
    const text = read(k, main, '5/status');
    const s = status(text);
    assert.equal(s.get('State'), 'Z (zombie)');
    assert.equal(s.get('PPid'), '3');
    assert.equal(s.get('FDSize'), '0');
    assert.ok(!s.has('Umask') && !s.has('VmRSS') && !s.has('CoreDumping'), text);
    assert.equal(s.get('Threads'), '1');
    assert.equal(read(k, main, '5/cmdline'), '');
    const f = statFields(read(k, main, '5/stat'));
    assert.equal(f[2], 'Z');
    assert.deepEqual(f.slice(22, 24), ['0', '0'], 'vsize, rss');
    assert.deepEqual(f.slice(44, 51), ['0', '0', '0', '0', '0', '0', '0']);
    assert.equal(f[51], String(3 << 8), 'exit_code: the wait status');
  });

  it('shows a kernel thread without an mm: Kthread 1, no Vm lines, empty cmdline; and hides what another user may not see', () => {
    const { k, main } = family();
    const s = status(read(k, main, '2/status'));
    assert.equal(s.get('Name'), 'kthreadd');
    assert.equal(s.get('Kthread'), '1');
    assert.equal(s.get('PPid'), '0');
    assert.ok(!s.has('VmSize'));
    assert.equal(read(k, main, '2/cmdline'), '');
    const f = statFields(read(k, main, '2/stat'));
    // A uid 1000 viewer may not ptrace a root kernel thread: wchan and exit_code read 0.
    assert.equal(f[34], '0');
    const asRoot = statFields(read(k, k.pid_hash.get(1) as task_struct, '2/stat'));
    assert.equal(asRoot[34], '1');
  });

  it('reports R for the running task, T for a stopped one, and the nice value set by nice()', () => {
    const r = runSource(`${HEADERS}
int main(void)
{
    pid_t c = fork();
    if (c == 0) {
        for (;;)
            ;
    }
    if (fork() == 0) {
        raise(SIGSTOP);
        exit(0);
    }
    nice(5);
    for (;;)
        ;
}
`, {}, 1000);
    assert.equal(r.reason, 'limit');
    const k = r.engine.k;
    const main = k.pid_hash.get(3) as task_struct;
    const states = [3, 4, 5].map((p) => statFields(read(k, main, `${p}/stat`))[2]);
    assert.deepEqual(states.sort(), ['R', 'R', 'T']);
    assert.equal(status(read(k, main, '5/status')).get('State'), 'T (stopped)');
    const f = statFields(read(k, main, '3/stat'));
    assert.deepEqual([f[17], f[18]], ['25', '5']);
  });

  it('counts utime in clock ticks of the run time (the threads of the group summed), and the start time since boot', () => {
    const r = runSource(`${HEADERS}
void *worker(void *arg)
{
    pause();
    return 0;
}
int main(void)
{
    pthread_t t;
    sleep(2);
    pthread_create(&t, NULL, worker, NULL);
    pause();
    return 0;
}
`);
    const k = r.engine.k;
    const main = k.pid_hash.get(3) as task_struct;
    const thread = k.pid_hash.get(4) as task_struct;
    // A spinning task takes about a millisecond of test time per step: give the two threads the
    // run time of 25 ms and 17 ms directly rather than spin for tens of thousands of steps.
    main.se.sum_exec_runtime += 25e6;
    thread.se.sum_exec_runtime += 17e6;
    const ticks = (t: task_struct): number => Math.floor(t.se.sum_exec_runtime / 1e7);
    const whole = statFields(read(k, main, 'self/stat'));
    const one = statFields(read(k, main, 'self/task/4/stat'));
    assert.equal(one[13], String(ticks(thread)), 'utime of the thread');
    assert.equal(whole[13], String(Math.floor((main.se.sum_exec_runtime + thread.se.sum_exec_runtime) / 1e7)), 'utime of the group');
    assert.ok(Number(whole[13]) >= 4);
    assert.deepEqual([whole[14], one[14]], ['0', '0'], 'stime: no tick samples, cputime_adjust gives it all to utime');
    assert.equal(whole[21], '0', 'main started at boot');
    assert.ok(Number(one[21]) >= 200 && Number(one[21]) < 210, `starttime ${one[21]} ticks: after the 2 s sleep`);
    const [up, idle] = read(k, main, 'uptime').slice(0, -1).split(' ');
    assert.ok(Number(up) >= 2 && /^\d+\.\d\d$/.test(up) && /^\d+\.\d\d$/.test(idle), `${up} ${idle}`);
    assert.match(read(k, main, 'loadavg'), /^0\.00 0\.00 0\.00 0\/4 4\n$/);
  });

  it('keeps the run time of a thread that has exited in the group\'s stat (signal->sum_sched_runtime)', () => {
    const engine = bootSource(`${HEADERS}
void *worker(void *arg)
{
    return 0;
}
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    pause();
    return 0;
}
`);
    const k = engine.k;
    let given = false;
    let end;
    do {
      end = engine.run(5, 1_000_000);
      const thread = k.pid_hash.get(4);
      if (thread && !given) { thread.se.sum_exec_runtime += 25e6; given = true; }
    } while (end.reason === 'slice');
    assert.ok(given && k.pid_hash.get(4) === undefined, 'the thread ran and is gone');
    const main = k.pid_hash.get(3) as task_struct;
    assert.equal(statFields(read(k, main, 'self/stat'))[13], String(Math.floor((main.se.sum_exec_runtime + 25e6) / 1e7)));
    assert.equal(statFields(read(k, main, 'self/task/3/stat'))[13], String(Math.floor(main.se.sum_exec_runtime / 1e7)));
  });

  it('adds a reaped child\'s run time (and its own reaped children\'s) to cutime, as wait_task_zombie does', () => {
    const engine = bootSource(`${HEADERS}
int main(void)
{
    if (fork() == 0) {
        if (fork() == 0)
            exit(0);
        sleep(1);
        wait(NULL);
        exit(0);
    }
    sleep(2);
    wait(NULL);
    pause();
    return 0;
}
`);
    const k = engine.k;
    const main = k.pid_hash.get(3) as task_struct;
    let added = 0;
    let end;
    // Each task gets 15 ms more run time while it is a zombie, before its parent reaps it.
    do {
      end = engine.run(20, 1_000_000);
      for (const t of k.allTasks()) {
        if (t.exit_state === C.EXIT_ZOMBIE && t.se.sum_exec_runtime < 15e6) { t.se.sum_exec_runtime += 15e6; added++; }
      }
    } while (end.reason === 'slice');
    assert.equal(added, 2, 'the child and the grandchild were zombies once');
    assert.equal(k.pid_hash.get(4), undefined, 'the child was reaped');
    const f = statFields(read(k, main, 'self/stat'));
    // 30 ms and the little the two ran themselves: 3 ticks.
    assert.equal(f[15], '3', 'cutime');
    assert.equal(f[16], '0', 'cstime');
  });

  it('gives numbers of the viewer\'s pid namespace, with NSpid listing each level below it', () => {
    const r = runSource(`#pragma kproc uid 0\n#define _GNU_SOURCE\n#include <sched.h>\n${HEADERS}
int main(void)
{
    unshare(CLONE_NEWPID);
    if (fork() == 0) {
        if (fork() == 0)
            pause();
        pause();
    }
    pause();
    return 0;
}
`);
    const k = r.engine.k;
    const main = k.pid_hash.get(3) as task_struct;
    const init = k.pid_hash.get(4) as task_struct;
    const s = status(read(k, main, '5/status'));
    assert.deepEqual([s.get('Pid'), s.get('PPid'), s.get('NSpid'), s.get('NStgid')], ['5', '4', '5\t2', '5\t2']);
    // From inside: the namespace's own numbers, its parent outside it reads 0.
    assert.deepEqual(list(k, init, ''), ['sys', 'uptime', 'loadavg', 'self', 'thread-self', '1', '2']);
    assert.equal(link(k, init, 'self'), '1');
    const inside = status(read(k, init, '1/status'));
    assert.deepEqual([inside.get('Pid'), inside.get('PPid'), inside.get('NSpid')], ['1', '0', '1']);
    assert.equal(field(read(k, init, '2/stat'), 4), '1');
    assert.equal(node(k, init, '3'), null, 'main is outside the namespace');
  });

  it('gives an exec\'d program its argv as cmdline and its file name as comm', () => {
    const r = runSource(`${HEADERS}
int main(void)
{
    if (fork() == 0)
        execl("/bin/sleep", "sleep", "100", NULL);
    for (;;)
        ;
}
`, {}, 1000);
    const k = r.engine.k;
    const main = k.pid_hash.get(3) as task_struct;
    assert.equal(read(k, main, '4/cmdline'), 'sleep\x00100\x00');
    assert.equal(read(k, main, '4/comm'), 'sleep\n');
    assert.equal(field(read(k, main, '4/stat'), 2), '(sleep)');
  });
});

// ---- against the real kernel ----------------------------------------------------------------

/**
 * The same situation on this machine's kernel: a process with a sleeping thread and a zombie
 * child, printing its own status and stat, its thread's stat and the zombie's status and stat.
 */
const REAL = `#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
static volatile long tid;
static void cat(const char *name, const char *path)
{
    FILE *f = fopen(path, "r");
    int c;
    printf("==%s\\n", name);
    while ((c = fgetc(f)) != EOF)
        putchar(c == 0 ? '@' : c);
    fclose(f);
}
static void *worker(void *arg)
{
    tid = syscall(SYS_gettid);
    pause();
    return 0;
}
int main(void)
{
    pthread_t t;
    char path[64];
    pthread_create(&t, NULL, worker, NULL);
    pid_t c = fork();
    if (c == 0)
        _exit(3);
    usleep(200000);
    cat("status", "/proc/self/status");
    cat("stat", "/proc/self/stat");
    cat("cmdline", "/proc/self/cmdline");
    printf("\\n");
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
    cat("thread-stat", path);
    snprintf(path, sizeof path, "/proc/%d/status", c);
    cat("zombie-status", path);
    snprintf(path, sizeof path, "/proc/%d/stat", c);
    cat("zombie-stat", path);
    cat("kthread-status", "/proc/2/status");
    return 0;
}
`;

/** What must agree of a status value: its format, not the number in it. */
function shape(key: string, v: string): string {
  if (key === 'Name' || key.startsWith('Speculation')) return 'text';
  if (key === 'State') return /^[RSDTtXZPI] \([a-z ]+\)$/.test(v) ? 'state' : `bad state ${v}`;
  if (key === 'Groups') return /^(\d+( \d+)*)? $/.test(v) ? 'groups' : `bad groups ${JSON.stringify(v)}`;
  if (key === 'Cpus_allowed') return /^[0-9a-f]+(,[0-9a-f]{8})*$/.test(v) ? 'cpumask' : `bad mask ${v}`;
  if (key.endsWith('_list')) return /^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(v) ? 'list' : `bad list ${v}`;
  const kb = /^( *)(\d+) kB$/.exec(v);
  if (kb) return v.length === Math.max(11, kb[2].length + 3) ? 'kB8' : `bad kB ${JSON.stringify(v)}`;
  if (/^[0-9a-f]{16}$/.test(v)) return 'hex16';
  if (/^[0-9a-f]{8}(,[0-9a-f]{8})*$/.test(v)) return `hex8x${v.split(',').length}`;
  return v.replace(/\d+/g, 'N');
}
function statusShape(text: string): string[] {
  assert.ok(text.endsWith('\n'));
  return text.slice(0, -1).split('\n').map((l) => { const i = l.indexOf(':\t'); return `${l.slice(0, i)}: ${shape(l.slice(0, i), l.slice(i + 2))}`; });
}
/** What must agree of a stat line: 52 fields, integers after the comm, and which fields are 0 where Linux prints 0. */
function statShape(line: string, zeroFields: number[]): string[] {
  const f = statFields(line);
  return [
    `fields ${f.length}`, `comm ${/^\(.*\)$/.test(f[1])}`, `state ${/^[RSDTtXZPI]$/.test(f[2])}`,
    `integers ${f.slice(3).every((x) => /^-?\d+$/.test(x))}`,
    ...zeroFields.map((n) => `field ${n} ${f[n - 1] === '0' ? 'zero' : 'set'}`),
  ];
}
/** vsize..startstack, kstkesp, kstkeip, nswap, cnswap, start_data..env_end, exit_code. */
const LAYOUT_FIELDS = [23, 24, 26, 27, 28, 29, 30, 36, 37, 45, 46, 47, 48, 49, 50, 51, 52];

describe('procfs against the real kernel', function () {
  this.timeout(60000);
  let real: Map<string, string>;
  let sim: Map<string, string>;

  before(function () {
    if (!existsSync('/usr/bin/gcc') || !existsSync('/proc/self/stat')) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'kproc-procfs-'));
    const src = join(dir, 'procfs.c');
    writeFileSync(src, REAL);
    const exe = join(dir, 'procfs');
    const cc = spawnSync('gcc', ['-O0', '-pthread', '-o', exe, src], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const run = spawnSync(exe, [], { encoding: 'utf8', timeout: 20000 });
    assert.equal(run.status, 0, run.stderr);
    real = new Map(run.stdout.split(/^==/m).slice(1).map((part) => [part.slice(0, part.indexOf('\n')), part.slice(part.indexOf('\n') + 1)]));
    const r = runSource(FAMILY);
    const k = r.engine.k;
    const main = k.pid_hash.get(3) as task_struct;
    sim = new Map([
      ['status', read(k, main, 'self/status')], ['stat', read(k, main, 'self/stat')],
      ['cmdline', `${read(k, main, 'self/cmdline').replace(/\0/g, '@')}\n`], ['thread-stat', read(k, main, 'self/task/4/stat')],
      ['zombie-status', read(k, main, '5/status')], ['zombie-stat', read(k, main, '5/stat')],
      ['kthread-status', read(k, main, '2/status')],
    ]);
  });

  it('prints the same status lines in the same order and format, for a live process and a zombie', () => {
    for (const which of ['status', 'zombie-status']) {
      assert.deepEqual(statusShape(sim.get(which) ?? ''), statusShape(real.get(which) ?? ''), which);
    }
  });

  it('prints the status lines of a kernel thread (kthreadd) as Linux does, without the mm lines', function () {
    // Only where pid 2 is kthreadd (not in a container's pid namespace).
    if (!(real.get('kthread-status') ?? '').startsWith('Name:\tkthreadd\n')) this.skip();
    assert.deepEqual(statusShape(sim.get('kthread-status') ?? ''), statusShape(real.get('kthread-status') ?? ''));
  });

  it('prints stat with the same fields, zero in the same places, for the process, a thread and a zombie', () => {
    for (const which of ['stat', 'thread-stat', 'zombie-stat']) {
      assert.deepEqual(statShape(sim.get(which) ?? '', LAYOUT_FIELDS), statShape(real.get(which) ?? '', LAYOUT_FIELDS), which);
    }
  });

  it('separates cmdline arguments with NULs, ending with one', () => {
    assert.match(real.get('cmdline') ?? '', /^[^@]+@\n$/);
    assert.match(sim.get('cmdline') ?? '', /^[^@]+@\n$/);
  });
});
