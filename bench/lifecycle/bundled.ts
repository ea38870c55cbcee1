// Loads sim-core modules bundled by esbuild, the way dist/ ships them: under tsx every `C.NAME`
// of a namespace import is a getter call, which would make the benchmarks measure the loader.
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

type MachineModule = typeof import('../../sim-core/machine');

/** Bundles `entry` (a path from the repository root) with what it imports and loads it. */
export function loadBundled<M>(entry: string): M {
  const dir = mkdtempSync(join(tmpdir(), 'kproc-bench-'));
  try {
    const outfile = join(dir, 'bundle.js');
    buildSync({
      entryPoints: [resolve(__dirname, '../..', entry)],
      outfile, bundle: true, platform: 'node', target: 'node18', format: 'cjs', logLevel: 'warning',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the fresh bundle is the point
    return require(outfile) as M;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function loadBundledMachine(): MachineModule {
  return loadBundled<MachineModule>('sim-core/machine.ts');
}
