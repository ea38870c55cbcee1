// The layering the debugger's contract promises: nothing under extension/ imports the kernel
// model (inspection reaches the editor as plain values), and the client shares protocol types
// with the adapter through sim-core/debug/protocol.ts instead of importing adapter code.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { signame } from '../../sim-core/kernel/consts';
import { signalName } from '../../sim-core/debug/protocol';

const root = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Every module a file imports or re-exports (static and dynamic), resolved against the repository root. */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /(?:\bimport\s[^'"]*?from\s*|\bexport\s[^'"]*?from\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const spec = m[1];
    out.push(spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep).join('/') : spec);
  }
  return out;
}

describe('extension/ imports', () => {
  const files = sources(path.join(root, 'extension'));

  it('finds the sources and their imports', () => {
    assert.ok(files.length > 20, `${files.length} files`);
    const core = importsOf(path.join(root, 'extension/adapter/core.ts'));
    assert.ok(core.includes('sim-core/machine'), core.join(', '));
  });

  it('no module under extension/ imports the kernel model', () => {
    const bad = files.flatMap((f) => importsOf(f).filter((i) => i.startsWith('sim-core/kernel')).map((i) => `${path.relative(root, f)} -> ${i}`));
    assert.deepEqual(bad, []);
  });

  it('the client imports no adapter code (except the entry that bundles the inline adapter)', () => {
    const client = files.filter((f) => f.includes(`${path.sep}client${path.sep}`) && !f.endsWith('inlineAdapterMain.ts'));
    const bad = client.flatMap((f) => importsOf(f).filter((i) => i.startsWith('extension/adapter')).map((i) => `${path.relative(root, f)} -> ${i}`));
    assert.deepEqual(bad, []);
  });

  it('the scanner sees a kernel import where there is one', () => {
    const sample = path.join(root, 'test/machine/helpers.ts');
    assert.ok(importsOf(sample).includes('sim-core/kernel/task'));
  });

  it('the views name signals as the kernel does', () => {
    for (let sig = 0; sig <= 64; sig++) assert.equal(signalName(sig), signame(sig), `signal ${sig}`);
  });
});
