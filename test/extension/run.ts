// `npm run test:vscode`: the extension in a real VS Code (for the web, on code-server), first the
// extension-host suite, then the user-level UI test. Exits non-zero on any failure or timeout.
// `npm run test:vscode -- host`, `-- ui` or `-- timeline` runs one of them; KPROC_MOCK_ADAPTER=1 swaps in the
// scripted adapter of test/extension/mock to test the client alone.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { ensureInstalled, ROOT } from './codeServer';
import { runHostSuite } from './hostSuite';
import { runUiTest } from './ui';
import { runTimelineUi } from './timelineUi';

const RESULTS = path.join(ROOT, 'test-results');
const TOTAL_TIMEOUT_MS = Number(process.env.KPROC_VSCODE_TEST_TIMEOUT_MS ?? 15 * 60_000);
const MOCK = process.env.KPROC_MOCK_ADAPTER === '1';

function sh(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
}

async function bundle(entry: string, out: string, production: boolean): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, entry)], outfile: path.join(ROOT, 'dist', out), bundle: true, platform: 'node',
    target: 'node18', format: 'cjs', external: ['vscode'], minify: production, logLevel: 'warning',
  });
}

async function buildAll(production: boolean): Promise<void> {
  if (!MOCK) {
    sh('node', ['scripts/build.mjs', ...(production ? ['--production'] : [])]);
    sh('npm', ['run', '--silent', 'build:client-chunks']);
    return;
  }
  // With the scripted adapter, the client is built alone: the real adapter may be mid-change.
  await bundle('extension/client/extension.ts', 'extension.js', production);
  await bundle('extension/client/languageClientMain.ts', 'languageClientMain.js', production);
  for (const out of ['adapter.js', 'inlineAdapterMain.js']) await bundle('test/extension/mock/mockAdapter.ts', out, production);
}

async function main(): Promise<number> {
  const only = process.argv[2];
  fs.mkdirSync(RESULTS, { recursive: true });
  ensureInstalled();
  let failed = 0;
  if (!only || only === 'host') {
    await buildAll(false);
    console.log(`extension-host suite (VS Code for the web${MOCK ? ', mock adapter' : ''})`);
    const r = await runHostSuite(RESULTS, 5 * 60_000);
    fs.writeFileSync(path.join(RESULTS, 'extension-host-log.txt'), r.log.join('\n') + '\n');
    console.log(`extension-host suite: ${r.passes} passing, ${r.failures} failing, exit ${r.exitCode}`);
    r.failed.forEach((f) => console.log(`  FAILED ${f}`));
    if (r.exitCode !== 0 || r.failures > 0 || r.passes === 0) failed++;
  }
  if (!only || only === 'ui') {
    await buildAll(true);
    sh('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository',
      '--skip-license', '-o', 'linux-process-lab.vsix']);
    console.log(`UI test (Playwright in Chromium${MOCK ? ', mock adapter' : ''})`);
    const r = await runUiTest(RESULTS);
    for (const s of r.steps) console.log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name}${s.error ? `: ${s.error}` : ''}`);
    if (!r.ok) failed++;
  }
  if (!only || only === 'timeline') {
    await buildAll(false);
    console.log('Process Timeline (Playwright in Chromium, the extension from this folder)');
    const r = await runTimelineUi(RESULTS);
    for (const s of r.steps) console.log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name}${s.error ? `: ${s.error}` : ''}`);
    if (!r.ok) failed++;
  }
  return failed ? 1 : 0;
}

function cleanUp(): void {
  // A mock bundle must not be mistaken for the adapter by a later `npm run package`.
  if (!MOCK) return;
  for (const f of ['adapter.js', 'inlineAdapterMain.js']) fs.rmSync(path.join(ROOT, 'dist', f), { force: true });
  try {
    sh('node', ['scripts/build.mjs']);
    sh('npm', ['run', '--silent', 'build:client-chunks']);
  } catch {
    // The real adapter may not build yet; then there is simply no adapter in dist/.
  }
}

const watchdog = setTimeout(() => {
  console.error(`test:vscode: timed out after ${TOTAL_TIMEOUT_MS} ms`);
  cleanUp();
  process.exit(2);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

main().then((code) => { cleanUp(); process.exit(code); }, (e: unknown) => {
  console.error(e);
  cleanUp();
  process.exit(1);
});
