// Reading a scenario file: only a regular file of at most MAX_SCENARIO_BYTES is read (a device such
// as /dev/zero, a FIFO or a huge file would never end or fill memory); a file that cannot be read
// is a usage error with the system's wording.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './args';
import type { CliIo } from './io';

/** The largest scenario file the CLI reads: 10 MB. */
export const MAX_SCENARIO_BYTES = 10 * 1024 * 1024;

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory', EISDIR: 'Is a directory', EACCES: 'Permission denied', ENOTDIR: 'Not a directory',
  ENOTREG: 'not a regular file', EFBIG: `is larger than ${MAX_SCENARIO_BYTES / (1024 * 1024)} MB`,
};

/** An error with a code, as node:fs throws them. */
function fsError(code: string, path: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: ${path}`);
  e.code = code;
  return e;
}

/**
 * Reads a regular file of at most `limit` bytes as UTF-8; throws with code ENOTREG (not a regular
 * file) or EFBIG (larger than the limit), or node:fs's own error. It reads at most limit + 1 bytes,
 * so a file that grows while it is read cannot make it read more.
 */
export function readRegularFile(path: string, limit = MAX_SCENARIO_BYTES): string {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw fsError('EISDIR', path);
    if (!st.isFile()) throw fsError('ENOTREG', path);
    if (st.size > limit) throw fsError('EFBIG', path);
    let buf = Buffer.alloc(Math.min(limit + 1, st.size + 1));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        // The file grew since fstat: read on, up to one byte past the limit.
        if (n > limit) throw fsError('EFBIG', path);
        const more = Buffer.alloc(Math.min(limit + 1, n * 2));
        buf.copy(more, 0, 0, n);
        buf = more;
      }
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > limit) throw fsError('EFBIG', path);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** The file's text; throws UsageError (`FILE: No such file or directory`) when it cannot be read. */
export function readScenario(io: CliIo, file: string): string {
  try {
    return io.readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new UsageError(`${file}: ${(code && REASONS[code]) ?? (e instanceof Error ? e.message.split('\n')[0] : String(e))}`);
  }
}
