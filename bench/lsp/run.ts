// Language-server latency through a real LSP client over stdio (node dist/server.js --stdio):
// didChange on a 10,000-line scenario until its diagnostics arrive, and completion round trips,
// next to the round trip of a trivial request as a baseline for a noisy machine; then the time of
// one edit by document size, up to 15 MB, as a ratio to the same edit on a tiny document.
// Run: npm run build && npx tsx bench/lsp/run.ts [--runs N] [--edits N]. Prints figures; asserts nothing.
import { performance } from 'node:perf_hooks';
import { CompletionRequest, HoverRequest, type Position } from 'vscode-languageserver/node';
import { MAX_ANALYSED_CHARS } from '../../extension/server/documents';
import { LspClient } from '../../test/server/client';

const LINES = 10_000;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 100;
const editsArg = process.argv.indexOf('--edits');
const EDITS = editsArg > 0 ? Number(process.argv[editsArg + 1]) : 10;

/** A scenario of `lines` lines: helpers that fork, wait and signal, then a main that calls them. */
export function scenario(lines: number): string {
  const out = ['#include <stdio.h>', '#include <stdlib.h>', '#include <unistd.h>', '#include <sys/wait.h>', '#pragma kproc pid_max 4096', ''];
  let n = 0;
  while (out.length < lines - 12) {
    out.push(
      `int step_${n}(int depth)`,
      '{',
      '    int wstatus = 0;',
      '    pid_t pid = fork();',
      '    if (pid == 0) {',
      `        printf("child %d at depth %d\\n", getpid(), depth + ${n});`,
      `        _exit(depth & ${n % 250});`,
      '    }',
      '    if (waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus))',
      '        return WEXITSTATUS(wstatus);',
      '    kill(pid, SIGKILL);',
      '    return -1;',
      '}',
      '',
    );
    n++;
  }
  out.push('int main(void)', '{', '    int total = 0;');
  for (let i = 0; i < Math.min(n, 5); i++) out.push(`    total += step_${i}(${i});`);
  out.push('    ', '    return total > 0 ? EXIT_SUCCESS : EXIT_FAILURE;', '}');
  while (out.length < lines) out.push('');
  return out.join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function p90(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.9)];
}

function fmt(label: string, xs: number[], target?: number): string {
  const m = median(xs);
  const verdict = target === undefined ? '' : m <= target ? `  (target ${target} ms: met)` : `  (target ${target} ms: MISSED)`;
  return `${label.padEnd(44)} median ${m.toFixed(2).padStart(7)} ms   p90 ${p90(xs).toFixed(2).padStart(7)} ms${verdict}`;
}

async function main(): Promise<void> {
  const c = new LspClient();
  await c.initialize();
  const text = scenario(LINES);
  const lines = text.split('\n');
  const big = 'file:///bench/big.kproc';
  const tiny = 'file:///bench/tiny.kproc';
  await c.diagnostics(big, await c.open(big, text));
  await c.diagnostics(tiny, await c.open(tiny, 'int main(void) { return 0; }\n'));

  const blankLine = lines.findIndex((l) => l === '    ' && lines.indexOf(l) > LINES - 20);
  const edit: Position = { line: blankLine, character: 4 };
  const afterPipe: Position = { line: blankLine, character: 4 };

  const baseline: number[] = [];
  const diag: number[] = [];
  const completion: number[] = [];
  const completionAfterEdit: number[] = [];
  let published = 0;
  for (let i = 0; i < RUNS + 5; i++) {
    const warm = i < 5;
    let t = performance.now();
    await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: tiny }, position: { line: 0, character: 3 } });
    if (!warm) baseline.push(performance.now() - t);

    // Type one character on main's blank line, then delete it: two versions, two publications.
    for (const change of [{ text: 'k' }, { text: '' }]) {
      const range = change.text === 'k' ? { start: edit, end: edit } : { start: edit, end: { line: edit.line, character: 5 } };
      t = performance.now();
      const v = await c.change(big, [{ range, text: change.text }]);
      const d = await c.diagnostics(big, v);
      if (!warm) diag.push(performance.now() - t);
      published = d.diagnostics.length;
    }

    t = performance.now();
    const items = await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: big }, position: afterPipe });
    if (!warm) completion.push(performance.now() - t);
    if (!items || !('items' in items) || items.items.length === 0) throw new Error('completion returned nothing');

    const v = await c.change(big, [{ range: { start: edit, end: edit }, text: 'w' }]);
    t = performance.now();
    await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: big }, position: { line: edit.line, character: 5 } });
    if (!warm) completionAfterEdit.push(performance.now() - t);
    await c.diagnostics(big, v);
    await c.diagnostics(big, await c.change(big, [{ range: { start: edit, end: { line: edit.line, character: 5 } }, text: '' }]));
  }
  await c.close();

  console.log(`LSP over stdio, ${LINES}-line scenario (${text.length} chars), ${RUNS} runs each, ${published} diagnostics on the big file`);
  console.log(fmt('baseline: hover round trip on a tiny file', baseline));
  console.log(fmt('didChange -> publishDiagnostics (10k lines)', diag, 50));
  console.log(fmt('completion round trip (10k lines)', completion, 10));
  console.log(fmt('completion right after an edit (reanalyses)', completionAfterEdit));
  console.log(`diagnostics / baseline: ${(median(diag) / median(baseline)).toFixed(1)}x   completion / baseline: ${(median(completion) / median(baseline)).toFixed(1)}x`);
  await bySize();
}

