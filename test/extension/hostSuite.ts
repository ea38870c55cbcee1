// Runs the extension-host mocha suite inside VS Code for the web: the workbench URL's payload
// names the extension under development and the tests, as VS Code's own web integration tests do.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { build } from 'esbuild';
import { launchChromium } from './browser';
import { freshProfile, ROOT, startServer } from './codeServer';

const OUT = path.join(ROOT, 'out/test/extension');

/** Bundles suite/*.ts into one CommonJS file that the extension host can require. */
export async function bundleSuite(): Promise<string> {
  const outfile = path.join(OUT, 'suite', 'index.js');
  await build({
    entryPoints: [path.join(__dirname, 'suite/index.ts')], outfile, bundle: true, platform: 'node', target: 'node18',
    format: 'cjs', sourcemap: 'inline', external: ['vscode', 'mocha'], logLevel: 'warning',
  });
  return outfile;
}

/** The folder the suite opens; KPROC_EXAMPLES_DIR points elsewhere when testing the client alone. */
function examplesDir(): string {
  return process.env.KPROC_EXAMPLES_DIR ?? path.join(ROOT, 'examples');
}

export interface SuiteResult {
  exitCode: number;
  failures: number;
  passes: number;
  failed: string[];
  log: string[];
}

export async function runHostSuite(resultsDir: string, timeoutMs: number): Promise<SuiteResult> {
  const suite = await bundleSuite();
  const resultFile = path.join(resultsDir, 'extension-host-result.json');
  fs.rmSync(resultFile, { force: true });
  const profile = freshProfile(path.join(ROOT, '.vscode-web/run/host-suite'));
  const server = await startServer(profile, path.join(resultsDir, 'code-server-host-suite.log'), {
    KPROC_SUITE_RESULT: resultFile, KPROC_EXAMPLES_DIR: examplesDir(),
  });
  const browser = await launchChromium();
  const log: string[] = [];
  try {
    const page = await browser.newPage();
    let finish: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => { finish = resolve; });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...args);
      log.push(line);
      // The workbench's own chatter (connections, gallery lookups and their stacks) stays in the log file.
      if (!/workbench\.js|connection token|Creating a socket|ENOTFOUND|extensionquery/.test(line)) process.stdout.write(`  | ${line}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(ROOT)], ['extensionTestsPath', remote(suite)]]);
    const folder = examplesDir();
    await page.goto(`${server.base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => { timer = setTimeout(() => resolve(-1), timeoutMs); });
    const exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (exitCode === -1) log.push(`extension-host suite timed out after ${timeoutMs} ms`);
    // The suite writes its own summary; the exit code alone cannot tell "no tests ran" from success.
    const summary = fs.existsSync(resultFile)
      ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { failures: number; stats: { passes: number }; failed: string[] }
      : { failures: 1, stats: { passes: 0 }, failed: ['the suite wrote no result file'] };
    return { exitCode, failures: summary.failures, passes: summary.stats.passes, failed: summary.failed, log };
  } finally {
    await browser.close();
    await server.stop();
  }
}
