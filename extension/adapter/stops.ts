// How a machine's stop reaches the client: the DAP stopped event (reason, thread, breakpoint ids,
// the text of kernel-event and final stops), and the output stream's batching of a request's messages.

import { StoppedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { eventSummary } from '../../sim-core/debug/events';
import type { Stop } from '../../sim-core/machine-types';

/** The stopped event of a stop; every stop stops all threads. */
export function stoppedEvent(stop: Stop, threadId: number | undefined): DebugProtocol.StoppedEvent {
  const ev = new StoppedEvent(dapReason(stop), threadId) as DebugProtocol.StoppedEvent;
  ev.body.allThreadsStopped = true;
  if (stop.breakpointIds?.length) ev.body.hitBreakpointIds = stop.breakpointIds;
  const text = stopText(stop);
  if (text) {
    ev.body.description = text;
    ev.body.text = text;
  }
  return ev;
}

function dapReason(stop: Stop): string {
  switch (stop.reason) {
    case 'event': case 'deadlock': case 'budget': case 'panic': case 'output': case 'fault': return 'exception';
    default: return stop.reason;
  }
}

function stopText(stop: Stop): string | undefined {
  if (stop.reason === 'event' && stop.event) return eventSummary(stop.event);
  if (stop.reason === 'deadlock' || stop.reason === 'budget' || stop.reason === 'panic' || stop.reason === 'output') return stop.message ?? stop.reason;
  // A fault: the description names the signal ("pid 3 (main) received SIGSEGV, Segmentation fault: ...").
  if (stop.reason === 'fault') return stop.message ?? stop.signal ?? 'fault';
  return undefined;
}

/** A stream that can hold writes and send them as one (a pipe or socket: the adapter's stdout). */
export interface Corkable { cork(): void; uncork(): void }

export function corkable(s: unknown): s is Corkable {
  return typeof s === 'object' && s !== null && typeof (s as Corkable).cork === 'function' && typeof (s as Corkable).uncork === 'function';
}
