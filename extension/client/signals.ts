// Names shared by the commands and the manifest, kept apart from commands.ts so the manifest can be
// built without loading vscode.
export const SIGNALS = ['SIGKILL', 'SIGSTOP', 'SIGCONT', 'SIGTERM'] as const;
export type SignalName = (typeof SIGNALS)[number];
