// system() and popen() as glibc 2.36 makes them on x86-64: the shell is started by posix_spawn,
// a clone sharing the caller's memory and suspending it until the child execs (CLONE_VM |
// CLONE_VFORK, the vfork system call here), running "/bin/sh -c command". system ignores SIGINT
// and SIGQUIT and blocks SIGCHLD while it waits (the child gets them back); popen joins the shell
// to the caller by a close-on-exec pipe and hands out a FILE on the caller's end. pclose is
// fclose (stdio-open.ts), which waits for the shell of a popen stream.
import { Done } from './libc-calls';
import { getEnviron } from './libc-env';
import { num } from './float';
import { trap } from './stdio-ops';
import { SEGMENT_SPAN } from './image';
import { F_FILENO } from './stdio-file';
import { linkStream, newFile, popenFlags } from './stdio-open';
import type { VmMemory } from './memory';
import type { LibcCall, VmRegs } from './regs';
import type { Trap, Value } from './types';

const SIGINT = 2, SIGQUIT = 3, SIGCHLD = 17;
const SIG_DFL = 0, SIG_IGN = 1, SIG_BLOCK = 0, SIG_SETMASK = 2;
const O_CLOEXEC = 0o2000000, F_SETFD = 2;
const EINTR = 4, EINVAL = 22, ENOMEM = 12;
const SIG_SETSIZE = 8;
const SHELL_PATH = '/bin/sh';

/** The functions of this file (the kernel's answers come back to resumeProc). */
export const PROC_OPS: ReadonlySet<string> = new Set(['system', 'popen']);


function block(mem: VmMemory, cells: Value[]): number {
  const seg = mem.newBlock(cells.length);
  if (seg < 0) return 0;
  const a = seg * SEGMENT_SPAN;
  cells.forEach((c, i) => mem.store(a + i, c));
  return a;
}

function release(mem: VmMemory, addr: Value | undefined): void {
  if (typeof addr === 'number' && addr !== 0) mem.freeBlock(addr);
}

// Slots of LibcCall.v. system: phase, cmd, act, intr, quit, set, omask, pid, status, argv, envp,
// wasNull. popen: phase, cmd, fds, parent end, child end, child fd, argv, envp, pid, cloexec,
// index of the next earlier stream to close, FILE.
const PHASE = 0;

/**
 * Starts system, popen or pclose: their first system call (r.libc set), or a Done. `cmd` is
 * the command string (read already), null for system(NULL).
 */
export function startProc(name: string, site: number, line: number, cmd: string | null, mode: string | null, mem: VmMemory, r: VmRegs): Trap | Done | null {
  const begin = (v: Value[]): void => { r.libc = { op: name, site, step: 0, v, next: null }; };
  switch (name) {
    case 'system': {
      // system(NULL) asks whether a shell is there: glibc runs "exit 0" and answers status == 0.
      const act = block(mem, [SIG_IGN, 0, 0]), intr = block(mem, [0, 0, 0]), quit = block(mem, [0, 0, 0]);
      const set = block(mem, [2 ** (SIGCHLD - 1)]), omask = block(mem, [0]), status = block(mem, [0]);
      begin(['sigint', cmd ?? 'exit 0', act, intr, quit, set, omask, 0, status, 0, 0, cmd === null ? 1 : 0]);
      return trap(line, 'rt_sigaction', [SIGINT, act, intr, SIG_SETSIZE]);
    }
    case 'popen': {
      // "r": the caller reads what the shell writes to its stdout; "w": the shell reads its stdin.
      // An "e" makes the caller's end close-on-exec; anything else is EINVAL.
      const m = mode ?? '';
      const reading = m.startsWith('r'), writing = m.startsWith('w');
      if ((!reading && !writing) || /[^rwe]/.test(m.slice(1))) { r.errno = EINVAL; return new Done(0); }
      // The FILE is malloc'd first (struct _IO_proc_file), then the pipe made.
      const fp = newFile(mem, r);
      if (fp === 0) { r.errno = ENOMEM; return new Done(0); }
      const fds = block(mem, [0, 0]);
      begin(['pipe', cmd ?? '', fds, 0, 0, reading ? 1 : 0, 0, 0, 0, m.includes('e') ? 1 : 0, 0, fp]);
      return trap(line, 'pipe2', [fds, O_CLOEXEC]);
    }
    default: return null;
  }
}

