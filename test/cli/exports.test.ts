// `kproc run --timeline FILE.svg` and `--graph FILE.mmd|FILE.dot`: the files written at the end
// parse, the run prints exactly what it prints without them (the scheduler traced for the
// timeline stays out of --trace and --json), and a wrong extension or folder is a usage error.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../sim-core/cli/main';
import { EXIT_CODES } from '../../sim-core/cli/run';
import { capture } from './capture';
import { parseDotText, parseMermaid, parseXml, walk } from '../viz/check-exports';

const FORK_WAIT = 'examples/fork-wait.kproc';
const ORPHAN = 'examples/orphan.kproc';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await main(['run', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('kproc run --timeline and --graph', function () {
  this.timeout(120000); // a hang guard only
  const dir = mkdtempSync(join(tmpdir(), 'kproc-exports-'));

  it('writes the timeline as SVG and the graph as Mermaid, and prints what a plain run prints', async () => {
    const svg = join(dir, 'fork-wait.svg');
    const mmd = join(dir, 'fork-wait.mmd');
    const plain = await run(FORK_WAIT);
    const r = await run('--timeline', svg, '--graph', mmd, FORK_WAIT);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.stderr, plain.stderr);
    const root = parseXml(readFileSync(svg, 'utf8'));
    const texts = [...walk(root)].filter((e) => e.name === 'text').map((e) => e.text);
    assert.ok(texts.includes('CPU 0'), 'the scheduler was traced for the timeline: a CPU row');
    assert.ok(texts.includes('4 fork-wait') && texts.includes('3 fork-wait'));
    assert.ok(!texts.some((t) => t.includes('no sched_switch events')));
    const g = parseMermaid(readFileSync(mmd, 'utf8'));
    const nodes = [...g.nodes.values()].map((n) => n.lines.join(' / '));
    assert.ok(nodes.includes('4 fork-wait / reaped'), nodes.join('\n'));
    assert.ok(nodes.includes('1 init / running') || nodes.includes('1 init / sleeping'), nodes.join('\n'));
  });

  it('writes DOT for .dot, with the orphan\'s first parent dashed, and keeps the scheduler out of --trace', async () => {
    const dot = join(dir, 'orphan.dot');
    const svg = join(dir, 'orphan.svg');
    const traced = await run('--trace', ORPHAN);
    const r = await run('--trace', '--graph', dot, '--timeline', svg, ORPHAN);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, traced.stdout);
    assert.doesNotMatch(r.stdout, /sched_switch|sched_wakeup/);
    const d = parseDotText(readFileSync(dot, 'utf8'));
    assert.equal(d.edges.filter((e) => e.attrs.style === 'dashed').length, 1, 'orphan 4: its first parent, 3');
    parseXml(readFileSync(svg, 'utf8'));
  });

  it('--trace-sched still prints the scheduler\'s events with --timeline', async () => {
    const r = await run('--trace-sched', '--timeline', join(dir, 'ts.svg'), FORK_WAIT);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /sched_switch/);
  });

  it('--json with --timeline lists no sched events it was not asked for', async () => {
    const r = await run('--json', '--timeline', join(dir, 'j.svg'), FORK_WAIT);
    const doc = JSON.parse(r.stdout) as { events: Array<{ kind: string }> };
    assert.ok(doc.events.length > 0);
    assert.ok(doc.events.every((e) => e.kind !== 'sched_switch' && e.kind !== 'sched_wakeup'));
  });

  it('writes the files however the run ends: here the step budget runs out (exit 124)', async () => {
    const spin = join(dir, 'spin.kproc');
    writeFileSync(spin, '#include <unistd.h>\nint main(void)\n{\n    if (fork() == 0)\n        for (;;) {}\n    for (;;) {}\n    return 0;\n}\n');
    const svg = join(dir, 'spin.svg');
    const dot = join(dir, 'spin.dot');
    const r = await run('--max-steps', '5000', '--timeline', svg, '--graph', dot, spin);
    assert.equal(r.code, EXIT_CODES.budget, r.stderr);
    const texts = [...walk(parseXml(readFileSync(svg, 'utf8')))].filter((e) => e.name === 'text').map((e) => e.text);
    assert.ok(texts.includes('3 spin') && texts.includes('4 spin'), texts.join('|'));
    const d = parseDotText(readFileSync(dot, 'utf8'));
    assert.equal(d.nodes.size, 4, 'init, kthreadd, the parent and its child, all still there');
  });

  it('a file name whose extension gives no format, a missing folder or a folder is a usage error before the run', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--graph', join(dir, 'g.png')], /--graph writes Mermaid \(\.mmd\) or Graphviz DOT \(\.dot\): cannot tell the format of '.*g\.png'/],
      [['--graph', join(dir, 'g')], /cannot tell the format/],
      [['--timeline', join(dir, 't.png')], /--timeline writes SVG: the file name must end in \.svg/],
      [['--timeline', join(dir, 'no', 'such', 't.svg')], /--timeline .*t\.svg: no such folder/],
      [['--graph', join(dir, 'missing', 'g.dot')], /--graph .*g\.dot: no such folder/],
    ];
    mkdirSync(join(dir, 'folder.svg'));
    cases.push([['--timeline', join(dir, 'folder.svg')], /is a folder/]);
    for (const [args, message] of cases) {
      const r = await run(...args, FORK_WAIT);
      assert.equal(r.code, EXIT_CODES.usage, args.join(' '));
      assert.equal(r.stdout, '', 'not run');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.ok(!existsSync(join(dir, 'g.png')) && !existsSync(join(dir, 't.png')));
  });
});
