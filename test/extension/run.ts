// `npm run test:vscode`: the extension in a real VS Code (for the web, on code-server), first the
// extension-host suite, then the user-level UI test. Exits non-zero on any failure or timeout.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureInstalled, ROOT } from './codeServer';
import { runHostSuite } from './hostSuite';
import { runUiTest } from './ui';

const RESULTS = path.join(ROOT, 'test-results');
const TOTAL_TIMEOUT_MS = Number(process.env.KPROC_VSCODE_TEST_TIMEOUT_MS ?? 15 * 60_000);

async function main(): Promise<number> {
  const only = process.argv[2];
  fs.mkdirSync(RESULTS, { recursive: true });
  ensureInstalled();
  execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('npm', ['run', '--silent', 'build:language-client'], { cwd: ROOT, stdio: 'inherit' });
  let failed = 0;
  if (!only || only === 'host') {
    console.log('extension-host suite (VS Code for the web)');
    const r = await runHostSuite(RESULTS, 5 * 60_000);
    fs.writeFileSync(path.join(RESULTS, 'extension-host-log.txt'), r.log.join('\n') + '\n');
    console.log(`extension-host suite: ${r.passes} passing, ${r.failures} failing, exit ${r.exitCode}`);
    r.failed.forEach((f) => console.log(`  FAILED ${f}`));
    if (r.exitCode !== 0 || r.failures > 0 || r.passes === 0) failed++;
  }
  if (!only || only === 'ui') {
    console.log('UI test (Playwright in Chromium)');
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'ignore' });
    const r = await runUiTest(RESULTS);
    for (const s of r.steps) console.log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name}${s.error ? `: ${s.error}` : ''}`);
    if (!r.ok) failed++;
  }
  return failed ? 1 : 0;
}

const watchdog = setTimeout(() => {
  console.error(`test:vscode: timed out after ${TOTAL_TIMEOUT_MS} ms`);
  process.exit(2);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
