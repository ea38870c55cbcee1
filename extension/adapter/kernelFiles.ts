// Puts the displayed kernel sources on disk as read-only files, so that kernel frames open like
// any C file and line breakpoints set in them survive from one debug session to the next.
//
// Why files rather than DAP sourceReferences: VS Code keys a breakpoint by its source. A
// sourceReference is only valid inside one session, so breakpoints set in kernel/fork.c would be
// lost (or sent with a dead reference) at the next launch, and they could not be set before the
// first stop. A file path is stable; the folder name carries a hash of the sources, so a newer
// model never shows stale text, and identical sources reuse the same folder.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KernelSource } from '../../sim-core/machine-types';

export class KernelFiles {
  readonly root: string;
  private readonly byRel = new Map<string, string>();

  constructor(sources: readonly KernelSource[], baseDir = process.env.KPROC_KERNEL_SOURCE_DIR ?? path.join(os.tmpdir(), 'linux-process-lab')) {
    const h = createHash('sha256');
    for (const s of sources) h.update(s.path).update('\0').update(s.text).update('\0');
    this.root = path.join(baseDir, `kernel-${h.digest('hex').slice(0, 16)}`);
    for (const s of sources) this.byRel.set(s.path, path.join(this.root, ...s.path.split('/')));
    this.write(sources);
  }

  private write(sources: readonly KernelSource[]): void {
    for (const s of sources) {
      const abs = this.absolute(s.path);
      try {
        if (fs.existsSync(abs) && fs.readFileSync(abs, 'utf8') === s.text) continue;
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        // Write beside and rename, so a second adapter starting at the same moment never reads half a file.
        const tmp = `${abs}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, s.text, { mode: 0o644 });
        fs.chmodSync(tmp, 0o444);
        fs.renameSync(tmp, abs);
      } catch {
        // A read-only temp folder only costs the ability to open kernel frames; stepping still works.
      }
    }
  }

  /** Absolute path of a displayed source such as 'kernel/fork.c'. */
  absolute(rel: string): string {
    return this.byRel.get(rel) ?? path.join(this.root, ...rel.split('/'));
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
