// Runaway-scenario benchmark: scenarios that once ran for hours or exhausted the simulator's
// memory (a loop of 1 MB memsets, strlen over a 1 MB string, an endless malloc, a printf of a
// 100,000,000-character width, 1 MB writes) run through the built CLI (dist/, npm run build
// first) with the default budgets; prints each one's wall time, how it ended and peak RSS.
// usage: npx tsx bench/runaway/run.ts [--max-steps N]. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin', 'kproc.js');
const i = process.argv.indexOf('--max-steps');
const maxSteps = i >= 0 ? process.argv[i + 1] : undefined;

const MB = 1 << 20;
const SCENARIOS: Array<[string, string]> = [
  ['memset loop (1 MB per call)', `#include <stdlib.h>\n#include <string.h>\nint main(void)\n{\n    char *p = malloc(${MB});\n    for (;;)\n        memset(p, 0, ${MB});\n    return 0;\n}\n`],
  ['strlen loop (1 MB string)', `#include <stdlib.h>\n#include <string.h>\nint main(void)\n{\n    char *p = malloc(${MB + 1});\n    memset(p, 'a', ${MB});\n    long n = 0;\n    for (;;)\n        n += strlen(p);\n    return 0;\n}\n`],
  ['while (1) malloc(16)', '#include <stdlib.h>\nint main(void)\n{\n    while (1)\n        malloc(16);\n    return 0;\n}\n'],
  ['printf("%100000000d") loop', '#include <stdio.h>\nint main(void)\n{\n    for (;;)\n        printf("%100000000d", 1);\n    return 0;\n}\n'],
  ['1 MB write loop', `#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>\nint main(void)\n{\n    char *p = malloc(${MB});\n    memset(p, 'x', ${MB});\n    for (;;)\n        write(1, p, ${MB});\n    return 0;\n}\n`],
];

if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
  console.error('dist/cli.js is missing: run npm run build first');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'kproc-runaway-'));
try {
  console.log(`runaway scenarios through kproc run${maxSteps ? ` --max-steps ${maxSteps}` : ' (default budgets)'}, output to /dev/null`);
  for (const [name, source] of SCENARIOS) {
    const file = join(dir, 'runaway.kproc');
    writeFileSync(file, source);
    const args = ['-r', join(__dirname, 'rss.cjs'), BIN, 'run', '--no-progress', ...(maxSteps ? ['--max-steps', maxSteps] : []), file];
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
    const seconds = (performance.now() - t0) / 1000;
    const rss = /kproc-bench-maxrss (\d+)/.exec(r.stderr ?? '');
    const said = (r.stderr ?? '').split('\n').filter((l) => l.startsWith('kproc run')).map((l) => l.replace(/^kproc run: [^:]*: /, '')).join('; ');
    const mb = rss ? `${(Number(rss[1]) / 1024).toFixed(0)} MB` : '?';
    console.log(`  ${name.padEnd(30)} ${seconds.toFixed(1).padStart(6)} s  exit ${String(r.status ?? r.signal).padStart(3)}  peak RSS ${mb.padStart(7)}  ${said}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
