// glibc's execvp and execlp when an execve of theirs fails with ENOEXEC (maybe_script_execute in
// posix/execvpe.c): the file is taken for a shell script without a #! line and run, in the same
// call, as /bin/sh FILE ARG1 ARG2... (argv[0] left out); if that execve fails too, its error is
// the one the PATH walk goes on with. execv and execve return ENOEXEC as the kernel gives it.
import { SEGMENT_SPAN } from './image';
import type { VmMemory } from './memory';
import type { VmRegs } from './regs';
import type { Trap, Value } from './types';
import { execCandidates } from '../lang/exec-path';

const ENOEXEC = 8;
const SHELL = '/bin/sh';

/** The libc call of execvp or execlp for a file with a slash (one candidate, no PATH walk). */
export function startDirectExec(r: VmRegs, name: string, site: number, line: number, file: string, argv: number, envp: Value): Trap {
  r.libc = { op: name, site, step: 0, v: [file, argv, envp, 0, 0], next: null };
  return { kind: 'syscall', name: 'execve', args: [file, argv, envp], line };
}

/**
 * The kernel answered an execve of execvp or execlp (r.libc, before resumeLibc counts it) with
 * `ret`: on ENOEXEC the shell's execve is queued in r.libc.next and true returned.
 */
export function scriptFallback(r: VmRegs, mem: VmMemory, ret: Value): boolean {
  const c = r.libc;
  if (c === null || (c.op !== 'execvp' && c.op !== 'execlp') || ret !== -ENOEXEC) return false;
  // v: file, argv, envp, EACCES seen, PATH (a string, or not one when unset or not searched)
  const path = typeof c.v[4] === 'string' ? c.v[4] : null;
  const tried = execCandidates(String(c.v[0]), true, path)[c.step];
  if (tried === undefined) return false;
  const args: Value[] = [];
  const argv = typeof c.v[1] === 'number' ? c.v[1] : 0;
  for (let i = 1; argv !== 0; i++) {
    const a = mem.load(argv + i);
    if (a === undefined || a === 0) break;
    args.push(a);
  }
  const cells: Value[] = [SHELL, tried, ...args, 0];
  const seg = mem.newBlock(cells.length);
  if (seg < 0) return false;
  const block = seg * SEGMENT_SPAN;
  cells.forEach((v, i) => mem.store(block + i, v));
  c.next = { kind: 'syscall', name: 'execve', args: [SHELL, block, c.v[2] ?? 0], line: r.line };
  return true;
}
