// Hover text from the builtins catalog: what a call does, the kernel path it takes (with the older
// names textbooks use), a constant's value in decimal and hex, and the declaration of scenario names.
import type { Hover, Position } from 'vscode-languageserver';
import type { CallInfo, ConstantInfo, Expr } from '../../../sim-core/lang';
import { hasRole, lookupCall, lookupConstant, lookupDeclMacro, lookupStruct, STRUCT_TABLE, walkStmtExprs, type Sym } from '../../../sim-core/lang';
import { type Analysis, toLspRange } from './analysis';
import { pathAt, pathMarkdown, pragmaKeyAt } from './programs';

/** Where a Linux 6.x name differs from what older kernels and textbooks call it. */
export const OLDER_NAMES: Readonly<Record<string, string>> = {
  kernel_clone: 'called _do_fork until Linux 5.10, and do_fork in older kernels and in Linux Kernel Development',
  send_signal_locked: 'called send_signal before Linux 5.19',
  kill_pid_info: 'called kill_pid_info_as_cred / kill_proc_info in older kernels',
  do_task_dead: 'older kernels ended do_exit with a bare schedule() after setting TASK_DEAD',
  kernel_wait4: 'the body of sys_wait4 in older kernels',
  __x64_sys_fork: 'sys_fork in textbooks (the x86-64 syscall table entry)',
  __x64_sys_vfork: 'sys_vfork in textbooks',
  __x64_sys_clone: 'sys_clone in textbooks',
  __x64_sys_execve: 'sys_execve in textbooks',
  __x64_sys_wait4: 'sys_wait4 in textbooks',
  __x64_sys_exit_group: 'sys_exit_group in textbooks',
  __x64_sys_kill: 'sys_kill in textbooks',
  begin_new_exec: 'called flush_old_exec before Linux 5.8',
  sched_tick: 'called scheduler_tick before Linux 6.10',
  TASK_NEW: 'older kernels left a new task in TASK_UNINTERRUPTIBLE (or TASK_RUNNING) until wake_up_new_task',
  __state: 'the field was called state before Linux 5.14',
};

function md(lines: string[]): Hover['contents'] {
  return { kind: 'markdown', value: lines.filter((l) => l !== '').join('\n\n') };
}

export function signatureOf(c: CallInfo): string {
  const params = c.params.length === 0 ? 'void' : c.params.join(', ');
  const ret = c.returns.endsWith('*') ? c.returns : `${c.returns} `;
  return `${ret}${c.name}(${params})`;
}

export function callMarkdown(c: CallInfo): string[] {
  const out = ['```c\n' + signatureOf(c) + '\n```', c.doc];
  if (c.kernelPath && c.kernelPath.length > 0) {
    out.push(`**Kernel path:** \`${c.name}\` → ${c.kernelPath.map((k) => `\`${k}\``).join(' → ')}`);
    const older = c.kernelPath.filter((k) => OLDER_NAMES[k]).map((k) => `\`${k}\`: ${OLDER_NAMES[k]}.`);
    if (older.length > 0) out.push(`**Older names:** ${older.join(' ')}`);
  }
  const where = c.side === 'kernel' ? 'kernel code only' : c.side === 'user' ? 'user space only' : 'user space and kernel code';
  out.push(`*${c.header}* · ${where}${c.noreturn ? ' · never returns' : ''}${c.returnsOnlyOnError ? ' · returns only on failure' : ''}`);
  return out;
}

function escape(s: string): string {
  return [...s].map((ch) => {
    const code = ch.charCodeAt(0);
    return code < 32 ? `\\${code.toString(8).padStart(3, '0')}` : ch;
  }).join('');
}

/** Value line of a constant: decimal and hex for numbers, the escaped string for printk levels. */
export function valueText(c: ConstantInfo): string {
  if (typeof c.value === 'string') return `"${escape(c.value)}"`;
  if (c.definition === 'LONG_MAX') return 'LONG_MAX = 9223372036854775807 (0x7fffffffffffffff)';
  const v = c.value;
  const hex = v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  return `${v} (${hex})`;
}

export function constantMarkdown(c: ConstantInfo): string[] {
  const dynamic = c.group === 'kernel-var' || c.group === 'libc-var';
  const head = dynamic ? `\`\`\`c\n${c.name}\n\`\`\`` : `\`\`\`c\n#define ${c.name} ${c.definition ?? valueText(c).split(' ')[0]}\n\`\`\``;
  const out = [head, c.doc];
  if (!dynamic) out.push(`**Value:** ${valueText(c)}`);
  if (OLDER_NAMES[c.name]) out.push(`**Older kernels:** ${OLDER_NAMES[c.name]}.`);
  out.push(`*${c.header}* · ${c.group}`);
  return out;
}

