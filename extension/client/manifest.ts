// The extension's package.json entries (contributes, activation, capabilities), written as code
// so each launch option and setting is defined once. `npx tsx extension/client/manifest.ts
// --write` copies them into package.json; a unit test fails when the two differ.
import { defaultLaunchConfig, launchAttributes, settingsSchema } from './launchSchema';
import { SIGNALS } from './signals';
import { TRAVEL_ITEMS } from './travelModel';

const isScenario = 'resourceLangId == kproc';

/**
 * configurationSnippets bodies are snippets: `${file}` would become a placeholder named "file".
 * The `^"..."` form inserts the string as written, so launch.json gets the variable itself.
 */
const snippet = (config: Record<string, unknown>) => ({ ...config, program: '^"\\${file}"' });
const category = 'Kproc';

const commands = [
  { command: 'kproc.runScenario', title: 'Run Scenario', category, icon: '$(play)', enablement: '!inDebugMode || debugType == kproc' },
  { command: 'kproc.debugScenario', title: 'Debug Scenario', category, icon: '$(debug-alt)' },
  { command: 'kproc.addKernelFunctionBreakpoint', title: 'Add Kernel Function Breakpoint...', category, icon: '$(debug-breakpoint-function)' },
  { command: 'kproc.refreshTasks', title: 'Refresh Tasks', category, icon: '$(refresh)' },
  { command: 'kproc.showTask', title: 'Show task_struct', category, icon: '$(symbol-structure)' },
  { command: 'kproc.revealTask', title: 'Reveal Task', category },
  { command: 'kproc.openExample', title: 'Open Example Scenario', category },
  { command: 'kproc.verify', title: 'Verify against the Real Kernel', category, icon: '$(beaker)' },
  { command: 'kproc.walkthrough.breakOnCopyProcess', title: 'Break on copy_process', category },
  { command: 'kproc.showTimeline', title: 'Show Process Timeline', category, icon: '$(graph-line)' },
  ...SIGNALS.map((s) => ({ command: `kproc.signal.${s}`, title: `Send ${s}`, category })),
  { command: 'kproc.gotoStep', title: 'Go to Step...', category: 'Linux Process Lab', icon: '$(history)', enablement: 'debugType == kproc' },
  ...TRAVEL_ITEMS.map((t) => ({ command: t.command, title: t.title, category, enablement: 'debugType == kproc' })),
];

const taskViews = 'view == kproc.tasks || view == kproc.zombies || view == kproc.runQueue || view == kproc.debugTasks || view == kproc.debugZombies';

const menus = {
  'editor/title': [
    { command: 'kproc.runScenario', when: isScenario, group: 'navigation@1' },
    { command: 'kproc.debugScenario', when: isScenario, group: 'navigation@2' },
    { command: 'kproc.verify', when: isScenario, group: 'kproc@1' },
  ],
  'editor/context': [
    { command: 'kproc.runScenario', when: isScenario, group: 'kproc@1' },
    { command: 'kproc.debugScenario', when: isScenario, group: 'kproc@2' },
    { command: 'kproc.verify', when: isScenario, group: 'kproc@3' },
  ],
  'view/title': [
    { command: 'kproc.refreshTasks', when: 'view == kproc.tasks || view == kproc.debugTasks', group: 'navigation' },
    { command: 'kproc.addKernelFunctionBreakpoint', when: 'view == kproc.tasks', group: 'navigation' },
    { command: 'kproc.showTimeline', when: 'view == kproc.tasks || view == kproc.zombies || view == kproc.runQueue || view == kproc.debugTasks || view == kproc.debugZombies', group: 'navigation' },
  ],
  'debug/toolBar': [
    { command: 'kproc.showTimeline', when: 'debugType == kproc', group: 'navigation@100' },
  ],
  'view/item/context': [
    { command: 'kproc.showTask', when: `(${taskViews}) && viewItem =~ /^kprocTask/`, group: 'inline' },
    { command: 'kproc.showTask', when: `(${taskViews}) && viewItem =~ /^kprocTask/`, group: '1_task@1' },
    ...SIGNALS.map((s, i) => ({ command: `kproc.signal.${s}`, when: `(${taskViews}) && viewItem == kprocTask.live`, group: `2_signal@${i}` })),
    // Going back is offered during a session (the last table of a finished run stays on screen).
    ...TRAVEL_ITEMS.map((t, i) => ({
      command: t.command, when: `(${taskViews}) && viewItem =~ /^kprocTask/ && debugType == kproc`, group: `3_travel_${t.direction}@${i}`,
    })),
  ],
  commandPalette: [
    { command: 'kproc.runScenario', when: isScenario },
    { command: 'kproc.debugScenario', when: isScenario },
    { command: 'kproc.verify', when: isScenario },
    { command: 'kproc.showTask', when: 'false' },
    { command: 'kproc.revealTask', when: 'false' },
    { command: 'kproc.walkthrough.breakOnCopyProcess', when: 'false' },
    ...SIGNALS.map((s) => ({ command: `kproc.signal.${s}`, when: 'false' })),
    { command: 'kproc.gotoStep', when: 'debugType == kproc' },
    ...TRAVEL_ITEMS.map((t) => ({ command: t.command, when: 'false' })),
  ],
};