/** The kernel answered a call of system/popen/pclose: its result, or null with c.next queued. */
export function resumeProc(r: VmRegs, c: LibcCall, mem: VmMemory, raw: number, line: number): Done | null {
  const v = c.v;
  const go = (phase: string, name: string, args: Value[]): null => { v[PHASE] = phase; c.next = trap(line, name, args); return null; };
  if (c.op === 'system') {
    const [, cmd, act, intr, quit, set, omask, , status] = v;
    switch (v[PHASE]) {
      case 'sigint': return go('sigquit', 'rt_sigaction', [SIGQUIT, act, quit, SIG_SETSIZE]);
      case 'sigquit': return go('block', 'rt_sigprocmask', [SIG_BLOCK, set, omask, SIG_SETSIZE]);
      case 'block': {
        v[9] = block(mem, ['sh', '-c', cmd, 0]);
        v[10] = getEnviron(mem); // glibc's __environ itself: never freed here
        return go('spawn', 'vfork', []);
      }
      case 'spawn':
        if (raw === 0) {
          // The child (posix_spawn's): SIGINT and SIGQUIT back to SIG_DFL unless the caller had
          // them ignored, the caller's mask again, then the shell; _exit(127) if that fails.
          mem.store(num(act), SIG_DFL);
          if (mem.load(num(intr)) !== SIG_IGN) return go('child-int', 'rt_sigaction', [SIGINT, act, 0, SIG_SETSIZE]);
          return systemChildQuit(v, mem, go);
        }
        if (raw < 0) { v[7] = -1; mem.store(num(status), 127 << 8); return systemRestore(v, go); }
        v[7] = raw;
        return go('wait', 'wait4', [raw, status, 0, 0]);
      case 'child-int': return systemChildQuit(v, mem, go);
      case 'child-quit': return go('child-mask', 'rt_sigprocmask', [SIG_SETMASK, omask, 0, SIG_SETSIZE]);
      case 'child-mask': return go('child-exec', 'execve', [SHELL_PATH, v[9], v[10]]);
      case 'child-exec': return go('child-exit', 'exit_group', [127]);
      case 'wait':
        if (raw === -EINTR) return go('wait', 'wait4', [v[7], status, 0, 0]);
        if (raw < 0) mem.store(num(status), -1);
        mem.store(num(act), SIG_DFL);
        return systemRestore(v, go);
      case 'restore-int': return go('restore-quit', 'rt_sigaction', [SIGQUIT, quit, 0, SIG_SETSIZE]);
      case 'restore-quit': return go('restore-mask', 'rt_sigprocmask', [SIG_SETMASK, omask, 0, SIG_SETSIZE]);
      default: {
        const st = num(mem.load(num(status)));
        // v[10] is the live environ (the process's own), not a copy: it stays.
        for (const b of [act, intr, quit, set, omask, status, v[9]]) release(mem, b);
        return new Done(v[11] === 1 ? (st === 0 ? 1 : 0) : st);
      }
    }
  }
  if (c.op === 'popen') {
    const fds = num(v[2]);
    switch (v[PHASE]) {
      case 'pipe': {
        if (raw < 0) { release(mem, fds); release(mem, v[11]); r.errno = -raw; return new Done(0); }
        const rd = num(mem.load(fds)), wr = num(mem.load(fds + 1));
        const reading = v[5] === 1;
        v[3] = reading ? rd : wr;
        v[4] = reading ? wr : rd;
        v[5] = reading ? 1 : 0;
        v[6] = block(mem, ['sh', '-c', v[1], 0]);
        v[7] = getEnviron(mem); // glibc's __environ itself: never freed here
        return go('spawn', 'vfork', []);
      }
      case 'spawn':
        if (raw === 0) {
          // posix_spawn's file actions: the child's end onto its stdin or stdout (the pipe is
          // close-on-exec, so both ends go at the exec), and the streams of earlier popens closed.
          v[10] = 0;
          if (v[4] === v[5]) return go('child-keep', 'fcntl', [v[4], F_SETFD, 0]);
          return go('child-dup', 'dup2', [v[4], v[5]]);
        }
        if (raw < 0) {
          release(mem, v[6]); release(mem, fds); release(mem, v[11]);
          r.errno = -raw;
          return go('fail-close', 'close', [v[3]]);
        }
        v[8] = raw;
        return go('parent-close', 'close', [v[4]]);
      case 'child-keep': case 'child-dup': case 'child-close': {
        const others = mem.libc.popen.map((p) => streamFd(mem, p.stream)).filter((fd) => fd >= 0 && fd !== v[5]);
        const i = num(v[10]);
        if (i < others.length) { v[10] = i + 1; return go('child-close', 'close', [others[i]]); }
        return go('child-exec', 'execve', [SHELL_PATH, v[6], v[7]]);
      }
      case 'child-exec': return go('child-exit', 'exit_group', [127]);
      case 'fail-close': return go('fail-close2', 'close', [v[4]]);
      case 'fail-close2': return new Done(0);
      case 'parent-close':
        // The caller's end is kept across its own execs unless "e" was asked for.
        if (v[9] === 1) return popenDone(v, mem, r);
        return go('parent-cloexec', 'fcntl', [v[3], F_SETFD, 0]);
      default: return popenDone(v, mem, r);
    }
  }
  return null;
}

function systemChildQuit(v: Value[], mem: VmMemory, go: (p: string, n: string, a: Value[]) => null): null {
  if (mem.load(num(v[4])) !== SIG_IGN) return go('child-quit', 'rt_sigaction', [SIGQUIT, v[2], 0, SIG_SETSIZE]);
  return go('child-mask', 'rt_sigprocmask', [SIG_SETMASK, v[6], 0, SIG_SETSIZE]);
}

/** Puts SIGINT and SIGQUIT back as they were, then the signal mask. */
function systemRestore(v: Value[], go: (p: string, n: string, a: Value[]) => null): null {
  return go('restore-int', 'rt_sigaction', [SIGINT, v[3], 0, SIG_SETSIZE]);
}

/** The shell runs: the FILE is made on the caller's end, linked, and chained to its pid. */
function popenDone(v: Value[], mem: VmMemory, r: VmRegs): Done {
  release(mem, v[6]); release(mem, v[2]);
  const fp = num(v[11]);
  linkStream(mem, r, fp, num(v[3]), popenFlags(v[5] === 1));
  mem.libc.popen.push({ stream: fp, pid: num(v[8]) });
  return new Done(fp);
}

/** The descriptor of an earlier popen's stream (-1 when it is no longer a stream). */
function streamFd(mem: VmMemory, stream: Value): number {
  const f = mem.load(num(stream) + F_FILENO);
  return typeof f === 'number' && num(stream) !== 0 ? f : -1;
}
