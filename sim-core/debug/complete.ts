// Completions for the debug console: the gdb-helper commands, the $lx_ convenience functions,
// names in scope, field names after `->` or `.`, and the moments lx-goto travels to.

import { GOTO_EVENTS } from './goto';

export interface Completion {
  label: string;
  type: 'function' | 'field' | 'variable' | 'keyword' | 'value';
  detail?: string;
  /** Where the replaced text begins, when it is not the word before the cursor. */
  start?: number;
}

export const CONSOLE_COMMANDS: ReadonlyArray<[string, string]> = [
  ['lx-ps', 'list every task: address, pid, tgid, ppid, state, comm'],
  ['lx-pstree', 'the process tree, as pstree -p draws it'],
  ['lx-dmesg', 'the kernel log with timestamps'],
  ['lx-list-check', 'check a list_head for corruption (default: init_task.tasks)'],
  ['lx-goto', 'travel to a moment: lx-goto zombie 5, lx-goto signal 5 TERM forward, lx-goto step 120000, lx-goto time 12.5ms, lx-goto start'],
  ['bt', 'backtrace of the current task, kernel frames first'],
  ['info threads', 'every task with its top frame'],
  ['p', 'print the value of a C expression'],
  ['help', 'what the console understands'],
];

export const CONVENIENCE_FUNCTIONS: ReadonlyArray<[string, string]> = [
  ['$lx_current()', 'the task_struct of the stopped task (current)'],
  ['$lx_task_by_pid(', 'the task_struct of a pid: $lx_task_by_pid(3)'],
  ['$container_of(', '$container_of(ptr, "struct task_struct", "sibling"): the struct a list_head is embedded in'],
];

export interface CompletionScope {
  names: readonly string[];
  /** Field names of struct task_struct (and of whatever `->` may follow). */
  fields: readonly string[];
  functions: readonly string[];
}

/** Candidates for the word that ends at `column` (0-based) of `text`; `start` is where it begins. */
export function complete(text: string, column: number, scope: CompletionScope): { items: Completion[]; start: number } {
  const before = text.slice(0, column);
  const member = /(->|\.)\s*([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
  if (member) {
    const word = member[2] ?? '';
    const start = column - word.length;
    return { start, items: scope.fields.filter((f) => f.startsWith(word)).map((f) => ({ label: f, type: 'field' })) };
  }
  const word = (/[$A-Za-z_][A-Za-z0-9_]*$/.exec(before) ?? [''])[0];
  const start = column - word.length;
  const items: Completion[] = [];
  // Command names hold '-' and ' ' (lx-ps, info threads), so they are matched against the whole line.
  const line = before.trimStart();
  // lx-goto's first word: the kind of moment.
  const moment = /^lx-goto\s+([a-z]*)$/.exec(line);
  if (moment) {
    const kinds: Array<[string, string]> = [['step', 'step N: a machine step'], ['time', 'time T: the first tick at or past a virtual time (12.5ms, 1500us, 3s)'], ['start', 'the start of the run'], ...GOTO_EVENTS.map((e): [string, string] => [e, `${e} PID${e === 'signal' ? ' [SIG]' : ''} [back|forward]`])];
    return { start, items: kinds.filter(([k]) => k.startsWith(moment[1])).map(([label, detail]) => ({ label, type: 'keyword', detail })) };
  }
  if (/^[a-z][-a-z ]*$/.test(line)) {
    for (const [c, d] of CONSOLE_COMMANDS) if (c.startsWith(line) && c !== line) items.push({ label: c, type: 'keyword', detail: d, start: column - line.length });
  }
  for (const [f, d] of CONVENIENCE_FUNCTIONS) if (f.startsWith(word)) items.push({ label: f, type: 'function', detail: d });
  if (before[start - 1] === '-') return { start, items };
  if (!word.startsWith('$')) {
    for (const n of scope.names) if (n.startsWith(word)) items.push({ label: n, type: 'variable' });
    for (const f of scope.functions) if (f.startsWith(word)) items.push({ label: f, type: 'function' });
  }
  return { start, items };
}
