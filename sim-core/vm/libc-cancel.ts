// Thread cancellation as glibc's nptl does it: pthread_cancel sets CANCELED in the target's
// descriptor (cancelhandling); the target acts on it at its next cancellation point. A target
// blocked in one is woken by SIGCANCEL (signal 32, kept by the library for itself), whose
// handler ends the thread. Ending is pthread_exit(PTHREAD_CANCELED): the cleanup handlers
// pthread_cleanup_push registered run first, newest first, on what is left of the thread's stack.
import { begin, PD_CANCEL, PD_CLEANUP, PD_RESULT, PD_TID, release, scratch, self, threadEnds } from './libc-calls';
import type { CallSite } from './image';
import { enterCallback } from './libc-callback';
import { condCancelled } from './libc-sync';
import type { VmMemory } from './memory';
import type { LibcCall, VmRegs } from './regs';
import type { Trap, Value } from './types';
import { nextDestructor, tsdPending } from './libc-tsd';

/** The handler the library installs for SIGCANCEL (glibc's sigcancel_handler): the VM runs it itself. */
export const SIGCANCEL_HANDLER = '__libc_sigcancel_handler';

/** The calls that are cancellation points (POSIX's list, those the simulator has). */
export const CANCEL_POINTS: ReadonlySet<string> = new Set([
  'sleep', 'usleep', 'nanosleep', 'clock_nanosleep', 'pause', 'read', 'write', 'open', 'close',
  'wait', 'waitpid', 'wait3', 'wait4', 'waitid', 'sigsuspend', 'sigwait', 'sigwaitinfo', 'sigtimedwait',
  'pthread_join', 'pthread_cond_wait', 'pthread_cond_timedwait', 'sem_wait', 'sem_timedwait', 'pthread_testcancel',
  'poll', 'select',
]);

/** pthread_cancel's system calls are resumed by resumeCancel. */
export const CANCEL_OPS: ReadonlySet<string> = new Set(['pthread_cancel']);

/**
 * cancelhandling's bits (glibc's CANCELSTATE, CANCELTYPE and CANCELED bits), and one of the
 * simulator's: the thread is inside a cancellation point's system calls (where glibc's wrapper
 * has made the thread cancellable by the signal).
 */
const DISABLED = 1, ASYNC = 2, CANCELED = 8, EXITING = 0x10, IN_POINT = 0x100;
const PTHREAD_CANCELED = -1, EINVAL = 22, ESRCH = 3;
const SIGCANCEL = 32, SIG_SETSIZE = 8;
/** SA_SIGINFO | SA_RESTART | SA_RESTORER as glibc installs it, and SA_NODEFER: no frame returns to unblock it. */
const SIGCANCEL_FLAGS = 0x4 | 0x10000000 | 0x04000000 | 0x40000000;

function num(v: Value | undefined): number {
  return typeof v === 'number' ? v : 0;
}

function trap(line: number, name: string, args: Value[]): Trap {
  return { kind: 'syscall', name, args, line };
}

function handling(mem: VmMemory, pd: number): number {
  return pd === 0 ? 0 : num(mem.load(pd + PD_CANCEL));
}

/** startCancel's answer when the calling thread is to end here. */
const NOW = 'now';

/**
 * pthread_cancel, pthread_setcancelstate, pthread_setcanceltype: the first system call, the
 * result (an error number, or 0), or NOW when the caller itself is cancelled at once.
 */
