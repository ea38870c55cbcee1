// An in-memory CliIo for driving `kproc` through main(): what it prints, files read from disk.
import { processIo, type CliIo } from '../../sim-core/cli/io';

export function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
    readFile: processIo.readFile,
  };
  return io;
}