const tasksView = { id: 'kproc.tasks', name: 'Tasks', icon: 'media/kproc.svg', contextualTitle: 'Linux Process Lab' };
const views = {
  kproc: [
    tasksView,
    { id: 'kproc.zombies', name: 'Zombies', icon: 'media/kproc.svg', contextualTitle: 'Linux Process Lab' },
    { id: 'kproc.runQueue', name: 'Run Queue', icon: 'media/kproc.svg', contextualTitle: 'Linux Process Lab' },
  ],
  debug: [
    { id: 'kproc.debugTasks', name: 'Tasks (kproc)', when: 'debugType == kproc' },
    { id: 'kproc.debugZombies', name: 'Zombies (kproc)', when: 'debugType == kproc' },
  ],
};

const idleTasks = 'No scenario is running. Tasks appear here, drawn like `pstree -p`, every time a debug session stops.\n[Open Example](command:kproc.openExample)\n[Debug Scenario](command:kproc.debugScenario)';
const noZombies = 'No zombies. A task that has exited but has not been reaped by its parent\'s wait4() shows up here in EXIT_ZOMBIE, with its exit code, its parent, and how many steps it has been waiting.';
const viewsWelcome = [
  { view: 'kproc.tasks', contents: idleTasks },
  { view: 'kproc.zombies', contents: noZombies },
  { view: 'kproc.debugZombies', contents: noZombies },
  { view: 'kproc.runQueue', contents: 'No runnable tasks. While a scenario runs, each CPU\'s CFS run queue is listed here, smallest vruntime first.' },
];

const walkthroughs = [{
  id: 'kproc.gettingStarted',
  title: 'Linux Process Lab: step through fork()',
  description: 'Watch copy_process build a child, then see it run, exit and wait as a zombie.',
  steps: [
    {
      id: 'openExample', title: 'Open the fork example',
      description: 'A parent forks a child and waits for it.\n[Open fork-wait.kproc](command:kproc.openExample)',
      media: { markdown: 'media/walkthrough/open-example.md' },
      completionEvents: ['onCommand:kproc.openExample'],
    },
    {
      id: 'breakOnCopyProcess', title: 'Break in copy_process',
      description: 'A function breakpoint stops the kernel where it duplicates the parent\'s task_struct.\n[Add the breakpoint](command:kproc.walkthrough.breakOnCopyProcess)',
      media: { markdown: 'media/walkthrough/copy-process.md' },
      completionEvents: ['onCommand:kproc.walkthrough.breakOnCopyProcess'],
    },
    {
      id: 'startDebugging', title: 'Start debugging',
      description: 'Press F5 or use the button below; no launch.json is needed.\n[Debug Scenario](command:kproc.debugScenario)',
      media: { markdown: 'media/walkthrough/debug.md' },
      completionEvents: ['onDebug'],
    },
    {
      id: 'views', title: 'Watch the tasks',
      description: 'The Tasks view draws the process tree, Zombies lists what waits to be reaped, Run Queue shows CFS order.\n[Show the views](command:workbench.view.extension.kproc)',
      media: { markdown: 'media/walkthrough/views.md' },
      completionEvents: ['onView:kproc.tasks'],
    },
  ],
}];