/** `chars` characters of a valid scenario: whole copies of scenario(10,000), their mains renamed, then blank lines. */
function validOf(chars: number): string {
  const one = scenario(LINES);
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; ; i++) {
    const part = `${i === 0 ? one : one.replace('int main(void)', `int main_${i}(void)`)}\n`;
    if (n + part.length > chars) break;
    parts.push(part);
    n += part.length;
  }
  return parts.join('') + '\n'.repeat(chars - n);
}

/** `chars` characters of printable garbage, in lines of 80, from a fixed seed. */
function garbageOf(chars: number): string {
  let seed = 12345;
  const out: string[] = [];
  for (let i = 0; i < chars; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out.push(i % 81 === 80 ? '\n' : String.fromCharCode(32 + ((seed >>> 16) % 95)));
  }
  return out.join('');
}

/** The time of one edit (a character typed, then deleted) until its diagnostics arrive, by document size. */
async function bySize(): Promise<void> {
  const c = new LspClient();
  await c.initialize();
  const docs: Array<[string, string]> = [
    ['tiny scenario (baseline)', 'int main(void)\n{\n    return 0;\n}\n'],
    ['10,000-line scenario', scenario(LINES)],
    [`valid, just under the limit (${MAX_ANALYSED_CHARS} chars)`, validOf(MAX_ANALYSED_CHARS)],
    ['valid, 15 MB (above the limit)', validOf(15_000_000)],
    ['garbage, 15 MB (above the limit)', garbageOf(15_000_000)],
  ];
  const medians: number[] = [];
  console.log(`\nOne edit until its diagnostics arrive, by document size (${EDITS} edits each, after one warm-up)`);
  for (const [i, [label, text]] of docs.entries()) {
    const uri = `file:///bench/size-${i}.kproc`;
    let t = performance.now();
    await c.diagnostics(uri, await c.open(uri, text));
    const open = performance.now() - t;
    const times: number[] = [];
    const at: Position = { line: 1, character: 0 };
    for (let k = 0; k <= EDITS; k++) {
      for (const change of [{ range: { start: at, end: at }, text: ' ' }, { range: { start: at, end: { line: 1, character: 1 } }, text: '' }]) {
        t = performance.now();
        await c.diagnostics(uri, await c.change(uri, [change]));
        if (k > 0) times.push(performance.now() - t);
      }
    }
    medians.push(median(times));
    const ratio = medians[0] > 0 ? median(times) / medians[0] : 0;
    console.log(`${label.padEnd(44)} ${(text.length / 1e6).toFixed(2).padStart(6)} MB   open ${open.toFixed(0).padStart(6)} ms   edit median ${median(times).toFixed(1).padStart(7)} ms   ${ratio.toFixed(1).padStart(7)}x the tiny one`);
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  await c.close();
}

if (require.main === module) void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
