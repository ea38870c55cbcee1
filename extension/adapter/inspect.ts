// What a stopped session shows, translated from the machine's plain answers into DAP: scopes,
// variables, evaluation, completions, data-breakpoint info and exception info. The machine owns
// every handle; they die when it runs again.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { eventExplanation, eventSummary } from '../../sim-core/debug/events';
import { StaleHandleError } from '../../sim-core/debug/inspector';
import type { DebugScope, DebugVariable, EvalContext, Machine, Stop } from '../../sim-core/machine-types';

const CONTEXTS: ReadonlySet<string> = new Set(['repl', 'watch', 'hover', 'clipboard', 'variables']);

export class Inspector {
  /** Task fields with a data breakpoint, by data id (`task/pid/field`). */
  private readonly watched = new Set<string>();

  constructor(private readonly m: Machine) {}

  markWatched(ids: ReadonlySet<string>): void {
    this.watched.clear();
    for (const id of ids) this.watched.add(id);
  }

  scopes(frameId: number): DebugProtocol.Scope[] {
    return this.m.scopes(frameId).map((s: DebugScope) => {
      const scope: DebugProtocol.Scope = { name: s.name, variablesReference: s.ref, expensive: false };
      if (s.hint) return { name: s.name, presentationHint: s.hint, variablesReference: s.ref, expensive: false };
      return scope;
    });
  }

  variables(args: DebugProtocol.VariablesArguments): DebugProtocol.Variable[] {
    return this.m.variables(args.variablesReference, args.start ?? 0, args.count ?? 0, args.filter).map((v) => this.toDap(v));
  }

  private toDap(d: DebugVariable): DebugProtocol.Variable {
    const v: DebugProtocol.Variable = { name: d.name, value: d.value, variablesReference: d.ref };
    if (d.type) v.type = d.type;
    if (d.indexed !== undefined) v.indexedVariables = d.indexed;
    const attributes: string[] = ['readOnly'];
    if (d.changed) attributes.push('changed');
    if (d.evaluateName) v.evaluateName = d.evaluateName;
    if (d.dataId && this.watched.has(d.dataId)) attributes.push('hasDataBreakpoint');
    v.presentationHint = { kind: d.ref > 0 ? 'data' : 'property', attributes };
    return v;
  }

  /** Throws with the evaluator's message when the expression cannot be evaluated. */
  evaluate(args: DebugProtocol.EvaluateArguments): DebugProtocol.EvaluateResponse['body'] {
    const context = (args.context && CONTEXTS.has(args.context) ? args.context : 'repl') as EvalContext;
    const r = this.m.evaluate(args.expression, args.frameId, context);
    if (r.error !== undefined) throw r.stale ? new StaleHandleError(r.error) : new Error(r.error);
    const body: DebugProtocol.EvaluateResponse['body'] = { result: r.value, variablesReference: r.ref };
    if (r.type) body.type = r.type;
    if (r.indexed !== undefined) body.indexedVariables = r.indexed;
    return body;
  }

  completions(args: DebugProtocol.CompletionsArguments): DebugProtocol.CompletionItem[] {
    const lines = args.text.split('\n');
    const lineIdx = Math.max(0, Math.min(lines.length - 1, (args.line ?? 1) - 1));
    return this.m.completions(lines[lineIdx], args.column - 1, args.frameId)
      .map((i) => ({ label: i.label, type: i.type, detail: i.detail, start: i.start + 1, length: i.length }));
  }

  dataBreakpointInfo(args: DebugProtocol.DataBreakpointInfoArguments): DebugProtocol.DataBreakpointInfoResponse['body'] {
    const t = this.m.dataTarget(args.name, args.variablesReference, args.frameId);
    if (t.dataId === null) return { dataId: null, description: t.description };
    return { dataId: t.dataId, description: t.description, accessTypes: ['write'], canPersist: false };
  }
}

export function exceptionInfo(stop: Stop): DebugProtocol.ExceptionInfoResponse['body'] | undefined {
  if (stop.reason === 'event' && stop.event) {
    return {
      exceptionId: stop.event.kind, description: eventExplanation(stop.event), breakMode: 'always',
      details: { message: eventSummary(stop.event), typeName: 'kernel event' },
    };
  }
  if (stop.reason === 'fault') {
    return {
      exceptionId: stop.signal ?? 'fault', description: stop.message ?? stop.reason, breakMode: 'always',
      details: { message: stop.message ?? stop.reason, typeName: 'signal' },
    };
  }
  if (stop.reason === 'panic' || stop.reason === 'deadlock' || stop.reason === 'budget' || stop.reason === 'output') {
    const e = stop.event;
    return {
      exceptionId: stop.reason,
      description: e ? eventExplanation(e) : stop.reason === 'budget'
        ? `${stop.message ?? 'The step budget is used up'}: the scenario ran longer than maxSteps allows (an endless loop or a fork bomb?).`
        : stop.message ?? stop.reason,
      breakMode: 'always',
      details: { message: stop.message ?? stop.reason },
    };
  }
  return undefined;
}
