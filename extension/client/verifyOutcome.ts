// What `kproc verify`'s exit status means to the editor: the notification's level and words. Kept
// free of the vscode module so that unit tests can check it against the CLI's own exit codes.

export type VerifyLevel = 'info' | 'warning' | 'error';

/** The CLI's exit status (null: killed or never started) as a notification about `name`. */
export function verifyOutcome(code: number | null, name: string): { level: VerifyLevel; text: string } {
  switch (code) {
    case 0: return { level: 'info', text: `${name}: the real kernel and the simulator agree.` };
    case 1: return { level: 'warning', text: `${name}: the real kernel and the simulator differ; the first difference is marked in the output.` };
    case 3: return { level: 'warning', text: `${name}: cannot compare with the real kernel; the output says why.` };
    default: return { level: 'error', text: `${name}: kproc verify failed${code === null ? ' (stopped)' : ` (exit status ${code})`}; see the output.` };
  }
}
