// Bundles each entry point (extension client, debug adapter, language server, CLI) into dist/ with esbuild.
import { build } from 'esbuild';
import { copyFileSync, existsSync } from 'node:fs';

const entries = [
  { in: 'extension/client/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  // Loaded lazily after activation, so activation itself stays small.
  { in: 'extension/client/languageClientMain.ts', out: 'dist/languageClientMain.js', external: ['vscode'] },
  { in: 'extension/client/inlineAdapterMain.ts', out: 'dist/inlineAdapterMain.js', external: ['vscode'] },
  { in: 'extension/adapter/main.ts', out: 'dist/adapter.js' },
  { in: 'extension/server/main.ts', out: 'dist/server.js' },
  { in: 'sim-core/cli/main.ts', out: 'dist/cli.js' },
  // The Process Timeline panel's page script runs in the webview (a browser).
  { in: 'extension/client/timelineWebview.ts', out: 'dist/timelineWebview.js', platform: 'browser', format: 'iife' },
  // Its second script (the tree view, the export), loaded by the page after its first frame.
  { in: 'extension/client/pageLater.ts', out: 'dist/timelineLater.js', platform: 'browser', format: 'iife' },
];

const production = process.argv.includes('--production');
await Promise.all(entries.filter((e) => existsSync(e.in)).map((e) => build({
  entryPoints: [e.in],
  outfile: e.out,
  bundle: true,
  platform: e.platform ?? 'node',
  target: e.platform === 'browser' ? 'es2022' : 'node18',
  format: e.format ?? 'cjs',
  sourcemap: !production,
  minify: production,
  external: e.external ?? [],
  logLevel: 'warning',
})));

// `kproc verify` compiles the real side's init from its C source, read next to the bundled CLI.
copyFileSync('sim-core/cli/verify/init.c', 'dist/init.c');
