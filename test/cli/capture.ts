// An in-memory CliIo for driving `kproc` through main(): what it prints, files read from disk.
import { readFileSync } from 'node:fs';
import type { CliIo } from '../../sim-core/cli/io';

export function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
    readFile: (p: string) => readFileSync(p, 'utf8'),
  };
  return io;
}
