// Parser and checker throughput on a generated 10,000-line scenario, printed as lines per second and
// as a ratio to a newline-counting scan of the same text (steadier than lines/s on a busy machine).
// Run: npx tsx bench/parse.ts [--source]. By default it measures the front end as it ships: one
// esbuild bundle, as in dist/; --source measures the TypeScript modules as tsx loads them.
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import * as sourceLang from '../sim-core/lang/index';

type Lang = typeof sourceLang;

function bundledLang(): Lang {
  const out = buildSync({
    entryPoints: [path.join(__dirname, '../sim-core/lang/index.ts')], bundle: true, platform: 'node', format: 'cjs',
    target: 'node18', write: false, logLevel: 'silent',
  });
  const mod = { exports: {} as Lang };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, require);
  return mod.exports;
}

/** Four kinds of function in turn: fork/wait, a reaping switch, a SIGCHLD handler, exec with retries. */
function unit(n: number): string[] {
  switch (n % 4) {
    case 0: return [
      `int worker_${n}(int round, int *status)`,
      '{',
      '    pid_t pid = fork();',
      '    if (pid < 0) {',
      '        perror("fork"); /* EAGAIN when pid_max is reached */',
      '        return -1;',
      '    }',
      '    if (pid == 0) {',
      `        printf("child %d of worker ${n}, round %d\\n", getpid(), round);`,
      `        exit(round + ${n % 200});`,
      '    }',
      '    for (int i = 0; i < ROUNDS; i++)',
      '        *status += (i * 3) % 7 + (CLONE_VM | SIGCHLD);',
      '    if (waitpid(pid, status, 0) == pid && WIFEXITED(*status))',
      '        return WEXITSTATUS(*status);',
      '    return 0;',
      '}',
      '',
    ];
    case 1: return [
      `/* Reaps every finished child without blocking and counts how each one ended. */`,
      `int reap_${n}(int *counts)`,
      '{',
      '    int status = 0;',
      '    pid_t pid;',
      '',
      '    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {',
      '        switch (WIFEXITED(status) ? WEXITSTATUS(status) : -1) {',
      '        case 0:',
      '            counts[0]++;',
      '            break;',
      '        case 1:',
      '        case 2:',
      '            counts[1] += 1;',
      '            break;',
      '        default:',
      '            if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)',
      '                counts[2]++; // killed, not exited',
      '            break;',
      '        }',
      '    }',
      '    return pid == -1 && errno == ECHILD ? 0 : 1;',
      '}',
      '',
    ];
    case 2: return [
      `void on_sigchld_${n}(int sig)`,
      '{',
      '    (void)sig;',
      '    while (waitpid(-1, NULL, WNOHANG) > 0)',
      '        ;',
      '}',
      '',
      `int install_${n}(void)`,
      '{',
      `    struct sigaction sa = { .sa_handler = on_sigchld_${n} };`,
      '',
      '    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;',
      '    sigemptyset(&sa.sa_mask);',
      '    if (sigaction(SIGCHLD, &sa, NULL) < 0) {',
      '        perror("sigaction");',
      '        return -1;',
      '    }',
      `    return kill(getpid(), ${n % 2 ? 'SIGUSR1' : '0'}) == 0 ? 0 : -1;`,
      '}',
      '',
    ];
    default: return [
      `long spawn_${n}(const char *path, int tries)`,
      '{',
      '    pid_t pid;',
      '    int wstatus = 0;',
      '',
      '    do {',
      '        pid = fork();',
      '        if (pid == 0) {',
      '            execl(path, path, "-n", (char *)NULL);',
      "            _exit(127); /* only reached when execl fails */",
      '        }',
      '        tries--;',
      '    } while (pid < 0 && errno == EAGAIN && tries > 0);',
      '    if (pid > 0 && kill(pid, 0) == 0)',
      '        waitpid(pid, &wstatus, 0);',
      `    return pid > 0 ? (long)wstatus >> 8 : ${-(n % 100) - 1}L;`,
      '}',
      '',
    ];
  }
}