/** Every key this extension owns in package.json, in the order written there. */
export function manifestEntries(): Record<string, unknown> {
  return {
    main: './dist/extension.js',
    icon: 'media/icon.png',
    activationEvents: ['onLanguage:kproc', 'onDebugResolve:kproc', 'onDebugDynamicConfigurations:kproc', 'onDebugInitialConfigurations', 'onWebviewPanel:kproc.timeline'],
    capabilities: {
      untrustedWorkspaces: { supported: true },
      virtualWorkspaces: { supported: 'limited', description: 'Debugging reads the scenario from disk; highlighting works everywhere.' },
    },
    contributes: {
      languages: [{
        id: 'kproc', aliases: ['Kproc Scenario', 'kproc'], extensions: ['.kproc'],
        configuration: './language-configuration.json', icon: { light: './media/kproc-file.svg', dark: './media/kproc-file.svg' },
      }],
      grammars: [{ language: 'kproc', scopeName: 'source.kproc', path: './syntaxes/kproc.tmLanguage.json' }],
      // The language server's own modifiers (see extension/server/features/semanticTokens.ts),
      // with TextMate scopes for themes that colour by scope only.
      semanticTokenModifiers: [
        { id: 'taskHandle', description: 'Holds a task: a pid_t, a pthread_t or a struct task_struct *.' },
        { id: 'threadFunction', description: 'Runs as a thread: passed to pthread_create or clone.' },
        { id: 'kthreadFunction', description: 'Runs as a kernel thread: passed to kthread_run or kthread_create.' },
        { id: 'signalHandler', description: 'Installed as a signal handler with signal or sigaction.' },
      ],
      semanticTokenScopes: [{
        language: 'kproc',
        scopes: {
          '*.taskHandle': ['variable.other.constant.task-handle.kproc'],
          'function.threadFunction': ['entity.name.function.thread.kproc'],
          'function.kthreadFunction': ['entity.name.function.kthread.kproc'],
          'function.signalHandler': ['entity.name.function.signal-handler.kproc'],
        },
      }],
      breakpoints: [{ language: 'kproc' }, { language: 'c' }],
      debuggers: [{
        type: 'kproc', label: 'Linux Process Lab', languages: ['kproc'],
        configurationAttributes: { launch: launchAttributes },
        initialConfigurations: [defaultLaunchConfig()],
        configurationSnippets: [
          { label: 'Linux Process Lab: Debug scenario', description: 'Debug the .kproc file in the active editor.', body: snippet({ ...defaultLaunchConfig() }) },
          {
            label: 'Linux Process Lab: Debug into the kernel', description: 'Step Into enters fork(), exit() and wait() down to copy_process and do_exit.',
            body: snippet({ ...defaultLaunchConfig(), name: 'Debug scenario (kernel)', stepGranularity: 'kernel' }),
          },
          {
            label: 'Linux Process Lab: Small machine', description: 'Two CPUs and a low pid_max, to watch EAGAIN and run queues.',
            body: snippet({ ...defaultLaunchConfig(), name: 'Debug scenario (small machine)', args: { cpus: 2, pidMax: 400, nproc: 32 } }),
          },
        ],
      }],
      commands,
      menus,
      viewsContainers: { activitybar: [{ id: 'kproc', title: 'Linux Process Lab', icon: 'media/kproc.svg' }] },
      views,
      viewsWelcome,
      walkthroughs,
      configuration: { title: 'Linux Process Lab', properties: settingsSchema },
    },
  };
}

/** Writes the entries into package.json, leaving every other key as it is. */
async function writePackageJson(): Promise<void> {
  const fs = await import('node:fs');
  const file = new URL('../../package.json', `file://${__filename}`);
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  Object.assign(pkg, manifestEntries());
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
}

if (require.main === module && process.argv.includes('--write')) void writePackageJson();
