// Completion: calls for the side of the kernel boundary the cursor is on, constants with the group
// the argument expects first (signals for kill, wait options for waitpid, flags after `|`),
// scenario names in scope, struct fields after `.`/`->`, #pragma kproc keys, and snippets.
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver';
import type { ConstantGroup, Sym } from '../../../sim-core/lang';
import { CALLS, CONSTANT_TABLE, DECL_MACRO_TABLE, INT_SETTINGS, PRAGMA_KEYS, kernelFunctions, lookupCall, lookupConstant, lookupStruct } from '../../../sim-core/lang';
import type { Analysis } from './analysis';
import { callAt, lineContext } from './context';
import { callMarkdown, constantMarkdown, signatureOf, valueText } from './hover';
import { SNIPPETS } from './snippets';

type Want = ConstantGroup | 'functions';

/** What each argument of a call expects, so the right names come first. */
const ARG_WANTS: Readonly<Record<string, Readonly<Record<number, Want[]>>>> = {
  kill: { 1: ['signal'] }, raise: { 0: ['signal'] }, signal: { 0: ['signal'], 1: ['sig-handler', 'functions'] },
  sigaction: { 0: ['signal'] }, sigaddset: { 1: ['signal'] }, sigdelset: { 1: ['signal'] }, sigismember: { 1: ['signal'] },
  sigprocmask: { 0: ['sigprocmask'] }, send_sig: { 0: ['signal'] },
  waitpid: { 2: ['wait-option'] }, wait4: { 2: ['wait-option'] }, waitid: { 0: ['idtype'], 3: ['wait-option'] },
  clone: { 0: ['functions'], 2: ['clone', 'signal'] },
  exit: { 0: ['exit-status'] }, _exit: { 0: ['exit-status'] }, do_exit: { 0: ['exit-status'] },
  prctl: { 0: ['prctl'], 1: ['signal'] }, setrlimit: { 0: ['rlimit'] }, getrlimit: { 0: ['rlimit'] },
  set_current_state: { 0: ['task-state'] }, __set_current_state: { 0: ['task-state'] },
  pthread_create: { 2: ['functions'] }, kthread_create: { 0: ['functions'] }, kthread_run: { 0: ['functions'] },
  kmalloc: { 1: ['gfp'] }, kzalloc: { 1: ['gfp'] }, schedule_timeout: { 0: ['time'] }, printk: { 0: ['printk-level'] },
};

const KEYWORDS = ['if', 'else', 'while', 'do', 'for', 'switch', 'case', 'default', 'break', 'continue', 'return', 'sizeof',
  'struct', 'static', 'const', 'unsigned'];
const TYPES = ['int', 'long', 'char', 'void', 'pid_t', 'pthread_t', 'size_t', 'bool', 'spinlock_t', 'sigset_t'];
const DIRECTIVES = ['include', 'define', 'pragma kproc', 'ifdef', 'ifndef', 'endif'];

export interface ItemData { builtin: string }

function groupOf(name: string): ConstantGroup | undefined {
  return lookupConstant(name)?.group;
}

/** Which contexts a trigger character opens completion in; elsewhere (`a > b`, `x | y`) it stays shut. */
const TRIGGER_CONTEXTS: Readonly<Record<string, readonly string[]>> = {
  '.': ['member'], '>': ['member'], '<': ['include'], '#': ['directive'], '|': ['flags'],
};

