// `npm run test:vscode`: the extension in a real VS Code (for the web, on code-server), first the
// extension-host suite, then the user-level UI test. Exits non-zero on any failure or timeout.
// `npm run test:vscode -- host` or `-- ui` runs one of them; KPROC_MOCK_ADAPTER=1 swaps in the
// scripted adapter of test/extension/mock to test the client alone.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { ensureInstalled, ROOT } from './codeServer';
import { runHostSuite } from './hostSuite';
import { runUiTest } from './ui';

const RESULTS = path.join(ROOT, 'test-results');
const TOTAL_TIMEOUT_MS = Number(process.env.KPROC_VSCODE_TEST_TIMEOUT_MS ?? 15 * 60_000);
const MOCK = process.env.KPROC_MOCK_ADAPTER === '1';

function sh(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
}

async function buildAll(production: boolean): Promise<void> {
  sh('node', ['scripts/build.mjs', ...(production ? ['--production'] : [])]);
  sh('npm', ['run', '--silent', 'build:language-client']);
  if (MOCK) {
    await build({
      entryPoints: [path.join(__dirname, 'mock/mockAdapter.ts')], outfile: path.join(ROOT, 'dist/adapter.js'),
      bundle: true, platform: 'node', target: 'node18', format: 'cjs', logLevel: 'warning',
    });
  }
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
  return failed ? 1 : 0;
}

function cleanUp(): void {
  // A mock bundle must not be mistaken for the adapter by a later `npm run package`.
  if (MOCK && !fs.existsSync(path.join(ROOT, 'extension/adapter/main.ts'))) fs.rmSync(path.join(ROOT, 'dist/adapter.js'), { force: true });
  else if (MOCK) sh('node', ['scripts/build.mjs']);
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
