// Entry of dist/inlineAdapterMain.js: the debug adapter's session class, bundled apart and loaded
// when the first session starts, so the simulator is not parsed while the extension activates.
export { KprocDebugSession } from '../adapter/session';
