// What a CLI command may touch of the outside world, passed in so tests can capture it.
import { readFileSync } from 'node:fs';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Throws (like fs.readFileSync) when the file cannot be read. */
  readFile(path: string): string;
}

export const processIo: CliIo = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
  readFile: (p) => readFileSync(p, 'utf8'),
};

export interface Command {
  name: string;
  /** One line for `kproc --help`. */
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number> | number;
}
