// Runs the TextMate grammar fixtures through vscode-tmgrammar-test, checks that the committed
// grammar is what the catalog generates, and that every scope the grammar assigns is asserted.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grammarText } from '../../syntaxes/build-grammar';

const root = join(__dirname, '..', '..');
const grammarPath = join(root, 'syntaxes', 'kproc.tmLanguage.json');
const runner = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');

function runFixtures(glob: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [runner, '-c', '-g', grammarPath, glob], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Every `name` value in the grammar, each dotted scope of a capture included. */
function grammarScopes(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const n of node) grammarScopes(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'name' && typeof v === 'string') out.add(v);
      else grammarScopes(v, out);
    }
  }
  return out;
}

describe('grammar', () => {
  it('is generated from the builtins catalog (run npx tsx syntaxes/build-grammar.ts after changing it)', () => {
    assert.equal(readFileSync(grammarPath, 'utf8'), grammarText());
  });

  it('passes every fixture under test/grammar', function () {
    this.timeout(30000);
    const r = runFixtures('test/grammar/*.kproc');
    assert.equal(r.status, 0, r.out);
  });

  it('fails a fixture that asserts the wrong scope', function () {
    this.timeout(30000);
    const dir = mkdtempSync(join(tmpdir(), 'kproc-grammar-'));
    try {
      const bad = join(dir, 'bad.kproc');
      writeFileSync(bad, '// SYNTAX TEST "source.kproc" "wrong on purpose"\n    fork();\n//  ^^^^ support.constant.signal.kproc\n');
      const r = runFixtures(bad);
      assert.notEqual(r.status, 0, r.out);
      assert.match(r.out, /support\.constant\.signal\.kproc/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a fixture assertion for every scope it assigns', () => {
    const grammar: unknown = JSON.parse(readFileSync(grammarPath, 'utf8'));
    const scopes = grammarScopes((grammar as { repository: unknown }).repository, new Set());
    const fixtures = readdirSync(__dirname).filter((f) => f.endsWith('.kproc'))
      .map((f) => readFileSync(join(__dirname, f), 'utf8')).join('\n');
    const asserted = new Set<string>();
    for (const m of fixtures.matchAll(/^\/\/\s*(?:\^+|<-+)\s+(.+)$/gm)) for (const s of m[1].trim().split(/\s+/)) asserted.add(s);
    // Container scopes (meta.*) and the punctuation around comments and strings ride along with what they hold.
    const implied = (s: string): boolean => s.startsWith('meta.') || s.startsWith('punctuation.definition.comment')
      || s.startsWith('punctuation.definition.string');
    const missing = [...scopes].filter((s) => !asserted.has(s) && !implied(s));
    assert.deepEqual(missing, []);
  });
});
