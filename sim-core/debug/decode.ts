// Decoders that print kernel values the way a kernel developer reads them: task states and flags
// by their header names, signals by name, wait statuses spelled out, addresses in hex.

import * as C from '../kernel/consts';

/** Named combinations first: a debugger should say TASK_KILLABLE, not two bits. */
const STATE_COMBOS: Array<[number, string]> = [
  [C.TASK_KILLABLE, 'TASK_KILLABLE'],
  [C.TASK_STOPPED, 'TASK_STOPPED'],
  [C.TASK_IDLE, 'TASK_IDLE'],
];

const STATE_BITS: Array<[number, string]> = [
  [C.TASK_INTERRUPTIBLE, 'TASK_INTERRUPTIBLE'],
  [C.TASK_UNINTERRUPTIBLE, 'TASK_UNINTERRUPTIBLE'],
  [C.__TASK_STOPPED, '__TASK_STOPPED'],
  [C.__TASK_TRACED, '__TASK_TRACED'],
  [C.EXIT_DEAD, 'EXIT_DEAD'],
  [C.EXIT_ZOMBIE, 'EXIT_ZOMBIE'],
  [C.TASK_PARKED, 'TASK_PARKED'],
  [C.TASK_DEAD, 'TASK_DEAD'],
  [C.TASK_WAKEKILL, 'TASK_WAKEKILL'],
  [C.TASK_WAKING, 'TASK_WAKING'],
  [C.TASK_NOLOAD, 'TASK_NOLOAD'],
  [C.TASK_NEW, 'TASK_NEW'],
];

export function hex(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 0) return '-0x' + BigInt(Math.trunc(-n)).toString(16);
  return '0x' + BigInt(Math.trunc(n)).toString(16);
}

/** Splits `value` into named bits; unknown bits are kept as a hex remainder. */
export function bitNames(value: number, names: ReadonlyArray<readonly [number, string]>): string[] {
  const out: string[] = [];
  let rest = value >>> 0;
  for (const [bit, name] of names) {
    if (bit !== 0 && (rest & bit) === bit) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) out.push(hex(rest));
  return out;
}

/** `TASK_INTERRUPTIBLE (0x1)`, `TASK_RUNNING (0x0)`, `TASK_KILLABLE (0x102)`. */
export function decodeState(state: number): string {
  if (state === C.TASK_RUNNING) return 'TASK_RUNNING (0x0)';
  const combo = STATE_COMBOS.find(([v]) => v === state);
  if (combo) return `${combo[1]} (${hex(state)})`;
  return `${bitNames(state, STATE_BITS).join(' | ')} (${hex(state)})`;
}

/** exit_state is 0 while the task lives, then EXIT_ZOMBIE, then EXIT_DEAD. */
export function decodeExitState(state: number): string {
  if (state === 0) return '0';
  return `${bitNames(state, STATE_BITS).join(' | ')} (${hex(state)})`;
}

/** `PF_EXITING | PF_FORKNOEXEC (0x44)`; 0 prints as `0x0`. */
export function decodeFlags(flags: number): string {
  if (flags === 0) return '0x0';
  return `${bitNames(flags, C.PF_NAMES).join(' | ')} (${hex(flags)})`;
}

/** `CLONE_VM | CLONE_VFORK | SIGCHLD (0x4111)`: the low byte is the exit signal (CSIGNAL). */
export function decodeCloneFlags(flags: number): string {
  if (flags === 0) return '0x0';
  const parts = bitNames(flags & ~C.CSIGNAL, C.CLONE_NAMES).filter((p) => p !== '0x0');
  const sig = flags & C.CSIGNAL;
  if (sig) parts.push(C.signame(sig));
  return `${parts.join(' | ')} (${hex(flags)})`;
}

/** `SIGCHLD (17)`; 0 is no signal; -1 is what a thread's exit_signal holds. */
export function decodeSignal(sig: number): string {
  if (sig === 0) return '0';
  if (sig < 0) return String(sig);
  return `${C.signame(sig)} (${sig})`;
}

/** A sigset_t kept as two 32-bit words: `{SIGCHLD, SIGUSR1}`. */
export function decodeSigset(words: readonly number[]): string {
  const names: string[] = [];
  words.forEach((w, i) => {
    for (let b = 0; b < 32; b++) if ((w >>> b) & 1) names.push(C.signame(i * 32 + b + 1));
  });
  return names.length ? `{${names.join(', ')}}` : '{}';
}

/**
 * task->exit_code holds a wait status: the exit code in bits 8-15 and, when a signal killed the
 * task, the signal in bits 0-6 (0x80 means a core was dumped).
 */
export function decodeWaitStatus(status: number): string {
  if (status === 0) return '0';
  const sig = status & 0x7f;
  if (sig === 0) return `${hex(status)} (exited with code ${(status >> 8) & 0xff})`;
  if (sig === 0x7f) return `${hex(status)} (stopped by ${C.signame((status >> 8) & 0xff)})`;
  const core = status & 0x80 ? ', core dumped' : '';
  return `${status} (killed by ${C.signame(sig)}${core})`;
}

export function decodeErrno(e: number): string {
  const n = Math.abs(e);
  const name = C.ERRNO_NAMES[n];
  return name ? `-${name} (${e})` : String(e);
}

/** dmesg's `[    0.000123]`: seconds in a five-wide field, then microseconds. */
export function dmesgStamp(seconds: number): string {
  const us = Math.round(seconds * 1e6);
  const s = Math.floor(us / 1e6);
  const frac = String(us % 1e6).padStart(6, '0');
  return `[${String(s).padStart(5, ' ')}.${frac}]`;
}

/** `(struct task_struct *) 0xffff888000100000`, or `0x0` for NULL. */
export function pointerText(type: string, addr: number | null): string {
  return `(struct ${type} *) ${addr === null ? '0x0' : hex(addr)}`;
}
