// Entry of dist/languageClientMain.js: the language client in its own bundle, so that
// vscode-languageclient is parsed only when the client starts, not while the extension activates.
export { startLanguageClient } from './languageClient';