function symMarkdown(a: Analysis, s: Sym): string[] {
  const decl = s.kind === 'function' && s.fn
    ? a.text.slice(s.fn.range.start, s.fn.body ? s.fn.body.range.start : s.fn.range.end).trim().replace(/\s*;$/, '')
    : s.kind === 'define' ? a.text.slice(s.range.start, s.range.end).trim()
      : s.type ? `${s.type.name} ${'*'.repeat(s.type.pointer + s.pointer)}${s.name}` : s.name;
  const what: string[] = [];
  if (s.kind === 'param') what.push(`parameter of \`${s.container}\``);
  if (s.kind === 'local') what.push(`local variable of \`${s.container}\``);
  if (s.kind === 'global') what.push('global variable: one copy per address space (fork copies it, CLONE_VM shares it)');
  if (hasRole(s, 'threadFunction')) what.push('runs as the body of a new thread');
  if (hasRole(s, 'kthreadFunction')) what.push('runs as a kernel thread (kthread_create / kthread_run)');
  if (hasRole(s, 'signalHandler')) what.push('signal handler: runs when the signal is delivered');
  if (hasRole(s, 'taskHandle')) what.push('names a task');
  return ['```c\n' + decl + '\n```', what.join(' · ')];
}

/** Field hover for `x.field` and `p->field` when the field belongs to a catalog struct. */
function memberAt(a: Analysis, offset: number): { name: string; range: { start: number; end: number } } | undefined {
  const fn = a.index.functionAt(offset);
  if (!fn?.body) return undefined;
  let found: Extract<Expr, { kind: 'Member' }> | undefined;
  walkStmtExprs(fn.body, (e) => {
    if (e.kind === 'Member' && e.nameRange.start <= offset && offset <= e.nameRange.end) found = e;
  });
  return found ? { name: found.name, range: found.nameRange } : undefined;
}

export function hover(a: Analysis, pos: Position): Hover | null {
  const offset = a.lines.offsetAt(pos);
  const occ = a.index.at(offset);
  if (occ) {
    const range = toLspRange(a, occ.range);
    if (occ.sym) return { contents: md(symMarkdown(a, occ.sym)), range };
    const call = lookupCall(occ.name);
    if (call) return { contents: md(callMarkdown(call)), range };
    const c = lookupConstant(occ.name);
    if (c) return { contents: md(constantMarkdown(c)), range };
    const m = lookupDeclMacro(occ.name);
    if (m) return { contents: md(['```c\n' + `${m.name}(${m.params.join(', ')})` + '\n```', m.doc, `*${m.header}*`]), range };
  }
  const key = pragmaKeyAt(a, offset);
  if (key) return { contents: md(key.lines), range: toLspRange(a, key.range) };
  const path = pathAt(a, offset);
  const pathLines = path && pathMarkdown(path);
  if (path && pathLines) return { contents: md(pathLines), range: toLspRange(a, path.range) };
  const mem = memberAt(a, offset);
  if (mem) {
    for (const st of STRUCT_TABLE.values()) {
      const f = st.fields.find((x) => x.name === mem.name);
      if (!f) continue;
      const older = OLDER_NAMES[f.name] ? [`**Older kernels:** ${OLDER_NAMES[f.name]}.`] : [];
      return { contents: md(['```c\n' + `struct ${st.name} {\n    ${f.type} ${f.name};\n}` + '\n```', f.doc, ...older, `*${st.header}*`]), range: toLspRange(a, mem.range) };
    }
  }
  const word = wordAt(a.text, offset);
  if (word) {
    const st = lookupStruct(word.text);
    if (st) return { contents: md(['```c\nstruct ' + st.name + '\n```', st.doc, `*${st.header}*`]), range: toLspRange(a, word) };
  }
  return null;
}

export function wordAt(text: string, offset: number): { text: string; start: number; end: number } | undefined {
  const isId = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  let s = offset;
  while (s > 0 && isId(text.charCodeAt(s - 1))) s--;
  let e = offset;
  while (e < text.length && isId(text.charCodeAt(e))) e++;
  return e > s ? { text: text.slice(s, e), start: s, end: e } : undefined;
}
