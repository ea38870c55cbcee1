// The PATH rule of execvp and execlp (glibc's __execvpe): a file name with a slash is used as it
// is; otherwise each directory of PATH is tried in turn. Scenarios have no environment, so PATH
// is glibc's default. The C library (vm/libc-calls.ts) and the checker's warning both use this.

/** glibc's _PATH_DEFPATH, the search path when the environment has no PATH. */
export const DEFAULT_PATH: readonly string[] = ['/bin', '/usr/bin'];

/** The paths execve is tried on, in order: the PATH entries for a bare name when `search`. */
export function execCandidates(file: string, search: boolean): string[] {
  return search && !file.includes('/') ? DEFAULT_PATH.map((d) => `${d}/${file}`) : [file];
}