function startCancel(site: CallSite, a: Value[], mem: VmMemory, r: VmRegs): Trap | number | typeof NOW {
  const line = site.line;
  if (site.name === 'pthread_cancel') {
    const pd = num(a[0]);
    const tid = mem.load(pd + PD_TID);
    if (typeof tid !== 'number' || tid < 0) return ESRCH;
    const h = handling(mem, pd);
    mem.store(pd + PD_CANCEL, h | CANCELED);
    if (h & CANCELED) return 0;
    if (pd === self(r, mem)) return (h & (DISABLED | ASYNC)) === ASYNC ? NOW : 0;
    // Only a thread that can act now is signalled: asynchronous, or inside a cancellation point.
    if (tid === 0 || (h & DISABLED) !== 0 || (h & (ASYNC | IN_POINT)) === 0) return 0;
    // The handler is installed on first use, then tgkill(getpid(), tid, SIGCANCEL).
    const act = scratch(mem, [SIGCANCEL_HANDLER, 0, SIGCANCEL_FLAGS]);
    if (act === 0) return 0;
    begin(r, 'pthread_cancel', r.image.sites.indexOf(site), [tid, act]);
    return trap(line, 'rt_sigaction', [SIGCANCEL, act, 0, SIG_SETSIZE]);
  }
  // pthread_setcancelstate(state, oldstate), pthread_setcanceltype(type, oldtype).
  const bit = site.name === 'pthread_setcancelstate' ? DISABLED : ASYNC;
  const v = num(a[0]);
  if (v !== 0 && v !== 1) return EINVAL;
  const pd = self(r, mem);
  const h = handling(mem, pd);
  if (num(a[1]) !== 0) mem.store(num(a[1]), (h & bit) !== 0 ? 1 : 0);
  const next = v === 1 ? h | bit : h & ~bit;
  mem.store(pd + PD_CANCEL, next);
  // Enabled, asynchronous and asked already: the thread ends here.
  if ((next & (DISABLED | ASYNC | CANCELED)) === (ASYNC | CANCELED)) return NOW;
  return 0;
}

/** pthread_cancel's next system call once the kernel answered one; its result when done. */
export function resumeCancel(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number, line: number): Value | null {
  if (c.step === 1) { release(mem, c.v[1]); c.next = trap(line, 'getpid', []); return null; }
  if (c.step === 2) { c.next = trap(line, 'tgkill', [raw, c.v[0], SIGCANCEL]); return null; }
  return 0;
}

/**
 * The start of a cancellation point (a request already made was acted on before: cancelPending):
 * the thread is marked as inside one until the call completes.
 */
export function enterCancelPoint(site: CallSite, mem: VmMemory, r: VmRegs): void {
  if (r.self === 0 || !CANCEL_POINTS.has(site.name)) return;
  mem.store(r.self + PD_CANCEL, handling(mem, r.self) | IN_POINT);
}

/** The cancellation point's call has returned. */
export function leaveCancelPoint(r: VmRegs, mem: VmMemory): void {
  if (r.self === 0) return;
  const h = handling(mem, r.self);
  if (h & IN_POINT) mem.store(r.self + PD_CANCEL, h & ~IN_POINT);
}

/**
 * SIGCANCEL reached the thread (sigcancel_handler): when cancellation is enabled and was asked
 * for, whatever call it was in is dropped and the thread ends. Returns whether it does.
 */
export function sigcancel(r: VmRegs, mem: VmMemory): boolean {
  if ((handling(mem, r.self) & (CANCELED | DISABLED | EXITING)) !== CANCELED) return false;
  const waiting = r.libc !== null && (r.libc.op === 'pthread_cond_wait' || r.libc.op === 'pthread_cond_timedwait') ? r.libc : null;
  const t = unwind(r, mem, PTHREAD_CANCELED, r.line);
  if (typeof t === 'string') return false;
  if (t === null) {
    // pthread_cond_wait's mutex is the caller's again before the handlers run.
    if (waiting !== null) condCancelled(r, waiting, mem, r.line);
    return true;
  }
  if (waiting !== null) condCancelled(r, waiting, mem, r.line, false);
  const site = r.image.sites.findIndex((s) => s.name === 'exit');
  r.pending = -1; r.pendingRet = null;
  r.libc = { op: 'pthread_exit', site, step: 0, v: [], next: t };
  return true;
}

/** The calls run.ts hands the live registers for the cleanup handlers (pthread_exit may run some). */
export const CLEANUP_CALLS: ReadonlySet<string> = new Set(['pthread_cleanup_push', 'pthread_cleanup_pop', 'pthread_exit',
  'pthread_cancel', 'pthread_setcancelstate', 'pthread_setcanceltype', 'pthread_testcancel']);

