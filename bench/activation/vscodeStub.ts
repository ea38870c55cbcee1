// A stand-in for the `vscode` module that accepts any call, so dist/extension.js can be loaded
// and activated in plain Node to time it. Only Uri is real enough to build file paths.
import * as path from 'node:path';

type Anything = ((...args: unknown[]) => Anything) & { [key: string | symbol]: Anything };

function anything(): Anything {
  const target = function () { /* callable and constructible */ } as unknown as Anything;
  const proxy: Anything = new Proxy(target, {
    get: (_t, key) => {
      if (key === 'then') return undefined; // not a thenable, so `await` does not hang on it
      if (key === Symbol.toPrimitive) return () => '';
      if (key === 'dispose') return () => undefined;
      return proxy;
    },
    apply: () => proxy,
    construct: () => proxy,
  });
  return proxy;
}

export function stubVscode(): Record<string, unknown> {
  const base = anything();
  const Uri = {
    file: (p: string) => ({ fsPath: p, path: p }),
    joinPath: (u: { fsPath: string }, ...parts: string[]) => {
      const p = path.join(u.fsPath, ...parts);
      return { fsPath: p, path: p };
    },
    parse: (s: string) => ({ fsPath: s, path: s, toString: () => s }),
  };
  // Real own properties: the bundle's ESM interop copies the module's own keys.
  const names = ['EventEmitter', 'Disposable', 'TreeItem', 'ThemeIcon', 'TreeItemCollapsibleState', 'DebugAdapterExecutable',
    'DebugAdapterInlineImplementation', 'DebugConfigurationProviderTriggerKind', 'FunctionBreakpoint', 'ViewColumn',
    'commands', 'debug', 'window', 'workspace', 'languages', 'extensions', 'env'];
  return Object.fromEntries([...names.map((n) => [n, base[n]]), ['Uri', Uri]]);
}
