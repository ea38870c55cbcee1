// The debug adapter as a program: DAP over stdin/stdout, for VS Code, nvim-dap or any DAP client.
import { KprocDebugSession } from './session';

const session = new KprocDebugSession();
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