function call(n: number): string {
  switch (n % 4) {
    case 0: return `    total += worker_${n}(${n % 5}, &status);`;
    case 1: return `    total += reap_${n}(counts);`;
    case 2: return `    total += install_${n}();`;
    default: return `    total += spawn_${n}("/bin/true", ${1 + (n % 3)});`;
  }
}

function scenario(lines: number): string {
  const out: string[] = ['// Generated benchmark scenario: many small process-management functions.',
    '#include <stdio.h>', '#include <stdlib.h>', '#include <signal.h>', '#include <errno.h>', '#include <unistd.h>',
    '#include <sys/wait.h>', '', '#pragma kproc cpus 2', '#pragma kproc seed 42', '#define ROUNDS 3', ''];
  let n = 0;
  // Leave room for main: a few lines plus one call per unit.
  while (out.length + 24 + (n + 1) + 8 < lines) out.push(...unit(n++));
  out.push('int main(void)', '{', '    int status = 0;', '    int counts[3] = { 0, 0, 0 };', '    long total = 0;', '');
  for (let i = 0; i < n; i++) out.push(call(i));
  while (out.length < lines - 2) out.push('    sched_yield();');
  out.push('    return total > 0 ? EXIT_SUCCESS : EXIT_FAILURE;', '}');
  return out.join('\n') + '\n';
}

function countNewlines(text: string): number {
  let k = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) k++;
  return k;
}

/** Mean milliseconds per call over at least `minMs`. */
function time(fn: () => void, minMs: number): number {
  let reps = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  do {
    fn();
    reps++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  } while (elapsed < minMs);
  return elapsed / reps;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const fromSource = process.argv.includes('--source');
const { parse, check } = fromSource ? sourceLang : bundledLang();
const text = scenario(10000);
const lineCount = countNewlines(text);
const first = parse(text);
const diags = [...first.diagnostics, ...check(first.program, text)];
if (diags.length > 0) {
  console.error(`generated scenario has ${diags.length} diagnostics, first: ${diags[0].message} at ${diags[0].range.start}`);
  process.exit(1);
}
// Warm up the JIT before measuring.
for (let i = 0; i < 30; i++) check(parse(text).program, text);

let sink = 0;
const ROUNDS = 7;
const scan: number[] = [];
const parseOnly: number[] = [];
const both: number[] = [];
// Rounds interleave the three measurements, so a burst of load elsewhere hits all of them alike.
for (let r = 0; r < ROUNDS; r++) {
  scan.push(time(() => { sink += countNewlines(text); }, 100));
  parseOnly.push(time(() => { sink += parse(text).program.items.length; }, 250));
  both.push(time(() => { const p = parse(text); sink += check(p.program, text).length; }, 400));
}
const bothRatios = both.map((b, i) => b / scan[i]);
const parseRatios = parseOnly.map((p, i) => p / scan[i]);

const lps = (ms: number): string => `${Math.round(lineCount / (ms / 1000)).toLocaleString('en-US')} lines/s`;
const best = (xs: number[]): number => Math.min(...xs);
console.log(`front end: ${fromSource ? 'TypeScript modules loaded by tsx' : 'esbuild bundle (as shipped)'}`);
console.log(`scenario: ${lineCount} lines, ${text.length} characters, ${first.program.items.length} top-level items`);
console.log(`medians of ${ROUNDS} rounds (best in brackets):`);
console.log(`newline scan:    ${median(scan).toFixed(3)} ms  ${lps(median(scan))}`);
console.log(`parse:           ${median(parseOnly).toFixed(3)} ms  ${lps(median(parseOnly))}  [${lps(best(parseOnly))}]  ${median(parseRatios).toFixed(1)}x the scan`);
console.log(`parse + check:   ${median(both).toFixed(3)} ms  ${lps(median(both))}  [${lps(best(both))}]  ${median(bothRatios).toFixed(1)}x the scan`);
console.log(`target 1,000,000 lines/s for parse + check: ${lineCount / (median(both) / 1000) >= 1e6 ? 'met' : 'NOT met'} (median)${sink < 0 ? '' : ''}`);
