// Loads sim-core/machine.ts bundled by esbuild, the way dist/ ships it: under tsx every `C.NAME`
// of a namespace import is a getter call, which would make the benchmarks measure the loader.
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

type MachineModule = typeof import('../../sim-core/machine');

export function loadBundledMachine(): MachineModule {
  const dir = mkdtempSync(join(tmpdir(), 'kproc-bench-'));
  try {
    const outfile = join(dir, 'machine.js');
    buildSync({
      entryPoints: [resolve(__dirname, '../../sim-core/machine.ts')],
      outfile, bundle: true, platform: 'node', target: 'node18', format: 'cjs', logLevel: 'warning',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the fresh bundle is the point
    return require(outfile) as MachineModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
