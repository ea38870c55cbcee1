#!/usr/bin/env node
// Command-line entry point: runs the bundled CLI built by `npm install` (scripts/build.mjs). main()
// reports its own errors; this file only guards against a missing build.
let cli;
try {
  cli = require('../dist/cli.js');
} catch (e) {
  process.stderr.write(`kproc: cannot load dist/cli.js (${e && e.code ? e.code : e}); run npm install or npm run build first\n`);
  process.exit(70);
}
cli.main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
