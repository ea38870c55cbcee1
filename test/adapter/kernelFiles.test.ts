// The displayed kernel sources go to a folder private to the user: created 0700 and owned by the
// user, never the old shared name, no planted link followed (at the folder or inside it), and a
// source that cannot be written is reported and served by sourceReference instead.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { KernelFiles } from '../../extension/adapter/kernelFiles';
import { ADAPTER, FORK_WAIT, launch, record, topFrames } from './harness';

const SOURCES = [
  { path: 'kernel/fork.c', text: 'long kernel_clone(struct kernel_clone_args *args)\n{\n}\n' },
  { path: 'kernel/exit.c', text: 'void do_exit(long code)\n{\n}\n' },
];
const uid = process.getuid?.();

describe('kernel source files', () => {
  let tmp: string;
  let victim: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kproc-kfiles-'));
    victim = path.join(tmp, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const mode = (p: string): number => fs.lstatSync(p).mode & 0o777;

  it('writes to a per-user folder, mode 0700 and owned by the user, not the old shared name', () => {
    const kf = new KernelFiles(SOURCES, { dir: undefined, tmp });
    assert.deepEqual(kf.problems, []);
    const base = path.dirname(kf.root);
    assert.notEqual(base, path.join(tmp, 'linux-process-lab'));
    for (const d of [base, kf.root, path.dirname(kf.absolute('kernel/fork.c'))]) {
      assert.equal(fs.lstatSync(d).isDirectory(), true, d);
      assert.equal(mode(d), 0o700, `${d} is private`);
      if (uid !== undefined) assert.equal(fs.lstatSync(d).uid, uid);
    }
    const file = kf.absolute('kernel/fork.c');
    assert.equal(fs.readFileSync(file, 'utf8'), SOURCES[0].text);
    assert.equal(mode(file), 0o444, 'read-only');
    assert.equal(kf.onDisk('kernel/fork.c'), true);
    assert.deepEqual(kf.source('kernel/fork.c'), { name: 'fork.c', path: file });
    // A second session finds the same folder (breakpoints keep their paths).
    assert.equal(new KernelFiles(SOURCES, { dir: undefined, tmp }).root, kf.root);
  });

  it('does not follow a link planted at the old shared folder', () => {
    fs.symlinkSync(tmp, path.join(tmp, 'linux-process-lab'));
    const kf = new KernelFiles(SOURCES, { dir: undefined, tmp });
    assert.ok(!kf.root.startsWith(path.join(tmp, 'linux-process-lab', path.sep)));
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
  });

  it('refuses a per-user folder that is a link, or open to others, and uses a fresh private one', () => {
    const perUser = path.join(tmp, uid === undefined ? 'linux-process-lab' : `linux-process-lab-${uid}`);
    const elsewhere = fs.mkdtempSync(path.join(tmp, 'planted-'));
    fs.symlinkSync(elsewhere, perUser);
    const a = new KernelFiles(SOURCES, { dir: undefined, tmp });
    assert.match(a.problems.join('\n'), /is a symbolic link; it is not used/);
    assert.ok(!a.root.startsWith(perUser + path.sep) && !a.root.startsWith(elsewhere), a.root);
    assert.equal(mode(path.dirname(a.root)), 0o700);
    assert.deepEqual(fs.readdirSync(elsewhere), [], 'nothing written through the link');
    assert.equal(fs.readFileSync(a.absolute('kernel/fork.c'), 'utf8'), SOURCES[0].text);

    fs.unlinkSync(perUser);
    fs.mkdirSync(perUser);
    fs.chmodSync(perUser, 0o777);
    const b = new KernelFiles(SOURCES, { dir: undefined, tmp });
    assert.match(b.problems.join('\n'), /open to other users \(mode 777\)/);
    assert.ok(!b.root.startsWith(perUser + path.sep), b.root);
  });

  it('replaces a link planted inside the folder instead of writing through it', () => {
    const dir = path.join(tmp, 'private');
    const first = new KernelFiles(SOURCES, { dir });
    const file = first.absolute('kernel/fork.c');
    fs.rmSync(file);
    fs.symlinkSync(victim, file);
    // Links at the names a writer might pick for its temporary copy.
    for (const n of [`${file}.${process.pid}.tmp`, `${file}.tmp`, `${file}~`]) fs.symlinkSync(victim, n);
    const again = new KernelFiles(SOURCES, { dir });
    assert.deepEqual(again.problems, []);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n', 'the link target is untouched');
    assert.equal(fs.lstatSync(file).isSymbolicLink(), false);
    assert.equal(fs.readFileSync(file, 'utf8'), SOURCES[0].text);
  });

  it('reports a source it cannot write and serves it by sourceReference', () => {
    const dir = path.join(tmp, 'private');
    const first = new KernelFiles(SOURCES, { dir });
    // A file where the kernel/ folder should be: nothing can be written under it.
    const kdir = path.dirname(first.absolute('kernel/fork.c'));
    fs.rmSync(kdir, { recursive: true, force: true });
    fs.writeFileSync(kdir, 'not a folder');
    const kf = new KernelFiles(SOURCES, { dir });
    assert.equal(kf.problems.length, 2);
    assert.match(kf.problems[0], /Cannot put the kernel source kernel\/fork\.c on disk \(.*is not a directory\)/);
    assert.equal(kf.onDisk('kernel/fork.c'), false);
    const src = kf.source('kernel/fork.c');
    assert.equal(src.path, undefined);
    assert.equal(src.name, 'fork.c');
    assert.equal(kf.text(src.sourceReference, undefined), SOURCES[0].text);
  });
});

describe('kernel source files in the built adapter', function () {
  this.timeout(30_000);

  it('says on stderr that the sources could not be written, and serves them by sourceReference', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kproc-kfiles-'));
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, '');
    // Neither the configured folder nor the temp directory can hold folders: both are files.
    const dc = new DebugClient('node', ADAPTER, 'kproc', { env: { ...process.env, KPROC_KERNEL_SOURCE_DIR: blocker, TMPDIR: blocker } });
    dc.defaultTimeout = 20_000;
    await dc.start();
    try {
      const out = record(dc, ['output']);
      const stopped = dc.waitForEvent('stopped');
      await launch(dc, { program: FORK_WAIT }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'copy_process' }] }));
      const ev = await stopped;
      const top = (await topFrames(dc, ev.body.threadId))[0];
      assert.equal(top.name, 'copy_process');
      assert.equal(top.source?.path, undefined);
      assert.ok((top.source?.sourceReference ?? 0) > 0, JSON.stringify(top.source));
      const src = await dc.sourceRequest({ source: top.source, sourceReference: top.source?.sourceReference ?? 0 });
      assert.match(src.body.content, /copy_process\(/);
      const said = out.events.map((e) => `${e.body.category}: ${e.body.output}`).join('');
      assert.match(said, /stderr: The kernel sources folder .* is not a directory/);
      assert.match(said, /stderr: Cannot put the kernel source kernel\/fork\.c on disk/);
    } finally {
      await dc.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
