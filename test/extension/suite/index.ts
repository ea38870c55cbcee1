// Mocha runner loaded by VS Code's extension host (extensionTestsPath): the @vscode/test-electron
// contract, run(), used the same way by the desktop build and by VS Code for the web.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Where the suite leaves its result for the runner, next to the bundle unless told otherwise. */
function resultFile(): string {
  return process.env.KPROC_SUITE_RESULT ?? path.join(__dirname, 'suite-result.json');
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // The test files are bundled into this file; requiring them after pre-require gives them
  // mocha's describe/it, exactly as mocha's own loader would.
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  await import('./activation.test');
  await import('./language.test');
  await import('./debug.test');
  await import('./travel.test');
  return new Promise((resolve, reject) => {
    const failures: string[] = [];
    const runner = mocha.run((count) => {
      const stats = runner.stats;
      fs.mkdirSync(path.dirname(resultFile()), { recursive: true });
      fs.writeFileSync(resultFile(), JSON.stringify({ failures: count, stats, failed: failures }, null, 2));
      if (count > 0) reject(new Error(`${count} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('fail', (test, err: Error) => failures.push(`${test.fullTitle()}: ${err.message}`));
  });
}
