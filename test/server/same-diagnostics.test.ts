// The editor and the command line report the same diagnostics: for every example, every .kproc file
// under test/ and the server tests' own scenarios, `kproc check --json` (the built CLI) and the
// language server (dist/server.js over stdio, through a real LSP client) agree on each diagnostic's
// range, severity, code and message. Run npm run build first.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { LspClient } from './client';
import { BROKEN, KERNEL, USER } from './fixtures';

const ROOT = resolve(__dirname, '..', '..');

interface Reported {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

function kprocFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...kprocFiles(p));
    else if (name.endsWith('.kproc')) out.push(p);
  }
  return out;
}

const SEVERITY: Record<number, string> = {
  [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning', [DiagnosticSeverity.Information]: 'info',
};

function fromLsp(d: LspDiagnostic): Reported {
  return { range: d.range, severity: SEVERITY[d.severity ?? 0] ?? `severity ${String(d.severity)}`, code: String(d.code), message: d.message };
}

describe('kproc check and the language server report the same diagnostics', function () {
  this.timeout(120000);
  const scratch = mkdtempSync(join(tmpdir(), 'kproc-same-'));
  // MANY has more diagnostics than are reported: both cap them the same way.
  const MANY = `int main(void)\n{\n${Array.from({ length: 300 }, (_, i) => `    nosuch_${i}();\n`).join('')}    return 0;\n}\n`;
  const inline = Object.entries({ USER, KERNEL, BROKEN, MANY }).map(([name, text]) => {
    const p = join(scratch, `${name.toLowerCase()}.kproc`);
    writeFileSync(p, text);
    return p;
  });
  const files = [...kprocFiles(join(ROOT, 'examples')), ...kprocFiles(join(ROOT, 'test')), ...inline];
  let cli: Map<string, Reported[]>;
  let client: LspClient;

  before(async () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kproc.js'), 'check', '--json', ...files], { cwd: ROOT, encoding: 'utf8' });
    assert.ok(r.status === 0 || r.status === 1, `kproc check failed (${r.status}): ${r.stderr}`);
    const doc = JSON.parse(r.stdout) as { files: Array<{ file: string; error?: string; diagnostics: Reported[] }> };
    cli = new Map(doc.files.map((f) => [f.file, f.diagnostics]));
    client = new LspClient();
    await client.initialize();
  });

  after(async () => {
    await client.close();
  });

  it('covers the examples, the test scenarios, and files with errors, warnings and teacher warnings', () => {
    assert.ok(files.length >= 20, `${files.length} files`);
    const all = [...cli.values()].flat();
    for (const code of ['syntax', 'undefined-name', 'never-waited', 'vfork-child', 'wait-no-child', 'too-many-diagnostics']) {
      assert.ok(all.some((d) => d.code === code), `no file reports ${code}`);
    }
  });

  for (const file of files) {
    it(file.startsWith(scratch) ? `the server tests' ${file.slice(scratch.length + 1)}` : file.slice(ROOT.length + 1), async () => {
      const uri = pathToFileURL(file).href;
      const v = await client.open(uri, readFileSync(file, 'utf8'));
      const published = await client.diagnostics(uri, v);
      const fromCli = cli.get(file);
      assert.ok(fromCli, `kproc check did not report on ${file}`);
      assert.deepEqual(published.diagnostics.map(fromLsp), fromCli);
    });
  }
});