export function completion(a: Analysis, pos: Position, trigger?: string): CompletionList {
  const offset = a.lines.offsetAt(pos);
  const ctx = lineContext(a.text, a.lines.lineStart(pos.line), offset);
  const items: CompletionItem[] = [];
  const allowed = trigger === undefined ? undefined : TRIGGER_CONTEXTS[trigger];
  if (allowed && !allowed.includes(ctx.kind) && !(allowed.includes('flags') && ctx.kind === 'code')) return { isIncomplete: false, items };
  switch (ctx.kind) {
    case 'comment': case 'string': case 'pragma-value':
      return { isIncomplete: false, items };
    case 'pragma-key':
      for (const k of PRAGMA_KEYS) {
        const s = INT_SETTINGS[k];
        items.push({ label: k, kind: CompletionItemKind.Property,
          detail: s ? `${s.what} (${s.min}..${s.max})` : 'register a function of this file as the program at an exec path',
          insertText: k === 'program' ? 'program "${1:/bin/worker}" ${2:worker_main}' : `${k} \${1:${s?.min ?? 0}}`,
          insertTextFormat: InsertTextFormat.Snippet });
      }
      return { isIncomplete: false, items };
    case 'pragma-function':
      for (const s of a.index.symbols) if (s.kind === 'function') items.push({ label: s.name, kind: CompletionItemKind.Function });
      return { isIncomplete: false, items };
    case 'include': {
      const headers = new Set<string>();
      for (const c of CALLS.values()) headers.add(c.header);
      for (const c of CONSTANT_TABLE.values()) headers.add(c.header);
      for (const h of headers) items.push({ label: h.slice(1, -1), kind: CompletionItemKind.Module });
      return { isIncomplete: false, items };
    }
    case 'directive':
      for (const d of DIRECTIVES) items.push({ label: d, kind: CompletionItemKind.Keyword });
      return { isIncomplete: false, items };
    case 'member':
      return { isIncomplete: false, items: memberItems(a, offset, ctx.object) };
    case 'code':
      break;
  }

  const call = callAt(a.text, offset);
  let wants: Want[] = call ? [...(ARG_WANTS[call.callee]?.[call.arg] ?? [])] : [];
  if (ctx.afterPipe) {
    const g = groupOf(ctx.afterPipe);
    if (g) wants = g === 'clone' ? ['clone', 'signal'] : [g];
  }
  const flagsOnly = ctx.afterPipe !== undefined && wants.length > 0;
  if (trigger === '|' && !flagsOnly) return { isIncomplete: false, items };
  const rank = (g: Want): string => (wants.includes(g) ? '0' : '5');

  for (const c of CONSTANT_TABLE.values()) {
    if (flagsOnly && !wants.includes(c.group)) continue;
    items.push({ label: c.name, kind: CompletionItemKind.Constant, detail: typeof c.value === 'number' && c.group !== 'kernel-var' && c.group !== 'libc-var' ? valueText(c) : c.group,
      sortText: `${rank(c.group)}${c.name}`, data: { builtin: c.name } satisfies ItemData });
  }
  if (flagsOnly) return { isIncomplete: false, items };

  const fn = a.index.functionAt(offset);
  const side = fn && kernelFunctions(a.program, a.index).has(fn.name) ? 'kernel' : 'user';
  const fnRank = rank('functions');
  for (const s of a.index.visibleAt(offset)) items.push(symItem(s, s.kind === 'function' ? fnRank : '1'));
  if (!fn) {
    for (const m of DECL_MACRO_TABLE.values()) items.push({ label: m.name, kind: CompletionItemKind.Function, detail: `${m.name}(${m.params.join(', ')})`, sortText: `2${m.name}`, data: { builtin: m.name } });
  }
  for (const c of CALLS.values()) {
    const fits = c.side === 'both' || c.side === side;
    items.push({ label: c.name, kind: CompletionItemKind.Function, detail: signatureOf(c), sortText: `${fits ? '3' : '8'}${c.name}`, data: { builtin: c.name } satisfies ItemData });
  }
  for (const k of KEYWORDS) items.push({ label: k, kind: CompletionItemKind.Keyword, sortText: `4${k}` });
  for (const t of TYPES) items.push({ label: t, kind: CompletionItemKind.TypeParameter, sortText: `4${t}` });
  for (const s of SNIPPETS) {
    if ((s.side === 'file') !== (fn === undefined)) continue;
    items.push({ label: s.label, kind: CompletionItemKind.Snippet, detail: s.detail, insertText: s.body, insertTextFormat: InsertTextFormat.Snippet, sortText: `6${s.label}` });
  }
  return { isIncomplete: false, items };
}

function symItem(s: Sym, rank: string): CompletionItem {
  const kind = s.kind === 'function' ? CompletionItemKind.Function : s.kind === 'define' ? CompletionItemKind.Constant
    : s.kind === 'struct' ? CompletionItemKind.Struct : CompletionItemKind.Variable;
  const detail = s.type ? `${s.type.name} ${'*'.repeat(s.type.pointer + s.pointer)}` : s.kind;
  return { label: s.name, kind, detail: detail.trim(), sortText: `${rank}${s.name}` };
}

function memberItems(a: Analysis, offset: number, object: string): CompletionItem[] {
  let structName: string | undefined;
  if (object === 'current') structName = 'task_struct';
  else {
    const s = a.index.visibleAt(offset).find((x) => x.name === object);
    if (s?.type?.name.startsWith('struct ')) structName = s.type.name.slice(7);
  }
  if (!structName) return [];
  const known = lookupStruct(structName);
  if (known) return known.fields.map((f) => ({ label: f.name, kind: CompletionItemKind.Field, detail: f.type, documentation: f.doc }));
  for (const it of a.program.items) {
    if (it.kind === 'Struct' && it.name === structName) {
      return it.fields.map((f) => ({ label: f.name, kind: CompletionItemKind.Field, detail: `${f.type.name} ${'*'.repeat(f.type.pointer)}`.trim() }));
    }
  }
  return [];
}

/** Fills in the documentation of a catalog item when the editor shows it. */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  const data = item.data as Partial<ItemData> | undefined;
  const name = typeof data?.builtin === 'string' ? data.builtin : undefined;
  if (!name) return item;
  const c = lookupCall(name);
  const k = lookupConstant(name);
  const lines = c ? callMarkdown(c) : k ? constantMarkdown(k) : [];
  if (lines.length > 0) item.documentation = { kind: 'markdown', value: lines.join('\n\n') };
  return item;
}
