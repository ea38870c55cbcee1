// The catalog of every call, constant, struct and declaration macro the scenario language knows.
// The checker, the VM, the language server and hovers all read it, so each name is described once.
import type { CallInfo, ConstantGroup, ConstantInfo, DeclMacroInfo, Side, StructInfo } from './builtins-types';
import { USER_CALLS } from './builtins-user';
import { DECL_MACROS, KERNEL_CALLS } from './builtins-kernel';
import { CONSTANTS, DYNAMIC_CONSTANTS } from './builtins-constants';
import { STRUCTS } from './builtins-structs';

export type {
  CallInfo, ConstantGroup, ConstantInfo, Convention, DeclMacroInfo, Side, StructFieldInfo, StructInfo,
} from './builtins-types';
export { DYNAMIC_CONSTANTS };

function indexBy<T extends { name: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  const m = new Map<string, T>();
  for (const it of items) m.set(it.name, it);
  return m;
}

export const CALLS: ReadonlyMap<string, CallInfo> = indexBy([...USER_CALLS, ...KERNEL_CALLS]);
export const CONSTANT_TABLE: ReadonlyMap<string, ConstantInfo> = indexBy(CONSTANTS);
export const STRUCT_TABLE: ReadonlyMap<string, StructInfo> = indexBy(STRUCTS);
export const DECL_MACRO_TABLE: ReadonlyMap<string, DeclMacroInfo> = indexBy(DECL_MACROS);

/** Paths that exist as programs without a `#pragma kproc program` line. */
export const BUILTIN_PROGRAMS: ReadonlyMap<string, string> = new Map([
  ['/bin/true', 'Exits with status 0.'],
  ['/bin/false', 'Exits with status 1.'],
  ['/bin/sleep', 'Sleeps for argv[1] seconds of virtual time, then exits with 0.'],
  ['/bin/echo', 'Writes its arguments separated by spaces and a newline, then exits with 0.'],
  ['/bin/sh', 'The shell (as dash): sh -c "command" with pipelines |, redirections < > >> 2>&1, lists ; && || &, exit and wait; a script file, or commands from standard input.'],
  ['/bin/cat', 'Copies each file (standard input for - or none) to standard output.'],
  ['/bin/wc', 'Counts lines, words and bytes (-l, -w, -c) of each file or of standard input, in coreutils\' columns.'],
  ['/bin/grep', 'Prints the lines matching a basic regular expression (literal characters, . * ^ $); -v, -c, -n, -i.'],
  ['/bin/kill', 'Sends a signal (kill PID, kill -9 PID, kill -s NAME PID); kill -l lists the signal names.'],
  ['/bin/ls', 'Lists directories of the simulated file system (ls, ls DIR, ls FILE; -a, -1), sorted in the C locale, one name a line (on a terminal, where coreutils prints columns, too).'],
  ['/bin/ps', 'Reads /proc as procps-ng does: ps (this user\'s processes on this terminal), -e, -f, -o pid,ppid,pgid,sid,stat,comm,args,cmd,user,uid,nlwp,tty,time,ni in procps\' columns; users show as numbers.'],
]);

export function lookupCall(name: string): CallInfo | undefined {
  return CALLS.get(name);
}

export function lookupConstant(name: string): ConstantInfo | undefined {
  return CONSTANT_TABLE.get(name);
}

export function lookupStruct(name: string): StructInfo | undefined {
  return STRUCT_TABLE.get(name.startsWith('struct ') ? name.slice(7) : name);
}

export function lookupDeclMacro(name: string): DeclMacroInfo | undefined {
  return DECL_MACRO_TABLE.get(name);
}

/** True for any name the catalog describes (call, constant or declaration macro). */
export function isBuiltinName(name: string): boolean {
  return CALLS.has(name) || CONSTANT_TABLE.has(name) || DECL_MACRO_TABLE.has(name);
}

export function constantsInGroup(group: ConstantGroup): ConstantInfo[] {
  return CONSTANTS.filter((c) => c.group === group);
}

/** Value of a signal name (`SIGCHLD` -> 17), or undefined. */
export function signalNumber(name: string): number | undefined {
  const c = CONSTANT_TABLE.get(name);
  return c && c.group === 'signal' ? (c.value as number) : undefined;
}

/** First signal name for a number (17 -> 'SIGCHLD'); aliases (SIGIOT, SIGPOLL) lose to the main name. */
export function signalName(num: number): string | undefined {
  for (const c of CONSTANTS) if (c.group === 'signal' && c.value === num) return c.name;
  return undefined;
}

/** Errno name for a positive number (10 -> 'ECHILD'). */
export function errnoName(num: number): string | undefined {
  for (const c of CONSTANTS) if (c.group === 'errno' && c.value === num) return c.name;
  return undefined;
}

/**
 * Prefixes that mark an identifier as a member of a constant family, so an unknown `CLONE_VMM`
 * gets "unknown clone flag" and a suggestion from the right group instead of a bare undefined name.
 */
export const FAMILY_PREFIXES: ReadonlyArray<{ prefix: RegExp; groups: ConstantGroup[]; what: string }> = [
  { prefix: /^CLONE_/, groups: ['clone'], what: 'clone flag' },
  { prefix: /^SIG_/, groups: ['sig-handler', 'sigprocmask'], what: 'signal constant' },
  { prefix: /^SIG[A-Z0-9]+$/, groups: ['signal'], what: 'signal' },
  { prefix: /^SA_/, groups: ['sa-flag'], what: 'sigaction flag' },
  { prefix: /^_*W[A-Z]+$/, groups: ['wait-option'], what: 'wait option' },
  { prefix: /^PR_/, groups: ['prctl'], what: 'prctl option' },
  { prefix: /^RLIMIT_/, groups: ['rlimit'], what: 'resource limit' },
  { prefix: /^_*TASK_/, groups: ['task-state'], what: 'task state' },
  { prefix: /^EXIT_/, groups: ['task-state', 'exit-status'], what: 'exit constant' },
  { prefix: /^PF_/, groups: ['pf-flag'], what: 'task flag' },
  { prefix: /^P_[A-Z]+$/, groups: ['idtype'], what: 'waitid id type' },
  { prefix: /^E[A-Z0-9]{2,}$/, groups: ['errno'], what: 'errno name' },
  { prefix: /^KERN_/, groups: ['printk-level'], what: 'printk level' },
];

/** Whether a call may be made from code running on the given side. */
export function allowedOn(info: { side: Side }, where: 'user' | 'kernel'): boolean {
  return info.side === 'both' || info.side === where;
}
