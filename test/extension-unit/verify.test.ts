// The "Verify against the Real Kernel" command: contributed where the other scenario commands are,
// shipped with what it runs (the CLI and the real side's init.c), and its notification read from
// the CLI's own exit codes.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { verifyOutcome } from '../../extension/client/verifyOutcome';
import { VERIFY_EXIT } from '../../sim-core/cli/verify/verify';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string; title: string }>; menus: Record<string, Array<{ command: string; when?: string }>> };
};

describe('kproc.verify in the manifest', () => {
  it('is a contributed command, offered for kproc files in the palette and the editor menus', () => {
    const cmd = pkg.contributes.commands.find((c) => c.command === 'kproc.verify');
    assert.ok(cmd, 'kproc.verify is contributed');
    assert.equal(cmd.title, 'Verify against the Real Kernel');
    for (const menu of ['commandPalette', 'editor/title', 'editor/context']) {
      const item = pkg.contributes.menus[menu].find((m) => m.command === 'kproc.verify');
      assert.ok(item, `kproc.verify is in ${menu}`);
      assert.equal(item.when, 'resourceLangId == kproc', menu);
    }
  });

  it('is registered by the extension under the same id', () => {
    const text = readFileSync(path.join(root, 'extension/client/verify.ts'), 'utf8');
    assert.match(text, /VERIFY_COMMAND = 'kproc\.verify'/);
    assert.match(readFileSync(path.join(root, 'extension/client/commands.ts'), 'utf8'), /registerVerifyCommand\(context\)/);
  });

  it('ships the CLI it runs and the C source of the real side\'s init in the .vsix', () => {
    const kept = readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    for (const f of ['bin/kproc.js', 'dist/cli.js', 'dist/init.c']) assert.ok(kept.includes(f), `.vscodeignore keeps ${f}`);
    assert.match(readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8'), /copyFileSync\('sim-core\/cli\/verify\/init\.c', 'dist\/init\.c'\)/);
  });
});

describe('the Verify notification', () => {
  it('reads each of the CLI\'s verdicts from its exit status', () => {
    assert.deepEqual(verifyOutcome(VERIFY_EXIT.agree, 'a.kproc'), { level: 'info', text: 'a.kproc: the real kernel and the simulator agree.' });
    assert.equal(verifyOutcome(VERIFY_EXIT.differ, 'a.kproc').level, 'warning');
    assert.match(verifyOutcome(VERIFY_EXIT.differ, 'a.kproc').text, /differ/);
    assert.match(verifyOutcome(VERIFY_EXIT.cannotCompare, 'a.kproc').text, /cannot compare/);
    assert.equal(verifyOutcome(VERIFY_EXIT.usage, 'a.kproc').level, 'error');
    assert.match(verifyOutcome(null, 'a.kproc').text, /stopped/);
    assert.match(verifyOutcome(VERIFY_EXIT.internal, 'a.kproc').text, /exit status 70/);
  });
});
