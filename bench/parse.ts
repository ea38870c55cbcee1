// Parser and checker throughput on a generated 10,000-line scenario, printed as lines per second
// and as a ratio to a newline-counting scan of the same text (stable across noisy machines).
// Run: npx tsx bench/parse.ts
import { parse } from '../sim-core/lang/parser';
import { check } from '../sim-core/lang/check';

function scenario(lines: number): string {
  const out: string[] = ['#include <stdio.h>', '#include <stdlib.h>', '#include <unistd.h>', '#include <sys/wait.h>',
    '#define ROUNDS 3', ''];
  let n = 0;
  while (out.length < lines - 40) {
    out.push(
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
    );
    n++;
  }
  out.push('int main(void)', '{', '    int status = 0;', '    int total = 0;');
  for (let i = 0; i < n && out.length < lines - 3; i++) out.push(`    total += worker_${i}(${i % 5}, &status);`);
  out.push('    return total > 0 ? EXIT_SUCCESS : EXIT_FAILURE;', '}');
  return out.join('\n') + '\n';
}

function countNewlines(text: string): number {
  let k = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) k++;
  return k;
}

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

const text = scenario(10000);
const lineCount = countNewlines(text);
const first = parse(text);
const diags = [...first.diagnostics, ...check(first.program, text)];
if (diags.length > 0) {
  console.error(`generated scenario has ${diags.length} diagnostics, first: ${diags[0].message}`);
  process.exit(1);
}
// Warm up the JIT before measuring.
for (let i = 0; i < 20; i++) check(parse(text).program, text);

let sink = 0;
const scanMs = time(() => { sink += countNewlines(text); }, 500);
const parseMs = time(() => { sink += parse(text).program.items.length; }, 1500);
const bothMs = time(() => { const r = parse(text); sink += check(r.program, text).length; }, 1500);

const lps = (ms: number): string => `${Math.round(lineCount / (ms / 1000)).toLocaleString('en-US')} lines/s`;
console.log(`scenario: ${lineCount} lines, ${text.length} characters`);
console.log(`newline scan:    ${scanMs.toFixed(3)} ms  ${lps(scanMs)}`);
console.log(`parse:           ${parseMs.toFixed(3)} ms  ${lps(parseMs)}  (${(parseMs / scanMs).toFixed(1)}x the scan)`);
console.log(`parse + check:   ${bothMs.toFixed(3)} ms  ${lps(bothMs)}  (${(bothMs / scanMs).toFixed(1)}x the scan)`);
console.log(`target 1,000,000 lines/s for parse + check: ${lineCount / (bothMs / 1000) >= 1e6 ? 'met' : 'NOT met'}${sink < 0 ? '' : ''}`);
