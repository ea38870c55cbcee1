// The scenario language server's entry point (bundled as dist/server.js): an LSP connection over
// stdio with --stdio, node IPC when started by the extension. server.ts does the wiring.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
startServer(connection);
connection.listen();
