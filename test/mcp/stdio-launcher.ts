// Launched by stdio.test.ts (through vite-node): our stdio entry over the fixture tools, in a child process.
import { startStdio } from '../../src/mcp/stdio.js';
import { factory } from '../helpers/mcp.js';

const log = (line: string) => void process.stderr.write(`launcher: ${line}\n`);
const h = await startStdio(factory({ log }), { log });
log('serving fixture tools on stdio');
await h.closed;
await h.close();