/** A cancellation request waits for this cancellation point. */
export function cancelPending(site: CallSite, mem: VmMemory, r: VmRegs): boolean {
  if (r.self === 0 || !CANCEL_POINTS.has(site.name)) return false;
  // Not once the thread is ending: a cleanup handler's sleep or read is an ordinary call.
  return (handling(mem, r.self) & (CANCELED | DISABLED | EXITING)) === CANCELED;
}

/**
 * pthread_cleanup_push, pthread_cleanup_pop, pthread_exit, or a cancellation point where the
 * thread is to end, with the registers written back (pc past the call). Returns the call's
 * result, a system call, a fault message, or null when the thread now runs a cleanup handler.
 */
export function cleanupCall(site: CallSite, a: Value[], mem: VmMemory, r: VmRegs): Trap | number | string | null {
  if (cancelPending(site, mem, r)) return unwind(r, mem, PTHREAD_CANCELED, site.line);
  if (site.name === 'pthread_cleanup_push') {
    // glibc links a struct _pthread_cleanup_buffer { routine, arg, ..., prev } through the descriptor.
    const pd = self(r, mem);
    const block = scratch(mem, [a[0] ?? 0, a[1] ?? 0, mem.load(pd + PD_CLEANUP) ?? 0]);
    if (block !== 0) mem.store(pd + PD_CLEANUP, block);
    return 0;
  }
  if (site.name === 'pthread_testcancel') return 0;
  if (site.name === 'pthread_cancel' || site.name === 'pthread_setcancelstate' || site.name === 'pthread_setcanceltype') {
    const v = startCancel(site, a, mem, r);
    return v === NOW ? unwind(r, mem, PTHREAD_CANCELED, site.line) : v;
  }
  if (site.name === 'pthread_cleanup_pop') {
    const h = popHandler(mem, r);
    if (h === null || num(a[0]) === 0) return 0;
    // routine(arg), returning here: its value stands for pop's (void) result.
    return enterCallback(r, mem, h.routine, [h.arg], false);
  }
  const result = site.name === 'pthread_exit' ? a[0] ?? 0 : PTHREAD_CANCELED;
  return unwind(r, mem, result, site.line);
}

/** The thread's start routine (or a cleanup handler) returned: a thread that is ending runs the next handler. */
export function exitingReturn(r: VmRegs, mem: VmMemory, v: Value = 0): Trap | string | null | undefined {
  if (r.self === 0) return undefined;
  // The start routine returned with thread-specific values: their destructors run first.
  if ((handling(mem, r.self) & EXITING) === 0) return tsdPending(mem.libc, r.self) ? unwind(r, mem, v, r.line) : undefined;
  return unwind(r, mem, 0, r.line);
}

/**
 * The thread ends with `result` (kept from the first call): the newest cleanup handler is
 * entered on the thread's stack in place of every frame (null), or, with none left, exit.
 */
function unwind(r: VmRegs, mem: VmMemory, result: Value, line: number): Trap | string | null {
  const pd = r.self;
  if (pd === 0) {
    // A main thread that never asked for its descriptor has no handlers and no one to join it.
    threadEnds(r, mem);
    return trap(line, 'exit', [0]);
  }
  const hd = handling(mem, pd);
  if ((hd & EXITING) === 0) {
    mem.store(pd + PD_RESULT, result);
    mem.store(pd + PD_CANCEL, hd | EXITING);
  }
  // The cleanup handlers, newest first, then the destructors of its thread-specific data.
  const h = popHandler(mem, r) ?? nextDestructor(mem.libc, pd);
  if (h === null) {
    threadEnds(r, mem);
    return trap(line, 'exit', [0]);
  }
  // Each returns onto the thread's end (the main thread's too: pthread_exit ends only it).
  r.onReturn = 'exit';
  return enterCallback(r, mem, h.routine, [h.arg], true);
}

function popHandler(mem: VmMemory, r: VmRegs): { routine: Value; arg: Value } | null {
  const pd = r.self;
  if (pd === 0) return null;
  const block = num(mem.load(pd + PD_CLEANUP));
  if (block === 0) return null;
  const routine = mem.load(block) ?? 0, arg = mem.load(block + 1) ?? 0;
  mem.store(pd + PD_CLEANUP, mem.load(block + 2) ?? 0);
  release(mem, block);
  return { routine, arg };
}
