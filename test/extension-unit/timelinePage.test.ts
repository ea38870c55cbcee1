// The Process Timeline page's markup: with its script and style sheet written into it, both carry
// the nonce the policy names and nothing in them can close their element early; fetched by
// address, the policy allows styles only from the webview's origin or with the nonce. The fixed
// parts (tabs, legend, the tree's frame) are in the markup, the legend's swatches coloured by
// classes whose rules the page carries, each the theme variable the canvas reads.

import * as assert from 'node:assert/strict';
import * as sax from 'sax';
import { INITIAL_MODEL_ID, timelineCsp, timelinePage } from '../../extension/client/timelinePage';
import { legendCss, legendMarkup, TABS_MARKUP, TREE_MARKUP } from '../../extension/client/timelineMarkup';
import { timelineLegend, treeLegend } from '../../extension/client/graphLegend';
import { DEFAULT_PALETTE, PALETTE_VARS } from '../../extension/client/timelineText';

const parts = { cspSource: 'https://webview.test', nonce: 'N0NCE', script: 'https://webview.test/t.js', style: 'https://webview.test/t.css' };

describe('timeline page markup', () => {
  it('fetched by address: a script with the nonce and a stylesheet link, styles from the origin or with the nonce', () => {
    const html = timelinePage(parts);
    assert.match(html, /<script nonce="N0NCE" src="https:\/\/webview\.test\/t\.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/webview\.test\/t\.css">/);
    assert.equal(timelineCsp(parts), "default-src 'none'; img-src https://webview.test data:; style-src https://webview.test 'nonce-N0NCE'; script-src 'nonce-N0NCE'");
    assert.doesNotMatch(html, /<style(?![^>]*nonce="N0NCE")/, 'every style element carries the nonce');
  });

  it('written in: the script and the style carry the nonce, the policy allows that nonce for styles too', () => {
    const html = timelinePage({ ...parts, inline: { script: 'window.x = 1;', style: 'body { margin: 0 }' } });
    assert.match(html, /<script nonce="N0NCE">window\.x = 1;<\/script>/);
    assert.match(html, /<style nonce="N0NCE">body \{ margin: 0 \}<\/style>/);
    assert.doesNotMatch(html, /src="https:\/\/webview\.test\/t\.js"|<link rel="stylesheet"/);
    assert.match(timelineCsp({ ...parts, inline: { script: '', style: '' } }), /style-src https:\/\/webview\.test 'nonce-N0NCE'; script-src 'nonce-N0NCE'$/);
  });

  it('a script or style holding a closing tag cannot end its element early, and reads the same', () => {
    const script = 'const s = "</script><img src=x>"; const t = `</SCRIPT >`;';
    const html = timelinePage({ ...parts, inline: { script, style: 'a::after { content: "</style>" }' } });
    const body = /<script nonce="N0NCE">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    assert.doesNotMatch(body, /<\/script/i);
    // What the escaped text evaluates to is the original strings.
    const values = new Function(`${body}; return [s, t];`)() as string[];
    assert.deepEqual(values, ['</script><img src=x>', '</SCRIPT >']);
    const style = /<style nonce="N0NCE">([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    assert.doesNotMatch(style, /<\/style/i);
  });

  it('the first model written in as data before the script: no text in it can end the element, and it parses back the same', () => {
    const data = { model: { lanes: [{ comm: '</script><script>alert(1)</script>', note: '<!-- x' }] }, version: 3 };
    const html = timelinePage({ ...parts, inline: { script: 'window.x = 1;', style: '' }, initial: JSON.stringify(data) });
    const re = new RegExp(`<script type="application/json" id="${INITIAL_MODEL_ID}">([\\s\\S]*?)</script>\\n<script nonce="N0NCE">`);
    const m = re.exec(html);
    assert.ok(m, 'the data element comes right before the page script');
    assert.doesNotMatch(m[1], /<\/?script|<!--/i);
    assert.deepEqual(JSON.parse(m[1]), data);
    // Data, not a script: the policy needs no nonce for it, and it carries none.
    assert.doesNotMatch(m[0].slice(0, 60), /nonce/);
  });

  it('without a first model the page has no data element', () => {
    assert.doesNotMatch(timelinePage(parts), new RegExp(INITIAL_MODEL_ID));
  });

  /** Elements of a piece of markup (well-formed XML): tag, attributes, text. */
  const elements = (xml: string): Array<{ name: string; attrs: Record<string, string>; text: string }> => {
    const out: Array<{ name: string; attrs: Record<string, string>; text: string }> = [];
    const parser = sax.parser(true, {});
    parser.onopentag = (t) => { out.push({ name: t.name, attrs: t.attributes as Record<string, string>, text: '' }); };
    parser.ontext = (t) => { const last = out[out.length - 1]; if (last) last.text += t; };
    parser.write(xml).close();
    return out;
  };

  it("the legend in the markup: both keys' items in order, each swatch coloured only by classes the page's rules define", () => {
    const els = elements(legendMarkup());
    const items = (list: string): string[] => {
      const start = els.findIndex((e) => e.attrs.id === list);
      const end = els.findIndex((e, i) => i > start && e.attrs.class === 'legend-view');
      return els.slice(start, end < 0 ? undefined : end).filter((e) => e.name === 'li').map((e) => e.attrs['data-key']);
    };
    assert.deepEqual(items('legendTimeline'), timelineLegend().flatMap((g) => g.items.map((i) => i.key)));
    assert.deepEqual(items('legendTree'), treeLegend().flatMap((g) => g.items.map((i) => i.key)));
    assert.equal(els.find((e) => e.attrs.id === 'legendTree')?.attrs.hidden, '', "the tree's key starts hidden");
    // Swatches of plain boxes and diamonds are CSS boxes (<i>), the rest SVG shapes: both coloured only by classes.
    const shapes = els.filter((e) => ['rect', 'path', 'text', 'i'].includes(e.name));
    assert.ok(shapes.filter((e) => e.name === 'i').length >= 15 && shapes.filter((e) => e.name !== 'i').length >= 10);
    const css = legendCss();
    for (const s of shapes) {
      assert.ok(!/^@|var\(/.test(s.attrs.fill ?? '') && !/^@|var\(/.test(s.attrs.stroke ?? ''), `a colour left as an attribute: ${JSON.stringify(s.attrs)}`);
      const classes = (s.attrs.class ?? '').split(' ').filter(Boolean);
      if (s.name === 'i') assert.equal(classes.length, 2, 'a CSS box has a colour and a place');
      for (const c of classes) assert.match(css, new RegExp(`\\.${c}\\{`), `no rule for ${c}`);
    }
    // A lane state's swatch is its state's colour: the running lane's, the theme's green or the default.
    const running = els.findIndex((e) => e.attrs['data-key'] === 'lane-running');
    const cls = els.slice(running).find((e) => e.name === 'i')?.attrs.class;
    assert.equal(cls, 'lg-bg-running sw-r-1-3-22-8');
    assert.match(css, new RegExp(`\\.lg-bg-running\\{background:var\\(${PALETTE_VARS.running[0]},${DEFAULT_PALETTE.states.running}\\)\\}`));
    assert.match(css, /\.sw-r-1-3-22-8\{left:1px;top:3px;width:22px;height:8px\}/);
    // A mark's diamond: clipped to the shape the timeline draws (radius 5: 8 wide, 10 high).
    assert.match(css, /\.sw-d-8-2-8-10\{left:8px;top:2px;width:8px;height:10px;clip-path:polygon\(50% 0,100% 50%,50% 100%,0 50%\)\}/);
  });

  it('the tabs and the tree frame in the markup: the timeline tab selected, the tree hidden with its four layers', () => {
    const tabs = elements(TABS_MARKUP);
    assert.deepEqual(tabs.filter((e) => e.attrs.role === 'tab').map((e) => [e.attrs.id, e.attrs['aria-selected'], e.text]), [['tabTimeline', 'true', 'Timeline'], ['tabTree', 'false', 'Process tree']]);
    const tree = elements(TREE_MARKUP);
    assert.equal(tree[0].attrs.id, 'tree');
    assert.equal(tree[0].attrs.hidden, '');
    assert.deepEqual(tree.filter((e) => e.name === 'g' && e.attrs.class).map((e) => e.attrs.class), ['edges', 'bulk', 'nodes', 'edge-labels']);
    const page = timelinePage(parts);
    for (const id of ['viewTabs', 'legendToggle', 'legendBar', 'tree', 'treeSvg']) assert.match(page, new RegExp(`id="${id}"`));
    assert.ok(page.indexOf('id="legendBar"') < page.indexOf('id="main"') && page.indexOf('id="main"') < page.indexOf('id="tree"'), 'legend, timeline, tree: in that order');
  });
});
