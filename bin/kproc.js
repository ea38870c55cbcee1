#!/usr/bin/env node
// Command-line entry point: runs the bundled CLI built by `npm install` (scripts/build.mjs).
require('../dist/cli.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
