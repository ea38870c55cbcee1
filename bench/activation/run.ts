// Activation figures of the packaged extension: how long activate() takes inside a real VS Code
// extension host (reported by the extension itself), how long loading dist/extension.js takes in
// plain Node with a stub `vscode`, and the .vsix size. Prints figures; asserts nothing.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { stubVscode } from './vscodeStub';

const ROOT = path.resolve(__dirname, '../..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function vsixSize(): number {
  const vsix = path.join(ROOT, 'linux-process-lab.vsix');
  if (!fs.existsSync(vsix) || process.argv.includes('--package')) {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'ignore' });
  }
  return fs.statSync(vsix).size;
}

/** Loads the bundle and calls activate() in a fresh module cache, `runs` times. */
function activateInNode(runs: number): { load: number[]; activate: number[] } {
  const bundle = path.join(ROOT, 'dist', 'extension.js');
  const load: number[] = [];
  const activate: number[] = [];
  const resolve = (Module as unknown as { _resolveFilename: (r: string, ...rest: unknown[]) => string })._resolveFilename;
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  const stubPath = path.join(__dirname, '__vscode_stub__.js');
  cache[stubPath] = { id: stubPath, filename: stubPath, loaded: true, exports: stubVscode() } as unknown;
  (Module as unknown as { _resolveFilename: unknown })._resolveFilename = (r: string, ...rest: unknown[]) =>
    r === 'vscode' ? stubPath : resolve(r, ...rest);
  for (let i = 0; i < runs; i++) {
    delete cache[bundle];
    const t0 = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- timing a CommonJS load is the point
    const ext = require(bundle) as { activate(ctx: unknown): { activationMs: number } };
    const t1 = performance.now();
    const subscriptions: Array<{ dispose(): void }> = [];
    const api = ext.activate({ subscriptions, extensionUri: { fsPath: '/nonexistent', path: '/nonexistent' }, extensionPath: '/nonexistent' });
    activate.push(api.activationMs);
    load.push(t1 - t0);
    subscriptions.forEach((s) => s.dispose());
  }
  return { load, activate };
}

/** VS Code's own figure (code loading + activate), read by the UI test from Show Running Extensions. */
function workbenchFigure(): string {
  const file = path.join(ROOT, 'test-results', 'activation.json');
  if (!fs.existsSync(file)) return 'not measured (run npm run test:vscode first)';
  return `${(JSON.parse(fs.readFileSync(file, 'utf8')) as { activationMs: number }).activationMs} ms (from the last npm run test:vscode)`;
}

function hostFigure(): string {
  const log = path.join(ROOT, 'test-results', 'extension-host-log.txt');
  if (!fs.existsSync(log)) return 'not measured (run npm run test:vscode first)';
  const m = /kproc activation: activate\(\) took ([\d.]+) ms/.exec(fs.readFileSync(log, 'utf8'));
  return m ? `${m[1]} ms (from the last npm run test:vscode)` : 'not found in the last run\'s log';
}

if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) execFileSync('node', ['scripts/build.mjs', '--production'], { cwd: ROOT });
const size = vsixSize();
const { load, activate } = activateInNode(20);
console.log(`activation as VS Code reports it (Show Running Extensions): ${workbenchFigure()}`);
console.log(`activate() in a VS Code extension host: ${hostFigure()}`);
console.log(`dist/extension.js load (first / median of ${load.length}): ${load[0].toFixed(2)} / ${median(load).toFixed(2)} ms`);
console.log(`activate() with a stub vscode (first / median): ${activate[0].toFixed(2)} / ${median(activate).toFixed(2)} ms`);
console.log(`linux-process-lab.vsix: ${(size / 1024).toFixed(1)} KiB (target < 1024 KiB)`);
