// Reading a scenario file: a file that cannot be read is a usage error with the system's wording.
import { UsageError } from './args';
import type { CliIo } from './io';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory', EISDIR: 'Is a directory', EACCES: 'Permission denied', ENOTDIR: 'Not a directory',
};

/** The file's text; throws UsageError (`FILE: No such file or directory`) when it cannot be read. */
export function readScenario(io: CliIo, file: string): string {
  try {
    return io.readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new UsageError(`${file}: ${(code && REASONS[code]) ?? (e instanceof Error ? e.message.split('\n')[0] : String(e))}`);
  }
}
