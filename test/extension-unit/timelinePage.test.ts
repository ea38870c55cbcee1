// The Process Timeline page's markup: with its script and style sheet written into it, both carry
// the nonce the policy names and nothing in them can close their element early; fetched by
// address, the policy allows styles only from the webview's origin.

import * as assert from 'node:assert/strict';
import { INITIAL_MODEL_ID, timelineCsp, timelinePage } from '../../extension/client/timelinePage';

const parts = { cspSource: 'https://webview.test', nonce: 'N0NCE', script: 'https://webview.test/t.js', style: 'https://webview.test/t.css' };

describe('timeline page markup', () => {
  it('fetched by address: a script with the nonce and a stylesheet link, styles from the origin only', () => {
    const html = timelinePage(parts);
    assert.match(html, /<script nonce="N0NCE" src="https:\/\/webview\.test\/t\.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/webview\.test\/t\.css">/);
    assert.equal(timelineCsp(parts), "default-src 'none'; img-src https://webview.test data:; style-src https://webview.test; script-src 'nonce-N0NCE'");
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
});
