#!/usr/bin/env node
// Command-line entry point: runs the bundled CLI built by `npm install` (scripts/build.mjs). main()
// reports its own errors; this file guards against a missing build and anything that escapes main.
const fail = (what) => {
  process.stderr.write(`kproc: ${what}\n`);
  process.exit(70);
};
process.on('uncaughtException', (e) => fail(`internal error: ${e && e.message ? e.message.split('\n')[0] : e} (please report it)`));
let cli;
try {
  cli = require('../dist/cli.js');
} catch (e) {
  fail(`cannot load dist/cli.js (${e && e.code ? e.code : e}); run npm install or npm run build first`);
}
cli.main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
