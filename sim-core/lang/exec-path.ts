// The PATH rule of execvp and execlp (glibc's __execvpe): a file name with a slash is used as it
// is; otherwise each directory of PATH is tried in turn, an empty entry meaning the current
// directory, and glibc's default path when the environment has no PATH. The C library
// (vm/libc-calls.ts) reads PATH from the process's environment; the checker, which has no
// environment, uses the default.

/** glibc's _PATH_DEFPATH, the search path when the environment has no PATH. */
export const DEFAULT_PATH: readonly string[] = ['/bin', '/usr/bin'];

/**
 * The paths execve is tried on, in order: the PATH entries for a bare name when `search`.
 * `path` is PATH's value, or null when it is unset.
 */
export function execCandidates(file: string, search: boolean, path: string | null = null): string[] {
  if (!search || file.includes('/')) return [file];
  const dirs = path === null ? DEFAULT_PATH : path.split(':');
  return dirs.map((d) => (d === '' ? file : `${d}/${file}`));
}
