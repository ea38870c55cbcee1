// `npm run test:electron`: the same extension-host suite in desktop VS Code, downloaded by
// @vscode/test-electron. For machines that can reach update.code.visualstudio.com; these
// project machines cannot, and use `npm run test:vscode` (VS Code for the web) instead.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { bundleSuite } from './hostSuite';

const ROOT = path.resolve(__dirname, '../..');

async function main(): Promise<void> {
  execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('npm', ['run', '--silent', 'build:client-chunks'], { cwd: ROOT, stdio: 'inherit' });
  const extensionTestsPath = await bundleSuite();
  const resultFile = path.join(ROOT, 'test-results', 'extension-host-electron.json');
  fs.mkdirSync(path.dirname(resultFile), { recursive: true });
  await runTests({
    version: process.env.KPROC_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath,
    extensionTestsEnv: { KPROC_SUITE_RESULT: resultFile },
    launchArgs: [path.join(ROOT, 'examples'), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
