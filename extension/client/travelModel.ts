// Going back from the editor, as plain data: the Tasks view's "Run Back / Run Forward to when..."
// items (the manifest and the commands both read them), the goto request a task item or the
// "Go to Step..." box sends, and the status bar's text for the moment of a stop. No vscode here.

import { formatMoment, formatVirtualTime, groupDigits, type GotoArgs, type MomentBody } from '../../sim-core/debug/moment';

export type TravelEvent = 'fork' | 'zombie' | 'reparent' | 'signal';
export type TravelDirection = 'back' | 'forward';

export interface TravelItem {
  command: string;
  title: string;
  event: TravelEvent;
  direction: TravelDirection;
}

const WHEN: Record<TravelEvent, string> = {
  fork: 'When It Was Forked',
  zombie: 'When It Became a Zombie',
  reparent: 'When It Was Reparented',
  // The signal is asked for when the item is chosen.
  signal: 'When It Was Sent a Signal...',
};

/** The Tasks view's context menu items that travel, back then forward. */
export const TRAVEL_ITEMS: readonly TravelItem[] = (['back', 'forward'] as const).flatMap((direction) =>
  (['fork', 'zombie', 'reparent', 'signal'] as const).map((event) => ({
    command: `kproc.goto.${direction}.${event}`,
    title: `Run ${direction === 'back' ? 'Back' : 'Forward'} to ${WHEN[event]}`,
    event, direction,
  })));

/** The signals offered after "Was Sent a Signal...", the first meaning any signal. */
export const TRAVEL_SIGNALS = ['any signal', 'SIGCHLD', 'SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2',
  'SIGSTOP', 'SIGTSTP', 'SIGCONT', 'SIGALRM', 'SIGPIPE', 'SIGSEGV', 'SIGFPE', 'SIGABRT'] as const;

/** The goto request for a travel item on task `pid` (`signal`: a name, or undefined for any). */
export function travelArgs(item: Pick<TravelItem, 'event' | 'direction'>, pid: number, signal?: string): GotoArgs {
  const sig = item.event === 'signal' && signal && signal !== TRAVEL_SIGNALS[0] ? ` ${signal}` : '';
  return { target: `${item.event} ${pid}${sig} ${item.direction}` };
}

/**
 * What the "Go to Step..." box sends: a step number (commas, spaces and underscores allowed
 * between digits) or, for anything else, the text as a goto target ("zombie 5"); undefined when
 * empty. The adapter checks a target's text and says what is wrong with it.
 */
export function gotoInput(text: string): GotoArgs | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (/^\d[\d,_ ]*$/.test(t)) return { step: Number(t.replace(/[,_ ]/g, '')) };
  return { target: t };
}

/** The status bar's text and tooltip for a stop's moment. */
export function momentStatus(m: MomentBody): { text: string; tooltip: string } {
  // The adapter sends the frontier only for a stop before it (step counts alone can tie).
  const past = m.frontier !== undefined;
  const lines = [`Step ${groupDigits(m.step)} of the run, at virtual time ${formatVirtualTime(m.time)}.`];
  if (past) {
    lines.push(`This moment is in the past: the run has been as far as ${formatMoment(m.frontier ?? m)}. Output printed after this moment is in the future.`);
  }
  lines.push('Step Back and Reverse Continue in the debug toolbar go back; click to go to a step or an event.');
  return { text: `$(history) ${formatMoment(m)}${past ? ' (past)' : ''}`, tooltip: lines.join('\n') };
}
