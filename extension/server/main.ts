// The scenario language server's entry point (bundled as dist/server.js): an LSP connection over
// stdio with --stdio, node IPC when started by the extension. server.ts does the wiring.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
const guard = startServer(connection);
// Every handler is guarded; anything that still escapes (a timer in a library) is logged, not fatal.
process.on('uncaughtException', (e) => guard.report('server', e));
process.on('unhandledRejection', (e) => guard.report('server', e));
connection.listen();
