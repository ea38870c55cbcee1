// package.json's contributed launch options and settings must match the typed definitions in
// extension/client: one definition per option.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  launchAttributes, noLaunchJsonConfig, resolveLaunchConfig, settingsSchema, type KprocLaunchArguments, type KprocSettings,
} from '../../extension/client/launchSchema';
import { manifestEntries } from '../../extension/client/manifest';
import type { KprocLaunchArgs as AdapterLaunchArgs } from '../../extension/adapter/launch';
import { LEGEND } from '../../extension/server/features/semanticTokens';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

// The compiler rejects these objects when a key is added to or removed from the interfaces.
const launchKeys: Record<Exclude<keyof KprocLaunchArguments, 'type' | 'request' | 'name' | 'noDebug'>, true> = {
  program: true, stopOnEntry: true, args: true, stepGranularity: true, maxSteps: true, trace: true,
  pidMax: true, cpus: true, nproc: true, seed: true, uid: true, stdin: true, history: true, sched: true,
};

// The adapter reads the same attributes: a key on one side only does not compile.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const adapterAgrees: SameKeys<keyof AdapterLaunchArgs, Exclude<keyof KprocLaunchArguments, 'type' | 'request' | 'name'>> = true;
const settingKeys: Record<keyof KprocSettings, true> = {
  stepIntoKernel: true, pidMax: true, cpus: true, nproc: true, seed: true, stopOnEntry: true, debugAdapter: true,
};

interface Debugger { type: string; configurationAttributes: { launch: unknown }; initialConfigurations: unknown[] }
interface Contributes {
  debuggers: Debugger[];
  configuration: { properties: Record<string, unknown> };
  commands: Array<{ command: string }>;
  menus: Record<string, Array<{ command: string }>>;
  views: Record<string, Array<{ id: string }>>;
  viewsWelcome: Array<{ view: string }>;
  walkthroughs: Array<{ steps: Array<{ media: { markdown?: string } }> }>;
  semanticTokenModifiers?: Array<{ id: string; description: string }>;
  semanticTokenScopes?: Array<{ language: string; scopes: Record<string, string[]> }>;
}

describe('package.json manifest', () => {
  const contributes = pkg.contributes as Contributes;

  it('holds exactly what extension/client/manifest.ts generates (run it with --write after a change)', () => {
    for (const [key, value] of Object.entries(manifestEntries())) {
      assert.deepEqual(pkg[key], JSON.parse(JSON.stringify(value)), `package.json "${key}" is out of date`);
    }
  });

  it('declares every launch option of the interface in configurationAttributes, and nothing else', () => {
    const kproc = contributes.debuggers.find((d) => d.type === 'kproc');
    assert.ok(kproc, 'a kproc debugger is contributed');
    const launch = kproc.configurationAttributes.launch as { properties: Record<string, unknown>; required: string[] };
    assert.deepEqual(Object.keys(launch.properties).sort(), Object.keys(launchKeys).sort());
    assert.deepEqual(launch.required, ['program']);
    assert.deepEqual(launch, JSON.parse(JSON.stringify(launchAttributes)));
    const args = launch.properties.args as { properties: Record<string, unknown> };
    assert.deepEqual(Object.keys(args.properties).sort(), ['cpus', 'nproc', 'pidMax', 'seed', 'uid']);
    assert.equal(adapterAgrees, true);
  });

  it('writes ${file} into launch.json from every snippet, not a placeholder named "file"', () => {
    const kproc = contributes.debuggers.find((d) => d.type === 'kproc') as unknown as { configurationSnippets: Array<{ body: { program: string } }> };
    assert.ok(kproc.configurationSnippets.length >= 1);
    for (const s of kproc.configurationSnippets) assert.equal(s.body.program, '^"\\${file}"');
  });

  it('declares every setting of the interface under kproc.*', () => {
    assert.deepEqual(Object.keys(contributes.configuration.properties).sort(),
      Object.keys(settingKeys).map((k) => `kproc.${k}`).sort());
    assert.deepEqual(contributes.configuration.properties, JSON.parse(JSON.stringify(settingsSchema)));
  });

  it('gives every default a value valid against its own schema', () => {
    const all = { ...(launchAttributes.properties ?? {}), ...settingsSchema };
    for (const [name, s] of Object.entries(all)) {
      if (s.default === undefined) continue;
      if (s.enum) assert.ok(s.enum.includes(s.default), `${name}: default is one of the enum`);
      if (typeof s.default === 'number') {
        assert.ok(s.minimum === undefined || s.default >= s.minimum, `${name}: default >= minimum`);
        assert.ok(s.maximum === undefined || s.default <= s.maximum, `${name}: default <= maximum`);
      }
    }
  });

  it('refers only to commands it contributes, and welcome text only to views it contributes', () => {
    const commands = new Set(contributes.commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(contributes.menus)) {
      for (const item of items) assert.ok(commands.has(item.command), `${menu}: ${item.command}`);
    }
    const views = new Set(Object.values(contributes.views).flat().map((v) => v.id));
    for (const w of contributes.viewsWelcome) assert.ok(views.has(w.view), w.view);
  });

  it('ships the files the manifest names', () => {
    const files = [
      (pkg as { icon: string }).icon, 'media/kproc.svg', 'media/kproc-file.svg',
      ...contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown ?? '')),
    ];
    for (const f of files) assert.doesNotThrow(() => readFileSync(path.join(root, f)), f);
  });

  it('packs every bundle the build writes into dist/ (the timeline page loads its second script at run time)', () => {
    const kept = readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    const outs = [...readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8').matchAll(/out: '(dist\/[\w.]+\.js)'/g)].map((m) => m[1]);
    assert.ok(outs.includes('dist/timelineLater.js') && outs.length >= 7, outs.join(', '));
    for (const f of outs) assert.ok(kept.includes(f), `.vscodeignore keeps ${f}`);
  });

  it('declares untrusted workspaces supported (a scenario is data, never host code)', () => {
    assert.deepEqual((pkg.capabilities as { untrustedWorkspaces: unknown }).untrustedWorkspaces, { supported: true });
  });

  it('declares every semantic token modifier of the language server that VS Code does not know', () => {
    const standard = new Set(['declaration', 'definition', 'readonly', 'static', 'deprecated', 'abstract', 'async', 'modification', 'documentation', 'defaultLibrary', 'global']);
    const declared = (contributes.semanticTokenModifiers ?? []).map((m) => m.id);
    const own = (LEGEND.tokenModifiers as string[]).filter((m) => !standard.has(m));
    assert.deepEqual([...declared].sort(), [...own].sort());
    const scopes = Object.keys(contributes.semanticTokenScopes?.[0]?.scopes ?? {});
    for (const m of own) assert.ok(scopes.some((sel) => sel.endsWith(`.${m}`)), `no TextMate scope for the ${m} modifier`);
  });
});

