// Checks for the exported texts, by parsing them: the SVG with a strict XML parser (sax), the DOT
// text with a Graphviz DOT parser (@ts-graphviz/ast), and the Mermaid text with a strict grammar of
// the flowchart subset the exporter writes (Mermaid's own parser needs a browser DOM; no parser of
// Mermaid flowcharts runs in plain Node), which also checks that every name used is defined.
import { strict as assert } from 'node:assert';
import { parse as parseDot } from '@ts-graphviz/ast';
import * as sax from 'sax';

export interface XmlElement { name: string; attrs: Record<string, string>; text: string; children: XmlElement[] }

/** Parses XML strictly (well-formedness, entities, one root); throws on the first error. */
export function parseXml(xml: string): XmlElement {
  const parser = sax.parser(true, { xmlns: false, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let error: Error | undefined;
  parser.onerror = (e: Error) => { error ??= e; };
  parser.onopentag = (tag: { name: string; attributes: Record<string, string> }) => {
    const el: XmlElement = { name: tag.name, attrs: { ...tag.attributes }, text: '', children: [] };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (root) throw new Error('a second root element');
    else root = el;
    stack.push(el);
  };
  parser.onclosetag = () => { stack.pop(); };
  parser.ontext = (t: string) => { if (stack.length) stack[stack.length - 1].text += t; };
  parser.write(xml).close();
  if (error) throw error;
  assert.ok(root, 'no root element');
  return root;
}

export function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}

export interface DotSummary { nodes: Map<string, Record<string, string>>; edges: Array<{ from: string; to: string; attrs: Record<string, string> }> }

interface DotAst { type: string; children: DotAst[]; id?: { value: string }; key?: { value: string }; value?: { value: string }; targets?: Array<{ id: { value: string } }> }

/** Parses DOT (throws on a syntax error) and lists its nodes and edges with their attributes. */
export function parseDotText(dot: string): DotSummary {
  const ast = parseDot(dot) as unknown as DotAst;
  const out: DotSummary = { nodes: new Map(), edges: [] };
  const attrs = (n: DotAst): Record<string, string> => {
    const a: Record<string, string> = {};
    for (const c of n.children) if (c.type === 'Attribute' && c.key && c.value) a[c.key.value] = c.value.value;
    return a;
  };
  const visit = (n: DotAst): void => {
    if (n.type === 'Node' && n.id) out.nodes.set(n.id.value, attrs(n));
    else if (n.type === 'Edge' && n.targets) out.edges.push({ from: n.targets[0].id.value, to: n.targets[1].id.value, attrs: attrs(n) });
    for (const c of n.children) visit(c);
  };
  visit(ast);
  return out;
}

/** A DOT label's text as Graphviz shows it: \n breaks a line, \\ is a backslash. */
export function dotLabelLines(label: string): string[] {
  const lines: string[] = [''];
  for (let i = 0; i < label.length; i++) {
    const c = label[i];
    if (c !== '\\' || i + 1 === label.length) { lines[lines.length - 1] += c; continue; }
    const n = label[++i];
    if (n === 'n') lines.push('');
    else lines[lines.length - 1] += n === '\\' ? '\\' : `\\${n}`;
  }
  return lines;
}

export interface MermaidSummary {
  nodes: Map<string, { shape: 'box' | 'round'; lines: string[] }>;
  edges: Array<{ from: string; to: string; kind: 'solid' | 'dotted' | 'open'; label?: string }>;
  classOf: Map<string, string>;
}

/** Mermaid's entity codes (#34; #quot;) back to characters. */
function decodeMermaid(s: string): string {
  const named: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>' };
  return s.replace(/#(\d+|[a-z]+);/g, (_m, c: string) => (/^\d+$/.test(c) ? String.fromCharCode(Number(c)) : named[c] ?? `#${c};`));
}

/** A quoted label: no raw quote, no markup but <br/>, no control characters. */
const LABEL = '"([^"\\u0000-\\u001f<>`]*(?:<br/>[^"\\u0000-\\u001f<>`]*)*)"';
const ID = '(t\\d+)';
const NODE = new RegExp(`^  ${ID}(?:\\[${LABEL}\\]|\\(${LABEL}\\))$`);
const EDGE = new RegExp(`^  ${ID} (?:(-->)|(---)\\|${LABEL}\\||(-\\.->)\\|${LABEL}\\|) ${ID}$`);
const CLASSDEF = /^ {2}classDef ([a-z_]+) ((?:[a-z-]+:[#a-z0-9. ]+)(?:,[a-z-]+:[#a-z0-9. ]+)*)$/;
const CLASS = /^ {2}class (t\d+(?:,t\d+)*) ([a-z_]+)$/;

/**
 * Checks a flowchart against the subset of Mermaid's grammar the exporter writes, line by line,
 * and that edges and classes only name nodes and classes defined; throws naming the bad line.
 */
export function parseMermaid(text: string): MermaidSummary {
  const lines = text.split('\n');
  assert.equal(lines[0], 'flowchart TD', 'the first line must declare a top-down flowchart');
  assert.equal(lines[lines.length - 1], '', 'the text must end with a newline');
  const out: MermaidSummary = { nodes: new Map(), edges: [], classOf: new Map() };
  const classDefs = new Set<string>();
  const pendingClass: Array<[string[], string, number]> = [];
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i];
    const where = `line ${i + 1}: ${line}`;
    if (/^ {2}%% [^\n]*$/.test(line)) continue;
    let m = NODE.exec(line);
    if (m) {
      assert.ok(!out.nodes.has(m[1]), `${where}: node defined twice`);
      const label = m[2] ?? m[3];
      out.nodes.set(m[1], { shape: m[2] !== undefined ? 'box' : 'round', lines: label.split('<br/>').map(decodeMermaid) });
      continue;
    }
    m = EDGE.exec(line);
    if (m) {
      const [from, to] = [m[1], m[7]];
      for (const id of [from, to]) assert.ok(out.nodes.has(id), `${where}: edge to undefined node ${id}`);
      if (m[2]) out.edges.push({ from, to, kind: 'solid' });
      else if (m[3]) out.edges.push({ from, to, kind: 'open', label: decodeMermaid(m[4]) });
      else out.edges.push({ from, to, kind: 'dotted', label: decodeMermaid(m[6]) });
      continue;
    }
    m = CLASSDEF.exec(line);
    if (m) { classDefs.add(m[1]); continue; }
    m = CLASS.exec(line);
    if (m) { pendingClass.push([m[1].split(','), m[2], i + 1]); continue; }
    assert.fail(`${where}: not in the flowchart grammar the exporter writes`);
  }
  for (const [ids, cls, line] of pendingClass) {
    assert.ok(classDefs.has(cls), `line ${line}: class ${cls} has no classDef`);
    for (const id of ids) {
      assert.ok(out.nodes.has(id), `line ${line}: class of undefined node ${id}`);
      assert.ok(!out.classOf.has(id), `line ${line}: node ${id} given two classes`);
      out.classOf.set(id, cls);
    }
  }
  return out;
}
