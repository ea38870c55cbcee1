// The timeline page's saved state, shared by its two scripts: the tree view's part (loaded after
// the first frame) survives the main script's saves before it loads, and is the tree's own after.
import * as assert from 'node:assert/strict';
import { sharedState, type VsCodeApi } from '../../extension/client/pageState';

function fakeApi(state: unknown): VsCodeApi & { state: unknown } {
  const api = { state, postMessage: () => undefined, getState: () => api.state, setState: (s: unknown) => { api.state = s; } };
  return api;
}

describe('timeline page state', () => {
  it("keeps the saved tree part through the page's saves until the tree view hands over its own", () => {
    const api = fakeApi({ view: { start: 0 }, tree: { view: 'tree', legend: false, mode: 'history' } });
    const shared = sharedState(api);
    assert.equal(shared.tree().view, 'tree');
    shared.setState({ fitted: true });
    assert.deepEqual(api.state, { fitted: true, tree: { view: 'tree', legend: false, mode: 'history' } });
    // The page's legend button changes the tree's part before the tree view has loaded.
    shared.tree().legend = true;
    shared.setState({ fitted: false });
    assert.deepEqual(api.state, { fitted: false, tree: { view: 'tree', legend: true, mode: 'history' } });
    // The tree view's own state object, kept by reference: later changes to it reach later saves.
    const own: Record<string, unknown> = { view: 'timeline', mode: 'now', legend: true };
    shared.keepTree(own);
    own.mode = 'history';
    shared.setState({ fitted: true });
    assert.deepEqual(api.state, { fitted: true, tree: { view: 'timeline', mode: 'history', legend: true } });
    assert.equal(shared.tree(), own);
  });

  it('a page with nothing saved, or a saved state of another shape, starts with an empty tree part', () => {
    for (const saved of [undefined, null, 3, { tree: 'x' }, { tree: null }]) {
      const api = fakeApi(saved);
      const shared = sharedState(api);
      assert.deepEqual(shared.tree(), {});
      shared.setState({ a: 1 });
      assert.deepEqual(api.state, { a: 1, tree: {} });
    }
  });
});
