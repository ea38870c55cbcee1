// Records a DAP conversation as text, one message a line, with what changes from run to run
// (sequence numbers, temp paths, kernel addresses) normalised, for golden transcripts.

import type { DebugClient } from '@vscode/debugadapter-testsupport';

interface Hookable {
  dispatch(body: string): void;
  doSend(command: string, args: unknown, clb: (r: unknown) => void): void;
}

export class Transcript {
  readonly lines: string[] = [];

  constructor(dc: DebugClient, private readonly replacements: Array<[string, string]>) {
    const h = dc as unknown as Hookable;
    const dispatch = h.dispatch.bind(dc);
    const doSend = h.doSend.bind(dc);
    h.dispatch = (body: string) => {
      this.add(body, true);
      dispatch(body);
    };
    h.doSend = (command, args, clb) => {
      this.lines.push(this.normalise(`-> ${command} ${JSON.stringify(args ?? {})}`));
      doSend(command, args, clb);
    };
  }

  private add(body: string, incoming: boolean): void {
    const m = JSON.parse(body) as { type: string; event?: string; command?: string; success?: boolean; message?: string; body?: unknown };
    const text = m.type === 'event'
      ? `<- event ${m.event} ${JSON.stringify(m.body ?? {})}`
      : `<- ${m.command} ${m.success ? 'ok' : `error: ${m.message}`} ${JSON.stringify(m.body ?? {})}`;
    if (incoming) this.lines.push(this.normalise(text));
  }

  private normalise(s: string): string {
    let out = s;
    for (const [from, to] of this.replacements) out = out.split(from).join(to);
    return out.replace(/0xffff[0-9a-f]{8,}/g, '0xADDR').replace(/kernel-[0-9a-f]{16}/g, 'kernel-HASH');
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
