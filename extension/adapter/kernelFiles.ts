// Puts the displayed kernel sources on disk as read-only files in a directory private to the user,
// so that kernel frames open like any C file and line breakpoints set in them survive from one
// debug session to the next.
//
// Why files rather than DAP sourceReferences: VS Code keys a breakpoint by its source. A
// sourceReference is only valid inside one session, so breakpoints set in kernel/fork.c would be
// lost (or sent with a dead reference) at the next launch. A file path is stable; the folder name
// carries a hash of the sources, so a newer model never shows stale text.
//
// The folder is the user's own: `linux-process-lab-<uid>` in the temp directory, created with
// mode 0700 and used only if it is a real directory (not a link), owned by the user and closed to
// others; otherwise a fresh mkdtemp folder is used. Files are written to an exclusive new name
// (O_CREAT|O_EXCL|O_NOFOLLOW) and renamed into place, so no link planted in the folder is followed.
// A source that cannot be written is said so on the console and served by sourceReference.

import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KernelSource } from '../../sim-core/machine-types';

const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

export interface KernelFilesOptions {
  /** The folder to use (must be private); by default KPROC_KERNEL_SOURCE_DIR, else one in `tmp`. */
  dir?: string;
  /** The temp directory for the default folder (os.tmpdir()). */
  tmp?: string;
}

/** Why `dir` is not a safe private directory, or undefined when it is (creating it if missing). */
export function checkPrivateDir(dir: string): string | undefined {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return `cannot create ${dir}: ${(e as Error).message}`;
  }
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (e) {
    return `cannot examine ${dir}: ${(e as Error).message}`;
  }
  if (st.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!st.isDirectory()) return `${dir} is not a directory`;
  if (uid !== undefined && st.uid !== uid) return `${dir} belongs to another user (uid ${st.uid})`;
  if (uid !== undefined && (st.mode & 0o077) !== 0) return `${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

export class KernelFiles {
  readonly root: string;
  /** What went wrong putting the sources on disk, one sentence each, for the debug console. */
  readonly problems: string[] = [];
  private readonly byRel = new Map<string, string>();
  private readonly texts = new Map<string, string>();
  private readonly missing = new Set<string>();
  private readonly refs: string[] = [];

  constructor(sources: readonly KernelSource[], opts: KernelFilesOptions = {}) {
    const h = createHash('sha256');
    for (const s of sources) h.update(s.path).update('\0').update(s.text).update('\0');
    const base = this.baseDir('dir' in opts ? opts.dir : process.env.KPROC_KERNEL_SOURCE_DIR, opts.tmp ?? os.tmpdir());
    this.root = path.join(base, `kernel-${h.digest('hex').slice(0, 16)}`);
    for (const s of sources) {
      this.byRel.set(s.path, path.join(this.root, ...s.path.split('/')));
      this.texts.set(s.path, s.text);
    }
    this.write(sources);
  }

  /** The configured folder if it is private, else the per-user one, else a fresh private one. */
  private baseDir(configured: string | undefined, tmp: string): string {
    const wanted = configured ?? path.join(tmp, uid === undefined ? 'linux-process-lab' : `linux-process-lab-${uid}`);
    const why = checkPrivateDir(wanted);
    if (!why) return wanted;
    try {
      const fresh = fs.mkdtempSync(path.join(tmp, 'linux-process-lab-'));
      this.problems.push(`The kernel sources folder ${why}; it is not used: the sources are in ${fresh} instead.`);
      return fresh;
    } catch (e) {
      this.problems.push(`The kernel sources folder ${why}, and no private folder could be made in ${tmp} (${(e as Error).message}).`);
      return wanted;
    }
  }

  private write(sources: readonly KernelSource[]): void {
    const dirsOk = new Map<string, string | undefined>();
    const ensure = (dir: string): string | undefined => {
      if (dirsOk.has(dir)) return dirsOk.get(dir);
      const up = dir === this.root ? checkPrivateDir(path.dirname(dir)) : ensure(path.dirname(dir));
      const why = up ?? checkPrivateDir(dir);
      dirsOk.set(dir, why);
      return why;
    };
    for (const s of sources) {
      const abs = this.absolute(s.path);
      const why = ensure(path.dirname(abs)) ?? writeFile(abs, s.text);
      if (why) {
        this.missing.add(s.path);
        this.problems.push(`Cannot put the kernel source ${s.path} on disk (${why}); it is shown from memory, without breakpoints.`);
      }
    }
  }

  /** Absolute path of a displayed source such as 'kernel/fork.c'. */
  absolute(rel: string): string {
    return this.byRel.get(rel) ?? path.join(this.root, ...rel.split('/'));
  }

  /** False when the file could not be written: the client gets it by sourceReference. */
  onDisk(rel: string): boolean {
    return !this.missing.has(rel);
  }

  /** The DAP source of a displayed file: its path, or a sourceReference when it is not on disk. */
  source(rel: string, toClient: (p: string) => string = (p) => p): { name: string; path?: string; sourceReference?: number } {
    const name = path.posix.basename(rel);
    return this.onDisk(rel) ? { name, path: toClient(this.absolute(rel)) } : { name, sourceReference: this.reference(rel) };
  }

  /** A sourceReference (1-based, stable for the session) for a displayed source. */
  reference(rel: string): number {
    const i = this.refs.indexOf(rel);
    if (i >= 0) return i + 1;
    this.refs.push(rel);
    return this.refs.length;
  }

  /** The text behind a sourceReference or a displayed path, if it is one of ours. */
  text(ref: number | undefined, abs: string | undefined): string | undefined {
    const rel = ref !== undefined && ref > 0 ? this.refs[ref - 1] : abs ? this.relative(abs) : undefined;
    return rel === undefined ? undefined : this.texts.get(rel);
  }

  /** The displayed path for an absolute path, if it names one of our kernel files. */
  relative(abs: string): string | undefined {
    const norm = path.resolve(abs);
    for (const [rel, p] of this.byRel) if (p === norm) return rel;
    // A breakpoint left in the folder of an older model still maps by its displayed path; a real
    // kernel checkout does not, since its line numbers differ from ours.
    const m = /\/kernel-[0-9a-f]{16}\/(.+)$/.exec(norm.split(path.sep).join('/'));
    return m && this.byRel.has(m[1]) ? m[1] : undefined;
  }

  paths(): string[] {
    return [...this.byRel.keys()];
  }
}

/** Leaves `abs` holding `text` as a read-only regular file of ours; returns what failed, if anything. */
function writeFile(abs: string, text: string): string | undefined {
  if (holds(abs, text)) return undefined;
  // An exclusive new name, never a link: then a rename, which replaces whatever `abs` was (a link
  // included) without following it, so a second adapter never reads half a file either.
  const tmp = `${abs}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW, 0o600);
    try {
      fs.writeFileSync(fd, text);
      fs.fchmodSync(fd, 0o444);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, abs);
    return undefined;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    return (e as Error).message;
  }
}

/** True when `abs` is already a regular file of ours with this text (opened without following a link). */
function holds(abs: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | NOFOLLOW);
  } catch {
    return false;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || (uid !== undefined && st.uid !== uid) || st.size !== Buffer.byteLength(text)) return false;
    return fs.readFileSync(fd, 'utf8') === text;
  } finally {
    fs.closeSync(fd);
  }
}
