// fs/binfmt_script.c: an executable file that starts with #! is run by the interpreter its first
// line names, with at most one argument after it: argv becomes [interpreter, (argument),
// the script's path, argv[1]...]. The interpreter must be a program itself (one level only here;
// Linux follows up to four scripts deep).

import * as C from './consts';
import type { Kernel } from './kernel';
import type { task_struct } from './task';
import type { ProgramImage } from './uport';
import type { Value } from '../vm/types';
import { AT_FDCWD, inode_permission, path_lookupat, S_IFMT, S_IFREG } from './vfs';

/** BINPRM_BUF_SIZE: how much of the file the kernel reads to tell its format. */
const BINPRM_BUF_SIZE = 256;

export interface ScriptExec {
  /** The interpreter as the #! line names it. */
  interp: string;
  /** Its image, or null when it cannot be loaded (the caller reports why). */
  image: ProgramImage | null;
  argv: Value[];
}

/**
 * load_script for `filename` (no program of its own): the interpreter's exec, or null when the
 * file is not an executable script; -ENOEXEC for a #! line that names nothing.
 */
export function load_script(k: Kernel, t: task_struct, filename: string, argv: Value[], envp: Value[]): ScriptExec | number | null {
  const nd = path_lookupat(k, t, AT_FDCWD, filename, true);
  if (typeof nd === 'number' || !nd.inode) return null;
  const i = nd.inode;
  if ((i.i_mode & S_IFMT) !== S_IFREG || !i.i_data.startsWith('#!')) return null;
  const may = t.cred.euid === 0 ? (i.i_mode & 0o111) !== 0 : inode_permission(t, i, 1);
  if (!may) return null;
  // The first line within the buffer, blanks around it dropped: the interpreter, then the rest
  // of the line (blanks at its ends dropped) as one argument.
  const buf = i.i_data.slice(2, BINPRM_BUF_SIZE);
  const nl = buf.indexOf('\n');
  const line = (nl >= 0 ? buf.slice(0, nl) : buf).replace(/^[ \t]+|[ \t]+$/g, '');
  if (line === '') return -C.ENOEXEC;
  const cut = line.search(/[ \t]/);
  const interp = cut < 0 ? line : line.slice(0, cut);
  const arg = cut < 0 ? '' : line.slice(cut).replace(/^[ \t]+/, '');
  const args: Value[] = [interp, ...(arg ? [arg] : []), filename, ...argv.slice(1)];
  return { interp, image: k.user.loadImage(interp, args, envp), argv: args };
}