describe('resolveLaunchConfig', () => {
  const settings: KprocSettings = { stepIntoKernel: true, pidMax: 500, cpus: 2, nproc: 64, seed: 7, stopOnEntry: true, debugAdapter: 'inline' };

  it('fills an empty configuration from the settings and the active file', () => {
    const c = resolveLaunchConfig({}, settings, '/w/fork.kproc');
    assert.deepEqual(c, {
      type: 'kproc', request: 'launch', name: 'Debug scenario', program: '/w/fork.kproc', stopOnEntry: true,
      stepGranularity: 'kernel', args: { pidMax: 500, cpus: 2, nproc: 64, seed: 7 },
      pidMax: 500, cpus: 2, nproc: 64, seed: 7,
    });
  });

  it('lets explicit values win over settings, args over top-level values', () => {
    const c = resolveLaunchConfig({ program: '/p.kproc', stepGranularity: 'statement', cpus: 4, args: { cpus: 8 }, stopOnEntry: false },
      settings, '/other.kproc');
    assert.equal(c?.program, '/p.kproc');
    assert.equal(c?.stepGranularity, 'statement');
    assert.equal(c?.cpus, 8);
    assert.equal(c?.args?.cpus, 8);
    assert.equal(c?.stopOnEntry, false);
  });

  it('takes stopOnEntry and the step granularity from the settings when F5 has no launch.json', () => {
    const quiet = { ...settings, stopOnEntry: false, stepIntoKernel: false };
    const c = resolveLaunchConfig(noLaunchJsonConfig('/w/a.kproc'), quiet, undefined);
    assert.equal(c?.stopOnEntry, false);
    assert.equal(c?.stepGranularity, 'statement');
    assert.equal(resolveLaunchConfig(noLaunchJsonConfig('/w/a.kproc'), settings, undefined)?.stopOnEntry, true);
  });

  it('does not stop on entry when running without debugging', () => {
    assert.equal(resolveLaunchConfig({ noDebug: true }, settings, '/a.kproc')?.stopOnEntry, false);
  });

  it('returns undefined when there is no program at all', () => {
    assert.equal(resolveLaunchConfig({}, settings, undefined), undefined);
  });
});
