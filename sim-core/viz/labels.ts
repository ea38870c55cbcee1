// Words of the timeline's marks: an exit status as a shell reports it, why a task was reparented,
// and the moment a mark stands for in the text form goto takes.
import { signame } from '../kernel/consts';
import type { Mark } from './model';

/** The exit status as a shell reports it: `exit(7)`, `killed by SIGTERM (core dumped)`. */
export function exitText(code: number): string {
  const sig = code & 0x7f;
  if (sig === 0) return `exit(${(code >> 8) & 0xff})`;
  return `killed by ${signame(sig)}${code & 0x80 ? ' (core dumped)' : ''}`;
}

export const REPARENT_WHY: Record<string, string> = {
  init: 'the pid namespace\'s init adopts it',
  subreaper: 'a child subreaper adopts it',
  'thread group': 'another thread of the dead parent\'s group adopts it',
};

/**
 * The moment a mark stands for, in the text form goto takes (`fork 4`, `reap 4`, `signal 4 SIGTERM`):
 * the event about the task the mark names (a fork mark names the child it created). goto has no
 * event for a delivery (its `signal` is the sending), so a deliver mark gives its step.
 */
export function markGotoTarget(m: Mark, direction: 'back' | 'forward' = 'back'): string {
  if (m.kind === 'deliver') return `step ${m.step}`;
  const pid = m.kind === 'fork' ? m.other ?? m.pid : m.pid;
  const sig = m.kind === 'signal' && m.sig !== undefined ? ` ${signame(m.sig)}` : '';
  return `${m.kind} ${pid}${sig} ${direction}`;
}
